"""Semantic-Scholar-style JSON record, possibly with a JSON-encoded copy in `resultStr`.

The record's `title` may be a translation (a Chinese `title` beside an English `resultStr`
title); the English title becomes the card's title and the other goes to `title_translations`.
When a plain-text copy of the abstract follows the JSON line, findings are read there, since its
sentences are quoted without JSON escapes; otherwise inside the JSON line itself.
"""

from __future__ import annotations

import json
from typing import Any

from ..cards.model import SeedFormat
from ..core.identifiers import expand_pages, find_pmid, normalize_doi
from ..core.text import SeedText, clean_inline, has_han
from ..extract.names import parse_author_list
from ..extract.reading import Reading, build_reading, build_reading_span
from .base import Extraction, blank_to_none, json_object, year_in


class SemanticScholarParser:
    format: SeedFormat = "semantic-scholar-json"

    def score(self, seed: SeedText) -> int:
        first = seed.text.lstrip().split("\n", 1)[0]
        if not first.startswith("{"):
            return 0
        record = json_object(first)
        if record is None:
            return 1 if '"abstract"' in first and '"title"' in first else 0
        return 10 if {"title", "abstract"} <= record.keys() or "resultStr" in record else 2

    def parse(self, seed: SeedText) -> Extraction:
        lines = seed.lines
        first_line = next(i for i, line in enumerate(lines, 1) if line.strip())
        record = json_object(lines[first_line - 1].strip()) or {}
        inner = json_object(str(record.get("resultStr") or "")) or {}
        merged = {**inner, **{k: v for k, v in record.items() if _stated(v)}}
        candidates = (inner.get("title"), record.get("title"), record.get("TitleCN"))
        titles = [clean_inline(str(t)) for t in candidates if blank_to_none(t)]
        english = [t for t in titles if not has_han(t)]
        translated = [t for t in titles if has_han(t)]
        stated_journal = merged.get("journal")
        journal: dict[str, Any] = stated_journal if isinstance(stated_journal, dict) else {}
        rest_has_text = any(line.strip() for line in lines[first_line:])
        if rest_has_text:
            body = build_reading(seed, first_line + 1)
        else:
            body = self._abstract_reading(seed, lines[first_line - 1], first_line, merged)
        pages = blank_to_none(journal.get("pages"))
        doi_source = " ".join(str(merged.get(k) or "") for k in ("doi", "DOIUrl", "ListUrlMain"))
        return Extraction(
            format="semantic-scholar-json",
            body=body,
            language_text=seed.text,
            title=_strip_period((english or titles)[0]) if titles else None,
            title_translations={"zh": _strip_period(translated[0])}
            if english and translated
            else {},
            authors=parse_author_list(clean_inline(str(merged.get("authors") or ""))),
            journal=clean_inline(str(journal.get("name") or merged.get("PeriodicalName") or ""))
            or None,
            year=year_in(
                blank_to_none(merged.get("publicationDate")) or blank_to_none(merged.get("year"))
            ),
            volume=blank_to_none(journal.get("volume")),
            issue=blank_to_none(journal.get("issue")),
            pages=expand_pages(pages) if pages else None,
            doi=normalize_doi(doi_source),
            pmid=blank_to_none(merged.get("pmid")) or find_pmid(str(merged.get("PMID") or "")),
        )

    @staticmethod
    def _abstract_reading(
        seed: SeedText, line: str, number: int, record: dict[str, Any]
    ) -> Reading:
        """The abstract's characters inside the JSON line, found by its JSON encoding."""
        abstract = str(record.get("abstract") or "")
        encoded = json.dumps(abstract, ensure_ascii=False)[1:-1]
        position = line.find(encoded) if encoded else -1
        start = seed.line_start(number)
        if position < 0:
            return build_reading_span(seed, start, start + len(line))
        return build_reading_span(seed, start + position, start + position + len(encoded))


def _stated(value: object) -> bool:
    """A filled field: a non-blank value, or a non-empty object (`journal` holds volume, pages)."""
    if isinstance(value, (dict, list)):
        return bool(value)
    return blank_to_none(value) is not None


def _strip_period(title: str) -> str:
    return title[:-1].rstrip() if title.endswith(".") and not title.endswith("..") else title
