"""Finding labels name what a figure measures as a noun phrase, never a clause cut at a number
(issue 13): one hand-written sentence per rule, in English, French and Chinese."""

from __future__ import annotations

import pytest

from macros.cards.taxonomy import default_taxonomy
from macros.core.text import SeedText
from macros.extract.findings import FindingReader
from macros.extract.labels import UNLABELLED, finished, outcome, source_phrase
from macros.extract.reading import build_reading


def _labels(sentence: str) -> list[str]:
    seed = SeedText.from_bytes("seeds/t.txt", f"RESULTS\n\n{sentence}\n".encode())
    reader = FindingReader(build_reading(seed), default_taxonomy())
    return [finding.label for finding in reader.read()]


@pytest.mark.parametrize(
    ("sentence", "labels"),
    [
        # the clause before a figure, cut after the figure before it
        (
            "Clavicular lesions were found in 5 of 12 patients (42%) and sacral lesions in 3 of "
            "12 (25%).",
            ["Clavicular lesions", "sacral lesions"],
        ),
        # the object of the clause's verb, not the clause
        ("Treatment with pamidronate led to remission in 7 of 9 patients (78%).", ["remission"]),
        # a passive's subject
        (
            "Complete radiological remission was achieved in 24 of 42 patients (57.1%).",
            ["Complete radiological remission"],
        ),
        # the predicate after the figure, without its verb
        ("Of these, 2 (14.3%) demonstrated persistent inflammation.", ["persistent inflammation"]),
        ("Of the 16 patients, 14 underwent follow-up MRI.", ["follow-up MRI"]),
        # a verb that says only that the outcome happened becomes its noun
        ("Overall, 3 of 16 patients (18.8%) progressed to axSpA.", ["progression to axSpA"]),
        ("Of the 20 patients, 6 (30%) relapsed within 1 year.", ["relapse within 1 year"]),
        (
            "Symptoms resolved within 3 months in 11 of 14 patients (78.6%).",
            ["resolution of symptoms within 3 months"],
        ),
        ("LDL cholesterol was reduced by 7.4% (p = 0.044).", ["reduction in LDL cholesterol"]),
        # a negated predicate keeps its negation
        ("Three of the 12 patients (25%) did not have erosions on MRI.", ["no erosions on MRI"]),
        # the test that detected it
        (
            "T1-weighted MRI identified ankylosis in 3 of 7 patients (42.9%).",
            ["ankylosis on T1-weighted MRI"],
        ),
        # a qualified group, in the subject or in the predicate
        (
            "Half of the patients initially presenting with inflammatory back pain (3/6) "
            "progressed to axSpA.",
            ["progression to axSpA in patients initially presenting with inflammatory back pain"],
        ),
        (
            "Patients treated with pamidronate had a lower relapse rate than those treated with "
            "NSAIDs (5/17 [29.4%] vs 13/25 [52.0%], P = .14).",
            ["relapse rate in patients treated with pamidronate"],
        ),
        (
            "Recurrence was more frequent in patients with vitamin D deficiency (13/20 vs 1/7, "
            "P = .03).",
            ["Recurrence in patients with vitamin D deficiency"],
        ),
        # a copula: the thing ranked, the state of a test, the kind of a finding
        ("The knee was the first joint involved in 14/27 patients (51.9%).", ["knee"]),
        (
            "The initial site was the knee in 14 (45.2%) and the ankle in 10 (32.3%).",
            ["knee", "ankle"],
        ),
        ("HLA-B27 was positive in 5 of the 14 patients (35.7%).", ["HLA-B27 positive"]),
        ("Sacroiliitis was bilateral in 8 of the 12 patients (66.7%).", ["bilateral sacroiliitis"]),
        # a generic subject: what the difference is in
        ("In women, differences were found in usual activities (p = 0.011).", ["usual activities"]),
        # the predicate after the bracket a figure stands in
        (
            "At enrolment, the majority of patients (95.4% in part A and 81.6% in part B) were "
            "in NYHA functional class II.",
            ["majority of patients", "NYHA functional class II"],
        ),
    ],
)
def test_english_labels_are_noun_phrases(sentence: str, labels: list[str]) -> None:
    assert _labels(sentence) == labels


@pytest.mark.parametrize(
    ("sentence", "labels"),
    [
        # the glossary's English name where taxonomy/terms.yml knows the word
        ("Le taux de rémission était de 45 % à 12 mois.", ["remission"]),
        # else the sentence's own noun phrase, in French: not a machine's translation
        ("Une douleur nocturne était présente chez 12 patients (40 %).", ["douleur nocturne"]),
        ("12 patients (40 %) présentaient une douleur nocturne.", ["douleur nocturne"]),
        (
            "Chez 8 patients sur 20 (40 %), une ostéopénie diffuse a été retrouvée.",
            ["ostéopénie diffuse"],
        ),
        ("Une raideur matinale a été notée dans 30 % des cas.", ["raideur matinale"]),
    ],
)
def test_french_labels_are_the_glossary_names_or_the_source_noun_phrase(
    sentence: str, labels: list[str]
) -> None:
    assert _labels(sentence) == labels


@pytest.mark.parametrize(
    ("sentence", "labels"),
    [
        ("治疗后12个月时，15例(78.9%)达到缓解。", ["remission"]),
        ("骨密度降低者8例(26.7%)。", ["骨密度降低"]),
        ("患者满意度为85%。", ["患者满意度"]),
        ("其中6例(20.0%)出现皮疹。", ["皮疹"]),
    ],
)
def test_chinese_labels_are_the_glossary_names_or_the_source_noun_phrase(
    sentence: str, labels: list[str]
) -> None:
    assert _labels(sentence) == labels


def test_no_label_is_a_clause_cut_at_a_number() -> None:
    sentences = [
        "Clavicular lesions were found in 5 of 12 patients (42%) and sacral lesions in 3 of 12 "
        "(25%).",
        "Treatment with pamidronate led to remission in 7 of 9 patients (78%).",
        "The initial site was the knee in 14 (45.2%), the ankle in 10 (32.3%) and the foot in "
        "7 (22.6%).",
        "Eight percent (n = 7) of patients receiving placebo and 4% (n = 4) of patients "
        "receiving 5 mg risedronate exhibited detectable progression of disease.",
    ]
    dangling = ("in", "and", "of", "by", "to", "than", "with", "was", "were", "the")
    for sentence in sentences:
        for label in _labels(sentence):
            assert label.split()[-1] not in dangling, label
            assert not any(c.isdigit() for c in label) or label == UNLABELLED, label


@pytest.mark.parametrize(
    ("label", "kept"),
    [
        ("gm) or the patients fed WA lost weight", "patients fed WA lost weight"),
        ("P=.91) and preparation stages of change", "preparation stages of change"),
        ("the ankle in 10 (32.3%) and the foot in", "foot"),
        ("] for the total sample", ""),
        ("patients receiving placebo", ""),  # who was counted, not what
        ("with a mean age of", "mean age"),
    ],
)
def test_what_a_cut_left_at_a_label_s_ends_is_removed(label: str, kept: str) -> None:
    assert finished(label) == kept


def test_outcome_skips_a_figure_the_floor_missed() -> None:
    text = "Clavicular lesions were found in 5 of 12 patients and sacral lesions in 3 (25%)"
    assert outcome(text, text.index("3 (25%)")) == "sacral lesions"


def test_source_phrase_needs_a_phrase() -> None:
    text = "Chez 12 patients (40 %)."
    assert source_phrase(text, text.index("12"), text.index(")") + 1) == ""
