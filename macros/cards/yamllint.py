"""YAML that a reviewer could misread, found in the token stream with exact positions.

A card is read by people in pull-request diffs. These constructs load without error but mean
something other than they seem: tabs, anchors and aliases, YAML 1.1 booleans (`yes`, `on`),
numbers that lose digits (`1.10` reads as 1.1), dates in text fields (`2021-03-04` unquoted
becomes a date), and duplicate keys. Each is reported with line, column and the fix. The tokens
come from libyaml's scanner, as for the loader that builds the site: a 2 MB card is scanned in
under a second, not in five; only plain scalars that could match a pattern are matched.
"""

from __future__ import annotations

import re

import yaml
from yaml.tokens import AliasToken, AnchorToken, KeyToken, ScalarToken, ValueToken

from ..core.problems import Problem

_YAML11_BOOLEANS = re.compile(r"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$")
# YAML 1.2 (ingest) reads these as numbers, YAML 1.1 (the build) as text or another number.
_LOSSY_NUMBER = re.compile(r"^[-+]?(?:\d+\.\d*0|0\d+|0o[0-7]+|\d+(?:\.\d+)?[eE][-+]?\d+|\.\d+)$")
_DATE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}(?:[Tt ].*)?$")
DATE_KEYS = frozenset({"date"})
_SUSPECT_FIRST = frozenset("yYnNoO+-.0123456789")  # where the three patterns above can start
_Scanner: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def lint(text: str, file: str) -> list[Problem]:
    """Every reviewer hazard in `text` (of `file`), in document order."""
    problems = [
        Problem.at(
            "E-YAML-TAB", file, number, line.index("\t") + 1, "tab character: indent with spaces"
        )
        for number, line in enumerate(text.split("\n"), 1)
        if "\t" in line
    ]
    try:
        scanner = _Scanner(text)
        try:
            tokens = list(iter(scanner.get_token, None))
        finally:
            scanner.dispose()
    except yaml.YAMLError:
        return problems  # the loader reports the syntax error itself, with its position
    key: str | None = None
    expect_key = False
    for token in tokens:  # by exact type: libyaml's tokens are of these classes, not subclasses
        kind = type(token)
        if kind is ScalarToken:
            if expect_key:
                key = str(token.value)
                expect_key = False
            elif token.plain and token.value[:1] in _SUSPECT_FIRST:
                mark = token.start_mark
                problems += _plain_scalar(token.value, key, file, mark.line + 1, mark.column + 1)
        elif kind is KeyToken:
            expect_key = True
        elif kind is ValueToken:
            expect_key = False
        elif kind is AnchorToken or kind is AliasToken:
            mark = token.start_mark
            problems.append(
                Problem.at(
                    "E-YAML-ALIAS",
                    file,
                    mark.line + 1,
                    mark.column + 1,
                    "anchors and aliases (&x, *x) hide values from a diff: write each value out",
                )
            )
    return problems


def _plain_scalar(value: str, key: str | None, file: str, line: int, column: int) -> list[Problem]:
    if _YAML11_BOOLEANS.match(value):
        return [
            Problem.at(
                "E-YAML-BOOLEAN",
                file,
                line,
                column,
                f"`{value}` is a boolean to some YAML readers and text to "
                "others: write true/false, or quote it",
            )
        ]
    if _LOSSY_NUMBER.match(value):
        return [
            Problem.at(
                "E-YAML-NUMBER",
                file,
                line,
                column,
                f"`{value}` would be read as the number "
                f"{_as_number(value)}: quote it to keep what is written",
            )
        ]
    if _DATE.match(value) and key not in DATE_KEYS:
        return [
            Problem.at(
                "E-YAML-DATE",
                file,
                line,
                column,
                f"`{value}` is read as a date in `{key}`: quote it, or use "
                "a date field (review.date, via.date)",
            )
        ]
    return []


def _as_number(value: str) -> str:
    try:
        if "." in value or "e" in value.lower():
            return repr(float(value))
        return str(int(value, 8 if "o" in value else 10))
    except ValueError:
        return value
