"""The summary of findings, levels of evidence, figures in columns and the review notice, from
hand-made cards: each expected value below is worked out by hand in its comment."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from macros.cards.levels import LEVELS, level_text
from macros.cards.model import Card, Finding
from macros.cards.taxonomy import Outcome, default_taxonomy
from macros.site import render, slots, summary
from macros.site.data import SiteData
from macros.site.pooling import NotPooled, Pooled
from macros.site.study import StudyLinks, study_html

SHA = "0" * 64


def card(ident: str, findings: list[dict[str, Any]], **fields: Any) -> Card:
    data: dict[str, Any] = {
        "id": ident,
        "citekey": ident.capitalize().replace("-", ""),
        "topic": "crmo",
        "source": {
            "file": f"seeds/{ident}.txt",
            "sha256": SHA,
            "format": "unknown",
            "languages": ["en"],
        },
        "title": f"Study {ident}",
        "authors": [{"family": ident.split("-")[0].capitalize()}],
        "year": 2020,
        "design": "retrospective cohort",
        "participants": 20,
        "findings": [
            {"label": "relapse", "value": "v", "quote": "q", "location": {"line": 1}, **f}
            for f in findings
        ],
    }
    data.update(fields)
    return Card.model_validate(data)


RELAPSE = Outcome(id="relapse", label="Relapse", kind="proportion", synonyms={})


def _row(cards: list[Card], outcome: Outcome = RELAPSE) -> summary.Row:
    (found,) = summary.rows(cards, [outcome], "CRMO")
    return found


def _table(rows: list[summary.Row]) -> str:
    """The summary's table as a topic page shows it (study pages at directory URLs)."""
    part = render.summary_table(summary.summary_rows(rows))
    return part.write(lambda study, anchor: f"../../studies/{study}/#{anchor}", {})


def _cell(table: str, column: str) -> str:
    found = re.search(rf'<td data-label="{re.escape(column)}">(.*?)</td>', table)
    assert found, column
    return found.group(1)


def test_two_studies_with_counts_are_pooled_as_worked_by_hand() -> None:
    """2/14 and 1/6. Logits ln(2/12) = -1.79176 and ln(1/5) = -1.60944; variances 1/2 + 1/12
    = 0.58333 and 1/1 + 1/5 = 1.2; weights 1.71429 and 0.83333 (sum 2.54762). Fixed-effect
    logit -4.41278 / 2.54762 = -1.73212; Q = 1.71429 x 0.05964² + 0.83333 x 0.12269² = 0.0186
    < df = 1, so tau² = 0 and I² = 0%. SE = sqrt(1 / 2.54762) = 0.62652; 95% CI on the logit
    scale -1.73212 ± 1.95996 x 0.62652 = (-2.96008, -0.50417). Back-transformed: 15.03% (4.93%
    to 37.66%). Weights 1.71429 / 2.54762 = 67.3% and 32.7%."""
    row = _row(
        [
            card("ann-a", [{"numerator": 2, "denominator": 14, "outcome": "relapse"}]),
            card("bob-b", [{"numerator": 1, "denominator": 6, "outcome": "relapse"}]),
        ]
    )
    pooled = row.pooled
    assert isinstance(pooled, Pooled)
    assert pooled.estimate == pytest.approx(0.1503, abs=5e-4)
    assert pooled.low == pytest.approx(0.0493, abs=5e-4)
    assert pooled.high == pytest.approx(0.3766, abs=5e-4)
    assert pooled.i2 == pytest.approx(0.0)
    assert list(pooled.weights) == pytest.approx([0.673, 0.327], abs=1e-3)
    assert "15% (95% CI 4.9%–38%); I² = 0%; 2 studies" in _cell(_table([row]), "Pooled (95% CI)")
    assert row.plot is not None
    assert "<svg" in row.plot


@pytest.mark.parametrize(
    ("findings_by_study", "words"),
    [
        ([[{"numerator": 2, "denominator": 14}]], "one study: nothing to pool"),
        (  # one study states counts, the other only a percent
            [[{"numerator": 2, "denominator": 14}], [{"percent": 30.0}]],
            "fewer than two studies state counts",
        ),
        (  # one study gives two figures for the outcome: it would count twice
            [[{"numerator": 2, "denominator": 14}, {"numerator": 1, "denominator": 14}]],
            "one study: nothing to pool",
        ),
    ],
)
def test_where_pooling_means_nothing_the_row_says_so_in_words(
    findings_by_study: list[list[dict[str, Any]]], words: str
) -> None:
    cards = [
        card(f"s{i}-x", [{**f, "outcome": "relapse"} for f in findings])
        for i, findings in enumerate(findings_by_study)
    ]
    row = _row(cards)
    assert isinstance(row.pooled, NotPooled)
    assert words in row.pooled.reason
    pooled_cell = _cell(_table([row]), "Pooled (95% CI)")
    assert words in pooled_cell
    assert not re.search(r"\d%", pooled_cell)
    assert row.plot is None  # no forest plot of a single study


