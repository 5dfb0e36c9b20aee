"""A reading view of a seed region: words re-joined, captions and headers dropped, sentences found.

PDF dumps break words at line ends (`isotreti-\\nnoin`) and interleave figure captions with the
prose. Extractors read this view; each character keeps the offset of the canonical character it
came from, so a match maps back to a verbatim quote and a line number of the seed.
"""

from __future__ import annotations

import bisect
import functools
import html
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ..core.needles import Gated
from ..core.text import SeedText

CAPTION = re.compile(r"^\s*(?:Figure|Fig\.|Table|Tableau|图|表)\s*\d+[A-Za-z, ]*[.:：\s]")
# A full stop after these ends no sentence (`et al.`, `Fig.`, `J. Smith`, `p < .05`).
_ABBREVIATION = (
    r"(?:\bet al|\be\.g|\bi\.e|\bFig|\bvs|\bapprox|\bNo|\bDr|\bProf|\bca|\bcf|\bSt|\b[A-Z]|[=<>])"
)
_ABBREVIATION_END = re.compile(rf"{_ABBREVIATION}\Z")
_LONGEST_ABBREVIATION = 6  # `approx`
# A sentence may start with an acronym written in lower case first (`sCT`, `mRNA`).
_NEXT_SENTENCE = r"(?=[\"'(\[]?(?:[A-Z0-9\u00c0-\u017f]|[a-z]{1,3}[A-Z]))"
_CJK_STOPS = "。！？；"
_SENTENCE_END = re.compile(rf"(?<=[.!?])\s+{_NEXT_SENTENCE}|(?<=[{_CJK_STOPS}])|\n\n+")
# The same boundaries in a text without CJK stops, written to start with white space: re then
# skips to each white space, instead of trying the three branches at every character.
_LATIN_SENTENCE_END = re.compile(rf"\s(?:(?<=[.!?]\s)\s*{_NEXT_SENTENCE}|(?<=\n)\n+)")
_HIDDEN = "\x00"  # stands in for commented-out characters; canonical text has no NUL
_TAG = re.compile(r"</?[A-Za-z][^<>]{0,200}>|\x00+")
_ENTITY = re.compile(r"&(?:[A-Za-z]{2,8}|#\d{1,6}|#[xX][0-9A-Fa-f]{1,6});")
_OWN_STUDY = re.compile(
    r"\b(?:our|we|this study|the present study|notre|nos|nous|cette étude)\b|本研究|我们", re.I
)
_BULLET = re.compile(r"^\s*(?:[-•*·]|\d{1,2}[.)])\s+")
# `et al5`: a PDF glues the reference number to the name.
_CITATION = Gated(
    re.compile(r"\[\s*\d+(?:\s*[-–,]\s*\d+)*\s*\]|\bet al(?![a-z])|\bcollaborateurs\b")
)


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Reading:
    seed: SeedText
    text: str
    origin: list[int]  # origin[i] = canonical offset of text[i]

    def quote(self, start: int, end: int) -> tuple[str, int]:
        """The verbatim canonical text behind reading[start:end], and its 1-based line."""
        first, last = self.origin[start], self.origin[max(start, end - 1)]
        return self.seed.text[first : last + 1].strip(), self.seed.line_of(first)

    def line_of(self, offset: int) -> int:
        return self.seed.line_of(self.origin[min(offset, len(self.origin) - 1)])

    def sentences(self) -> tuple[Span, ...]:
        return self._sentences

    def sentences_between(self, start: int, end: int) -> tuple[Span, ...]:
        """The sentences that begin in reading[start:end] (e.g. one paragraph's)."""
        starts = self._sentence_starts
        return self._sentences[bisect.bisect_left(starts, start) : bisect.bisect_left(starts, end)]

    @functools.cached_property
    def _sentences(self) -> tuple[Span, ...]:
        """Computed once: every reader of a seed walks the same sentences."""
        return sentence_spans(self.text)

    @functools.cached_property
    def _sentence_starts(self) -> list[int]:
        return [span.start for span in self._sentences]

    def paragraphs(self) -> Iterator[Span]:
        start = 0
        for boundary in re.finditer(r"\n\n+", self.text):
            yield from _span(self.text, start, boundary.start())
            start = boundary.end()
        yield from _span(self.text, start, len(self.text))


