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

from .conftest import SEED_TEXTS, pmc_dev_texts

SEED_LINES = [line for text in SEED_TEXTS for line in text.split("\n")]
EVERY_CHARACTER = "".join(map(chr, range(0x110000)))  # surrogates too: `re` takes them


@pytest.fixture(scope="module", params=["repository", "pmc-dev"])
def seed_texts(request: pytest.FixtureRequest) -> list[str]:
    """The repository's seeds, and the shared corpus's real papers."""
    return SEED_TEXTS if request.param == "repository" else pmc_dev_texts()


def _taken(pattern: str) -> set[str]:
    """The characters `pattern` (one character long) takes under IGNORECASE."""
    return set(re.findall(pattern, EVERY_CHARACTER, re.I))


# -- a line in columns, a page number, `Page 2 of 9` --------------------------------------------
COLUMNS_OR_PAGE = re.compile(r"\S\s{3,}\S|^\s*\d{1,4}\s*$|\bPage \d+ of \d+\b", re.I)


@pytest.mark.parametrize("letter", "pdotv")
def test_ignorecase_matches_a_first_letter_only_to_its_two_cases(letter: str) -> None:
    """`_PAGE_OF` and `_WEB_DEBRIS` spell IGNORECASE's first letter as a class of its two cases
    (and keep the flag for the rest)."""
    assert _taken(letter) == {letter.upper(), letter}


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
    first_letters = re.fullmatch(r"\(\?=\[(\w+)\]\)", look)
    assert first_letters is not None, look
    assert _taken(f"[{first_letters[1]}]") == _taken("|".join(first_letters[1]))


def _found(pattern: re.Pattern[str], text: str) -> list[tuple[tuple[int, int], dict[str, Any]]]:
    return [(m.span(), m.groupdict()) for m in pattern.finditer(text)]


def _without(look: str, pattern: re.Pattern[str]) -> re.Pattern[str]:
    return re.compile(pattern.pattern.replace(look, ""), pattern.flags)


def _name(case: tuple[str, re.Pattern[str]]) -> str:
    return case[1].pattern[:40]


@pytest.mark.parametrize("case", LOOKING, ids=_name)
def test_a_pattern_finds_in_every_seed_what_it_found_without_the_look(
    case: tuple[str, re.Pattern[str]], seed_texts: list[str]
) -> None:
    look, pattern = case
    before = _without(look, pattern)
    for text in seed_texts:
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
def test_a_pattern_looked_for_from_its_first_character_finds_what_it_found(
    name: str, seed_texts: list[str]
) -> None:
    found = [_matches(BEFORE[name], text) for text in seed_texts]
    assert [_matches(AFTER[name], text) for text in seed_texts] == found


@pytest.mark.parametrize("name", sorted(BEFORE))
def test_the_repositorys_seeds_hold_what_each_rewritten_pattern_finds(name: str) -> None:
    assert any(BEFORE[name].search(text) for text in SEED_TEXTS)


@pytest.mark.parametrize(
    "text",
    [
        "xthe 45-year-old man", "_the 45-year-old man", "1an elderly woman", "éa young girl",
        "the 45-year-old man", "(Our 7-yr-old boy)", "Xune femme, âgée de 40 ans", "une femme",
        "_Les femmes âgées de 30 ans", "les garçons âgés de 9 ans", "aLes hommes âgés de 5 ans",
        "1DISCUSSION", "_Discussion", "éConclusion", "xCONCLUSIONS", "See Discussion.", "结论",
        "Case 2: A", "xCase 2: A", "aCASE 1 B", "_Patient B. C", "é病例 1 中", "Cas 3 - Une",
    ],
)  # fmt: skip
def test_a_pattern_looked_for_from_its_first_character_takes_the_same_boundaries(
    text: str,
) -> None:
    """A word's start as the patterns saw it (after `_`, a digit, a letter, or none)."""
    assert {name: _matches(AFTER[name], text) for name in BEFORE} == {
        name: _matches(BEFORE[name], text) for name in BEFORE
    }


PIECES = [
    "Case", "CASE", "Cas", "Patient", "PATIENT", "病例", "患者", "Case 2", "CASE 1: ", "Patient B.",
    "A", "An", "a", "This", "the", "Our", "45-year-old", "young", "woman", "man", "patient",
    "Une", "un", "Le", "la", "Les", "les", "garçon", "femme", "femmes âgées de", "trente", " ans",
    "DISCUSSION", "Discussion", "CONCLUSIONS", "Conclusion", "讨论", "结论", "supérieur",
    "View large", "VIEW LARGE", "Télécharger", "TÉLÉCHARGER", "Download slide", "Open in new tab",
    "Download ſlide", "x", "é", "É", "1", "12", "-", ".", " ", "  ", "\n", "\t", "_", "X",
    "a 45-year-old woman", "The 60-year-old patient", "an elderly man", "Our young girl",
    "une femme de 40 ans", "Un homme, âgé de trente ans", "les femmes âgées de 30 ans",
    "Les garçons âgés de 9 an",
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


def test_the_letters_of_every_seed_are_counted_as_one_by_one(seed_texts: list[str]) -> None:
    assert [languages._letters(t) for t in seed_texts] == [_one_by_one(t) for t in seed_texts]


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from(["a", "é", "_", "1", "²", "中", " ", "-"]) | st.characters()))
def test_the_letters_of_any_text_are_counted_as_one_by_one(text: str) -> None:
    assert languages._letters(text) == _one_by_one(text)
