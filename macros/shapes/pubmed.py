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


def _looks_like_authors(line: str) -> bool:
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
        author_number = next(
            (
                n
                for n, line in enumerate(lines[: citation_number - 1], 1)
                if _looks_like_authors(clean_inline(line))
            ),
            None,
        )
        title = self._title(lines, author_number, citation_number)
        body_first = citation_number + 1
        abstract_lines = [n for n in range(body_first, len(lines) + 1) if lines[n - 1].strip()]
        language = dominant_language(lines[abstract_lines[0] - 1]) if abstract_lines else None
        same = [n for n in abstract_lines if dominant_language(lines[n - 1]) == language]
        body = build_reading(seed, same[0], same[-1]) if same else build_reading(seed)
        extraction = Extraction(
            format="pubmed-abstract",
            body=body,
            language_text=seed.text,
            title=title,
            authors=parse_author_list(clean_inline(lines[author_number - 1]))
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
        candidates = []
        if author_number and author_number > 1:
            candidates.append(lines[author_number - 2])
        candidates.append(lines[citation_number] if citation_number < len(lines) else "")
        for raw in candidates:
            line = clean_inline(raw)
            if 3 <= len(line.split()) <= 40 and len(line) < 300 and not re.search(r"\.\s+\S", line):
                return line.rstrip(".")
        return None
