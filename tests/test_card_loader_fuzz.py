"""Structured YAML fuzzing of the card loader: any YAML document gives a Card or a clear error.

`test_yaml_safety.py` covers tags, aliases, duplicate keys and syntax errors with fixed texts;
`test_properties.py` covers seeds. Here hypothesis writes well-formed YAML of every type (null,
bools, big ints, floats incl. .nan and .inf, dates, datetimes, binary, unicode keys, strings that
look like other types, and scalars as an editor types them: `2020-02-30`, `!!int abc`), in
card-like shapes and as mutations of the real cards in docs/cards
(a key dropped, a value of another type, unknown keys, deep nesting). `load_card` must return a
Card (which then survives ingest's write / load / BibTeX round trip) or raise CardError (or, for
YAML the safe loader refuses, such as nesting deeper than 50, YamlError) whose every line starts
with `<path>:<line>:<column>: ` and points inside the file. Any other exception fails the test.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from ruamel.yaml.representer import RepresenterError

from macros.cards.cardfiles import CardError, load_card
from macros.cards.model import Card
from macros.cards.yamlio import MAX_DEPTH, YamlError, dump_round_trip, load_plain

from .fuzz.targets import check_card_round_trip

ROOT = Path(__file__).resolve().parent.parent
CARD_FILES = sorted((ROOT / "docs" / "cards").glob("*.yml"))
REAL_CARDS = {path.stem: load_plain(path) for path in CARD_FILES}
# Mutations start from the smaller cards: every invalid card is parsed again to find positions.
SMALL_CARDS = sorted(path.stem for path in CARD_FILES if path.stat().st_size <= 5000) or sorted(
    REAL_CARDS
)
CARD_KEYS = list(Card.model_fields)
POSITION = re.compile(r":(\d+):(\d+): ")
# No shrinking: an invalid card is read again for every problem it has, so shrinking a failure
# took minutes (the minimal inputs are kept in tests/fuzz/regressions/card/ instead).
SETTINGS = settings(
    max_examples=150,
    deadline=None,
    report_multiple_bugs=False,
    phases=(Phase.explicit, Phase.reuse, Phase.generate, Phase.target),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

TRICKY_STRINGS = [
    "",
    " ",
    "null",
    "~",
    "NULL",
    "yes",
    "no",
    "on",
    "off",
    "y",
    "n",
    "true",
    "False",
    "0x1F",
    "0o17",
    "017",
    "1_000",
    "1e3",
    "+.inf",
    ".NaN",
    "-.inf",
    "2024-02-30",
    "2024-02-29",
    "12:30:00",
    "1:20",
    "=",
    "<<",
    "!!str",
    "*x",
    "&x",
    "%YAML 1.2",
    "---",
    "...",
    "- a",
    "a: b",
    "#",
    "'",
    '"',
    "\\",
    "{",
    "[",
    "\t",
    "\n",
    "\r\n",
    "\x85",
    "\u2028",
    "\ufeff",
    "\x00",
    "\x1b[31m",
    "{{ 7*7 }}",
    "<script>",
    "10.1000/x",
    "a" * 200,
]


class Raw:
    """A scalar written as it is, tagged (explicitly when YAML would not resolve it so):
    `2020-02-30`, `!!int abc`, a 5000-digit integer. A serialiser would quote these as strings,
    but an editor types them."""

    def __init__(self, tag: str, text: str) -> None:
        self.tag = f"tag:yaml.org,2002:{tag}"
        self.text = text

    def __repr__(self) -> str:
        return f"Raw({self.tag!r}, {self.text!r})"


class _Dumper(yaml.SafeDumper):
    pass


def _represent_raw(dumper: yaml.SafeDumper, raw: Raw) -> yaml.ScalarNode:
    return dumper.represent_scalar(raw.tag, raw.text)


_Dumper.add_representer(Raw, _represent_raw)
RAW_TEXTS = [
    "2020-02-30",
    "0000-01-01",
    "2020-13-01",
    "2001-12-14t21:59:43.10-25:00",
    "2001-12-14 21:59:43.10 +23:59",
    "abc",
    "maybe",
    "9" * 4301,
    "1e99999",
    "0x",
    "0b102",
    "%%%",
    "",
    "190:20:30",
    ".nan",
]
RAW = st.builds(
    Raw,
    st.sampled_from(["timestamp", "int", "float", "bool", "binary", "null", "str"]),
    st.one_of(st.sampled_from(RAW_TEXTS), st.text(max_size=8)),
)
TEXT = st.text(st.characters(codec="utf-8"), max_size=30)  # any character but surrogates
SCALARS: st.SearchStrategy[Any] = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from([0, -1, 1799, 1800, 2100, 2101, 2**31, 2**63, 2**64, -(2**100), 10**400]),
    st.floats(),  # includes nan, inf, -inf, -0.0, subnormals
    TEXT,
    st.sampled_from(TRICKY_STRINGS),
    st.dates(),
    st.datetimes(timezones=st.one_of(st.none(), st.just(dt.UTC))),
    st.binary(max_size=12),  # !!binary
    RAW,
)
KEYS: st.SearchStrategy[Any] = st.one_of(
    st.sampled_from(CARD_KEYS),
    TEXT,
    st.sampled_from(["名称", "ключ", "😀", "id ", "ID", "", "<<", "? x", "a\nb", "x\n::error::y"]),
    st.integers(),
    st.booleans(),
    st.none(),
    st.floats(allow_nan=False),
    st.dates(),
)
TREES: st.SearchStrategy[Any] = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(KEYS, children, max_size=4),
    ),
    max_leaves=25,
)


def _deep(depth: int, leaf: Any, as_list: bool) -> Any:
    for level in range(depth):
        leaf = [leaf] if as_list else {f"k{level}": leaf}
    return leaf


DEEP = st.builds(_deep, st.integers(MAX_DEPTH - 5, MAX_DEPTH + 40), SCALARS, st.booleans())
VALUES = st.one_of(TREES, DEEP)
CARD_SHAPED = st.fixed_dictionaries(
    {},
    optional=dict.fromkeys(CARD_KEYS, VALUES),
).flatmap(
    lambda card: st.dictionaries(KEYS, VALUES, max_size=2).map(lambda extra: {**card, **extra})
)


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside a card (dict keys and list indexes)."""
    found = [prefix] if prefix else []
    if isinstance(data, dict):
        for key, value in data.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _paths(value, (*prefix, index))
    return found


