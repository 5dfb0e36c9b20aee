"""The fast card writer gives ruamel's bytes, and every card reads back as it was written."""

from __future__ import annotations

import copy
import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from macros.cards.cardfiles import load_card
from macros.cards.emitter import dump_card, fast_dump, front_matter
from macros.cards.yamlio import dump_round_trip, load_plain, load_round_trip, with_header
from macros.commands.ingest import CARD_HEADER
from macros.core.text import normalize

ROOT = Path(__file__).resolve().parent.parent

# Text a card can hold, weighted to what YAML treats specially.
TRICKY = [
    "yes", "No", "on", "off", "null", "~", "true", "1:20", "1_000", "0o17", "0x1F", ".5", "1e3",
    "2025-01-02", "=", "<<", "-x", "- x", "?x", "? x", "a: b", "a:b", "x #y", "#x", "@x", "`x",
    "%d", "!x", "&x", "*x", "|", ">", "[x]", "{x}", "x,y", "it's", 'say "hi"', "back\\slash",
    " lead", "trail ", "two\nlines", "tab\there", "", "---", "...", "x:", "é", "骶髂炎", "🦴",
    "a\u2028b", "\x85", "\ufeff", "\xa0nbsp", "HR 1.2 (95% CI 0.9–1.6)",
]  # fmt: off
# Cards hold canonical seed text, which has no NEL, line separator, BOM or control character.
strings = st.one_of(
    st.sampled_from(TRICKY),
    st.lists(st.sampled_from(TRICKY), min_size=1, max_size=4).map(" ".join),
    st.text(max_size=60),
).map(normalize)
# Around the length past which the fast writer leaves a scalar to ruamel.
long_strings = st.text(alphabet=st.characters(codec="utf-8"), min_size=1990, max_size=2010)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(min_value=dt.date(1900, 1, 1)),
    strings,
)
keys = st.from_regex(r"[a-z_][a-z0-9_]{0,11}", fullmatch=True)


def _values(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(
        st.dictionaries(keys, children, max_size=5),
        st.lists(
            st.one_of(
                scalars.filter(lambda value: value is not None),  # a card's lists hold no null
                st.dictionaries(keys, children, min_size=1, max_size=4),
            )
        ),
    )


cards = st.dictionaries(keys, st.recursive(scalars, _values, max_leaves=15), min_size=1, max_size=8)


@settings(max_examples=100, deadline=None)
@given(cards)
def test_fast_writer_gives_the_round_trip_dumpers_bytes(data: dict[str, Any]) -> None:
    fast = fast_dump(copy.deepcopy(data), CARD_HEADER)
    ruamel = dump_round_trip(with_header(copy.deepcopy(data), CARD_HEADER))
    assert fast is None or fast == ruamel


@settings(max_examples=100, deadline=None)
@given(cards)
def test_a_written_card_reads_back_the_same_in_yaml_1_1_and_1_2(data: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "card.yml"
        path.write_text(dump_card(copy.deepcopy(data), CARD_HEADER), encoding="utf-8")
        assert load_plain(path) == data  # PyYAML, YAML 1.1: what the site build reads
        assert _plain(load_round_trip(path)) == data  # ruamel, YAML 1.2: what ingest merges


@settings(max_examples=30, deadline=None)
@given(long_strings, st.sampled_from(["", "it's ", "two\nlines "]))
def test_long_text_is_written_as_ruamel_writes_it(text: str, prefix: str) -> None:
    data = {"findings": [{"quote": prefix + text}]}
    assert dump_card(copy.deepcopy(data), CARD_HEADER) == dump_round_trip(
        with_header(data, CARD_HEADER)
    )


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return value


def test_words_yaml_1_1_reads_as_booleans_or_numbers_are_quoted() -> None:
    """ruamel alone writes `yes` and `1:20` plain, which the build would read as True and 80."""
    for data in ({"title": "Yes", "value": "1:20"}, {"title": "Yes", "value": "1:20", "x": [[]]}):
        text = dump_card(data, CARD_HEADER)
        assert "title: 'Yes'" in text
        assert "value: '1:20'" in text
        assert yaml.safe_load(text)["title"] == "Yes"


def test_real_cards_take_the_fast_path_and_match_ruamel() -> None:
    paths = sorted((ROOT / "docs" / "cards").glob("*.yml"))
    fast = 0
    for path in paths:
        data = load_card(path).to_data()
        text = fast_dump(copy.deepcopy(data), CARD_HEADER)
        if text is not None:
            fast += 1
            assert text == dump_round_trip(with_header(data, CARD_HEADER))
    assert fast >= len(paths) - 1  # one real card quotes a case paragraph over 2,000 characters


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=200), strings), st.one_of(strings, st.floats(0, 10)))
def test_a_study_pages_front_matter_is_what_ruamel_writes(title: str, other: Any) -> None:
    """The study page's front matter (a title of any card text) takes the fast path when it
    can, and its bytes are ruamel's either way."""
    data = {"title": title, "search": {"boost": other}}
    assert front_matter(data) == f"---\n{dump_round_trip(data)}---\n"
