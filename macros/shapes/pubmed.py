"""PubMed abstract: author line, affiliation, citation line, abstract, then maybe a translation.

The citation line (`Scand J Rheumatol. 2009 Jan-Feb;38(1):63-5. doi: ...`) carries journal,
year, volume, issue, pages and DOI. A title is taken only when a line is clearly one (short, no
sentence inside, next to the authors or the citation); PubMed exports often have none.
Findings are read in the abstract's own language: the translation repeats the same figures.
"""

from __future__ import annotations

import re

from ..identifiers import expand_pages, find_pmid, normalize_doi
from ..languages import dominant_language
from ..model import SeedFormat
from ..names import parse_author_list
from ..reading import build_reading
from ..text import SeedText, clean_inline
from .base import Extraction

CITATION = re.compile(
    r"^(?:\d+\.\s+)?(?P<journal>[A-Z][^.;\n]{1,120}?)\.\s+(?P<year>(?:1[89]|20)\d\d)"
    r"(?:\s+[A-Z][a-z]{2}(?:-[A-Z][a-z]{2})?)?(?:\s+\d{1,2})?"
    r"(?:;\s*(?P<volume>[\w-]+)(?:\((?P<issue>[^)]+)\))?)?(?::\s*(?P<pages>[\w-]+))?"
)
_AUTHOR_ITEM = re.compile(r"^(?:[\w'’-]+\s+){1,4}[A-Z]{1,4}$|^[A-Z][\w'’-]+(?:\s+[A-Z]){1,4}$")
_MARKER = re.compile(r"\s*\(\d{1,2}(?:\s*,\s*\d{1,2})*\)")  # `Lefèvre A(1)`: affiliation numbers
_AUTHOR_INFORMATION = re.compile(r"^\s*Author information\s*:", re.I)


def _without_markers(line: str) -> str:
    return _MARKER.sub("", clean_inline(line))


def _looks_like_authors(line: str) -> bool:
    line = _without_markers(line)
    items = [i.strip() for i in re.split(r",|;", line.strip().rstrip(".")) if i.strip()]
    return bool(items) and sum(bool(_AUTHOR_ITEM.match(i)) for i in items) >= max(1, len(items) - 1)


def _citation_line(seed: SeedText) -> int | None:
    for number, line in enumerate(seed.lines[:12], 1):
        if CITATION.match(line.strip()) and re.search(r";\s*\d", line):
            return number
    return None


class PubmedParser:
    format: SeedFormat = "pubmed-abstract"

    def score(self, seed: SeedText) -> int:
        citation = _citation_line(seed)
        if citation is None:
            return 0
        authors = any(_looks_like_authors(line) for line in seed.lines[: citation - 1])
        return 8 if authors else 3

    def parse(self, seed: SeedText) -> Extraction:
        lines = seed.lines
        citation_number = _citation_line(seed) or 1
        citation_text = clean_inline(lines[citation_number - 1])
        match = CITATION.match(citation_text)
        author_number = _author_line(lines, citation_number)
        title = self._title(lines, author_number, citation_number)
        body_first = _body_first(lines, max(citation_number, author_number or 0) + 1)
        abstract_lines = [n for n in range(body_first, len(lines) + 1) if lines[n - 1].strip()]
        language = dominant_language(lines[abstract_lines[0] - 1]) if abstract_lines else None
        same = [n for n in abstract_lines if dominant_language(lines[n - 1]) == language]
        body = build_reading(seed, same[0], same[-1]) if same else build_reading(seed)
        extraction = Extraction(
            format="pubmed-abstract",
            body=body,
            language_text=seed.text,
            title=title,
            authors=parse_author_list(_without_markers(lines[author_number - 1]))
            if author_number
            else parse_author_list(""),
            doi=normalize_doi(citation_text) or normalize_doi(seed.text[:2000]),
            pmid=find_pmid(seed.text),
        )
        if match:
            extraction.journal = match.group("journal").strip()
            extraction.year = int(match.group("year"))
            extraction.volume = match.group("volume")
            extraction.issue = match.group("issue")
            pages = match.group("pages")
            extraction.pages = expand_pages(pages) if pages else None
        return extraction

    @staticmethod
    def _title(lines: list[str], author_number: int | None, citation_number: int) -> str | None:
        """The block of lines just above the authors, or just below the citation line."""
        blocks = []
        if author_number and author_number > 1:
            blocks.append(_block(lines, author_number - 1, -1, citation_number))
        blocks.append(_block(lines, citation_number + 1, 1, author_number or 0))
        for block in blocks:
            line = clean_inline(" ".join(block))
            if 3 <= len(line.split()) <= 40 and len(line) < 300 and not re.search(r"\.\s+\S", line):
                return line.rstrip(".")
        return None


def _block(lines: list[str], number: int, step: int, stop: int) -> list[str]:
    """The non-blank lines from line `number` on (blank lines first skipped), walking by `step`,
    up to a blank line or line `stop`: a title may be wrapped over several lines."""
    while 1 <= number <= len(lines) and number != stop and not lines[number - 1].strip():
        number += step
    block: list[str] = []
    while 1 <= number <= len(lines) and number != stop and lines[number - 1].strip():
        block.append(lines[number - 1].strip())
        number += step
    return block[::step]


def _author_line(lines: list[str], citation_number: int) -> int | None:
    """The author line: above the citation line, or below it when the record starts with a
    numbered citation (`1. Clin Exp Rheumatol. 2018 ...`, then title, then authors)."""
    above = range(1, citation_number)
    below = range(citation_number + 1, min(len(lines), citation_number + 10) + 1)
    for window in (above, below):
        found = next((n for n in window if _looks_like_authors(lines[n - 1])), None)
        if found:
            return found
    return None


def _body_first(lines: list[str], number: int) -> int:
    """The abstract's first line: after an `Author information:` block of affiliations."""
    while number <= len(lines) and not lines[number - 1].strip():
        number += 1
    if number <= len(lines) and _AUTHOR_INFORMATION.match(lines[number - 1]):
        while number <= len(lines) and lines[number - 1].strip():
            number += 1
    return number
