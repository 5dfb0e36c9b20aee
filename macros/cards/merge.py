"""Three-way merge of a card: what ingest wrote last (base), the editor's file (ours), the new
extraction (theirs).

A value the editor has not touched (ours == base) takes the new extraction; a value the seed did
not change (theirs == base) keeps the editor's; when both changed it differently, the editor's
value stays and the conflict is reported. Mappings merge key by key, so an editor's comment,
added key or key order survives; lists are single values.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ruamel.yaml.comments import CommentedMap

_MISSING = object()


@dataclass(frozen=True)
class Conflict:
    path: str
    ours: Any
    theirs: Any

    def describe(self) -> str:
        return (
            f"`{self.path}`: the seed now gives {plain(self.theirs)!r} but an editor set "
            f"{plain(self.ours)!r}; kept the editor's value"
        )


def plain(value: Any) -> Any:
    """Comparable plain data: ruamel containers to dict/list, dates to ISO strings."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def merge(
    base: dict[str, Any], ours: dict[str, Any], theirs: dict[str, Any], path: str = ""
) -> list[Conflict]:
    """Merge `theirs` into `ours` in place and return the conflicts."""
    conflicts: list[Conflict] = []
    for key, new in theirs.items():
        old = base.get(key, _MISSING) if isinstance(base, dict) else _MISSING
        mine = ours.get(key, _MISSING)
        where = f"{path}.{key}" if path else key
        if _same(mine, new):
            continue
        if _same(mine, old):
            _put(ours, key, new, list(theirs))
        elif _same(new, old):
            continue
        elif isinstance(mine, dict) and isinstance(new, dict):
            conflicts.extend(merge(old if isinstance(old, dict) else {}, mine, new, where))
        else:
            conflicts.append(Conflict(where, mine, new))
    for key in [k for k in (base if isinstance(base, dict) else {}) if k not in theirs]:
        if key in ours and _same(ours[key], base[key]):
            del ours[key]
    return conflicts


def _same(a: Any, b: Any) -> bool:
    if a is _MISSING or b is _MISSING:
        return a is b
    return bool(plain(a) == plain(b))


def _put(ours: dict[str, Any], key: str, value: Any, order: list[str]) -> None:
    """Set `key`; a new key goes where the machine's key order puts it."""
    if key in ours or not isinstance(ours, CommentedMap):
        ours[key] = value
        return
    following = order[order.index(key) + 1 :]
    position = next((i for i, k in enumerate(ours) if k in following), len(ours))
    ours.insert(position, key, value)
