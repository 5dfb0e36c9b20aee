"""`evidence check`: validate the repository without building it, fast enough for every save.

Each problem (`problems.Problem`) names a file, line and column, its code (CONTRIBUTING, "Problem
codes") and how to fix it, and one run reports them all: a card whose values break the schema
still has its other rules checked, on the card without those values. The checks: YAML a reviewer
could misread; every card against the JSON Schema; unique ids and citekeys; topics that exist
and a topic page that shows each card; citations in docs/ that resolve; quotes still verbatim
in their seed and seeds unchanged since ingest; the arithmetic of every finding; and the
review workflow (a reviewed card names who reviewed it, an editor, and when); the pages as the
build reads them (`site/pages.py`). The rules are `rules/content.py`'s, which the build enforces
too. A card file comes from an untrusted pull request: what check prints of it can neither forge
another line nor another annotation, and a card broken everywhere gets a few lines, not thousands.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
from pydantic import ValidationError

from ..cards.cardfiles import (
    location_text,
    name_problem,
    not_a_mapping,
    position,
    validation_problems,
)
from ..cards.merge import plain
from ..cards.model import Card, json_schema
from ..cards.project import Project
from ..cards.taxonomy import Taxonomy
from ..cards.yamlio import YamlError, load_plain
from ..cards.yamllint import lint
from ..core.problems import Problem, first
from ..rules.content import CardFile, CardRules, Editor, load_editors, violations
from ..site.citations import citations, line_and_column
from ..site.pages import check_pages


@dataclass
class Checker:
    project: Project
    taxonomy: Taxonomy | None  # None: it could not be read (a problem), so topics are not checked

    def run(self) -> list[Problem]:
        """Every problem, in file order: each card's (YAML, schema, rules across cards and on its
        content, all in one run) capped at `problems.MAX_PROBLEMS`, then the pages'."""
        by_file: dict[str, list[Problem]] = defaultdict(list)
        card_files: list[CardFile] = []
        validator = jsonschema.Draft202012Validator(json_schema())  # the model's, not a file
        for path in sorted(self.project.cards.glob("*.yml")):
            file = self.project.relative(path)
            found, card = self._card(path, file, validator)
            by_file[file] += found
            if card is not None:
                card_files.append(CardFile(path, card, file))
        editors, unreadable = self._editors()
        for problem in [*unreadable, *violations(self.project, card_files, editors)]:
            by_file[problem.file].append(problem)
        if self.taxonomy is not None:
            rules = CardRules(self.project, self.taxonomy)
            for card_file in card_files:
                by_file[card_file.file] += rules.problems(card_file)
        problems = [problem for found in by_file.values() for problem in first(found)]
        problems += self._citations({card_file.card.citekey for card_file in card_files})
        problems += check_pages(self.project)
        return sorted(problems, key=Problem.sort_key)

    def _editors(self) -> tuple[list[Editor], list[Problem]]:
        try:
            return load_editors(self.project), []
        except YamlError as error:
            problem = error.problem("E-EDITORS")
            return [], [problem.moved(self.project.relative(problem.file))]

    def _card(
        self, path: Path, file: str, validator: jsonschema.Draft202012Validator
    ) -> tuple[list[Problem], Card | None]:
        """The problems of a card file, and its card when the rules can be checked on it: the
        card itself, or, when some values break the schema, the card without them."""
        problems = lint(path.read_text("utf-8", errors="replace"), file)
        try:
            data = load_plain(path)
        except YamlError as error:
            return [*problems, error.problem().moved(file)], None
        if not isinstance(data, dict):
            return [*problems, not_a_mapping(path, data).moved(file)], None
        as_json = plain(data)  # the schema describes JSON: a YAML date is its ISO string there
        for invalid in validator.iter_errors(as_json):
            where = location_text(tuple(invalid.path))
            line, column = position(path, tuple(invalid.path))
            problems.append(
                Problem.at("E-SCHEMA", file, line, column, f"{where}: {_explain(invalid)}")
            )
        schema_problems = any(problem.code == "E-SCHEMA" for problem in problems)
        try:
            card = _without_invalid(data) if schema_problems else Card.model_validate(data)
        except ValidationError as error:  # the schema comes from the model: a safety net only
            return [*problems, *(p.moved(file) for p in validation_problems(path, error))], None
        named = name_problem(card, path, file) if card is not None else None
        return problems + ([named] if named else []), card

    def _citations(self, citekeys: set[str]) -> Iterator[Problem]:
        """Citations of the pages (as the build finds them, outside code) that no card has."""
        for page in sorted(self.project.docs.rglob("*.md")):
            text = page.read_text("utf-8-sig", errors="replace")
            for citation in citations(text, calls=True):
                for key in citation.keys:
                    if key not in citekeys:
                        yield Problem.at(
                            "E-CITEKEY-UNKNOWN",
                            self.project.relative(page),
                            *line_and_column(text, citation.start),
                            f"unknown citation key {key!r}: no card has it",
                        )


def _without_invalid(data: dict[str, Any]) -> Card | None:
    """The card without the values that break the schema, when the rest is a card, so that its
    other rules are checked in the same run (a wrong year does not hide a wrong percent); None
    when a field it cannot do without is wrong (its id, a finding's quote...)."""
    trimmed = copy.deepcopy(data)
    for _ in range(3):
        try:
            return Card.model_validate(trimmed)
        except ValidationError as error:
            for found in error.errors():
                if found["type"] == "missing" or not _delete(trimmed, found["loc"]):
                    return None
    return None


def _delete(data: dict[str, Any], location: tuple[Any, ...]) -> bool:
    """Remove the key of the innermost mapping on `location` (a list item's index would shift
    the items after it, and the positions rules report); whether there was one."""
    containers: list[tuple[Any, Any]] = []
    node: Any = data
    for part in location:
        if (isinstance(node, dict) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        ):
            containers.append((node, part))
            node = node[part]
        else:
            break
    for container, key in reversed(containers):
        if isinstance(container, dict):
            del container[key]
            return True
    return False


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


def run_check(project: Project, taxonomy: Taxonomy | None) -> list[Problem]:
    return Checker(project, taxonomy).run()


__all__ = ["Problem", "run_check"]
