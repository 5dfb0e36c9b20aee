"""From a shape's extraction to a typed card: the readers every shape shares, and the notes.

The notes say what the machine could not find or was unsure of, so a reviewer knows where to
look; a card with problems (an arithmetic mismatch, no known shape, no topic) is `needs-review`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass

from pydantic import ValidationError

from ..cards.model import Author, Card, Review, Source
from ..cards.taxonomy import UNCLASSIFIED, Taxonomy
from ..core.identifiers import card_id_stem, citekey_stem, unique
from ..core.problems import Problem
from ..core.text import SeedText, over_limits
from ..extract.cases import CaseRows, count_cases, read_case_rows
from ..extract.findings import FindingReader
from ..extract.languages import detect_languages
from ..extract.outcomes import suggest_outcome, unmatched
from ..extract.study import detect_design, read_participants, stated_case_count
from .base import Extraction

# Bump when extraction changes: every seed is then read again and merged into its card.
EXTRACTOR_VERSION = 11

_CASE_DESIGNS = ("case report", "case series")
_BIBLIOGRAPHIC = ("title", "authors", "journal", "year", "volume", "issue", "pages", "doi", "pmid")


@dataclass(frozen=True)
class Identity:
    """A card's id and citekey; kept from the last run so links and citations stay stable."""

    id: str
    citekey: str


def build_card(
    seed: SeedText,
    extraction: Extraction,
    taxonomy: Taxonomy,
    identity: Identity | None,
    taken_ids: Collection[str],
    taken_citekeys: Collection[str],
) -> Card:
    body = extraction.body
    title = extraction.title
    topic = taxonomy.classify(
        " ".join([title or "", *extraction.title_translations.values()]), body.text
    )
    design_text = f"{title or ''}\n{body.text}"
    design = detect_design(design_text, count_cases(body))
    # Case rows are read only for a case report or series (a fifth of a cold ingest otherwise).
    rows = read_case_rows(body, taxonomy.exposures) if design in _CASE_DESIGNS else CaseRows([])
    cases = rows.cases
    stated = read_participants(body.text)  # None with a note when the source disagrees
    participants = stated.count
    if participants is None and design in _CASE_DESIGNS:
        participants = stated_case_count(design_text) or len(cases) or None
    reader = FindingReader(body, taxonomy, participants)
    read = reader.read()
    quotes = Counter(finding.quote for finding in read)
    findings = [
        finding.model_copy(
            update={"outcome": suggest_outcome(finding, topic, taxonomy, quotes[finding.quote] > 1)}
        )
        for finding in read
    ]

    notes = [*extraction.notes, *stated.notes]
    if seed.encoding_note:
        notes.insert(0, Problem.review_note("W-SEED-ENCODING", "source.file", seed.encoding_note))
    try:
        authors = [Author(family=n.family, given=n.given) for n in extraction.authors.names]
    except ValidationError as error:
        raise over_limits(error) from error
    missing = [name for name in _BIBLIOGRAPHIC if not getattr(extraction, name)]
    if design == "unknown":
        missing.append("design")
    if participants is None and not stated.notes:
        missing.append("participants")
    if missing:
        notes.append(
            Problem.review_note("N-FIELD-MISSING", ", ".join(missing), "not stated in the source")
        )
    if topic == UNCLASSIFIED:
        notes.append(
            Problem.review_note(
                "W-TOPIC-UNCLASSIFIED",
                "topic",
                "no topic of taxonomy/topics.yml matches: set `topic` by hand",
            )
        )
    if cases and participants and len(cases) != participants:
        notes.append(
            Problem.review_note(
                "W-CASES-COUNT",
                "cases",
                f"{len(cases)} case rows read, but the source reports {participants} patients",
            )
        )
    notes.extend(reader.notes)
    if cases:
        notes.extend(rows.notes)  # W-CASE-VALUE-LOST: a measure whose number the source lost
    if without_outcome := unmatched(findings):
        notes.append(
            Problem.review_note(
                "N-OUTCOME-UNMATCHED",
                ", ".join(without_outcome),
                f"no outcome of taxonomy/outcomes.yml for `{topic}` matches: set `outcome` by hand",
            )
        )
    # The status follows from the notes' severity: a warning asks for a reviewer's check.
    status = "needs-review" if any(n.severity != "note" for n in notes) else "machine"

    family = authors[0].family if authors else None
    if identity is None:
        identity = Identity(
            id=unique(card_id_stem(family, title, extraction.year, topic), taken_ids, "-"),
            citekey=unique(citekey_stem(family, title, extraction.year), taken_citekeys),
        )
    try:
        return Card(
            id=identity.id,
            citekey=identity.citekey,
            topic=topic,
            source=Source(
                file=seed.path,
                sha256=seed.sha256,
                format=extraction.format,
                languages=detect_languages(extraction.language_text),
                via=extraction.via,
            ),
            title=title,
            title_translations=extraction.title_translations,
            authors=authors,
            authors_truncated=extraction.authors.truncated,
            journal=extraction.journal,
            year=extraction.year,
            volume=extraction.volume,
            issue=extraction.issue,
            pages=extraction.pages,
            doi=extraction.doi,
            pmid=extraction.pmid,
            design=design,
            participants=participants,
            findings=findings,
            cases=cases,
            review=Review(status=status, notes=[note.note_text() for note in notes]),
        )
    except ValidationError as error:
        raise over_limits(error) from error
