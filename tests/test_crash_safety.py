"""Killing ingest at any moment leaves every card, state and the bibliography whole."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from macros.bib import read_back
from macros.cardfiles import load_card
from macros.yamlio import write_atomic

from .conftest import FIXTURES, ROOT

KILL_AFTER = (0.8, 1.5, 2.2, 3.0)  # seconds: start-up is about 1 s, then cards are written


def _seed_corpus(folder: Path, copies: int) -> None:
    folder.mkdir(parents=True)
    sources = sorted((ROOT / "seeds").glob("*.txt")) + sorted((FIXTURES / "seeds").glob("*.txt"))
    for copy in range(copies):
        for source in sources:
            text = source.read_bytes() + f"\nCopy {copy}.\n".encode()
            (folder / f"{copy:02d}-{source.name}").write_bytes(text)


def _assert_whole(root: Path) -> None:
    for card in (root / "docs" / "cards").glob("*.yml"):
        load_card(card)  # raises on a torn file
    for state in (root / ".evidence" / "machine").glob("*.json"):
        json.loads(state.read_text("utf-8"))
    bib = root / "bib" / "references.bib"
    if bib.exists():
        read_back(bib.read_text("utf-8"))


def test_killed_ingest_leaves_only_whole_files(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    _seed_corpus(root / "seeds", copies=4)
    command = [sys.executable, "-m", "macros", "ingest", "--root", str(root)]
    for delay in KILL_AFTER:
        process = subprocess.Popen(
            command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        _assert_whole(root)
        # A changed seed makes the next run rewrite cards that already exist.
        first = sorted((root / "seeds").glob("*.txt"))[0]
        first.write_bytes(first.read_bytes() + b"\nEdited.\n")
    finished = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert finished.returncode == 0, finished.stderr
    _assert_whole(root)
    assert not list(root.rglob("*.tmp"))
    cards = len(list((root / "docs" / "cards").glob("*.yml")))
    assert cards == len(list((root / "seeds").glob("*.txt")))
    shutil.rmtree(root)


def test_a_write_that_fails_before_the_rename_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "card.yml"
    target.write_text("old: true\n", encoding="utf-8")

    def interrupted(source: object, destination: object) -> None:
        raise KeyboardInterrupt  # as if the process were stopped between write and rename

    monkeypatch.setattr("macros.yamlio.os.replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, "new: true\n")
    assert target.read_text(encoding="utf-8") == "old: true\n"
    assert not list(tmp_path.glob("*.tmp"))
