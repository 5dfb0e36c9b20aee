"""The fast card reader (`yamlio._read_simple`, libyaml's events) against the full loader.

`load_plain` reads a document of plain data from libyaml's events and leaves everything else to
PyYAML's composer and constructor (`_load_full`), which report every problem with its position.
That is safe only if the fast reader never accepts what the full loader refuses, and returns
exactly what it returns (the same types: `1`, `1.0` and `true` are equal in Python). Checked here
on every card, fixture and fuzz input of the repository, on the texts an editor may type, and on
YAML that hypothesis writes and then damages.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from macros.cards.yamlio import MAX_DEPTH, MAX_LIST_ITEMS, YamlError, load_plain
from macros.cards.yamlio import _load_full as load_full
from macros.cards.yamlio import _read_simple as read_simple
from macros.cards.yamlio import _Unusual as Unusual

from .test_card_loader_fuzz import DEEP, TREES, TRICKY_STRINGS, _Dumper

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted(
    {
        *(ROOT / "docs" / "cards").glob("*.yml"),
        *(ROOT / "tests").rglob("*.yml"),
        *(ROOT / "tests" / "fuzz" / "corpus" / "card").glob("*"),  # not in git: local fuzzing only
        *(ROOT / "tests" / "fuzz" / "regressions" / "card").glob("*"),
    }
)


def _typed(value: Any) -> Any:
    """`value` with every scalar's type beside it (and NaN equal to itself)."""
    if isinstance(value, dict):
        return ("dict", [(_typed(k), _typed(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [_typed(v) for v in value])
    if isinstance(value, float) and math.isnan(value):
        return ("float", "nan")
    return (type(value).__name__, value)


def assert_same(text: str) -> bool:
    """The fast reader gives what the full loader gives, or leaves the text to it; whether it
    read the text itself."""
    try:
        fast = read_simple(text)
    except Unusual:
        return False
    full = load_full(Path("card.yml"), text)  # raises if the fast reader accepted a bad text
    assert _typed(fast) == _typed(full), text
    return True


def _text(path: Path) -> str | None:
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return None
    return None if "\t" in text else text  # load_plain refuses tabs before reading


# A file that is not UTF-8 or holds a tab is refused before either reader: nothing to compare.
READABLE = [(path, text) for path in FILES if (text := _text(path)) is not None]


@pytest.mark.parametrize(("path", "text"), READABLE, ids=[p.name for p, _ in READABLE])
def test_every_file_of_the_repository_reads_the_same(path: Path, text: str) -> None:
    assert len(READABLE) > len(FILES) // 2  # the filter leaves the repository's files in
    read = assert_same(text)
    if path.parent.name == "cards" and path.parent.parent.name == "docs":
        assert read  # every card ingest writes takes the fast path


ODD_TEXTS = [
    "",
    "# only a comment\n",
    "---\n",
    "---\n...\n",
    "a: 1\n---\nb: 2\n",
    "%YAML 1.1\n---\na: 1\n",
    "%TAG !e! tag:example.com,2000:\n---\na: !e!x 1\n",
    "plain text\n",
    "- 1\n- 2\n",
    "a: &x [1, 2]\nb: *x\n",
    "a: &x 1\n",
    "a: *x\n",
    "a: 1\nb: 2\na: 3\n",
    "1: a\n1.0: b\n",
    "true: a\n1: b\n",
    "null: a\n~: b\n",
    "? [a]\n: b\n",
    "? {a: 1}\n: b\n",
    "<<: {a: 1}\nb: 2\n",
    "a:\n  <<: [{x: 1}]\n",
    "=: a\n",
    "a: =\n",
    "a: !!str 1\n",
    "a: ! 1\n",
    "a: !!python/object/apply:os.system ['echo hi']\n",
    "a: 0x1F\n",
    "a: 017\n",
    "a: 1_000\n",
    "a: 1:20\n",
    "a: 0b101\n",
    "a: 0o17\n",
    "a: " + "9" * 30 + "\n",
    "a: " + "9" * 24 + "\n",
    "a: 1." + "0" * 30 + "\n",
    "a: 2020-02-30\n",
    "a: 2020-02-29\n",
    "date: 2001-12-14t21:59:43.10-05:00\n",
    "a: 2001-12-14 21:59:43.10 +25:00\n",
    "a: .nan\nb: -.inf\nc: +.INF\n",
    "a: [1, 2\nb: 3\n",
    "a: {b: [c, {d: e}]}\n",
    "a: 'yes'\nb: yes\nc: \"on\"\nd: off\n",
    "a:\n  - b\n  -\n  - ''\n",
    "a: |\n  line\n  line\n",
    "a: >-\n  folded\n  text\n",
    "\ufeffa: 1\n",
    "a: 1\r\nb: 2\r\n",
    "a: \x85b\n",
    "'a\nb': 1\n",
    "[" * 60 + "]" * 60 + "\n",
    "a: " + "[" * (MAX_DEPTH - 2) + "1" + "]" * (MAX_DEPTH - 2) + "\n",
    "a: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n",
    "a: [" + ", ".join(["1"] * MAX_LIST_ITEMS) + "]\n",
    "a: [" + ", ".join(["1"] * (MAX_LIST_ITEMS + 1)) + "]\n",
]


@pytest.mark.parametrize("text", ODD_TEXTS, ids=lambda t: repr(t[:30]))
def test_odd_yaml_reads_the_same_or_is_left_to_the_full_loader(text: str) -> None:
    assert_same(text)


@pytest.mark.parametrize("value", TRICKY_STRINGS)
@pytest.mark.parametrize("layout", ["k: {}\n", "{}: v\n", "- {}\n", "k: [{}]\n", "{{{}: v}}\n"])
def test_what_an_editor_types_reads_the_same(value: str, layout: str) -> None:
    assert_same(layout.format(value))


def test_the_full_loader_still_reports_what_the_fast_reader_leaves(tmp_path: Path) -> None:
    path = tmp_path / "card.yml"
    path.write_text("id: x\nlist: [1, 2]\nid: y\n", encoding="utf-8")
    with pytest.raises(YamlError) as error:
        load_plain(path)
    assert (error.value.line, error.value.column) == (3, 1)
    assert "duplicate key 'id'" in error.value.message


SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
DAMAGE = st.sampled_from(
    ["&a ", "*a", "!!str ", "! ", "<<: ", "? ", "- ", ": ", "{", "}", "[", "]", ",", "'", '"',
     "\n", "  ", "#", "---\n", "...\n", "=", "~", "yes", "0x1", "2020-02-30", "\\", "|", ">"]
)  # fmt: skip


@SETTINGS
@given(
    st.one_of(TREES, DEEP),
    st.one_of(st.none(), st.booleans()),
    st.lists(st.tuples(st.integers(0, 10_000), DAMAGE), max_size=3),
)
def test_written_and_damaged_yaml_reads_the_same(
    data: Any, flow: bool | None, damage: list[tuple[int, str]]
) -> None:
    try:
        text = yaml.dump(data, Dumper=_Dumper, default_flow_style=flow, allow_unicode=True)
    except (yaml.YAMLError, ValueError, TypeError):
        return
    for position, piece in damage:
        at = position % (len(text) + 1)
        text = text[:at] + piece + text[at:]
    assume_text = text.replace("\t", " ")
    try:
        assert_same(assume_text)
    except (YamlError, RecursionError):
        pytest.fail(f"the fast reader accepted what the full loader refuses: {assume_text!r}")
