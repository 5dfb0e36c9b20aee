"""A card's reference in the formats readers and tools want: Vancouver, CSL-JSON and RIS.

CSL-JSON is the common model (as in Manubot); what a maintained library does, it does here:
citeproc-py renders the Vancouver reference list from it with the CSL style shipped in
`styles/vancouver.csl`, and rispy writes RIS. Missing parts are left out rather than invented; a
missing year reads "n.d.". Each format escapes its own syntax: JSON by `json.dumps`, HTML by
`escape_text` (over citeproc's plain text: the style sets no fonts), RIS (one tag a line) by
folding every line break and other white space run of a value into one space.
"""

from __future__ import annotations

import functools
import json
import re
import urllib.parse
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import rispy  # type: ignore[import-untyped]
from citeproc import (  # type: ignore[import-untyped]
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON  # type: ignore[import-untyped]

from ..core.text import squash
from .escaping import escape_text
from .model import Card
from .taxonomy import Taxonomy

VANCOUVER = Path(__file__).resolve().parent.parent / "styles" / "vancouver.csl"
NO_DATE = "n.d."
ET_AL = "et al."


def abbreviation(journal: str, taxonomy: Taxonomy) -> str:
    """The journal's NLM abbreviation from `journals.yml`, else its name as stated."""
    return taxonomy.abbreviation(journal) or journal


def csl_item(card: Card, taxonomy: Taxonomy) -> dict[str, Any]:
    """The card as a CSL-JSON item; `taxonomy` abbreviates its journal (`journals.yml`)."""
    item: dict[str, Any] = {"id": card.citekey, "type": "article-journal"}
    if card.title:
        item["title"] = card.title
    if card.authors:
        item["author"] = [
            {"family": a.family, **({"given": a.given} if a.given else {})} for a in card.authors
        ]
    optional = {
        "container-title": card.journal,
        "container-title-short": abbreviation(card.journal, taxonomy) if card.journal else None,
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


def csl_json(cards: Iterable[Card], taxonomy: Taxonomy) -> str:
    items = [csl_item(c, taxonomy) for c in sorted(cards, key=lambda c: c.citekey)]
    return json.dumps(items, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


@functools.cache
def _vancouver() -> Any:
    """The CSL style, parsed once (it is the package's own file, not data)."""
    return CitationStylesStyle(str(VANCOUVER), validate=False)


def vancouver_html(card: Card, taxonomy: Taxonomy) -> str:
    """The card's reference in Vancouver style (NLM's Citing Medicine), as citeproc-py renders it
    with the shipped CSL style: escaped, its DOI a link, without a number (the reference list's
    `<ol>` numbers it)."""
    item = csl_item(card, taxonomy) | {"id": "1"}  # citeproc folds ids to lower case
    if card.authors_truncated:  # the source ended its byline with "et al.": so does the list
        item["author"] = [*item.get("author", []), {"literal": ET_AL}]
    item.setdefault("issued", {"literal": NO_DATE})
    return _vancouver_html(json.dumps(item, sort_keys=True))


# About 3 ms a reference: a build renders each card's once for all the pages that list it, and
# `mkdocs serve` keeps them between rebuilds. Bounded, so a site of any size stays in memory.
@functools.lru_cache(maxsize=16_384)
def _vancouver_html(item_json: str) -> str:
    item = json.loads(item_json)
    bibliography = CitationStylesBibliography(_vancouver(), CiteProcJSON([item]), formatter.plain)
    bibliography.register(Citation([CitationItem(item["id"])]))
    [text] = bibliography.bibliography()
    text = squash(re.sub(r"^\d+\.", "", str(text)))  # no number; one line: the item stays whole
    title, doi = item.get("title"), item.get("DOI")
    if title and title.endswith(("?", "!")):  # citeproc-py writes "Coincidence?."
        text = text.replace(f"{squash(title)}.", squash(title), 1)
    escaped = escape_text(text)
    if doi:
        shown = escape_text(doi)
        link = f'<a href="{escape_text(doi_url(doi))}">{shown}</a>'
        head, found, tail = escaped.rpartition(f"doi:{shown}")
        escaped = f"{head}doi:{link}{tail}" if found else escaped
    return escaped


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
            squash(f"{a.family}, {a.given}" if a.given else a.family) for a in card.authors
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
    folded = {key: squash(value or "") for key, value in values.items()}
    record.update({key: value for key, value in folded.items() if value})
    return record


def ris(cards: Iterable[Card]) -> str:
    records = [_ris_record(card) for card in sorted(cards, key=lambda c: c.citekey)]
    return str(rispy.dumps(records, implementation=_RisWriter))
