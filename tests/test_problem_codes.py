"""Every problem code CONTRIBUTING documents, each triggered for real by what reports it.

The table in CONTRIBUTING ("Problem codes"), `problems.CODES` and the triggers below list the
same codes. Each trigger makes one mistake in a copy of the project and runs the command that
reports it (`evidence check`, `evidence ingest` or `mkdocs build`); the code must be on a line
that names a file.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError

from macros.commands.cli import main
from macros.core.problems import CODES, Problem
from macros.site.data import report_problems

from .conftest import ROOT
from .sitebuild import build, edit, make_root

# Files of the test root `cards`: two cards as `evidence ingest` wrote them, a seed, a topic page.
CARD = "docs/cards/erol-2025-isotretinoin-sacroiliitis.yml"
OTHER = "docs/cards/straten-2009-regional-migratory-osteoporosis.yml"
SEED = "seeds/000_450730007b657565.txt"
PAGE = "docs/topics/regional-migratory-osteoporosis.md"
FINDING = "  - {label: x, value: x, quote: not in the seed, location: {line: 1}}\n"


def documented_codes() -> list[str]:
    text = (ROOT / "CONTRIBUTING.md").read_text("utf-8")
    section = text.split("\n## Problem codes\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `([EW]-[A-Z0-9-]+)` \|", section, re.M)


Run = Callable[[Path, pytest.CaptureFixture[str]], str]


def _check(repo: Path, capsys: pytest.CaptureFixture[str]) -> str:
    main(["check", "--root", str(repo)])
    return capsys.readouterr().out


def _ingest(repo: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> str:
    main(["ingest", "--root", str(repo), *extra])
    return capsys.readouterr().err


def _build(repo: Path, capsys: pytest.CaptureFixture[str]) -> str:
    result = build(repo, repo.parent / "site")
    return result.stdout + result.stderr


def checked(*edits: tuple[str, str, str]) -> Run:
    """`evidence check` after each (file, old, new) replacement."""

    def run(repo: Path, capsys: pytest.CaptureFixture[str]) -> str:
        for relative, old, new in edits:
            edit(repo, relative, old, new)
        return _check(repo, capsys)

    return run


def with_files(check: Callable[[Path], None], then: Callable[..., str] = _check) -> Run:
    def run(repo: Path, capsys: pytest.CaptureFixture[str]) -> str:
        check(repo)
        return then(repo, capsys)

    return run


def _copy_card(repo: Path) -> None:
    shutil.copy(repo / CARD, repo / "docs" / "cards" / "erol-2025-copy.yml")


def _reviewed_by(name: str) -> Run:
    return checked(
        (CARD, "status: machine", "status: reviewed"),
        (CARD, "  date:\n", "  date: 2026-11-23\n"),
        (CARD, "  by:\n", f"  by: {name}\n"),
    )


def _latin1_page(repo: Path) -> None:
    (repo / "docs" / "notes.md").write_bytes("# Notes\n\nRésumé.\n".encode("latin-1"))


def _html_file(repo: Path) -> None:
    (repo / "docs" / "evil.html").write_text("<script>alert(1)</script>", "utf-8")


def _symlink(repo: Path) -> None:
    (repo.parent / "secret.json").write_text("{}", "utf-8")
    (repo / "docs" / "data" / "leak.json").symlink_to(repo.parent / "secret.json")


def _hostile_report(repo: Path) -> None:
    report = repo / "docs" / "data" / "accuracy.json"
    data = json.loads(report.read_text("utf-8"))
    data["seeds"] = "<img src=x onerror=alert(1)>"
    report.write_text(json.dumps(data), "utf-8")


def _broken_taxonomy(repo: Path) -> None:
    (repo / "taxonomy" / "topics.yml").write_text("topics: 5\n", "utf-8")


def _broken_editors(repo: Path) -> None:
    (repo / "taxonomy" / "editors.yml").write_text("- name: Jane Doe\n  role: chief\n", "utf-8")


def _empty_seed(repo: Path, capsys: pytest.CaptureFixture[str]) -> str:
    (repo / "seeds" / "empty.txt").write_bytes(b"")
    return _ingest(repo, capsys)


def _seed_over_the_limits(repo: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """A record whose title is longer than any card may hold (`model.MAX_TITLE`)."""
    record = {"title": "Sacroiliitis " * 200, "abstract": "Case report.", "resultStr": ""}
    (repo / "seeds" / "long.txt").write_text(json.dumps(record), "utf-8")
    return _ingest(repo, capsys)


def _new_seed_not_ingested(repo: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """Only what the new seed adds: the root's own cards are an editor's, and need not be what
    the extractor of today makes of their seeds."""
    before = set(_ingest(repo, capsys, "--check").splitlines())
    shutil.copy(ROOT / "tests" / "fixtures" / "seeds" / "medical-news-crmo.txt", repo / "seeds")
    after = _ingest(repo, capsys, "--check").splitlines()
    return "\n".join(line for line in after if line not in before)


def _latin1_seed(repo: Path, capsys: pytest.CaptureFixture[str]) -> str:
    seed = ROOT / "tests" / "fixtures" / "seeds" / "translated-web-rmo-fr.txt"
    french = seed.read_text("utf-8").replace("\u2212", "-")  # the one sign cp1252 lacks
    (repo / "seeds" / "latin1.txt").write_bytes(french.encode("cp1252"))
    return _ingest(repo, capsys)


def _seed_gone(repo: Path, capsys: pytest.CaptureFixture[str]) -> str:
    (repo / SEED).unlink()
    return _ingest(repo, capsys)


def _conflict(repo: Path, capsys: pytest.CaptureFixture[str]) -> str:
    edit(repo, CARD, "participants: 16", "participants: 17")
    seed = repo / SEED  # every copy of the sentence (the record holds the abstract twice)
    seed.write_bytes(seed.read_bytes().replace(b"Among the 16 patients", b"Among the 18 patients"))
    return _ingest(repo, capsys)


TRIGGERS: dict[str, Run] = {
    "E-YAML": checked((CARD, "participants: 16", "participants: 16\nparticipants: 17")),
    "E-YAML-TAB": checked((CARD, "participants: 16", "participants:\t16")),
    "E-YAML-ALIAS": checked((CARD, "participants: 16", "participants: &n 16\nvolume: *n")),
    "E-YAML-BOOLEAN": checked((CARD, "authors_truncated: false", "authors_truncated: no")),
    "E-YAML-NUMBER": checked((CARD, "journal:", "journal: 1.10 #")),
    "E-YAML-DATE": checked((CARD, "volume:", "volume: 2021-03-04 #")),
    "E-SCHEMA": checked((CARD, "year: 2025", "year: next year")),
    "E-ID-FILENAME": checked((CARD, "id: erol-2025", "id: erol-2024")),
    "E-ID-DUPLICATE": with_files(_copy_card),
    "E-CITEKEY-DUPLICATE": checked((OTHER, "citekey: Straten2009", "citekey: EROL2025")),
    "E-TOPIC-UNKNOWN": checked((CARD, "topic: isotretinoin-sacroiliitis", "topic: acne")),
    "E-OUTCOME-UNKNOWN": checked((CARD, "    value: 2/14", "    outcome: acne\n    value: 2/14")),
    "E-TOPIC-PAGE": checked((PAGE, '{{ evidence_table("regional-migratory-osteoporosis") }}', "")),
    "E-REVIEW-UNSIGNED": checked((CARD, "status: machine", "status: reviewed")),
    "E-REVIEW-NOT-EDITOR": _reviewed_by("Mallory"),
    "E-TOO-MANY": checked((CARD, "findings:\n", "findings:\n" + FINDING * 25)),
    "E-SEED-PATH": checked((CARD, "file: seeds/000", "file: seeds/../../000")),
    "E-SEED-MISSING": with_files(lambda repo: (repo / SEED).unlink()),
    "E-SEED-CHANGED": checked((SEED, "Among the 16 patients", "Among the 18 patients")),
    "E-QUOTE-NOT-VERBATIM": checked((CARD, "persistent inflammation.", "inflammation.")),
    "E-PERCENT-MISMATCH": checked((CARD, "percent: 14.3", "percent: 15.3")),
    "E-CI-EXCLUDES-ESTIMATE": checked(
        (CARD, "numerator: 2\n", "numerator: 2\n    ci_low: 20\n    ci_high: 30\n")
    ),
    "E-P-OUT-OF-RANGE": checked((CARD, "percent: 14.3", "percent: 14.3\n    p_value: 1.5")),
    "E-CITEKEY-UNKNOWN": checked((PAGE, "## Evidence", "See [@Nobody1999].\n\n## Evidence")),
    "E-TEMPLATE": checked((PAGE, "## Evidence", "{{ 7*7 }}\n\n## Evidence")),
    "E-HTML": checked((PAGE, "## Evidence", "<script>alert(1)</script>\n\n## Evidence")),
    "E-FRONT-MATTER": checked((PAGE, "render_macros: true", "render_macros: true\ntemplate: x")),
    "E-PAGE-ENCODING": with_files(_latin1_page),
    "E-FILE-TYPE": with_files(_html_file),
    "E-FILE-SYMLINK": with_files(_symlink),
    "E-MACRO": with_files(_hostile_report, _build),
    "E-TAXONOMY": with_files(_broken_taxonomy),
    "E-EDITORS": with_files(_broken_editors),
    "E-SEED-UNREADABLE": _empty_seed,
    "E-SEED-OVER-LIMITS": _seed_over_the_limits,
    "E-NOT-INGESTED": _new_seed_not_ingested,
    "W-SEED-ENCODING": _latin1_seed,
    "W-CARD-ORPHANED": _seed_gone,
    "W-MERGE-CONFLICT": _conflict,
}


def test_contributing_documents_exactly_the_codes_in_use() -> None:
    documented = documented_codes()
    assert len(documented) == len(set(documented)), "a code is documented twice"
    assert set(documented) == CODES == set(TRIGGERS)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A small project (root `cards`: what check, ingest and the build read), with its seeds,
    BibTeX and machine state."""
    return make_root("cards", tmp_path / "repo")


