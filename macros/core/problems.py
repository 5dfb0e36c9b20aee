"""One problem type for every command and the build: a stable code, a severity, where, what.

`evidence check`, `evidence ingest` and `mkdocs build` all report a `Problem`; only how it is
printed differs (a text line, a GitHub annotation, a `PluginError` or MkDocs' plugin logger).
Each code is listed in `CODES` and in CONTRIBUTING ("Problem codes"), with what triggers it and
how to fix it; a test triggers each one. An `E-` code is an error: the command fails. A `W-` code
is a warning: ingest goes on and exits 0, the build logs it (MkDocs' `--strict` then fails), and
`evidence check`, which must print `no problems`, fails on either.

A problem's file and message come from untrusted input (a pull request names the files), so
neither can forge another line of text or another workflow annotation when printed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning", "note"]

# Every code: CONTRIBUTING's table ("Problem codes") says what triggers each and how to fix it,
# and a test keeps the two lists equal and triggers each code.
CODES: frozenset[str] = frozenset(
    {
        # YAML files (cards, the taxonomy, the editors)
        "E-YAML",
        "E-YAML-TAB",
        "E-YAML-ALIAS",
        "E-YAML-BOOLEAN",
        "E-YAML-NUMBER",
        "E-YAML-DATE",
        # a card's fields
        "E-SCHEMA",
        "E-ID-FILENAME",
        "E-ID-DUPLICATE",
        "E-CITEKEY-DUPLICATE",
        "E-TOPIC-UNKNOWN",
        "E-TOPIC-PAGE",
        "E-OUTCOME-UNKNOWN",
        "E-REVIEW-UNSIGNED",
        "E-REVIEW-NOT-EDITOR",
        "E-TOO-MANY",
        # a card against its seed
        "E-SEED-PATH",
        "E-SEED-MISSING",
        "E-SEED-CHANGED",
        "E-QUOTE-NOT-VERBATIM",
        "E-PERCENT-MISMATCH",
        "E-CI-EXCLUDES-ESTIMATE",
        "E-P-OUT-OF-RANGE",
        # pages and other files of docs/
        "E-CITEKEY-UNKNOWN",
        "E-TEMPLATE",
        "E-HTML",
        "E-FRONT-MATTER",
        "E-PAGE-ENCODING",
        "E-FILE-TYPE",
        "E-FILE-SYMLINK",
        "E-MACRO",
        # the taxonomy and the editors
        "E-TAXONOMY",
        "E-EDITORS",
        # ingest
        "E-SEED-UNREADABLE",
        "E-SEED-OVER-LIMITS",
        "E-NOT-INGESTED",
        "W-SEED-ENCODING",
        "W-CARD-ORPHANED",
        "W-MERGE-CONFLICT",
    }
)

# The machine's review notes on a card (`review.notes`): a `W-` note makes the card
# `needs-review`, an `N-` note only informs. CONTRIBUTING's second table lists each.
REVIEW_CODES: frozenset[str] = frozenset(
    {
        "W-SEED-ENCODING",
        "W-SHAPE-UNKNOWN",
        "W-TOPIC-UNCLASSIFIED",
        "W-PARTICIPANTS-DISAGREE",
        "W-CASES-COUNT",
        "W-ARITHMETIC",
        "W-FIGURE-SKIPPED",
        "W-CASE-VALUE-LOST",
        "N-FIELD-MISSING",
        "N-READ-FROM-CONTEXT",
        "N-FIGURE-INCOMPLETE",
        "N-COMPUTED-FROM-COUNTS",
        "N-OUTCOME-UNMATCHED",
    }
)


def _require(code: str, registry: frozenset[str], kind: str, name: str) -> None:
    """A code of its registry; any other is a bug in the code, not bad input."""
    if code not in registry:
        raise ValueError(f"unknown {kind} code {code!r}: add it to {name}")


@dataclass(frozen=True, order=True)
class Location:
    """Where: a file relative to the project (as `git` names it), 1-based line and column; 0
    when not known (the whole file, or a whole line)."""

    file: str
    line: int = 0
    column: int = 0
    field: str = ""  # the card field a review note concerns (`findings.2`), if any

    def text(self) -> str:
        """`file:line:column`, or as much of it as is known."""
        shown = self.file if self.file.isprintable() else repr(self.file)
        if not self.line:
            return shown
        return f"{shown}:{self.line}" + (f":{self.column}" if self.column else "")


@dataclass(frozen=True)
class Problem:
    """What is wrong, where; `code` says which rule (see `CODES`) and sets `severity`."""

    code: str
    severity: Severity
    location: Location
    message: str

    def __post_init__(self) -> None:
        _require(self.code, CODES | REVIEW_CODES, "problem", "CODES")
        if self.severity != severity_of(self.code):
            raise ValueError(f"{self.code} is an {severity_of(self.code)}, not a {self.severity}")

    @classmethod
    def at(
        cls, code: str, file: str | Path, line: int = 0, column: int = 0, message: str = ""
    ) -> Problem:
        return cls(code, severity_of(code), Location(str(file), line, column), message)

    @classmethod
    def review_note(cls, code: str, field: str, message: str) -> Problem:
        """What the machine could not find or was unsure of in a seed, for the card's reviewer:
        the rule (`code`, one of `REVIEW_CODES`), the card field it concerns, what to check."""
        _require(code, REVIEW_CODES, "review-note", "REVIEW_CODES")
        return cls(code, severity_of(code), Location("", field=field), message)

    @property
    def field(self) -> str:
        return self.location.field

    def note_text(self) -> str:
        """As a card's `review.notes` hold it: `W-ARITHMETIC findings.1: 2/14 is 14.29%, …`."""
        return f"{self.code} {self.field}: {self.message}"

    @property
    def file(self) -> str:
        return self.location.file

    @property
    def line(self) -> int:
        return self.location.line

    @property
    def column(self) -> int:
        return self.location.column

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.line, self.column, self.code, self.message)

    def moved(self, file: str) -> Problem:
        """The same problem, its file named otherwise (relative to the project)."""
        return Problem(
            self.code,
            self.severity,
            Location(file, self.line, self.column, self.location.field),
            self.message,
        )

    def text(self) -> str:
        """One line, `path:line:column: CODE message`: a file name or message with a line
        break or escape is shown quoted."""
        message = self.message if self.message.isprintable() else repr(self.message)
        return f"{self.location.text()}: {self.code} {clipped(message)}"

    def github(self) -> str:
        """A workflow command, escaped as GitHub's toolkit does (a file named
        `x,line=1::ok\\n::notice::…` must not forge a second annotation)."""
        properties = [f"file={_escaped(self.file).replace(':', '%3A').replace(',', '%2C')}"]
        if self.line:
            properties.append(f"line={self.line}")
        if self.column:
            properties.append(f"col={self.column}")
        message = _escaped(f"{self.code} {clipped(self.message)}")
        return f"::{self.severity} {','.join(properties)}::{message}"

    def __str__(self) -> str:
        return self.text()


