"""One `Project` says where a project's files are, for the commands and the build alike."""

from __future__ import annotations

from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.utils.yaml import yaml_load

from macros.cards.project import REPOSITORY_TAXONOMY, Project
from macros.commands.cli import main

from .conftest import ROOT
from .sitebuild import ROOTS, make_root


def test_the_repository_layout() -> None:
    project = Project.at(ROOT)
    assert project.docs == ROOT / "docs"
    assert project.cards == ROOT / "docs" / "cards"
    assert project.seeds == ROOT / "seeds"
    assert project.bib == ROOT / "bib" / "references.bib"
    assert project.state == ROOT / ".evidence" / "machine"
    assert project.taxonomy == ROOT / "taxonomy"
    assert project.editors == ROOT / "taxonomy" / "editors.yml"
    assert project.cache is None or not project.cache.is_relative_to(ROOT)


def test_the_build_resolves_the_same_project_from_the_mkdocs_config() -> None:
    assert Project.of_mkdocs(load_config(str(ROOT / "mkdocs.yml"))) == Project.at(ROOT)


def test_cards_follow_the_docs_dir_of_mkdocs_yml(tmp_path: Path) -> None:
    project = make_root("pages", tmp_path / "project")
    (project / "docs").rename(project / "site-source")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("docs_dir: docs", "docs_dir: site-source"))
    assert Project.at(project).cards == project / "site-source" / "cards"
    assert Project.of_mkdocs(load_config(str(config))) == Project.at(project)


def test_a_folder_of_seeds_alone_uses_the_repositorys_taxonomy(tmp_path: Path) -> None:
    project = Project.at(tmp_path)
    assert project.taxonomy == REPOSITORY_TAXONOMY
    assert project.cards == tmp_path / "docs" / "cards"


@pytest.mark.parametrize("part", ["seeds", "cards", "bib", "state", "taxonomy"])
def test_each_part_can_be_moved(tmp_path: Path, part: str) -> None:
    moved = Project.at(ROOT, **{part: tmp_path / part})
    assert getattr(moved, part) == tmp_path / part
    assert moved.relative(ROOT / "seeds" / "x.txt") == "seeds/x.txt"


@pytest.mark.parametrize("name", sorted(p.parent.name for p in ROOTS.glob("*/mkdocs.yml")))
def test_each_test_root_is_a_project_without_problems(
    tmp_path: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The roots of tests/roots/ (tests/sitebuild.py, `make_root`) are valid projects, so a test
    that breaks one thing in a root sees only that thing; and they are built with the real
    site's mkdocs.yml (`nav` aside), and read their own taxonomy folder."""
    project = make_root(name, tmp_path / name)
    assert main(["check", "--root", str(project)]) == 0, capsys.readouterr().out
    with (project / "mkdocs.yml").open("rb") as file:
        settings = yaml_load(file)
    with (ROOT / "mkdocs.yml").open("rb") as file:
        real = yaml_load(file)
    assert {k: v for k, v in settings.items() if k != "nav"} == {
        k: v for k, v in real.items() if k != "nav"
    }
    config = load_config(str(project / "mkdocs.yml"))
    assert Project.of_mkdocs(config) == Project.at(project)
    assert Project.at(project).taxonomy == project / "taxonomy"
