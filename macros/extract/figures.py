"""Figure rules: each shape a result figure takes, as a pattern with named groups and a builder
that turns its match into typed fields.

`RULES` lists them in the order the reader tries them, most specific first (a ratio with its CI
before a bare percent): a stretch of a sentence one rule has read is not read by a later one, so
`HR 2.87, 95% CI 1.21–6.80` is one ratio and not three numbers. After the rules, each P value is
given to the figure just before it (`94% vs 86%, P = 0.003`), then `P_RULE` reads the P values no
figure took (`shorter hospital stay (p = 0.04)`) and `QUANTITIES` the measured values left
(`increased to 0.039`). Every rule has gates: text each of its matches holds, so a sentence without
it is not scanned, and a sentence without a digit meets only the rules of counts in words
(`IN_WORDS`): most sentences state no figure.

A builder sees the match and the sentence; labels are written by the reader (`findings`), which
knows the taxonomy, from the `label` style the rule names.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Literal, NamedTuple

from pydantic import ValidationError

from ..cards.model import Comparator, Comparison, Metric
from ..core.needles import Gated
from ..core.problems import Problem
from ..core.text import squash
from .quantities import (
    ARM,
    COEFFICIENT,
    COUNT,
    LEAD,
    NUMBER,
    P_VALUE,
    SEPARATOR,
    SIGNED,
    TIME_UNIT,
    UNIT,
    VS,
    boxed_percent,
    ci,
    ci_excludes,
    count_mismatch,
    decimals,
    finding_note,
    infer_denominator,
    maybe_float,
    number_text,
    p_numbers,
    proper_count,
    to_count,
    to_float,
    unit_name,
)
from .sections import Section

# How the reader labels a figure: by the compared test and metric (`comparison`), by the metric
# and subject named before it (`estimate`), by what was counted (`counted`), by the words after
# it (`around`), by the phrase the rule read (`named`), by the subject of its clause (`before`:
# `The mean cumulative dose at onset was`), or by the outcome named before it (`outcome`).
LabelStyle = Literal["comparison", "estimate", "counted", "around", "named", "before", "outcome"]
# Where a rule applies. Most figures are results wherever the paper states them, but not in its
# methods (`P < 0.05 was considered significant`, `10 mg vs 20 mg`): `not-methods`. A bare
# percent, a duration or a bare decimal is as often background, a plan or a case's laboratory
# value as a result, so it counts only where the paper says results are (`results`). Counts and
# averages also describe the sample in methods (`anywhere`). Nothing is read from a background or
# the back matter.
Scope = Literal["anywhere", "not-methods", "results"]
_SCOPES: dict[Scope, frozenset[Section]] = {
    "anywhere": frozenset({"front", "methods", "results", "cases"}),
    "not-methods": frozenset({"front", "results", "cases"}),
    "results": frozenset({"results"}),
}
# What a measured value is counted in, besides time (`after 12 weeks` is when, not what).
_MEASURE_UNIT = (
    r"(?:mm\s?Hg|points?|kg/m2|kg/m²|kg|g/dl|g/dL|mg/dl|mg/dL|[mµμn]mol/[lL]|ng/m[lL]|pg/m[lL]|"
    r"[IU]?U/[lL]|bpm|beats/min|cm\s?H2O|cm|mm|m[lL]/min|m[lL]|L/min|kcal|°C|[-‐]?fold)(?![\w/])"
)
_HALF = re.compile(r"\bhalf\b|\bla moitié\b|一半", re.I)


@dataclass(frozen=True)
class Sentence:
    """What a builder may read besides its match: the sentence, the part of the paper it is in,
    and the study size (for the denominator of a bare `6 (35.3%)`)."""

    text: str
    section: Section = "front"
    participants: int | None = None


@dataclass(frozen=True)
class Figure:
    """One figure of a sentence as typed fields; start and end are offsets in the sentence."""

    rule: str  # what kind of figure: the name of the rule (or builder) that read it
    start: int
    end: int
    value: str  # the figures as stated, for display
    label: LabelStyle
    metric: Metric | None = None
    named: str = ""  # the outcome as the rule read it (`mean age at presentation`)
    numerator: int | None = None
    denominator: int | None = None
    percent: float | None = None
    mean: float | None = None
    sd: float | None = None
    median: float | None = None
    range: tuple[float, float] | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    p_value: float | None = None
    p_operator: Comparison | None = None
    unit: str | None = None
    comparator: Comparator | None = None
    shares_total: bool = False  # its denominator is a group that bare counts may share
    notes: tuple[Problem, ...] = field(default=())  # each for the finding it becomes
    until: int | None = None  # the end of the P value given to it, if any

    @property
    def last(self) -> int:
        """Where the figure and its P value end."""
        return self.end if self.until is None else self.until

    def overlaps(self, other: Figure) -> bool:
        return self.start < other.last and other.start < self.last

    def numbers(self) -> dict[str, float | int | str]:
        """The stated numbers under the card's field names."""
        return {n: v for n in _NUMBER_FIELDS if (v := getattr(self, n)) is not None}


_NUMBER_FIELDS = (
    "numerator",
    "denominator",
    "percent",
    "mean",
    "sd",
    "median",
    "ci_low",
    "ci_high",
    "p_value",
    "p_operator",
    "unit",
)


Builder = Callable[[re.Match[str], Sentence], "Figure | None"]


