"""A medical-news article (Chinese, MedSci style) about a paper published elsewhere.

The card describes the primary study: its authors, title and DOI come from the reference line
after `原文出处` (source), its journal from the headline prefix or `发表在X杂志`. The outlet and the
article's date go to `source.via`. Findings are read only in the article body, never in the
comment dump or the related-news list that follow it.
"""

from __future__ import annotations

import datetime as dt
import re

from ..cards.model import SeedFormat, Via
from ..core.identifiers import normalize_doi
from ..core.text import HAN, SeedText, clean_inline
from ..extract.bibliographic import Citation, citation_in
from ..extract.boilerplate import boilerplate_lines
from ..extract.names import parse_author_list
from ..extract.reading import build_reading
from .base import Extraction, year_in

_DATELINE = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})\s+(.*)$")
_SOURCE = re.compile(r"^\s*(?:原文出处|原始出处|出处|参考文献|Source|Reference)\s*[:：]?\s*$", re.I)
_BODY_END = re.compile(r"^\s*(?:版权声明|在此留言|评论区|相关资讯)")
_JOURNAL_IN_TEXT = re.compile(
    r"发表(?:在|于)\s*(?:(?P<year>(?:19|20)\d\d)\s*年\s*)?(?:《)?(?P<journal>[A-Z][\w .&-]{1,60}?)"
    r"(?:》)?\s*(?:杂志|期刊|上)"
)
_HEADLINE_JOURNAL = re.compile(r"^(?P<journal>[A-Z][\w .&-]{1,60}?)\s*[:：]")
_ET_AL = re.compile(r",?\s*\bet\s*al\b\.?\s*", re.I)  # not the "etal" of "Skeletal"
_OUTLET = re.compile(r"(?:来源|来自|Source)\s*[:：]\s*(\S+)", re.I)


class MedicalNewsParser:
    format: SeedFormat = "medical-news"

    def score(self, seed: SeedText) -> int:
        head = seed.lines[:8]
        dateline = any(_DATELINE.match(line) for line in head)
        source = any(_SOURCE.match(line) for line in seed.lines)
        cjk = len(re.findall(f"[{HAN}]", seed.text[:3000])) > 200
        return (
            (4 if dateline else 0) + (4 if source else 0) + (2 if cjk else 0)
            if (dateline or source)
            else 0
        )

    def parse(self, seed: SeedText) -> Extraction:
        lines = seed.lines
        date_number = next((n for n, line in enumerate(lines[:8], 1) if _DATELINE.match(line)), 1)
        source_number = next((n for n, line in enumerate(lines, 1) if _SOURCE.match(line)), None)
        end_number = next(
            (n for n, line in enumerate(lines, 1) if n > date_number and _BODY_END.match(line)),
            len(lines) + 1,
        )
        body_last = (source_number or end_number) - 1
        body = build_reading(
            seed, min(date_number + 1, body_last), body_last, skip=boilerplate_lines(seed.text)
        )
        headline = clean_inline(lines[0])
        reference = ""
        if source_number:
            reference = next(
                (
                    clean_inline(line)
                    for line in lines[source_number : end_number - 1]
                    if line.strip()
                ),
                "",
            )
        authors_text, title = self._split_reference(reference)
        stated = _JOURNAL_IN_TEXT.search(body.text)
        journal_match = stated or _HEADLINE_JOURNAL.match(headline)
        dateline = _DATELINE.match(lines[date_number - 1])
        cited = citation_in(re.split(r"DOI\s*[:：]", reference, flags=re.I)[0]) or Citation()
        return Extraction(
            format="medical-news",
            body=body,
            language_text="\n".join(lines[: end_number - 1]),
            title=title,
            authors=parse_author_list(authors_text),
            journal=journal_match.group("journal").strip() if journal_match else None,
            year=cited.year or (year_in(stated.group("year")) if stated else None),
            volume=cited.volume,
            issue=cited.issue,
            pages=cited.pages,
            doi=normalize_doi(reference) or normalize_doi(body.text),
            via=self._via(dateline),
        )

    @staticmethod
    def _split_reference(reference: str) -> tuple[str, str | None]:
        """`A, B, et al.Title.DOI:...` -> (`A, B, et al.`, `Title`)."""
        reference = re.split(r"\.?\s*DOI\s*[:：]", reference, flags=re.I)[0]
        et_al = _ET_AL.search(reference)
        if et_al:
            authors, rest = reference[: et_al.end()], reference[et_al.end() :]
        else:
            # The author list ends at the first full stop after a word (not after an initial).
            end = re.search(r"(?<=[^\W\d_]{2})\.(?=\s*[A-Z])", reference)
            authors, rest = (
                (reference[: end.start()], reference[end.end() :]) if end else ("", reference)
            )
        rest = re.split(r"\.\s*(?=[A-Z][\w ]+\.\s*(?:19|20)\d\d)", rest)[0]
        title = rest.strip().rstrip(".").strip() or None
        return authors, title

    @staticmethod
    def _via(dateline: re.Match[str] | None) -> Via | None:
        if not dateline:
            return None
        named = _OUTLET.search(dateline.group(2))
        words = dateline.group(2).split()
        outlet = next((w for w in reversed(words) if re.search(r"[A-Za-z]", w)), None)
        author = words[0] if len(words) > 1 and not named else None
        outlet = named.group(1) if named else outlet  # `来源：医脉通`: the outlet says its name
        try:
            date = dt.date.fromisoformat(dateline.group(1))
        except ValueError:
            date = None
        outlet = re.sub(r"原创$", "", outlet) if outlet else None
        return Via(outlet=outlet, date=date, author=author)
