"""The evidence card: one typed model, the single source of truth for the card contract.

The JSON Schema in `schema/card.schema.json` is generated from these classes (`evidence schema`),
cards are validated against them when loaded, and the pages render from them. `None` means "the
source does not state it"; lists stay lists. Field order here is the key order of a new card file.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, WithJsonSchema

from ..core.identifiers import CITEKEY, DOI_SYNTAX, checked_doi

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=120)]
CiteKey = Annotated[str, StringConstraints(pattern=rf"^{CITEKEY}$", max_length=64)]
Language = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]
Doi = Annotated[
    str, AfterValidator(checked_doi), WithJsonSchema({"type": "string", "pattern": DOI_SYNTAX})
]

# Limits. A card may come from an untrusted pull request and becomes pages, so every text, list
# and count is bounded, far above real cards (the longest value of the cards, fixtures, hostile
# corpus and expected files is given), and the JSON Schema carries each bound to `evidence check`.
MAX_SHORT = 200  # names, volume, issue, pages, unit, reviewer: longest 24 (a family name)
MAX_PHRASE = 500  # labels, stated values, journal, seed path, drug, dose, onset: longest 121
MAX_TITLE = 1_000  # a title or its translation: longest 166
MAX_PASSAGE = 10_000  # quotes, case narrative, review notes: longest 1,098 (a follow-up)
MAX_FINDINGS = 200  # most: 8
MAX_CASES = 100  # most: 9
MAX_AUTHORS = 500  # most: 5; a longer byline is cut with `authors_truncated`
MAX_NOTES = 500  # most: 5; ingest writes a few per finding at most
MAX_LANGUAGES = 20  # most: 2
MAX_COUNT = 1_000_000_000  # participants, numerator, denominator: largest 120
MAX_CASE_NUMBER = 10_000  # largest 9
MAX_LINE = 10_000_000  # a seed has at most 5 MiB, so fewer lines; largest 328
MAX_FIGURE = 1e12  # any measured figure; a card writes whole numbers as integers, and the YAML
# loaders refuse numbers of more than 24 digits, so a card must never hold a larger one

Short = Annotated[str, StringConstraints(max_length=MAX_SHORT)]
Phrase = Annotated[str, StringConstraints(max_length=MAX_PHRASE)]
Passage = Annotated[str, StringConstraints(max_length=MAX_PASSAGE)]
Title = Annotated[str, StringConstraints(max_length=MAX_TITLE)]
Figure = Annotated[float, Field(ge=-MAX_FIGURE, le=MAX_FIGURE, allow_inf_nan=False)]

SeedFormat = Literal[
    "semantic-scholar-json",
    "pdf-case-series",
    "pubmed-abstract",
    "translated-web-article",
    "medical-news",
    "unknown",
]
Design = Literal[
    "case report",
    "case series",
    "historical cohort",
    "prospective cohort",
    "retrospective cohort",
    "cross-sectional study",
    "randomized controlled trial",
    "prospective diagnostic accuracy study",
    "retrospective diagnostic accuracy study",
    "systematic review",
    "review",
    "unknown",
]
Metric = Literal[
    "proportion", "sensitivity", "specificity", "accuracy", "ppv", "npv", "auc", "mean", "median"
]
DIAGNOSTIC_METRICS: frozenset[str] = frozenset(
    {"sensitivity", "specificity", "accuracy", "ppv", "npv", "auc"}
)
Comparison = Literal["=", "<", ">", "<=", ">="]
ReviewStatus = Literal["machine", "needs-review", "reviewed"]


class Strict(BaseModel):
    """Unknown keys are errors: a typo in a card must not pass silently."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Location(Strict):
    line: int = Field(ge=1, le=MAX_LINE, description="1-based line of the canonical seed text")


class Via(Strict):
    """Where the card's facts were read when the seed is a secondary source (a news article)."""

    outlet: Short | None = None
    date: dt.date | None = None
    author: Short | None = None


class Source(Strict):
    file: Phrase = Field(description="the seed, relative to the repository root")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="of the seed bytes")
    format: SeedFormat
    languages: list[Language] = Field(
        max_length=MAX_LANGUAGES, description="every language present, ISO 639-1, sorted"
    )
    via: Via | None = None


