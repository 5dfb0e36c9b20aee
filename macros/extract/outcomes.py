"""Which outcome of its topic a finding reports, as a suggestion for the card's editor.

A finding's label names what it measures more closely than its quote, which may name several
things (`clavicular lesions in 5 of 12 and sacral lesions in 3`). So the label decides first, and
the quote only when the label names no outcome and no other finding shares the quote (`14
underwent MRI; of these, 2 had persistent inflammation` must not make the 14 an inflammation).
A text naming two outcomes suggests nothing (`progression to axSpA of those with inflammatory
back pain` is for an editor to place), since a wrong outcome would pool a figure with the wrong
ones; a synonym inside a longer one counts only as the longer one. Only outcomes of a compatible
kind are candidates: a sensitivity is never a `proportion` outcome, a count never a `diagnostic`
one.
"""

from __future__ import annotations

from ..cards.model import DIAGNOSTIC_METRICS, Finding
from ..cards.taxonomy import Matcher, OutcomeKind, Taxonomy


def fits(kind: OutcomeKind, finding: Finding) -> bool:
    """Whether a finding's figures are of the kind an outcome summarises."""
    diagnostic = finding.metric in DIAGNOSTIC_METRICS
    if kind == "diagnostic":
        return diagnostic
    if diagnostic:
        return False
    if kind == "proportion":
        return finding.percent is not None or (
            finding.numerator is not None and finding.denominator is not None
        )
    if kind == "mean":
        return finding.mean is not None
    return True


def suggest_outcome(
    finding: Finding, topic: str, taxonomy: Taxonomy, quote_shared: bool = False
) -> str | None:
    """The id of the outcome the finding reports, or None when none (or more than one) fits."""
    kinds = {o.id: o.kind for o in taxonomy.outcomes.get(topic, ())}
    matchers = [m for m in taxonomy.outcome_matchers.get(topic, []) if fits(kinds[m.name], finding)]
    for text in (finding.label,) if quote_shared else (finding.label, finding.quote):
        named = _named(matchers, text)
        if named:
            return named.pop() if len(named) == 1 else None
    return None


def _named(matchers: list[Matcher], text: str) -> set[str]:
    """The outcomes named in `text`; a synonym inside a longer synonym's match (`sacroiliitis`
    in `chronic sacroiliitis`) does not count on its own."""
    spans = [
        (m.start(), m.end(), matcher.name) for matcher in matchers for m in matcher.finditer(text)
    ]
    return {
        name
        for start, end, name in spans
        if not any(s <= start and end <= e and (e - s) > (end - start) for s, e, _ in spans)
    }


def unmatched(findings: list[Finding]) -> list[str]:
    """The fields of the findings that report no outcome, for the review note."""
    return [f"findings.{i}" for i, f in enumerate(findings, 1) if f.outcome is None]