@pytest.mark.parametrize("code", documented_codes())
def test_each_documented_code_is_reported_where_it_arises(
    repo: Path, capsys: pytest.CaptureFixture[str], code: str
) -> None:
    output = TRIGGERS[code](repo, capsys)
    located = re.compile(rf"(?:^|\s)[\w./-]+(?::\d+)*: {code} \S")  # file[:line[:column]]
    assert any(located.search(line) for line in output.splitlines()), output


def test_a_problem_prints_its_location_and_code_in_both_formats() -> None:
    problem = Problem.at("E-PERCENT-MISMATCH", "docs/cards/x.yml", 3, 5, "5/12 is 41.67%")
    assert problem.text() == "docs/cards/x.yml:3:5: E-PERCENT-MISMATCH 5/12 is 41.67%"
    assert problem.github() == (  # GitHub's toolkit escapes `%`, and the runner unescapes it
        "::error file=docs/cards/x.yml,line=3,col=5::E-PERCENT-MISMATCH 5/12 is 41.67%25"
    )
    whole_file = Problem.at("W-CARD-ORPHANED", "docs/cards/x.yml", message="its seed is gone")
    assert whole_file.text() == "docs/cards/x.yml: W-CARD-ORPHANED its seed is gone"
    assert (
        whole_file.github() == "::warning file=docs/cards/x.yml::W-CARD-ORPHANED its seed is gone"
    )


def test_an_unknown_code_or_a_wrong_severity_is_a_bug_not_a_problem() -> None:
    with pytest.raises(ValueError, match="unknown problem code"):
        Problem.at("E-NO-SUCH-CODE", "x")
    with pytest.raises(ValueError, match="is an error"):
        Problem("E-YAML", "warning", Problem.at("E-YAML", "x").location, "")


def test_a_build_warning_goes_through_mkdocs_plugin_logger(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Under the `mkdocs` logger, so MkDocs counts it and `--strict` fails the build on it; an
    error among the problems is the build error."""
    warning = Problem.at("W-CARD-ORPHANED", "docs/cards/x.yml", message="its seed is gone")
    with caplog.at_level(logging.WARNING, logger="mkdocs"):
        report_problems([warning])
    [record] = caplog.records
    assert record.name.startswith("mkdocs.plugins.")
    assert record.levelno == logging.WARNING
    assert record.getMessage().endswith("docs/cards/x.yml: W-CARD-ORPHANED its seed is gone")
    error = Problem.at("E-YAML", "docs/cards/y.yml", 2, 1, "duplicate key 'year'")
    with pytest.raises(PluginError, match=r"docs/cards/y\.yml:2:1: E-YAML duplicate key"):
        report_problems([warning, error])
