"""Citations in a page: `[@Key]` groups (`[@A; @B]`) and `cite("Key")` calls, outside code.

`evidence check` (which validates the keys, with line and column) and the build (which numbers
them, `hooks.py`) find them with the same functions, so check cannot pass a page that the build
then fails. Code is what Markdown shows as code: a fenced block (``` or ~~~, to its closing fence
or the end of the page) and a code span (a run of backticks to the next run of the same length);
a citation written there is text, neither checked nor numbered.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ..core.identifiers import CITEKEY

CITATION = re.compile(rf"\[((?:@{CITEKEY}\s*;?\s*)+)\]")
CITE_CALL = re.compile(r"cite\(\s*[\"']([^\"']+)[\"']\s*\)")
_KEY = re.compile(rf"@({CITEKEY})")
NUMBERED = re.compile(rf'<a class="citation" href="#ref-({CITEKEY})">\[\d+\]</a>')
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})", re.M)
_BACKTICKS = re.compile(r"(?<![\\`])`+")


def numbered(key: str, number: int) -> str:
    """A citation as a page shows it, numbered in order of first citation on the page."""
    return f'<a class="citation" href="#ref-{key}">[{number}]</a>'


@dataclass(frozen=True)
class Citation:
    """One citation in a page: where it starts and ends (offsets), and the keys it cites."""

    start: int
    end: int
    keys: tuple[str, ...]


def code_spans(markdown: str) -> list[tuple[int, int]]:
    """(start, end) of each fenced code block and code span, in order."""
    spans: list[tuple[int, int]] = []
    prose = 0
    while opening := _FENCE.search(markdown, prose):
        fence = opening.group(1)
        closing = re.compile(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$", re.M)
        line_end = markdown.find("\n", opening.end())
        found = closing.search(markdown, line_end + 1) if line_end != -1 else None
        end = found.end() if found else len(markdown)
        spans += _code_spans(markdown, prose, opening.start())
        spans.append((opening.start(), end))
        prose = end
    return spans + _code_spans(markdown, prose, len(markdown))


def _code_spans(markdown: str, start: int, end: int) -> list[tuple[int, int]]:
    spans = []
    at = start
    while run := _BACKTICKS.search(markdown, at, end):
        closing = re.compile(rf"(?<!`)`{{{len(run.group())}}}(?!`)").search(
            markdown, run.end(), end
        )
        if closing is None:  # an unmatched run is literal backticks
            at = run.end()
            continue
        spans.append((run.start(), closing.end()))
        at = closing.end()
    return spans


def prose(markdown: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each part of `markdown` outside code."""
    at = 0
    for start, end in code_spans(markdown):
        if start > at:
            yield at, start
        at = end
    if at < len(markdown):
        yield at, len(markdown)


def citations(markdown: str, calls: bool = False) -> list[Citation]:
    """Every `[@Key]` group outside code, and with `calls` every `cite("Key")` too (a page's
    source, before Jinja made the calls into groups), in order."""
    found = []
    for start, end in prose(markdown):
        for match in CITATION.finditer(markdown, start, end):
            found.append(Citation(match.start(), match.end(), tuple(_KEY.findall(match[1]))))
        if calls:
            found += [
                Citation(m.start(), m.end(), (m[1],))
                for m in CITE_CALL.finditer(markdown, start, end)
            ]
    return sorted(found, key=lambda citation: citation.start)


def replace_citations(markdown: str, replace: Callable[[Citation], str]) -> str:
    """`markdown` with each `[@Key]` group outside code replaced by `replace(citation)`."""
    parts = []
    at = 0
    for citation in citations(markdown):
        parts += [markdown[at : citation.start], replace(citation)]
        at = citation.end
    return "".join(parts) + markdown[at:]


def line_and_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1
