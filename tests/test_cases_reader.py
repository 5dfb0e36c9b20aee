"""Case rows end where the discussion begins, even when scraping glued the heading to a word."""

from __future__ import annotations

from macros.cards.taxonomy import default_taxonomy
from macros.core.text import SeedText
from macros.extract.cases import read_cases
from macros.extract.reading import build_reading


def _cases(text: str) -> list[dict[str, object]]:
    seed = SeedText.from_bytes("seeds/t.txt", text.encode())
    rows = read_cases(build_reading(seed), default_taxonomy().exposures)
    return [row.model_dump(exclude_none=True, exclude={"location"}) for row in rows]


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
