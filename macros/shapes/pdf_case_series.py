"""A PDF text dump of a case series: text boxes, broken hyphenation, headers, flattened tables.

PDF extraction starts each text box on a new line, often with a leading space, and keeps running
headers (`Case Report   PT & R`: columns separated by runs of spaces) and page numbers as lines.
The title is the first short box near the top that is not a heading; metadata (DOI, journal line,
authors) is read only in the first page's lines, never in the reference list.
"""

from __future__ import annotations

import re

from ..identifiers import expand_pages, normalize_doi
from ..model import SeedFormat
from ..names import parse_author_list
from ..reading import CAPTION, build_reading
from ..text import SeedText, clean_inline
from .base import Extraction, year_in

FIRST_PAGE_LINES = 60
_HEADER = re.compile(r"\S\s{3,}\S|^\s*\d{1,4}\s*$|^\s*\d\s+\d\s*$")
_HEADING = re.compile(
    r"^\s*(?:ABSTRACT|Abstract|Summary|SUMMARY|Keywords?|KEYWORDS?|INTRODUCTION|Introduction|"
    r"CASE REPORTS?|Case reports?|DISCUSSION|Background|Methods|Results|Conclusions?)\b"
)
_CASE_MARKER = re.compile(r"(?m)^\s*(?:Case|Patient)\s+\d+\s*[–—:.-]")
_JOURNAL_LINE = re.compile(
    r"^\s*(?P<journal>[A-Z][A-Za-z .&]{2,80}?)\.?\s+\(?(?P<year>(?:19|20)\d\d)\)?\s*[;,]?\s*"
    r"(?P<volume>\d+)(?:\((?P<issue>[^)]+)\))?\s*[:,]\s*(?P<pages>[\w–-]+)\s*$"
)
_NOT_TITLE = re.compile(r"https?://|\bdoi\b|\bwww\.", re.I)
_NAME = r"[A-Z][\w'’-]+(?:\s+[A-Z]\.?)*(?:\s+[A-Z][\w'’-]+){1,2}"
_AUTHOR_LINE = re.compile(rf"^\s*{_NAME}\s*\d*(?:\s*(?:,|·|and|&)\s*{_NAME}\s*\d*)+\s*$")


class PdfCaseSeriesParser:
    format: SeedFormat = "pdf-case-series"

    def score(self, seed: SeedText) -> int:
        lines = seed.lines
        hyphenated = sum(1 for line in lines if re.search(r"[a-z]-\s*$", line))
        markers = len(_CASE_MARKER.findall(seed.text))
        short = sum(1 for line in lines if 20 <= len(line) <= 70)
        layout = short >= 0.5 * max(1, sum(1 for line in lines if line.strip()))
        return (3 if hyphenated >= 5 else 0) + (3 if markers >= 2 else 0) + (2 if layout else 0)

    def parse(self, seed: SeedText) -> Extraction:
        lines = seed.lines
        head = lines[:FIRST_PAGE_LINES]
        head_text = "\n".join(head)
        title, title_end = self._title(head)
        authors_line = next(
            (
                clean_inline(line)
                for line in head[title_end : title_end + 4]
                if _AUTHOR_LINE.match(re.sub(r"[¹²³⁴⁵⁶⁷⁸⁹⁰*†‡]", "", line))
            ),
            "",
        )
        journal = next((m for line in head if (m := _JOURNAL_LINE.match(line))), None)
        extraction = Extraction(
            format="pdf-case-series",
            body=build_reading(seed, drop=_running_line),
            language_text=seed.text,
            title=title,
            authors=parse_author_list(
                re.sub(r"[\d¹²³⁴⁵⁶⁷⁸⁹⁰*†‡]", "", authors_line).replace("·", ",")
            ),
            doi=normalize_doi(head_text),
        )
        if journal:
            extraction.journal = journal.group("journal").strip()
            extraction.year = year_in(journal.group("year"))
            extraction.volume = journal.group("volume")
            extraction.issue = journal.group("issue")
            extraction.pages = expand_pages(journal.group("pages"))
        return extraction

    @staticmethod
    def _title(head: list[str]) -> tuple[str | None, int]:
        """The first box of one to three lines near the top that reads like a title."""
        boxes: list[tuple[int, list[str]]] = []
        after_blank = True
        for number, line in enumerate(head):
            if not line.strip():
                after_blank = True
                continue
            if after_blank or line.startswith(" "):
                boxes.append((number, [line.strip()]))
            else:
                boxes[-1][1].append(line.strip())
            after_blank = False
        for number, box in boxes:
            text = clean_inline(" ".join(box))
            if (
                1 <= len(box) <= 3
                and 4 <= len(text.split()) <= 30
                and text[:1].isupper()
                and not text.endswith(".")
                and not _HEADING.match(text)
                and not CAPTION.match(text)
                and not _HEADER.search(" ".join(box))
                and not any(line.endswith("-") for line in box)
                and not text.isupper()
                and not _NOT_TITLE.search(text)
                and not any(_JOURNAL_LINE.match(line) for line in box)
            ):
                return text, number + len(box)
        return None, 0


def _running_line(line: str) -> bool:
    """A running header or footer (`Rheumatol Case Rep 2021;4:112–118`) cut into the prose."""
    return bool(_HEADER.search(line) or _JOURNAL_LINE.match(line))
