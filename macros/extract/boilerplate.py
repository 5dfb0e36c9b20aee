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

import justext  # type: ignore[import-untyped]  # jusText ships no type information

from ..core.text import CJK

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
    page = "".join(f"<p>{html.escape(lines[number - 1].strip())}</p>" for number in numbers)
    paragraphs = justext.justext(f"<html><body>{page}</body></html>", _STOPLIST)
    if len(paragraphs) != len(numbers):
        return frozenset()  # jusText merged or dropped a line: no safe mapping back to lines
    good = [index for index, paragraph in enumerate(paragraphs) if not paragraph.is_boilerplate]
    if not good:
        return frozenset()
    edges = list(range(good[0])) + list(range(good[-1] + 1, len(paragraphs)))
    return frozenset(numbers[index] for index in edges if paragraphs[index].is_boilerplate)