def test_case_reports_only_are_not_pooled() -> None:
    reports = [
        card(
            f"r{i}-x",
            [{"numerator": 1, "denominator": 1, "outcome": "relapse"}],
            design="case report",
            participants=1,
        )
        for i in range(2)
    ]
    row = _row(reports)
    assert isinstance(row.pooled, NotPooled)
    assert row.pooled.reason == "case reports only: not pooled"


def test_certainty_is_not_rated_until_editors_rate_it() -> None:
    cards = [card("ann-a", [{"numerator": 2, "denominator": 14, "outcome": "relapse"}])]
    assert _cell(_table([_row(cards)]), "Certainty (GRADE)") == "not rated"
    rated = RELAPSE.model_copy(update={"certainty": "low", "reasons": ["imprecision"]})
    assert _cell(_table([_row(cards, rated)]), "Certainty (GRADE)") == "low (imprecision)"


def test_each_study_figure_links_to_its_quote_and_says_it_is_not_reviewed() -> None:
    cards = [
        card(
            "ann-a",
            [
                {"label": "x", "numerator": 0, "denominator": 3},
                {"numerator": 2, "denominator": 14, "percent": 14.3, "outcome": "relapse"},
            ],
        ),
    ]
    figures = _cell(_table([_row(cards)]), "Each study's figure (links to its quote)")
    link = '<a href="../../studies/ann-a/#finding-2">Ann 2020: 2/14 (14.3%)</a> ⚠ not reviewed'
    assert figures == f'<span class="study-list">{link}</span>'  # search skips the listing
    page = summary.summary_markdown("crmo", [_row(cards)], 1)
    assert "1 finding of these studies is not assigned to an outcome" in page


def test_a_plot_slot_is_filled_only_with_a_plot_of_the_build() -> None:
    slot = slots.PLOT_SLOT.format(id="plot-crmo-relapse")
    page = f"<p>a</p>{slot}<p>b</p>"
    assert slots.fill_plot_slots(page, {"plot-crmo-relapse": "<svg>x</svg>"}) == (
        "<p>a</p><svg>x</svg><p>b</p>"
    )
    assert slots.fill_plot_slots(page, {}) == page  # an unknown slot stays an empty div


@pytest.mark.parametrize(
    ("figures", "estimate", "ci", "p"),
    [
        (
            {
                "metric": "specificity",
                "percent": 96.0,
                "ci_low": 90.0,
                "ci_high": 98.0,
                "p_value": 0.01,
                "p_operator": "=",
            },
            "specificity: 96%",
            "90–98",
            "P = 0.01",
        ),
        (
            {"numerator": 2, "denominator": 14, "percent": 14.3},
            "2/14 (14.3%)",
            "not reported",
            "not reported",
        ),
        (
            {"mean": 40.0, "sd": 10.0, "unit": "years", "p_value": 0.00001, "p_operator": "<"},
            "mean 40 years (SD 10)",
            "not reported",
            "P < 0.00001",
        ),
        (
            {"median": 7.5, "range": [2.0, 30.0], "unit": "months"},
            "median 7.5 months (range 2–30)",
            "not reported",
            "not reported",
        ),
        (
            {
                "metric": "sensitivity",
                "percent": 94.0,
                "comparator": {
                    "label": "T1-weighted MRI",
                    "value": 20.0,
                    "ci_low": 10.0,
                    "ci_high": 35.0,
                },
            },
            "sensitivity: 94% vs 20% (10–35) (T1-weighted MRI)",
            "not reported",
            "not reported",
        ),
    ],
)
def test_figures_are_normalised_into_columns(
    figures: dict[str, Any], estimate: str, ci: str, p: str
) -> None:
    (finding,) = card("ann-a", [figures]).findings
    assert render.figures(finding) == render.Figures(estimate, ci, p)


def _study(made: Card, topic: str | None, bibtex: str, language: Callable[[Finding], str]) -> str:
    return study_html(made, topic, bibtex, language, {}, StudyLinks(None, None)).html


