"""Timing one benchmarked process: wall seconds and peak RSS, read from its own rusage."""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Timing:
    seconds: float
    peak_mib: float
    output: str = ""


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> Timing:
    """Wall time, peak RSS and standard output of one process, which must succeed."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    output, errors = process.communicate()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if status != 0:
        raise RuntimeError(f"{command} failed:\n{errors.decode(errors='replace')[-3000:]}")
    return Timing(elapsed, usage.ru_maxrss / 1024, output.decode(errors="replace"))


def median(timings: list[Timing]) -> Timing:
    return Timing(statistics.median(t.seconds for t in timings), max(t.peak_mib for t in timings))
