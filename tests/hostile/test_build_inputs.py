"""Issue 10: what else a pull request can put beside the cards and pages.

Files under docs/ that MkDocs would publish as they are (HTML, SVG, JavaScript) or take from
outside the project (a symbolic link), and a broken taxonomy: `evidence check` and the build
refuse them, naming the file, and the build never prints a traceback.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from macros.commands.cli import main
from tests.sitebuild import build, make_root

ACTIVE_FILES = {
    "docs/evil.html": "<script>alert(1)</script>",
    "docs/topics/figure.svg": '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
    "docs/javascripts/x.js": "alert(1)",
}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A small project (root `pages`: a topic page, the about-data page, a card and its seed)."""
    return make_root("pages", tmp_path / "repo")


def _add_active_files(repo: Path) -> None:
    for relative, content in ACTIVE_FILES.items():
        (repo / relative).parent.mkdir(parents=True, exist_ok=True)
        (repo / relative).write_text(content, "utf-8")
    secret = repo.parent / "secret.json"
    secret.write_text('{"token": "outside-the-project"}', "utf-8")
    (repo / "docs" / "data" / "leak.json").symlink_to(secret)


def test_regression_check_refuses_files_a_browser_runs_and_links_out(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _add_active_files(repo)
    assert main(["check", "--root", str(repo)]) == 1
    out = capsys.readouterr().out
    for relative in ACTIVE_FILES:
        assert f"{relative}: E-FILE-TYPE a {Path(relative).suffix} file would be published" in out
    assert "docs/data/leak.json: E-FILE-SYMLINK is a symbolic link" in out


def test_regression_the_build_refuses_them_and_publishes_nothing(
    repo: Path, tmp_path: Path
) -> None:
    _add_active_files(repo)
    result = build(repo, tmp_path / "site")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Traceback" not in output, output
    for relative in [*ACTIVE_FILES, "docs/data/leak.json"]:
        assert relative in output
    assert not list((tmp_path / "site").rglob("*.html"))
    assert "outside-the-project" not in output


def test_regression_a_broken_taxonomy_fails_the_build_cleanly(repo: Path, tmp_path: Path) -> None:
    (repo / "taxonomy" / "topics.yml").write_text("topics: 5\n", "utf-8")
    result = build(repo, tmp_path / "site")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Traceback" not in output, output
    assert "taxonomy/topics.yml: E-TAXONOMY topics: " in output
