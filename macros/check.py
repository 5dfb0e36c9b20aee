"""`evidence check`: validate the repository without building it, fast enough for every save.

Each problem names a file, line and column and says how to fix it. The checks: YAML a reviewer
could misread; every card against the JSON Schema; unique ids and citekeys; topics that exist
and a topic page that shows each card; citations in docs/ that resolve; quotes still verbatim
in their seed and seeds unchanged since ingest; the arithmetic of every finding; and the
review workflow (a reviewed card names who reviewed it, an editor, and when). A card file comes
from an untrusted pull request: what check prints of it can neither forge another line nor
another annotation, and a card broken everywhere gets a few lines, not thousands.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
from pydantic import ValidationError

from .cardfiles import MAX_PROBLEMS, CardError, location_text, position, validation_message
from .merge import plain
from .model import Card, json_schema
from .numbers import percent_matches
from .pages import check_pages
from .rules import EDITORS_FILE, Editor, load_editors, violations
from .taxonomy import Taxonomy
from .text import SeedError, SeedText
from .yamlio import YamlError, clipped, load_plain
from .yamllint import lint

_CITATION = re.compile(
    r"\[((?:@[A-Za-z][A-Za-z0-9]*\s*;?\s*)+)\]|cite\(\s*[\"']([^\"']+)[\"']\s*\)"
)
_FENCE = re.compile(r"^(```|~~~)")


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    column: int
    message: str

    def text(self) -> str:
        """One line: a file name or message with a line break or escape is shown quoted."""
        path, message = (t if t.isprintable() else repr(t) for t in (self.path, self.message))
        return f"{path}:{self.line}:{self.column}: {clipped(message)}"

    def github(self) -> str:
        """A workflow command, escaped as GitHub's toolkit does (a file named
        `x,line=1::ok\n::notice::…` must not forge a second annotation)."""
        path = _escaped(self.path).replace(":", "%3A").replace(",", "%2C")
        message = _escaped(clipped(self.message))
        return f"::error file={path},line={self.line},col={self.column}::{message}"


def _escaped(text: str) -> str:
    """Text of a workflow command: `%`, CR and LF escaped so it stays on one line."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


