"""YAML in and out, safely and deterministically, and files written atomically.

Card files are read with ruamel.yaml's round-trip loader when ingest must keep an editor's comments
and key order, and with PyYAML's C safe loader everywhere else (15 times faster, which matters
for a build of thousands of cards); a card of plain data, as ingest writes it, is read straight
from libyaml's events, at under half the cost, and anything else goes through the full loader,
which reports every problem. Neither constructs Python objects from tags; the plain loader
also rejects aliases (no "billion laughs") and duplicate keys, which a reviewer could misread.
Both refuse numbers that are not plain decimals (`0x1F`, `017`, `1_000`, `1:20` mean different
numbers to YAML 1.1 and 1.2 readers, and `0xfff...` hides a 5,000-digit number that no page can
print), and the plain loader refuses lists longer than any card holds before building them.
Every write goes to a temporary file in the same folder and is renamed over the target, so a
killed run leaves each file either old or new, never torn.
"""

from __future__ import annotations

import functools
import io
import math
import os
import re
import stat
import tempfile
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any

import yaml as pyyaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import ConstructorError, RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.scalarstring import ScalarString, SingleQuotedScalarString

from ..core.problems import Problem, clipped

MAX_YAML_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 50
MAX_LIST_ITEMS = 1_000  # above every list limit of the card model: longer lists are not built
MAX_NUMBER_DIGITS = 24  # int64 has 19; Python writes a float with 21 at most (0.000 + 17)


class YamlError(ValueError):
    """A YAML file an editor must fix: where it is and what is wrong."""

    def __init__(self, path: Path | str, line: int, message: str, column: int = 0) -> None:
        self.path = str(path)
        self.line = line
        self.column = column
        self.message = clipped(message)
        where = f"{self.path}:{line}" + (f":{column}" if column else "") if line else self.path
        super().__init__(f"{where}: {self.message}")

    def problem(self, code: str = "E-YAML") -> Problem:
        """This error as a problem: `E-YAML` for a card, `E-TAXONOMY` or `E-EDITORS` for the
        taxonomy's files."""
        return Problem.at(code, self.path, self.line, self.column, self.message)


_DECIMAL_INTEGER = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")


def _number_problem(tag: str, text: str) -> str | None:
    """Why a scalar that YAML reads as a number must not be read, or None.

    Only plain decimals are numbers on a card: other notations are read differently by YAML 1.1
    (the build) and 1.2 (ingest), or not at all by people, and no field needs 25 digits.
    """
    if tag == "tag:yaml.org,2002:int":
        decimal = bool(_DECIMAL_INTEGER.fullmatch(text))
    elif tag == "tag:yaml.org,2002:float":
        decimal = "_" not in text and ":" not in text
    else:
        return None
    if not decimal:
        shown = repr(text if len(text) <= 24 else f"{text[:20]}…")  # one line, whatever it holds
        return f"cannot read this value ({shown}): write numbers in decimal, or quote text"
    if len(text) <= MAX_NUMBER_DIGITS:
        return None  # so no more digits than that, whatever else it holds
    digits = sum(character.isdigit() for character in text)
    if digits > MAX_NUMBER_DIGITS:
        return f"cannot read this value: {digits:,} digits, more than any field takes"
    return None


def float_text(value: float) -> str:
    """A finite float as YAML 1.1 and 1.2 both read it: YAML 1.1 wants `1.0e-05`, not `1e-05`."""
    text = repr(value).lower()
    return text.replace("e", ".0e", 1) if "e" in text and "." not in text else text


class _Representer(RoundTripRepresenter):
    def represent_float(self, data: Any) -> ScalarNode:
        if not math.isfinite(data):
            return super().represent_float(data)
        return self.represent_scalar("tag:yaml.org,2002:float", float_text(data))


_Representer.add_representer(float, _Representer.represent_float)


class _Constructor(RoundTripConstructor):
    """ruamel's round-trip constructor, refusing the numbers the plain loader refuses."""

    def construct_object(self, node: Any, deep: bool = False) -> Any:
        problem = (
            _number_problem(str(node.tag), node.value) if isinstance(node, ScalarNode) else None
        )
        if problem:
            raise ConstructorError(None, None, problem, node.start_mark)
        return super().construct_object(node, deep=deep)


def round_trip() -> YAML:
    yaml = YAML(typ="rt")
    yaml.Constructor = _Constructor
    yaml.Representer = _Representer
    yaml.preserve_quotes = True
    yaml.width = 4096  # never fold long quotes: a diff must show what changed, not re-wrapping
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.allow_unicode = True
    yaml.allow_duplicate_keys = False
    return yaml


