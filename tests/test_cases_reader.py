"""Case rows: where a case ends, one field per statement, no caption or page debris, and a measure
whose number the source lost is a review note, not a value (issue 13)."""

from __future__ import annotations

import pytest

from macros.cards.taxonomy import default_taxonomy
from macros.core.problems import Problem
from macros.core.text import SeedText
from macros.extract.cases import CaseRows, read_case_rows
from macros.extract.reading import build_reading

TEXT_FIELDS = ("labs", "imaging", "treatment", "outcome", "follow_up")


def _rows(text: str) -> CaseRows:
    seed = SeedText.from_bytes("seeds/t.txt", text.encode())
    return read_case_rows(build_reading(seed), default_taxonomy().exposures)


def _cases(text: str) -> list[dict[str, object]]:
    seed = SeedText.from_bytes("seeds/t.txt", text.encode())
    rows = read_case_rows(build_reading(seed), default_taxonomy().exposures)
    return [row.model_dump(exclude_none=True, exclude={"location"}) for row in rows.cases]


def _notes(text: str) -> list[tuple[str, str]]:
    return [(note.code, note.field) for note in _rows(text).notes]


def _all_text(row: dict[str, object]) -> str:
    return " ".join(str(value) for value in row.values())


# -- where a case ends ----------------------------------------------------------------------------
def test_discussion_glued_to_a_caption_ends_the_last_case() -> None:
    text = (
        "Patient A Un garçon âgé de sept ans présentait une douleur du talon droit. "
        "Il a reçu de la prednisolone. IRM du sacrum montrant une amélioration du segment "
        "supérieurDiscussion Des cas de réponse à l’infliximab ont été décrits.\n"
    )
    rows = _cases(text)
    assert len(rows) == 1
    assert rows[0]["age"] == 7
    assert rows[0]["sex"] == "M"
    assert "infliximab" not in str(rows[0])


def test_each_case_marker_starts_a_row_with_its_own_facts() -> None:
    text = (
        "Case 1 – A 34-year-old man had hip pain. He was HLA-B27 positive.\n"
        "Case 2 – A 19-year-old woman had heel pain. She was HLA-B27 negative.\n\n"
        "DISCUSSION\nA 50-year-old man was described by others.\n"
    )
    rows = _cases(text)
    assert [(r["case"], r["age"], r["sex"], r["hla_b27"]) for r in rows] == [
        (1, 34, "M", "positive"),
        (2, 19, "F", "negative"),
    ]


# -- one field per statement ----------------------------------------------------------------------
def test_a_sentence_of_two_statements_fills_two_fields_each_once() -> None:
    """`Her pain resolved within 4 weeks, and a follow-up MRI at 6 months was normal`: the outcome
    and the follow-up, neither repeated in the other field."""
    text = (
        "Case 1 – A 17-year-old girl developed low back pain. MRI showed bone marrow oedema of "
        "the left sacroiliac joint. Naproxen 500 mg twice daily was started. Her pain resolved "
        "within 4 weeks, and a follow-up MRI at 6 months was normal.\n"
    )
    (row,) = _cases(text)
    assert row["outcome"] == "Her pain resolved within 4 weeks"
    assert row["follow_up"] == "a follow-up MRI at 6 months was normal."
    assert row["treatment"] == "Naproxen 500 mg twice daily was started."


def test_a_statement_naming_a_treatment_and_a_response_is_the_treatment() -> None:
    text = (
        "Case 1 – A 29-year-old man began to suffer from pain in his lumbar region. MRI revealed "
        "active sacroiliitis. His complaints alleviated with NSAID therapy in a few months, and "
        "after 3 years, a sacroiliac MRI revealed regression.\n"
    )
    (row,) = _cases(text)
    assert row["treatment"] == "His complaints alleviated with NSAID therapy in a few months"
    assert "outcome" not in row
    # the clause without a verb leans on the statement after it
    assert row["follow_up"] == "after 3 years, a sacroiliac MRI revealed regression."


