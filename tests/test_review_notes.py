"""Typed review notes: each code is documented, each is made by a real seed, and a card's status
follows from the notes' severity (`W-` asks for review, `N-` informs), not from their wording."""

from __future__ import annotations

import re

import pytest

from macros.cards.model import Card
from macros.cards.taxonomy import default_taxonomy
from macros.core.problems import REVIEW_CODES, Problem
from macros.core.text import SeedText
from macros.shapes import extract
from macros.shapes.assemble import build_card

from .conftest import ROOT

CASE_SERIES = (
    "Chronic recurrent multifocal osteomyelitis in children: a case series\n"
    "Doe J, Roe R.\nPediatr Rheumatol. 2020;18(1):1-5. doi: 10.1186/x.2020.1\n"
    "We report 3 patients with chronic recurrent multifocal osteomyelitis.\n"
    "Case 1 – A 9-year-old girl had pain of the clavicle. MRI showed bone marrow oedema.\n"
)
# (seed text, or bytes in another encoding) that makes the code appear on its card
SEEDS: dict[str, str | bytes] = {
    "W-SEED-ENCODING": (
        "Sacro-iliite sous isotrétinoïne chez une élève âgée de 17 ans, traitée pour acné.\n"
        "Résultats : la douleur a disparu après l'arrêt du traitement.\n"
    ).encode("cp1252"),
    "W-SHAPE-UNKNOWN": (ROOT / "tests/fixtures/seeds/unknown-poster-notes.txt").read_text("utf-8"),
    "W-TOPIC-UNCLASSIFIED": "Results\nOf 40 patients with asthma, 12 (30%) improved.\n",
    "W-PARTICIPANTS-DISAGREE": (
        "Results\n120 patients with CRMO were enrolled. Later, 98 patients were included.\n"
    ),
    "W-CASES-COUNT": CASE_SERIES,
    "W-ARITHMETIC": "Results\nIn CRMO, relapse occurred in 7/17 (45.0%) patients.\n",
    "W-FIGURE-SKIPPED": (
        "Results\nIn CRMO, the mean time to remission was 111111111111111111111111 vs 7.8 "
        "months, P = .02.\n"
    ),
    "W-CASE-VALUE-LOST": (
        "Chronic recurrent multifocal osteomyelitis of the sacrum: a case report\n"
        "Doe J.\nPediatr Rheumatol. 2020;18(1):1-5.\n"
        "Case presentation\nA 9-year-old girl with CRMO had pain of the sacrum. "
        "Her erythrocyte sedimentation rate was de mm / h. MRI showed bone marrow oedema.\n"
    ),
    "N-FIELD-MISSING": "Results\nIn CRMO, relapse occurred in 7/17 (41.2%) patients.\n",
    "N-READ-FROM-CONTEXT": (
        "Results\nAmong the 16 patients with CRMO, 14 underwent MRI; of these, 2 (14.3%) "
        "demonstrated persistent inflammation.\n"
    ),
    "N-FIGURE-INCOMPLETE": (
        "Results\nFor CRMO, sensitivity was 94% (95% CI 90-97) vs 86% (95% confidence "
        "interval) for MRI.\n"
    ),
    "N-OUTCOME-UNMATCHED": "Results\nIn CRMO, 7/17 (41.2%) patients owned a dog.\n",
    "N-COMPUTED-FROM-COUNTS": (
        "Results\nIn CRMO, of 20 lesions on CT, MRI found 18 (true positives 18, false "
        "negatives 2, true negatives 30, false positives 0).\n"
    ),
}


def documented_review_codes() -> list[str]:
    text = (ROOT / "CONTRIBUTING.md").read_text("utf-8")
    section = text.split("\n## Review-note codes\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `([WN]-[A-Z0-9-]+)` \|", section, re.M)


def _card(seed: str | bytes) -> Card:
    raw = seed if isinstance(seed, bytes) else seed.encode("utf-8")
    text = SeedText.from_bytes("seeds/x.txt", raw)
    return build_card(text, extract(text), default_taxonomy(), None, set(), set())


def test_contributing_documents_exactly_the_review_codes() -> None:
    documented = documented_review_codes()
    assert len(documented) == len(set(documented))
    assert set(documented) == REVIEW_CODES == set(SEEDS)


@pytest.mark.parametrize("code", sorted(REVIEW_CODES))
def test_each_review_code_is_made_by_a_seed_and_sets_the_status(code: str) -> None:
    card = _card(SEEDS[code])
    codes = [note.split(" ", 1)[0] for note in card.review.notes]
    assert code in codes, card.review.notes
    asks_for_review = any(c.startswith("W-") for c in codes)
    assert card.review.status == ("needs-review" if asks_for_review else "machine")


def test_a_note_is_a_problem_naming_its_code_field_and_message() -> None:
    note = Problem.review_note("W-ARITHMETIC", "findings.2", "7/17 is 41.18%, not the stated 45.0%")
    assert note.severity == "warning"
    assert note.field == "findings.2"
    assert note.note_text() == "W-ARITHMETIC findings.2: 7/17 is 41.18%, not the stated 45.0%"
    assert Problem.review_note("N-FIELD-MISSING", "pmid", "not stated").severity == "note"
    with pytest.raises(ValueError, match="unknown review-note code"):
        Problem.review_note("W-SOMETHING-NEW", "title", "x")
    with pytest.raises(ValueError, match="unknown review-note code"):  # a check's code is not one
        Problem.review_note("E-PERCENT-MISMATCH", "findings.2", "x")
