"""Pooling (macros/site/pooling.py) against values computed by hand, not by the code under test.

Each expected value below was worked out step by step with a calculator (the steps are written in
the test's docstring, rounded to 6 places; the asserted values carry the unrounded arithmetic).
DerSimonian–Laird, for effects y_i with within-study variances v_i:
    w_i = 1/v_i, W = Σw_i, fixed effect y_FE = Σw_i y_i / W,
    Q = Σw_i (y_i - y_FE)², C = W - Σw_i²/W, tau² = max(0, (Q - (k-1)) / C),
    w*_i = 1/(v_i + tau²), y_RE = Σw*_i y_i / Σw*_i, SE = 1/√Σw*_i, CI = y_RE ± 1.959964 SE,
    I² = max(0, (Q - (k-1)) / Q).
Proportions: y = logit p = ln(e/(n-e)), v = 1/e + 1/(n-e); back with expit(x) = 1/(1+e^-x).
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Callable

import numpy as np
import pytest
from statsmodels.stats.meta_analysis import combine_effects  # type: ignore[import-untyped]

from macros.cards.model import Finding, Location
from macros.site.pooling import (
    Accuracy,
    Diagnostic,
    Mean,
    NotPooled,
    Pooled,
    Proportion,
    accuracy_interval,
    mean_interval,
    pool_means,
    pool_proportions,
    summarise_diagnostic,
    wilson,
    wilson_all,
)

TOL = 1e-6


def pooled(result: Pooled | NotPooled) -> Pooled:
    assert isinstance(result, Pooled), result
    return result


def test_pooled_proportion_worked_by_hand() -> None:
    """10/50, 20/60, 5/40.
    logits: ln(10/40) = -1.386294, ln(20/40) = -0.693147, ln(5/35) = -1.945910
    variances: 1/10+1/40 = 0.125, 1/20+1/40 = 0.075, 1/5+1/35 = 0.228571
    weights: 8, 13.333333, 4.375; W = 25.708333; Σw² = 260.918403
    y_FE = (-11.090355 - 9.241962 - 8.513356) / 25.708333 = -1.122036
    Q = 8(-0.264258)² + 13.333333(0.428889)² + 4.375(-0.823874)² = 5.980881
    C = 25.708333 - 260.918403/25.708333 = 15.559157; tau² = (5.980881 - 2)/15.559157 = 0.255855
    I² = 3.980881/5.980881 = 66.56%
    w* = 1/0.380855, 1/0.330855, 1/0.484426 = 2.625674, 3.022476, 2.064299; Σ = 7.712450
    y_RE = -9.751958/7.712450 = -1.264439; SE = 1/√7.712450 = 0.360084
    CI logit: -1.970190 to -0.558687
    back: expit(-1.264439) = 22.02%, 95% CI 12.24% to 36.39%
    """
    result = pooled(
        pool_proportions(
            [
                Proportion("a", "A", 10, 50),
                Proportion("b", "B", 20, 60),
                Proportion("c", "C", 5, 40),
            ]
        )
    )
    assert result.estimate == pytest.approx(0.2202107641, abs=TOL)
    assert result.low == pytest.approx(0.1223684544, abs=TOL)
    assert result.high == pytest.approx(0.3638513425, abs=TOL)
    assert result.tau2 == pytest.approx(0.2558545261, abs=TOL)
    assert result.i2 == pytest.approx(66.5601093100, abs=1e-4)
    assert result.weights == pytest.approx((0.3404462279, 0.3918957625, 0.2676580095), abs=TOL)
    assert (result.k, result.n) == (3, 150)
    assert "DerSimonian–Laird" in result.method
    assert "logit" in result.method
    assert all(isinstance(v, float) for v in (result.estimate, result.low, result.i2))


def test_zero_events_get_the_continuity_correction() -> None:
    """0/20, 3/25, 8/30: the first study has no event, so 0.5 is added to both its counts.
    logits: ln(0.5/20.5) = -3.713572, ln(3/22) = -1.992430, ln(8/22) = -1.011601
    variances: 1/0.5+1/20.5 = 2.048780, 1/3+1/22 = 0.378788, 1/8+1/22 = 0.170455
    weights: 0.488095, 2.64, 5.866667; W = 8.994762; y_FE = -1.446099
    Q = 4.405050; C = 8.994762 - 41.625615/8.994762 = 4.367000; tau² = 2.405050/4.367 = 0.550733
    I² = 2.405050/4.405050 = 54.60%
    w* = 0.384687, 1.075823, 1.386602; Σ = 2.847113; y_RE = -1.747298; SE = 0.592649
    back: 14.84%, 95% CI 5.17% to 35.76%
    """
    result = pooled(
        pool_proportions(
            [
                Proportion("a", "A", 0, 20),
                Proportion("b", "B", 3, 25),
                Proportion("c", "C", 8, 30),
            ]
        )
    )
    assert result.estimate == pytest.approx(0.1483882992, abs=TOL)
    assert result.low == pytest.approx(0.0517168650, abs=TOL)
    assert result.high == pytest.approx(0.3576158330, abs=TOL)
    assert result.tau2 == pytest.approx(0.5507328501, abs=TOL)
    assert result.i2 == pytest.approx(54.5975689365, abs=1e-4)


def test_tau2_is_truncated_at_zero_when_the_studies_agree() -> None:
    """10/50, 11/50, 12/50: Q = 0.232669 < k - 1 = 2, so DL's tau² = (Q - 2)/C is negative.
    logits -1.386294, -1.265666, -1.152680; variances 0.125, 0.116550, 0.109649
    weights 8, 8.58, 9.12; W = 25.7; y_FE = -1.263121; SE = 1/√25.7 = 0.197257
    tau² = 0 and I² = 0: the result is the fixed effect, 22.04% (16.11% to 29.39%)
    """
    result = pooled(
        pool_proportions(
            [
                Proportion("a", "A", 10, 50),
                Proportion("b", "B", 11, 50),
                Proportion("c", "C", 12, 50),
            ]
        )
    )
    assert (result.tau2, result.i2) == (0.0, 0.0)
    assert result.estimate == pytest.approx(0.2204370987, abs=TOL)
    assert result.low == pytest.approx(0.1611442933, abs=TOL)
    assert result.high == pytest.approx(0.2939028694, abs=TOL)
    assert result.weights == pytest.approx((8 / 25.7, 8.58 / 25.7, 9.12 / 25.7), abs=TOL)


def test_statsmodels_dl_is_not_truncated_which_is_why_pooling_truncates() -> None:
    """If statsmodels starts truncating, the workaround in `_dl` can go."""
    logits = np.log([10 / 40, 11 / 39, 12 / 38])
    variances = np.array([1 / 10 + 1 / 40, 1 / 11 + 1 / 39, 1 / 12 + 1 / 38])
    assert combine_effects(logits, variances, method_re="dl").tau2 < 0


def test_pooled_mean_worked_by_hand() -> None:
    """Means 10, 12, 15; SD 2, 3, 4; n 20, 30, 25.
    variances SD²/n: 4/20 = 0.2, 9/30 = 0.3, 16/25 = 0.64
    weights 5, 3.333333, 1.5625; W = 9.895833; Σw² = 38.552517; C = 9.895833 - 3.895833 = 6
    y_FE = (50 + 40 + 23.4375)/9.895833 = 11.463158
    Q = 1331.5625 - 113.4375²/9.895833 = 31.210526; tau² = (31.210526 - 2)/6 = 4.868421
    I² = 29.210526/31.210526 = 93.59%
    w* = 1/5.068421, 1/5.168421, 1/5.508421 = 0.197300, 0.193483, 0.181540; Σ = 0.572323
    y_RE = 7.017920/0.572323 = 12.262126; SE = 1/√0.572323 = 1.321842
    CI: 12.262126 ∓ 2.590762 = 9.671364 to 14.852887
    """
    result = pooled(
        pool_means(
            [Mean("a", "A", 10, 2, 20), Mean("b", "B", 12, 3, 30), Mean("c", "C", 15, 4, 25)]
        )
    )
    assert result.estimate == pytest.approx(12.2621255203, abs=TOL)
    assert result.low == pytest.approx(9.6713637013, abs=1e-5)
    assert result.high == pytest.approx(14.8528873393, abs=1e-5)
    assert result.tau2 == pytest.approx(4.8684210526, abs=TOL)
    assert result.i2 == pytest.approx(93.5919055649, abs=1e-4)
    assert (result.k, result.n) == (3, 75)


def test_mean_interval() -> None:
    """10 ± 1.959964 × 2/√20 = 10 ± 0.876523."""
    interval = mean_interval(Mean("a", "A", 10, 2, 20))
    assert (interval.low, interval.high) == pytest.approx((9.123477, 10.876523), abs=TOL)


def test_wilson_interval_worked_by_hand() -> None:
    """45 of 50 (sensitivity 90%), z = 1.959964, z² = 3.841459:
    centre = (0.9 + z²/100)/(1 + z²/50) = 0.938415/1.076829 = 0.871460
    half = z/1.076829 × √(0.9×0.1/50 + z²/10000) = 1.820126 × 0.046735 = 0.085063
    CI 78.64% to 95.65%. (Wald would give 81.7% to 98.3%.)"""
    interval = wilson(45, 50)
    assert interval.estimate == 0.9
    assert (interval.low, interval.high) == pytest.approx((0.7863976856, 0.9565242351), abs=TOL)
    assert interval.source == "Wilson 95% CI from counts"


def test_diagnostic_study_from_its_two_by_two_table() -> None:
    """TP 45, FN 5, FP 4, TN 38: sensitivity 45/50 = 90.0% (Wilson 78.64-95.65%),
    specificity 38/42 = 90.48% (Wilson: centre (0.904762 + 0.045732)/1.091463 = 0.870843,
    half 1.795721 × 0.050951 = 0.091494, so 77.93% to 96.23%)."""
    tp, fn, fp, tn = 45, 5, 4, 38
    summary = summarise_diagnostic(
        [Diagnostic("a", "A", Accuracy(tp, tp + fn), Accuracy(tn, tn + fp))]
    )
    (_, sensitivity, specificity), *_ = summary.studies
    assert sensitivity is not None
    assert specificity is not None
    assert sensitivity.estimate == 0.9
    assert specificity.estimate == pytest.approx(38 / 42)
    assert (specificity.low, specificity.high) == pytest.approx(
        (0.7793489419, 0.9623377512), abs=TOL
    )
    assert summary.sensitivity == NotPooled("one study: nothing to pool")


def test_diagnostic_pooling_worked_by_hand() -> None:
    """Sensitivity 45/50 and 20/25 pooled; a third study states only 90% (80-95%).
    logits ln(45/5) = 2.197225, ln(20/5) = 1.386294; variances 1/45+1/5 = 0.222222, 0.25
    weights 4.5, 4; W = 8.5; y_FE = 15.432688/8.5 = 1.815610
    Q = 4.5(0.381615)² + 4(-0.429316)² = 1.392581; C = 8.5 - 36.25/8.5 = 4.235294
    tau² = 0.392581/4.235294 = 0.092693; I² = 28.19%
    w* = 3.175460, 2.918065; Σ = 6.093525; y_RE = 1.808887; SE = 0.405103
    back: 85.92%, 95% CI 73.40% to 93.10%
    """
    summary = summarise_diagnostic(
        [
            Diagnostic("a", "A", Accuracy(45, 50), Accuracy(38, 42)),
            Diagnostic("b", "B", Accuracy(20, 25), None),
            Diagnostic("c", "C", Accuracy(estimate=0.9, low=0.8, high=0.95), None),
        ]
    )
    result = pooled(summary.sensitivity)
    assert result.estimate == pytest.approx(0.8592272531, abs=TOL)
    assert result.low == pytest.approx(0.7339777681, abs=TOL)
    assert result.high == pytest.approx(0.9310463356, abs=TOL)
    assert result.tau2 == pytest.approx(0.0926927967, abs=TOL)
    assert result.i2 == pytest.approx(28.1909048160, abs=1e-4)
    assert (result.k, result.n) == (2, 75)
    assert "univariate" in result.method
    assert "1 of 3" in result.method
    assert summary.specificity == NotPooled("one study: nothing to pool")
    stated = summary.studies[2][1]
    assert stated is not None
    assert (stated.low, stated.high, stated.source) == (0.8, 0.95, "95% CI as stated")


def test_a_stated_ci_is_preferred_to_one_computed_from_counts() -> None:
    both = Accuracy(20, 25, estimate=0.8, low=0.59, high=0.93)
    assert accuracy_interval(both) == accuracy_interval(Accuracy(estimate=0.8, low=0.59, high=0.93))
    assert accuracy_interval(Accuracy(20, 25)).low == pytest.approx(0.6086904963, abs=TOL)
    assert accuracy_interval(Accuracy(estimate=0.7)).low is None


def test_percent_only_studies_are_not_pooled() -> None:
    summary = summarise_diagnostic(
        [
            Diagnostic("a", "A", Accuracy(estimate=0.9, low=0.8, high=0.95), None),
            Diagnostic("b", "B", Accuracy(estimate=0.85), None),
        ]
    )
    assert isinstance(summary.sensitivity, NotPooled)
    assert "counts" in summary.sensitivity.reason
    assert summary.specificity == NotPooled("no studies: nothing to pool")


def test_accuracy_from_a_card_finding() -> None:
    finding = Finding(
        label="sensitivity of synthetic CT",
        value="90% (95% CI 78-96), 45/50",
        metric="sensitivity",
        numerator=45,
        denominator=50,
        percent=90,
        ci_low=78,
        ci_high=96,
        quote="sensitivity was 90%",
        location=Location(line=3),
    )
    assert Accuracy.from_finding(finding) == Accuracy(45, 50, 0.9, 0.78, 0.96)


@pytest.mark.parametrize(
    ("studies", "reason"),
    [
        ([], "no studies: nothing to pool"),
        ([Proportion("a", "A", 3, 10)], "one study: nothing to pool"),
        ([Proportion("a", "A", 1, 1), Proportion("b", "B", 0, 1)], "case reports only: not pooled"),
        (
            [Proportion("a", "A", 3, 10), Proportion("b", "B", 5, 12, denominator_kind="lesions")],
            "the studies' denominators differ in kind (lesions vs patients): not pooled",
        ),
        (
            [Proportion("a", "A", 3, 10), Proportion("a", "A, again", 4, 10)],
            "a study is given more than once: not pooled",
        ),
        (
            [Proportion("a", "A", 3, 10), Proportion("b", "B", 1, 1)],
            "case reports (one participant each) are among the studies: not pooled",
        ),
    ],
)
def test_proportions_not_pooled_say_why_in_words(studies: list[Proportion], reason: str) -> None:
    assert pool_proportions(studies) == NotPooled(reason)


def test_means_not_pooled_say_why_in_words() -> None:
    a = Mean("a", "A", 10, 2, 20, unit="mg")
    assert pool_means([a]) == NotPooled("one study: nothing to pool")
    assert pool_means([a, Mean("b", "B", 12, 3, 30, unit="g")]) == NotPooled(
        "the studies report different units (g vs mg): not pooled"
    )
    assert pool_means([a, Mean("b", "B", 12, 0, 30, unit="mg")]) == NotPooled(
        "a study states a standard deviation of zero: not pooled"
    )


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Proportion("a", "A", 11, 10), "11 events of 10"),
        (lambda: Proportion("a", "A", -1, 10), "-1 events of 10"),
        (lambda: Proportion("a", "A", 0, 0), "0 events of 0"),
        (lambda: Mean("a", "A", 1, -2, 10), "SD -2"),
        (lambda: Mean("a", "A", math.nan, 2, 10), "mean nan"),
        (lambda: Accuracy(), "neither counts nor an estimate"),
        (lambda: Accuracy(events=3), "both events and total"),
        (lambda: Accuracy(estimate=90, low=80, high=95), "not a fraction"),  # a percent
        (lambda: Accuracy(estimate=0.7, low=0.8, high=0.9), "not a fraction with its CI"),
        (lambda: Accuracy(estimate=0.7, low=0.6), "both bounds"),
    ],
)
def test_impossible_inputs_are_refused_when_built(
    build: Callable[[], object], message: str
) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        build()


def test_inputs_and_results_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        Proportion("a", "A", 1, 2).events = 2  # type: ignore[misc]


def test_wilson_of_many_studies_is_wilson_of_each() -> None:
    """The one-call form gives each study's own interval, in order: the same as statsmodels'
    scalar call for each, and Wilson's lower bound is exactly 0 for no events."""
    from statsmodels.stats.proportion import proportion_confint  # type: ignore[import-untyped]

    counts = [(45, 50), (0, 7), (7, 7), (3, 10)]
    together = wilson_all([Proportion(f"s{i}", "", e, n) for i, (e, n) in enumerate(counts)])
    for interval, (events, total) in zip(together, counts, strict=True):
        low, high = proportion_confint(events, total, alpha=0.05, method="wilson")
        assert interval.low == pytest.approx(low)
        assert interval.high == pytest.approx(high)
    assert together[1].low == pytest.approx(0.0)
