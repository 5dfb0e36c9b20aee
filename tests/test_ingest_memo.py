"""Ingest's memo (`FileMemo`): a run with nothing to do reads no seed, yet sees every change.

A seed's sha256 decides whether it is read again; the memo keeps it, and a state's summary and
the cards' fingerprint, by the file's status (size, mtime, ctime, inode, device), as git's index
does. These tests make every file "settled" at once (`RACY_NS`), then change seeds in the ways
that keep some of that status, and check that ingest notices each.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import macros.commands.ingest as ingest_module
from macros.cards.project import Project
from macros.cards.taxonomy import default_taxonomy
from macros.commands.ingest import FileMemo, Report, ingest

SEED = "000_450730007b657565.txt"


@pytest.fixture
def project(
    workspace: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Project:
    cache = tmp_path_factory.mktemp("machine-cache")  # not in the workspace: it would be unused
    monkeypatch.setenv("EVIDENCE_CACHE_DIR", str(cache))
    # Every file counts as settled, however recently it was written (the real margin is 2 s).
    monkeypatch.setattr(FileMemo, "RACY_NS", -(10**12))
    return Project.at(workspace)


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the seeds whose bytes ingest reads."""
    names: list[str] = []
    original = ingest_module._read_seed

    def counting(path: Path) -> bytes:
        names.append(path.name)
        return original(path)

    monkeypatch.setattr(ingest_module, "_read_seed", counting)
    return names


def _run(project: Project) -> Report:
    return ingest(project, default_taxonomy())


def test_a_run_with_nothing_to_do_reads_no_seed(project: Project, reads: list[str]) -> None:
    _run(project)
    assert len(reads) == 5  # the first run reads each seed once, and records its sha256
    reads.clear()
    report = _run(project)
    assert (report.unchanged, report.written) == (5, 0)
    assert reads == []


def test_a_seed_changed_to_the_same_size_and_mtime_is_read_again(
    project: Project, reads: list[str]
) -> None:
    _run(project)
    seed = project.seeds / SEED
    status = seed.stat()
    raw = seed.read_bytes()
    with seed.open("r+b") as handle:  # the same inode, the same size
        handle.write(b"X" if raw[:1] != b"X" else b"Y")
    os.utime(seed, ns=(status.st_atime_ns, status.st_mtime_ns))  # the old mtime back
    assert (seed.stat().st_size, seed.stat().st_mtime_ns) == (status.st_size, status.st_mtime_ns)
    reads.clear()
    report = _run(project)
    assert SEED in reads  # its ctime changed: hashed again, and ingested again
    assert report.unchanged == 4


def test_a_seed_replaced_by_another_file_is_read_again(project: Project, reads: list[str]) -> None:
    _run(project)
    seed = project.seeds / SEED
    status = seed.stat()
    raw = seed.read_bytes()
    replacement = seed.with_suffix(".new")  # the same size and mtime, another inode
    replacement.write_bytes(raw[:-1] + (b"X" if raw[-1:] != b"X" else b"Y"))
    os.utime(replacement, ns=(status.st_atime_ns, status.st_mtime_ns))
    replacement.replace(seed)
    reads.clear()
    report = _run(project)
    assert SEED in reads
    assert report.unchanged == 4


def test_files_changed_during_the_run_that_read_them_are_not_kept(
    project: Project, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(FileMemo, "RACY_NS", 2_000_000_000)
    memo = FileMemo(tmp_path / "memo.json")
    fresh = tmp_path / "fresh.txt"
    fresh.write_text("just written", encoding="utf-8")
    calls: list[str] = []

    def compute() -> str:
        calls.append("computed")
        return "value"

    assert memo.value([fresh], compute) == memo.value([fresh], compute) == "value"
    assert len(calls) == 2  # computed each time: it may change again within its mtime's tick
    memo.save()
    assert not (tmp_path / "memo.json").exists()


def test_a_damaged_memo_or_state_costs_only_reading(project: Project) -> None:
    _run(project)
    cache = project.cache
    assert cache is not None
    memo = cache.with_name("ingest.json")
    stored = json.loads(memo.read_text("utf-8"))
    stored["values"] = dict.fromkeys(stored["values"], 12)  # values of the wrong type
    memo.write_text(json.dumps(stored), "utf-8")
    state = sorted(project.state.glob("*.json"))[0]
    data = json.loads(state.read_text("utf-8"))
    del data["card"]["id"]  # a state whose card has no id: no merge base (it crashed ingest)
    state.write_text(json.dumps(data), "utf-8")
    report = _run(project)
    assert not report.errors
    assert report.read == 5
    memo.write_text("{not json", "utf-8")
    assert not _run(project).errors


def test_the_memo_lives_beside_the_card_cache_outside_the_work_tree(project: Project) -> None:
    _run(project)
    cache = project.cache
    assert cache is not None
    assert cache.with_name("ingest.json").exists()
    assert not cache.is_relative_to(project.root)
    assert not list(project.root.rglob("ingest.json"))
