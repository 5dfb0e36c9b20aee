"""Cards against values read by hand from each seed (tests/expected, tests/fixtures/expected).

The expected files are written by people reading the seeds, never by the tool (FORMAT.md).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from macros.model import Card, Finding

from .conftest import FIXTURES, ROOT

EXPECTED = sorted((ROOT / "tests" / "expected").glob("*.yml")) + sorted(
    (FIXTURES / "expected").glob("*.yml")
)
BIBLIOGRAPHIC = (
    "format",
    "topic",
    "languages",
    "title",
    "authors_truncated",
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


def _expected(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def _ids() -> list[str]:
    return [path.stem for path in EXPECTED]


def _card(all_cards: dict[str, Card], expected: dict[str, Any]) -> Card:
    assert expected["seed"] in all_cards, f"no card was written for {expected['seed']}"
    return all_cards[expected["seed"]]


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _actual_field(card: Card, name: str) -> Any:
    if name in ("format", "languages"):
        return getattr(card.source, name)
    return getattr(card, name)


@pytest.mark.parametrize("path", EXPECTED, ids=_ids())
def test_bibliographic_fields(path: Path, all_cards: dict[str, Card]) -> None:
    expected = _expected(path)
    card = _card(all_cards, expected)
    wrong = {
        name: (expected[name], _actual_field(card, name))
        for name in BIBLIOGRAPHIC
        if name in expected and expected[name] != _actual_field(card, name)
    }
    assert not wrong, f"(expected, actual) per field: {wrong}"


@pytest.mark.parametrize("path", EXPECTED, ids=_ids())
def test_authors(path: Path, all_cards: dict[str, Card]) -> None:
    expected = _expected(path)
    card = _card(all_cards, expected)
    actual = [{"family": a.family, "given": a.given} for a in card.authors]
    assert actual == (expected.get("authors") or [])


@pytest.mark.parametrize("path", EXPECTED, ids=_ids())
def test_via(path: Path, all_cards: dict[str, Card]) -> None:
    expected = _expected(path)
    card = _card(all_cards, expected)
    via = expected.get("via")
    if via is None:
        assert card.source.via is None
        return
    assert card.source.via is not None
    assert card.source.via.outlet == via["outlet"]
    assert str(card.source.via.date) == str(via["date"])


def _finding_values(finding: Finding) -> dict[str, Any]:
    values: dict[str, Any] = finding.model_dump(exclude={"comparator", "range"})
    if finding.comparator:
        values["comparator_value"] = finding.comparator.value
        values["comparator_ci_low"] = finding.comparator.ci_low
        values["comparator_ci_high"] = finding.comparator.ci_high
    if finding.range:
        values["range_low"], values["range_high"] = finding.range
    return values


def _matches(finding: Finding, wanted: dict[str, Any]) -> bool:
    if _squash(wanted["quote_contains"]) not in _squash(finding.quote):
        return False
    values = _finding_values(finding)
    label = finding.label.lower()
    if not all(word.lower() in label for word in wanted.get("label_words", [])):
        return False
    for key, value in wanted.items():
        if key in ("quote_contains", "label_words"):
            continue
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if values.get(key) is None or abs(float(values[key]) - float(value)) > 1e-9:
                return False
        elif values.get(key) != value:
            return False
    return True


@pytest.mark.parametrize("path", EXPECTED, ids=_ids())
def test_findings_found(path: Path, all_cards: dict[str, Card]) -> None:
    """Every hand-read finding is on the card with its numbers, label words and quote."""
    expected = _expected(path)
    card = _card(all_cards, expected)
    missing = [
        w for w in expected.get("findings") or [] if not any(_matches(f, w) for f in card.findings)
    ]
    assert not missing, f"not found on the card: {missing}\ncard findings: " + "\n".join(
        f"{f.label} | {f.value} | {_squash(f.quote)[:90]}" for f in card.findings
    )


@pytest.mark.parametrize("path", EXPECTED, ids=_ids())
def test_findings_invent_nothing(path: Path, all_cards: dict[str, Card]) -> None:
    """Each card finding corresponds to a hand-read one: nothing beyond what the source states."""
    expected = _expected(path)
    card = _card(all_cards, expected)
    wanted = expected.get("findings") or []
    extra = [f for f in card.findings if not any(_matches(f, w) for w in wanted)]
    assert not extra, "findings not in the hand reading: " + "; ".join(
        f"{f.label} = {f.value}" for f in extra
    )


@pytest.mark.parametrize("path", EXPECTED, ids=_ids())
def test_case_rows(path: Path, all_cards: dict[str, Card]) -> None:
    expected = _expected(path)
    card = _card(all_cards, expected)
    rows = expected.get("cases") or []
    assert len(card.cases) == len(rows), [c.model_dump(exclude_none=True) for c in card.cases]
    problems = []
    for row, case in zip(rows, card.cases, strict=True):
        for key in EXACT_CASE_KEYS:
            if key in row and getattr(case, key) != row[key]:
                problems.append(f"case {row['case']} {key}: {getattr(case, key)!r} != {row[key]!r}")
        for key in TEXT_CASE_KEYS:
            if key in row:
                actual = getattr(case, key) or ""
                if row[key].lower() not in actual.lower():
                    problems.append(f"case {row['case']} {key}: {row[key]!r} not in {actual!r}")
    assert not problems, "\n".join(problems)


def test_every_seed_has_an_expected_file() -> None:
    seeds = {p.name for p in (ROOT / "seeds").glob("*.txt")}
    seeds |= {p.name for p in (FIXTURES / "seeds").glob("*.txt")}
    described = {_expected(p)["seed"] for p in EXPECTED}
    assert seeds <= described, f"seeds without hand-read expectations: {sorted(seeds - described)}"
