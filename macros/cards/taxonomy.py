"""The editable taxonomy: topics with multilingual synonyms, the glossary of result terms, the
journals' abbreviations and each topic's outcomes.

Both live as YAML under `taxonomy/` so editors change classification without touching code. They
are loaded safely and validated; a broken file is an error naming the file and the key.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ..core.needles import Gated
from ..core.text import has_han
from .project import REPOSITORY_TAXONOMY
from .yamlio import YamlError, load_plain

M = TypeVar("M", bound=BaseModel)

UNCLASSIFIED = "unclassified"
TITLE_WEIGHT = 5
# A paper is about a topic when its title names it, or when its text names it in at least this
# many distinct terms (`CRMO` and `chronic recurrent multifocal osteomyelitis`): one incidental
# word in a paper about something else is not enough.
DISTINCT_TERMS = 2


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Topic(_Model):
    title: str
    synonyms: dict[str, list[str]]


class Topics(_Model):
    topics: dict[str, Topic]


class Journals(_Model):
    """Journal names and their NLM abbreviations, for the Vancouver reference list."""

    journals: dict[str, str]


OutcomeKind = Literal["proportion", "mean", "diagnostic", "time", "other"]
Certainty = Literal["high", "moderate", "low", "very low"]


class Outcome(_Model):
    """What a summary-of-findings row is about. `certainty` is GRADE's, set by editors only."""

    id: str = Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=80)
    label: str = Field(min_length=1, max_length=200)
    kind: OutcomeKind
    synonyms: dict[str, list[str]]
    certainty: Certainty | None = None
    reasons: list[str] = Field(default_factory=list)


class Outcomes(_Model):
    outcomes: dict[str, list[Outcome]]

    @model_validator(mode="after")
    def _unique_ids(self) -> Outcomes:
        for topic, outcomes in self.outcomes.items():
            ids = [outcome.id for outcome in outcomes]
            if len(ids) != len(set(ids)):
                twice = sorted({i for i in ids if ids.count(i) > 1})
                raise ValueError(f"{topic}: outcome id {twice[0]!r} is listed twice")
        return self


class Terms(_Model):
    metrics: dict[str, dict[str, list[str]]]
    subjects: dict[str, dict[str, list[str]]]
    comparators: dict[str, dict[str, list[str]]]
    exposures: dict[str, dict[str, list[str]]]


@dataclass(frozen=True)
class Matcher:
    """One compiled pattern per term: whole words in Latin scripts, substrings in CJK."""

    name: str
    pattern: re.Pattern[str]

    @cached_property
    def gated(self) -> Gated:
        """The pattern behind the gate of its words: a text that holds none is not scanned (a
        seed's body was scanned for every topic; a clause rarely names a drug)."""
        return Gated(self.pattern)

    @classmethod
    def of(cls, name: str, words: list[str]) -> Matcher:
        def longest_first(patterns: set[str]) -> list[str]:
            return sorted(patterns, key=lambda p: (len(p), p), reverse=True)

        latin = longest_first({_word_pattern(w) for w in words if not has_han(w)})
        cjk = longest_first({_word_pattern(w) for w in words if has_han(w)})
        # One word-boundary check around all Latin words, not one per word: 4x faster.
        bounded = [rf"{_NOT_WORD_BEFORE}(?:{'|'.join(latin)}){_NOT_WORD_AFTER}"] if latin else []
        return cls(name, re.compile("|".join(bounded + cjk)))

    def count(self, text: str) -> int:
        return len(self.pattern.findall(text))

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self.pattern.finditer(text)


_NOT_WORD_BEFORE = r"(?<![A-Za-z0-9\u00c0-\u024f])"
_NOT_WORD_AFTER = r"(?![A-Za-z0-9\u00c0-\u024f])"


def _word_pattern(word: str) -> str:
    """A word as written, or any case for words (abbreviations such as CRMO or sCT match
    case-sensitively so that ordinary words do not)."""
    escaped = re.escape(word.strip())
    return escaped if len(word) <= 5 and word != word.lower() else f"(?i:{escaped})"


