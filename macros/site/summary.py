"""The summary of findings of a topic: one row per outcome, as GRADEpro and MAGICapp show it.

Each row gathers the findings editors (or ingest's suggestion) assigned to the outcome
(`finding.outcome`), shows each study's figure linked to its quote, pools them when pooling means
something (`pooling.py` says when not, in words) and shows the certainty editors set in
`taxonomy/outcomes.yml` ("not rated" until they do: the machine never rates it). Outcomes with
two or more studies, and diagnostic outcomes, get a forest plot (`forest.py`).

Pure: cards and outcomes in, Markdown and SVG out. Card text goes through `render.cell`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..cards.model import Card, Finding
from ..cards.taxonomy import Outcome
from . import render
from .forest import ForestRow, PairedRow, forest_svg, paired_forest_svg
from .pooling import (
    Accuracy,
    Diagnostic,
    Interval,
    Mean,
    NotPooled,
    Pooled,
    Proportion,
    mean_interval,
    pool_means,
    pool_proportions,
    summarise_diagnostic,
    wilson_all,
)
from .slots import PLOT_SLOT

NOT_RATED = "not rated"
_SIDES = ("sensitivity", "specificity")


@dataclass(frozen=True)
class Reported:
    """One finding of one study that reports the outcome (`index` is 1-based, as its anchor)."""

    card: Card
    index: int
    finding: Finding


@dataclass(frozen=True)
class Row:
    """An outcome with the findings that report it, what pooling gave, and its plot."""

    outcome: Outcome
    reported: tuple[Reported, ...]
    pooled: Pooled | NotPooled
    plot: str | None  # an inline SVG, or None when the outcome gets none

    @property
    def studies(self) -> list[Card]:
        seen: dict[str, Card] = {}
        for item in self.reported:
            seen.setdefault(item.card.id, item.card)
        return list(seen.values())


def rows(cards: Sequence[Card], outcomes: Sequence[Outcome], topic_title: str) -> list[Row]:
    """The rows of the outcomes some finding reports, in the order `outcomes.yml` lists them."""
    found = []
    for outcome in outcomes:
        reported = tuple(
            Reported(card, index, finding)
            for card in cards
            for index, finding in enumerate(card.findings, 1)
            if finding.outcome == outcome.id
        )
        if reported:
            pooled, plot = _analysed(outcome, reported, topic_title)
            found.append(Row(outcome, reported, pooled, plot))
    return found


def _analysed(
    outcome: Outcome, reported: tuple[Reported, ...], topic_title: str
) -> tuple[Pooled | NotPooled, str | None]:
    title = f"{outcome.label}: {topic_title}"
    if outcome.kind == "proportion":
        return _proportions(outcome, reported, title)
    if outcome.kind == "mean":
        return _means(outcome, reported, title)
    if outcome.kind == "diagnostic":
        return _diagnostic(outcome, reported, title)
    kind = "times and durations" if outcome.kind == "time" else "these findings"
    return NotPooled(f"{kind} are shown per study, not pooled"), None


def _proportions(
    outcome: Outcome, reported: tuple[Reported, ...], title: str
) -> tuple[Pooled | NotPooled, str | None]:
    counted = [
        (item, Proportion(item.card.id, _name(item), f.numerator, f.denominator))
        for item in reported
        if (f := item.finding).numerator is not None
        and f.denominator is not None
        and f.numerator <= f.denominator  # more events than participants: `check` says so
    ]
    if len({item.card.id for item in reported}) < 2:
        return NotPooled("one study: nothing to pool"), None
    if len({item.card.id for item, _ in counted}) < 2:
        return NotPooled(
            "fewer than two studies state counts (events of a total): not pooled"
        ), None
    pooled = pool_proportions([p for _, p in counted])
    weights = pooled.weights if isinstance(pooled, Pooled) else (None,) * len(counted)
    intervals = wilson_all([p for _, p in counted])
    plot_rows = [
        ForestRow(_name(item), _plot_link(item), *_bounds(interval), weight)
        for (item, _), interval, weight in zip(counted, intervals, weights, strict=True)
    ]
    plot = forest_svg(
        plot_rows,
        pooled,
        title=title,
        desc=_description(outcome, plot_rows, pooled, percent=True),
        x_label="Proportion (95% CI)",
        percent=True,
    )
    return pooled, plot


def _means(
    outcome: Outcome, reported: tuple[Reported, ...], title: str
) -> tuple[Pooled | NotPooled, str | None]:
    stated = []
    for item in reported:
        f, n = item.finding, item.finding.denominator or item.card.participants
        if f.mean is not None and f.sd is not None and f.sd >= 0 and n:
            stated.append((item, Mean(item.card.id, _name(item), f.mean, f.sd, n, f.unit)))
    if len(stated) < 2:
        reason = (
            "one study: nothing to pool"
            if len(reported) < 2
            else ("fewer than two studies state mean, SD and size: not pooled")
        )
        return NotPooled(reason), None
    pooled = pool_means([m for _, m in stated])
    weights = pooled.weights if isinstance(pooled, Pooled) else (None,) * len(stated)
    plot_rows = [
        ForestRow(_name(item), _plot_link(item), *_bounds(mean_interval(mean)), weight)
        for (item, mean), weight in zip(stated, weights, strict=True)
    ]
    unit = stated[0][1].unit
    plot = forest_svg(
        plot_rows,
        pooled,
        title=title,
        desc=_description(outcome, plot_rows, pooled, percent=False),
        x_label=f"Mean{f' ({unit})' if unit else ''} (95% CI)",
        percent=False,
    )
    return pooled, plot


def _diagnostic(
    outcome: Outcome, reported: tuple[Reported, ...], title: str
) -> tuple[Pooled | NotPooled, str | None]:
    by_study: dict[str, dict[str, Reported]] = {}
    for item in reported:
        if item.finding.metric in _SIDES:
            by_study.setdefault(item.card.id, {}).setdefault(item.finding.metric, item)
    studies = []
    links: dict[str, str] = {}
    for sides in by_study.values():
        first = next(iter(sides.values()))
        sensitivity, specificity = (_accuracy(sides.get(side)) for side in _SIDES)
        if sensitivity is None and specificity is None:
            continue  # nothing it states can be plotted; the table lists its figures
        links[first.card.id] = _plot_link(first)
        studies.append(Diagnostic(first.card.id, _name(first), sensitivity, specificity))
    if not studies:
        return NotPooled("no study states sensitivity or specificity: not pooled"), None
    summary = summarise_diagnostic(studies)
    plot_rows = [
        PairedRow(study.label, links[study.study_id], sensitivity, specificity)
        for study, sensitivity, specificity in summary.studies
    ]
    several = len(studies) >= 2  # one study's plot needs no "pooled" row saying so
    plot = paired_forest_svg(
        plot_rows,
        summary.sensitivity if several else None,
        summary.specificity if several else None,
        title=title,
        desc=_paired_description(outcome, plot_rows),
    )
    if not several:
        return NotPooled("one study: nothing to pool"), plot
    return _combined(summary.sensitivity, summary.specificity), plot


def _plot_link(item: Reported) -> str:
    """The finding's URL from its topic page, as the browser resolves it: the plot is filled in
    after MkDocs has rewritten the page's links (directory URLs: `topics/x/` to `studies/y/`)."""
    return f"../../studies/{item.card.id}/#{render.finding_anchor(item.index)}"


