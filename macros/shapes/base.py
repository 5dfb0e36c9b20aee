"""What every shape parser returns, and the interface it implements.

A parser knows where a shape keeps its bibliographic fields and which part of the text is the
study's own report. Everything after that (design, findings, cases, topic, citekey) is shared.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Protocol

from ..cards.model import SeedFormat, Via
from ..core.problems import Problem
from ..core.text import SeedText
from ..extract.bibliographic import Bibliographic
from ..extract.names import AuthorList
from ..extract.reading import Reading

_CITATION_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


@dataclass
class Extraction:
    """The shape-specific reading of one seed."""

    format: SeedFormat
    body: Reading  # the study's own text: findings, cases and design are read here
    language_text: str  # the prose whose languages the card lists
    title: str | None = None
    title_translations: dict[str, str] = field(default_factory=dict)
    authors: AuthorList = field(default_factory=lambda: AuthorList([], False))
    journal: str | None = None
    year: int | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    doi: str | None = None
    pmid: str | None = None
    via: Via | None = None
    notes: list[Problem] = field(default_factory=list)

    def fill_from(self, found: Bibliographic) -> None:
        """Each field the shape left empty, as the layout states it: a shape knows where its
        records keep a field, the shared reader where papers print it."""
        cited = found.citation
        self.title = self.title or found.title
        self.authors = self.authors if self.authors.names else found.authors
        self.journal = self.journal or cited.journal
        self.year = self.year or cited.year
        self.volume = self.volume or cited.volume
        self.issue = self.issue or cited.issue
        self.pages = self.pages or cited.pages
        self.doi = self.doi or found.doi
        self.pmid = self.pmid or found.pmid


class ShapeParser(Protocol):
    format: SeedFormat

    def score(self, seed: SeedText) -> int:
        """How strongly the content looks like this shape: 0 is not at all."""
        ...

    def parse(self, seed: SeedText) -> Extraction: ...


def year_in(text: str | None) -> int | None:
    match = _CITATION_YEAR.search(text or "")
    return int(match.group(1)) if match else None


def json_object(text: str) -> dict[str, Any] | None:
    """The JSON object in `text`, or None: a seed is never trusted to be well-formed."""
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def blank_to_none(value: object) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    text = str(value).strip()
    return text or None
