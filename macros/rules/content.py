"""Rules over cards, each written once, for `evidence check` and the site build alike.

A pull request is untrusted input, so the build enforces the rules across cards that check
reports (`enforce`):

- ids and citekeys are unique regardless of case: BibTeX reads `Erol2025` and `EROL2025` as one
  key, and a case-insensitive file system holds one of two card files whose names differ so;
- a `reviewed` card is signed by an editor listed in `taxonomy/editors.yml`. Anyone can write a
  name into `review.by`; only the code owners (`.github/CODEOWNERS`) can add one to that list.

The rules on one card's content (`card_problems`) are check's: its topic and topic page, its
seed and quotes, and its arithmetic. A percent is checked as the source states it: when the
counts round to it at the decimals the source gives (`5 of 12 (42%)` is right, as ingest said),
with ingest's own rule (`extract.quantities.missed_percent`), as are the CI and P rules.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from ..cards.cardfiles import CardError, location_text, position
from ..cards.model import Card, Finding, Short
from ..cards.project import Project
from ..cards.taxonomy import Taxonomy
from ..cards.yamlio import YamlError, load_plain
from ..core.problems import Problem
from ..core.text import SeedError, SeedText
from ..extract.quantities import ci_excludes, missed_percent, p_out_of_range


class Editor(BaseModel):
    """One person who may mark a card reviewed; `github` is the handle CODEOWNERS names."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Short = Field(min_length=1)
    github: str | None = Field(default=None, pattern=r"^[A-Za-z0-9-]{1,39}$")


def load_editors(project: Project) -> list[Editor]:
    """The editors of the project: none when it has no list (then no card can be reviewed); a
    broken list is a YamlError naming the file."""
    path = project.editors
    if not path.exists():
        return []
    try:
        return TypeAdapter(list[Editor]).validate_python(load_plain(path))
    except ValidationError as error:
        first = error.errors()[0]
        where = location_text(tuple(first["loc"]))
        raise YamlError(path, 0, f"{where}: {first['msg']}") from error


@dataclass(frozen=True)
class CardFile:
    """A card and the file it was read from, as rules name it: relative to the project."""

    path: Path
    card: Card
    file: str

    def problem(self, code: str, location: tuple[Any, ...], message: str) -> Problem:
        """A problem at the key `location` (`("findings", 0, "quote")`) of the card's file."""
        line, column = position(self.path, location)
        return Problem.at(code, self.file, line, column, message)


def violations(
    project: Project, cards: Sequence[CardFile], editors: Sequence[Editor]
) -> Iterator[Problem]:
    """What breaks a rule across cards, for each card file it concerns."""
    yield from _unique_regardless_of_case(cards)
    yield from _signed_reviews(project, cards, {editor.name for editor in editors})


def _unique_regardless_of_case(cards: Sequence[CardFile]) -> Iterator[Problem]:
    for field_name, code in (("id", "E-ID-DUPLICATE"), ("citekey", "E-CITEKEY-DUPLICATE")):
        groups: dict[str, list[tuple[CardFile, str]]] = defaultdict(list)
        for card_file in cards:
            value = getattr(card_file.card, field_name)
            groups[value.casefold()].append((card_file, value))
        for group in groups.values():
            if len(group) < 2:
                continue
            files = ", ".join(f"{c.path.name} ({value})" for c, value in group)
            for card_file, value in group:
                yield card_file.problem(
                    code,
                    (field_name,),
                    f"{field_name} {value!r} is used by {len(group)} cards, regardless of case: "
                    f"{files}; make it unique",
                )


def _signed_reviews(
    project: Project, cards: Sequence[CardFile], names: set[str]
) -> Iterator[Problem]:
    for card_file in cards:
        review = card_file.card.review
        if review.status != "reviewed":
            continue
        if not (review.by and review.date):
            yield card_file.problem(
                "E-REVIEW-UNSIGNED",
                ("review", "status"),
                "a reviewed card names its reviewer and date: set review.by and review.date "
                "(YYYY-MM-DD)",
            )
        elif review.by not in names:
            listed = ", ".join(sorted(names)) or "nobody yet"
            yield card_file.problem(
                "E-REVIEW-NOT-EDITOR",
                ("review", "by"),
                f"review.by {review.by!r} is not an editor: a card is reviewed by a name of "
                f"{project.relative(project.editors)} (listed: {listed})",
            )


# -- one card ------------------------------------------------------------------------------------


# What a topic page shows of its cards: the review notice at the top, the summary of findings and
# the evidence table.
TOPIC_MACROS = ("review_notice", "summary_of_findings", "evidence_table")


