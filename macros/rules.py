"""Rules over all cards at once, one function for `evidence check` and the site build alike.

A pull request is untrusted input, so the build enforces what check reports:

- ids and citekeys are unique regardless of case: BibTeX reads `Erol2025` and `EROL2025` as one
  key, and a case-insensitive file system holds one of two card files whose names differ so;
- a `reviewed` card is signed by an editor listed in `taxonomy/editors.yml`. Anyone can write a
  name into `review.by`; only the code owners (`.github/CODEOWNERS`) can add one to that list.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from .cardfiles import CardError, location_text, position
from .model import Card, Short
from .yamlio import YamlError, load_plain

EDITORS_FILE = "taxonomy/editors.yml"


class Editor(BaseModel):
    """One person who may mark a card reviewed; `github` is the handle CODEOWNERS names."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Short = Field(min_length=1)
    github: str | None = Field(default=None, pattern=r"^[A-Za-z0-9-]{1,39}$")


def load_editors(root: Path) -> list[Editor]:
    """The editors of the repository at `root`: none when it has no list (then no card can be
    reviewed); a broken list is a YamlError naming the file."""
    path = root / EDITORS_FILE
    if not path.exists():
        return []
    try:
        return TypeAdapter(list[Editor]).validate_python(load_plain(path))
    except ValidationError as error:
        first = error.errors()[0]
        where = location_text(tuple(first["loc"]))
        raise YamlError(path, 0, f"{where}: {first['msg']}") from error


@dataclass(frozen=True)
class Violation:
    path: Path
    location: tuple[str, ...]
    message: str


def violations(
    cards: Sequence[tuple[Path, Card]], editors: Sequence[Editor]
) -> Iterator[Violation]:
    """What breaks a rule, for each card file it concerns."""
    yield from _unique_regardless_of_case(cards)
    yield from _signed_reviews(cards, {editor.name for editor in editors})


def _unique_regardless_of_case(cards: Sequence[tuple[Path, Card]]) -> Iterator[Violation]:
    for field in ("id", "citekey"):
        groups: dict[str, list[tuple[Path, str]]] = defaultdict(list)
        for path, card in cards:
            value = getattr(card, field)
            groups[value.casefold()].append((path, value))
        for group in groups.values():
            if len(group) < 2:
                continue
            files = ", ".join(f"{path.name} ({value})" for path, value in group)
            for path, value in group:
                yield Violation(
                    path,
                    (field,),
                    f"{field} {value!r} is used by {len(group)} cards, regardless of case: "
                    f"{files}; make it unique",
                )


def _signed_reviews(cards: Sequence[tuple[Path, Card]], names: set[str]) -> Iterator[Violation]:
    for path, card in cards:
        review = card.review
        if review.status != "reviewed":
            continue
        if not (review.by and review.date):
            yield Violation(
                path,
                ("review", "status"),
                "a reviewed card names its reviewer and date: set review.by and review.date "
                "(YYYY-MM-DD)",
            )
        elif review.by not in names:
            listed = ", ".join(sorted(names)) or "nobody yet"
            yield Violation(
                path,
                ("review", "by"),
                f"review.by {review.by!r} is not an editor: a card is reviewed by a name of "
                f"{EDITORS_FILE} (listed: {listed})",
            )


def enforce(folder: Path, cards: Sequence[Card]) -> None:
    """For the build: a CardError with `file:line:column:` for each violation among the cards of
    `folder` (a repository's docs/cards, named by their ids)."""
    editors = load_editors(folder.parent.parent)
    lines = []
    for violation in violations([(folder / f"{card.id}.yml", card) for card in cards], editors):
        line, column = position(violation.path, violation.location)
        lines.append(f"{violation.path}:{line}:{column}: {violation.message}")
    if lines:
        raise CardError("\n".join(lines))
