"""Reading card files: safe YAML, validated against the model, errors with file:line:column.

Loading uses the plain loader (libyaml's events, no Python objects from tags) and validates the
data once, with the model; only when a card is invalid is it parsed again with the round-trip
loader, whose position marks name the line of the offending key.
`CardCache` spares a build of thousands of cards the YAML parsing of files that did not change.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..core.problems import MAX_PROBLEMS, Problem, clipped
from ..core.problems import text as problems_text
from .model import Card
from .yamlio import YamlError, load_plain, load_round_trip, read_yaml_text, write_atomic


@functools.lru_cache(maxsize=4)
def _round_trip_tree(path: Path, mtime_ns: int, size: int) -> Any:
    """A file parsed once for all the positions asked of it (the stamp keys a changed file
    anew): once per problem made a card with hundreds of problems take minutes."""
    try:
        return load_round_trip(path)
    except YamlError:
        return None


class CardError(ValueError):
    """A card that does not satisfy the contract: its problems, one line each in the message,
    each starting `path:line:column:`."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems_text(problems))
        self.problems = problems


def load_card(path: Path, text: str | None = None) -> Card:
    """The card of a file (whose `text` the caller may have read already), or a CardError."""
    data = load_plain(path, text)
    if not isinstance(data, dict):
        raise CardError([not_a_mapping(path, data)])
    try:
        card = Card.model_validate(data)
    except ValidationError as error:
        raise CardError(validation_problems(path, error)) from error
    return _named_as_file(card, path)


def not_a_mapping(path: Path, data: object) -> Problem:
    what = f"a card must be a mapping of fields, not {type(data).__name__}"
    return Problem.at("E-SCHEMA", path, 1, 1, what)


def _named_as_file(card: Card, path: Path) -> Card:
    problem = name_problem(card, path)
    if problem:
        raise CardError([problem])
    return card


def name_problem(card: Card, path: Path, file: str | None = None) -> Problem | None:
    """The rule that a card's id is its file name (so its study page, download and merge state
    are found by either), for every reader of cards; `file` names it in the problem."""
    if card.id == path.stem:
        return None
    line, column = position(path, ("id",))
    what = f"id {card.id!r} must equal the file name {path.stem!r}: rename the file or the id"
    return Problem.at("E-ID-FILENAME", file or path, line, column, what)


def validation_problems(path: Path, error: ValidationError) -> list[Problem]:
    """One problem per field, each at the position of the key it concerns; past MAX_PROBLEMS,
    a count."""
    problems = []
    for found in error.errors():
        location = tuple(found["loc"])
        line, column = position(path, location)
        what = clipped(f"{location_text(location)}: {found['msg']}")  # a key may be 1 MB long
        problems.append(Problem.at("E-SCHEMA", path, line, column, what))
        if len(problems) > MAX_PROBLEMS:  # positions cost a lookup each: stop when counted
            more = len(error.errors()) - MAX_PROBLEMS
            last = problems.pop()
            problems.append(
                Problem.at(
                    "E-TOO-MANY",
                    path,
                    last.line,
                    last.column,
                    f"and {more} more problems from here on",
                )
            )
            break
    return problems


def location_text(location: tuple[Any, ...]) -> str:
    """`findings.0.label`; a key with a line break or other unprintable text is quoted, so it
    cannot forge another line of the message."""
    parts = [str(p) if str(p).isprintable() else repr(str(p)) for p in location]
    return ".".join(parts) or "(card)"


def position(path: Path, location: tuple[Any, ...]) -> tuple[int, int]:
    """1-based line and column of the deepest key of `location` that exists in the file."""
    stat = path.stat()
    node = _round_trip_tree(path, stat.st_mtime_ns, stat.st_size)
    if node is None:
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


class RunStore:
    """Values by key in one versioned JSON file outside the work tree, kept between runs: a run
    reads it whole and writes back only the values it used, and only when that changed anything.
    A missing, damaged or older file only costs the run the work it would have saved."""

    VERSION = 1
    FIELD = "values"

    def __init__(self, file: Path | None) -> None:
        """`file` None: nothing is kept (see `cache_file`)."""
        self.file = file
        self._known = self._read()
        self._used: dict[str, Any] = {}

    def _read(self) -> dict[str, Any]:
        if self.file is None:
            return {}
        try:
            stored = json.loads(self.file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(stored, dict) or stored.get("version") != self.VERSION:
            return {}
        values = stored.get(self.FIELD)
        return values if isinstance(values, dict) else {}

    def save(self) -> None:
        """Keep the values of this run (and only those), if that changed anything."""
        if self.file is None or self._used == self._known:
            return
        content = json.dumps({"version": self.VERSION, self.FIELD: self._used}, sort_keys=True)
        write_atomic(self.file, content + "\n")


class CardCache(RunStore):
    """Validated cards by the sha256 of their file's text, kept between runs in one JSON file.

    Parsing YAML is most of the cost of loading a card (about 0.3 ms of CPU, against 0.07 ms to
    validate the cached JSON), so a build or ingest of thousands of cards parses only the files
    whose bytes changed. A cached card is validated against the model again and its id checked
    against its file name, so an old or damaged cache can never put an invalid card on the site.
    """

    FIELD = "cards"

    def load(self, path: Path) -> Card:
        text = read_yaml_text(path)
        digest = _digest(text)
        cached = self._known.get(digest)
        if isinstance(cached, str):
            try:
                card = _named_as_file(Card.model_validate_json(cached), path)
            except ValidationError:
                card = load_card(path, text)
        else:
            card = load_card(path, text)
        self._used[digest] = cached if isinstance(cached, str) else card.model_dump_json()
        return card

    def made(self, text: str, card: Card) -> Card:
        """`card`, which ingest has just written as `text` (`new_card_text`), kept as `load`
        keeps it but without parsing the text again (`load` of the file gives an equal card;
        a test holds the two equal)."""
        digest = _digest(text)
        cached = self._known.get(digest)
        self._used[digest] = cached if isinstance(cached, str) else card.model_dump_json()
        return card


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def load_cards(folder: Path, cache: CardCache | None = None) -> list[Card]:
    """The cards of a folder by file name; the first bad one raises (YamlError or CardError)."""
    paths = sorted(folder.glob("*.yml"), key=lambda path: path.name)  # one folder: by name
    if cache is None:
        return [load_card(path) for path in paths]
    try:
        return [cache.load(path) for path in paths]
    finally:
        cache.save()


CACHE_DIR_VARIABLE = "EVIDENCE_CACHE_DIR"


def cache_file(root: Path) -> Path | None:
    """Where a project keeps its `CardCache`: outside the work tree, or nowhere.

    A cache file is derived data that nothing ties to the cards it stands for, so one that came
    with a pull request could publish cards its YAML does not say. It therefore lives in this
    machine's cache folder (`$EVIDENCE_CACHE_DIR`, else `$XDG_CACHE_HOME/evidence`, else
    `~/.cache/evidence`), one file per project folder, and is not used at all when that
    location would be inside the project.
    """
    project = root.resolve()
    configured = os.environ.get(CACHE_DIR_VARIABLE)
    if configured:
        base = Path(configured)
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "evidence"
    key = hashlib.sha256(str(project).encode("utf-8")).hexdigest()[:16]
    file = base.resolve() / key / "cards.json"
    return None if file.is_relative_to(project) else file
