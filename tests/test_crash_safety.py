"""Killing ingest in the middle of a write leaves every card, state and the bibliography whole.

The kill is not left to timing: a wrapper of the run's `os` (only as `macros.cards.yamlio` sees it)
kills the process with SIGKILL inside the write it names, after half of the new content is in
the temporary file, or once it is all there but not yet renamed. Each test then proves that the
write was interrupted (the process died by SIGKILL, its temporary file is still there) before
it checks that every file is whole and that the next run finishes the work.
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from macros.cards.bib import read_back
from macros.cards.cardfiles import load_card
from macros.cards.yamlio import write_atomic

from .conftest import ROOT

# `python -c KILLED ROOT N HOW`: ingest ROOT, SIGKILL itself in its N-th file write, either
# after half of the content (`mid-write`) or before the rename (`before-rename`).
KILLED = r"""
import os, signal, sys
import macros.cards.yamlio
from macros.commands.cli import main

root, after, how = sys.argv[1], int(sys.argv[2]), sys.argv[3]
writes = 0

def kill():
    os.kill(os.getpid(), signal.SIGKILL)

class Interrupting:
    def __getattr__(self, name):
        return getattr(os, name)

    def fdopen(self, *args, **kwargs):
        global writes
        handle = os.fdopen(*args, **kwargs)
        writes += 1
        if writes == after and how == "mid-write":
            write = handle.write
            def half(text):
                write(text[: len(text) // 2])
                handle.flush()
                os.fsync(handle.fileno())
                kill()
            handle.write = half
        return handle

    def replace(self, source, target):
        if writes == after and how == "before-rename":
            kill()
        os.replace(source, target)

macros.cards.yamlio.os = Interrupting()
sys.exit(main(["ingest", "--root", root]))
"""


def _ingest(root: Path, killed_in: int = 0, how: str = "") -> subprocess.CompletedProcess[str]:
    script = ["-c", KILLED, str(root), str(killed_in), how] if killed_in else ["-m", "macros"]
    command = [sys.executable, *script] + ([] if killed_in else ["ingest", "--root", str(root)])
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)


def _assert_whole(root: Path) -> None:
    for card in (root / "docs" / "cards").glob("*.yml"):
        load_card(card)  # raises on a torn file
    for state in (root / ".evidence" / "machine").glob("*.json"):
        json.loads(state.read_text("utf-8"))
    bib = root / "bib" / "references.bib"
    if bib.exists():
        read_back(bib.read_text("utf-8"))


def _interrupted(result: subprocess.CompletedProcess[str], root: Path) -> list[Path]:
    """The temporary files left, the interrupted write's (half written) among them: proof that
    it was. Cards and states are written on several threads, so others may be open too."""
    assert result.returncode == -signal.SIGKILL, (result.returncode, result.stderr)
    temporaries = sorted(root.rglob(".*.tmp"))
    assert any(temporary.stat().st_size > 0 for temporary in temporaries)
    return temporaries


@pytest.mark.parametrize("how", ["mid-write", "before-rename"])
def test_an_ingest_killed_while_it_rewrites_a_card_keeps_the_old_card(
    tmp_path: Path, how: str
) -> None:
    root = tmp_path / "repo"
    shutil.copytree(ROOT / "seeds", root / "seeds")
    assert _ingest(root).returncode == 0
    seed = sorted((root / "seeds").glob("*.txt"))[0]
    [card] = [p for p in (root / "docs" / "cards").glob("*.yml") if seed.name in p.read_text()]
    old = card.read_bytes()
    seed.write_bytes(seed.read_bytes() + b"\nEdited.\n")  # ingest now rewrites that card first

    [temporary] = _interrupted(_ingest(root, killed_in=1, how=how), root)  # the first write

    assert temporary.parent == card.parent
    assert temporary.name.startswith(f".{card.name}.")
    assert card.read_bytes() == old  # the old card, whole: the new one only ever in the temporary
    _assert_whole(root)
    finished = _ingest(root)
    assert finished.returncode == 0, finished.stderr
    assert card.read_bytes() != old
    assert not list(root.rglob("*.tmp"))
    _assert_whole(root)


@pytest.mark.parametrize("killed_in", [1, 4, 9])
def test_an_ingest_killed_while_it_writes_new_files_leaves_only_whole_files(
    tmp_path: Path, killed_in: int
) -> None:
    root = tmp_path / "repo"
    shutil.copytree(ROOT / "seeds", root / "seeds")

    for temporary in _interrupted(_ingest(root, killed_in, "mid-write"), root):
        target = temporary.parent / temporary.name[1:].removesuffix(".tmp").rsplit(".", 1)[0]
        assert not target.exists()  # a file being written for the first time is not there at all
    _assert_whole(root)
    finished = _ingest(root)
    assert finished.returncode == 0, finished.stderr
    assert not list(root.rglob("*.tmp"))
    _assert_whole(root)
    cards = len(list((root / "docs" / "cards").glob("*.yml")))
    assert cards == len(list((root / "seeds").glob("*.txt")))


def test_a_write_that_fails_before_the_rename_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "card.yml"
    target.write_text("old: true\n", encoding="utf-8")

    def interrupted(source: object, destination: object) -> None:
        raise KeyboardInterrupt  # as if the process were stopped between write and rename

    monkeypatch.setattr("macros.cards.yamlio.os.replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, "new: true\n")
    assert target.read_text(encoding="utf-8") == "old: true\n"
    assert not list(tmp_path.glob("*.tmp"))