@dataclass(frozen=True)
class Rule:
    """A figure pattern (named groups only), what each of its matches holds, and its builder."""

    name: str
    pattern: re.Pattern[str]
    gates: tuple[re.Pattern[str] | Gated, ...]
    build: Builder
    scope: Scope = "anywhere"

    def figures(self, sentence: Sentence) -> list[Figure]:
        if sentence.section not in _SCOPES[self.scope]:
            return []
        for gate in self.gates:
            if not gate.search(sentence.text):
                return []
        built = (self._build(match, sentence) for match in self.pattern.finditer(sentence.text))
        return [figure for figure in built if figure is not None]

    def _build(self, match: re.Match[str], sentence: Sentence) -> Figure | None:
        try:
            return self.build(match, sentence)
        except ValidationError:  # the model refuses it (a 68-digit "mean"): no measurement
            return None


def read_figures(sentence: Sentence) -> list[Figure]:
    """The figures of a sentence: each rule in order on what earlier rules left, then the P
    values given to the figures before them, then the P values and measurements left alone."""
    if not _DIGIT.search(sentence.text):  # most sentences: only counts in words may be there
        return _claim(IN_WORDS, sentence, [])
    taken = _with_p_values(_claim(RULES, sentence, []), sentence.text)
    return sorted(_claim((P_RULE, *QUANTITIES), sentence, taken), key=lambda f: f.start)


_DIGIT = re.compile(r"\d")


def _claim(rules: tuple[Rule, ...], sentence: Sentence, taken: list[Figure]) -> list[Figure]:
    """`taken` and the figures the rules read, in order, where no earlier figure was read."""
    claimed = list(taken)
    for rule in rules:
        for figure in rule.figures(sentence):
            if not any(figure.overlaps(t) for t in claimed):
                claimed.append(figure)
    return claimed


def _with_p_values(figures: list[Figure], text: str) -> list[Figure]:
    """Each figure with the P value that follows it closely (within 40 characters, in the same
    clause, before any other figure), its end moved over the P."""
    starts = sorted(f.start for f in figures)
    dressed = []
    for figure in figures:
        nxt = next((s for s in starts if s >= figure.end), len(text))
        window = min(nxt, figure.end + 40)
        match = P_VALUE.search(text, figure.end, window)
        between = text[figure.end : match.start()] if match else ""
        if match and (not re.search(r"[;；。]", between) or not re.search(r"\w", between)):
            p_value, operator = p_numbers(match)
            value = squash(f"{figure.value}{text[figure.end : match.end()]}")
            figure = replace(
                figure, until=match.end(), value=value, p_value=p_value, p_operator=operator
            )
        dressed.append(figure)
    return dressed


def _stated(match: re.Match[str]) -> tuple[int, int, str]:
    """Start, end and value of a figure that is its whole match, as stated (not the white space
    a pattern may take after it)."""
    stated = match.group(0).rstrip()
    return match.start(), match.start() + len(stated), squash(stated)


def _outside(estimate: float, low: float, high: float, name: str) -> tuple[Problem, ...]:
    if not ci_excludes(estimate, low, high):
        return ()
    return (
        finding_note(
            "W-ARITHMETIC",
            f"the 95% CI {number_text(low)}-{number_text(high)} does not contain the {name} "
            f"{number_text(estimate)}",
        ),
    )


# -- ratios and estimates with intervals ---------------------------------------------------------
_INTERVAL_NAME = (  # `95% CI`, `90% confidence interval (CI)`, `置信区间`
    r"(?:\d{2}(?:[.,]\d)?\s*%\s*)?(?:CI|C\.I\.|IC|置信区间|可信区间|confidence interval)"
    r"(?:\s*[(\[]CI[)\]])?"
)
# An estimate is not the level of the interval after it (the 90 of `90% CI`).
_NOT_A_LEVEL = r"(?!\s*%\s*(?:CI|C\.I\.|IC|confidence|置信|可信))"
RATIO = re.compile(  # `hazard ratio 2.87, 95% CI 1.21–6.80`, `OR of 0.47; CI: 0.38–0.57`
    r"(?P<name>\b(?i:hazard ratio|odds ratio|risk ratio|relative risk|rate ratio)|\ba?HR|\ba?OR|"
    r"\bI?RR)(?:\s+(?:of|for|in|the|[a-z][\w-]*)){0,5}?\s*(?:of|was|is|[=:：])?\s*"
    rf"(?P<estimate>{NUMBER})\s*[,，;；:：]?\s*"
    rf"(?:[(（\[]\s*(?:{_INTERVAL_NAME}\s*[:：,，=]?\s*)?|{_INTERVAL_NAME}\s*[:：,，=]?\s*)"
    rf"(?P<ci_low>{SIGNED})\s*{SEPARATOR}\s*(?P<ci_high>{SIGNED})\s*[)）\]]?"
)


def _ratio(match: re.Match[str], sentence: Sentence) -> Figure:
    """`HR 2.87, 95% CI 1.21–6.80`: CI as keys, the ratio (no key of its own) in the value."""
    estimate, low, high = (to_float(match[g]) for g in ("estimate", "ci_low", "ci_high"))
    notes = _outside(estimate, low, high, "ratio")
    return Figure("ratio", *_stated(match), "around", ci_low=low, ci_high=high, notes=notes)


