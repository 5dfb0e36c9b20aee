"""A literal gate for a pattern: text without any of its words cannot match, and is not scanned.

Python's `re` tries every branch of an alternation at every position, slower still with
IGNORECASE: the case reader's cue patterns (`treated with|NSAIDs?|…`) cost tens of microseconds
per clause, and a case report has hundreds of clauses, most of which hold none of their words.
`Gated` reads, from the pattern itself, strings one of which every match must contain (in
each branch, its longest run of literal characters); a text holding none of them is no match,
and anything else goes to the pattern, so what is found is the pattern's own match.

The check is exact where lower case is: in a text whose letters IGNORECASE matches only to
themselves in either case (ASCII, accented Latin, CJK...), a literal matches only its own letter
in either case, compared here in lower case. A letter IGNORECASE also matches to another (`ſ`
to `s`, the Kelvin sign to `k`, `İ`, `µ`, final `Σ`...) makes the text go straight to the
pattern, and gives a pattern's literal no needle.

The same cost, at every place a pattern is tried, is cut by a look at the first letters of an
IGNORECASE alternation (`first_letter_look`).
"""

from __future__ import annotations

import functools
import itertools
import re
import re._constants as sre  # type: ignore[import-not-found]  # no stubs: re's own parser
import re._parser as sre_parse  # type: ignore[import-not-found]
from collections.abc import Collection, Iterable, Iterator
from typing import Any

_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)
_NOT_ASCII = re.compile(r"[^\x00-\x7f]")  # found in C: a set of every character was slower


class Gate:
    """Strings one of which a text must hold to be worth a pattern's scan (None: any text is)."""

    def __init__(self, needles: frozenset[str] | None) -> None:
        self.needles = needles
        # One scan for all of them, in C, in lower-case text.
        self._finder = re.compile(_finder(needles or {"\0"}))

    @classmethod
    def any_of(cls, gates: Iterable[Gate]) -> Gate:
        """One gate for several patterns: what it excludes, each of theirs excludes (a case's
        clause is put to every exposure of the taxonomy, and rarely names one)."""
        found = [gate.needles for gate in gates]
        known = [needles for needles in found if needles is not None]
        return cls(frozenset[str]().union(*known) if len(known) == len(found) else None)

    def excludes(self, text: str) -> bool:
        """`text` is plain (see the module's doc) and holds no needle."""
        if self.needles is None:
            return False
        lowered = _lowered(text)
        return lowered is not None and self._finder.search(lowered) is None


class Gated(Gate):
    """A compiled pattern whose `search` skips the texts no match can be in."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        super().__init__(needles(pattern))
        self.pattern = pattern

    def search(self, text: str) -> re.Match[str] | None:
        return None if self.excludes(text) else self.pattern.search(text)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return iter(()) if self.excludes(text) else self.pattern.finditer(text)

    def findall(self, text: str) -> list[Any]:
        return [] if self.excludes(text) else self.pattern.findall(text)


@functools.lru_cache(maxsize=16)  # a clause or a text is put to several patterns in a row
def _lowered(text: str) -> str | None:
    """A plain text in lower case; None for another."""
    plain = text.isascii() or all(map(_plain, set(_NOT_ASCII.findall(text))))
    return text.lower() if plain else None


def _finder(needles: Collection[str]) -> str:
    """A pattern that finds any of `needles`, their common beginnings written once (`treat(?:ed
    with|ment)`, not `treated with|treatment`): re tries an alternation's branches one after the
    other at each character, each needle at each character where one begins. A needle that holds
    another is left out: the other is in each text that holds it."""
    return _tree(sorted(n for n in needles if not any(m != n and m in n for m in needles)))


def _tree(needles: list[str]) -> str:
    """The pattern of sorted, distinct `needles`, none of which begins another."""
    if needles == [""]:
        return ""
    branches = [
        re.escape(first) + _tree([needle[1:] for needle in group])
        for first, group in itertools.groupby(needles, key=lambda needle: needle[0])
    ]
    return branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"


def first_letter_look(words: Iterable[str]) -> str:
    """A look at the first letters of `words` (an alternation's branches, each beginning with a
    letter), to put before the alternation: re enters each IGNORECASE branch in turn wherever it
    is tried (only a case-sensitive literal is tested first), so every word was tried at each
    place; the look fails most places at once."""
    firsts = {word[:1] for word in words}
    if not all(first.isalpha() for first in firsts):
        raise ValueError(f"a word of {sorted(words)} does not begin with a letter")
    return "(?=[{}])".format("".join(sorted(firsts)))


def needles(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Lower-case strings, one of which is in every match of `pattern`; None when some match
    need hold no literal text."""
    return _sequence(list(sre_parse.parse(pattern.pattern, pattern.flags)))


def _sequence(items: list[tuple[Any, Any]]) -> frozenset[str] | None:
    """The best needles of a sequence: every item of it is in each match (lookarounds aside),
    so any one item's needles will do; the set whose shortest needle is longest is kept."""
    candidates: list[frozenset[str]] = []
    run = ""
    for op, argument in [*items, (None, None)]:
        if op is sre.LITERAL and _plain(chr(argument)):
            run += chr(argument).lower()
            continue
        if run:
            candidates.append(frozenset([run]))
            run = ""
        found = _item(op, argument)
        if found:
            candidates.append(found)
    if not candidates:
        return None
    return max(candidates, key=lambda found: (min(map(len, found)), -len(found)))


def _item(op: Any, argument: Any) -> frozenset[str] | None:
    if op is sre.BRANCH:
        branches = [_sequence(list(branch)) for branch in argument[1]]
        if any(branch is None for branch in branches):
            return None
        return frozenset().union(*(branch for branch in branches if branch is not None))
    if op is sre.SUBPATTERN:
        return _sequence(list(argument[3]))
    if op is sre.ATOMIC_GROUP:
        return _sequence(list(argument))
    if op in _REPEATS and argument[0] >= 1:
        return _sequence(list(argument[2]))
    return None  # a class, a lookaround, an anchor, an optional part: no literal to count on


@functools.cache
def _plain(char: str) -> bool:
    """A character that IGNORECASE matches only to itself in upper or lower case, whose lower
    case is one character and the same wherever it stands (not so final sigma's)."""
    if char.isascii():
        return True
    lower, upper = char.lower(), char.upper()
    return (
        len(lower) == 1
        and lower == char.casefold()
        and upper.lower() == lower
        and not (lower.isascii() or upper.isascii())
        and char != "\u03a3"  # capital sigma: `ς` at a word's end, `σ` elsewhere
    )