def test_the_study_page_shows_each_figure_once() -> None:
    stated = {
        "metric": "specificity",
        "value": "96% [95%置信区间:90、98],P = . 01",
        "percent": 96.0,
        "ci_low": 90.0,
        "ci_high": 98.0,
        "p_value": 0.01,
    }
    page = _study(card("ann-a", [stated]), "CRMO", "@article{x}", lambda f: "zh")
    findings = page.split('id="findings"', 1)[1].split('id="review"', 1)[0]
    assert findings.count("P = 0.01") == 1
    assert "Estimate <strong>specificity: 96%</strong> · 95% CI 90–98 · P = 0.01" in findings
    assert "P = . 01" not in page  # the raw `value` is the quote's business, not shown again


def test_an_editors_translation_is_shown_beside_the_quote_and_marked() -> None:
    quoted = {"quote": "特异性为96%", "quote_en": "specificity was 96%", "percent": 96.0}
    page = _study(card("ann-a", [quoted]), None, "@article{x}", lambda f: "zh")
    original = page.index('<blockquote lang="zh" class="quote"><p>特异性为96%</p>')
    translation = page.index(
        '<blockquote lang="en" class="quote quote--translation"><p><strong>Editor\'s '
    )
    assert original < translation
    assert "specificity was 96%" in page[translation:]
    machine = _study(card("ann-a", [{"quote": "特异性为96%"}]), None, "", str)
    assert "translation" not in machine  # the machine never makes one


def _notice(statuses: list[str]) -> str:
    reviewed = {"by": "A. Editor", "date": "2026-01-02"}
    cards = [
        card(
            f"s{i}-x",
            [],
            review={"status": s, **(reviewed if s == "reviewed" else {})},
        )
        for i, s in enumerate(statuses)
    ]
    return render.review_notice(cards)


def test_the_review_notice_counts_the_studies_no_editor_has_checked() -> None:
    notice = _notice(["machine", "reviewed", "needs-review"])
    assert notice.startswith('<div class="review-notice review-notice--waiting" markdown>')
    assert "2 of 3 studies are machine-read, not yet reviewed" in notice
    assert "not yet reviewed" not in _notice(["reviewed", "reviewed"])
    assert "All 2 studies have been reviewed" in _notice(["reviewed", "reviewed"])
    assert "This study is machine-read, not yet reviewed" in _notice(["machine"])


@pytest.mark.parametrize(
    ("design", "expected"),
    [
        ("systematic review", "Level 1"),
        ("randomized controlled trial", "Level 2"),
        ("prospective diagnostic accuracy study", "Level 2"),
        ("retrospective cohort", "Level 3"),
        ("case series", "Level 4"),
        ("case report", "Level 5"),
        ("unknown", "not rated"),
        (None, "not rated"),
    ],
)
def test_levels_follow_the_stated_scale(design: Any, expected: str) -> None:
    assert level_text(design) == expected


def test_every_design_but_unknown_has_a_level() -> None:
    from typing import get_args

    from macros.cards.model import Design

    assert set(get_args(Design)) - set(LEVELS) == {"unknown"}


def test_studies_are_ordered_by_level_then_newest_first() -> None:
    cards = [
        card("old-report", [], design="case report", year=2001),
        card("new-series", [], design="case series", year=2024),
        card("trial-old", [], design="randomized controlled trial", year=1999),
        card("undated-series", [], design="case series", year=None),
        card("old-series", [], design="case series", year=2010),
    ]
    data = SiteData(cards, default_taxonomy())
    assert [c.id for c in data.topic_cards("crmo")] == [
        "trial-old",
        "new-series",
        "old-series",
        "undated-series",
        "old-report",
    ]


def test_a_figure_that_cannot_be_plotted_is_shown_not_plotted() -> None:
    """A stated CI that excludes its estimate (a typo `check` reports as E-CI-EXCLUDES-ESTIMATE)
    must not stop the build: the study is listed with its figure, and left out of the plot."""
    detection = Outcome(id="erosions", label="Erosions", kind="diagnostic", synonyms={})
    typo = {"metric": "sensitivity", "percent": 97.0, "ci_low": 91.0, "ci_high": 96.0}
    sound = {"metric": "sensitivity", "percent": 90.0, "ci_low": 80.0, "ci_high": 95.0}
    cards = [
        card("ann-a", [{**typo, "outcome": "erosions"}]),
        card("bob-b", [{**sound, "outcome": "erosions"}]),
    ]
    row = _row(cards, detection)
    assert row.plot is not None
    assert "Bob 2020" in row.plot
    assert "Ann 2020" not in row.plot
    assert '<a href="../../studies/ann-a/#finding-1">Ann 2020: sensitivity: 97%</a>' in _table(
        [row]
    )