# `MD = −0.55, 95% CI −2.00–0.90`, `0.076, 95% CI 0.008-0.14`, `6% reduction, 95% CI: −1 to 12%`
ESTIMATE_CI = re.compile(
    rf"{LEAD}(?<![/.\d])(?P<estimate>{SIGNED}){_NOT_A_LEVEL}\s*(?P<percent>%)?(?:\s*[A-Za-z]+){{0,2}}?"
    rf"\s*[,，;；]?\s*[(\[（]?\s*(?:the\s+)?{_INTERVAL_NAME}\s*[:：=,]?\s*"
    rf"(?P<ci_low>{SIGNED})\s*%?\s*{SEPARATOR}\s*(?P<ci_high>{SIGNED})\s*%?"
)
# `(95% CI 1.2–3.4)` after an estimate no rule above reads (`12 per 1000 patient-years`)
CI_ALONE = re.compile(
    rf"{_INTERVAL_NAME}\s*[:：=,]?\s*(?P<ci_low>{SIGNED})\s*%?\s*{SEPARATOR}\s*(?P<ci_high>{SIGNED})"
)


def _ci_alone(match: re.Match[str], sentence: Sentence) -> Figure:
    low, high = to_float(match["ci_low"]), to_float(match["ci_high"])
    return Figure("ci", *_stated(match), "outcome", ci_low=low, ci_high=high)


# `mean difference [95% CI] = 0.01 [-0.12 to 0.14]`, `mean difference 0.49, [-0.18 to 1.16]`
NAMED_DIFFERENCE = re.compile(
    r"\b(?:mean difference|MD|SMD|difference)(?:\s*[\[(][^\[\]()]{0,25}[\])])*\s*"
    rf"(?:=|:|of|was)?\s*(?P<estimate>{SIGNED})\s*(?P<percent>%)?,?\s*[\[(]\s*"
    rf"(?P<ci_low>{SIGNED})\s*%?\s*(?:to|,|[–—-])\s*(?P<ci_high>{SIGNED})\s*%?\s*[\])]"
)


def _estimate_ci(match: re.Match[str], sentence: Sentence) -> Figure:
    """An estimate with its CI; a percent is kept as one, another estimate only in the value."""
    estimate, low, high = (to_float(match[g]) for g in ("estimate", "ci_low", "ci_high"))
    notes = _outside(estimate, low, high, "estimate")
    percent = estimate if match["percent"] else None
    return Figure(
        "estimate-ci",
        *_stated(match),
        "outcome",
        percent=percent,
        ci_low=low,
        ci_high=high,
        notes=notes,
    )


# `[0.012 (-0.016, 0.041), p = 0.372]`: an estimate with an interval it does not name, then P
INTERVAL_P = re.compile(
    rf"{LEAD}(?<![/.\d])(?P<estimate>{SIGNED})\s*[\[(]\s*(?P<low>{SIGNED})\s*(?:to|,|[–—-])\s*"
    rf"(?P<high>{SIGNED})\s*(?:[\])]\s*,?\s*|[,;]\s*)(?=[Pp]\s*[=<>≤≥])"
)
# `9.25 [7.3–13.2]`, `0.039 (0.035–0.068)`: in results, an estimate with its spread
INTERVAL = re.compile(
    rf"{LEAD}(?<![/.\d])(?P<estimate>{SIGNED})\s*(?:{UNIT}\s*)?[\[(]\s*(?P<low>{SIGNED})\s*"
    rf"(?:to|[–—-])\s*(?P<high>{SIGNED})\s*(?:{UNIT}\s*)?[\])]"
)


def _interval(match: re.Match[str], sentence: Sentence) -> Figure:
    """The interval is not named (CI? range? IQR?), so its bounds stay in the value only."""
    start, end, value = _stated(match)
    return Figure("interval", start, end, value.rstrip(",; "), "outcome")


# -- comparisons ---------------------------------------------------------------------------------
PERCENT_COMPARISON = re.compile(
    rf"{LEAD}(?P<percent>{NUMBER})\s*%\s*(?:{ci()})?{ARM}{VS}(?P<other>{NUMBER})\s*%\s*"
    rf"(?:{ci('other_')})?"
)


def _percent_comparison(match: re.Match[str], sentence: Sentence) -> Figure:
    """`94% vs 86%`, each arm with its CI if stated; the reader names the arms."""
    notes: tuple[Problem, ...] = ()
    if match["other_ci_low"] is None and re.match(
        r"\s*[\[(（]\s*95\s*%", sentence.text[match.end() :]
    ):
        notes = (
            finding_note(
                "N-FIGURE-INCOMPLETE", "the comparator's 95% CI is incompletely stated; left empty"
            ),
        )
    return Figure(
        "percent-comparison",
        *_stated(match),
        "comparison",
        percent=to_float(match["percent"]),
        ci_low=maybe_float(match["ci_low"]),
        ci_high=maybe_float(match["ci_high"]),
        comparator=Comparator(
            value=to_float(match["other"]),
            ci_low=maybe_float(match["other_ci_low"]),
            ci_high=maybe_float(match["other_ci_high"]),
        ),
        notes=notes,
    )


PERCENT_CI = re.compile(rf"{LEAD}(?P<percent>{NUMBER})\s*%\s*{ci()}")


def _percent_ci(match: re.Match[str], sentence: Sentence) -> Figure:
    return Figure(
        "percent-ci",
        *_stated(match),
        "estimate",
        percent=to_float(match["percent"]),
        ci_low=to_float(match["ci_low"]),
        ci_high=to_float(match["ci_high"]),
    )


