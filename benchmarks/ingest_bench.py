"""Ingest benchmark: throughput on generated seeds of every shape, median of three runs.

Seeds are generated from the repository's real and test seeds as templates (all five shapes and
three languages), with their numbers varied by a seeded RNG so no two seeds are byte-equal.
Each run is a fresh `python -m macros ingest` process, so the figures include start-up, and its
peak RSS is read from the child's rusage. Usage: python benchmarks/ingest_bench.py --seeds 1000
"""

from __future__ import annotations

import argparse
import platform
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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
    start = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    subprocess.run(
        [sys.executable, "-m", "macros", "ingest", "--root", str(root)],
        check=False,
        cwd=ROOT,
        capture_output=True,
    )
    elapsed = time.perf_counter() - start
    peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    return elapsed, peak


def measure(count: int) -> dict[str, tuple[float, float]]:
    results: dict[str, list[tuple[float, float]]] = {"cold": [], "unchanged": [], "one changed": []}
    for run in range(RUNS):
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder)
            generate(root / "seeds", count)
            results["cold"].append(timed_ingest(root))
            results["unchanged"].append(timed_ingest(root))
            first = root / "seeds" / "00000.txt"
            if not first.exists():
                continue
            first.write_text(
                first.read_text(encoding="utf-8") + f"\nedit {run}\n", encoding="utf-8"
            )
            results["one changed"].append(timed_ingest(root))
    return {
        k: (statistics.median(t for t, _ in v), max(m for _, m in v))
        for k, v in results.items()
        if v
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=1000)
    parser.add_argument("--report", type=Path)
    arguments = parser.parse_args()
    baseline = measure(0)["cold"][0]  # start-up alone: an ingest of an empty folder
    figures = measure(arguments.seeds)
    lines = [
        "# Ingest benchmark",
        "",
        f"Machine: {platform.machine()}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, {len(__import__('os').sched_getaffinity(0))} cores.",
        f"Command: `python benchmarks/ingest_bench.py --seeds {arguments.seeds}` (`make bench`).",
        f"Corpus: {arguments.seeds} seeds generated from {len(TEMPLATES)} templates of all five "
        "shapes (en, fr, zh), numbers varied; each figure is the median of "
        f"{RUNS} fresh processes.",
        "",
        "| run | median seconds | seeds/s | peak RSS MiB |",
        "| --- | ---: | ---: | ---: |",
        f"| start-up only (empty seed folder, baseline) | {baseline:.2f} | | |",
    ]
    for name, (seconds, peak) in figures.items():
        rate = f"{arguments.seeds / seconds:.0f}" if name == "cold" else ""
        lines.append(f"| {name} | {seconds:.2f} | {rate} | {peak:.0f} |")
    cold = figures["cold"][0]
    lines += [
        "",
        f"Cold ingest without start-up: {arguments.seeds / max(cold - baseline, 1e-9):.0f} "
        "seeds/s. A no-change run parses nothing (sha256 and extractor version match) and "
        "rewrites only the bibliography if a card changed.",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if arguments.report:
        arguments.report.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    shutil.rmtree(ROOT / "benchmarks" / "out", ignore_errors=True)
    main()