def test_a_follow_up_statement_is_follow_up_though_it_names_the_drug_and_remission() -> None:
    text = (
        "Case 3 – A 14-year-old girl developed chest wall pain. Intravenous pamidronate 1 mg/kg "
        "was started. She remained in remission on pamidronate at 15 months of follow-up.\n"
    )
    (row,) = _cases(text)
    assert row["follow_up"] == (
        "She remained in remission on pamidronate at 15 months of follow-up."
    )
    assert "remission" not in str(row.get("outcome", ""))
    assert "remission" not in str(row["treatment"])


def test_a_clause_of_another_field_is_its_own_statement_in_french() -> None:
    text = (
        "Patient 2\nUn homme de 19 ans a été traité par isotrétinoïne à la dose de 40 mg par "
        "jour. Malgré l’arrêt de l’isotrétinoïne et un traitement par indométacine, "
        "l’amélioration n’a été que partielle.\n"
    )
    (row,) = _cases(text)
    assert row["treatment"] == "Malgré l’arrêt de l’isotrétinoïne et un traitement par indométacine"
    assert row["outcome"] == "l’amélioration n’a été que partielle."


def test_no_text_is_in_two_fields() -> None:
    text = (
        "Case 1 – A 21-year-old female patient was started on a daily dose of 50 mg "
        "isotretinoin. After 2 months, she began to experience pain in her lumbar region. The "
        "ESR and CRP were in the normal range, and the patient was HLA B27 positive. MRI "
        "revealed bone marrow edema, consistent with active sacroiliitis. Isotretinoin was "
        "stopped and NSAID treatment was started. Her complaints alleviated with NSAID therapy "
        "after 2 weeks and her complaints resolved after 2 months. On control MRI after 2 "
        "years, a regression of the edema was observed.\n"
    )
    (row,) = _cases(text)
    parts = [p for name in TEXT_FIELDS for p in str(row.get(name, "")).split(" … ") if p]
    assert len(parts) == len(set(parts))
    for one in parts:
        assert not any(one != other and one in other for other in parts), one
    assert row["hla_b27"] == "positive"
    assert row["outcome"] == "her complaints resolved after 2 months."
    assert str(row["follow_up"]).startswith("On control MRI after 2 years, a regression")


# -- what is not the case's prose -----------------------------------------------------------------
def test_a_french_figure_widget_and_its_caption_copies_are_left_out() -> None:
    """A saved web page's figure, machine-translated: the widget (`Figure Vue large…`), both
    copies of the caption, and the caption's first copy glued to the widget that follows it."""
    text = (
        "PATIENT 1 Un homme âgé de 52 ans présentait une douleur du genou gauche. L’IRM a "
        "révélé un œdème du condyle fémoral médial. Il a reçu une perfusion de pamidronate "
        "60 mg, et les symptômes ont disparu en 6 mois. L’IRM de contrôle à un an était "
        "normale\n\n"
        "Figure Vue largeDownload slideIRM du genou gauche du patient 1, montrant un œdème du "
        "condyle fémoral médialFigure View largeTélécharger la lameIRM du genou gauche du "
        "patient 1 montrant un œdème médullaire\n\n"
        "PATIENT 2 Une femme de 61 ans présentait une douleur de hanche. La patiente a reçu du "
        "calcium et de la vitamine D. Les symptômes ont disparu après 9 mois\n\n"
        "IRM de la hanche de la patiente 2 montrant un œdème de la tête fémoraleFigure vue "
        "grandLargeur de téléchargementIRM de la hanche de la patiente 2 montrant un "
        "œdèmeDiscussion L’ORM est une maladie rare.\n"
    )
    first, second = _cases(text)
    for row in (first, second):
        for debris in ("Figure", "Vue", "View", "Download", "Télécharger", "slide", "montrant"):
            assert debris not in _all_text(row), (debris, row)
    assert first["follow_up"] == "L’IRM de contrôle à un an était normale"
    assert first["outcome"] == "les symptômes ont disparu en 6 mois."
    assert second["treatment"] == "La patiente a reçu du calcium et de la vitamine D."
    assert second["outcome"] == "Les symptômes ont disparu après 9 mois"


