"""`evidence check`: one test per mistake an editor can make, each located to file:line:col."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from macros.commands.cli import main

from .conftest import ROOT
from .sitebuild import edit

CARD = "docs/cards/erol-2025-isotretinoin-sacroiliitis.yml"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    for name in ("docs", "schema", "taxonomy", "seeds"):
        shutil.copytree(ROOT / name, tmp_path / name)
    return tmp_path


def _check(repo: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str]:
    status = main(["check", "--root", str(repo), *extra])
    return status, capsys.readouterr().out


def test_a_clean_repository_passes(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _check(repo, capsys) == (0, "")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("year: 2025", "year: next year", "year: 'next year' is not of type 'integer'"),
        ("design: historical cohort", "design: anecdote", "design: 'anecdote' is not one of"),
        ("topic: isotretinoin-sacroiliitis", "topic: acne", "topic 'acne' is not in taxonomy"),
        ("participants: 16", "participants: 16\nparticipants: 17", "duplicate key"),
        ("participants: 16", "participants: &n 16\nvolume: *n", "anchors and aliases"),
        ("participants: 16", "participants:\t16", "tab character"),
        ("authors_truncated: false", "authors_truncated: no", "`no` is a boolean"),
        ("journal:", "journal: 1.10 #", "`1.10` would be read as the number 1.1"),
        ("volume:", "volume: 2021-03-04 #", "`2021-03-04` is read as a date in `volume`"),
        ("file: seeds/000", "file: seeds/../../000", "source.file must name a file inside seeds/"),
        ("status: machine", "status: reviewed", "a reviewed card names its reviewer and date"),
        ("  date:\n", "  date: 2020-02-30\n", "cannot read this value (day is out of range"),
        ("participants: 16", "participants: !!int sixteen", "cannot read this value"),
    ],
)
def test_each_card_mistake_is_reported_at_its_line(
    repo: Path, capsys: pytest.CaptureFixture[str], old: str, new: str, message: str
) -> None:
    line = edit(repo, CARD, old, new)
    status, out = _check(repo, capsys)
    assert status == 1
    located = [row for row in out.splitlines() if row.startswith(f"{CARD}:")]
    assert any(message in row for row in located), out
    lines = {int(row.split(":")[1]) for row in located if message in row}
    assert lines & {line, line + 1}, (line, out)


def test_duplicate_citekeys_are_reported_on_both_cards(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = "docs/cards/jans-nd-synthetic-ct.yml"
    edit(repo, other, "citekey: JansND", "citekey: Erol2025")
    status, out = _check(repo, capsys)
    assert status == 1
    assert sum("citekey 'Erol2025' is used by 2 cards" in row for row in out.splitlines()) == 2


def test_unknown_citation_in_a_page_is_located(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    line = edit(repo, "docs/topics/crmo.md", "## Evidence", "See [@Nobody1999].\n\n## Evidence")
    status, out = _check(repo, capsys)
    assert status == 1
    assert (
        f"docs/topics/crmo.md:{line}:5: E-CITEKEY-UNKNOWN unknown citation key 'Nobody1999'" in out
    )


def test_citations_in_code_are_not_checked(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = "Write `[@Key]` or ``[@Key]`` to cite.\n\n```\n[@Key]\n```\n\n~~~\n[@Key]\n~~~\n"
    edit(repo, "docs/topics/crmo.md", "## Evidence", code + "\n## Evidence")
    assert _check(repo, capsys) == (0, "")


def test_a_citation_after_code_on_its_line_is_located_exactly(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The column counts the code before it (check once cut code out, and miscounted)."""
    page = "docs/topics/crmo.md"
    line = edit(repo, page, "## Evidence", "`[@A]` then [@Nobody1999].\n\n## Evidence")
    status, out = _check(repo, capsys)
    assert status == 1
    unknown = "E-CITEKEY-UNKNOWN unknown citation key 'Nobody1999': no card has it"
    assert out == f"{page}:{line}:13: {unknown}\n"


