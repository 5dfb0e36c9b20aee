"""The parts of a build computed in a second process while MkDocs converts the study pages.

MkDocs converts pages one at a time, on one core. Two parts of a build need none of the study
pages and cost seconds at 1,000 studies: each topic's summary of findings (statsmodels and
matplotlib take 2 s to import, then a forest plot per outcome) and the reference entries of the
topic pages (citeproc-py, about 1 ms each). One worker process computes them. It starts, and
imports those libraries, as soon as the build knows it has many cards (`data.SiteBuild.of`,
before it loads them); `hooks.on_files` gives it the jobs, in the order the pages will ask, and
puts the study pages first, so the parts are ready when the editors' pages are converted. The
worker runs the functions the main process would, on pickled copies of the cards: the pages are
the same bytes. A `mkdocs build` lets the worker exit once the pages are written
(`hooks.on_post_build`), while Pagefind indexes them.

A site of fewer than `WORKER_FROM` studies has its parts computed in this process, when a page
first asks for them: starting a worker and its imports (2 s) would cost it more than it saves.
`mkdocs serve` keeps the worker between rebuilds (its imports are paid once); `hooks.on_shutdown`
ends it. The worker is started with `spawn`: a fork of a server with threads is unsafe.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

from ..cards.model import Card
from ..cards.references import vancouver_html
from ..cards.taxonomy import Outcome, Taxonomy
from .render import SummaryRow


@dataclass(frozen=True)
class TopicSummary:
    """What `summary_of_findings` puts on a topic page: its Markdown, the rows of its table
    (written as a slot at its `render.SUMMARY_TABLE`) and its plots by slot."""

    markdown: str
    rows: tuple[SummaryRow, ...]
    plots: dict[str, str]


def topic_summary(
    topic: str, cards: Sequence[Card], outcomes: Sequence[Outcome], title: str
) -> TopicSummary:
    """The summary of findings of one topic (`cards` in the order the page lists them)."""
    from . import summary  # matplotlib and statsmodels: 2 s to import, in the worker only

    found = summary.rows(cards, outcomes, title)
    plots = {summary.plot_id(topic, r.outcome): r.plot for r in found if r.plot is not None}
    unassigned = sum(finding.outcome is None for card in cards for finding in card.findings)
    markdown = summary.summary_markdown(topic, found, unassigned)
    return TopicSummary(markdown, summary.summary_rows(found), plots)


def reference_entries(cards: Sequence[Card], taxonomy: Taxonomy) -> dict[str, str]:
    """Each card's reference as the reference lists show it (`references.vancouver_html`)."""
    return {card.citekey: vancouver_html(card, taxonomy) for card in cards}


WORKER_FROM = 300  # studies: a second process pays for itself from about here (benchmarks/)
T = TypeVar("T")


class _Later(Future[T]):
    """A job run in this process when its result is first asked for."""

    def __init__(self, job: Callable[[], T]) -> None:
        super().__init__()
        self._job = job

    def result(self, timeout: float | None = None) -> T:
        if not self.done():
            self.set_result(self._job())
        return super().result(timeout)


def _end_with(parent: int) -> None:
    """In the worker: exit once the process that started it is gone. A build killed before its
    `on_shutdown` (a terminated `mkdocs serve`) would otherwise leave the worker waiting."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


def _prepare(parent: int) -> None:
    """In the worker, as it starts: end with the build (`_end_with`), and import the libraries
    of the summaries now, while the build loads its cards, not when the first job comes."""
    _end_with(parent)
    from . import summary  # noqa: F401  (matplotlib)
    from .pooling import import_statsmodels

    import_statsmodels()


class _Worker:
    """The one worker process, started on first use and kept until `shutdown`."""

    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None

    @property
    def pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            context = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(
                max_workers=1, mp_context=context, initializer=_prepare, initargs=(os.getpid(),)
            )
        return self._pool

    def start(self) -> None:
        """Start the process now (a pool starts it at its first job): its imports begin."""
        self.pool.submit(os.getpid)

    def shutdown(self, wait: bool = True) -> None:
        """End the process; without `wait`, let it exit while this one goes on (its jobs are
        cancelled unless running)."""
        if self._pool is not None:
            self._pool.shutdown(wait=wait, cancel_futures=True)
            self._pool = None


WORKER = _Worker()


REFERENCES_A_JOB = 100  # cards: the share of the reference entries this process may take back


@dataclass
class Background:
    """One build's topic summaries and reference entries: computed in the worker, or in this
    process when asked for (`in_worker` false: a small site).

    The reference entries go to the worker in shares, after the summaries. A page that asks for
    them computes here every share the worker has not started: this process would only wait,
    while the worker may still have summaries to compute (which need libraries this process
    does not load). Both processes then work until the entries are all there."""

    in_worker: bool = True
    summaries: dict[str, Future[TopicSummary]] = field(default_factory=dict)
    shares: list[tuple[Future[dict[str, str]], Callable[[], dict[str, str]]]] | None = None
    _entries: dict[str, str] | None = None

    def __post_init__(self) -> None:
        if self.in_worker:
            WORKER.start()

    def _run(self, job: Callable[..., T], *arguments: Any) -> Future[T]:
        if self.in_worker:
            return WORKER.pool.submit(job, *arguments)
        return _Later(lambda: job(*arguments))

    def summarise(
        self, topic: str, cards: Sequence[Card], outcomes: Sequence[Outcome], title: str
    ) -> None:
        if topic not in self.summaries:
            self.summaries[topic] = self._run(
                topic_summary, topic, list(cards), tuple(outcomes), title
            )

    def summary(self, topic: str) -> TopicSummary:
        return self.summaries[topic].result()

    def start_references(self, cards: Sequence[Card], taxonomy: Taxonomy) -> None:
        if self.shares is None:
            self.shares = []
            for start in range(0, len(cards), REFERENCES_A_JOB):
                share = list(cards[start : start + REFERENCES_A_JOB])
                job = functools.partial(reference_entries, share, taxonomy)
                self.shares.append((self._run(job), job))

    def references(self) -> dict[str, str]:
        """Every card's reference entry, by citekey (`start_references` first)."""
        assert self.shares is not None, "start_references first"
        if self._entries is None:
            # From the last share back, as the worker goes from the first on: a share it has not
            # started is cancelled and done here, so both work until they meet.
            shares = reversed(self.shares)
            backwards = [job() if future.cancel() else future.result() for future, job in shares]
            self._entries = {k: v for share in reversed(backwards) for k, v in share.items()}
        return self._entries
