"""The general fallback for a text of no known shape: read what can be read, flag the card.

The shared reader (`bibliographic`) takes what any paper prints plainly (a title block, a byline,
a citation line, a DOI); findings, cases and design are read by the shared readers as for every
shape.
"""

from __future__ import annotations

from ..cards.model import SeedFormat
from ..core.problems import Problem
from ..core.text import SeedText
from ..extract.boilerplate import boilerplate_lines
from ..extract.reading import build_reading
from .base import Extraction


class FallbackParser:
    format: SeedFormat = "unknown"

    def score(self, seed: SeedText) -> int:
        return 0

    def parse(self, seed: SeedText) -> Extraction:
        return Extraction(
            format="unknown",
            body=build_reading(seed, skip=boilerplate_lines(seed.text)),
            language_text=seed.text,
            notes=[
                Problem.review_note(
                    "W-SHAPE-UNKNOWN",
                    "source.format",
                    "the seed matches no known shape: every field needs a reviewer's check",
                )
            ],
        )
