"""The splitter's fast paths find what its patterns find: the boundaries of a text without CJK
stops, found from its white space, are `_SENTENCE_END`'s; the abbreviation test, asked only where
a match can start, answers as the pattern searched from each character of the tail does."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from macros.extract import reading

from .conftest import SEED_TEXTS

SEARCHED = re.compile(rf"{reading._ABBREVIATION}\s*\.$")  # what each tail was searched with


def test_no_abbreviation_is_longer_than_the_window_searched() -> None:
    widest = re._parser.parse(reading._ABBREVIATION).getwidth()[1]
    assert widest == reading._LONGEST_ABBREVIATION


def test_every_tail_of_the_seeds_is_abbreviated_as_the_search_says() -> None:
    tails = [
        text[max(0, stop - 15) : stop + 1] + after
        for text in SEED_TEXTS
        for stop in (m.start() for m in re.finditer(r"\.", text))
        for after in ("", "\n")
    ]
    assert sum(bool(SEARCHED.search(t)) for t in tails) > 100  # abbreviations are there
    assert [t for t in tails if reading._abbreviated(t) != bool(SEARCHED.search(t))] == []


PIECES = ["et al", "e.g", "i.e", "Fig", "vs", "approx", "No", "Dr", "Prof", "ca", "cf", "St"]
tails = st.lists(
    st.sampled_from([*PIECES, "J", "x", "=", "<", ">", "_", "1", "é", "É", "ſt", " ", "\t"])
    | st.sampled_from(["\u00a0", "\u2003", "\n", ".", ".\n", "\n\n", ". "])
    | st.characters(),
    max_size=8,
).map("".join)


@settings(max_examples=1000, deadline=None)
@given(tails)
def test_any_tail_is_abbreviated_as_the_search_says(tail: str) -> None:
    assert reading._abbreviated(tail) == bool(SEARCHED.search(tail))


def _boundaries(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]


def test_the_boundaries_of_a_text_without_cjk_stops_are_the_patterns() -> None:
    latin = [
        "".join(c for c in text if c not in reading._CJK_STOPS) for text in SEED_TEXTS
    ]  # the Chinese seeds too, without their stops
    assert sum(len(_boundaries(reading._SENTENCE_END, t)) for t in latin) > 500
    for text in latin:
        assert _boundaries(reading._LATIN_SENTENCE_END, text) == _boundaries(
            reading._SENTENCE_END, text
        )


texts = st.lists(
    st.sampled_from([". ", ".\n\n", "\n", "\n\n\n", "! ", "? ", " ", "\t", "\u00a0", "\u2028"])
    | st.sampled_from(["A", "a", "sCT", "mRNA", "É", "é", "1", '"', "(", "[", "'", "x.", "et al"])
    | st.characters(blacklist_characters=reading._CJK_STOPS),
    max_size=30,
).map("".join)


@settings(max_examples=1000, deadline=None)
@given(texts)
def test_the_boundaries_of_any_text_without_cjk_stops_are_the_patterns(text: str) -> None:
    assert _boundaries(reading._LATIN_SENTENCE_END, text) == _boundaries(
        reading._SENTENCE_END, text
    )
