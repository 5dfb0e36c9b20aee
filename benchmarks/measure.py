"""Timing one benchmarked process: wall seconds and peak RSS, read from its own rusage."""

from __future__ import annotations

import os
import statistics
import subprocess
import tempfile
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
    with tempfile.TemporaryFile() as output, tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=output, stderr=errors)
        _, status, usage = os.wait4(process.pid, 0)  # this child's own rusage, then reaped
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        errors.seek(0)
        if process.returncode != 0:
            message = errors.read().decode(errors="replace")[-3000:]
            raise RuntimeError(f"{command} failed:\n{message}")
        return Timing(elapsed, usage.ru_maxrss / 1024, output.read().decode(errors="replace"))


def median(timings: list[Timing]) -> Timing:
    return Timing(statistics.median(t.seconds for t in timings), max(t.peak_mib for t in timings))
