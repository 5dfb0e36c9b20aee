"""Cards against values read by hand from each seed (tests/expected, tests/fixtures/expected).

The expected files are written by people reading the seeds, never by the tool (FORMAT.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from macros.cards.model import Card
from macros.cards.project import Project
from macros.commands.accuracy import (
    EXACT_CASE_KEYS,
    SCALAR_FIELDS,
    SOURCE_FIELDS,
    TEXT_CASE_KEYS,
    THRESHOLD,
    finding_matches,
    measure,
)
from macros.commands.cli import machine_cards
from macros.commands.ingest import Report
from macros.core.text import squash

from .conftest import FIXTURES, ROOT

EXPECTED = sorted((ROOT / "tests" / "expected").glob("*.yml")) + sorted(
    (FIXTURES / "expected").glob("*.yml")
)
BIBLIOGRAPHIC = (*SOURCE_FIELDS, *SCALAR_FIELDS, "topic", "authors_truncated")


def _expected(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def _ids() -> list[str]:
    return [path.stem for path in EXPECTED]


def _card(all_cards: dict[str, Card], expected: dict[str, Any]) -> Card:
    assert expected["seed"] in all_cards, f"no card was written for {expected['seed']}"
    return all_cards[expected["seed"]]


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


@pytest.mark.parametrize("path", EXPECTED, ids=_ids())
def test_findings_found(path: Path, all_cards: dict[str, Card]) -> None:
    """Every hand-read finding is on the card with its numbers, label words and quote."""
    expected = _expected(path)
    card = _card(all_cards, expected)
    missing = [
        w
        for w in expected.get("findings") or []
        if not any(finding_matches(f, w) for f in card.findings)
    ]
    assert not missing, f"not found on the card: {missing}\ncard findings: " + "\n".join(
        f"{f.label} | {f.value} | {squash(f.quote)[:90]}" for f in card.findings
    )


@pytest.mark.parametrize("path", EXPECTED, ids=_ids())
def test_findings_invent_nothing(path: Path, all_cards: dict[str, Card]) -> None:
    """Each card finding corresponds to a hand-read one: nothing beyond what the source states."""
    expected = _expected(path)
    card = _card(all_cards, expected)
    wanted = expected.get("findings") or []
    extra = [f for f in card.findings if not any(finding_matches(f, w) for w in wanted)]
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


def test_extraction_accuracy_is_at_least_095_per_field(all_cards: dict[str, Card]) -> None:
    report = measure(all_cards.values(), EXPECTED)
    assert report.seeds == len(EXPECTED)
    assert report.below(THRESHOLD) == [], report.to_json()


def test_published_accuracy_table_is_current(real_ingest: tuple[Project, Report]) -> None:
    """docs/data/accuracy.json is what `evidence accuracy` measures now (run it to refresh)."""
    paths, _ = real_ingest
    report = measure(machine_cards(paths.state), (ROOT / "tests" / "expected").glob("*.yml"))
    assert (ROOT / "docs" / "data" / "accuracy.json").read_text("utf-8") == report.to_json()