@dataclass
class Checker:
    root: Path
    taxonomy: Taxonomy

    def run(self) -> list[Problem]:
        cards: list[tuple[Path, Card]] = []
        problems: list[Problem] = []
        validator = jsonschema.Draft202012Validator(json_schema())  # the model's, not a file
        for path in sorted((self.root / "docs" / "cards").glob("*.yml")):
            found, card = self._card(path, validator)
            problems.extend(found)
            if card is not None:
                cards.append((path, card))
        editors, unreadable = self._editors()
        problems.extend(unreadable)
        problems.extend(self._at(v.path, v.location, v.message) for v in violations(cards, editors))
        problems.extend(self._topics(cards))
        problems.extend(self._citations({card.citekey for _, card in cards}))
        problems.extend(Problem(*found) for found in check_pages(self.root))
        seeds: dict[str, SeedText | None] = {}
        for path, card in cards:
            problems.extend(
                _first([*self._sources(path, card, seeds), *self._arithmetic(path, card)])
            )
        return sorted(problems, key=lambda p: (p.path, p.line, p.column, p.message))

    def _editors(self) -> tuple[list[Editor], list[Problem]]:
        try:
            return load_editors(self.root), []
        except YamlError as error:
            return [], [Problem(EDITORS_FILE, error.line or 1, error.column or 1, error.message)]

    def _relative(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def _at(self, path: Path, location: tuple[Any, ...], message: str) -> Problem:
        line, column = position(path, location)
        return Problem(self._relative(path), line, column, message)

    def _card(
        self, path: Path, validator: jsonschema.Draft202012Validator
    ) -> tuple[list[Problem], Card | None]:
        name = self._relative(path)
        problems = [
            Problem(name, p.line, p.column, p.message)
            for p in lint(path.read_text("utf-8", errors="replace"))
        ]
        try:
            data = load_plain(path)
        except YamlError as error:
            problems.append(Problem(name, error.line, error.column or 1, error.message))
            return _first(problems), None
        as_json = plain(data)  # the schema describes JSON: a YAML date is its ISO string there
        for invalid in validator.iter_errors(as_json):
            where = location_text(tuple(invalid.path))
            problems.append(self._at(path, tuple(invalid.path), f"{where}: {_explain(invalid)}"))
        if problems:
            return _first(problems), None
        try:
            card = Card.model_validate(data)
        except ValidationError as error:  # the schema comes from the model: a safety net only
            return [Problem(name, 1, 1, validation_message(path, error))], None
        if card.id != path.stem:
            problems.append(
                self._at(
                    path,
                    ("id",),
                    f"id {card.id!r} must equal the file name "
                    f"{path.stem!r}: rename the file or the id",
                )
            )
        return problems, card

    def _topics(self, cards: list[tuple[Path, Card]]) -> Iterator[Problem]:
        for path, card in cards:
            if card.topic not in self.taxonomy.topics:
                yield self._at(
                    path,
                    ("topic",),
                    f"topic {card.topic!r} is not in "
                    f"taxonomy/topics.yml: use one of "
                    f"{', '.join(sorted(self.taxonomy.topics))}",
                )
                continue
            page = self.root / "docs" / "topics" / f"{card.topic}.md"
            text = page.read_text("utf-8") if page.exists() else ""
            if not re.search(rf"evidence_table\(\s*[\"']{re.escape(card.topic)}[\"']\s*\)", text):
                yield self._at(
                    path,
                    ("topic",),
                    f"the card does not appear on its topic page: add "
                    f'{{{{ evidence_table("{card.topic}") }}}} to '
                    f"docs/topics/{card.topic}.md",
                )

    def _citations(self, citekeys: set[str]) -> Iterator[Problem]:
        for page in sorted((self.root / "docs").rglob("*.md")):
            in_code = False
            for number, line in enumerate(page.read_text("utf-8").split("\n"), 1):
                if _FENCE.match(line.strip()):
                    in_code = not in_code
                if in_code:
                    continue
                for match in _CITATION.finditer(re.sub(r"`[^`]*`", "", line)):
                    keys = re.findall(r"@([A-Za-z][A-Za-z0-9]*)", match.group(1) or "")
                    keys += [match.group(2)] if match.group(2) else []
                    for key in keys:
                        if key not in citekeys:
                            yield Problem(
                                self._relative(page),
                                number,
                                match.start() + 1,
                                f"unknown citation key {key!r}: no card has it",
                            )

    def _sources(
        self, path: Path, card: Card, seeds: dict[str, SeedText | None]
    ) -> Iterator[Problem]:
        seed_path = (self.root / card.source.file).resolve()
        if not seed_path.is_relative_to((self.root / "seeds").resolve()) or seed_path.is_symlink():
            yield self._at(path, ("source", "file"), "source.file must name a file inside seeds/")
            return
        if card.source.file not in seeds:
            try:
                seeds[card.source.file] = SeedText.from_bytes(
                    card.source.file, seed_path.read_bytes()
                )
            except (OSError, SeedError):
                seeds[card.source.file] = None
        seed = seeds[card.source.file]
        if seed is None:
            yield self._at(
                path,
                ("source", "file"),
                f"seed {card.source.file} is missing or unreadable: restore it or fix source.file",
            )
            return
        if seed.sha256 != card.source.sha256:
            yield self._at(
                path,
                ("source", "sha256"),
                "the seed changed since this card was written: run `evidence ingest` and review",
            )
        for index, finding in enumerate(card.findings):
            if finding.quote not in seed.text:
                yield self._at(
                    path,
                    ("findings", index, "quote"),
                    "the quote is not a verbatim "
                    f"part of {card.source.file}: "
                    "copy it from the seed",
                )

    def _arithmetic(self, path: Path, card: Card) -> Iterator[Problem]:
        for index, f in enumerate(card.findings):
            where = ("findings", index)
            if f.numerator is not None and f.denominator and f.percent is not None:
                places = len(repr(f.percent).split(".")[1]) if "." in repr(f.percent) else 0
                if not percent_matches(f.numerator, f.denominator, f.percent, min(places, 2)):
                    yield self._at(
                        path,
                        (*where, "percent"),
                        f"{f.numerator}/{f.denominator} is "
                        f"{100 * f.numerator / f.denominator:.2f}%, not {f.percent}%: "
                        "check the counts against the source",
                    )
            estimate = f.percent if f.percent is not None else f.mean
            low, high = f.ci_low, f.ci_high
            stated = estimate is not None and low is not None and high is not None
            if stated and not low <= estimate <= high:  # type: ignore[operator]
                yield self._at(
                    path,
                    (*where, "ci_low"),
                    f"the 95% CI {low}-{high} does not contain the estimate {estimate}",
                )
            if f.p_value is not None and not 0 <= f.p_value <= 1:
                yield self._at(path, (*where, "p_value"), f"P = {f.p_value} is outside [0, 1]")


def _explain(error: jsonschema.ValidationError) -> str:
    """The useful part of a schema error: for `null or enum` fields, why the value is not valid;
    for a value over a limit, its size and the limit (not its text)."""
    if error.context:
        relevant = [
            e for e in error.context if e.validator != "type" or "null" not in str(e.schema)
        ]
        return _explain(jsonschema.exceptions.best_match(relevant or error.context))
    if error.validator in ("maxLength", "maxItems", "maxProperties") and isinstance(
        error.instance, (str, list, dict)
    ):
        unit = "characters" if error.validator == "maxLength" else "entries"
        return f"{len(error.instance):,} {unit}, over the limit of {error.validator_value:,}"
    return error.message


def _first(problems: list[Problem]) -> list[Problem]:
    """A card's first MAX_PROBLEMS problems in file order and a count of the rest, as the build
    reports them: a card broken in 10,000 places gets a screenful, not 10,000 lines."""
    problems = sorted(problems, key=lambda p: (p.line, p.column, p.message))
    if len(problems) <= MAX_PROBLEMS:
        return problems
    rest = problems[MAX_PROBLEMS]
    more = f"and {len(problems) - MAX_PROBLEMS} more problems from here on"
    return [*problems[:MAX_PROBLEMS], Problem(rest.path, rest.line, rest.column, more)]


def run_check(root: Path, taxonomy: Taxonomy) -> list[Problem]:
    return Checker(root, taxonomy).run()


__all__ = ["CardError", "Problem", "run_check"]
