"""Reading card files: safe YAML, validated against the model, errors with file:line:column.

Loading uses the safe loader (fast, no Python objects); only when a card is invalid is it parsed
again with the round-trip loader, whose position marks name the line of the offending key.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .model import Card
from .yamlio import YamlError, load_plain, load_round_trip


class CardError(ValueError):
    """A card that does not satisfy the contract; the message starts with `path:line:column:`."""


def load_card(path: Path) -> Card:
    data = load_plain(path)
    if not isinstance(data, dict):
        raise CardError(
            f"{path}:1:1: a card must be a mapping of fields, not {type(data).__name__}"
        )
    try:
        card = Card.model_validate(data)
    except ValidationError as error:
        raise CardError(validation_message(path, error)) from error
    if card.id != path.stem:
        line, column = position(path, ("id",))
        raise CardError(
            f"{path}:{line}:{column}: id {card.id!r} must equal the file name "
            f"{path.stem!r}; rename the file or fix the id"
        )
    return card


def validation_message(path: Path, error: ValidationError) -> str:
    """One line per problem, each with the position of the key it concerns."""
    lines = []
    for problem in error.errors():
        location = tuple(problem["loc"])
        line, column = position(path, location)
        where = ".".join(str(part) for part in location) or "(card)"
        lines.append(f"{path}:{line}:{column}: {where}: {problem['msg']}")
    return "\n".join(lines)


def position(path: Path, location: tuple[Any, ...]) -> tuple[int, int]:
    """1-based line and column of the deepest key of `location` that exists in the file."""
    try:
        node = load_round_trip(path)
    except YamlError:
        return 1, 1
    line, column = 1, 1
    for part in location:
        marks = getattr(node, "lc", None)
        try:
            if isinstance(part, int) and isinstance(node, list) and part < len(node):
                line, column = marks.item(part) if marks else (line - 1, column - 1)
                line, column = line + 1, column + 1
                node = node[part]
            elif isinstance(node, dict) and part in node:
                key_line, key_column = marks.key(part) if marks else (line - 1, column - 1)
                line, column = key_line + 1, key_column + 1
                node = node[part]
            else:
                break
        except (KeyError, IndexError, TypeError):
            break
    return line, column
