"""Summary-of-findings statistics: per-study intervals and random-effects pooling.

Data in, data out: no pages, no files, no randomness. Every pooled result is DerSimonian–Laird
random effects through statsmodels' `combine_effects(method_re="dl")`, with a normal 95% CI, the
method most readers of a summary of findings know from RevMan and `meta`. Proportions (and
sensitivity, specificity) are pooled on the logit scale and transformed back, so a pooled
proportion and its CI stay between 0 and 1.

statsmodels' DL estimate of tau² is `(Q - df) / C` without the usual truncation at zero: when the
studies agree more than chance predicts (Q < df) it is negative and would give the studies more
than their fixed-effect weight. We truncate it, as DerSimonian and Laird did: tau² = 0, and the
random-effects result is then exactly the fixed-effect one, which statsmodels also computes.

Pooling is refused, with words for the reader (`NotPooled.reason`), when a number would mislead:
- fewer than two studies: nothing to pool;
- case reports only, or any study of fewer than two participants (a case report beside series):
  one patient is an anecdote, not a proportion with a variance;
- studies whose denominators differ in kind (patients vs lesions vs eyes), or means in different
  units: the numbers measure different things;
- the same study given twice (two findings of one card): it would be counted twice;
- a mean with a standard deviation of zero: its variance is zero, its weight infinite;
- diagnostic accuracy: fewer than two studies stating the counts behind a side (a percent with a
  CI has none to pool); the studies stating only a percent are shown, and `method` says so.
Reasons are plain text from fixed phrases and the caller's `denominator_kind` and `unit`, which
may be card text: escape them like any card text.

Proportions are fractions in [0, 1] everywhere here (a card's percent / 100). Inputs that cannot
exist (more events than participants, a negative SD, a CI that does not hold its estimate) raise
`ValueError` when constructed: the caller builds them from checked cards, and a card that fails is
its problem to report, located at the card.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..cards.model import Finding

Z95 = 1.959963984540054  # the standard normal's 97.5th percentile
CONTINUITY = 0.5  # added to events and non-events of a study with 0 or all events
DEFAULT_KIND = "patients"

RANDOM_EFFECTS = "random effects (DerSimonian–Laird), 95% CI"
LOGIT_NOTE = (
    "on the logit scale, transformed back; 0.5 added to both counts of a study with 0 or all events"
)


@dataclass(frozen=True)
class Proportion:
    """One study's events among its participants, e.g. 12 of 40 had sacroiliitis.

    `denominator_kind` names what `total` counts (patients, lesions, eyes): proportions over
    different kinds of denominator are not pooled."""

    study_id: str
    label: str
    events: int
    total: int
    denominator_kind: str = DEFAULT_KIND

    def __post_init__(self) -> None:
        if self.total < 1 or not 0 <= self.events <= self.total:
            raise ValueError(
                f"{self.study_id}: {self.events} events of {self.total} is no proportion"
            )


@dataclass(frozen=True)
class Mean:
    """One study's mean, its standard deviation (of participants, not the SE) and its size."""

    study_id: str
    label: str
    mean: float
    sd: float
    n: int
    unit: str | None = None
    denominator_kind: str = DEFAULT_KIND

    def __post_init__(self) -> None:
        if self.n < 1 or not self.sd >= 0 or not math.isfinite(self.mean):
            raise ValueError(f"{self.study_id}: mean {self.mean}, SD {self.sd}, n {self.n}")


