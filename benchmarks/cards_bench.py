"""Loading cards and the no-change ingest (issue 14), before and after a change, in one session.

Usage: python benchmarks/cards_bench.py [--sizes 1000 5000] [--work DIR]
                                        [--package NAME=PATH ...] [--runs 3]

For each N it makes a project of N generated seeds (`ingest_bench.generate`) ingested once, and
for each `--package` (a folder holding a `macros` package, e.g. a copy of the code before the
change; default: this checkout) measures, each figure the median of `--runs` fresh processes:

- loading the N cards as a build does (`load_cards` with `CardCache`): with no cache at all,
  with an empty cache (CI: the cache file is written at the end) and with a filled one; the
  seconds of `load_cards` alone, timed inside the process (start-up excluded);
- `evidence ingest` with nothing to do, the whole process: right after another run (its memo
  filled), and without the memo (a fresh clone, CI);
- start-up: `evidence ingest` of an empty seed folder.

Wall seconds and CPU seconds (user + system, from the child's rusage) are both reported: on a
shared machine the CPU time is the steadier figure. Each figure starts with one untimed run of
each package; then the packages are measured in turn, so that a change of load on the machine
falls on all of them alike.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import ingest_bench

ROOT = Path(__file__).resolve().parent.parent
LOAD = """\
import pathlib, sys, time
from macros.cards.cardfiles import CardCache, load_cards
from macros.cards.project import Project
project = Project.at(pathlib.Path(sys.argv[1]))
mode = sys.argv[2]
start = time.perf_counter()
cards = load_cards(project.cards, None if mode == "none" else CardCache(project.cache))
print(time.perf_counter() - start, len(cards))
"""


@dataclass(frozen=True)
class Figure:
    wall: float
    cpu: float

    def text(self) -> str:
        return f"{self.wall:.2f} ({self.cpu:.2f})"


def _run(command: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds (user + system, its children's included) and the output of one
    process, run outside the checkout (so PYTHONPATH decides which `macros` it imports)."""
    before = os.times()
    start = time.perf_counter()
    process = subprocess.run(command, env=env, cwd=tempfile.gettempdir(), capture_output=True)
    wall = time.perf_counter() - start
    after = os.times()
    if process.returncode != 0:
        raise RuntimeError(f"{command} failed:\n{process.stderr.decode()[-3000:]}")
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    return wall, cpu, process.stdout.decode()


def _environment(package: Path, cache: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(package), "EVIDENCE_CACHE_DIR": str(cache)}


def _remove(cache: Path, name: str) -> None:
    for file in cache.glob(f"*/{name}"):
        file.unlink()


def load(project: Path, cache: Path, mode: str, package: Path) -> Figure:
    """`load_cards` timed inside the process (CPU: the whole process), with `mode` `none` (no
    cache), `empty` (as on CI: the cache is written at the end) or `filled`."""
    if mode == "empty":
        _remove(cache, "cards.json")
    command = [sys.executable, "-c", LOAD, str(project), mode]
    _, cpu, output = _run(command, _environment(package, cache))
    return Figure(float(output.split()[0]), cpu)


def ingest(project: Path, cache: Path, memo: bool, package: Path) -> Figure:
    """A whole `python -m macros ingest` process; `memo` False: the ingest memo removed first
    (as in a fresh clone)."""
    if not memo:
        _remove(cache, "ingest.json")
    command = [sys.executable, "-m", "macros", "ingest", "--root", str(project)]
    wall, cpu, output = _run(command, _environment(package, cache))
    if " 0 cards written" not in output:
        raise RuntimeError(f"not a no-change run: {output.strip()}")
    return Figure(wall, cpu)


def median(figures: list[Figure]) -> Figure:
    return Figure(
        statistics.median(f.wall for f in figures), statistics.median(f.cpu for f in figures)
    )


def make_project(project: Path, count: int, cache: Path, package: Path) -> None:
    """N generated seeds ingested once, with their own copy of the taxonomy (so that an edit of
    this checkout's taxonomy does not make every card stale)."""
    ingest_bench.generate(project / "seeds", count)
    shutil.copytree(ROOT / "taxonomy", project / "taxonomy")
    _run(
        [sys.executable, "-m", "macros", "ingest", "--root", str(project)],
        _environment(package, cache),
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--work", type=Path, help="keep the projects here (reused if present)")
    parser.add_argument("--package", nargs="+", default=[f"this={ROOT}"], help="NAME=FOLDER")
    parser.add_argument("--runs", type=int, default=3)
    arguments = parser.parse_args()
    packages = {name: Path(path) for name, _, path in (p.partition("=") for p in arguments.package)}
    work = arguments.work or Path(tempfile.mkdtemp(prefix="cards-bench-"))
    rows: list[tuple[str, dict[str, Figure]]] = []

    def measure(label: str, run: Callable[[Path], Figure]) -> None:
        results: dict[str, list[Figure]] = {name: [] for name in packages}
        for package in packages.values():
            run(package)  # untimed: fills the caches and memo of the "filled" figures
        for _ in range(arguments.runs):
            for name, package in packages.items():  # in turn: a change of load falls on all
                results[name].append(run(package))
        figures = {name: median(values) for name, values in results.items()}
        rows.append((label, figures))
        print(label, {name: figure.text() for name, figure in figures.items()}, flush=True)

    empty = work / "n0"
    (empty / "seeds").mkdir(parents=True, exist_ok=True)
    measure("start-up: ingest of no seeds", partial(ingest, empty, work / "cache-0", True))
    for count in arguments.sizes:
        project, cache = work / f"n{count}", work / f"cache-{count}"
        if not project.exists():
            print(f"N = {count}: generating and ingesting", flush=True)
            make_project(project, count, cache, next(iter(packages.values())))
        for mode in ("none", "empty", "filled"):
            measure(f"N = {count}: load cards, {mode} cache", partial(load, project, cache, mode))
        for memo in (True, False):
            what = "its memo from the run before" if memo else "no memo"
            measure(
                f"N = {count}: ingest, nothing changed, {what}",
                partial(ingest, project, cache, memo),
            )
    names = list(packages)
    print(f"\nSeconds, median of {arguments.runs} fresh processes: wall (CPU, user + system).\n")
    print("| what | " + " | ".join(names) + " |")
    print("| --- |" + " ---: |" * len(names))
    for label, figures in rows:
        print(f"| {label} | " + " | ".join(figures[name].text() for name in names) + " |")


if __name__ == "__main__":
    main()