FRACTION_COMPARISON = re.compile(
    rf"(?<![\d./])(?P<numerator>\d+)\s*/\s*(?P<denominator>\d+)\s*(?:{boxed_percent('percent')})?"
    rf"{VS}(?P<other_numerator>\d+)\s*/\s*(?P<other_denominator>\d+)\s*"
    rf"(?:{boxed_percent('other_percent')})?"
)


def _fraction_comparison(match: re.Match[str], sentence: Sentence) -> Figure | None:
    """`13/20 vs 1/7`: the first arm's counts, the second arm's percent if stated."""
    figure = _counts("fraction-comparison", match, sentence)
    if figure is None:
        return None
    return replace(figure, comparator=Comparator(value=maybe_float(match["other_percent"])))


# `from 4.3 to 2.9 ng/ml`, `from 4.2 ± 1.0 to 4.3 ± 0.9`: a change between two times
CHANGE = re.compile(
    rf"\bfrom\s+(?P<first>{SIGNED})\s*(?:±\s*{NUMBER}\s*)?(?:{UNIT}|{_MEASURE_UNIT})?\s*to\s+"
    rf"(?P<second>{SIGNED})\s*(?:±\s*{NUMBER}\s*)?(?P<unit>{UNIT}|{_MEASURE_UNIT})?(?![\w%])"
)


def _change(match: re.Match[str], sentence: Sentence) -> Figure:
    return Figure(
        "change",
        *_stated(match),
        "outcome",
        unit=unit_name(match["unit"]),
        comparator=Comparator(value=to_float(match["second"])),
    )


MEAN_SD_COMPARISON = re.compile(  # `28.6 ± 5.8% vs. 40.5 ± 7.4%`
    rf"{LEAD}(?P<mean>{NUMBER})\s*±\s*(?P<sd>{NUMBER})\s*(?P<unit>%|{UNIT})?{VS}"
    rf"(?P<other>{NUMBER})\s*±\s*{NUMBER}\s*(?:%|{UNIT})?"
)


def _mean_sd_comparison(match: re.Match[str], sentence: Sentence) -> Figure:
    return Figure(
        "mean-sd-comparison",
        *_stated(match),
        "before",
        metric="mean",
        mean=to_float(match["mean"]),
        sd=to_float(match["sd"]),
        unit=unit_name(match["unit"]),
        comparator=Comparator(value=to_float(match["other"])),
    )


# `105.60 [10.14] vs 55.58 [13.11]`, `0.01 (+/-0.03) vs 0.1 (+/-0.2)`: an SD or SE
_SPREAD = rf"(?:\s*[\[(]\s*(?:±|\+/-)?\s*{NUMBER}\s*[\])])?"
_AMOUNT = rf"(?:[$€£]\s?\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|[$€£]\s?{NUMBER}|{SIGNED})"
# `mean 4.1 vs 7.8 months`, `4.2个月 vs 7.5个月`, `7.9 vs 7.2`, `$10,574 vs. $8,534`,
# `17.5 h for butoconazole patients as compared to 22.9 h`, `105.60 [10.14] vs 55.58 [13.11]`
COMPARISON = re.compile(
    rf"(?:\b(?P<cue>(?i:mean|median|moyenne|médiane))\s+|(?P<cue_zh>平均|中位))?"
    rf"{LEAD}(?<![/\d])(?P<first>{_AMOUNT})\s*(?:{UNIT})?{_SPREAD}{ARM}"
    rf"(?:{VS}|\s*,?\s*(?:as\s+)?compared\s+(?:with|to)\s+)"
    rf"(?P<second>{_AMOUNT})\s*(?P<unit>{UNIT})?(?![\w%/±]|[.,]\d|\s*±){_SPREAD}",
)


class _Average(NamedTuple):
    metric: Metric | None
    mean: float | None
    median: float | None


def _average(cue: str, value: float) -> _Average:
    """A figure that its cue (`mean`, `médiane`, `中位`, or none) says is an average, or not."""
    cue = cue.casefold()
    if cue in ("median", "médiane", "中位"):
        return _Average(None, None, value)
    if cue in ("mean", "average", "moyenne", "平均"):
        return _Average("mean", value, None)
    return _Average(None, None, None)


def _amount(text: str) -> float:
    """A number, or a sum of money whose commas group thousands (`$10,574`)."""
    if text[:1] in "$€£":
        return float(text[1:].strip().replace(",", ""))
    return to_float(text)


# `The median time to relief was 17.5 h ...`: the average its clause names before the figures
_AVERAGE_BEFORE = re.compile(r"\b(?P<cue>mean|median|average|moyenne|médiane)\b[^\d,;()]*$", re.I)


def _comparison(match: re.Match[str], sentence: Sentence) -> Figure:
    """Two groups' figures; the first is a mean or a median when the sentence says so."""
    before = _AVERAGE_BEFORE.search(sentence.text, max(0, match.start() - 80), match.start())
    cue = match["cue"] or match["cue_zh"] or (before["cue"] if before else "")
    average = _average(cue, _amount(match["first"]))
    unit = unit_name(match["unit"]) or (match["first"][0] if match["first"][0] in "$€£" else None)
    return Figure(
        "comparison",
        *_stated(match),
        "outcome",
        metric=average.metric,
        mean=average.mean,
        median=average.median,
        unit=unit,
        comparator=Comparator(value=_amount(match["second"])),
    )


