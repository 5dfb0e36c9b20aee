"""A card's reference in the formats readers and tools want: Vancouver, CSL-JSON and RIS.

CSL-JSON is the common model (as in Manubot); Vancouver text and RIS are made from it. Missing
parts are left out of the text rather than invented; a missing year reads "n.d.".
"""

from __future__ import annotations

import html
import json
import re
import urllib.parse
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from .model import Card
from .yamlio import load_plain

MAX_VANCOUVER_AUTHORS = 6
_JOURNALS = Path(__file__).resolve().parent.parent / "taxonomy" / "journals.yml"


def _key(name: str) -> str:
    return re.sub(r"[\W_]+", " ", name).strip().lower()


@cache
def journal_abbreviations(path: Path = _JOURNALS) -> dict[str, str]:
    data = load_plain(path) or {}
    return {_key(str(k)): str(v) for k, v in (data.get("journals") or {}).items()}


def abbreviate(journal: str) -> str:
    return journal_abbreviations().get(_key(journal), journal)


def csl_item(card: Card) -> dict[str, Any]:
    item: dict[str, Any] = {"id": card.citekey, "type": "article-journal"}
    if card.title:
        item["title"] = card.title
    if card.authors:
        item["author"] = [
            {"family": a.family, **({"given": a.given} if a.given else {})} for a in card.authors
        ]
    optional = {
        "container-title": card.journal,
        "container-title-short": abbreviate(card.journal) if card.journal else None,
        "volume": card.volume,
        "issue": card.issue,
        "page": card.pages,
        "DOI": card.doi,
        "PMID": card.pmid,
    }
    item.update({k: v for k, v in optional.items() if v})
    if card.year:
        item["issued"] = {"date-parts": [[card.year]]}
    return item


def csl_json(cards: Iterable[Card]) -> str:
    items = [csl_item(c) for c in sorted(cards, key=lambda c: c.citekey)]
    return json.dumps(items, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _initials(given: str | None) -> str:
    return "".join(part[0] for part in re.split(r"[\s.-]+", given or "") if part)


def vancouver_text(card: Card) -> str:
    """Plain text: `Erol K, Akyıldız Tezcan E. Title. J Clin Rheumatol. 2025;38(1):63-65.`"""
    parts = []
    names = [f"{a.family} {_initials(a.given)}".strip() for a in card.authors]
    if names:
        shown = names[:MAX_VANCOUVER_AUTHORS]
        et_al = len(names) > MAX_VANCOUVER_AUTHORS or card.authors_truncated
        parts.append(", ".join(shown) + (", et al." if et_al else "."))
    if card.title:
        parts.append(card.title.rstrip(".") + ("" if card.title.endswith(("?", "!")) else "."))
    source = abbreviate(card.journal) + "." if card.journal else ""
    when = str(card.year) if card.year else "n.d."
    if card.volume:
        when += f";{card.volume}"
        if card.issue:
            when += f"({card.issue})"
    if card.pages:
        when += f":{card.pages}"
    parts.append(f"{source} {when}.".strip())
    return " ".join(parts)


def vancouver_html(card: Card) -> str:
    """The Vancouver text, escaped, with the DOI as a link."""
    text = escape_text(vancouver_text(card))
    if card.doi:
        text += f' doi:<a href="{html.escape(doi_url(card.doi))}">{escape_text(card.doi)}</a>'
    return text


def doi_url(doi: str) -> str:
    """The resolver link, percent-encoded: a `)` in a DOI cannot end a Markdown link early."""
    return "https://doi.org/" + urllib.parse.quote(doi, safe="/")


def ris(cards: Iterable[Card]) -> str:
    records = []
    for card in sorted(cards, key=lambda c: c.citekey):
        lines = ["TY  - JOUR", f"ID  - {card.citekey}"]
        lines += [
            f"AU  - {a.family}, {a.given}" if a.given else f"AU  - {a.family}" for a in card.authors
        ]
        fields = [
            ("TI", card.title),
            ("JO", card.journal),
            ("PY", card.year),
            ("VL", card.volume),
            ("IS", card.issue),
            ("DO", card.doi),
        ]
        if card.pages:
            first, _, last = card.pages.partition("-")
            fields += [("SP", first), ("EP", last or None)]
        lines += [f"{tag}  - {_one_line(str(value))}" for tag, value in fields if value]
        lines.append("ER  - ")
        records.append("\n".join(lines))
    return "\n\n".join(records) + "\n"


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def escape_text(text: str) -> str:
    """HTML-escape card text and neutralise what Markdown, Jinja or citations would read.

    Brackets and braces become entities, so `[@Key]`, `{{ x }}` or `{% raw %}` in a seed can
    never become a citation or a template; the browser shows the same characters.
    """
    escaped = html.escape(text, quote=True)
    for char, entity in (
        ("[", "&#91;"),
        ("]", "&#93;"),
        ("{", "&#123;"),
        ("}", "&#125;"),
        ("*", "&#42;"),
        ("_", "&#95;"),
        ("`", "&#96;"),
        ("\\", "&#92;"),
        ("$", "&#36;"),
        ("~", "&#126;"),
        ("^", "&#94;"),
    ):
        escaped = escaped.replace(char, entity)
    return escaped