def test_an_english_figure_widget_is_left_out() -> None:
    text = (
        "Case 1 – A 9-year-old boy presented with a 6-week history of thigh pain. MRI "
        "revealed bone marrow oedema of the distal femur.\n\n"
        "Figure 1. View large Download slide MRI of the femur showing bone marrow oedema. "
        "Open in new tab\n\n"
        "He was treated with naproxen and remained free of symptoms at 18 months of "
        "follow-up.\n"
    )
    (row,) = _cases(text)
    assert "slide" not in _all_text(row)
    assert "showing" not in _all_text(row)
    assert row["imaging"] == "MRI revealed bone marrow oedema of the distal femur."
    assert row["treatment"] == "He was treated with naproxen"


def test_a_pdf_running_header_is_cut_out_and_the_sentence_joined_again() -> None:
    text = (
        "Rheumatology International (2019) 39:1455–1463\n\n"
        "CASE REPORTS\n\n"
        "Case 2 – A 9-year-old boy was referred with a 6-week history of left thigh \n"
        "pain. CRP was 9 mg/L and ESR 21 mm/h. He was treated with naproxen \n\n"
        "1456\tRheumatology International (2019) 39:1455–1463\n\n"
        "1 3\n\n"
        "10 mg/kg twice daily, and no relapse occurred during 18 months \n"
        "of follow-up.\n"
    )
    (row,) = _cases(text)
    assert row["treatment"] == "He was treated with naproxen 10 mg/kg twice daily"
    assert row["follow_up"] == "no relapse occurred during 18 months of follow-up."
    assert "Rheumatology" not in _all_text(row)


def test_a_table_set_one_cell_per_line_after_its_caption_is_left_out() -> None:
    text = (
        "Case 4 – A 34-year-old man presented with pain in the right clavicle. He was \n"
        "treated with intravenous pamidronate 30 mg on 3 consecutive days. He was free \n"
        "of symptoms at 30 months of follow-up.\n\n"
        "Table 1 Clinical characteristics of the patients\nPatient\nAge (years)/sex\n"
        "Treatment\nOutcome\n1\n11/F\nNaproxen, adalimumab\nRemission at 12 months\n"
        "2\n9/M\nNaproxen\nRemission at 6 weeks\n\nDISCUSSION\nCRMO is rare.\n"
    )
    (row,) = _cases(text)
    assert "adalimumab" not in _all_text(row)
    assert "11/F" not in _all_text(row)
    assert "drug" not in row  # the table named a drug no sentence of the case does
    assert row["follow_up"] == "He was free of symptoms at 30 months of follow-up."


@pytest.mark.parametrize(
    ("sentence", "kept"),
    [
        (  # a number glued to the word before it by a lost space is separated
            "Her control MRI findings were similar compared with that1 year ago.",
            "Her control MRI findings were similar compared with that 1 year ago.",
        ),
        (  # a reference number glued to a word is dropped
            "A control MRI showed regression of the sacroiliitis12.",
            "A control MRI showed regression of the sacroiliitis.",
        ),
        ("A control MRI showed regression [4, 6].", "A control MRI showed regression."),
        ("A control MRI showed regression (Fig. 2b).", "A control MRI showed regression."),
        ("A control MRI showed regression²³.", "A control MRI showed regression."),
    ],
)
def test_reference_marks_and_call_outs_are_left_out(sentence: str, kept: str) -> None:
    text = (
        f"Case 1 – A 44-year-old woman developed back pain. MRI revealed sacroiliitis. {sentence}\n"
    )
    (row,) = _cases(text)
    assert row["follow_up"] == kept


def test_an_entity_a_translator_spaced_out_is_read_as_its_character() -> None:
    text = (
        "Patient 1\nUn homme âgé de 52 ans avait mal au genou. La vitesse de sédimentation était "
        "de 14 mm / h et la CRP de & lt; 5 mg / L.\n"
    )
    (row,) = _cases(text)
    assert row["labs"] == "La vitesse de sédimentation était de 14 mm / h et la CRP de < 5 mg / L."


