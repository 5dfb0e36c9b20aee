"""Fuzz targets: arbitrary bytes give a card or a typed, clear error, never anything else.

Both targets are plain functions of one `bytes` argument, so the same code runs under atheris
(`run_atheris.py`, coverage-guided) and under pytest (`tests/test_fuzz_regressions.py`, which
replays every kept crash and the seed corpus). An exception that escapes a target is a finding:
either an untyped error (a traceback for the user) or a broken promise, raised as `FuzzFinding`.

* `seed_target`: bytes as a seed file -> `SeedText.from_bytes` -> `extract` -> `build_card`; the
  card is then written the way ingest writes it (`new_card_text` + `write_atomic`), loaded back
  with `load_card`, and turned into BibTeX and read back. Allowed: `SeedError` with a message.
* `card_target`: bytes as a card file -> `load_round_trip` (how ingest reads an editor's card)
  and `load_card`. Allowed: `CardError` (each line starting `path:line:column: `) and
  `YamlError` (message starting `path:`). A card that loads goes through the same write / load /
  BibTeX round trip as above.
* `page_target`: bytes as an editor's page (`docs/**/*.md`) -> `pages.page_problems`, as
  `evidence check` and the build run it: a list of problems, each with a line of the page and a
  message. A template the check allows is then rendered in the sandbox, whose only names are
  stand-ins for the macros: it must render, calling nothing else, with literal text arguments.
"""

from __future__ import annotations

import atexit
import re
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from jinja2 import Environment, StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment
from mkdocs.utils.meta import get_data

from macros.cards.bib import bibliography, card_fields, escape, read_back, unescape
from macros.cards.cardfiles import CardError, load_card
from macros.cards.model import Card
from macros.cards.taxonomy import Taxonomy, default_taxonomy
from macros.cards.yamlio import YamlError, load_round_trip, write_atomic
from macros.commands.ingest import new_card_text
from macros.core.text import SeedError, SeedText
from macros.shapes import extract
from macros.shapes.assemble import build_card
from macros.site.data import MACROS
from macros.site.pages import Settings, page_problems, sandboxed, template_problems

SEED_PATH = "seeds/fuzz.txt"
HANG_SECONDS = 2.0  # per input, uninstrumented (atheris, 3-5x slower: -timeout=5)
_CARD_ERROR_START = re.compile(r":\d+:\d+: ")
_ID_LINE = re.compile(rb"^id: *([a-z0-9]+(?:-[a-z0-9]+)*) *\r?$", re.MULTILINE)


class FuzzFinding(AssertionError):
    """A promise the code broke: a card that does not load back, an unclear error, a torn file."""


class Hang(BaseException):
    """An input that ran longer than `HANG_SECONDS` (BaseException: no `except` swallows it)."""


_state: dict[str, object] = {}


def _taxonomy() -> Taxonomy:
    taxonomy = _state.get("taxonomy")
    if not isinstance(taxonomy, Taxonomy):
        taxonomy = _state["taxonomy"] = default_taxonomy()
    return taxonomy


def _workspace() -> Path:
    """One temporary folder per process, emptied before each input and removed at exit."""
    folder = _state.get("workspace")
    if not isinstance(folder, Path):
        folder = _state["workspace"] = Path(tempfile.mkdtemp(prefix="evidence-fuzz-"))
        atexit.register(shutil.rmtree, folder, True)
    for child in folder.iterdir():
        if child.is_dir():
            shutil.rmtree(child)
        else:
            child.unlink()
    return folder


def _fold(value: str) -> str:
    return " ".join(value.split())


def check_card_round_trip(card: Card) -> None:
    """Written as ingest writes it, the card loads back equal, whole, and as BibTeX."""
    with tempfile.TemporaryDirectory(prefix="evidence-fuzz-card-") as folder:
        _check_card_round_trip(card, Path(folder))


def _check_card_round_trip(card: Card, folder: Path) -> None:
    data = card.to_data()
    path = folder / f"{card.id}.yml"
    write_atomic(path, new_card_text(data))
    leftovers = [p.name for p in folder.iterdir() if p.name != path.name]
    if leftovers:
        raise FuzzFinding(f"writing {path.name} left other files behind: {leftovers}")
    try:
        again = load_card(path)
    except (CardError, YamlError) as error:
        text = path.read_text(encoding="utf-8")
        raise FuzzFinding(
            f"a card the project wrote does not load back: {error}\n{text}"
        ) from error
    if again.to_data() != data:
        raise FuzzFinding(
            f"the card changed on its way through YAML:\n{data}\n!=\n{again.to_data()}"
        )

    text = bibliography([card])
    try:
        back = read_back(text)
    except ValueError as error:
        raise FuzzFinding(f"the BibTeX of a card does not parse back: {error}\n{text}") from error
    if list(back) != [card.citekey]:
        raise FuzzFinding(f"expected one entry {card.citekey!r}, read back {list(back)}\n{text}")
    expected = {
        key: _fold(value if key == "doi" else unescape(escape(value)))
        for key, value in card_fields(card).items()
    }
    got = {key: _fold(value) for key, value in back[card.citekey].items() if key != "author"}
    if got != expected:
        raise FuzzFinding(f"BibTeX fields changed: {expected} != {got}\n{text}")


