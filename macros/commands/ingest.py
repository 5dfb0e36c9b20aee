"""`evidence ingest`: seeds in, cards and the bibliography out, editors' edits kept.

For each seed: skip it when its sha256 and the extractor version match what was last ingested
(no parse, no write); otherwise detect its shape, build the card, and merge it three ways with the
editor's file and with what ingest wrote last (kept in `.evidence/machine/<id>.json`). One bad
seed is reported as a problem (`path:line: CODE message`) and the others go on. Files are written
atomically and only when their bytes change, so a second run with nothing new changes nothing.
Where the seeds, cards, bibliography and state are is the `Project`'s to say.
"""

from __future__ import annotations

import functools
import hashlib
import json
import multiprocessing
import os
import stat
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap

from ..cards.cardfiles import CardCache, CardError, RunStore, not_a_mapping
from ..cards.model import Card
from ..cards.project import Project
from ..cards.taxonomy import Taxonomy
from ..cards.yamlio import (
    YamlError,
    dump_round_trip,
    load_round_trip,
    remove_stale_temporaries,
    write_atomic,
)
from ..core.identifiers import unique
from ..core.problems import Problem
from ..core.text import SeedError, SeedText, counted, sha256_of
from ..shapes import extract
from ..shapes.assemble import EXTRACTOR_VERSION, Identity, build_card

LEFT_AS_IT_IS = "the card was left as it is"
LEFT_OUT = "left out of the bibliography"
CARD_HEADER = (
    "Evidence card, made by `evidence ingest` and owned by editors from now on: edit any field,\n"
    "add notes or comments, set review.status. Re-running ingest keeps your changes."
)


@dataclass
class Report:
    read: int = 0
    written: int = 0
    unchanged: int = 0
    warnings: list[Problem] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{counted(self.read, 'seed')} read, {counted(self.written, 'card')} written, "
            f"{self.unchanged} unchanged, {counted(len(self.warnings), 'warning')}, "
            f"{counted(len(self.errors), 'error')}"
        )


class FileMemo(RunStore):
    """What ingest computed from files' bytes, by the files' status, in this machine's cache
    folder beside the card cache (`cardfiles.cache_file`).

    A run with nothing to do would otherwise read and hash every seed (to compare its sha256 with
    its state's), parse every state and hash every card for the bibliography's fingerprint. As
    git does for its index, a value is used again only while each file it came from has the same
    size, modification and change times (ns), inode and device, and only if those files were
    last changed well before the run that computed it (`RACY_NS`: a file changed twice within
    one tick of the file system's clock keeps its times). The sha256 stays the truth: a file
    whose status changed is read and hashed again. Like the card cache, the memo is outside the
    work tree, so nothing a pull request commits can supply a value; deleting it costs one run
    the reading.
    """

    RACY_NS = 2_000_000_000

    def __init__(self, file: Path | None) -> None:
        """`file` None: nothing is kept (every value is computed)."""
        super().__init__(file)
        self._settled = time.time_ns() - self.RACY_NS  # changed after this: may change unseen

    def value(self, paths: list[Path], compute: Callable[[], object]) -> object:
        """`compute()`, a function of the bytes of `paths`, or its value when they last had
        the status they have."""
        key = self._key(paths)
        if key is None:
            return compute()
        value = self._known[key] if key in self._known else compute()
        self._used[key] = value
        return value

    def _key(self, paths: list[Path]) -> str | None:
        """The status of regular files settled before this run, as a key; None otherwise."""
        if self.file is None:
            return None
        key = hashlib.sha256()
        for path in paths:
            try:
                status = os.lstat(path)
            except OSError:
                return None
            if (
                not stat.S_ISREG(status.st_mode)
                or max(status.st_mtime_ns, status.st_ctime_ns) >= self._settled
            ):
                return None
            key.update(
                f"{path}\0{status.st_size}\0{status.st_mtime_ns}\0{status.st_ctime_ns}\0"
                f"{status.st_ino}\0{status.st_dev}\n".encode()
            )
        return key.hexdigest()