def _accuracy(item: Reported | None) -> Accuracy | None:
    if item is None:
        return None
    finding = item.finding
    if finding.percent is None and (finding.numerator is None or finding.denominator is None):
        return None
    try:
        return Accuracy.from_finding(finding)
    except ValueError:  # a CI that does not hold its estimate: `check` reports it; not plotted
        return None


def _combined(sensitivity: Pooled | NotPooled, specificity: Pooled | NotPooled) -> NotPooled:
    """One cell's words for a diagnostic row (the pooled figures are in its table)."""
    parts = []
    for side, result in (("sensitivity", sensitivity), ("specificity", specificity)):
        if isinstance(result, Pooled):
            parts.append(f"pooled {side} {_interval(result.estimate, result.low, result.high)}")
        else:
            parts.append(f"{side}: {result.reason}")
    return NotPooled("; ".join(parts))


def _bounds(interval: Interval) -> tuple[float, float | None, float | None]:
    return interval.estimate, interval.low, interval.high


def _name(item: Reported) -> str:
    return render.short_name(item.card)


def _percent(value: float) -> str:
    return f"{value * 100:.0f}%" if value * 100 >= 10 else f"{value * 100:.1f}%"


def _interval(estimate: float, low: float | None, high: float | None) -> str:
    if low is None or high is None:
        return f"{_percent(estimate)} (no CI stated)"
    return f"{_percent(estimate)} (95% CI {_percent(low)}–{_percent(high)})"