@dataclass(frozen=True)
class Accuracy:
    """A study's sensitivity or specificity as the card states it: counts (true positives of all
    with the condition, or true negatives of all without), a stated estimate with or without its
    CI (fractions), or both. Counts are what pooling needs; a stated CI is what the study
    published, so it is shown in preference to one we compute."""

    events: int | None = None
    total: int | None = None
    estimate: float | None = None
    low: float | None = None
    high: float | None = None

    def __post_init__(self) -> None:
        if (self.events is None) != (self.total is None):
            raise ValueError("counts need both events and total")
        if self.events is not None and self.total is not None:
            Proportion("", "", self.events, self.total)  # the same checks
        elif self.estimate is None:
            raise ValueError("neither counts nor an estimate")
        if (self.low is None) != (self.high is None) or (
            self.low is not None and self.estimate is None
        ):
            raise ValueError("a CI needs both bounds and its estimate")
        stated = [v for v in (self.low, self.estimate, self.high) if v is not None]
        if any(not 0 <= v <= 1 for v in stated) or stated != sorted(stated):
            raise ValueError(f"not a fraction with its CI: {stated}")

    @classmethod
    def from_finding(cls, finding: Finding) -> Accuracy:
        """A card's finding (percent and CI in percent, numerator and denominator)."""

        def fraction(value: float | None) -> float | None:
            return None if value is None else value / 100

        return cls(
            events=finding.numerator if finding.denominator is not None else None,
            total=finding.denominator if finding.numerator is not None else None,
            estimate=fraction(finding.percent),
            low=fraction(finding.ci_low) if finding.ci_high is not None else None,
            high=fraction(finding.ci_high) if finding.ci_low is not None else None,
        )


@dataclass(frozen=True)
class Diagnostic:
    """One study's accuracy of an index test; either side may be unstated (`None`)."""

    study_id: str
    label: str
    sensitivity: Accuracy | None
    specificity: Accuracy | None
    denominator_kind: str = DEFAULT_KIND


@dataclass(frozen=True)
class Interval:
    """An estimate and its 95% CI (`None` when neither stated nor computable); `source` says
    where the CI comes from, for a table's footnote."""

    estimate: float
    low: float | None
    high: float | None
    source: str


@dataclass(frozen=True)
class Pooled:
    """A pooled estimate with its 95% CI, on the natural scale (a fraction for proportions).

    `i2` is a percent (0-100). `tau2` is on the scale the pooling ran on: logit for proportions,
    the unit squared for means. `k` counts the pooled studies and `n` sums their denominators.
    `weights` are their relative random-effects weights, summing to 1, in the order of the studies
    pooled: all of them, input order (for diagnostic accuracy: those stating counts)."""

    estimate: float
    low: float
    high: float
    i2: float
    tau2: float
    k: int
    n: int
    method: str
    weights: tuple[float, ...]


@dataclass(frozen=True)
class NotPooled:
    reason: str


@dataclass(frozen=True)
class DiagnosticSummary:
    """Per-study sensitivity and specificity (input order), each side pooled or not."""

    studies: tuple[tuple[Diagnostic, Interval | None, Interval | None], ...]
    sensitivity: Pooled | NotPooled
    specificity: Pooled | NotPooled


def wilson(events: int, total: int) -> Interval:
    """The Wilson score 95% CI: unlike the Wald interval it stays in [0, 1] and keeps its
    coverage near 0% and 100%, where sensitivities live."""
    return wilson_all([Proportion("", "", events, total)])[0]


def wilson_all(studies: Sequence[Proportion]) -> list[Interval]:
    """`wilson` of each study, in one call: statsmodels takes arrays, and costs milliseconds a
    call (a forest plot of 100 studies: 0.5 s one by one)."""
    from statsmodels.stats.proportion import proportion_confint  # type: ignore[import-untyped]

    events = np.array([s.events for s in studies])
    totals = np.array([s.total for s in studies])
    lows, highs = proportion_confint(events, totals, alpha=0.05, method="wilson")
    return [
        Interval(s.events / s.total, float(low), float(high), "Wilson 95% CI from counts")
        for s, low, high in zip(studies, lows, highs, strict=True)
    ]


def import_statsmodels() -> None:
    """Import now the parts of statsmodels that pooling imports when first used (a second):
    the build's worker does it while the build loads its cards (`background._prepare`)."""
    from statsmodels.stats import meta_analysis, proportion  # type: ignore[import-untyped]  # noqa: F401


