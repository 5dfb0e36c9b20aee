"""Patterns rewritten for speed answer as the patterns they replace: on every line of the seeds
and on generated text made of the pieces they look for."""

from __future__ import annotations

import gc
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from macros.extract import bibliographic, quantities

from .conftest import SEED_FILES

SEED_LINES = [
    line
    for path in SEED_FILES
    for line in path.read_bytes().decode("utf-8-sig", errors="replace").split("\n")
]

# -- a line in columns, a page number, `Page 2 of 9` --------------------------------------------
COLUMNS_OR_PAGE = re.compile(r"\S\s{3,}\S|^\s*\d{1,4}\s*$|\bPage \d+ of \d+\b", re.I)


def test_ignorecase_matches_each_letter_of_page_of_only_to_itself() -> None:
    """`_PAGE_OF` spells IGNORECASE's `p` as `[Pp]` (and keeps the flag for the rest)."""
    matched = [chr(c) for c in range(0x110000) if re.fullmatch("p", chr(c), re.I)]
    assert matched == ["P", "p"]


def test_every_seed_line_is_in_columns_or_a_page_as_the_alternation_says() -> None:
    found = [bool(COLUMNS_OR_PAGE.search(line)) for line in SEED_LINES]
    assert sum(found) > 10  # columns and page numbers are there
    assert [bibliographic._columns_or_page(line) for line in SEED_LINES] == found


PAGE_PIECES = st.sampled_from(
    ["Page", "page", "PAGE", "pAge", "Pag", " of ", " OF ", "of", "12", "3", "12345", "x", "é"]
) | st.sampled_from([" ", "   ", "\t", "\u00a0", "\u2003", "\n", "\n\n", "-", "_", "ſ", "K"])
page_lines = st.lists(PAGE_PIECES | st.characters(), max_size=12).map("".join)


@settings(max_examples=2000, deadline=None)
@given(page_lines)
def test_any_line_is_in_columns_or_a_page_as_the_alternation_says(line: str) -> None:
    assert bibliographic._columns_or_page(line) == bool(COLUMNS_OR_PAGE.search(line))


# -- a number in words, looked at from its first letter ------------------------------------------
def _with_numbers() -> list[re.Pattern[str]]:
    """Every compiled pattern that looks for a count or a size (imported by the readers)."""
    import macros.shapes  # noqa: F401  # every reader's patterns

    return [
        found
        for found in gc.get_objects()
        if isinstance(found, re.Pattern)
        and isinstance(found.pattern, str)
        and quantities._WORD_START in found.pattern
    ]


NUMBER_PATTERNS = _with_numbers()
FIRST_LETTERS = quantities._WORD_START[4:-2]  # `(?=[...])`


def test_the_count_and_size_patterns_are_all_found() -> None:
    assert len({p.pattern for p in NUMBER_PATTERNS}) >= 16


def test_ignorecase_matches_the_first_letters_class_as_it_matches_each_letter() -> None:
    """The class `[cdef...]` under IGNORECASE takes a character (`ſ`, the Kelvin sign...) exactly
    when one of the letters, as an IGNORECASE literal, takes it."""
    letters = re.compile("|".join(FIRST_LETTERS), re.I)
    one_of = re.compile(f"[{FIRST_LETTERS}]", re.I)
    assert [
        point
        for point in range(0x110000)
        if bool(letters.fullmatch(chr(point))) != bool(one_of.fullmatch(chr(point)))
    ] == []


def _found(pattern: re.Pattern[str], text: str) -> list[tuple[tuple[int, int], dict[str, Any]]]:
    return [(m.span(), m.groupdict()) for m in pattern.finditer(text)]


def _without_the_look(pattern: re.Pattern[str]) -> re.Pattern[str]:
    return re.compile(pattern.pattern.replace(quantities._WORD_START, ""), pattern.flags)


SEED_TEXTS = [path.read_bytes().decode("utf-8-sig", errors="replace") for path in SEED_FILES]


@pytest.mark.parametrize("pattern", NUMBER_PATTERNS, ids=lambda p: p.pattern[:40])
def test_a_count_pattern_finds_in_every_seed_what_it_found_without_the_look(
    pattern: re.Pattern[str],
) -> None:
    before = _without_the_look(pattern)
    for text in SEED_TEXTS:
        assert _found(pattern, text) == _found(before, text)


NUMBER_WORDS = sorted({*quantities.WORDS, *quantities.TENS, "hundred", "thousand", "and"})
number_text = st.lists(
    st.sampled_from(NUMBER_WORDS).flatmap(
        lambda w: st.sampled_from([w, w.upper(), w.title(), w.replace("s", "\u017f")])
    )
    | st.sampled_from([" ", "-", ", ", " of ", " patients", " were included", "(", "%", ")"])
    | st.sampled_from(["12", "4,548", "K", "\u212a", "x", "é", "The", "Among the"])
    | st.characters(),
    max_size=10,
).map("".join)


@pytest.mark.parametrize("pattern", NUMBER_PATTERNS, ids=lambda p: p.pattern[:40])
@settings(max_examples=200, deadline=None)
@given(text=number_text)
def test_a_count_pattern_finds_in_any_text_what_it_found_without_the_look(
    pattern: re.Pattern[str], text: str
) -> None:
    assert _found(pattern, text) == _found(_without_the_look(pattern), text)