@functools.lru_cache(maxsize=8)  # a seed's reading and its participants' reader split one text
def sentence_spans(text: str) -> tuple[Span, ...]:
    """The one sentence splitter: a sentence ends at `.`, `!` or `?` before white space and a
    capital, a digit or a lower-case acronym (`sCT`), but not after an abbreviation (`et al.`,
    `Fig.`); at a CJK sentence mark; and at a blank line."""
    spans: list[Span] = []
    start = 0
    cjk = any(stop in text for stop in _CJK_STOPS)
    for boundary in (_SENTENCE_END if cjk else _LATIN_SENTENCE_END).finditer(text):
        # Abbreviations are short: looking at the sentence's tail keeps this linear.
        tail = text[max(start, boundary.start() - 16) : boundary.start()]
        if _abbreviated(tail):
            continue
        spans.extend(_span(text, start, boundary.start()))
        start = boundary.end()
    spans.extend(_span(text, start, len(text)))
    return tuple(spans)


def _abbreviated(tail: str) -> bool:
    """Whether `_ABBREVIATION` and `\\s*\\.$` end `tail`, asked only where such a match can
    start: the full stop ends the tail (or comes before its line break), white space may come
    between, and the abbreviation ends where that white space starts (a search from each of the
    tail's characters was a tenth of splitting)."""
    if tail.endswith("."):
        stop = len(tail) - 1
    elif tail.endswith(".\n"):
        stop = len(tail) - 2
    else:
        return False
    end = len(tail[:stop].rstrip())  # str.isspace is `\s`
    return bool(_ABBREVIATION_END.search(tail, max(0, end - _LONGEST_ABBREVIATION), end))


def sentences(text: str) -> list[str]:
    """The sentences of plain text, as `sentence_spans` finds them."""
    return [span.text for span in sentence_spans(text)]


def _span(text: str, start: int, end: int) -> Iterator[Span]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        yield Span(start, end, text[start:end])


def cites_literature(sentence: str) -> bool:
    """A sentence with reference markers ([4, 6], et al.) reports others' results."""
    return bool(_CITATION.search(sentence))


def own_part(sentence: Span) -> Span | None:
    """The study's own part of a sentence: all of it without references; with references, the
    clauses before the cited one when they speak of this study ("In our series, 3 of 4 (75%),
    higher than the 40-60% reported [6]"); None when the sentence reports others' results."""
    citation = _CITATION.search(sentence.text)
    if citation is None:
        return sentence
    cut = max(sentence.text.rfind(c, 0, citation.start()) for c in ",;，；")
    head = sentence.text[: max(cut, 0)]
    if cut <= 0 or not _OWN_STUDY.search(head):
        return None
    return Span(sentence.start, sentence.start + len(head), head)


def build_reading(
    seed: SeedText,
    first_line: int = 1,
    last_line: int | None = None,
    drop: Callable[[str], bool] | None = None,
    skip: frozenset[int] = frozenset(),
) -> Reading:
    """The reading view of lines first_line..last_line (1-based, inclusive)."""
    lines = seed.lines
    last_line = min(last_line or len(lines), len(lines))
    end = seed.line_start(last_line) + len(lines[last_line - 1])
    return build_reading_span(seed, seed.line_start(first_line), end, drop, skip)


