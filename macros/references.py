"""A card's reference in the formats readers and tools want: Vancouver, CSL-JSON and RIS.

CSL-JSON is the common model (as in Manubot); Vancouver text and RIS are made from it. Missing
parts are left out of the text rather than invented; a missing year reads "n.d.". Each format
escapes its own syntax: JSON by `json.dumps`, HTML by `escape_text`, RIS (one tag a line) by
folding every line break and other whitespace run of a value into one space.
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

import rispy  # type: ignore[import-untyped]

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


class _RisWriter(rispy.RisWriter):  # type: ignore[misc]  # rispy has no type hints
    """rispy's writer without the `1.` line it puts before each record, which is not RIS."""

    def set_header(self, count: int) -> str:
        return ""


def _ris_record(card: Card) -> dict[str, Any]:
    """A card as a rispy record (TY JOUR, ID, AU, TI, JO, PY, VL, IS, DO, SP, EP), every value on
    one line: a line break in a name or title cannot end the record and forge the next one."""
    record: dict[str, Any] = {"type_of_reference": "JOUR", "id": card.citekey}
    if card.authors:
        record["authors"] = [
            _one_line(f"{a.family}, {a.given}" if a.given else a.family) for a in card.authors
        ]
    first, _, last = (card.pages or "").partition("-")
    values = {
        "title": card.title,
        "journal_name": card.journal,
        "year": str(card.year or ""),
        "volume": card.volume,
        "number": card.issue,
        "doi": card.doi,
        "start_page": first,
        "end_page": last,
    }
    folded = {key: _one_line(value or "") for key, value in values.items()}
    record.update({key: value for key, value in folded.items() if value})
    return record


def ris(cards: Iterable[Card]) -> str:
    records = [_ris_record(card) for card in sorted(cards, key=lambda c: c.citekey)]
    return str(rispy.dumps(records, implementation=_RisWriter))


def _one_line(text: str) -> str:
    """`\\s` is every Unicode space and line break: CR, LF, U+2028, U+2029, U+0085, VT, FF."""
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
