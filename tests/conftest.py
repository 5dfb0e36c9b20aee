"""Shared fixtures: ingest the real seeds and the test seeds once per session, into temp folders."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

import pytest
from hypothesis import strategies as st

from macros.cards.cardfiles import load_cards
from macros.cards.model import Card
from macros.cards.project import Project
from macros.cards.taxonomy import default_taxonomy
from macros.commands.ingest import Report, ingest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
# Every seed the repository holds: the project's, the fixtures' and the hostile ones.
SEED_FILES = [
    *sorted((ROOT / "seeds").glob("*.txt")),
    *sorted((FIXTURES / "seeds").glob("*.txt")),
    *sorted((ROOT / "tests" / "hostile" / "seeds").glob("*.txt")),
]
SEED_TEXTS = [path.read_bytes().decode("utf-8-sig", errors="replace") for path in SEED_FILES]
# The shared corpus of real papers laid out as seeds (`../shared`, beside the repository).
PMC_DEV = ROOT.parent / "shared" / "corpus" / "pmc-dev"
# White space of every kind (Unicode's `\s`: the space, controls, line and paragraph breaks,
# no-break and ideographic spaces) and two letters, to make text of.
SPACED = st.sampled_from([" ", "\t", "\n", "\r", "\xa0", "\u2028", "\u3000", "\x1c", "\x85"])
SPACED |= st.sampled_from(["a", "é"])
IN_CI = os.environ.get("CI") == "true"
collect_ignore = ["roots"]  # projects that tests build (tests/roots/README.md), not tests


def missing(what: str, fix: str) -> NoReturn:
    """A prerequisite of a test is missing: a skip with the reason locally, a failure under
    CI=true, where `.ci/run` provides every one."""
    if IN_CI:
        pytest.fail(f"{what}, and CI=true requires it")
    pytest.skip(f"{what}: {fix}")


def pmc_dev_texts() -> list[str]:
    """The texts of the shared corpus's seeds: real papers, in layouts the repository's seeds
    do not have."""
    seeds = sorted((PMC_DEV / "seeds").glob("*.txt"))
    if not seeds:
        missing(f"no seeds in {PMC_DEV / 'seeds'}", "put the shared folder beside the repository")
    return [path.read_bytes().decode("utf-8-sig", errors="replace") for path in seeds]


def require_tool(name: str) -> str:
    """The path of a third-party program; skip without it, but fail under CI=true.

    Programs installed by pip into the virtual environment (lychee) are found beside Python.
    """
    found = shutil.which(
        name, path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    )
    if found:
        return found
    missing(f"{name} is not installed", "CI installs it; locally, apt-get install it")


def sync_playwright_or_skip() -> Any:
    """Playwright's `sync_playwright`; a skip with the reason when it is not installed, and a
    failure under CI=true."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("playwright is not installed", "make test installs it from uv.lock")
    return sync_playwright


def run_ingest(root: Path, seeds: Path) -> tuple[Project, Report]:
    project = Project.at(
        root, seeds=seeds, cards=root / "cards", bib=root / "references.bib", state=root / "state"
    )
    return project, ingest(project, default_taxonomy())


def cards_by_seed(paths: Project) -> dict[str, Card]:
    return {Path(card.source.file).name: card for card in load_cards(paths.cards)}


@pytest.fixture(scope="session")
def real_ingest(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, Report]:
    root = tmp_path_factory.mktemp("real")
    shutil.copytree(ROOT / "seeds", root / "seeds")
    return run_ingest(root, root / "seeds")


@pytest.fixture(scope="session")
def fixture_ingest(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, Report]:
    root = tmp_path_factory.mktemp("fixtures")
    shutil.copytree(FIXTURES / "seeds", root / "seeds")
    return run_ingest(root, root / "seeds")


@pytest.fixture(scope="session")
def all_cards(
    real_ingest: tuple[Project, Report], fixture_ingest: tuple[Project, Report]
) -> dict[str, Card]:
    return {**cards_by_seed(real_ingest[0]), **cards_by_seed(fixture_ingest[0])}


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's site, built once per session with `mkdocs build --strict`."""
    from .sitebuild import build

    folder = tmp_path_factory.mktemp("site") / "site"
    result = build(ROOT, folder)
    assert result.returncode == 0, result.stderr
    return folder


@pytest.fixture(scope="session")
def base_url(built_site: Path) -> Iterator[str]:
    """The built site, served over HTTP for the browser tests."""
    from .browser import serve  # it imports this module's helpers

    with serve(built_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One Chromium for every browser test of the session."""
    from .browser import chromium

    with chromium() as instance:
        yield instance


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A repository-like folder with the five real seeds, for tests that change things."""
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    return tmp_path