# -- averages, ranges, coefficients --------------------------------------------------------------
MEDIAN_RANGE = re.compile(  # `7 months (range 2-30)`, also `10.5 years, range 6–15`
    rf"{LEAD}(?P<median>{NUMBER})\s*(?P<unit>{UNIT})?\s*(?:(?P<open>[(（\[])|[,，;；])\s*"
    rf"(?P<kind>range|IQR|interquartile range|范围|四分位距|extrêmes)\s*[:：]?\s*"
    rf"(?P<low>{NUMBER})\s*(?:[-–~至到]|to|à)\s*(?P<high>{NUMBER})\s*{UNIT}?(?(open)\s*[)）\]])",
    re.I,
)
MEDIAN_CUE = re.compile(r"\bmedian\b|\bmédiane?\b|中位", re.I)


def _median(match: re.Match[str], sentence: Sentence) -> Figure | None:
    """`median delay of 7 months (range 2-26)`; an IQR is no range, so only the median is kept.
    A second median right after (`4 (范围1-12) 降至 … 1 (范围0-6)`) is the comparison."""
    text = sentence.text
    if not MEDIAN_CUE.search(text, 0, match.start()):
        return None
    end = match.end()
    comparator = None
    second = MEDIAN_RANGE.search(text, end, end + 30)
    if second and not re.search(r"[,;，；。]", text[end : second.start()]):
        comparator = Comparator(value=to_float(second["median"]))
        end = second.end()
    is_range = not re.match(r"IQR|interquartile|四分位", match["kind"], re.I)
    return Figure(
        "median-range",
        match.start(),
        end,
        squash(text[match.start() : end]),
        "before",
        median=to_float(match["median"]),
        unit=unit_name(match["unit"]),
        range=(to_float(match["low"]), to_float(match["high"])) if is_range else None,
        comparator=comparator,
    )


MEAN_SD = re.compile(
    rf"{LEAD}(?P<mean>{NUMBER})\s*(?:±|\+/-)\s*(?P<sd>{NUMBER})(?:\s*(?P<unit>{UNIT}))?"
)


_TIME_POINT = re.compile(r"\b(?:day|week|month|visit|hour)s?\s*$", re.I)
_STANDARD_ERROR = re.compile(r"standard error|\bSEM?\b|\bs\.e\.", re.I)


def _mean_sd(match: re.Match[str], sentence: Sentence) -> Figure | None:
    """A mean and its spread; not a window of a schedule (`on day 15 ± 1`). The spread is an SD
    unless the sentence says it is a standard error (`mean ± standard error`): no field for it."""
    before = sentence.text[: match.start()]
    if _TIME_POINT.search(before):
        return None
    standard_error = _STANDARD_ERROR.search(sentence.text) and "SD" not in sentence.text
    return Figure(
        "mean-sd",
        *_stated(match),
        "before",
        metric="mean",
        mean=to_float(match["mean"]),
        sd=None if standard_error else to_float(match["sd"]),
        unit=unit_name(match["unit"]),
    )


# `4.5 (SD 1.2)`, `37 years (SD, 11)`: a mean with its SD in brackets
MEAN_PAREN_SD = re.compile(
    rf"{LEAD}(?P<mean>{NUMBER})\s*(?P<unit>{UNIT})?\s*[(\[]\s*(?:SD|s\.d\.|standard deviation)"
    rf"\s*[:=,]?\s*(?P<sd>{NUMBER})\s*[)\]]"
)


# `r = 0.45`, `rs=−0.90`, `κ = 0.84`, `ICC 0.91 (0.85–0.95)`, `ηp2=.28`, `kappa ranged from 0.6
# to 0.8`: correlation, agreement and effect-size coefficients, with a range when one is given
COEFFICIENT_RULE = re.compile(
    r"(?<![\w-])(?P<name>r\s?s|r|R2|R²|ρ|rho|φ|phi|κ|kappa|ICC|τ|η\s?p?\s?2|η²|ω2|"
    r"(?i:Cohen['’]s\s+d|Spearman['’]s\s+rho|correlation coefficient))"
    r"\s*(?:values?\s*)?(?:=|:|,|of|was|were|ranged from|ranging from|between)\s*"
    rf"(?P<value>{COEFFICIENT})(?![\d/%])"
    rf"(?:\s*(?:to|and|[–—-])\s*(?P<high>{COEFFICIENT})(?![\d/%]))?"
)


def _coefficient(match: re.Match[str], sentence: Sentence) -> Figure:
    value = to_float(match["value"])
    bounds = (value, to_float(match["high"])) if match["high"] else None
    return Figure("coefficient", *_stated(match), "outcome", range=bounds)


# `the mean age at presentation was 11.7 years`, `median pre-treatment time 10.9 seconds`: an
# average stated without its spread
MEAN_STATED = re.compile(
    rf"\b(?P<name>(?i:mean|average|median)\s+(?:[^\W\d_][\w-]*\s+){{1,6}}?)"
    rf"(?:(?P<verb>was|were|is|of)\s+)?(?P<value>{NUMBER})\s*(?P<unit>{UNIT})(?![\w/%])(?!\s*±)"
)


# A period that a question or a plan covers: `average pain over the last 4 weeks`.
_PERIOD = re.compile(r"\b(?:last|past|previous|next|first|over|during|within|for)$", re.I)


