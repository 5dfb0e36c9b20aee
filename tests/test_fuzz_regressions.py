"""Every input the fuzzers found (tests/fuzz/regressions/) and the corpus they start from, replayed.

No atheris needed: the targets of `tests/fuzz/targets.py` run each file directly, under a time
limit. A file in `regressions/<target>/` failed once (a traceback, a hang, a broken round trip);
its test fails again until the code is fixed, and then guards the fix. The corpus (real seeds,
test seeds, real cards) goes through both targets: a card read as a seed and a seed read as a
card must also give a card or a clear error.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fuzz.targets import HANG_SECONDS, TARGETS, time_limit

ROOT = Path(__file__).resolve().parent.parent
REGRESSIONS = ROOT / "tests" / "fuzz" / "regressions"
CORPUS = [
    *sorted((ROOT / "seeds").glob("*.txt")),
    *sorted((ROOT / "tests" / "fixtures" / "seeds").glob("*.txt")),
    *sorted((ROOT / "docs" / "cards").glob("*.yml")),
]


def _regressions() -> list[object]:
    cases: list[object] = []
    for target in TARGETS:
        folder = REGRESSIONS / target
        for path in sorted(folder.iterdir()) if folder.is_dir() else ():
            if path.is_file() and not path.name.startswith("."):
                cases.append(pytest.param(target, path, id=f"{target}/{path.name}"))
    return cases


REGRESSIONS_FOUND = _regressions()


def _corpus() -> list[object]:
    return [
        pytest.param(target, path, id=f"{target}<-{path.relative_to(ROOT)}")
        for path in CORPUS
        for target in TARGETS
    ]


def _replay(target: str, path: Path) -> None:
    with time_limit(HANG_SECONDS):
        TARGETS[target](path.read_bytes())


@pytest.mark.parametrize(("target", "path"), REGRESSIONS_FOUND)
def test_a_found_crash_stays_fixed(target: str, path: Path) -> None:
    _replay(target, path)


@pytest.mark.parametrize(("target", "path"), _corpus())
def test_the_fuzz_corpus_gives_cards_or_clear_errors(target: str, path: Path) -> None:
    _replay(target, path)


def test_the_corpus_and_regressions_are_there() -> None:
    assert len(CORPUS) >= 5
    # A folder per target that found something (git keeps no empty one); each is replayed.
    assert {p.name for p in REGRESSIONS.iterdir() if p.is_dir()} <= set(TARGETS)
    assert len(REGRESSIONS_FOUND) >= 14
