"""Issue 10, attacks 7, 8, 10, 11 and 12: the card files of a pull request are untrusted input.

Each `test_regression_*` failed before its fix. `evidence check` and the build refuse the same
cards (one model, one YAML loader, one function for the rules across cards), each with a message
that names the file and line, and never with a traceback.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError

from macros.cards.model import MAX_COUNT, MAX_FINDINGS, MAX_LINE, MAX_PHRASE
from macros.cards.project import Project
from macros.cards.yamlio import YamlError, load_plain, load_round_trip
from macros.commands.cli import main
from macros.core.problems import MAX_PROBLEMS
from macros.rules.content import load_editors
from macros.site.data import site_data
from tests.sitebuild import ROOT, build, edit, make_root

# The two cards of the test root `cards`, as `evidence ingest` wrote them.
CARD = "docs/cards/erol-2025-isotretinoin-sacroiliitis.yml"
OTHER = "docs/cards/straten-2009-regional-migratory-osteoporosis.yml"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """What check and the build read (root `cards`): mkdocs.yml, docs, taxonomy and seeds."""
    return make_root("cards", tmp_path / "repo")


def _check(repo: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str, str]:
    status = main(["check", "--root", str(repo), *extra])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def _build_error(repo: Path) -> str:
    """How the build refuses the cards (mkdocs prints this error and stops)."""
    with pytest.raises(PluginError) as error:
        site_data(Project.at(repo))
    return str(error.value)


# Attack 7 and 12: numbers that crash or hide, texts and lists without a bound.
HEX_4000 = "0x" + "f" * 4000
FINDING = "  - {label: x, value: x, quote: x, location: {line: 1}}\n"
REFUSED = [
    ("participants: 16", f"participants: {HEX_4000}", ("write numbers in decimal",)),
    ("numerator: 2\n", f"numerator: 0x{'f' * 400}\n", ("write numbers in decimal",)),
    ("participants: 16", f"participants: {'9' * 4000}", ("4,000 digits",)),
    ("participants: 16", "participants: 1_600", ("'1_600'", "decimal")),
    ("participants: 16", "participants: 1:20", ("'1:20'", "decimal")),
    ("participants: 16", "participants: 020", ("'020'", "decimal")),
    ("participants: 16", "participants: 0b10000", ("'0b10000'", "decimal")),
    ("participants: 16", f"participants: {MAX_COUNT + 1}", ("participants", str(MAX_COUNT))),
    ("numerator: 2\n", f"numerator: {MAX_COUNT + 1}\n", ("numerator", str(MAX_COUNT))),
    ("line: 5", "line: 99999999999", ("location.line", str(MAX_LINE))),
    ("label: persistent", f"label: {'x' * 1_000_000} persistent", ("label", str(MAX_PHRASE))),
    ("quote: 'Results", f"quote: '{'x' * 20_000}Results", ("findings.0.quote", "characters")),
    ("  notes:\n", "  notes:\n" + "    - n\n" * 501, ("review.notes", "500")),
]


@pytest.mark.parametrize(("old", "new", "words"), REFUSED, ids=lambda v: str(v)[:30])
def test_regression_check_and_build_refuse_the_same_card_at_its_line(
    repo: Path, capsys: pytest.CaptureFixture[str], old: str, new: str, words: tuple[str, ...]
) -> None:
    line = edit(repo, CARD, old, new)
    status, out, _ = _check(repo, capsys)
    assert status == 1
    reported = [row for row in out.splitlines() if row.startswith(f"{CARD}:{line}:")]
    assert any(all(word in row for word in words) for row in reported), out
    build = _build_error(repo)
    assert f"{CARD.rsplit('/', 1)[1]}:{line}:" in build
    assert all(word in build for word in words), build
    assert max(map(len, out.splitlines())) < 400  # the 1 MB label is measured, not quoted


def test_regression_a_4000_digit_hex_count_fails_the_build_without_a_traceback(
    repo: Path, tmp_path: Path
) -> None:
    """It passed check and crashed the build in render.cell (str() of a 4,816-digit int)."""
    line = edit(repo, CARD, "participants: 16", f"participants: {HEX_4000}")
    result = build(repo, tmp_path / "site")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Traceback" not in output
    assert f"erol-2025-isotretinoin-sacroiliitis.yml:{line}:15: E-YAML cannot read this value" in (
        output
    )


@pytest.mark.parametrize("number", [HEX_4000, "0o20", "1_600", "0x10"])
def test_regression_the_round_trip_loader_of_ingest_refuses_them_too(
    tmp_path: Path, number: str
) -> None:
    path = tmp_path / "card.yml"
    path.write_text(f"id: x\nparticipants: {number}\n", encoding="utf-8")
    with pytest.raises(YamlError) as error:
        load_round_trip(path)
    assert (error.value.line, error.value.column) == (2, 15)
    assert "decimal" in error.value.message


def test_regression_10000_findings_are_refused_in_few_lines(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """(How fast: the loader refuses the list before building it; no timing here, which would
    only measure the machine.)"""
    edit(repo, CARD, "findings:\n", "findings:\n" + FINDING * 10_000)
    status, out, _ = _check(repo, capsys)
    assert status == 1
    rows = [row for row in out.splitlines() if row.startswith(CARD)]
    assert 1 <= len(rows) <= MAX_PROBLEMS + 1, out
    assert "items, over the 1,000-item limit" in _build_error(repo)


def test_findings_over_the_model_limit_are_counted_not_listed(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    count = MAX_FINDINGS + 1
    more = count - len(load_plain(repo / CARD)["findings"])
    line = edit(repo, CARD, "findings:\n", "findings:\n" + FINDING * more)
    status, out, _ = _check(repo, capsys)
    assert status == 1
    over = f"findings: {count} entries, over the limit of {MAX_FINDINGS}"
    assert f"{CARD}:{line}:1: E-SCHEMA {over}" in out
    assert f"findings: List should have at most {MAX_FINDINGS} items" in _build_error(repo)


# Attack 8: a file name that forges workflow commands.
FORGED = "x,line=1::ok\n::notice title=Verified::All cards verified\n.yml"


@pytest.mark.parametrize("output", ["github", "text"])
def test_regression_a_card_file_name_cannot_forge_an_annotation(
    repo: Path, capsys: pytest.CaptureFixture[str], output: str
) -> None:
    shutil.copy(repo / CARD, repo / "docs" / "cards" / FORGED)
    status, out, err = _check(repo, capsys, "--format", output)
    assert status == 1
    count = int(err.split()[0])
    assert len(out.splitlines()) == count  # one line per problem
    assert not [row for row in out.splitlines() if row.startswith("::") and "::error " not in row]
    if output == "github":
        assert all(row.startswith("::error file=") for row in out.splitlines())
        assert "file=docs/cards/x%2Cline=1%3A%3Aok%0A%3A%3Anotice title=Verified" in out


# Attack 10: citekeys that differ only in case.
def test_regression_citekeys_differing_only_in_case_fail_check_and_build(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(repo, OTHER, "citekey: Straten2009", "citekey: EROL2025")
    status, out, _ = _check(repo, capsys)
    assert status == 1
    both = (
        "erol-2025-isotretinoin-sacroiliitis.yml (Erol2025), "
        "straten-2009-regional-migratory-osteoporosis.yml (EROL2025)"
    )
    rows = [row for row in out.splitlines() if both in row]
    assert {row.split(":")[0] for row in rows} == {CARD, OTHER}
    assert both in _build_error(repo)


# Attack 11: review status is asserted by the card itself.
def _review(repo: Path, by: str) -> int:
    edit(repo, CARD, "status: machine", "status: reviewed")
    edit(repo, CARD, "  date:\n", "  date: 2026-11-23\n")
    return edit(repo, CARD, "  by:\n", f"  by: {by}\n")


def test_regression_only_a_listed_editor_can_mark_a_card_reviewed(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    line = _review(repo, "Mallory")
    status, out, _ = _check(repo, capsys)
    assert status == 1
    assert f"{CARD}:{line}:3: E-REVIEW-NOT-EDITOR review.by 'Mallory' is not an editor" in out
    assert f"{CARD}:{line}:3: E-REVIEW-NOT-EDITOR review.by 'Mallory'" in _build_error(repo)


def test_a_review_by_a_listed_editor_passes_check_and_build(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _review(repo, load_editors(Project.at(repo))[0].name)
    assert _check(repo, capsys)[:2] == (0, "")
    assert any(card.review.status == "reviewed" for card in site_data(Project.at(repo)).cards)


def test_regression_code_owners_are_the_editors_and_own_what_they_review() -> None:
    rules = {
        path: owners.split()
        for path, _, owners in (
            line.partition(" ")
            for line in (ROOT / ".github" / "CODEOWNERS").read_text("utf-8").splitlines()
            if line.strip() and not line.startswith("#")
        )
    }
    editors = {f"@{editor.github}" for editor in load_editors(Project.at(ROOT)) if editor.github}
    assert editors
    assert {
        "/docs/cards/",
        "/docs/topics/",
        "/taxonomy/",
        "/taxonomy/editors.yml",
        "/.github/",
    } <= set(rules)
    assert all(set(owners) == editors for owners in rules.values()), rules
    assert all(re.fullmatch(r"/[\w./-]+", path) for path in rules)


def test_a_broken_editors_list_is_a_located_problem_in_check_and_build(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "taxonomy" / "editors.yml").write_text("- name: Jane Doe\n  role: chief\n", "utf-8")
    _review(repo, "Jane Doe")
    status, out, _ = _check(repo, capsys)
    assert status == 1
    broken = "taxonomy/editors.yml: E-EDITORS 0.role: Extra inputs are not permitted"
    assert broken in out
    assert "review.by 'Jane Doe' is not an editor" in out  # no list read: nobody may review
    assert broken in _build_error(repo)