def _stated_average(rule: str, match: re.Match[str], sentence: Sentence) -> Figure | None:
    """An average (or a time) with the words that name it (`mean age at presentation`), which may
    say whether it is a mean or a median. Without a verb (`median time 10.9 seconds`) it is read
    in results only, and never as a period (`average pain over the last 4 weeks`)."""
    named = squash(match["name"])
    groups = match.groupdict()
    verbless = "verb" in groups and not groups["verb"]
    if verbless and (sentence.section != "results" or _PERIOD.search(named)):
        return None
    average = _average(groups.get("cue") or named.split()[0], to_float(match["value"]))
    return Figure(
        rule,
        match.start("value"),
        match.end(),
        squash(sentence.text[match.start("value") : match.end()]),
        "named",
        metric=average.metric,
        named=named,
        mean=average.mean,
        median=average.median,
        unit=unit_name(match["unit"]),
    )


def _averaging(rule: str) -> Builder:
    return lambda match, sentence: _stated_average(rule, match, sentence)


# `time to first relief occurred at 17.5 h`, `the duration of symptoms was 14 months`
DURATION = re.compile(
    r"\b(?P<name>(?:[^\W\d_][\w-]*\s+){0,3}?(?i:time|duration|follow-up|delay|interval|onset|"
    r"stay|latency|survival)(?:\s+[^\W\d_][\w-]*){0,6}?)\s+"
    r"(?:was|were|of|lasted|averaged|occurred at|at)\s+(?:(?P<cue>mean|median|average)\s+"
    rf"(?:of\s+)?)?(?P<value>{NUMBER})\s*(?P<unit>{TIME_UNIT})"
)


# -- counts -------------------------------------------------------------------------------------
PERCENT_FRACTION = re.compile(
    rf"{LEAD}(?P<percent>{NUMBER})\s*%\s*[(（]\s*(?P<numerator>\d+)\s*/\s*(?P<denominator>\d+)"
    r"\s*[)）]"
)
FRACTION = re.compile(
    r"(?<![\d./])(?P<numerator>\d+)\s*/\s*(?P<denominator>\d+)(?![\d/])"
    r"(?!\s*(?:mg|kg|g|ml|mL|L|h|d|min|mm|cm|m2|m²)\b)"
    rf"(?:\s*(?:[^\W\d_]+\s+){{0,3}}?{boxed_percent('percent')}|\s*[,，]\s*"
    rf"(?P<percent_after>{NUMBER})\s*%)?"
)
THE = r"(?:(?:the|these|those|les|ces)\s+)?"
_OF_TOTAL = (  # `five of nine cases`; not `one of three groups` (a group is no count of people)
    rf"\b(?P<numerator>{COUNT})\s+(?:out\s+)?(?:of|sur|parmi)\s+{THE}(?P<denominator>{COUNT})"
    r"(?![\d%.])(?!\s+(?:groups|arms|doses|times|visits|sessions|conditions|periods)\b)"
)
OF_TOTAL = re.compile(_OF_TOTAL, re.I)
OF_TOTAL_PERCENT = re.compile(
    rf"{_OF_TOTAL}[^()\[\]（）\d.;]{{0,80}}?{boxed_percent('percent')}", re.I
)
COUNT_PERCENT = re.compile(
    rf"(?<![\d/])(?<!\d[.,])(?P<numerator>{COUNT})\s*(?:(?:[^\W\d_]+\s+){{0,2}}[^\W\d_]+\s*|"
    rf"例|名|位|人)?[(（]\s*(?P<percent>{NUMBER})\s*%\s*[)）]"
)
AMONG = re.compile(
    rf"\b(?:among|of|in)\s+(?:the\s+|these\s+|all\s+)?(?P<denominator>{COUNT})\s+"
    rf"(?:[^\W\d_]+\s+){{0,2}}?[^\W\d_]+,\s*(?P<numerator>{COUNT})\b(?!\s*%)",
    re.I,
)


_ASSIGNED = re.compile(r"\b(?:to|into)\s+(?:[a-z]+\s+)?$")


def _counts(rule: str, match: re.Match[str], sentence: Sentence) -> Figure | None:
    """A count of a group with its total and percent as far as stated: a percent without a total
    takes the nearest earlier number (or the study size) that gives it; a total shared by the
    sentence's bare counts is marked."""
    groups = match.groupdict()
    text = sentence.text
    numerator_text = groups["numerator"]
    denominator_text = groups.get("denominator")
    if not proper_count(numerator_text, denominator_text):
        return None
    percent_text = groups.get("percent") or groups.get("percent_after")
    if rule == "fraction" and sentence.section == "methods" and not percent_text:
        return None  # a criterion or a rate in methods: `20/100 visual acuity`, `1 tablet/day`
    numerator = to_count(numerator_text)
    if numerator == 1 and rule.startswith("of-total") and _ASSIGNED.search(text, 0, match.start()):
        return None  # what each was given: `randomly assigned to receive one of three feedings`
    denominator = to_count(denominator_text) if denominator_text else None
    percent = to_float(percent_text) if percent_text else None
    notes: list[Problem] = []
    if denominator is None and percent is not None and numerator is not None:
        denominator = infer_denominator(
            text[: match.start()],
            numerator,
            (percent, decimals(percent_text or "")),
            sentence.participants,
        )
        if denominator is not None:
            notes.append(
                finding_note(
                    "N-READ-FROM-CONTEXT",
                    f"denominator {denominator} read from the context "
                    f"({numerator}/{denominator} = {100 * numerator / denominator:.1f}%)",
                )
            )
    halves = denominator and numerator is not None and denominator == 2 * numerator
    if percent is None and halves and _HALF.search(text):
        percent = 50.0  # "Half of the patients (3/6)" states the percent in words
    value = f"{numerator}/{denominator}" if denominator else f"{numerator}"
    if percent is not None:
        value += f" ({percent_text or number_text(percent)}%)"
    return Figure(
        rule,
        match.start(),
        match.end(),
        value,
        "counted",
        numerator=numerator,
        denominator=denominator,
        percent=percent,
        shares_total=rule in ("of-total-percent", "of-total", "among") and bool(denominator_text),
        notes=tuple(notes + count_mismatch(numerator, denominator, percent_text)),
    )


