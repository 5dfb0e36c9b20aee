"""Timing one benchmarked process: wall seconds and peak RSS (its own, not its parent's)."""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Timing:
    seconds: float
    peak_mib: float
    output: str = ""


# Linux counts in a process's peak RSS the memory of the process it was forked from (the peak
# is kept across `exec`), and a benchmark holds a site's data (hundreds of MiB): every command
# is started by this small process, which writes to a file its child's seconds, from its fork
# to its end (not this process's own start, 40 ms), and own peak (KiB).
_CHILD = """
import os, sys, time
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as measured:
    measured.write(f"{time.perf_counter() - start} {usage.ru_maxrss}")
sys.exit(os.waitstatus_to_exitcode(status))
"""


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> Timing:
    """Wall time, peak RSS and standard output of one process, which must succeed."""
    with tempfile.TemporaryDirectory() as folder:
        output, errors, measured = (Path(folder) / name for name in ("out", "err", "measured"))
        with output.open("wb") as out, errors.open("wb") as err:
            finished = subprocess.run(
                [sys.executable, "-c", _CHILD, str(measured), *command],
                cwd=cwd,
                env=env,
                stdout=out,
                stderr=err,
                check=False,
            )
        if finished.returncode != 0:
            message = errors.read_bytes().decode(errors="replace")[-3000:]
            raise RuntimeError(f"{command} failed:\n{message}")
        seconds, kib = measured.read_text().split()
        return Timing(float(seconds), int(kib) / 1024, output.read_bytes().decode(errors="replace"))


def median(timings: list[Timing]) -> Timing:
    return Timing(statistics.median(t.seconds for t in timings), max(t.peak_mib for t in timings))