_BaseLoader: type[pyyaml.SafeLoader] = getattr(pyyaml, "CSafeLoader", pyyaml.SafeLoader)


# What YAML constructors raise on a value they cannot build (`2020-02-30`, `!!int abc`, a key
# that is a list): turned into errors that name the line, never a traceback.
CONSTRUCTION_ERRORS = (
    ValueError,
    TypeError,
    KeyError,
    IndexError,
    AttributeError,
    AssertionError,
    OverflowError,
)


class _PlainLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """The safe loader, with duplicate keys and unbuildable values as positioned errors."""

    def construct_object(self, node: pyyaml.Node, deep: bool = False) -> Any:
        problem = (
            _number_problem(node.tag, node.value) if isinstance(node, pyyaml.ScalarNode) else None
        )
        if problem:
            raise pyyaml.constructor.ConstructorError(None, None, problem, node.start_mark)
        try:
            return super().construct_object(node, deep=deep)
        except CONSTRUCTION_ERRORS as error:
            raise pyyaml.constructor.ConstructorError(
                None,
                None,
                f"cannot read this value ({error}): correct it, or quote it to keep it as text",
                node.start_mark,
            ) from error

    def construct_mapping(self, node: pyyaml.Node, deep: bool = False) -> dict[Any, Any]:
        if not isinstance(node, pyyaml.MappingNode):
            return dict(super().construct_mapping(node, deep=deep))  # raises a positioned error
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, Hashable):
                raise pyyaml.constructor.ConstructorError(
                    None,
                    None,
                    "a key must be a plain word, not a list or mapping",
                    key_node.start_mark,
                )
            if key in seen:
                raise pyyaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}: keep one of them", key_node.start_mark
                )
            seen.add(key)
        return dict(super().construct_mapping(node, deep=deep))


def _check_shape(root: pyyaml.Node) -> None:
    """Refuse aliases (a node reached twice) instead of expanding them, absurd nesting and lists
    so long that building and validating them would take seconds."""
    seen: set[int] = set()
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if id(node) in seen:
            raise pyyaml.composer.ComposerError(
                None,
                None,
                "anchors and aliases (&x, *x) are not allowed; write values out",
                node.start_mark,
            )
        if depth > MAX_DEPTH:
            raise pyyaml.composer.ComposerError(
                None, None, f"nested deeper than {MAX_DEPTH} levels", node.start_mark
            )
        seen.add(id(node))
        if isinstance(node, pyyaml.SequenceNode) and len(node.value) > MAX_LIST_ITEMS:
            raise pyyaml.composer.ComposerError(
                None,
                None,
                f"a list of {len(node.value):,} items, over the {MAX_LIST_ITEMS:,}-item limit",
                node.start_mark,
            )
        if isinstance(node, pyyaml.MappingNode):
            stack.extend((n, depth + 1) for pair in node.value for n in pair)
        elif isinstance(node, pyyaml.SequenceNode):
            stack.extend((n, depth + 1) for n in node.value)


def read_yaml_text(path: Path) -> str:
    """A YAML file's text, refusing symbolic links, oversized files and other encodings."""
    status = path.lstat()  # one system call for both questions
    if stat.S_ISLNK(status.st_mode):
        raise YamlError(path, 0, "is a symbolic link; keep real files in the repository")
    size = status.st_size
    if size > MAX_YAML_BYTES:
        raise YamlError(path, 0, f"is {size:,} bytes, over the {MAX_YAML_BYTES:,}-byte limit")
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise YamlError(path, 0, f"is not UTF-8 ({error.reason}); save it as UTF-8") from error


def _parse(yaml: YAML, path: Path, text: str) -> Any:
    try:
        return yaml.load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 0
        column = mark.column + 1 if mark else 0
        problem = " ".join(str(p) for p in (error.context, error.problem) if p)
        raise YamlError(path, line, problem or str(error), column) from error
    except (YAMLError, RecursionError, *CONSTRUCTION_ERRORS) as error:
        raise YamlError(path, 0, f"cannot be read as YAML: {error}") from error


class _Unusual(Exception):
    """What `_read_simple` leaves to the full loader: anything but plain data, or an error."""


