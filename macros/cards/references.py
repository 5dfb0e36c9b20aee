"""A card's reference in the formats readers and tools want: Vancouver, CSL-JSON and RIS.

CSL-JSON is the common model (as in Manubot); what a maintained library does, it does here:
citeproc-py renders the Vancouver reference list from it with the CSL style shipped in
`styles/vancouver.csl`, and rispy writes RIS. Each format escapes its own syntax: JSON by
`json.dumps`, HTML by `escape_text` (over citeproc's plain text: the style sets no fonts), RIS (one
tag a line) by folding every line break and other white space run of a value into one space.

The Vancouver reference follows NLM's Citing Medicine, with what the card does not state made
visible rather than guessed (`vancouver_item`): no title reads `[title not stated]`, no year
`n.d.` (once); without authors the reference begins with the title, as Citing Medicine begins an
article that names none. Journals: every reference list gives the NLM abbreviation that
`taxonomy/journals.yml` lists (`container-title-short`), a study page the journal's full title
(`Taxonomy.journal_titles`, `study_journal`); a journal not listed is shown as the card states it.
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
from .taxonomy import Taxonomy, journal_key

VANCOUVER = Path(__file__).resolve().parent.parent / "styles" / "vancouver.csl"
NO_DATE = "n.d."
NO_TITLE = "[title not stated]"
ET_AL = "et al."
# A period the style puts after a part (a title, a journal) that already ends in "?", "!" or "…"
# (or their full-width forms, or "。"), perhaps inside closing quotes: Citing Medicine ends such a
# title with its own mark. citeproc-py drops a period only after a period (`..`), so
# "Coincidence?." is mended here, as citeproc-js does. No DOI holds these marks, and the part from
# "doi:" on is not touched anyway.
_PERIOD_AFTER_MARK = re.compile(r"(?<=[?!…？！。])([\"'”’»」』]*)\.(?= |$)")
# What may end a title but not go before the style's period: `Title:` reads `Title.`.
_DANGLING = " ,;:，；："


def abbreviation(journal: str, taxonomy: Taxonomy) -> str:
    """The journal's NLM abbreviation from `journals.yml` (also when the card states it, spelt in
    any case or with periods: `Scand. J. Rheumatol.`), else its name as stated."""
    key = journal_key(journal)
    known = (short for short in taxonomy.journals.values() if journal_key(short) == key)
    return taxonomy.abbreviation(journal) or next(known, journal)


def study_journal(journal: str, taxonomy: Taxonomy) -> str:
    """The journal as a study page names it: the full title, then the NLM abbreviation that the
    reference lists give, when it differs (`Scandinavian Journal of Rheumatology (Scand J
    Rheumatol)`); a journal `journals.yml` does not list, as the card states it."""
    title = taxonomy.journal_titles.get(journal_key(journal), squash(journal))
    short = abbreviation(squash(journal), taxonomy)
    return title if journal_key(short) == journal_key(title) else f"{title} ({short})"


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


def vancouver_item(card: Card, taxonomy: Taxonomy) -> dict[str, Any]:
    """The CSL item the reference lists render: `csl_item` with every text on one line and
    trimmed (a trailing space would print " ."), and what Vancouver shows of a missing part: a
    missing title is `NO_TITLE`, a missing year `NO_DATE`, a byline that ended with "et al." ends
    so here. Without authors the item has none, and the reference begins with the title."""
    item = json.loads(json.dumps(csl_item(card, taxonomy)), object_hook=_squashed)
    item["id"] = "1"  # citeproc folds ids to lower case
    authors = [a for a in item.pop("author", []) if a.get("family")]
    if authors:
        item["author"] = authors + ([{"literal": ET_AL}] if card.authors_truncated else [])
    title = str(item.get("title", "")).rstrip(_DANGLING)
    item["title"] = title or NO_TITLE
    item.setdefault("issued", {"literal": NO_DATE})
    return {key: value for key, value in item.items() if value}


def _squashed(mapping: dict[str, Any]) -> dict[str, Any]:
    return {key: squash(v) if isinstance(v, str) else v for key, v in mapping.items()}


def vancouver_html(card: Card, taxonomy: Taxonomy) -> str:
    """The card's reference in Vancouver style (NLM's Citing Medicine), as citeproc-py renders it
    with the shipped CSL style: escaped, its DOI a link, without a number (the reference list's
    `<ol>` numbers it)."""
    return _vancouver_html(json.dumps(vancouver_item(card, taxonomy), sort_keys=True))


# About 3 ms a reference: a build renders each card's once for all the pages that list it, and
# `mkdocs serve` keeps them between rebuilds. Bounded, so a site of any size stays in memory.
@functools.lru_cache(maxsize=16_384)
def _vancouver_html(item_json: str) -> str:
    item = json.loads(item_json)
    bibliography = CitationStylesBibliography(_vancouver(), CiteProcJSON([item]), formatter.plain)
    bibliography.register(Citation([CitationItem(item["id"])]))
    [text] = bibliography.bibliography()
    text = squash(re.sub(r"^\d+\.", "", str(text)))  # no number; one line: the item stays whole
    doi = item.get("DOI")
    head, found, tail = text.rpartition(f"doi:{doi}") if doi else ("", "", "")
    if not found:  # no DOI to link
        head, tail = text, ""
    mended = escape_text(_PERIOD_AFTER_MARK.sub(r"\1", head))
    link = f'doi:<a href="{escape_text(doi_url(doi))}">{escape_text(doi)}</a>' if found else ""
    return f"{mended}{link}{escape_text(tail)}"


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
