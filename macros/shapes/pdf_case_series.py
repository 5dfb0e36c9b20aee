"""A PDF text dump of a case series: text boxes, broken hyphenation, headers, flattened tables.

PDF extraction starts each text box on a new line, often with a leading space, and keeps running
headers (`Case Report   PT & R`: columns separated by runs of spaces) and page numbers as lines.
Those are dropped from the reading; title, authors, citation and DOI are read from the first page
and the running headers by the shared reader (`bibliographic`), never from the reference list.
"""

from __future__ import annotations

import re

from ..cards.model import SeedFormat
from ..core.text import SeedText
from ..extract.bibliographic import running_line
from ..extract.reading import build_reading
from .base import Extraction

_HYPHENATED = re.compile(r"[a-z]-\s*$")
_CASE_MARKER = re.compile(r"(?m)^\s*(?:Case|Patient)\s+\d+\s*[–—:.-]")


class PdfCaseSeriesParser:
    format: SeedFormat = "pdf-case-series"

    def score(self, seed: SeedText) -> int:
        lines = seed.lines
        hyphenated = sum(1 for line in lines if _HYPHENATED.search(line))
        markers = len(_CASE_MARKER.findall(seed.text))
        short = sum(1 for line in lines if 20 <= len(line) <= 70)
        layout = short >= 0.5 * max(1, sum(1 for line in lines if line.strip()))
        return (3 if hyphenated >= 5 else 0) + (3 if markers >= 2 else 0) + (2 if layout else 0)

    def parse(self, seed: SeedText) -> Extraction:
        return Extraction(
            format="pdf-case-series",
            body=build_reading(seed, drop=running_line),
            language_text=seed.text,
        )