@dataclass
class CardRules:
    """The rules on one card's content, for a project: its topic and topic page, its seed and
    quotes, its arithmetic. Seeds and topic pages are read once for all cards."""

    project: Project
    taxonomy: Taxonomy
    _seeds: dict[str, SeedText | None] = field(default_factory=dict)
    _pages: dict[str, str] = field(default_factory=dict)

    def problems(self, card_file: CardFile) -> Iterator[Problem]:
        yield from self.topic(card_file)
        yield from self.sources(card_file)
        for index, finding in enumerate(card_file.card.findings):
            yield from arithmetic(card_file, index, finding)

    def topic(self, card_file: CardFile) -> Iterator[Problem]:
        topic = card_file.card.topic
        if topic not in self.taxonomy.topics:
            topics = self.project.relative(self.project.taxonomy / "topics.yml")
            yield card_file.problem(
                "E-TOPIC-UNKNOWN",
                ("topic",),
                f"topic {topic!r} is not in {topics}: use one of "
                f"{', '.join(sorted(self.taxonomy.topics))}",
            )
            return
        known = {outcome.id for outcome in self.taxonomy.outcomes.get(topic, ())}
        for index, finding in enumerate(card_file.card.findings):
            if finding.outcome is not None and finding.outcome not in known:
                outcomes = self.project.relative(self.project.taxonomy / "outcomes.yml")
                yield card_file.problem(
                    "E-OUTCOME-UNKNOWN",
                    ("findings", index, "outcome"),
                    f"outcome {finding.outcome!r} is not an outcome of {topic!r} in {outcomes}: "
                    f"use one of {', '.join(sorted(known)) or '(none listed)'}, or null",
                )
        page = self.project.topics / f"{topic}.md"
        if topic not in self._pages:
            self._pages[topic] = page.read_text("utf-8") if page.exists() else ""
        for macro in TOPIC_MACROS:
            if not re.search(rf"{macro}\(\s*[\"']{re.escape(topic)}[\"']\s*\)", self._pages[topic]):
                yield card_file.problem(
                    "E-TOPIC-PAGE",
                    ("topic",),
                    f'the card does not appear on its topic page: add {{{{ {macro}("{topic}") '
                    f"}}}} to {self.project.relative(page)}",
                )

    def sources(self, card_file: CardFile) -> Iterator[Problem]:
        source = card_file.card.source
        seed_path = (self.project.root / source.file).resolve()
        if not seed_path.is_relative_to(self.project.seeds.resolve()) or seed_path.is_symlink():
            yield card_file.problem(
                "E-SEED-PATH", ("source", "file"), "source.file must name a file inside seeds/"
            )
            return
        if source.file not in self._seeds:
            try:
                self._seeds[source.file] = SeedText.from_bytes(source.file, seed_path.read_bytes())
            except (OSError, SeedError):
                self._seeds[source.file] = None
        seed = self._seeds[source.file]
        if seed is None:
            yield card_file.problem(
                "E-SEED-MISSING",
                ("source", "file"),
                f"seed {source.file} is missing or unreadable: restore it or fix source.file",
            )
            return
        if seed.sha256 != source.sha256:
            yield card_file.problem(
                "E-SEED-CHANGED",
                ("source", "sha256"),
                "the seed changed since this card was written: run `evidence ingest` and review",
            )
        for index, finding in enumerate(card_file.card.findings):
            if finding.quote not in seed.text:
                yield card_file.problem(
                    "E-QUOTE-NOT-VERBATIM",
                    ("findings", index, "quote"),
                    f"the quote is not a verbatim part of {source.file}: copy it from the seed",
                )


def arithmetic(card_file: CardFile, index: int, finding: Finding) -> Iterator[Problem]:
    """A finding's figures against each other: counts and percent, CI and estimate, P."""
    where = ("findings", index)
    mismatch = percent_mismatch(finding)
    if mismatch:
        yield card_file.problem("E-PERCENT-MISMATCH", (*where, "percent"), mismatch)
    estimate = finding.percent if finding.percent is not None else finding.mean
    low, high = finding.ci_low, finding.ci_high
    if ci_excludes(estimate, low, high):
        yield card_file.problem(
            "E-CI-EXCLUDES-ESTIMATE",
            (*where, "ci_low"),
            f"the 95% CI {low}-{high} does not contain the estimate {estimate}",
        )
    if out_of_range := p_out_of_range(finding.p_value):
        yield card_file.problem("E-P-OUT-OF-RANGE", (*where, "p_value"), out_of_range)


# A percent as a source writes it: `42%`, `41.7 %`, `41,7%`, `0·5%`, `42％`.
_PERCENT = re.compile(r"(?<![\d.,·])(\d+(?:[.,·]\d+)?)\s*[%％]")


def stated_percent(finding: Finding) -> str | None:
    """The finding's percent as its source states it (in its `value`, else its `quote`): the
    text that says how many decimals the figure has. None when the source does not state it."""
    if finding.percent is None:
        return None
    for text in (finding.value, finding.quote):
        for match in _PERCENT.finditer(text):
            if abs(float(re.sub("[,·]", ".", match[1])) - finding.percent) < 1e-9:
                return match[1]
    return None


def percent_mismatch(finding: Finding) -> str | None:
    """Why numerator/denominator is not the finding's percent, or None.

    The percent matches when the counts round to it at the decimals of the percent as stated:
    `5/12` is `42%` and `41.7%`, not `41.6%`. A percent the source does not state (an editor's)
    is taken at the decimals the card gives it.
    """
    n, d, percent = finding.numerator, finding.denominator, finding.percent
    if n is None or not d or percent is None:
        return None
    written = stated_percent(finding) or (
        str(int(percent)) if percent.is_integer() else repr(percent)
    )
    missed = missed_percent(n, d, percent, written)
    if missed is None:
        return None
    return f"{missed}, not {written}%: check the counts against the source"


def enforce(project: Project, cards: Sequence[Card]) -> None:
    """For the build: a CardError with each problem across the project's cards (named by their
    ids), or across the editors' list."""
    try:
        editors = load_editors(project)
    except YamlError as error:
        raise CardError([error.problem("E-EDITORS").moved(project.relative(error.path))]) from error
    card_files = [
        CardFile(path, card, project.relative(path))
        for card in cards
        for path in [project.cards / f"{card.id}.yml"]
    ]
    problems = sorted(violations(project, card_files, editors), key=Problem.sort_key)
    if problems:
        raise CardError(problems)
