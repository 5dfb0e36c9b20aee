"""The build's worker process (`macros/site/background.py`): it must give the pages the bytes
the main process would."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from macros.cards.references import vancouver_html
from macros.cards.taxonomy import default_taxonomy
from macros.site.background import REFERENCES_A_JOB, WORKER, Background, topic_summary
from tests.conftest import missing
from tests.test_summary import RELAPSE, card


@pytest.fixture
def background() -> Iterator[Background]:
    yield Background()
    WORKER.shutdown()


def test_a_summary_from_the_worker_is_the_one_computed_in_line(background: Background) -> None:
    """2/14 and 1/6 pool, so the row has a plot; the worker's copy must be the same bytes."""
    cards = [
        card("alpha-2020", [{"outcome": "relapse", "numerator": 2, "denominator": 14}]),
        card("beta-2021", [{"outcome": "relapse", "numerator": 1, "denominator": 6}]),
    ]
    background.summarise("crmo", cards, [RELAPSE], "CRMO")
    background.summarise("crmo", [], [RELAPSE], "CRMO")  # a topic is computed once per build
    from_worker = background.summary("crmo")
    in_line = topic_summary("crmo", cards, [RELAPSE], "CRMO")
    assert from_worker == in_line
    assert list(from_worker.plots) == ["plot-crmo-relapse"]
    assert from_worker.plots["plot-crmo-relapse"].startswith("<svg")
    (row,) = from_worker.rows
    assert "15% (95% CI 4.9%–38%)" in row.pooled  # pooled by hand in test_summary


def test_reference_entries_from_the_worker_are_the_ones_made_in_line(
    background: Background,
) -> None:
    cards = [card("alpha-2020", []), card("beta-2021", [], year=None)]
    taxonomy = default_taxonomy()
    background.start_references(cards, taxonomy)
    entries = background.references()
    assert entries == {c.citekey: vancouver_html(c, taxonomy) for c in cards}
    assert "Alpha" in entries["Alpha2020"]


def test_reference_entries_the_worker_has_not_started_are_made_here(
    background: Background,
) -> None:
    """A page that asks for the entries while the worker is busy takes back the shares it has
    not started (`Background.references`), rather than wait for them."""
    taxonomy = default_taxonomy()
    cards = [card(f"study{number:03d}-2020", []) for number in range(REFERENCES_A_JOB * 3)]
    WORKER.pool.submit(time.sleep, 2)  # the worker's one job at a time, for two seconds
    background.start_references(cards, taxonomy)
    entries = background.references()
    assert entries == {c.citekey: vancouver_html(c, taxonomy) for c in cards}
    assert background.shares is not None
    assert background.shares[-1][0].cancelled()  # made here, while the worker slept
    assert background.references() is entries  # made once


def test_the_worker_starts_again_after_a_shutdown(background: Background) -> None:
    taxonomy = default_taxonomy()
    background.start_references([card("alpha-2020", [])], taxonomy)
    assert list(background.references()) == ["Alpha2020"]
    WORKER.shutdown()
    again = Background()
    again.start_references([card("beta-2021", [])], taxonomy)
    assert list(again.references()) == ["Beta2021"]


def test_a_small_site_computes_its_parts_here_when_a_page_asks() -> None:
    cards = [card("alpha-2020", [{"outcome": "relapse", "numerator": 2, "denominator": 14}])]
    here = Background(in_worker=False)
    here.summarise("crmo", cards, [RELAPSE], "CRMO")
    assert not here.summaries["crmo"].done()  # nothing computed until a page asks
    assert here.summary("crmo") == topic_summary("crmo", cards, [RELAPSE], "CRMO")
    assert WORKER._pool is None  # no worker was started for it


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"  # a zombie has ended; only its parent has not read its status yet


def test_the_worker_ends_when_its_build_is_killed() -> None:
    """A terminated `mkdocs serve` never reaches `on_shutdown`: its worker must not linger."""
    if not Path("/proc/self/stat").exists():
        missing("no /proc to read a process's state", "run on Linux, as CI does")
    script = (
        "import os, time\n"
        "from macros.site.background import WORKER\n"
        "print(WORKER.pool.submit(os.getpid).result(), flush=True)\n"
        "time.sleep(60)\n"
    )
    build = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert build.stdout is not None
    worker = int(build.stdout.readline())
    assert _running(worker)
    build.kill()
    build.wait()
    deadline = time.monotonic() + 15
    while _running(worker) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _running(worker)