def mean_interval(study: Mean) -> Interval:
    """Mean ± 1.96 SD/√n: the normal CI a forest plot of means shows for each study."""
    half = Z95 * study.sd / math.sqrt(study.n)
    return Interval(study.mean, study.mean - half, study.mean + half, "mean ± 1.96 SD/√n")


def accuracy_interval(accuracy: Accuracy) -> Interval:
    """The stated estimate and CI when the study gives them, else Wilson from its counts."""
    if accuracy.estimate is not None and accuracy.low is not None and accuracy.high is not None:
        return Interval(accuracy.estimate, accuracy.low, accuracy.high, "95% CI as stated")
    if accuracy.events is not None and accuracy.total is not None:
        computed = wilson(accuracy.events, accuracy.total)
        if accuracy.estimate is None:
            return computed
        return Interval(accuracy.estimate, computed.low, computed.high, computed.source)
    assert accuracy.estimate is not None  # __post_init__: counts or an estimate
    return Interval(accuracy.estimate, None, None, "no CI stated")


def _refusal(ids: Sequence[str], kinds: Sequence[str], sizes: Sequence[int]) -> NotPooled | None:
    """The reasons common to every kind of pooling, in the order a reader would ask."""
    if not ids:
        return NotPooled("no studies: nothing to pool")
    if len(ids) == 1:
        return NotPooled("one study: nothing to pool")
    if all(size < 2 for size in sizes):
        return NotPooled("case reports only: not pooled")
    if len(set(kinds)) > 1:
        named = " vs ".join(sorted(set(kinds)))
        return NotPooled(f"the studies' denominators differ in kind ({named}): not pooled")
    if len(set(ids)) < len(ids):
        return NotPooled("a study is given more than once: not pooled")
    if any(size < 2 for size in sizes):
        return NotPooled("case reports (one participant each) are among the studies: not pooled")
    return None


def _dl(
    effects: Sequence[float], variances: Sequence[float]
) -> tuple[float, float, float, float, float, tuple[float, ...]]:
    """DerSimonian–Laird on the analysis scale: estimate, low, high, I² (%), tau², weights."""
    # A negative DL tau² (which we then discard) can make statsmodels divide by zero, or take
    # the root of a negative variance in intervals we do not use (HKSJ): quiet.
    # statsmodels takes a second to import: only a build with something to pool pays for it.
    from statsmodels.stats.meta_analysis import combine_effects  # type: ignore[import-untyped]

    with np.errstate(divide="ignore", invalid="ignore"):
        result = combine_effects(
            np.asarray(effects, dtype=float), np.asarray(variances, dtype=float), method_re="dl"
        )
        fixed, random, _, _ = result.conf_int(alpha=0.05, use_t=False)
    if result.tau2 > 0:
        estimate, (low, high), tau2 = result.mean_effect_re, random, float(result.tau2)
        weights = result.weights_rel_re
    else:  # truncated at zero: the random-effects model is the fixed-effect one
        estimate, (low, high), tau2 = result.mean_effect_fe, fixed, 0.0
        weights = result.weights_rel_fe
    if not all(map(math.isfinite, (estimate, low, high))):
        raise ArithmeticError(f"pooling gave no finite estimate: {effects}, {variances}")
    q, df = float(result.q), len(effects) - 1
    i2 = 100 * max(0.0, (q - df) / q) if q > 0 else 0.0
    return float(estimate), float(low), float(high), i2, tau2, tuple(float(w) for w in weights)