MAX_MESSAGE = 300  # characters: a message quoting a 1 MB value is cut in the middle


def clipped(message: str) -> str:
    """`message`, or its start and end when long: they say where and what, and a 1 MB key or
    value quoted in it must not make a 1 MB line."""
    if len(message) <= MAX_MESSAGE:
        return message
    half = MAX_MESSAGE // 2
    return f"{message[:half]} […] {message[-half:]}"


def severity_of(code: str) -> Severity:
    if code.startswith("W-"):
        return "warning"
    return "note" if code.startswith("N-") else "error"


def _escaped(text: str) -> str:
    """Text of a workflow command: `%`, CR and LF escaped so it stays on one line."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def errors(problems: Iterable[Problem]) -> list[Problem]:
    return [problem for problem in problems if problem.severity == "error"]


def text(problems: Iterable[Problem]) -> str:
    """One line per problem, in order."""
    return "\n".join(problem.text() for problem in problems)


MAX_PROBLEMS = 20  # a file broken everywhere gets the first ones and a count, not pages


def first(problems: Iterable[Problem]) -> list[Problem]:
    """A file's first MAX_PROBLEMS problems in file order and a count of the rest: a card broken
    in 10,000 places gets a screenful, not 10,000 lines."""
    ordered = sorted(problems, key=Problem.sort_key)
    if len(ordered) <= MAX_PROBLEMS:
        return ordered
    rest = ordered[MAX_PROBLEMS]
    more = f"and {len(ordered) - MAX_PROBLEMS} more problems from here on"
    return [
        *ordered[:MAX_PROBLEMS],
        Problem.at("E-TOO-MANY", rest.file, rest.line, rest.column, more),
    ]