def seed_target(data: bytes) -> None:
    """Bytes as a seed: a card that survives the write / load / BibTeX round trip, or SeedError."""
    try:  # a seed's own problem (unreadable, or past a card's limits) is a SeedError
        seed = SeedText.from_bytes(SEED_PATH, data)
        card = build_card(seed, extract(seed), _taxonomy(), None, set(), set())
    except SeedError as error:
        if not error.message or error.line < 0:
            raise FuzzFinding(f"a SeedError must say what is wrong: {error!r}") from error
        return
    for finding in card.findings:
        if finding.quote not in seed.text:
            raise FuzzFinding(f"quote is not verbatim in the seed: {finding.quote!r}")
        if not 1 <= finding.location.line <= len(seed.lines):
            raise FuzzFinding(f"line {finding.location.line} outside the seed: {finding.quote!r}")
    check_card_round_trip(card)


def card_file_name(data: bytes) -> str:
    """The file name a card must have: its `id:` line when plain, so valid cards get through."""
    match = _ID_LINE.search(data[:4096])
    return f"{match.group(1).decode('ascii')}.yml" if match else "fuzz-card.yml"


def _check_card_error(error: CardError, path: Path) -> None:
    """One line per problem, each starting `path:line:column: ` (so no key can forge a line)."""
    message = str(error)
    for problem in message.split("\n"):
        if not problem.startswith(str(path)) or not _CARD_ERROR_START.match(
            problem, len(str(path))
        ):
            raise FuzzFinding(
                f"each line of a CardError must start with path:line:column: {message!r}"
            ) from error


def _check_yaml_error(error: YamlError, path: Path) -> None:
    if not str(error).startswith(f"{path}:") or not error.message:
        raise FuzzFinding(f"a YamlError must name the file: {str(error)!r}") from error


def card_target(data: bytes) -> None:
    """Bytes as a card file: a Card, or CardError / YamlError naming the file (and position).

    The file is read both ways the project reads cards: `load_card` (the build, check and the
    bibliography) and `load_round_trip` (ingest, when it merges a changed seed into an editor's
    card). A card that the first accepts must be readable by the second.
    """
    folder = _workspace()
    path = folder / card_file_name(data)
    path.write_bytes(data)
    card: Card | None = None
    try:
        card = load_card(path)
    except CardError as error:
        _check_card_error(error, path)
    except YamlError as error:
        _check_yaml_error(error, path)
    try:
        load_round_trip(path)
    except YamlError as error:
        _check_yaml_error(error, path)
        if card is not None:
            raise FuzzFinding(f"a valid card that ingest cannot merge: {error}") from error
    if card is not None:
        check_card_round_trip(card)


PAGE_PATH = "docs/fuzz.md"
ROOT = Path(__file__).resolve().parent.parent.parent


def _page_settings() -> Settings:
    settings = _state.get("page settings")
    if not isinstance(settings, Settings):
        settings = _state["page settings"] = Settings.of(ROOT)
    return settings


def _stand_ins(calls: list[tuple[str, tuple[object, ...]]]) -> Environment:
    """The build's sandbox with nothing in it but stand-ins for the macros, recording calls."""

    def stand_in(name: str) -> Callable[..., str]:
        def call(*args: object) -> str:
            calls.append((name, args))
            return ""

        return call

    sandbox = sandboxed(Environment(undefined=StrictUndefined))
    sandbox.globals.clear()
    sandbox.globals.update({name: stand_in(name) for name in MACROS})
    return sandbox


def page_target(data: bytes) -> None:
    """Bytes as an editor's page: clear problems, or a template that calls only our macros."""
    # As a file is read (universal newlines): a lone CR is a line break for Jinja too.
    text = data.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")
    body, meta = get_data(text)
    environment = ImmutableSandboxedEnvironment(undefined=StrictUndefined)
    lines = text.count("\n") + 1
    for problem in page_problems(PAGE_PATH, body, meta, text, _page_settings(), environment):
        if not (problem.message and 1 <= problem.line <= lines and problem.file == PAGE_PATH):
            raise FuzzFinding(f"a page problem must name a line of the page: {problem}")
    if template_problems(body, environment):
        return
    calls: list[tuple[str, tuple[object, ...]]] = []
    try:
        _stand_ins(calls).from_string(body).render()
    except Exception as error:
        raise FuzzFinding(f"an allowed template does not render: {error!r}") from error
    for name, args in calls:
        try:
            MACROS[name].bind(*args)
        except TypeError as error:
            raise FuzzFinding(f"an allowed template calls {name}{args}: {error}") from error
        if not all(isinstance(arg, str) for arg in args):
            raise FuzzFinding(f"an allowed template calls {name} with {args!r}")


TARGETS: dict[str, Callable[[bytes], None]] = {
    "seed": seed_target,
    "card": card_target,
    "page": page_target,
}


@contextmanager
def time_limit(seconds: float = HANG_SECONDS) -> Iterator[None]:
    """Raise `Hang` in the block after `seconds` (by SIGALRM; off the main thread, at its end)."""
    if threading.current_thread() is not threading.main_thread():
        start = time.monotonic()
        yield
        if time.monotonic() - start > seconds:
            raise Hang(f"took {time.monotonic() - start:.1f} s, over {seconds} s")
        return

    def alarm(signum: int, frame: FrameType | None) -> None:
        raise Hang(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