# `_PlainLoader`'s resolver and constructors, which PyYAML leaves untyped, as typed here.
_RESOLVE: Callable[[type[pyyaml.Node], str, tuple[bool, bool]], str] = (
    pyyaml.resolver.Resolver().resolve
)
_ScalarNode: Callable[[str, str], pyyaml.Node] = pyyaml.ScalarNode
_EventParser: Callable[[str], Any] = _BaseLoader
_RESOLVERS_BY_FIRST: dict[str | None, Any] = pyyaml.resolver.Resolver.yaml_implicit_resolvers
_CONSTRUCTORS: dict[str, Callable[[Any, pyyaml.Node], Any]] = _PlainLoader.yaml_constructors
_SCALAR_TAGS = frozenset(
    "tag:yaml.org,2002:" + kind for kind in ("null", "bool", "int", "float", "timestamp")
)
_constructor: Any = pyyaml.constructor.SafeConstructor()
_STR_TAG = "tag:yaml.org,2002:str"
_NO_KEY = object()  # an open mapping whose next scalar is a key


@functools.lru_cache(maxsize=4096)
def _short_tag(value: str) -> str:
    """The tag of a short plain scalar (keys, numbers, `true`: they repeat from card to card)."""
    return _RESOLVE(pyyaml.ScalarNode, value, (True, False))


def _scalar(value: str) -> Any:
    """A plain scalar as `_PlainLoader` constructs it (the same resolver and constructors), or
    `_Unusual` for what it refuses (numbers not in decimal, `2020-02-30`) or does not build as a
    value (`<<`, `=`)."""
    if value[:1] not in _RESOLVERS_BY_FIRST and None not in _RESOLVERS_BY_FIRST:
        return value  # no resolver for its first character (nor for any): text
    tag = (
        _short_tag(value) if len(value) <= 40 else _RESOLVE(pyyaml.ScalarNode, value, (True, False))
    )
    if tag == _STR_TAG:
        return value
    if tag not in _SCALAR_TAGS or _number_problem(tag, value):
        raise _Unusual
    return _CONSTRUCTORS[tag](_constructor, _ScalarNode(tag, value))


def _read_simple(text: str) -> Any:
    """The data of a YAML document of untagged mappings, lists and scalars without anchors, read
    from libyaml's events in one pass: what `_PlainLoader` makes of it, at under half its cost
    (no node tree, no Python constructor per node). Anything else (an alias, a tag, a duplicate
    key, a list over the limit, deep nesting, a second document, a syntax error...) raises
    `_Unusual`, for the full loader to read or to report with its position."""
    parser = _EventParser(text)
    try:
        next_event = parser.get_event
        next_event()  # the stream's start
        event = next_event()
        if type(event) is pyyaml.StreamEndEvent:
            return None
        if type(event) is not pyyaml.DocumentStartEvent or event.version or event.tags:
            raise _Unusual
        containers: list[Any] = []  # from the root to the innermost open mapping or list
        keys: list[Any] = []  # the key awaiting its value in each open mapping, else _NO_KEY
        root: Any = None
        while True:
            event = next_event()
            kind = type(event)
            if kind is pyyaml.MappingEndEvent or kind is pyyaml.SequenceEndEvent:
                containers.pop()
                keys.pop()
                if containers:
                    continue
                break
            if event.anchor is not None or event.tag is not None:  # also an AliasEvent's anchor
                raise _Unusual
            if kind is pyyaml.ScalarEvent:
                value: Any = _scalar(event.value) if event.implicit[0] else event.value
            elif kind is pyyaml.MappingStartEvent:
                value = {}
            elif kind is pyyaml.SequenceStartEvent:
                value = []
            else:
                raise _Unusual
            if not containers:
                root = value
            else:
                parent = containers[-1]
                if type(parent) is list:
                    parent.append(value)
                    if len(parent) > MAX_LIST_ITEMS:
                        raise _Unusual
                elif keys[-1] is not _NO_KEY:
                    parent[keys[-1]] = value
                    keys[-1] = _NO_KEY
                elif kind is pyyaml.ScalarEvent and value not in parent:
                    keys[-1] = value
                    continue
                else:
                    raise _Unusual  # a key that is a list or mapping, or a duplicate key
            if kind is not pyyaml.ScalarEvent:
                if len(containers) >= MAX_DEPTH - 1:
                    raise _Unusual
                containers.append(value)
                keys.append(_NO_KEY)
            elif not containers:
                break
        if type(next_event()) is not pyyaml.DocumentEndEvent:
            raise _Unusual
        if type(next_event()) is not pyyaml.StreamEndEvent:
            raise _Unusual
        return root
    except (pyyaml.YAMLError, RecursionError, *CONSTRUCTION_ERRORS) as error:
        raise _Unusual from error
    finally:
        parser.dispose()