@dataclass(frozen=True)
class Taxonomy:
    topics: dict[str, Topic]
    topic_matchers: list[Matcher]
    metrics: list[Matcher]
    subjects: list[Matcher]
    comparators: list[Matcher]
    exposures: list[Matcher]
    journals: dict[str, str] = field(default_factory=dict)  # by `journal_key` of the name
    journal_titles: dict[str, str] = field(default_factory=dict)  # `journal_titles`
    outcomes: dict[str, tuple[Outcome, ...]] = field(default_factory=dict)  # by topic
    outcome_matchers: dict[str, list[Matcher]] = field(default_factory=dict)  # by topic
    # A hash of the files read: a card made with another taxonomy is made again by ingest.
    digest: str = ""

    def abbreviation(self, journal: str) -> str | None:
        """The abbreviation of a journal name that `journals.yml` lists, else None."""
        return self.journals.get(journal_key(journal))

    def classify(self, title: str, body: str) -> str:
        """Among the topics the paper is about (`DISTINCT_TERMS`), the one with the most synonym
        hits (title hits weigh more); none or a tie is unclassified."""
        scores: dict[str, int] = {}
        for matcher in self.topic_matchers:
            in_title = matcher.count(title)
            in_body = matcher.gated.findall(body)
            if in_title or len({term.casefold() for term in in_body}) >= DISTINCT_TERMS:
                scores[matcher.name] = TITLE_WEIGHT * in_title + len(in_body)
        best = max(scores.values(), default=0)
        winners = [name for name, score in scores.items() if score == best]
        return winners[0] if best > 0 and len(winners) == 1 else UNCLASSIFIED


def _matchers(groups: dict[str, dict[str, list[str]]]) -> list[Matcher]:
    return [
        Matcher.of(name, [w for words in by_language.values() for w in words])
        for name, by_language in groups.items()
    ]


def journal_key(name: str) -> str:
    """A journal name as `journals.yml` is looked up: case, punctuation and spacing ignored."""
    return re.sub(r"[\W_]+", " ", name).strip().lower()


def journal_titles(journals: Mapping[str, str]) -> dict[str, str]:
    """Each journal's full title by `journal_key` of every name `journals.yml` lists for it and of
    its abbreviation. The full title is the first name listed for an abbreviation (other than the
    abbreviation itself); a journal listed only by its abbreviation (`Radiology`) keeps it."""
    first: dict[str, str] = {}
    for name, short in journals.items():
        if journal_key(name) != journal_key(short):
            first.setdefault(journal_key(short), name)
    titles = {
        journal_key(short): first.get(journal_key(short), short) for short in journals.values()
    }
    return titles | {
        journal_key(name): titles[journal_key(short)] for name, short in journals.items()
    }


def load_taxonomy(folder: Path) -> Taxonomy:
    topics_file, terms_file = folder / "topics.yml", folder / "terms.yml"
    topics = _validated(Topics, topics_file)
    terms = _validated(Terms, terms_file)
    journals_file = folder / "journals.yml"
    journals = _validated(Journals, journals_file).journals if journals_file.exists() else {}
    outcomes_file = folder / "outcomes.yml"
    outcomes = _validated(Outcomes, outcomes_file).outcomes if outcomes_file.exists() else {}
    if unknown := sorted(set(outcomes) - set(topics.topics)):
        raise YamlError(outcomes_file, 0, f"outcomes.{unknown[0]}: not a topic of topics.yml")
    digest = hashlib.sha256()
    for path in (topics_file, terms_file, journals_file, outcomes_file):
        digest.update(path.name.encode() + b"\0")
        digest.update(path.read_bytes() if path.exists() else b"")
    return Taxonomy(
        digest=digest.hexdigest(),
        topics=topics.topics,
        topic_matchers=_matchers({k: t.synonyms for k, t in topics.topics.items()}),
        metrics=_matchers(terms.metrics),
        subjects=_matchers(terms.subjects),
        comparators=_matchers(terms.comparators),
        exposures=_matchers(terms.exposures),
        journals={journal_key(name): short for name, short in journals.items()},
        journal_titles=journal_titles(journals),
        outcomes={topic: tuple(listed) for topic, listed in outcomes.items()},
        outcome_matchers={
            topic: _matchers({o.id: o.synonyms for o in listed})
            for topic, listed in outcomes.items()
        },
    )


@cache
def default_taxonomy() -> Taxonomy:
    """The taxonomy of the repository this package is checked out in."""
    return load_taxonomy(REPOSITORY_TAXONOMY)


def _validated(model: type[M], path: Path) -> M:
    """The file's data as `model`; a YamlError naming the file when it is missing or wrong."""
    try:
        return model.model_validate(load_plain(path))
    except OSError as error:
        raise YamlError(path, 0, f"cannot be read: {error.strerror or error}") from error
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise YamlError(path, 0, f"{where}: {first['msg']}") from error