def _copy(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _copy(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_copy(v) for v in data]
    return data


@st.composite
def mutated_cards(draw: st.DrawFn) -> tuple[str, Any]:
    """A real card with 1-3 mutations: drop, retype, add an unknown key, or nest deeply."""
    stem = draw(st.sampled_from(SMALL_CARDS))
    card = _copy(REAL_CARDS[stem])
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(card)
        path = draw(st.sampled_from(paths))
        parent = card
        for part in path[:-1]:
            parent = parent[part]
        last = path[-1]
        action = draw(st.sampled_from(["drop", "retype", "unknown", "nest", "scalar"]))
        if action == "drop":
            del parent[last]
        elif action == "retype":
            parent[last] = draw(TREES)
        elif action == "scalar":
            parent[last] = draw(SCALARS)
        elif action == "nest":
            parent[last] = _deep(
                draw(st.integers(1, MAX_DEPTH + 10)), parent[last], draw(st.booleans())
            )
        else:
            target = parent[last] if isinstance(parent[last], dict) else parent
            if isinstance(target, dict):
                target[draw(KEYS)] = draw(VALUES)
            else:
                parent[last] = {"unexpected": parent[last]}
    return stem, card


def _serialise(data: Any, style: str) -> str:
    if style == "ruamel":  # the project's own writer, as ingest writes cards
        return dump_round_trip(data)
    return yaml.dump(
        data,
        Dumper=_Dumper,
        allow_unicode=style != "ascii",
        default_flow_style=style == "flow",
        explicit_start=style == "documents",
        explicit_end=style == "documents",
        sort_keys=False,
        width=40 if style == "narrow" else 4096,
    )


STYLES = st.sampled_from(["block", "flow", "ascii", "documents", "narrow"])


def _check(folder: Path, stem: str, text: str) -> None:
    """load_card gives a Card that round-trips, or a CardError/YamlError with positions."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():
        if old.is_file():
            old.unlink()
    path = folder / f"{stem}.yml"
    path.write_text(text, encoding="utf-8")
    try:
        card = load_card(path)
    except (CardError, YamlError) as error:
        message = str(error)
        assert message.strip(), "an error must say what is wrong"
        # YAML 1.1 also breaks lines at NEL, LS and PS; count them as the reader does.
        line_count = len(text.splitlines()) + 1
        for problem in message.split("\n"):  # one line per problem, each with its position
            assert problem.startswith(str(path)), f"a line without the path in {message!r}"
            where = POSITION.match(problem, len(str(path)))
            assert where, f"no :line:column: after the path in {message!r}"
            line, column = int(where.group(1)), int(where.group(2))
            assert 1 <= line <= line_count, f"line {line} outside the file: {message!r}"
            assert column >= 1, message
        return
    check_card_round_trip(card)


@SETTINGS
@given(data=st.one_of(VALUES, CARD_SHAPED), style=STYLES)
def test_any_yaml_document_gives_a_card_or_a_positioned_error(
    tmp_path: Path, data: Any, style: str
) -> None:
    stem = data.get("id") if isinstance(data, dict) else None
    stem = stem if isinstance(stem, str) and re.fullmatch(r"[a-z0-9-]{1,60}", stem) else "card"
    _check(tmp_path / "any", stem, _serialise(data, style))


@SETTINGS
@given(mutated=mutated_cards(), style=st.one_of(STYLES, st.just("ruamel")))
def test_a_mutated_real_card_gives_a_card_or_a_positioned_error(
    tmp_path: Path, mutated: tuple[str, Any], style: str
) -> None:
    stem, data = mutated
    try:
        text = _serialise(data, style)
    except RepresenterError:  # ruamel's writer has no form for a `Raw` scalar: PyYAML has
        text = _serialise(data, "block")
    _check(tmp_path / "mutated", stem, text)


def test_the_real_cards_load_and_round_trip(tmp_path: Path) -> None:
    for stem, data in REAL_CARDS.items():
        _check(tmp_path / stem, stem, _serialise(data, "ruamel"))
