"""The general fallback for a text of no known shape: read what can be read, flag the card.

Only what any text states plainly is taken: a DOI, a PMID, the first line as a candidate title,
a line near the top that holds nothing but names as the authors.
Findings, cases and design are read by the shared readers as for every shape.
"""

from __future__ import annotations

from ..identifiers import find_pmid, normalize_doi
from ..model import SeedFormat
from ..names import AuthorList, looks_like_author_line, parse_author_list
from ..reading import build_reading
from ..text import SeedText, clean_inline
from .base import Extraction


class FallbackParser:
    format: SeedFormat = "unknown"

    def score(self, seed: SeedText) -> int:
        return 0

    def parse(self, seed: SeedText) -> Extraction:
        first = next((clean_inline(line) for line in seed.lines if line.strip()), "")
        title = first.rstrip(".") if 3 <= len(first.split()) <= 40 else None
        byline = next((line for line in seed.lines[:6] if looks_like_author_line(line)), None)
        return Extraction(
            format="unknown",
            body=build_reading(seed),
            language_text=seed.text,
            title=title,
            authors=parse_author_list(byline) if byline else AuthorList([], False),
            doi=normalize_doi(seed.text),
            pmid=find_pmid(seed.text),
            notes=["the seed matches no known shape: every field needs a reviewer's check"],
        )
