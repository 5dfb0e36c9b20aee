"""Building the site, or a modified copy of it, into a temporary folder for tests."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT_FILES = ("mkdocs.yml", "docs", "taxonomy", "macros")


def copy_project(target: Path) -> Path:
    """The parts of the repository a site build reads, copied so a test may change them."""
    target.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target / name)
    return target


def build(project: Path, site: Path) -> subprocess.CompletedProcess[str]:
    """`mkdocs build --strict` of `project` into `site`; the caller checks the result."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=600,
        env={
            "PATH": "/usr/bin:/bin",
            "NO_MKDOCS_2_WARNING": "1",
            "HOME": str(project),
            "PYTHONPATH": str(project),
            "SOURCE_DATE_EPOCH": "1767225600",  # a fixed build date: builds must not vary
        },
    )


def edit(repo: Path, relative: str, old: str, new: str) -> int:
    """Replace `old` (which must occur) in a file of `repo`; the 1-based line where it was."""
    path = repo / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1
