"""A saved web page: its navigation, menus, cookie text and metrics (jusText's boilerplate) are
never a title, an author or a finding."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import justext  # type: ignore[import-untyped]
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from justext.utils import normalize_whitespace  # type: ignore[import-untyped]

from macros.core.text import SeedText
from macros.extract.boilerplate import (
    _classified,
    _Line,
    _normalized,
    _parsed,
    _revised,
    boilerplate_lines,
)
from macros.shapes import extract

from .conftest import SPACED

PAGE = """Skip to main content
Menu
Search
Sign in
We use cookies to improve your experience on our site. By continuing to browse you agree to our use of cookies. Accept all cookies
Home > Journals > Rheumatology
Metrics: 1,234 views 56 citations
Share this article

Zoledronic acid for regional migratory osteoporosis: a retrospective cohort of 48 patients

Anna Keller, Marco Bianchi, Liu Wen

Abstract
Regional migratory osteoporosis is a rare, self-limiting disorder of unknown cause. We studied 48 patients treated in our department between 2010 and 2020. Pain resolved within 6 months in 40 of 48 patients (83%) after a single infusion of zoledronic acid. Recurrence occurred in 9 of 48 patients (19%) during a median follow-up of 36 months.

Related articles
Download PDF
"""  # noqa: E501
METRICS_LINE = 7


def test_the_navigation_before_the_title_is_boilerplate_and_the_abstract_is_not() -> None:
    found = boilerplate_lines(PAGE)
    assert set(range(1, 9)) <= found  # navigation, menu, sign-in, cookie banner, metrics, share
    assert 15 not in found  # the abstract
    assert {17, 18} <= found  # the footer's links


def test_the_card_has_the_real_title_and_authors_and_no_finding_from_the_metrics() -> None:
    extraction = extract(SeedText.from_bytes("page.txt", PAGE.encode()))
    assert extraction.title == (
        "Zoledronic acid for regional migratory osteoporosis: a retrospective cohort of 48 patients"
    )
    assert [(name.family, name.given) for name in extraction.authors.names] == [
        ("Keller", "Anna"),
        ("Bianchi", "Marco"),
        ("Wen", "Liu"),
    ]
    body = extraction.body
    assert all(body.line_of(sentence.start) != METRICS_LINE for sentence in body.sentences())
    assert "views" not in body.text
    assert "cookies" not in body.text


# -- the classification without lxml is jusText's own -----------------------------------------
ROOT = Path(__file__).resolve().parent.parent
SEED_LINES = [
    [line for line in path.read_text(encoding="utf-8-sig").split("\n") if line.strip()]
    for path in sorted((ROOT / "seeds").glob("*.txt"))
    + sorted((ROOT / "tests" / "fixtures" / "seeds").glob("*.txt"))
]


def _classes(paragraphs: list[Any]) -> list[tuple[str, str]]:
    return [(paragraph.text, paragraph.class_type) for paragraph in paragraphs]


def _both(lines: list[str]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    fast = _classified([_Line(line) for line in lines])
    return _classes(fast), _classes(_parsed(lines))


@pytest.mark.parametrize("lines", [PAGE.split("\n"), *SEED_LINES])
def test_lines_are_classed_as_lxml_and_justext_class_them(lines: list[str]) -> None:
    lines = [line for line in lines if line.strip()]
    fast, parsed = _both(lines)
    assert fast == parsed


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.text(
            st.characters(exclude_categories=["Cs"], exclude_characters="\0\n"),
            min_size=1,
            max_size=120,
        ).filter(str.strip)
        | st.sampled_from(PAGE.split("\n")).filter(str.strip),
        min_size=1,
        max_size=30,
    )
)
def test_any_lines_are_classed_as_lxml_and_justext_class_them(lines: list[str]) -> None:
    fast, parsed = _both(lines)
    assert fast == parsed


def test_a_text_with_nul_is_parsed_by_lxml() -> None:
    text = PAGE.replace("Menu", "Me\0nu")
    lines = [line for line in text.split("\n") if line.strip()]
    assert len(_parsed(lines)) == len(lines)  # lxml drops the NUL, not the line
    assert boilerplate_lines(text) == boilerplate_lines(PAGE)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["good", "bad", "short", "neargood"]), max_size=40))
def test_the_revision_in_one_pass_is_justexts_own(classes: list[str]) -> None:
    lines = [_Line("line") for _ in classes]
    for line, kind in zip(lines, classes, strict=True):
        line.cf_class, line.heading = kind, False
    justext.core.revise_paragraph_classification(lines)
    assert _revised(classes) == [line.class_type for line in lines]


@settings(max_examples=1000)
@given(st.text(SPACED | st.characters(exclude_categories=["Cs"])))
def test_white_space_is_normalized_as_justext_normalizes_it(text: str) -> None:
    assert _normalized(text) == normalize_whitespace(text)


@pytest.mark.parametrize("lines", SEED_LINES)
def test_seed_lines_are_normalized_as_justext_normalizes_them(lines: list[str]) -> None:
    assert [_normalized(line.strip()) for line in lines] == [
        normalize_whitespace(line.strip()) for line in lines
    ]