def _description(
    outcome: Outcome, plot_rows: list[ForestRow], pooled: Pooled | NotPooled, percent: bool
) -> str:
    shown = _interval if percent else _plain_interval
    parts = [f"{row.label}: {shown(row.estimate, row.low, row.high)}" for row in plot_rows]
    if isinstance(pooled, Pooled):
        parts.append(f"pooled: {shown(pooled.estimate, pooled.low, pooled.high)}")
    return f"Forest plot of {outcome.label.lower()}, one row per study. " + "; ".join(parts) + "."


def _plain_interval(estimate: float, low: float | None, high: float | None) -> str:
    if low is None or high is None:
        return f"{estimate:.3g}"
    return f"{estimate:.3g} (95% CI {low:.3g}–{high:.3g})"


def _paired_description(outcome: Outcome, plot_rows: list[PairedRow]) -> str:
    parts = []
    for row in plot_rows:
        sides = [
            f"{side} {_interval(*_bounds(bounds)) if bounds else 'not reported'}"
            for side, bounds in (("sensitivity", row.sensitivity), ("specificity", row.specificity))
        ]
        parts.append(f"{row.label}: " + ", ".join(sides))
    return (
        f"Paired forest plot of sensitivity and specificity for {outcome.label.lower()}, one row"
        " per study. " + "; ".join(parts) + "."
    )


def plot_id(topic: str, outcome: Outcome) -> str:
    return f"plot-{topic}-{outcome.id}"


def summary_markdown(topic: str, found: Sequence[Row], unassigned: int) -> str:
    """The summary (inside `#summary-of-findings`): the table's place (`render.SUMMARY_TABLE`,
    where the page's macro puts the slot of `summary_rows`), then the plots, each a slot the
    page hook fills with its SVG once the page's HTML has been checked."""
    parts = ['<div id="summary-of-findings" markdown>']
    if found:
        parts.append(render.SUMMARY_TABLE)
    else:
        parts.append("_No finding of these studies is assigned to an outcome yet._\n")
    if unassigned:
        parts.append(
            f"{unassigned} finding{'s' if unassigned > 1 else ''} of these studies "
            f"{'are' if unassigned > 1 else 'is'} not assigned to an outcome: see the evidence "
            "table below.\n"
        )
    parts.append("</div>\n")
    for row in found:
        if row.plot is not None:
            parts.append(_figure(topic, row))
    return "\n".join(parts)


def summary_rows(found: Sequence[Row]) -> tuple[render.SummaryRow, ...]:
    """The rows of the summary's table, as `render.summary_table` writes them."""
    return tuple(_summary_row(row) for row in found)


def _summary_row(row: Row) -> render.SummaryRow:
    studies = row.studies
    patients = sum(card.participants or 0 for card in studies)
    counted = f"{len(studies)} stud{'y' if len(studies) == 1 else 'ies'}"
    if patients:
        counted += f", {patients} participants"
    figures = tuple(
        render.SummaryFigure(
            item.card.id,
            render.finding_anchor(item.index),
            f"{render.cell(render.short_name(item.card))}: "
            f"{render.cell(render.figures(item.finding).estimate)}",
            item.card.review.status == "reviewed",
        )
        for item in row.reported
    )
    outcome = row.outcome
    if isinstance(row.pooled, Pooled):
        pooled = row.pooled
        shown = _interval(pooled.estimate, pooled.low, pooled.high)
        if outcome.kind == "mean":
            shown = _plain_interval(pooled.estimate, pooled.low, pooled.high)
        pooled_text = f"{shown}; I² = {pooled.i2:.0f}%; {pooled.k} studies, {pooled.method}"
    else:
        pooled_text = row.pooled.reason
    certainty = outcome.certainty or NOT_RATED
    if outcome.reasons:
        certainty += f" ({'; '.join(outcome.reasons)})"
    return render.SummaryRow(
        render.cell(outcome.label),
        render.cell(counted),
        figures,
        render.cell(pooled_text),
        render.cell(certainty),
    )


def _figure(topic: str, row: Row) -> str:
    slot = PLOT_SLOT.format(id=plot_id(topic, row.outcome))
    caption = (
        f"Forest plot: {render.cell(row.outcome.label)}. Each study's name links to its page; "
        "the figures are in the table above."
    )
    return (
        f'<figure class="forest-plot" markdown>\n{slot}\n'
        f"<figcaption>{caption}</figcaption>\n</figure>\n"
    )
