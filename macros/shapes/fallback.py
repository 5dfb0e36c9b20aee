"""The general fallback for a text of no known shape: read what can be read, flag the card.

Only what any text states plainly is taken: a DOI, a PMID, the first line as a candidate title.
Findings, cases and design are read by the shared readers as for every shape.
"""

from __future__ import annotations

from ..identifiers import find_pmid, normalize_doi
from ..reading import build_reading
from ..text import SeedText, clean_inline
from .base import Extraction


class FallbackParser:
    format = "unknown"

    def score(self, seed: SeedText) -> int:
        return 0

    def parse(self, seed: SeedText) -> Extraction:
        first = next((clean_inline(line) for line in seed.lines if line.strip()), "")
        title = first.rstrip(".") if 3 <= len(first.split()) <= 40 else None
        return Extraction(
            format="unknown",
            body=build_reading(seed),
            language_text=seed.text,
            title=title,
            doi=normalize_doi(seed.text),
            pmid=find_pmid(seed.text),
            notes=["the seed matches no known shape: every field needs a reviewer's check"],
        )
