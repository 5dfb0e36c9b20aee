"""Patterns rewritten for speed answer as the patterns they replace: on every line of the seeds
and on generated text made of the pieces they look for."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from macros.extract import bibliographic

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
