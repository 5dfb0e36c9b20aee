"""YAML in and out, safely and deterministically, and files written atomically.

Card files are read with ruamel.yaml's round-trip loader when ingest must keep an editor's comments
and key order, and with PyYAML's C safe loader everywhere else (15 times faster, which matters
for a build of thousands of cards). Neither constructs Python objects from tags; the plain loader
also rejects aliases (no "billion laughs") and duplicate keys, which a reviewer could misread.
Every write goes to a temporary file in the same folder and is renamed over the target, so a
killed run leaves each file either old or new, never torn.
"""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path
from typing import Any

import yaml as pyyaml
from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError

MAX_YAML_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 50


class YamlError(ValueError):
    """A YAML file an editor must fix: where it is and what is wrong."""

    def __init__(self, path: Path | str, line: int, message: str, column: int = 0) -> None:
        self.path = str(path)
        self.line = line
        self.column = column
        self.message = message
        where = f"{self.path}:{line}" + (f":{column}" if column else "") if line else self.path
        super().__init__(f"{where}: {message}")


def _round_trip() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never fold long quotes: a diff must show what changed, not re-wrapping
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.allow_unicode = True
    yaml.allow_duplicate_keys = False
    return yaml


_BaseLoader: type[pyyaml.SafeLoader] = getattr(pyyaml, "CSafeLoader", pyyaml.SafeLoader)


class _PlainLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """The safe loader, with duplicate keys as errors."""

    def construct_mapping(self, node: pyyaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise pyyaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}: keep one of them", key_node.start_mark
                )
            seen.add(key)
        return dict(super().construct_mapping(node, deep=deep))


def _check_shape(root: pyyaml.Node) -> None:
    """Refuse aliases (a node reached twice) instead of expanding them, and absurd nesting."""
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
        if isinstance(node, pyyaml.MappingNode):
            stack.extend((n, depth + 1) for pair in node.value for n in pair)
        elif isinstance(node, pyyaml.SequenceNode):
            stack.extend((n, depth + 1) for n in node.value)


def _read_text(path: Path) -> str:
    if path.is_symlink():
        raise YamlError(path, 0, "is a symbolic link; keep real files in the repository")
    size = path.stat().st_size
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
    except (YAMLError, RecursionError) as error:
        raise YamlError(path, 0, f"cannot be read as YAML: {error}") from error


def load_plain(path: Path) -> Any:
    """Plain dicts, lists and scalars from a YAML file, constructed safely."""
    loader = _PlainLoader(_read_text(path))
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
    except (pyyaml.YAMLError, RecursionError) as error:
        raise YamlError(path, 0, f"cannot be read as YAML: {error}") from error
    finally:
        loader.dispose()


def load_round_trip(path: Path) -> Any:
    """A CommentedMap that keeps comments and key order for a later `dump_round_trip`."""
    return _parse(_round_trip(), path, _read_text(path))


def dump_round_trip(data: Any) -> str:
    stream = io.StringIO()
    _round_trip().dump(data, stream)
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