@dataclass(frozen=True)
class MachineState:
    """What ingest last wrote for a card: the base of the next three-way merge."""

    seed: str
    sha256: str
    extractor: int
    card: dict[str, Any]
    taxonomy: str = ""  # `Taxonomy.digest` of the taxonomy the card was made with

    def identity(self) -> Identity:
        return Identity(str(self.card["id"]), str(self.card["citekey"]))


def _read_state(path: Path) -> MachineState | None:
    """The state in a file; None when it is damaged, which only costs a fresh merge base."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        state = MachineState(
            data["seed"],
            data["sha256"],
            int(data["extractor"]),
            data["card"],
            str(data.get("taxonomy", "")),
        )
        state.identity()  # a card without an id or citekey is no merge base either
    except (ValueError, KeyError, TypeError):
        return None
    return state if isinstance(state.seed, str) else None


@dataclass(frozen=True)
class _Recorded:
    """What ingest needs of a state for every seed (whether the seed is current, which id and
    citekey are taken); the card, the base of a merge, is read only for a seed ingested again."""

    path: Path
    seed: str
    sha256: str
    extractor: int
    taxonomy: str
    card_id: str
    citekey: str

    @classmethod
    def of(cls, path: Path, memo: FileMemo) -> _Recorded | None:
        summary = memo.value([path], functools.partial(_summary, path))
        if not isinstance(summary, list) or [type(v) for v in summary] != _SUMMARY_TYPES:
            return None  # a damaged state (or memo)
        seed, sha256, extractor, taxonomy, card_id, citekey = summary
        return cls(path, seed, sha256, extractor, taxonomy, card_id, citekey)

    def identity(self) -> Identity:
        return Identity(self.card_id, self.citekey)

    def card(self) -> dict[str, Any]:
        """The merge base: the card ingest wrote last (empty if the file changed meanwhile)."""
        state = _read_state(self.path)
        return state.card if state and state.seed == self.seed else {}


_SUMMARY_TYPES = [str, str, int, str, str, str]


def _summary(path: Path) -> list[Any] | None:
    """`_Recorded`'s fields of a state file, as JSON for the memo (None: a damaged state)."""
    state = _read_state(path)
    if state is None:
        return None
    identity = state.identity()
    return [
        state.seed,
        str(state.sha256),
        state.extractor,
        state.taxonomy,
        identity.id,
        identity.citekey,
    ]


def _load_states(folder: Path, memo: FileMemo) -> dict[str, _Recorded]:
    """The states by seed (of two for one seed, the last file's)."""
    states: dict[str, _Recorded] = {}
    for path in sorted(folder.glob("*.json"), key=lambda p: p.name):  # same folder: by name
        state = _Recorded.of(path, memo)
        if state is not None:
            states[state.seed] = state
    return states


def _state_text(state: MachineState) -> str:
    return json.dumps(state.__dict__, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def _holds(path: Path, content: str) -> bool:
    return path.exists() and path.read_text(encoding="utf-8") == content


def write_if_changed(path: Path, content: str) -> bool:
    if _holds(path, content):
        return False
    write_atomic(path, content)
    return True


@dataclass
class _Writer:
    """Writes a file only when its bytes change; in check mode writes nothing and reports
    each file that is not what ingest would write (CI: every published card is committed).

    A card and its state are written by `write_later` on a few threads: each atomic write waits
    for its fsync (about 5 ms here, 2,000 of them at N = 1,000), and threads let the file system
    commit them together while this process goes on. One seed's files are written in order, the
    card before its state, as before: a state never claims a card that was not written.
    """

    project: Project
    check: bool
    report: Report
    _pool: ThreadPoolExecutor | None = None
    _pending: list[Future[None]] = field(default_factory=list)

    WRITE_THREADS = 4

    def write(self, path: Path, content: str) -> bool:
        if not self.check:
            return write_if_changed(path, content)
        if _holds(path, content):
            return False
        folders = ", ".join(
            f"{self.project.relative(folder)}/"
            for folder in (self.project.cards, self.project.bib.parent, self.project.state)
        )
        self.report.errors.append(
            Problem.at(
                "E-NOT-INGESTED",
                self.project.relative(path),
                message="not what `evidence ingest` makes of the seeds: run `evidence ingest` "
                f"and commit {folders}",
            )
        )
        return True

    def write_later(self, files: list[tuple[Path, str]]) -> list[bool]:
        """`write` of each file, in order, finished by `flush`: which ones change."""
        if self.check:
            return [self.write(path, content) for path, content in files]
        changed = [not _holds(path, content) for path, content in files]
        if any(changed):
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self.WRITE_THREADS, "ingest-write")
            writes = [file for file, change in zip(files, changed, strict=True) if change]
            self._pending.append(self._pool.submit(_write_all, writes))
        return changed

    def flush(self) -> None:
        """Wait for every `write_later` (raising the first error)."""
        if self._pool is None:
            return
        with self._pool:
            for pending in self._pending:
                pending.result()
        self._pool, self._pending = None, []


