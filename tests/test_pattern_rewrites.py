"""Patterns rewritten for speed answer as the patterns they replace: on every line of the seeds
and on generated text made of the pieces they look for."""

from __future__ import annotations

import gc
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from macros.core.text import HAN
from macros.extract import bibliographic, cases, languages, quantities, study
from macros.shapes import translated_web

from .conftest import ROOT, SEED_FILES

SEED_TEXTS = [
    path.read_bytes().decode("utf-8-sig", errors="replace")
    for path in [*SEED_FILES, *sorted((ROOT.parent / "shared" / "corpus").rglob("*.txt"))]
]  # with the shared corpus's seeds (pmc-dev) where it is beside the repository

SEED_LINES = [
    line
    for path in SEED_FILES
    for line in path.read_bytes().decode("utf-8-sig", errors="replace").split("\n")
]

# -- a line in columns, a page number, `Page 2 of 9` --------------------------------------------
COLUMNS_OR_PAGE = re.compile(r"\S\s{3,}\S|^\s*\d{1,4}\s*$|\bPage \d+ of \d+\b", re.I)


@pytest.mark.parametrize("letter", "pdotv")
def test_ignorecase_matches_a_first_letter_only_to_its_two_cases(letter: str) -> None:
    """`_PAGE_OF` and `_WEB_DEBRIS` spell IGNORECASE's first letter as a class of its two cases
    (and keep the flag for the rest)."""
    matched = [chr(c) for c in range(0x110000) if re.fullmatch(letter, chr(c), re.I)]
    assert matched == [letter.upper(), letter]


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


# -- words looked at from their first letter (`needles.initials`) -------------------------------
LOOKS = [quantities._WORD_START, quantities._CELL_START, study._PEOPLE_START]


def _looking() -> list[tuple[str, re.Pattern[str]]]:
    """Every compiled pattern with a look at first letters, and the look (the readers' patterns
    are all imported)."""
    import macros.shapes  # noqa: F401  # every reader's patterns

    return [
        (look, found)
        for found in gc.get_objects()
        if isinstance(found, re.Pattern) and isinstance(found.pattern, str)
        for look in LOOKS
        if look in found.pattern
    ]


LOOKING = _looking()


def test_the_patterns_that_look_at_first_letters_are_all_found() -> None:
    assert {look: len({p.pattern for k, p in LOOKING if k == look}) for look in LOOKS} == {
        quantities._WORD_START: 16,  # counts and sizes
        quantities._CELL_START: 1,  # the cells of a 2 x 2 table
        study._PEOPLE_START: 10,  # who a study counts
    }


@pytest.mark.parametrize("look", LOOKS)
def test_ignorecase_matches_the_first_letters_class_as_it_matches_each_letter(look: str) -> None:
    """The class `[cdef...]` under IGNORECASE takes a character (`ſ`, the Kelvin sign...) exactly
    when one of the letters, as an IGNORECASE literal, takes it."""
    first_letters = look[4:-2]  # `(?=[...])`
    letters = re.compile("|".join(first_letters), re.I)
    one_of = re.compile(f"[{first_letters}]", re.I)
    assert [
        point
        for point in range(0x110000)
        if bool(letters.fullmatch(chr(point))) != bool(one_of.fullmatch(chr(point)))
    ] == []


def _found(pattern: re.Pattern[str], text: str) -> list[tuple[tuple[int, int], dict[str, Any]]]:
    return [(m.span(), m.groupdict()) for m in pattern.finditer(text)]


def _without(look: str, pattern: re.Pattern[str]) -> re.Pattern[str]:
    return re.compile(pattern.pattern.replace(look, ""), pattern.flags)


def _name(case: tuple[str, re.Pattern[str]]) -> str:
    return case[1].pattern[:40]


@pytest.mark.parametrize("case", LOOKING, ids=_name)
def test_a_pattern_finds_in_every_seed_what_it_found_without_the_look(
    case: tuple[str, re.Pattern[str]],
) -> None:
    look, pattern = case
    before = _without(look, pattern)
    for text in SEED_TEXTS:
        assert _found(pattern, text) == _found(before, text)


WORDS = sorted(
    {*quantities.WORDS, *quantities.TENS, "hundred", "thousand", "and"}
    | {*study._PEOPLE_WORDS.split("|"), "true positive", "false negatives", "TP", "FN", "tn"}
)
worded_text = st.lists(
    st.sampled_from(WORDS).flatmap(
        lambda w: st.sampled_from([w, w.upper(), w.title(), w.replace("s", "\u017f"), w[1:]])
    )
    | st.sampled_from([" ", "-", ", ", " of ", " patients", " were included", "(", "%", ")"])
    | st.sampled_from(["12", "4,548", " (n = 45)", " = 3", "K", "\u212a", "x", "é", "Among the"])
    | st.characters(),
    max_size=10,
).map("".join)