class Author(Strict):
    family: Short = Field(min_length=1)
    given: Short | None = None


class Comparator(Strict):
    """The other arm of a comparison, e.g. the T1-weighted MRI figure beside synthetic CT."""

    label: Phrase | None = None
    value: Figure | None = None
    ci_low: Figure | None = None
    ci_high: Figure | None = None


class Finding(Strict):
    label: Phrase = Field(min_length=1, description="English, editable")
    outcome: Slug | None = Field(
        default=None, description="an outcome id of taxonomy/outcomes.yml for the card's topic"
    )
    value: Phrase = Field(description="the figures as stated, for display")
    metric: Metric | None = None
    numerator: int | None = Field(default=None, ge=0, le=MAX_COUNT)
    denominator: int | None = Field(default=None, ge=1, le=MAX_COUNT)
    percent: Figure | None = None
    mean: Figure | None = None
    sd: Figure | None = None
    median: Figure | None = None
    range: list[Figure] | None = Field(default=None, min_length=2, max_length=2)
    ci_low: Figure | None = None
    ci_high: Figure | None = None
    p_value: Figure | None = None
    p_operator: Comparison | None = None
    unit: Short | None = None
    comparator: Comparator | None = None
    quote: Passage = Field(
        min_length=1, description="verbatim substring of the canonical seed text"
    )
    quote_en: Passage | None = Field(
        default=None,
        description="an editor's English translation of a non-English quote; never machine-made",
    )
    location: Location


class Case(Strict):
    """One patient of a case report or series; fields named after the CARE checklist."""

    case: int = Field(ge=1, le=MAX_CASE_NUMBER)
    age: int | None = Field(default=None, ge=0, le=120)
    sex: Literal["F", "M"] | None = None
    drug: Phrase | None = None
    dose: Phrase | None = None
    time_to_onset: Phrase | None = None
    symptoms: Passage | None = None
    hla_b27: Literal["positive", "negative"] | None = None
    labs: Passage | None = None
    imaging: Passage | None = None
    treatment: Passage | None = None
    outcome: Passage | None = None
    follow_up: Passage | None = None
    location: Location


class Review(Strict):
    status: ReviewStatus = "machine"
    by: Short | None = None
    date: dt.date | None = None
    notes: list[Passage] = Field(default_factory=list, max_length=MAX_NOTES)


class Card(Strict):
    id: Slug
    citekey: CiteKey
    topic: Slug
    source: Source
    title: Title | None = None
    title_translations: dict[Language, Title] = Field(
        default_factory=dict, max_length=MAX_LANGUAGES
    )
    authors: list[Author] = Field(default_factory=list, max_length=MAX_AUTHORS)
    authors_truncated: bool = Field(default=False, description="the source ends with 'et al.'")
    journal: Phrase | None = None
    year: int | None = Field(default=None, ge=1800, le=2100)
    volume: Short | None = None
    issue: Short | None = None
    pages: Short | None = None
    doi: Doi | None = None
    pmid: Annotated[str, StringConstraints(pattern=r"^\d{1,9}$")] | None = None
    design: Design | None = None
    participants: int | None = Field(default=None, ge=0, le=MAX_COUNT)
    findings: list[Finding] = Field(default_factory=list, max_length=MAX_FINDINGS)
    cases: list[Case] = Field(default_factory=list, max_length=MAX_CASES)
    review: Review = Field(default_factory=Review)

    def to_data(self) -> dict[str, Any]:
        """Plain data in field order, as a card file holds it.

        Top-level fields stay even when empty (null says "not stated"); inside findings, cases
        and `via`, absent figures are left out so a finding shows only what its source states.
        Whole-number floats are written as integers (`94`, not `94.0`).
        """
        data: dict[str, Any] = self.model_dump(mode="json")
        data["findings"] = [_compact(f) for f in data["findings"]]
        data["cases"] = [_compact(c) for c in data["cases"]]
        if data["source"]["via"] is not None:
            data["source"]["via"] = _compact(data["source"]["via"])
        return data


def _compact(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _compact(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_compact(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def json_schema() -> dict[str, Any]:
    schema = Card.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://evidence.invalid/schema/card.schema.json"
    return schema