def _write_all(files: list[tuple[Path, str]]) -> None:
    for path, content in files:
        write_atomic(path, content)


def new_card_text(data: dict[str, Any]) -> str:
    # Imported here, as merge and bib below: not a cost of a run with nothing to do.
    from ..cards.emitter import dump_card

    return dump_card(data, CARD_HEADER)


def ingest(
    project: Project,
    taxonomy: Taxonomy,
    seeds: Iterable[Path] | None = None,
    progress: Callable[[list[_Task]], Iterable[_Task]] = lambda items: items,
    check: bool = False,
) -> Report:
    """Ingest `seeds` (default: every seed). `check`: write nothing, and report as errors the
    files that ingest would change."""
    report = Report()
    writer = _Writer(project, check, report)
    if not check:
        for folder in (project.cards, project.state, project.bib.parent):
            remove_stale_temporaries(folder)
    cache = project.cache
    memo = FileMemo(cache.with_name("ingest.json") if cache else None)  # beside the card cache
    states = _load_states(project.state, memo)
    taken_ids = {s.card_id.casefold() for s in states.values()}
    taken_keys = {s.citekey.casefold() for s in states.values()}
    listed = (
        _listed_seeds(project)
        if seeds is None
        else [(p, project.relative(p)) for p in sorted(seeds)]
    )
    if seeds is None:
        report.warnings.extend(_orphans(project, states.values(), {r for _, r in listed}))
    pending: list[_Task] = []
    made: dict[Path, tuple[str, Card]] = {}  # new card files, their text and card
    for path, relative in listed:
        report.read += 1
        try:
            sha256, raw = _seed_sha256(path, memo)
        except SeedError as error:
            report.errors.append(
                Problem.at("E-SEED-UNREADABLE", relative, error.line, 0, error.message)
            )
            continue
        state = states.get(relative)
        if state and _is_current(state, sha256, taxonomy, project):
            report.unchanged += 1
            continue
        raw = _read_seed(path) if raw is None else raw
        pending.append(_Task(relative, raw, state.identity() if state else None))
    for task, outcome in zip(progress(pending), _read_cards(pending, taxonomy), strict=True):
        if isinstance(outcome, Problem):
            report.errors.append(outcome)
            continue
        card, encoding_note = outcome
        if encoding_note:
            report.warnings.append(Problem.at("W-SEED-ENCODING", task.seed, message=encoding_note))
        if task.identity is None:  # a new seed: the first free id and citekey, in seed order
            card = card.model_copy(
                update={
                    "id": unique(card.id, taken_ids, "-"),
                    "citekey": unique(card.citekey, taken_keys),
                }
            )
        taken_ids.add(card.id.casefold())
        taken_keys.add(card.citekey.casefold())
        machine = card.to_data()
        card_path = project.cards / f"{card.id}.yml"
        state = states.get(task.seed)
        try:
            if card_path.exists():
                base = state.card() if state else {}
                text = _merged_text(card_path, base, machine, task.seed, report, project)
            else:
                text = new_card_text(machine)
                made[card_path] = (text, card)
        except YamlError as error:
            report.errors.append(_noted(project, error.problem(), LEFT_AS_IT_IS))
            continue
        except CardError as error:
            report.errors += [_noted(project, p, LEFT_AS_IT_IS) for p in error.problems]
            continue
        state_text = _state_text(
            MachineState(task.seed, card.source.sha256, EXTRACTOR_VERSION, machine, taxonomy.digest)
        )
        changed, _ = writer.write_later(
            [(card_path, text), (project.state / f"{card.id}.json", state_text)]
        )
        if changed:
            report.written += 1
        else:
            report.unchanged += 1
    writer.flush()  # the bibliography is made from the card files
    _write_bibliography(project, writer, memo, made)
    memo.save()
    return report