@pytest.mark.parametrize("case", LOOKING, ids=_name)
@settings(max_examples=200, deadline=None)
@given(text=worded_text)
def test_a_pattern_finds_in_any_text_what_it_found_without_the_look(
    case: tuple[str, re.Pattern[str]], text: str
) -> None:
    look, pattern = case
    assert _found(pattern, text) == _found(_without(look, pattern), text)


# -- whole-text patterns looked for from their first character -----------------------------------
BEFORE = {  # each pattern as it was written: an assertion first, tried at every character
    "cases._MARKER": re.compile(
        r"(?:^|(?<=[\s.])|(?<=[a-zà-ÿ])(?=CASE|PATIENT|Case|Patient))"
        r"(?:Case|CASE|Cas|Patient|PATIENT|病例|患者)\s*(\d{1,2}|[A-H])\s*[–—:.-]?\s+"
        f"(?=[A-Z\u00c0-\u00dd0-9{HAN}])"
    ),
    "cases._ANCHORS 0": re.compile(
        r"\b(?:[Aa]n?|[Tt]his|[Tt]he|[Oo]ur)\s+(?:(\d{1,3})[- ](?:year|yr)s?[- ]old|"
        r"(?:middle-aged|elderly|young|adolescent|teenage))\s+(?:[a-z]+\s+)??"
        r"(female|male|woman|man|boy|girl|lady|patient)\b"
    ),
    "cases._ANCHORS 1": re.compile(
        r"\b(?:[Uu]ne?|[Ll]e|[Ll]a)\s+(garçon|fille|homme|femme)\b"
        r"(?:,?\s+(?:âgée?\s+)?de\s+(\w+)\s+ans\b)?"
    ),
    "cases._ANCHORS 2": re.compile(
        r"\b[Ll]es\s+(garçon|fille|homme|femme)s\s+âgée?s\s+de\s+(\w+)\s+ans?\b"
    ),
    "cases._END": re.compile(
        r"(?:\b|(?<=[a-zà-ÿ]))(?:DISCUSSION|Discussion|CONCLUSIONS?|Conclusions?)\b|讨论|结论"
    ),
    "translated_web._WEB_DEBRIS": re.compile(
        r"View large|Télécharger|Download slide|Open in new tab", re.I
    ),
}
AFTER = {
    "cases._MARKER": cases._MARKER,
    **{f"cases._ANCHORS {i}": cases._ANCHORS[i] for i in range(3)},
    "cases._END": cases._END,
    "translated_web._WEB_DEBRIS": translated_web._WEB_DEBRIS,
}


def _matches(pattern: re.Pattern[str], text: str) -> list[tuple[tuple[int, int], Any]]:
    return [(m.span(), m.groups()) for m in pattern.finditer(text)]


@pytest.mark.parametrize("name", sorted(BEFORE))
def test_a_pattern_looked_for_from_its_first_character_finds_what_it_found(name: str) -> None:
    found = [_matches(BEFORE[name], text) for text in SEED_TEXTS]
    assert any(found)
    assert [_matches(AFTER[name], text) for text in SEED_TEXTS] == found


PIECES = [
    "Case", "CASE", "Cas", "Patient", "PATIENT", "病例", "患者", "Case 2", "CASE 1: ", "Patient B.",
    "A", "An", "a", "This", "the", "Our", "45-year-old", "young", "woman", "man", "patient",
    "Une", "un", "Le", "la", "Les", "les", "garçon", "femme", "femmes âgées de", "trente", " ans",
    "DISCUSSION", "Discussion", "CONCLUSIONS", "Conclusion", "讨论", "结论", "supérieur",
    "View large", "VIEW LARGE", "Télécharger", "TÉLÉCHARGER", "Download slide", "Open in new tab",
    "Download ſlide", "x", "é", "É", "1", "12", "-", ".", " ", "  ", "\n", "\t",
]  # fmt: skip
whole_texts = st.lists(st.sampled_from(PIECES) | st.characters(), max_size=14).map("".join)


@pytest.mark.parametrize("name", sorted(BEFORE))
@settings(max_examples=500, deadline=None)
@given(text=whole_texts)
def test_a_pattern_looked_for_from_its_first_character_finds_it_in_any_text(
    name: str, text: str
) -> None:
    assert _matches(AFTER[name], text) == _matches(BEFORE[name], text)


# -- letters counted by runs --------------------------------------------------------------------
def _one_by_one(text: str) -> int:
    return len(re.findall(r"[^\W\d_]", text))


def test_the_letters_of_every_seed_are_counted_as_one_by_one() -> None:
    assert [languages._letters(t) for t in SEED_TEXTS] == [_one_by_one(t) for t in SEED_TEXTS]


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from(["a", "é", "_", "1", "²", "中", " ", "-"]) | st.characters()))
def test_the_letters_of_any_text_are_counted_as_one_by_one(text: str) -> None:
    assert languages._letters(text) == _one_by_one(text)
