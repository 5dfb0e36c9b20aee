"""`evidence check`: one test per mistake an editor can make, each located to file:line:col."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from macros.cli import main

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
    assert f"docs/topics/crmo.md:{line}:5: unknown citation key 'Nobody1999'" in out


def test_citations_in_code_are_not_checked(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(repo, "docs/topics/crmo.md", "## Evidence", "Write `[@Key]` to cite.\n\n## Evidence")
    assert _check(repo, capsys)[0] == 0


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
        f"::error file={CARD},line={line},col=1::year: 'next year' is not of type"
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
