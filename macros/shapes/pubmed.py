"""PubMed abstract: author line, affiliation, citation line, abstract, then maybe a translation.

The parser finds where the abstract starts (after the author line, the citation line
`Scand J Rheumatol. 2009 Jan-Feb;38(1):63-5. doi: ...` and any `Author information:` block);
title, authors, citation, DOI and PMID are read by the shared reader (`bibliographic`), whose
layouts include PubMed's. Findings are read in the abstract's own language: the translation
repeats the same figures.
"""

from __future__ import annotations

import functools
import re

from ..cards.model import SeedFormat
from ..core.text import SeedText, clean_inline
from ..extract.bibliographic import YEAR_SEMICOLON_VOLUME
from ..extract.languages import dominant_language
from ..extract.names import read_byline
from ..extract.reading import build_reading
from .base import Extraction

_AUTHOR_INFORMATION = re.compile(r"^\s*Author information\s*:", re.I)


def _looks_like_authors(line: str) -> bool:
    return read_byline(clean_inline(line)) is not None


def _citation_line(lines: list[str]) -> int | None:
    for number, line in enumerate(lines[:12], 1):
        if YEAR_SEMICOLON_VOLUME.read(line.strip(), whole_line=True):
            return number
    return None


class PubmedParser:
    format: SeedFormat = "pubmed-abstract"

    def score(self, seed: SeedText) -> int:
        lines = seed.lines
        citation = _citation_line(lines)
        if citation is None:
            return 0
        authors = any(_looks_like_authors(line) for line in lines[: citation - 1])
        return 8 if authors else 3

    def parse(self, seed: SeedText) -> Extraction:
        lines = seed.lines
        citation_number = _citation_line(lines) or 1
        author_number = _author_line(lines, citation_number)
        body_first = _body_first(lines, max(citation_number, author_number or 0) + 1)
        abstract_lines = [n for n in range(body_first, len(lines) + 1) if lines[n - 1].strip()]
        # The abstract runs from the first to the last line in its language; lingua is asked of
        # each line once, and of no line between those two.
        language_of = functools.cache(lambda number: dominant_language(lines[number - 1]))
        language = next((found for found in map(language_of, abstract_lines) if found), None)
        same = (n for n in abstract_lines if language_of(n) == language)
        last = (n for n in reversed(abstract_lines) if language_of(n) == language)
        first = next(same, None)
        body = build_reading(seed, first, next(last)) if first else build_reading(seed)
        return Extraction(format="pubmed-abstract", body=body, language_text=seed.text)


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
