"""Property tests: any text gives a card or a clear SeedError, never a crash or a partial file."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from macros.cards.project import Project
from macros.cards.taxonomy import default_taxonomy
from macros.commands.ingest import ingest
from macros.core.text import SeedError, SeedText
from macros.shapes import extract
from macros.shapes.assemble import build_card

SHAPE_PIECES = [
    "Case 1 – A 21-year-old female patient",
    "HLA B27 positive",
    "ABSTRACT",
    "Home >> ",
    "原文出处:",
    "2021-07-26 x MedSci原创",
    "Scand J Rheumatol. 2009 Jan;38(1):63-5.",
    "doi: 10.1080/0300974",
    "2 (14.3%)",
    "94% [95%置信区间:90、98]vs89%",
    "P < .001",
    "five of the nine patients",
    "{{ 7*7 }}",
    "<img src=x onerror=alert(1)>",
    "\u202e",
    "\x00",
    "40±10",
    "-\n",
    "\n\n",
    "3/6",
    "Figure 1. ",
    "et al.",
    '{"title": "x", "abstract": "',
]
texts = st.one_of(
    st.text(max_size=2000),
    st.lists(st.one_of(st.sampled_from(SHAPE_PIECES), st.text(max_size=40)), max_size=60).map(
        "".join
    ),
    st.builds(
        lambda t, a, r: json.dumps({"title": t, "abstract": a, "resultStr": r}),
        st.text(max_size=80),
        st.text(max_size=300),
        st.text(max_size=100),
    ),
)


def _assert_a_card_or_a_clear_error(raw: bytes) -> None:
    """A card that a person has not reviewed, each of whose quotes is a verbatim part of the
    seed at its line; or a SeedError that says what is wrong. Nothing else (no crash)."""
    seed: SeedText | SeedError
    try:
        seed = SeedText.from_bytes("seeds/fuzz.txt", raw)
    except SeedError as error:
        seed = error
    if isinstance(seed, SeedError):
        assert seed.message, "a SeedError must say what is wrong"
        assert seed.line >= 0
        return
    card = build_card(seed, extract(seed), default_taxonomy(), None, set(), set())
    assert card.review.status != "reviewed"  # only a person marks a card reviewed
    assert card.source.sha256 == seed.sha256
    lines = len(seed.lines)
    for finding in card.findings:
        assert finding.quote in seed.text
        assert 1 <= finding.location.line <= lines
    for case in card.cases:
        assert 1 <= case.location.line <= lines


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_any_text_gives_a_card_or_a_clear_error(text: str) -> None:
    _assert_a_card_or_a_clear_error(text.encode("utf-8", errors="surrogatepass"))


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=3000))
def test_any_bytes_give_a_card_or_a_clear_error(raw: bytes) -> None:
    _assert_a_card_or_a_clear_error(raw)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(texts, min_size=1, max_size=3))
def test_ingest_of_arbitrary_seeds_leaves_only_whole_files(
    tmp_path: Path, seeds: list[str]
) -> None:
    root = tmp_path / "run"
    (root / "seeds").mkdir(parents=True, exist_ok=True)
    for old in (root / "seeds").glob("*"):
        old.unlink()
    for index, text in enumerate(seeds):
        (root / "seeds" / f"{index}.txt").write_bytes(text.encode("utf-8", "surrogatepass"))
    report = ingest(Project.at(root), default_taxonomy())
    assert report.read == len(seeds)
    assert not list(root.rglob("*.tmp"))
    assert all(error.file.startswith("seeds/") and error.message for error in report.errors)