def build_reading_span(
    seed: SeedText,
    start: int,
    end: int,
    drop: Callable[[str], bool] | None = None,
    skip: frozenset[int] = frozenset(),
) -> Reading:
    """The reading view of canonical characters start..end, line by line; the lines numbered in
    `skip` (a web page's boilerplate) read as blank lines."""
    chars: list[str] = []
    origin: list[int] = []
    in_caption = False
    hidden = _comments(seed.text, start, end)
    lines = seed.lines  # split once: the property splits the whole text
    for number in range(seed.line_of(start), seed.line_of(max(start, end - 1)) + 1):
        line_start = seed.line_start(number)
        line = lines[number - 1]
        offset = max(start, line_start)
        line = line[offset - line_start : max(0, end - line_start)]
        if hidden:
            line = _hide(line, offset, hidden)
            if line.strip() and not line.replace(_HIDDEN, "").strip():
                continue  # a line inside an HTML comment is no text
        if number in skip or not line.strip():
            in_caption = False
            if not (chars and (chars[-1].islower() or chars[-1] in ",;-")):
                _append_break(chars, origin, offset, "\n\n")  # else: a column break mid-sentence
            continue
        if CAPTION.match(line) or (drop is not None and drop(line)):
            in_caption = bool(CAPTION.match(line))
            continue
        if in_caption and not line[:1].isspace():
            continue  # a PDF starts a new text box (prose again) on an indented line
        in_caption = False
        stripped = line.lstrip()
        offset += len(line) - len(stripped)
        if _BULLET.match(stripped) and chars and chars[-1] not in "-":
            _append_break(chars, origin, offset, "\n\n")  # a list item is a sentence of its own
        stripped = stripped.rstrip()
        if (
            chars
            and chars[-1] == "-"
            and len(chars) > 1
            and chars[-2].isalpha()
            and (stripped[:1].islower())
        ):
            chars.pop()  # a word broken at the line end: join it
            origin.pop()
        elif chars and chars[-1] != "\n":
            chars.append(" ")
            origin.append(origin[-1])
        _append_prose(chars, origin, stripped, offset)
    return Reading(seed, "".join(chars), origin)


def _append_prose(chars: list[str], origin: list[int], line: str, offset: int) -> None:
    """Append a line; HTML tags in it (`</p><p>`) and comments become paragraph breaks, not
    text."""
    position = 0
    for tag in _TAG.finditer(line):
        _append_text(chars, origin, line[position : tag.start()], offset + position)
        _append_break(chars, origin, offset + tag.start(), "\n\n")
        position = tag.end()
    _append_text(chars, origin, line[position:], offset + position)


def _append_text(chars: list[str], origin: list[int], text: str, offset: int) -> None:
    """Text with HTML entities read as their characters (`&ndash;` is a dash to a reader); a
    decoded character keeps the offset of its entity's `&`."""
    position = 0
    for entity in _ENTITY.finditer(text):
        decoded = html.unescape(entity.group(0))
        if decoded == entity.group(0):
            continue
        chars.extend(text[position : entity.start()])
        origin.extend(range(offset + position, offset + entity.start()))
        chars.extend(decoded)
        origin.extend([offset + entity.start()] * len(decoded))
        position = entity.end()
    chars.extend(text[position:])
    origin.extend(range(offset + position, offset + len(text)))


def _comments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Canonical ranges of HTML comments (`<!-- ... -->`): hidden on a web page, so never read
    as the study's text (they stay in the canonical text that quotes point into). An unclosed
    comment hides the rest of its line only."""
    ranges: list[tuple[int, int]] = []
    position = text.find("<!--", start, end)
    while position >= 0:
        close = text.find("-->", position + 4, end)
        if close < 0:
            line_end = text.find("\n", position, end)
            close_end = end if line_end < 0 else line_end
        else:
            close_end = close + 3
        ranges.append((position, close_end))
        position = text.find("<!--", close_end, end)
    return ranges


def _hide(line: str, offset: int, hidden: list[tuple[int, int]]) -> str:
    """The line with its commented-out characters replaced by `_HIDDEN`, positions kept."""
    characters = list(line)
    for first, last in hidden:
        for index in range(max(first, offset) - offset, min(last, offset + len(line)) - offset):
            characters[index] = _HIDDEN
    return "".join(characters)


def _append_break(chars: list[str], origin: list[int], offset: int, brk: str) -> None:
    if chars and chars[-1] != "\n":
        chars.extend(brk)
        origin.extend([offset] * len(brk))