def _noted(project: Project, problem: Problem, note: str) -> Problem:
    """A card's problem, its file named as the project names it, with what ingest did about it."""
    file = project.relative(problem.file)
    return Problem.at(
        problem.code, file, problem.line, problem.column, f"{problem.message}; {note}"
    )


def _orphans(project: Project, states: Iterable[_Recorded], listed: set[str]) -> Iterator[Problem]:
    """Cards whose seed is gone (not among the `listed` seeds, nor elsewhere): still published,
    no longer traceable to a source."""
    for state in states:
        if state.seed in listed:
            continue
        card_id = state.card_id
        card = project.cards / f"{card_id}.yml"
        if card.exists() and not (project.root / state.seed).exists():
            machine = project.state / f"{card_id}.json"
            yield Problem.at(
                "W-CARD-ORPHANED",
                project.relative(card),
                message=f"its seed {state.seed} is gone: restore the seed, or remove the card "
                f"with `git rm {project.relative(card)} {project.relative(machine)}`",
            )


def _is_current(state: _Recorded, sha256: str, taxonomy: Taxonomy, project: Project) -> bool:
    """The seed is the one last ingested, by this extractor with this taxonomy, and its card is
    still there."""
    return (
        state.sha256 == sha256
        and state.extractor == EXTRACTOR_VERSION
        and state.taxonomy == taxonomy.digest
        and (project.cards / f"{state.card_id}.yml").exists()
    )


@dataclass(frozen=True)
class _Task:
    """A seed to read: its path for messages, its bytes, and its card's identity if it has one."""

    seed: str
    raw: bytes
    identity: Identity | None


PARALLEL_FROM = 40  # below this many seeds, starting worker processes costs more than it saves
_taxonomy: Taxonomy | None = None  # the taxonomy of this process's `_read_card`