def test_a_card_missing_from_its_topic_page(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(repo, "docs/topics/crmo.md", '{{ evidence_table("crmo") }}', "")
    status, out = _check(repo, capsys)
    assert status == 1
    assert "does not appear on its topic page" in out


def test_a_quote_that_is_no_longer_verbatim(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(repo, CARD, "demonstrated persistent inflammation.", "showed inflammation.")
    status, out = _check(repo, capsys)
    assert status == 1
    assert "findings.0.quote" not in out  # the message is for people: it names the problem
    assert "the quote is not a verbatim part of seeds/000_450730007b657565.txt" in out


def test_a_seed_changed_since_ingest(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seed = repo / "seeds" / "000_450730007b657565.txt"
    seed.write_bytes(seed.read_bytes() + b"\nA new line.\n")
    status, out = _check(repo, capsys)
    assert status == 1
    assert "the seed changed since this card was written" in out


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("percent: 14.3", "percent: 15.3", "2/14 is 14.29%, not 15.3%"),
        ("numerator: 2\n", "numerator: 2\n    ci_low: 20\n    ci_high: 30\n", "does not contain"),
        ("percent: 14.3", "percent: 14.3\n    p_value: 1.5", "P = 1.5 is outside [0, 1]"),
    ],
)
def test_arithmetic_mistakes(
    repo: Path, capsys: pytest.CaptureFixture[str], old: str, new: str, message: str
) -> None:
    edit(repo, CARD, old, new)
    status, out = _check(repo, capsys)
    assert status == 1
    assert message in out


def test_github_format_annotates_the_line(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    line = edit(repo, CARD, "year: 2025", "year: next year")
    status, out = _check(repo, capsys, "--format", "github")
    assert status == 1
    assert out.startswith(
        f"::error file={CARD},line={line},col=1::E-SCHEMA year: 'next year' is not of type"
    )


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["check", "--format", "xml"])
    assert exit_info.value.code == 2


def test_a_review_written_as_contributing_says_passes(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(repo, CARD, "status: machine", "status: reviewed")
    edit(repo, CARD, "  by:\n", "  by: Jane Doe\n")
    edit(repo, CARD, "  date:\n", "  date: 2026-11-23\n")  # an unquoted YAML date
    assert _check(repo, capsys) == (0, "")


def test_a_schema_error_does_not_hide_the_cards_other_problems(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One run reports every problem: the wrong year, and the percent the counts do not give."""
    year = edit(repo, CARD, "year: 2025", "year: next year")
    percent = edit(repo, CARD, "percent: 14.3", "percent: 15.3")
    status, out = _check(repo, capsys)
    assert status == 1
    assert f"{CARD}:{year}:1: E-SCHEMA year: 'next year' is not of type 'integer'" in out
    assert f"{CARD}:{percent}:5: E-PERCENT-MISMATCH 2/14 is 14.29%, not 15.3%" in out


SERIES = """Case series of chronic recurrent multifocal osteomyelitis.

Outcome: 5 of 12 patients (42%) were in remission at one year.
"""


def _series_card(repo: Path, percent: str, value: str = "5 of 12 patients (42%)") -> None:
    """A case series stating `5 of 12 patients (42%)`, and its card as an editor writes it."""
    seed = repo / "seeds" / "series.txt"
    seed.write_text(SERIES, encoding="utf-8")
    sha256 = hashlib.sha256(seed.read_bytes()).hexdigest()
    (repo / "docs" / "cards" / "doe-2024-crmo.yml").write_text(
        f"""id: doe-2024-crmo
citekey: Doe2024
topic: crmo
source:
  file: seeds/series.txt
  sha256: {sha256}
  format: pdf-case-series
  languages: [en]
title: Case series of chronic recurrent multifocal osteomyelitis
year: 2024
design: case series
participants: 12
findings:
  - label: remission at one year
    value: {value}
    metric: proportion
    numerator: 5
    denominator: 12
    percent: {percent}
    quote: 5 of 12 patients (42%) were in remission at one year.
    location:
      line: 3
review:
  status: machine
""",
        encoding="utf-8",
    )


def test_regression_a_percent_rounded_as_the_source_states_it_passes(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 12: `5 of 12 patients (42%)` made check say `5/12 is 41.67%, not 42.0%` forever,
    though ingest had found nothing wrong: the source states 42 with no decimals, and 5/12
    rounds to 42 at no decimals."""
    _series_card(repo, "42")
    assert _check(repo, capsys) == (0, "")


@pytest.mark.parametrize(
    ("percent", "value", "message"),
    [
        ("41.6", "5/12 (41.6%)", "5/12 is 41.67%, not 41.6%"),  # stated with one decimal
        ("43", "5 of 12 patients (42%)", "5/12 is 41.67%, not 43%"),  # not what the source says
    ],
)
def test_a_percent_the_counts_do_not_round_to_is_reported(
    repo: Path, capsys: pytest.CaptureFixture[str], percent: str, value: str, message: str
) -> None:
    _series_card(repo, percent, value)
    card = "docs/cards/doe-2024-crmo.yml"
    line = (repo / card).read_text("utf-8").split("\n").index(f"    percent: {percent}") + 1
    status, out = _check(repo, capsys)
    assert status == 1
    assert (
        out
        == f"{card}:{line}:5: E-PERCENT-MISMATCH {message}: check the counts against the source\n"
    )
