"""Skipping a sentence that lacks what every match of a rule holds never loses a match."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from macros.extract.figures import BARE_COUNT_RULE, P_RULE, QUANTITIES, RULES

from .conftest import SEED_FILES

SEEDS = SEED_FILES
PIECES = [
    "95% CI", "(95%置信区间:90、98)", "14 (14.3%)", "2/14", "3 of 16", "sur", "parmi", "among",
    "vs", "VS.", "versus", "对比", "contre", "±", "range", "IQR", "范围", "extrêmes", "mean",
    "Average", "were", "had", "HR", "OR=2.41，", "median", "one", "twenty-three", "patients",
    "p = 0.03", "(< 0.001)", "κ = 0.84", "r s=−0.90", "mean difference", "MD = −0.55", "CI",
    "compared with", "$10,574", "time to onset", "was", "of", "ratio", "[", "±", "h", "−",
    "from", "to", "+/-", "mmHg", "points", "SD", "0.5", "12 kg", "difference", "MD",
    ", ", " ", "(", ")", "[", "]", "%", "/", "-", "–", "～", "to", "à", "12", "3.5", "0,8",
]  # fmt: off
texts = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=5)), max_size=40).map("".join)


def _holds_required(text: str) -> None:
    """Wherever a rule's pattern matches, its gates pass (in the sentences the rules see)."""
    for sentence in text.replace("\r", "\n").split("\n"):
        for rule in (*RULES, P_RULE, *QUANTITIES, BARE_COUNT_RULE):
            if rule.pattern.search(sentence):
                missing = [g.pattern for g in rule.gates if not g.search(sentence)]
                assert not missing, (rule.name, missing, sentence)


@pytest.mark.parametrize("seed", SEEDS, ids=[s.name for s in SEEDS])
def test_every_match_in_the_seeds_holds_its_required_text(seed: Path) -> None:
    _holds_required(seed.read_bytes().decode("utf-8-sig", errors="replace"))


@settings(max_examples=300, deadline=None)
@given(texts)
def test_every_match_in_any_text_holds_its_required_text(text: str) -> None:
    _holds_required(text)