def _read_cards(
    tasks: list[_Task], taxonomy: Taxonomy
) -> Iterator[tuple[Card, str | None] | Problem]:
    """Each task's card (id and citekey not yet made unique) or its problem, in order.

    Reading a seed is pure and CPU-bound, so it runs on every core when there are many;
    everything that depends on order or touches files stays in the calling process.
    """
    workers = min(len(os.sched_getaffinity(0)), len(tasks) // PARALLEL_FROM)
    _use_taxonomy(taxonomy)
    if workers < 2:
        yield from map(_read_card, tasks)
        return
    # The first seed is read here, before the fork: what reading makes on first use (lingua's
    # models, compiled patterns and gates) is then each worker's from the fork, made once.
    first = _read_card(tasks[0])
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    with context.Pool(workers, _use_taxonomy, (taxonomy,)) as pool:
        rest = pool.imap(_read_card, tasks[1:], chunksize=8)
        yield first  # the caller writes it on threads: only once the workers are forked
        yield from rest


def _use_taxonomy(taxonomy: Taxonomy) -> None:
    global _taxonomy
    _taxonomy = taxonomy


def _read_card(task: _Task) -> tuple[Card, str | None] | Problem:
    """The card and what to warn of its seed's encoding, or the problem."""
    assert _taxonomy is not None
    try:  # only a seed's own problem is reported here; a bug in the code raises
        seed = SeedText.from_bytes(task.seed, task.raw)
        card = build_card(seed, extract(seed), _taxonomy, task.identity, (), ())
    except SeedError as error:
        return Problem.at(error.code, task.seed, error.line, 0, error.message)
    return card, seed.encoding_note


def _read_seed(path: Path) -> bytes:
    if path.is_symlink():
        raise SeedError("is a symbolic link; copy the seed into the repository instead")
    return path.read_bytes()


def _listed_seeds(project: Project) -> list[tuple[Path, str]]:
    """Every seed, in order, and how messages name it (`Project.relative`, worked out once for
    the folder when it is inside the root: resolving each of 5,000 paths cost 0.07 s)."""
    paths = sorted(project.seeds.glob("*.txt"), key=lambda p: p.name)  # one folder: by name
    folder = project.seeds
    if not folder.is_relative_to(project.root) or ".." in folder.parts:
        return [(path, project.relative(path)) for path in paths]
    prefix = "" if folder == project.root else f"{project.relative(folder)}/"
    return [(path, prefix + path.name) for path in paths]


def _seed_sha256(path: Path, memo: FileMemo) -> tuple[str, bytes | None]:
    """A seed's sha256 (`FileMemo`: recorded while its status is unchanged), and its bytes when
    they were read for it; SeedError for a symbolic link."""
    read: list[bytes] = []

    def digest() -> str:
        read.append(_read_seed(path))
        return sha256_of(read[-1])

    sha256 = memo.value([path], digest)
    if not isinstance(sha256, str):  # a damaged memo
        sha256 = digest()
    return sha256, (read[-1] if read else None)


def _merged_text(
    card_path: Path,
    base: dict[str, Any],
    machine: dict[str, Any],
    seed: str,
    report: Report,
    project: Project,
) -> str:
    ours = load_round_trip(card_path)
    if not isinstance(ours, CommentedMap):
        raise CardError([not_a_mapping(card_path, ours)])
    from ..cards.merge import merge

    conflicts = merge(base, ours, machine)
    for conflict in conflicts:
        report.warnings.append(
            Problem.at(
                "W-MERGE-CONFLICT",
                project.relative(card_path),
                message=f"conflict with {seed}: {conflict.describe()}",
            )
        )
    return dump_round_trip(ours)


def _cards_fingerprint(card_paths: list[Path], bib: Path) -> str:
    """A hash of every card file and of the bibliography: equal means nothing to rebuild."""
    digest = hashlib.sha256()
    for path in [*card_paths, bib]:
        digest.update(path.name.encode() + b"\0")
        digest.update(path.read_bytes() if path.exists() else b"(missing)")
        digest.update(b"\0")
    return digest.hexdigest()


def _write_bibliography(
    project: Project, writer: _Writer, memo: FileMemo, made: dict[Path, tuple[str, Card]]
) -> None:
    """Rebuild the bibliography from the cards (editors' edits included), unless no card and
    not the bibliography itself changed since it was last written: loading every card is the
    slow part of a run that has nothing to do (and reading every card to know it, the next:
    hence the memo). The cards this run `made` (new files: their text and card) are not parsed
    again: loading 1,000 just written took a second, in one process, after the workers."""
    card_paths = sorted(project.cards.glob("*.yml"), key=lambda p: p.name)  # one folder: by name
    stamp = project.state / "bibliography.sha256"
    fingerprint = memo.value(
        [*card_paths, project.bib], functools.partial(_cards_fingerprint, card_paths, project.bib)
    )
    if stamp.exists() and stamp.read_text("utf-8").strip() == fingerprint:
        return
    cards = []
    cache = CardCache(project.cache)
    for card_path in card_paths:
        if card_path in made:
            cards.append(cache.made(*made[card_path]))
            continue
        try:
            cards.append(cache.load(card_path))
        except YamlError as error:
            writer.report.errors.append(_noted(project, error.problem(), LEFT_OUT))
        except CardError as error:
            writer.report.errors += [_noted(project, p, LEFT_OUT) for p in error.problems]
    cache.save()
    from ..cards.bib import bibliography

    writer.write(project.bib, bibliography(cards))
    if len(cards) == len(card_paths):  # a card in error must be reported again next run
        writer.write(stamp, _cards_fingerprint(card_paths, project.bib) + "\n")


def print_report(report: Report) -> None:
    for problem in report.errors:
        print(problem.text(), file=sys.stderr)
    for problem in report.warnings:
        print(f"warning: {problem.text()}", file=sys.stderr)
    print(report.summary())


__all__ = ["Report", "ingest", "print_report"]
