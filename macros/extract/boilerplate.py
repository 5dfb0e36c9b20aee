"""Boilerplate of saved web pages: the lines readers skip (navigation, menus, cookie text, metrics).

jusText (https://github.com/miso-belica/jusText) classes each line as a paragraph, by its length
and share of stopwords and by its neighbours. The canonical text never changes (every quote is a
verbatim substring and every line number counts its lines), so this module only names lines: the
jusText-bad lines before the first and after the last paragraph jusText keeps. Lines between them
(headings, bullet lists of results, a short title) are never boilerplate, and a seed in which
jusText keeps nothing has none. Chinese lines are left out of jusText (its stopwords are for
space-separated languages) and are never boilerplate.
"""

from __future__ import annotations

import functools
import html
import re
from typing import Any

import justext  # type: ignore[import-untyped]  # jusText ships no type information
from justext.utils import normalize_whitespace  # type: ignore[import-untyped]

from ..core.text import CJK, single_spaced

# Seeds are English or French, with Chinese parts: one stoplist for both space-separated languages.
_STOPLIST = frozenset(justext.get_stoplist("English") | justext.get_stoplist("French"))
_CJK = re.compile(f"[{CJK}]")


@functools.lru_cache(maxsize=64)
def boilerplate_lines(text: str) -> frozenset[int]:
    """The 1-based numbers of the lines of `text` that are a web page's boilerplate."""
    numbers = [
        number
        for number, line in enumerate(text.split("\n"), start=1)
        if line.strip() and not _CJK.search(line)
    ]
    if not numbers:
        return frozenset()
    lines = text.split("\n")
    paragraphs = (
        _parsed([lines[number - 1] for number in numbers])
        if "\0" in text
        else _classified([_Line(lines[number - 1]) for number in numbers])
    )
    if len(paragraphs) != len(numbers):
        return frozenset()  # jusText merged or dropped a line: no safe mapping back to lines
    good = [index for index, paragraph in enumerate(paragraphs) if not paragraph.is_boilerplate]
    if not good:
        return frozenset()
    edges = list(range(good[0])) + list(range(good[-1] + 1, len(paragraphs)))
    return frozenset(numbers[index] for index in edges if paragraphs[index].is_boilerplate)


def _parsed(lines: list[str]) -> list[Any]:
    """jusText's paragraphs of the lines as a page of `<p>` elements, parsed by lxml."""
    page = "".join(f"<p>{html.escape(line.strip())}</p>" for line in lines)
    return list(justext.justext(f"<html><body>{page}</body></html>", _STOPLIST))


def _classified(paragraphs: list[_Line]) -> list[_Line]:
    """jusText's classification of the paragraphs, as `justext.justext` makes it after parsing."""
    justext.core.classify_paragraphs(paragraphs, _STOPLIST)
    for paragraph, revised in zip(
        paragraphs, _revised([p.cf_class for p in paragraphs]), strict=True
    ):
        paragraph.class_type = revised
    return paragraphs


def _revised(classes: list[str]) -> list[str]:
    """jusText's `revise_paragraph_classification` of paragraphs that are no headings (a line is
    a `<p>`), given their context-free classes. jusText walks from each short paragraph to its
    nearest good or bad one, afresh for each: quadratic in a PDF dump's runs of short lines, and
    half of its time here. The nearest ones, each way, are found here in one pass."""
    good_or_bad = {"good", "bad"}
    before, before_near = (
        _nearest(classes, good_or_bad),
        _nearest(classes, {*good_or_bad, "neargood"}),
    )
    after = _nearest(classes[::-1], good_or_bad)[::-1]
    after_near = _nearest(classes[::-1], {*good_or_bad, "neargood"})[::-1]
    revised = list(classes)
    for index, kind in enumerate(classes):  # short ones, by their neighbours' first classes
        if kind != "short":
            continue
        sides = (before[index], after[index])
        if sides in (("good", "good"), ("bad", "bad")):
            revised[index] = sides[0]
        elif (sides[0] == "bad" and before_near[index] == "neargood") or (
            sides[1] == "bad" and after_near[index] == "neargood"
        ):
            revised[index] = "good"
        else:
            revised[index] = "bad"
    after = _nearest(revised[::-1], good_or_bad)[::-1]
    previous = "bad"
    for index, kind in enumerate(revised):  # then near-good ones, in order, by the new classes
        if kind == "neargood":
            kind = revised[index] = "bad" if (previous, after[index]) == ("bad", "bad") else "good"
        if kind in good_or_bad:
            previous = kind
    return revised


def _nearest(classes: list[str], wanted: set[str]) -> list[str]:
    """For each paragraph, the class of the nearest one before it whose class is `wanted`
    (`bad` at the start, as jusText has it)."""
    found: list[str] = []
    last = "bad"
    for kind in classes:
        found.append(last)
        if kind in wanted:
            last = kind
    return found


class _Line(justext.paragraph.Paragraph):  # type: ignore[misc]  # an untyped base
    """One line as the paragraph lxml and jusText make of `<p>line</p>`, without the parse (a
    third of jusText's time) and with its text worked out once: jusText's `Paragraph.text`
    normalizes its whitespace at each of the ten questions asked of it (another half). lxml
    hands the line's characters through unchanged, all but NUL (`_parsed` reads such a text), so
    the paragraphs are the same; a test compares them."""

    def __init__(self, line: str) -> None:
        self.dom_path = "html.body.p"
        self.xpath = "/html[1]/body[1]/p[1]"
        self.text_nodes = [line]
        self.chars_count_in_links = 0
        self.tags_count = 0
        self.class_type = ""
        self._text: str = _normalized(line.strip())

    @property
    def text(self) -> str:
        return self._text

    def stopwords_density(self, stopwords: frozenset[str]) -> float:
        """jusText's share of stopwords among the words, the text split once, not twice."""
        words = self._text.split()
        if not words:
            return 0
        return sum(map(stopwords.__contains__, map(str.lower, words))) / len(words)


def _normalized(text: str) -> str:
    """jusText's `normalize_whitespace`, which calls back into Python for each run of white
    space; a `single_spaced` text is its own normal form (each run is one space, made one)."""
    return text if single_spaced(text) else normalize_whitespace(text)
