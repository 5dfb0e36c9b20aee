"""The command line: `evidence ingest|check|accuracy|schema` (also `python -m macros ...`).

Every command reads one `Project`, resolved once from `--root` (ingest's flags move its parts),
and reports `problems.Problem`s. Exit status: 0 when clean, 1 when any seed or card had an
error, 2 on a usage error (or a taxonomy ingest cannot read).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TypeVar

from ..cards.model import Card, json_schema
from ..cards.project import Project
from ..cards.taxonomy import Taxonomy, load_taxonomy
from ..cards.yamlio import YamlError, write_atomic
from ..core.problems import Problem
from ..core.text import counted
from .ingest import ingest, print_report

PROGRESS_THRESHOLD = 50
T = TypeVar("T")


def _progress(items: list[T]) -> Iterable[T]:
    """A progress bar on a terminal for long runs; silent in CI logs and pipes."""
    listed = list(items)
    if not sys.stderr.isatty() or len(listed) < PROGRESS_THRESHOLD:
        return listed
    from tqdm import tqdm

    return tqdm(listed, desc="ingest", unit="seed", file=sys.stderr)  # type: ignore[no-any-return]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="evidence", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("ingest", help="turn seeds into cards and the bibliography")
    run.add_argument("--root", type=Path, default=Path.cwd(), help="repository root (default: .)")
    run.add_argument("--seeds", type=Path, help="folder of *.txt seeds (default: ROOT/seeds)")
    run.add_argument("--cards", type=Path, help="card folder (default: ROOT/docs/cards)")
    run.add_argument("--bib", type=Path, help="BibTeX file (default: ROOT/bib/references.bib)")
    run.add_argument("--state", type=Path, help="merge bases (default: ROOT/.evidence/machine)")
    run.add_argument(
        "--taxonomy", type=Path, help="taxonomy folder (default: ROOT/taxonomy, else the project's)"
    )
    run.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 when a card, state or the bibliography is not what ingest "
        "would write (CI: every card built from a seed is committed)",
    )
    run.add_argument("files", nargs="*", type=Path, help="only these seeds (default: all)")
    check = commands.add_parser("check", help="validate cards, citations and seeds (no build)")
    check.add_argument("--root", type=Path, default=Path.cwd(), help="repository root")
    check.add_argument(
        "--format",
        choices=("text", "github"),
        default="text",
        help="github: workflow annotations that show on the pull request's lines",
    )
    accuracy = commands.add_parser(
        "accuracy",
        help="score the machine's cards against tests/expected (precision/recall), or a "
        "real-paper corpus (--corpus)",
    )
    accuracy.add_argument("--root", type=Path, default=Path.cwd(), help="repository root")
    accuracy.add_argument("--output", type=Path, help="write the JSON report here")
    accuracy.add_argument(
        "--corpus",
        type=Path,
        help="a folder of seeds/*.txt and truth/*.json (like ../shared/corpus/pmc-dev): ingest "
        "its seeds into a temporary folder and score them per field, part and layout",
    )
    accuracy.add_argument(
        "--check", action="store_true", help="with --corpus: exit 1 when a target is missed"
    )
    schema = commands.add_parser("schema", help="write the card JSON Schema")
    schema.add_argument(
        "--output", type=Path, help="the schema file (default: schema/card.schema.json)"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = _parser().parse_args(argv)
    if arguments.command == "schema":
        output = arguments.output or Project.at(Path()).schema
        write_atomic(output, json.dumps(json_schema(), indent=2, sort_keys=True) + "\n")
        print(f"wrote {output}")
        return 0
    if arguments.command == "check":
        return _check(arguments.root, arguments.format)
    if arguments.command == "accuracy" and arguments.corpus:
        return _corpus_accuracy(arguments.root, arguments.corpus, arguments.output, arguments.check)
    if arguments.command == "accuracy":
        return _accuracy(arguments.root, arguments.output)
    project = Project.at(
        arguments.root,
        seeds=arguments.seeds,
        cards=arguments.cards,
        bib=arguments.bib,
        state=arguments.state,
        taxonomy=arguments.taxonomy,
    )
    if not project.seeds.is_dir():
        print(f"evidence: no seed folder at {project.seeds}", file=sys.stderr)
        return 2
    taxonomy, problem = _taxonomy(project)
    if taxonomy is None:
        print(f"evidence: {problem}", file=sys.stderr)
        return 2
    report = ingest(project, taxonomy, arguments.files or None, _progress, arguments.check)
    print_report(report)
    return 1 if report.errors else 0


def _taxonomy(project: Project) -> tuple[Taxonomy | None, Problem | None]:
    """The project's taxonomy, or the problem that keeps it from being read."""
    try:
        return load_taxonomy(project.taxonomy), None
    except YamlError as error:
        problem = error.problem("E-TAXONOMY")
        return None, problem.moved(project.relative(problem.file))


def _check(root: Path, output: str) -> int:
    from .check import run_check  # here, not at the top: `ingest` starts faster without it

    project = Project.at(root)
    taxonomy, unreadable = _taxonomy(project)
    problems = sorted(
        [*run_check(project, taxonomy), *([unreadable] if unreadable else [])],
        key=Problem.sort_key,
    )
    for problem in problems:
        print(problem.github() if output == "github" else problem.text())
    print(counted(len(problems), "problem") if problems else "no problems", file=sys.stderr)
    return 1 if problems else 0


def machine_cards(state: Path) -> list[Card]:
    """The cards as ingest last wrote them (its merge bases), before any editor's review."""
    states = sorted(state.glob("*.json"))
    return [Card.model_validate(json.loads(p.read_text("utf-8"))["card"]) for p in states]


def _accuracy(root: Path, output: Path | None) -> int:
    from .accuracy import THRESHOLD, measure  # here, not at the top: `ingest` starts faster

    report = measure(
        machine_cards(Project.at(root).state), (root / "tests" / "expected").glob("*.yml")
    )
    if output:
        write_atomic(output, report.to_json())
    for name, score in sorted(report.scores.items()):
        print(f"{name:24} precision {score.precision:.3f}  recall {score.recall:.3f}")
    low = report.below()
    if low:
        print(f"below {THRESHOLD}: {', '.join(low)}", file=sys.stderr)
    return 1 if low else 0


def _corpus_accuracy(root: Path, corpus: Path, output: Path | None, check: bool) -> int:
    from .accuracy import measure_corpus  # here, not at the top: `ingest` starts faster

    if not (corpus / "seeds").is_dir() or not (corpus / "truth").is_dir():
        print(f"evidence: {corpus} has no seeds/ and truth/ folders", file=sys.stderr)
        return 2
    taxonomy, problem = _taxonomy(Project.at(root))
    if taxonomy is None:
        print(f"evidence: {problem}", file=sys.stderr)
        return 2
    report = measure_corpus(corpus, taxonomy)
    if output:
        write_atomic(output, report.to_json())
    print(report.table())
    missed = report.missed_targets()
    if missed:
        print("targets missed: " + "; ".join(missed), file=sys.stderr)
    return 1 if check and missed else 0
