"""Writing a new card fast, in exactly the layout ruamel.yaml's round-trip dumper gives it.

ruamel's emitter is pure Python and took two thirds of a cold ingest (about 19 ms a card). A card
is a small tree of mappings, lists and scalars, so this module writes it directly and asks ruamel
only what it decides best: the style of a scalar that is not obviously plain. Whatever it is not
sure to write the same way (long or multi-line text, unusual characters, nested lists, floats in
exponent form) makes it hand the whole card to ruamel, so both paths give the same bytes; a
property test holds them to that.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

from ruamel.yaml.emitter import Emitter

from .yamlio import dump_round_trip, float_text, round_trip, with_header, yaml11_safe

_INDENT = 2  # mapping indent; a list item's dash sits 2 in, its content 4 in (ruamel's offset)
_MAX_SCALAR = 2000  # ruamel folds past column 4096; escapes at most double a scalar
_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
# Plain in any case: starts with a letter or digit, ends with one or `.`/`)`, and holds nothing
# YAML gives a meaning to (`: `, ` #`, quotes, flow indicators) nor any invisible character.
_SIMPLE = re.compile(r"[^\W_][\w .,;()/+<>=~^$%-]{0,1998}[\w.)]|[^\W_]")
# Characters ruamel writes inside quotes as they are (allow_unicode), and tab and line feed,
# which it escapes as below; its other escapes (\x85, \u2028, \ufeff...) are left to it.
_QUOTABLE = re.compile(
    "[\t\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]*"
)
_DOUBLE_QUOTED = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t"})
_ANALYZER = Emitter(None, allow_unicode=True, dumper=round_trip())


class _Fallback(Exception):
    """This card holds something only ruamel's emitter is sure to write the same way."""


def dump_card(data: Mapping[str, Any], header: str) -> str:
    """The YAML of a new card, a `# ` comment header first, as `dump_round_trip` writes it."""
    fast = fast_dump(data, header)
    return fast if fast is not None else dump_round_trip(with_header(data, header))


def fast_dump(data: Mapping[str, Any], header: str) -> str | None:
    """`dump_card`'s text written directly, or None when only ruamel can be trusted with it."""
    return _direct(data, [f"# {line}" if line else "#" for line in header.split("\n")])


def front_matter(data: Mapping[str, Any]) -> str:
    """A Markdown page's front matter, `---` YAML `---`, written as cards are: YAML 1.1 (MkDocs)
    and YAML 1.2 readers read the same values, whatever the text. (A study page's, at 1,000
    pages: 1.5 s through ruamel's emitter, 0.05 s here.)"""
    return f"---\n{_direct(data, []) or dump_round_trip(dict(data))}---\n"


def _direct(data: Mapping[str, Any], lines: list[str]) -> str | None:
    """`lines` and then the mapping's YAML, or None when only ruamel can be trusted with it."""
    if not data:
        return None
    try:
        _mapping(data, 0, lines)
    except _Fallback:
        return None
    return "\n".join(lines) + "\n"


def _mapping(data: Mapping[str, Any], indent: int, lines: list[str], first: str = "") -> None:
    """Lines of a block mapping; `first` prefixes its first line (a list item's `- `)."""
    for index, (key, value) in enumerate(data.items()):
        if not isinstance(key, str) or not _plain_key(key):
            raise _Fallback
        lead = first if index == 0 and first else " " * indent
        if isinstance(value, Mapping) and value:
            lines.append(f"{lead}{key}:")
            _mapping(value, indent + _INDENT, lines)
        elif _is_list(value) and value:
            lines.append(f"{lead}{key}:")
            _sequence(value, indent + _INDENT, lines)
        elif value is None:
            lines.append(f"{lead}{key}:")
        else:
            lines.append(f"{lead}{key}: {_scalar(value)}")


@functools.lru_cache(maxsize=1024)
def _plain_key(key: str) -> bool:
    """A key written plain: a card has the same hundred or so keys (a third of its scalars)."""
    return bool(_KEY.fullmatch(key)) and yaml11_safe(key)


def _sequence(items: Sequence[Any], indent: int, lines: list[str]) -> None:
    dash = " " * indent + "- "
    for item in items:
        if isinstance(item, Mapping) and item:
            _mapping(item, indent + _INDENT, lines, first=dash)
        elif item is None or _is_list(item) or isinstance(item, Mapping):
            raise _Fallback
        else:
            lines.append(dash + _scalar(item))


def _is_list(value: Any) -> bool:
    return isinstance(value, Sequence) and not isinstance(value, str)


def _scalar(value: Any) -> str:
    if isinstance(value, Mapping):
        return "{}"  # only empty ones get here
    if _is_list(value):
        return "[]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise _Fallback
        return float_text(value)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, str):
        return _string(value)
    raise _Fallback


@functools.lru_cache(maxsize=4096)  # cards repeat operators, units and review notes: half of
def _string(text: str) -> str:  # the texts ruamel analyzes (30 µs each) in pmc-dev's cards
    if _SIMPLE.fullmatch(text) and yaml11_safe(text):
        return text
    if len(text) > _MAX_SCALAR or not _QUOTABLE.fullmatch(text):
        raise _Fallback
    analysis = _ANALYZER.analyze_scalar(text)
    if analysis.allow_block_plain and not analysis.empty and yaml11_safe(text):
        return text
    if "'" in text or "\n" in text or not analysis.allow_single_quoted:
        return '"' + text.translate(_DOUBLE_QUOTED) + '"'
    return "'" + text + "'"