def _expit(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def _logit_pool(counts: Sequence[tuple[int, int]], method: str) -> Pooled:
    effects, variances = [], []
    for events, total in counts:
        added = CONTINUITY if events in (0, total) else 0.0
        e, f = events + added, total - events + added
        effects.append(math.log(e / f))
        variances.append(1 / e + 1 / f)
    estimate, low, high, i2, tau2, weights = _dl(effects, variances)
    return Pooled(
        _expit(estimate),
        _expit(low),
        _expit(high),
        i2,
        tau2,
        len(counts),
        sum(total for _, total in counts),
        method,
        weights,
    )


def pool_proportions(studies: Sequence[Proportion]) -> Pooled | NotPooled:
    """Random-effects pooled proportion (DL, logit scale) with I² and tau², or why not."""
    refused = _refusal(
        [s.study_id for s in studies],
        [s.denominator_kind for s in studies],
        [s.total for s in studies],
    )
    if refused:
        return refused
    return _logit_pool([(s.events, s.total) for s in studies], f"{RANDOM_EFFECTS}, {LOGIT_NOTE}")


def pool_means(studies: Sequence[Mean]) -> Pooled | NotPooled:
    """Random-effects pooled mean (DL; each study's variance SD²/n), or why not. Studies in
    different units, or with an SD of zero, are refused."""
    refused = _refusal(
        [s.study_id for s in studies], [s.denominator_kind for s in studies], [s.n for s in studies]
    )
    if refused:
        return refused
    units = {s.unit for s in studies}
    if len(units) > 1:
        named = " vs ".join(sorted(u or "no unit stated" for u in units))
        return NotPooled(f"the studies report different units ({named}): not pooled")
    if any(s.sd == 0 for s in studies):
        return NotPooled("a study states a standard deviation of zero: not pooled")
    estimate, low, high, i2, tau2, weights = _dl(
        [s.mean for s in studies], [s.sd**2 / s.n for s in studies]
    )
    n = sum(s.n for s in studies)
    return Pooled(estimate, low, high, i2, tau2, len(studies), n, RANDOM_EFFECTS, weights)


DIAGNOSTIC_METHOD = (
    "univariate random effects (DerSimonian–Laird) on the logit scale, 95% CI: sensitivity and"
    " specificity pooled separately, ignoring their correlation (a bivariate model is the"
    " reference method); 0.5 added to both counts of a study with 0 or all events"
)
_COUNTS = {
    "sensitivity": "true positives of all with the condition",
    "specificity": "true negatives of all without it",
}


def summarise_diagnostic(studies: Sequence[Diagnostic]) -> DiagnosticSummary:
    """Each study's sensitivity and specificity with a 95% CI, and each side pooled.

    A side is pooled from the studies that state its counts, when two or more do: a percent with
    a CI carries no counts to pool. Studies that state only a percent are shown, not pooled, and
    `method` says how many."""
    rows = tuple(
        (
            study,
            accuracy_interval(study.sensitivity) if study.sensitivity else None,
            accuracy_interval(study.specificity) if study.specificity else None,
        )
        for study in studies
    )
    sides = {
        side: [(s, a) for s in studies if (a := getattr(s, side)) is not None] for side in _COUNTS
    }
    return DiagnosticSummary(
        rows,
        _pool_side(sides["sensitivity"], "sensitivity"),
        _pool_side(sides["specificity"], "specificity"),
    )


def _pool_side(stated: list[tuple[Diagnostic, Accuracy]], side: str) -> Pooled | NotPooled:
    counted = [
        (s, (a.events, a.total)) for s, a in stated if a.events is not None and a.total is not None
    ]
    if len(stated) >= 2 and len(counted) < 2:
        return NotPooled(
            f"fewer than two studies state the counts behind their {side}"
            f" ({_COUNTS[side]}): not pooled"
        )
    refused = _refusal(
        [s.study_id for s, _ in counted],
        [s.denominator_kind for s, _ in counted],
        [total for _, (_, total) in counted],
    )
    if refused:
        return refused
    method = DIAGNOSTIC_METHOD
    if len(counted) < len(stated):
        method += (
            f"; studies stating no counts ({len(stated) - len(counted)} of {len(stated)})"
            " are shown, not pooled"
        )
    return _logit_pool([c for _, c in counted], method)