def load_plain(path: Path, text: str | None = None) -> Any:
    """Plain dicts, lists and scalars from a YAML file (or its `text`), constructed safely.

    Tabs are refused: libyaml reads some that ruamel and pure-Python PyYAML refuse, so a card
    with one would build here and fail to merge on the next ingest or on another machine.
    A document of plain data (every card ingest writes) is read from libyaml's events
    (`_read_simple`); anything else, including every error, goes through the full loader,
    which reports it with its position.
    """
    text = read_yaml_text(path) if text is None else text
    if "\t" in text:
        before = text[: text.index("\t")]
        line, column = before.count("\n") + 1, len(before) - before.rfind("\n")
        raise YamlError(
            path, line, "tab character: use spaces (or \\t inside double quotes)", column
        )
    try:
        return _read_simple(text)
    except _Unusual:
        return _load_full(path, text)


def _load_full(path: Path, text: str) -> Any:
    """`load_plain` of any text, by PyYAML's composer and constructor: the data, or the error
    with its position."""
    loader = _PlainLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_shape(node)
        return loader.construct_document(node)
    except pyyaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problem = " ".join(str(p) for p in (error.context, error.problem) if p)
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        raise YamlError(path, line, problem or str(error), column) from error
    except (pyyaml.YAMLError, RecursionError, *CONSTRUCTION_ERRORS) as error:
        raise YamlError(path, 0, f"cannot be read as YAML: {error}") from error
    finally:
        loader.dispose()


def load_round_trip(path: Path) -> Any:
    """A CommentedMap that keeps comments and key order for a later `dump_round_trip`."""
    return _parse(round_trip(), path, read_yaml_text(path))


_YAML12 = round_trip().resolver


@functools.lru_cache(maxsize=8192)  # cards repeat their values (statuses, units, topics)
def yaml11_safe(text: str) -> bool:
    """Whether `text`, written plain, reads back as this string in YAML 1.2 and in YAML 1.1.

    ruamel (YAML 1.2) writes `yes`, `on` or `1:20` plain, but PyYAML (YAML 1.1), which loads
    cards for the build, would read a boolean or the number 80; such strings must be quoted.
    """
    return (
        _RESOLVE(pyyaml.ScalarNode, text, (True, False)) == _STR_TAG
        and str(_YAML12.resolve(ScalarNode, text, (True, False))) == _STR_TAG
    )


def _quote_yaml11(data: Any) -> Any:
    """`data` with every plain string, key or value, that YAML 1.1 would misread single-quoted:
    in place in ruamel's containers (an editor's comments stay where they were), in a copy of
    plain ones (the caller's data is left alone)."""
    if isinstance(data, CommentedSeq):
        for index, value in enumerate(data):
            data[index] = _quote_yaml11(value)
    elif isinstance(data, list):
        return [_quote_yaml11(value) for value in data]
    elif isinstance(data, CommentedMap):
        for position, key in enumerate(list(data)):
            value = _quote_yaml11(data[key])
            if _misread(key):
                del data[key]
                data.insert(position, SingleQuotedScalarString(key), value)
            else:
                data[key] = value
    elif isinstance(data, dict):
        return {
            (SingleQuotedScalarString(k) if _misread(k) else k): _quote_yaml11(v)
            for k, v in data.items()
        }
    elif _misread(data):
        return SingleQuotedScalarString(data)
    return data


def _misread(value: Any) -> bool:
    return isinstance(value, str) and not isinstance(value, ScalarString) and not yaml11_safe(value)


def with_header(data: Any, header: str) -> CommentedMap:
    """A copy of a mapping that `dump_round_trip` writes under a `# ` comment header."""
    document = CommentedMap(data)
    document.yaml_set_start_comment(header)
    return document


def dump_round_trip(data: Any) -> str:
    """YAML keeping the comments, order and quotes of a loaded document; `data` is quoted in
    place where YAML 1.1 readers would misread a plain string."""
    stream = io.StringIO()
    round_trip().dump(_quote_yaml11(data), stream)
    return stream.getvalue()


def write_atomic(path: Path, content: str) -> None:
    """Write `content` (UTF-8, LF) to `path` via a temporary file and an atomic rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def remove_stale_temporaries(folder: Path) -> None:
    """Delete temporary files a killed run left behind (`.<name>.<random>.tmp`)."""
    for stale in folder.glob(".*.tmp") if folder.is_dir() else ():
        stale.unlink(missing_ok=True)
