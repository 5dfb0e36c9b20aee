"""Shape detection: every parser scores the content; the best positive score wins.

The file name never matters. A text no parser claims goes to the general fallback, whose cards are
marked needs-review. Whatever the shape, a bibliographic field it leaves empty is read from the
layout by `bibliographic`. `assemble` turns a shape's extraction into a card.

May import: `macros.core`, `macros.cards`, `macros.extract`.
"""

from __future__ import annotations

from pydantic import ValidationError

from ..core.text import SeedText, over_limits
from ..extract.bibliographic import read_bibliographic
from .base import Extraction, ShapeParser
from .fallback import FallbackParser
from .medical_news import MedicalNewsParser
from .pdf_case_series import PdfCaseSeriesParser
from .pubmed import PubmedParser
from .semantic_scholar import SemanticScholarParser
from .translated_web import TranslatedWebParser

PARSERS: tuple[ShapeParser, ...] = (
    SemanticScholarParser(),
    PubmedParser(),
    MedicalNewsParser(),
    TranslatedWebParser(),
    PdfCaseSeriesParser(),
)
FALLBACK = FallbackParser()


def detect(seed: SeedText) -> ShapeParser:
    scored = [(parser.score(seed), index) for index, parser in enumerate(PARSERS)]
    best, index = max(scored)
    return PARSERS[index] if best > 0 else FALLBACK


def extract(seed: SeedText) -> Extraction:
    """The shape's reading, each empty bibliographic field filled by the shared reader."""
    try:
        extraction = detect(seed).parse(seed)
        extraction.fill_from(read_bibliographic(seed))
    except ValidationError as error:  # a value of the seed's own past a card's limits
        raise over_limits(error) from error
    return extraction


__all__ = ["PARSERS", "Extraction", "ShapeParser", "detect", "extract"]