def test_a_concentration_is_no_dose() -> None:
    text = (
        "Case 1 – A 17-year-old girl received isotretinoin for acne and developed back pain. "
        "CRP was 12 mg/L.\n"
    )
    (row,) = _cases(text)
    assert row["drug"] == "isotretinoin"
    assert "dose" not in row


# -- a measure whose number is missing ------------------------------------------------------------
def test_a_measure_without_its_number_is_a_note_not_a_value() -> None:
    text = (
        "Case presentation\nA 9-year-old girl with CRMO had pain of the sacrum. Her erythrocyte "
        "sedimentation rate was de mm / h. MRI showed bone marrow oedema.\n"
    )
    rows = _rows(text)
    (row,) = rows.cases
    assert row.labs is None
    assert row.imaging == "MRI showed bone marrow oedema."
    (note,) = rows.notes
    assert isinstance(note, Problem)
    assert (note.code, note.field, note.severity) == (
        "W-CASE-VALUE-LOST",
        "cases.0.labs",
        "warning",
    )
    assert "mm / h" in note.message
    assert "sedimentation rate was de mm / h" in note.message


@pytest.mark.parametrize(
    ("sentence", "field"),
    [
        ("Son taux de CRP était de mg / L.", "labs"),
        ("Aucun symptôme constitutionnel, bien que sa VS ait été élevée à mm / h.", "labs"),
        ("Sept mois plus tard, son taux de CRP est resté normal à & lt. ; mg / L.", "labs"),
        ("Elle a reçu g de méthylprednisolone pendant trois jours consécutifs.", "treatment"),
        ("Le patient a reçu un traitement hebdomadaire de mg de prednisolone.", "treatment"),
        ("Her haemoglobin was of g/dL.", None),
        ("C-reactive protein rose to mg/L.", "labs"),
        ("The ESR was elevated at mm/h.", "labs"),
        ("Sa VS est tombée à Cependant, elle a repris la marche.", "labs"),
    ],
)
def test_lost_numbers_in_english_and_french(sentence: str, field: str | None) -> None:
    text = f"Patient 1\nUne femme âgée de 40 ans avait mal au dos. {sentence}\n"
    rows = _rows(text)
    where = "cases.0" + (f".{field}" if field else "")
    assert ("W-CASE-VALUE-LOST", where) in [(n.code, n.field) for n in rows.notes]
    assert "mg / L" not in _all_text(rows.cases[0].model_dump(exclude_none=True))


def test_a_lost_dose_and_onset_of_the_suspected_drug_are_named_so() -> None:
    text = (
        "Patient 2\nUn homme de 19 ans a été traité par isotrétinoïne à la dose de mg par jour "
        "pour une acné du dos. Après mois de traitement, il a présenté une lombalgie nocturne. "
        "L’antigène HLA-B27 était positif et la CRP était de mg / L. L’IRM a révélé une "
        "sacro-iliite bilatérale.\n"
    )
    rows = _rows(text)
    assert _notes(text) == [
        ("W-CASE-VALUE-LOST", "cases.0.dose"),
        ("W-CASE-VALUE-LOST", "cases.0.time_to_onset"),
        ("W-CASE-VALUE-LOST", "cases.0.labs"),
    ]
    (row,) = rows.cases
    # the other clauses of those sentences are kept
    assert row.hla_b27 == "positive"
    assert row.symptoms == "une lombalgie nocturne"
    assert row.imaging == "L’IRM a révélé une sacro-iliite bilatérale."
    assert row.dose is None
    assert row.time_to_onset is None


@pytest.mark.parametrize(
    "sentence",
    [
        "CRP was 12 mg/L and ESR 34 mm/h.",
        "La vitesse de sédimentation était de 14 mm / h.",
        "CRP values are expressed in mg/L.",
        "Des mois plus tard, la douleur a disparu.",
        "After months of treatment, the pain resolved.",
        "La CRP était inférieure à 5 mg/L.",
    ],
)
def test_a_stated_value_or_a_unit_named_as_a_unit_is_no_lost_number(sentence: str) -> None:
    assert _notes(f"Case 1 – A 40-year-old woman had back pain. {sentence}\n") == []