def _counting(rule: str) -> Builder:
    return lambda match, sentence: _counts(rule, match, sentence)


# `one had ..., four showed ...`: a count whose total the reader finds in the sentence or paragraph
BARE_COUNT = re.compile(
    rf"(?<![\d.])\b(?P<count>{COUNT})\s+(?:(?:patients?|cases?|subjects?)\s+)?"
    r"(?=(?:had|showed|developed|was|were|demonstrated|presented|remained)\b)",
    re.I,
)


def _bare_count(match: re.Match[str], sentence: Sentence) -> Figure:
    return Figure("bare-count", *_stated(match), "counted", numerator=to_count(match["count"]))


def with_total(figure: Figure, total: int, sentence: Sentence) -> Figure:
    """A bare count with the total the reader found for it."""
    half = total == 2 * (figure.numerator or 0) and _HALF.search(sentence.text)
    return replace(
        figure,
        value=f"{figure.numerator}/{total}",
        denominator=total,
        percent=50.0 if half else None,
        notes=(
            finding_note(
                "N-READ-FROM-CONTEXT", f"denominator {total} read from the group counted nearby"
            ),
        ),
    )


# -- what is left: bare percents and P values ----------------------------------------------------
# `44.4% of patients`, `reduced cortisol exposure (−16%)`; not a threshold (`≥30%`), a CI, the
# strength of a preparation (`2% cream`, `0.5% bupivacaine`), nor a term of a formula or template
# (`<%= 7*7 %>`)
PERCENT = re.compile(
    rf"(?<![\d.,≥≤<>/*×^])(?<![≥≤<>*×^]\s)(?P<sign>[-−+])?(?P<percent>{NUMBER})\s*%(?![>}}])"
    r"(?!\s*(?:CI|C\.I\.|confidence|置信|可信|[wv]/[wv]\b|(?:[A-Z][\w-]*\s+){0,3}(?i:cream|gel|"
    r"ointment|solution|lotion|spray|drops|foam|patch|rinse|mouthwash|varnish|saline|dextrose|"
    r"glucose|lidocaine|lignocaine|bupivacaine|ropivacaine|chlorhexidine|povidone|ethanol|"
    r"alcohol)\b))"
)


def _percent(match: re.Match[str], sentence: Sentence) -> Figure:
    """A signed percent is a change, not a share of a group: it stays in the value only. In
    brackets, a percent belongs to the words before it (`incidence of complications (17%)`)."""
    percent = None if match["sign"] else to_float(match["percent"])
    boxed = sentence.text[max(0, match.start() - 1) : match.start()] in ("(", "（", "[")
    return Figure("percent", *_stated(match), "outcome" if boxed else "around", percent=percent)


# A significance level set in advance is no result (`P < 0.05 was considered significant`).
_SIGNIFICANCE_LEVEL = re.compile(
    r"(?:considered|regarded as|taken as|accepted as|defined as|deemed)\s+(?:to be\s+)?"
    r"(?:statistically\s+)?significan|significance\s+(?:level\s+)?(?:was\s+|is\s+)?(?:set|fixed)|"
    r"level of significance|significance level|[Pp]\s*[<≤]\s*0?\.0[15]\s*(?:为|被认为)|"
    r"considérée?s?\s+comme\s+significati",
    re.I,
)


# `increased to 0.039`, `reduced by 4.25 points`: a measured value with decimals, which in results
# is a figure even where no rule above knows its shape; not a dose, not the bound of a range
_DOSE = r"\s*(?:(?:mg|µg|μg|mcg|g)(?:/(?:kg|day|d|dose))?|ml|mL|IU|units?)(?![\w/])"
# `< 20 ng/mL` defines, the bounds of `[6.8–12.2]` or `0.6 to 0.8` span, `3.2 kg` states
_NOT_A_BOUND = r"(?<![\w.,/·:−+<>≤≥–—-])(?<![<>≤≥–—-]\s)(?<!\d\sto\s)"
QUANTITY = re.compile(
    rf"{_NOT_A_BOUND}(?P<value>\d+[.·]\d+)(?![\d.,·/%]|\s*[±%]|\s*(?:[-–—]|to)\s*[-−]?\d|{_DOSE})"
    rf"(?:\s*(?P<unit>{UNIT}|{_MEASURE_UNIT}))?"
)
# `fell by 12 mmHg`, `improved by 4 points`: a whole number with the unit of a measurement
MEASURED = re.compile(rf"{_NOT_A_BOUND}(?P<value>\d+)\s*(?P<unit>{_MEASURE_UNIT})")


