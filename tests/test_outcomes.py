"""Outcomes: editors list them per topic in `taxonomy/outcomes.yml`, ingest suggests one for each
finding from its label (and its quote when no other finding shares it), `check` refuses an
outcome the topic does not list, and a changed outcome list makes ingest read the seeds again."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from macros.cards.cardfiles import load_card
from macros.cards.model import Finding, Location
from macros.cards.project import Project
from macros.cards.taxonomy import Taxonomy, load_taxonomy
from macros.cards.yamlio import YamlError
from macros.commands.ingest import ingest
from macros.extract.outcomes import suggest_outcome

from .conftest import ROOT

OUTCOMES = """\
outcomes:
  crmo:
    - id: remission
      label: Remission
      kind: proportion
      synonyms: {en: [remission], fr: [rémission], zh: [缓解]}
    - id: sacroiliitis
      label: Sacroiliitis
      kind: proportion
      synonyms: {en: [sacroiliitis], fr: [sacro-iliite], zh: [骶髂关节炎]}
    - id: chronic-sacroiliitis
      label: Chronic sacroiliitis
      kind: proportion
      synonyms: {en: [chronic sacroiliitis], fr: [sacro-iliite chronique], zh: [慢性骶髂关节炎]}
    - id: mri-detection
      label: Detection of lesions on MRI
      kind: diagnostic
      synonyms: {en: [lesions], fr: [lésions], zh: [病灶]}
    - id: age
      label: Age at onset
      kind: mean
      synonyms: {en: [age at onset], fr: [âge au début], zh: [发病年龄]}
"""


def _taxonomy(folder: Path, outcomes: str = OUTCOMES) -> Taxonomy:
    for name in ("topics.yml", "terms.yml"):
        shutil.copy(ROOT / "taxonomy" / name, folder / name)
    (folder / "outcomes.yml").write_text(outcomes, encoding="utf-8")
    return load_taxonomy(folder)


@pytest.fixture
def taxonomy(tmp_path: Path) -> Taxonomy:
    return _taxonomy(tmp_path)


def _finding(
    label: str, quote: str = "In the cohort, 3 of 10 had it.", **figures: object
) -> Finding:
    counts: dict[str, object] = figures if figures else {"numerator": 3, "denominator": 10}
    return Finding.model_validate(
        {"label": label, "value": "3/10", "quote": quote, "location": Location(line=1), **counts}
    )


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("remission", "remission"),
        ("Remission at 6 months", "remission"),  # case-insensitive, whole words
        ("rémission complète", "remission"),  # French synonym
        ("完全缓解", "remission"),  # Chinese synonym, found inside the sentence
        ("chronic sacroiliitis", "chronic-sacroiliitis"),  # not also `sacroiliitis`
        ("sacroiliitis", "sacroiliitis"),
        ("remission of sacroiliitis", None),  # two outcomes named: for an editor to place
        ("owned a dog", None),  # no outcome named
        ("premissions", None),  # `remission` inside another word is no match
    ],
)
def test_the_label_suggests_the_outcome_it_names(
    taxonomy: Taxonomy, label: str, expected: str | None
) -> None:
    assert suggest_outcome(_finding(label), "crmo", taxonomy) == expected


def test_the_quote_decides_only_when_the_label_names_nothing_and_no_finding_shares_it(
    taxonomy: Taxonomy,
) -> None:
    finding = _finding("improved", quote="Remission was reached by 3 of 10 patients.")
    assert suggest_outcome(finding, "crmo", taxonomy) == "remission"
    # Two findings read from one sentence: the sentence names what one of them is about.
    assert suggest_outcome(finding, "crmo", taxonomy, quote_shared=True) is None
    named = _finding("sacroiliitis", quote="Remission was reached by 3 of 10 patients.")
    assert suggest_outcome(named, "crmo", taxonomy) == "sacroiliitis"  # the label wins


def test_only_outcomes_of_a_compatible_kind_are_suggested(taxonomy: Taxonomy) -> None:
    sensitivity = _finding("sensitivity for lesions", metric="sensitivity", percent=90.0)
    counts = _finding("lesions", numerator=3, denominator=10)
    assert suggest_outcome(sensitivity, "crmo", taxonomy) == "mri-detection"
    assert suggest_outcome(counts, "crmo", taxonomy) is None  # lesions counted: no diagnostic
    mean = _finding("age at onset", mean=9.5, sd=2.0)
    share = _finding("age at onset", numerator=3, denominator=10)
    assert suggest_outcome(mean, "crmo", taxonomy) == "age"
    assert suggest_outcome(share, "crmo", taxonomy) is None  # a count is no mean


def test_outcomes_of_another_topic_are_never_suggested(taxonomy: Taxonomy) -> None:
    assert suggest_outcome(_finding("remission"), "synthetic-ct", taxonomy) is None


@pytest.mark.parametrize(
    ("outcomes", "message"),
    [
        ("outcomes:\n  no-such-topic: []\n", "outcomes.no-such-topic: not a topic"),
        (
            "outcomes:\n  crmo:\n    - {id: a, label: A, kind: proportion, synonyms: {}}\n"
            "    - {id: a, label: B, kind: mean, synonyms: {}}\n",
            "outcome id 'a' is listed twice",
        ),
        (
            "outcomes:\n  crmo:\n    - {id: a, label: A, kind: rate, synonyms: {}}\n",
            "crmo.0.kind",
        ),
        (
            "outcomes:\n  crmo:\n    - {id: a, label: A, kind: mean, synonyms: {}, "
            "certainty: very high}\n",
            "crmo.0.certainty",
        ),
    ],
)
def test_a_broken_outcome_list_is_an_error_naming_file_and_key(
    tmp_path: Path, outcomes: str, message: str
) -> None:
    with pytest.raises(YamlError) as raised:
        _taxonomy(tmp_path, outcomes)
    assert "outcomes.yml" in str(raised.value)
    assert message in str(raised.value)


def test_a_new_synonym_makes_ingest_suggest_again(workspace: Path) -> None:
    """An editor adds an outcome: the next ingest reads the seeds again with it (the machine
    state records the taxonomy it used), and a card gains the outcome."""
    folder = workspace / "taxonomy"
    folder.mkdir()
    project = Project.at(workspace)
    before = _taxonomy(folder, "outcomes: {}\n")
    ingest(project, before)
    card_path = next(p for p in project.cards.glob("*.yml") if p.name.startswith("erol-"))
    assert all(f.outcome is None for f in load_card(card_path).findings)
    after = _taxonomy(
        folder,
        "outcomes:\n  isotretinoin-sacroiliitis:\n"
        "    - {id: axspa, label: Progression to axSpA, kind: proportion, "
        "synonyms: {en: [axSpA]}}\n",
    )
    report = ingest(project, after)
    assert report.written >= 1
    outcomes = [f.outcome for f in load_card(card_path).findings]
    assert "axspa" in outcomes
