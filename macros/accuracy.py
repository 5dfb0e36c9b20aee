"""Extraction accuracy: cards against values read by hand, as precision and recall per field.

The expected files (`tests/expected/*.yml`, format in `tests/expected/FORMAT.md`) are written by
people reading the seeds. A field scores a true positive when the card states the expected value,
a false positive when the card states a value that is wrong (or one the source does not state),
and a false negative when the card misses or gets wrong a stated value. Findings and case rows
are matched as wholes; each of their numbers and text fields also scores on its own.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .model import Card, Finding
from .yamlio import load_plain

SCALAR_FIELDS = (
    "title",
    "journal",
    "year",
    "volume",
    "issue",
    "pages",
    "doi",
    "pmid",
    "design",
    "participants",
)
SOURCE_FIELDS = ("format", "languages")
EXACT_CASE_KEYS = ("case", "age", "sex", "hla_b27")
TEXT_CASE_KEYS = (
    "drug",
    "dose",
    "time_to_onset",
    "symptoms",
    "imaging",
    "treatment",
    "outcome",
    "follow_up",
)
THRESHOLD = 0.95


@dataclass
class Score:
    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0

    @property
    def precision(self) -> float:
        stated = self.true_positive + self.false_positive
        return self.true_positive / stated if stated else 1.0

    @property
    def recall(self) -> float:
        expected = self.true_positive + self.false_negative
        return self.true_positive / expected if expected else 1.0

    def add(self, expected: Any, actual: Any, same: bool) -> None:
        if same and expected not in (None, [], ""):
            self.true_positive += 1
            return
        if actual not in (None, [], "") and not same:
            self.false_positive += 1
        if expected not in (None, [], "") and not same:
            self.false_negative += 1


@dataclass
class Report:
    seeds: int = 0
    scores: dict[str, Score] = field(default_factory=dict)

    def score(self, name: str) -> Score:
        return self.scores.setdefault(name, Score())

    def below(self, threshold: float = THRESHOLD) -> list[str]:
        return [
            name
            for name, s in sorted(self.scores.items())
            if s.precision < threshold or s.recall < threshold
        ]

    def to_json(self) -> str:
        rows = {
            name: {
                "precision": round(s.precision, 4),
                "recall": round(s.recall, 4),
                "true_positive": s.true_positive,
                "false_positive": s.false_positive,
                "false_negative": s.false_negative,
            }
            for name, s in sorted(self.scores.items())
        }
        return json.dumps({"seeds": self.seeds, "fields": rows}, indent=2, sort_keys=True) + "\n"


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def finding_values(finding: Finding) -> dict[str, Any]:
    """A finding's figures under the names expected files use (comparator_value, range_low...)."""
    values: dict[str, Any] = finding.model_dump(exclude={"comparator", "range"})
    if finding.comparator:
        values["comparator_value"] = finding.comparator.value
        values["comparator_ci_low"] = finding.comparator.ci_low
        values["comparator_ci_high"] = finding.comparator.ci_high
    if finding.range:
        values["range_low"], values["range_high"] = finding.range
    return values


def _same_number(actual: Any, expected: Any) -> bool:
    return actual is not None and abs(float(actual) - float(expected)) <= 1e-9


def finding_matches(finding: Finding, wanted: dict[str, Any]) -> bool:
    """Whether a card finding is the hand-read one: its quote, label words and every figure."""
    if squash(wanted["quote_contains"]) not in squash(finding.quote):
        return False
    label = finding.label.lower()
    if not all(word.lower() in label for word in wanted.get("label_words", [])):
        return False
    values = finding_values(finding)
    for key, value in wanted.items():
        if key in ("quote_contains", "label_words"):
            continue
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if not _same_number(values.get(key), value):
                return False
        elif values.get(key) != value:
            return False
    return True


def case_field_matches(key: str, expected: Any, actual: Any) -> bool:
    if key in TEXT_CASE_KEYS:
        return expected is not None and str(expected).lower() in str(actual or "").lower()
    return bool(actual == expected)


def score_card(report: Report, card: Card, expected: dict[str, Any]) -> None:
    report.seeds += 1
    for name in SCALAR_FIELDS:
        if name in expected:
            actual = getattr(card, name)
            report.score(name).add(expected[name], actual, actual == expected[name])
    for name in SOURCE_FIELDS:
        if name in expected:
            actual = getattr(card.source, name)
            report.score(name).add(expected[name], actual, actual == expected[name])
    authors = [{"family": a.family, "given": a.given} for a in card.authors]
    wanted_authors = expected.get("authors") or []
    report.score("authors").add(wanted_authors, authors, authors == wanted_authors)
    _score_findings(report, card, expected.get("findings") or [])
    _score_cases(report, card, expected.get("cases") or [])


def _score_findings(report: Report, card: Card, wanted: list[dict[str, Any]]) -> None:
    findings = report.score("findings")
    matched = [any(finding_matches(f, w) for w in wanted) for f in card.findings]
    findings.false_positive += matched.count(False)
    for want in wanted:
        hit = any(finding_matches(f, want) for f in card.findings)
        findings.true_positive += hit
        findings.false_negative += not hit


def _score_cases(report: Report, card: Card, rows: list[dict[str, Any]]) -> None:
    cases = report.score("case rows")
    cases.true_positive += min(len(rows), len(card.cases))
    cases.false_positive += max(0, len(card.cases) - len(rows))
    cases.false_negative += max(0, len(rows) - len(card.cases))
    for row, case in zip(rows, card.cases, strict=False):
        for key, expected in row.items():
            if key in EXACT_CASE_KEYS or key in TEXT_CASE_KEYS:
                actual = getattr(case, key)
                report.score(f"case {key}").add(
                    expected, actual, case_field_matches(key, expected, actual)
                )


def measure(cards: Iterable[Card], expected_files: Iterable[Path]) -> Report:
    """Score every card whose seed has an expected file."""
    by_seed = {Path(card.source.file).name: card for card in cards}
    report = Report()
    for path in sorted(expected_files):
        expected = load_plain(path)
        card = by_seed.get(expected["seed"])
        if card is not None:
            score_card(report, card, expected)
    return report