def _quantity(match: re.Match[str], sentence: Sentence) -> Figure:
    return Figure("quantity", *_stated(match), "outcome", unit=unit_name(match["unit"]))


def _p_value(match: re.Match[str], sentence: Sentence) -> Figure | None:
    if _SIGNIFICANCE_LEVEL.search(sentence.text):
        return None
    p_value, operator = p_numbers(match)
    return Figure("p-value", *_stated(match), "outcome", p_value=p_value, p_operator=operator)


def _gate(*required: str) -> tuple[re.Pattern[str] | Gated, ...]:
    """Each text's pattern, behind the literal gate of its words when it has words: an
    IGNORECASE alternation of words (`had|showed|...`) is slow to scan, a sentence's lower-case
    text scanned for the words is not (and is made once for all its gates)."""
    return tuple(_gated(re.compile(text, re.I)) for text in required)


def _gated(pattern: re.Pattern[str]) -> re.Pattern[str] | Gated:
    gated = Gated(pattern)
    return gated if gated.needles and any(map(str.isalpha, "".join(gated.needles))) else pattern


_VERSUS = r"vs|versus|对比|contre"
OF_TOTAL_RULE = Rule("of-total", OF_TOTAL, _gate("of|sur|parmi"), _counting("of-total"))
AMONG_RULE = Rule("among", AMONG, _gate(","), _counting("among"))
# The rules whose figures may be written without a digit (`five of the nine patients`).
IN_WORDS = (OF_TOTAL_RULE, AMONG_RULE)
# In the order the reader tries them: a stretch one rule reads is not read by a later one.
RULES: tuple[Rule, ...] = (
    Rule("ratio", RATIO, _gate(r"ratio|relative risk|(?-i:HR|OR|RR)"), _ratio, "not-methods"),
    Rule("percent-comparison", PERCENT_COMPARISON, _gate("%", _VERSUS), _percent_comparison),
    Rule("percent-ci", PERCENT_CI, _gate("%", "95"), _percent_ci),
    Rule("named-difference", NAMED_DIFFERENCE, _gate("difference|MD"), _estimate_ci, "not-methods"),
    Rule("estimate-ci", ESTIMATE_CI, _gate("CI|confidence|置信|可信"), _estimate_ci, "not-methods"),
    Rule("ci", CI_ALONE, _gate("CI|confidence|置信|可信"), _ci_alone, "not-methods"),
    Rule("fraction-comparison", FRACTION_COMPARISON, _gate("/", _VERSUS), _fraction_comparison),
    Rule(
        "coefficient",
        COEFFICIENT_RULE,
        _gate(r"\b(?:r|rs|R2|rho|phi|kappa|ICC|coefficient|Cohen)\b|[ρφκτηω²]"),
        _coefficient,
        "not-methods",
    ),
    Rule("change", CHANGE, _gate(r"\bfrom\b", r"\bto\b"), _change, "not-methods"),
    Rule("mean-sd-comparison", MEAN_SD_COMPARISON, _gate("±", _VERSUS), _mean_sd_comparison),
    Rule("comparison", COMPARISON, _gate(f"{_VERSUS}|compared"), _comparison, "not-methods"),
    Rule("median-range", MEDIAN_RANGE, _gate("range|IQR|范围|四分位距|extrêmes"), _median),
    Rule("percent-fraction", PERCENT_FRACTION, _gate("%", "/"), _counting("percent-fraction")),
    Rule("fraction", FRACTION, _gate("/"), _counting("fraction")),
    Rule(
        "of-total-percent",
        OF_TOTAL_PERCENT,
        _gate("of|sur|parmi", "%"),
        _counting("of-total-percent"),
    ),
    Rule("count-percent", COUNT_PERCENT, _gate("%"), _counting("count-percent")),
    OF_TOTAL_RULE,
    AMONG_RULE,
    Rule("mean-sd", MEAN_SD, _gate(r"±|\+/-"), _mean_sd),
    Rule("mean-paren-sd", MEAN_PAREN_SD, _gate(r"SD|s\.d\.|standard deviation"), _mean_sd),
    Rule("interval-p", INTERVAL_P, _gate(r"[\[(]", r"\bp\s*[=<>≤≥]"), _interval, "not-methods"),
    Rule("interval", INTERVAL, _gate(r"[\[(]"), _interval, "results"),
    Rule(
        "mean-stated",
        MEAN_STATED,
        _gate("mean|average|median"),
        _averaging("mean-stated"),
    ),
    Rule(
        "duration",
        DURATION,
        _gate("time|duration|follow-up|delay|interval|onset|stay|latency|survival"),
        _averaging("duration"),
        "results",
    ),
    Rule("percent", PERCENT, _gate("%"), _percent, "results"),
)
# After the P values (`P = 0.04` holds a decimal): what is left in results.
QUANTITIES = (
    Rule("quantity", QUANTITY, _gate(r"\d[.·]\d"), _quantity, "results"),
    Rule("measured", MEASURED, _gate(_MEASURE_UNIT), _quantity, "results"),
)
P_RULE = Rule("p-value", P_VALUE, _gate(r"\bp|\(\s*[<≤]"), _p_value, "not-methods")
BARE_COUNT_RULE = Rule(
    "bare-count",
    BARE_COUNT,
    _gate("had|showed|developed|was|were|demonstrated|presented|remained"),
    _bare_count,
)
