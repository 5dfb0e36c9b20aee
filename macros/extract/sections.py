"""Which part of a paper a stretch of text is in: background, methods, results, or the back matter.

A figure in a background states what others found, in methods what was planned (doses, sample
sizes, the significance level), and in references or funding nothing about the patients; only
results (and the discussion and conclusions that repeat them) state findings. Papers name their
parts in two ways, both read here: a heading on a line of its own (`Results`, `2. Methods`), and a
label that opens a paragraph or sentence of a structured abstract (`RESULTS:`, `Methods:`).
Text before any heading (the abstract of a news article, a case report without headings) is
`front`, where every figure counts, as it did before sections were read. The story of a case
report's patients (`cases`) holds their results, and their doses and laboratory values too.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from .reading import Reading, Span

Section = Literal["front", "background", "methods", "results", "cases", "back"]

_NAMES: dict[Section, str] = {
    "background": (
        r"background|introduction|objectives?|aims?|purpose|context|rationale|"
        r"contexte|objectifs?|背景|目的|引言"
    ),
    "methods": (
        r"methods?|materials? and methods|patients and methods|subjects and methods|methodology|"
        r"study design|design|setting|participants|subjects|interventions?|measurements|"
        r"main outcome measures?|outcome measures|statistical analysis|"
        r"méthodes?|patients et méthodes|方法|对象与方法|资料与方法"
    ),
    "results": (
        r"results?|main results|methods and results|measurements and main results|"
        r"results and discussion|findings|discussion|conclusions?|interpretation|summary|"
        r"abstract|résultats|"
        r"结果|讨论|结论|摘要"
    ),
    "cases": (
        r"case reports?|case presentations?|case descriptions?|case series|cases?|"
        r"présentation des cas|observations?|病例报告|病例资料|临床资料"
    ),
    "back": (
        r"references|bibliography|acknowledge?ments?|funding|competing interests|"
        r"conflicts? of interests?|declaration of interests|authors[’']? contributions|"
        r"abbreviations|trial registration|supplementary material|références|参考文献"
    ),
}
_NAME = "|".join(f"(?P<{kind}>{names})" for kind, names in _NAMES.items())
# A heading line: the name alone (maybe numbered), in title case or capitals.
_HEADING_LINE = re.compile(rf"^[ \t]*(?:\d{{1,2}}\.?[ \t]+)?(?i:{_NAME})[ \t]*[:.]?[ \t]*$", re.M)
# A label opening an abstract's paragraph or sentence: `RESULTS:`, `Methods:`, `结果：`, or run in
# without a colon after a sentence (`... at 12 weeks. Results At the end of 12 weeks, ...`).
# Names are tried only where a label can be: before a colon, and where a sentence starts.
_LABEL = re.compile(rf"(?:^|(?<=[\s.>)]))(?i:{_NAME})\s*$")
_COLON = re.compile(r"[:：]")
_RUN_IN = re.compile(rf"(?i:{_NAME})\s+(?=[A-Z][a-z])")
_SENTENCE_START = re.compile(r"(?=[A-Z])(?:(?<=[.!?]\s)|^)")


@dataclass(frozen=True)
class Sections:
    """Where each part of a reading starts (reading offsets, ascending) and what it is."""

    starts: tuple[int, ...]
    kinds: tuple[Section, ...]

    def at(self, offset: int) -> Section:
        index = bisect.bisect_right(self.starts, offset) - 1
        return self.kinds[index] if index >= 0 else "front"

    def parts(self, sentence: Span) -> Iterator[tuple[Span, Section]]:
        """A sentence in its sections: split where a part starts inside it, as when a label
        follows a sentence left without its period (`... pigmentosa (RP) Methods: In a ...`)."""
        first = bisect.bisect_right(self.starts, sentence.start)
        last = bisect.bisect_left(self.starts, sentence.end)
        cuts = [sentence.start, *self.starts[first:last], sentence.end]
        for start, end in itertools.pairwise(cuts):
            text = sentence.text[start - sentence.start : end - sentence.start]
            stripped = text.strip()
            if stripped:
                offset = start + len(text) - len(text.lstrip())
                yield Span(offset, offset + len(stripped), stripped), self.at(start)


# Cells of a table flattened into prose by a PDF dump: `(34.4)17 (32.1)0.7454 22 (23.9)`.
_GLUED_CELLS = re.compile(r"\)\s?[-−]?\d+(?:[.,·]\d+)?\s?\(")


def flattened_table(sentence: str) -> bool:
    """A table read as one run of text: its figures cannot be told from their row and column
    names, so none is a finding (the table's prose summary is)."""
    return len(_GLUED_CELLS.findall(sentence)) >= 3


def read_sections(reading: Reading) -> Sections:
    """The parts of a reading, from its heading lines and its abstract labels."""
    found: dict[int, Section] = {}
    seed = reading.seed
    if reading.origin:
        first, last = reading.origin[0], reading.origin[-1]
        for match in _HEADING_LINE.finditer(seed.text, first, last + 1):
            kind = _kind(match)
            if kind:
                found[bisect.bisect_left(reading.origin, match.start())] = kind
    text = reading.text
    run_in = (_RUN_IN.match(text, start.start()) for start in _SENTENCE_START.finditer(text))
    labels = (_LABEL.search(text, max(0, c.start() - 60), c.start()) for c in _COLON.finditer(text))
    for label in (*run_in, *labels):  # a label with its colon says more than a run-in word
        kind = _kind(label)
        if label and kind:
            found[label.start()] = kind
    starts = tuple(sorted(found))
    return Sections(starts, tuple(found[s] for s in starts))


def _kind(match: re.Match[str] | None) -> Section | None:
    """The part a heading names, if written as a heading: in title case or capitals (`Results`,
    `RESULTS`), not as a word of a sentence (`results:` in `the following results: ...`)."""
    kind = match.lastgroup if match else None
    for section in _NAMES:
        if section == kind and match and not match[section][:1].islower():
            return section
    return None
