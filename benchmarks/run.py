"""`make bench`: ingest and site benchmarks at several N, written to REPORT.md with a plot.

Usage: python benchmarks/run.py [--sizes 100 1000 5000] [--serve-at 1000]
Each figure is the median of three fresh processes, measured on this machine in this run.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
from pathlib import Path
from typing import Any

import ingest_bench
import matplotlib
import site_bench

matplotlib.use("Agg")
import matplotlib.pyplot as plt

HERE = Path(__file__).resolve().parent
COMMAND = "python benchmarks/run.py"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    parser.add_argument("--serve-at", type=int, default=1000)
    parser.add_argument("--report", type=Path, default=HERE / "REPORT.md")
    arguments = parser.parse_args()
    startup = ingest_bench.measure(0)["cold"][0]
    results: dict[int, dict[str, Any]] = {}
    for count in arguments.sizes:
        print(f"N = {count}: ingest", flush=True)
        figures: dict[str, Any] = {"ingest": ingest_bench.measure(count)}
        with tempfile.TemporaryDirectory() as folder:
            seeds = Path(folder) / "seeds"
            ingest_bench.generate(seeds, count)
            print(f"N = {count}: site", flush=True)
            figures["site"] = site_bench.measure(
                count, seeds, Path(folder), serve=count == arguments.serve_at
            )
        results[count] = figures
        print(figures, flush=True)
    _plot(results, arguments.report.with_suffix(".png"))
    text = _report(results, startup, arguments)
    arguments.report.write_text(text, encoding="utf-8")
    print(text)


def _report(results: dict[int, dict[str, Any]], startup: float, arguments: Any) -> str:
    cores = len(os.sched_getaffinity(0))
    lines = [
        "# Benchmark report",
        "",
        f"Machine: {platform.machine()}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, {cores} cores. "
        f"Command: `{COMMAND} --sizes {' '.join(map(str, arguments.sizes))}` (`make bench`).",
        f"Corpus: N seeds generated from {len(ingest_bench.TEMPLATES)} templates of all five "
        "shapes (en, fr, zh), numbers varied. Every figure is the median of "
        f"{ingest_bench.RUNS} fresh processes, measured in this run; RSS is the peak of a process "
        "(for ingest, of the parent and its worker processes' largest).",
        "",
        "## Ingest",
        "",
        f"Start-up alone (an empty seed folder): {startup:.2f} s.",
        "",
        "| N | cold s | seeds/s | unchanged s | one seed changed s | peak RSS MiB |",
        "| ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for count, figures in results.items():
        ingest = figures["ingest"]
        cold = ingest["cold"][0]
        peak = max(ingest[kind][1] for kind in ingest["spread"])
        lines.append(
            f"| {count} | {_spread(ingest, 'cold')} | {count / cold:.0f} | "
            f"{_spread(ingest, 'unchanged')} | {_spread(ingest, 'one changed')} | {peak:.0f} |"
        )
    lines += [
        "",
        "## Site build",
        "",
        "Ours: `mkdocs build --strict` with an empty card cache (as on CI), its Pagefind index "
        "included. Baseline: the same pages in Markdown files (study pages' HTML, editorial pages "
        "with their macros expanded), same theme and extensions, no macros plugin, no hooks but "
        "one that writes the same Pagefind index in the build's process. Plain: the same "
        "studies as simple pages (title, findings table, quotes) and a home page, same theme and "
        "Pagefind index (the same hook). Seconds are medians of "
        "3 with their range; the three builds are interleaved.",
        "",
        "| N | pages | ours s | baseline s | plain s | ours / baseline | ours / plain | "
        "ours ms/page | ours RSS MiB | baseline RSS MiB | Pagefind index MiB |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for count, figures in results.items():
        site = figures["site"]
        ours, base, plain, pages = site["ours"], site["baseline"], site["plain"], site["pages"]
        lines.append(
            f"| {count} | {pages} | {_spread(site, 'ours')} | {_spread(site, 'baseline')} | "
            f"{_spread(site, 'plain')} | {ours.seconds / base.seconds:.2f} | "
            f"{ours.seconds / plain.seconds:.2f} | {1000 * ours.seconds / pages:.1f} | "
            f"{ours.peak_mib:.0f} | {base.peak_mib:.0f} | {site['search_index_mib']:.1f} |"
        )
    lines += [
        "",
        "## Loading the cards (one process, as a build does)",
        "",
        "| N | empty cache s | filled cache s |",
        "| ---: | ---: | ---: |",
    ]
    for count, figures in results.items():
        site = figures["site"]
        lines.append(
            f"| {count} | {site['load_cold'].seconds:.2f} | {site['load_warm'].seconds:.2f} |"
        )
    for count, figures in results.items():
        if "serve" in figures["site"]:
            lines += [
                "",
                "## Preview",
                "",
                f"`make serve` (`mkdocs serve --dirty`) at N = {count}: "
                f"{figures['site']['serve']:.2f} s from saving an edited card to the server's "
                "`Reloading browsers` (median of 3 edits).",
            ]
    lines += ["", f"![time against N]({arguments.report.with_suffix('.png').name})", ""]
    return "\n".join(lines)


def _spread(figures: dict[str, Any], name: str) -> str:
    """A kind of run's median seconds and the range of its runs."""
    runs = figures["spread"].get(name)
    if not runs:
        return "—"
    return f"{statistics.median(runs):.2f} ({min(runs):.2f}–{max(runs):.2f})"


def _plot(results: dict[int, dict[str, Any]], path: Path) -> None:
    sizes = sorted(results)
    figure, axis = plt.subplots(figsize=(7, 4.5))
    series = {
        "ingest, cold": [results[n]["ingest"]["cold"][0] for n in sizes],
        "ingest, one seed changed": [results[n]["ingest"]["one changed"][0] for n in sizes],
        "site build, ours": [results[n]["site"]["ours"].seconds for n in sizes],
        "site build, plain-Markdown baseline": [
            results[n]["site"]["baseline"].seconds for n in sizes
        ],
        "site build, plain pages": [results[n]["site"]["plain"].seconds for n in sizes],
        "loading the cards, empty cache": [results[n]["site"]["load_cold"].seconds for n in sizes],
    }
    for label, values in series.items():
        axis.plot(sizes, values, marker="o", label=label)
    axis.set_xscale("log")
    axis.set_yscale("log")
    axis.set_xlabel("studies (N)")
    axis.set_ylabel("seconds (median of 3)")
    axis.grid(True, which="both", alpha=0.3)
    axis.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=100, metadata={"Software": None})


if __name__ == "__main__":
    main()
