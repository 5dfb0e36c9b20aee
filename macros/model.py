"""The evidence card: one typed model, the single source of truth for the card contract.

The JSON Schema in `schema/card.schema.json` is generated from these classes (`evidence schema`),
cards are validated against them when loaded, and the pages render from them. `None` means "the
source does not state it"; lists stay lists. Field order here is the key order of a new card file.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=120)]
CiteKey = Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9]*$", max_length=64)]
Language = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]
Doi = Annotated[str, StringConstraints(pattern=r"^10\.\d{4,9}/[^\s\"<>{}\\%#]+$")]

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
Comparison = Literal["=", "<", ">", "<=", ">="]
ReviewStatus = Literal["machine", "needs-review", "reviewed"]


class Strict(BaseModel):
    """Unknown keys are errors: a typo in a card must not pass silently."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Location(Strict):
    line: int = Field(ge=1, description="1-based line of the canonical seed text")


class Via(Strict):
    """Where the card's facts were read when the seed is a secondary source (a news article)."""

    outlet: str | None = None
    date: dt.date | None = None
    author: str | None = None


class Source(Strict):
    file: str = Field(description="the seed, relative to the repository root")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="of the seed bytes")
    format: SeedFormat
    languages: list[Language] = Field(description="every language present, ISO 639-1, sorted")
    via: Via | None = None


class Author(Strict):
    family: str = Field(min_length=1)
    given: str | None = None


class Comparator(Strict):
    """The other arm of a comparison, e.g. the T1-weighted MRI figure beside synthetic CT."""

    label: str | None = None
    value: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None


class Finding(Strict):
    label: str = Field(min_length=1, description="English, editable")
    value: str = Field(description="the figures as stated, for display")
    metric: Metric | None = None
    numerator: int | None = Field(default=None, ge=0)
    denominator: int | None = Field(default=None, ge=1)
    percent: float | None = None
    mean: float | None = None
    sd: float | None = None
    median: float | None = None
    range: list[float] | None = Field(default=None, min_length=2, max_length=2)
    ci_low: float | None = None
    ci_high: float | None = None
    p_value: float | None = None
    p_operator: Comparison | None = None
    unit: str | None = None
    comparator: Comparator | None = None
    quote: str = Field(min_length=1, description="verbatim substring of the canonical seed text")
    location: Location


class Case(Strict):
    """One patient of a case report or series; fields named after the CARE checklist."""

    case: int = Field(ge=1)
    age: int | None = Field(default=None, ge=0, le=120)
    sex: Literal["F", "M"] | None = None
    drug: str | None = None
    dose: str | None = None
    time_to_onset: str | None = None
    symptoms: str | None = None
    hla_b27: Literal["positive", "negative"] | None = None
    labs: str | None = None
    imaging: str | None = None
    treatment: str | None = None
    outcome: str | None = None
    follow_up: str | None = None
    location: Location


class Review(Strict):
    status: ReviewStatus = "machine"
    by: str | None = None
    date: dt.date | None = None
    notes: list[str] = Field(default_factory=list)


class Card(Strict):
    id: Slug
    citekey: CiteKey
    topic: Slug
    source: Source
    title: str | None = None
    title_translations: dict[Language, str] = Field(default_factory=dict)
    authors: list[Author] = Field(default_factory=list)
    authors_truncated: bool = Field(default=False, description="the source ends with 'et al.'")
    journal: str | None = None
    year: int | None = Field(default=None, ge=1800, le=2100)
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    doi: Doi | None = None
    pmid: Annotated[str, StringConstraints(pattern=r"^\d{1,9}$")] | None = None
    design: Design | None = None
    participants: int | None = Field(default=None, ge=0)
    findings: list[Finding] = Field(default_factory=list)
    cases: list[Case] = Field(default_factory=list)
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
