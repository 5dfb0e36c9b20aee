"""Ingest benchmark: throughput on generated seeds of every shape, median of three runs.

Seeds are generated from the repository's real and test seeds as templates (all five shapes and
three languages), with their numbers varied by a seeded RNG so no two seeds are byte-equal.
Each run is a fresh `python -m macros ingest` process, so the figures include start-up, and its
peak RSS is read from the child's rusage. Run through `benchmarks/run.py` (`make bench`).
"""

from __future__ import annotations

import os
import random
import re
import resource
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

from measure import run

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = sorted((ROOT / "seeds").glob("*.txt")) + sorted(
    (ROOT / "tests" / "fixtures" / "seeds").glob("*.txt")
)
RUNS = 3


def generate(folder: Path, count: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    texts = [t.read_bytes().decode("utf-8-sig") for t in TEMPLATES]
    folder.mkdir(parents=True, exist_ok=True)
    for index in range(count):
        template = texts[index % len(texts)]
        varied = re.sub(
            r"(?<![\d.])\d{1,2}(?![\d.])",
            lambda m: str(max(1, int(m.group(0)) + rng.randint(-2, 2))),
            template,
        )
        varied += f"\n\nSeed {index}.\n"
        (folder / f"{index:05d}.txt").write_text(varied, encoding="utf-8")


def timed_ingest(root: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one ingest process."""
    timing = run([sys.executable, "-m", "macros", "ingest", "--root", str(root)], ROOT)
    return timing.seconds, timing.peak_mib


def cold_cpu(count: int) -> list[tuple[float, float]]:
    """Wall seconds and CPU seconds (user + system of the process and its workers) of cold
    ingests of `count` generated seeds, one per run. On a shared machine the wall time follows
    the load; the CPU time hardly does, so it is what compares two versions."""
    runs = []
    for _ in range(RUNS):
        with tempfile.TemporaryDirectory() as folder:
            generate(Path(folder) / "seeds", count)
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            seconds, _ = timed_ingest(Path(folder))
            after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the reaped child's tree
            cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
            runs.append((seconds, cpu))
    return runs


if __name__ == "__main__":  # python ingest_bench.py [N]: cold ingest, wall and CPU per seed
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    figures = cold_cpu(size)
    for seconds, cpu in figures:
        print(
            f"N = {size}: {seconds:.2f} s wall, {size / seconds:.0f} seeds/s; "
            f"{cpu:.2f} s CPU, {cpu / size * 1000:.1f} ms CPU a seed"
        )
    wall = statistics.median(s for s, _ in figures)
    cpu = statistics.median(c for _, c in figures)
    print(
        f"median: {size / wall:.0f} seeds/s, {cpu / size * 1000:.1f} ms CPU a seed "
        f"(load average {os.getloadavg()[0]:.1f})"
    )


def measure(count: int) -> dict[str, Any]:
    """Median seconds and peak RSS of each kind of run, and `spread`: each kind's seconds."""
    results: dict[str, list[tuple[float, float]]] = {"cold": [], "unchanged": [], "one changed": []}
    for attempt in range(RUNS):
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder)
            generate(root / "seeds", count)
            results["cold"].append(timed_ingest(root))
            results["unchanged"].append(timed_ingest(root))
            first = root / "seeds" / "00000.txt"
            if not first.exists():
                continue
            first.write_text(
                first.read_text(encoding="utf-8") + f"\nedit {attempt}\n", encoding="utf-8"
            )
            results["one changed"].append(timed_ingest(root))
    figures: dict[str, Any] = {
        k: (statistics.median(t for t, _ in v), max(m for _, m in v))
        for k, v in results.items()
        if v
    }
    figures["spread"] = {k: [t for t, _ in v] for k, v in results.items() if v}
    return figures
