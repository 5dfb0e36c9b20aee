"""The thin mkdocs-macros adapter, the site's data, and the state of one build.

Macros are plain module-level functions of `SiteData`; `register` binds them for mkdocs-macros.
They return Markdown made by `render`, which never passes card text through Jinja.

A build's state is one typed object, `SiteBuild`: the project (from the MkDocs config), its
cards and taxonomy, and the macro calls that failed on the current page. It lives on the MkDocs
config of that build (mkdocs-macros' `define_env`, the page hooks and `hooks.py` all get that
config), so nothing of a build outlives it in a module. What `mkdocs serve` reuses between
rebuilds is one bounded cache: the last build's cards and study pages (`_Latest`), loaded again
when a card, the taxonomy or the editors changed.

Problems found while building are `problems.Problem`s (`report_problems`): errors stop the
build (`fail`, a `PluginError` naming file, line and code), warnings go through MkDocs' plugin
logger, so `--strict` counts them as MkDocs does.
"""

from __future__ import annotations

import functools
import inspect
import json
import math
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger

from ..cards.bib import bibtex_entries
from ..cards.cardfiles import CardCache, CardError, load_cards
from ..cards.levels import level
from ..cards.model import Card, Finding
from ..cards.project import Project
from ..cards.references import study_journal
from ..cards.taxonomy import Taxonomy, load_taxonomy
from ..cards.yamlio import YamlError
from ..core.problems import Problem, errors
from ..core.problems import text as problems_text
from ..core.text import has_han
from ..rules import content as rules
from . import render
from .background import WORKER_FROM, Background
from .slots import Parts
from .study import StudyHtml, StudyLinks, study_html

if TYPE_CHECKING:
    from .search import Index  # which imports this module

REFERENCES_MARKER = "<!-- evidence:references -->"
CHECK_HINT = "run `evidence check` for every problem at once"
log = get_plugin_logger(__name__)


def fail(problems: Sequence[Problem], hint: str = "") -> PluginError:
    """The build error of `problems` (MkDocs prints it and stops): one line each, then a hint."""
    return PluginError(problems_text(problems) + (f"\n({hint})" if hint else ""))


def report_problems(problems: Sequence[Problem], hint: str = "") -> None:
    """Problems found while building: each warning through MkDocs' plugin logger (so `--strict`
    counts it), then the errors, if any, as the build error."""
    for problem in problems:
        if problem.severity == "warning":
            log.warning(problem.text())
    if errors(problems):
        raise fail(errors(problems), hint)


def _load(project: Project) -> tuple[list[Card], Taxonomy]:
    """The cards and the taxonomy, or a build error that names the file and line an editor must
    fix (never a traceback: both come from pull requests)."""
    try:
        taxonomy = load_taxonomy(project.taxonomy)
    except YamlError as error:
        raise fail([_relative(project, error.problem("E-TAXONOMY"))], CHECK_HINT) from error
    try:
        cards = load_cards(project.cards, CardCache(project.cache))
        rules.enforce(project, cards)  # what `evidence check` reports across cards fails the build
    except YamlError as error:
        raise fail([_relative(project, error.problem())], CHECK_HINT) from error
    except CardError as error:
        raise fail([_relative(project, p) for p in error.problems], CHECK_HINT) from error
    return cards, taxonomy


def _relative(project: Project, problem: Problem) -> Problem:
    return problem.moved(project.relative(problem.file))


# A card's JSON, its topic's title, its journal as the page names it and the page's links: what
# its page shows.
StudyKey = tuple[str, str | None, str | None, StudyLinks]


@dataclass(frozen=True)
class SiteData:
    """The cards and taxonomy of a build, and the study pages rendered from them (`earlier`:
    the previous build's, reused for the cards that did not change)."""

    cards: list[Card]
    taxonomy: Taxonomy
    pages: dict[StudyKey, StudyHtml] = field(default_factory=dict, compare=False, repr=False)
    plots: dict[str, str] = field(default_factory=dict, compare=False, repr=False)  # by slot id
    earlier: Mapping[StudyKey, StudyHtml] = field(default_factory=dict, compare=False, repr=False)

    @functools.cached_property
    def bibtex(self) -> dict[str, str]:
        """Each card's BibTeX entry by citekey (its study page shows it)."""
        return bibtex_entries(self.cards)

    @functools.cached_property
    def by_citekey(self) -> dict[str, Card]:
        return {card.citekey: card for card in self.cards}

    @functools.cached_property
    def _by_topic(self) -> dict[str, list[Card]]:
        """Each topic's studies, strongest design first (`levels.level`), then newest first:
        sorted once, for the four macros of a topic page."""
        by_topic: dict[str, list[Card]] = {}
        for card in sorted(self.cards, key=_by_strength):
            by_topic.setdefault(card.topic, []).append(card)
        return by_topic

    def topic_cards(self, topic: str) -> list[Card]:
        if topic not in self.taxonomy.topics:
            raise ValueError(f"unknown topic {topic!r}; topics are {sorted(self.taxonomy.topics)}")
        return list(self._by_topic.get(topic, []))

    def topic_title(self, topic: str) -> str | None:
        found = self.taxonomy.topics.get(topic)
        return found.title if found else None


def _by_strength(card: Card) -> tuple[int, int, str]:
    found = level(card.design)
    return (found if found is not None else 6, -(card.year or 0), card.id)


def _fingerprint(project: Project) -> tuple[tuple[str, int, int], ...]:
    """What a build's data comes from: each card file, the taxonomy and the editors."""
    files = [*sorted(project.cards.glob("*.yml")), *sorted(project.taxonomy.glob("*.yml"))]
    return tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files)


@dataclass
class _Latest:
    """The last build's data, for the next one: `mkdocs serve` rebuilds after every edit and
    loads the cards again only when a file they come from changed. One project's, one copy (and
    the study pages of the build before): a bounded cache, never a history of the cards."""

    key: tuple[Project, tuple[tuple[str, int, int], ...]] | None = None
    data: SiteData | None = None

    def site_data(self, project: Project) -> SiteData:
        key = (project, _fingerprint(project))
        if self.data is None or key != self.key:
            earlier = self.data.pages if self.data and self.key and self.key[0] == project else {}
            self.data = SiteData(*_load(project), earlier=earlier)
            self.key = key
        return self.data


_LATEST = _Latest()


def site_data(project: Project) -> SiteData:
    """The cards of the project, loaded again only when a card file or the taxonomy changed."""
    return _LATEST.site_data(project)


@dataclass
class SiteBuild:
    """One build (a `mkdocs build`, or one rebuild of `mkdocs serve`): its project, its data and
    the macro calls that failed on the page being rendered (the page hook fails the build with
    them). Kept on that build's MkDocs config, and gone with it."""

    project: Project
    data: SiteData
    failed: list[str] = field(default_factory=list)
    background: Background = field(default_factory=Background)
    parts: Parts = field(default_factory=Parts)
    index: Index | None = None  # the search index, started once the pages are read

    _ATTRIBUTE: ClassVar[str] = "_evidence_build"

    @classmethod
    def of(cls, config: Any) -> SiteBuild:
        """The build of this MkDocs config, started (its data loaded) on the first call."""
        found = getattr(config, cls._ATTRIBUTE, None)
        if isinstance(found, SiteBuild):
            return found
        project = Project.of_mkdocs(config)
        # Started before the cards load: a worker begins its imports at once (`background`).
        background = Background(in_worker=_card_files(project) >= WORKER_FROM)
        build = cls(project, site_data(project), background=background)
        setattr(config, cls._ATTRIBUTE, build)
        return build


def _card_files(project: Project) -> int:
    return sum(1 for _ in project.cards.glob("*.yml"))  # what `load_cards` reads


def start_background(data: SiteData, background: Background, pages: Sequence[str] = ()) -> None:
    """Every topic's summary of findings and every card's reference, started in the worker
    process (`background.py`): the summaries first, in the order of their pages in `pages`
    (source paths as MkDocs converts them; the taxonomy's order otherwise), for a
    one-job-at-a-time worker to finish each before its page asks."""
    position = {path: index for index, path in enumerate(pages)}
    for topic in sorted(
        data.taxonomy.topics, key=lambda t: position.get(f"topics/{t}.md", len(pages))
    ):
        outcomes = data.taxonomy.outcomes.get(topic, ())
        title = data.topic_title(topic) or topic
        background.summarise(topic, data.topic_cards(topic), outcomes, title)
    background.start_references(data.cards, data.taxonomy)


def quote_language(card: Card, finding: Finding) -> str:
    if has_han(finding.quote):
        return "zh"
    languages = [lang for lang in card.source.languages if lang != "zh"]
    return languages[0] if languages else "en"


def study_page(data: SiteData, card: Card, links: StudyLinks) -> StudyHtml:
    """A card's study page: rendered once per build, and reused by the next build of `serve`
    when neither the card nor its topic's title changed (a preview rebuild after one edit then
    renders one page, not every study's)."""
    journal = study_journal(card.journal, data.taxonomy) if card.journal else None
    key = (card.model_dump_json(), data.topic_title(card.topic), journal, links)
    page = data.pages.get(key) or data.earlier.get(key)
    if page is None:
        bibtex = data.bibtex[card.citekey]
        outcomes = {o.id: o.label for o in data.taxonomy.outcomes.get(card.topic, ())}
        page = study_html(
            card,
            key[1],
            bibtex,
            lambda finding: quote_language(card, finding),
            outcomes,
            links,
            journal,
        )
    data.pages[key] = page
    return page


def topic_counts(data: SiteData) -> str:
    counts = Counter(card.topic for card in data.cards)
    rows = [
        f"| [{render.cell(t.title)}](topics/{slug}.md) | {counts.get(slug, 0)} |"
        for slug, t in data.taxonomy.topics.items()
    ]
    return "| Topic | Studies |\n|---|---|\n" + "\n".join(rows) + "\n"


def newest_review(data: SiteData) -> str:
    dates = [card.review.date for card in data.cards if card.review.date]
    return max(dates).isoformat() if dates else "no card has been reviewed yet"


def review_queue(data: SiteData, slot: Callable[[render.Part], str]) -> str:
    return render.waiting([c for c in data.cards if c.review.status != "reviewed"], slot) + "\n"


def _sort_key(card: Card) -> tuple[str, str]:
    return (render.short_name(card).lower(), card.citekey)


REPORT_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# The figures of a report's field, and whether each is a count (else a share, shown as 0.00).
_FIGURES = {
    "precision": False,
    "recall": False,
    "true_positive": True,
    "false_positive": True,
    "false_negative": True,
}


def report_file(data: Path, name: str) -> Path:
    """The report `accuracy_table(name)` shows: a plain name of a JSON file in docs/data, so a
    page cannot make the build read, or publish, any other file."""
    folder = data.resolve()
    reports = {
        path.stem: path
        for path in folder.glob("*.json")
        if REPORT_NAME.fullmatch(path.stem) and path.is_file() and path.resolve().parent == folder
    }
    if name not in reports:
        known = ", ".join(map(repr, sorted(reports)))
        raise ValueError(f"{name!r} is not a report in docs/data/: name one of {known}")
    return reports[name]


def _figure(value: object, where: str, whole: bool) -> str:
    """One figure of a report as the page shows it: a report is data anyone can edit, so only a
    number gets onto the page."""
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not math.isfinite(value)
        or (whole and not isinstance(value, int))
    ):
        raise ValueError(f"{where} must be a {'whole ' if whole else ''}number, not {value!r}")
    return str(value) if whole else f"{value:.2f}"


def accuracy_table(report_file: Path) -> str:
    """The published precision/recall table of a report written by `evidence accuracy`: field
    names escaped, every figure a number, anything else an error."""
    report = json.loads(report_file.read_text(encoding="utf-8"))
    fields = report.get("fields") if isinstance(report, dict) else None
    if not isinstance(fields, dict):
        raise ValueError(f'{report_file.name} has no "fields": write it with `evidence accuracy`')
    rows = []
    for name, row in fields.items():
        scores = row if isinstance(row, dict) else {}
        figures = [
            _figure(scores.get(key), f"{report_file.name}: {name!r} {key}", whole)
            for key, whole in _FIGURES.items()
        ]
        rows.append("| " + " | ".join([render.cell(name), *figures]) + " |")
    seeds = _figure(report.get("seeds"), f"{report_file.name}: seeds", True)
    header = (
        "| Field | Precision | Recall | Correct | Wrong or invented | Missed |\n"
        "|---|---|---|---|---|---|\n"
    )
    return f"Seeds scored: {seeds}.\n\n" + header + "\n".join(rows) + "\n"


@dataclass(frozen=True)
class Macros:
    """The macros a page may call: each public method is registered under its own name, and
    `MACROS` (what the page check allows) is read from this class, so the two cannot differ."""

    data: SiteData
    project: Project
    background: Background
    parts: Parts

    def review_notice(self, topic: str) -> str:
        return render.review_notice(self.data.topic_cards(topic))

    def summary_of_findings(self, topic: str) -> str:
        self.data.topic_cards(topic)  # an unknown topic: the ValueError the page fails with
        start_background(self.data, self.background)
        found = self.background.summary(topic)
        self.data.plots.update(found.plots)
        table = self.parts.slot(render.summary_table(found.rows))
        return found.markdown.replace(render.SUMMARY_TABLE, table)

    def evidence_table(self, topic: str) -> str:
        return self.parts.slot(render.evidence_table(self.data.topic_cards(topic)))

    def cases_table(self, topic: str) -> str:
        return self.parts.slot(render.cases_table(self.data.topic_cards(topic)))

    def diagnostic_table(self, topic: str) -> str:
        return self.parts.slot(render.diagnostic_table(self.data.topic_cards(topic)))

    def cite(self, key: str) -> str:
        return f"[@{key}]"

    def references(self) -> str:
        return REFERENCES_MARKER

    def topic_counts(self) -> str:
        return topic_counts(self.data)

    def newest_review(self) -> str:
        return newest_review(self.data)

    def review_queue(self) -> str:
        return review_queue(self.data, self.parts.slot)

    def changes(self) -> str:
        return render.changes(self.data.cards, self.parts.slot)

    def card_total(self) -> str:
        return str(len(self.data.cards))

    def accuracy_table(self, name: str) -> str:
        return accuracy_table(report_file(self.project.reports, name))

    def bibliography_list(self) -> str:
        start_background(self.data, self.background)
        cards = sorted(self.data.cards, key=_sort_key)
        return self.parts.slot(render.reference_list(cards, self.background.references()))


def _parameters(function: Callable[..., str]) -> inspect.Signature:
    signature = inspect.signature(function)
    return signature.replace(parameters=list(signature.parameters.values())[1:])  # no `self`


# Each macro's parameters, without `self`: a page calls these names, with literal arguments only.
MACROS: dict[str, inspect.Signature] = {
    name: _parameters(function)
    for name, function in vars(Macros).items()
    if inspect.isfunction(function) and not name.startswith("_")
}


def _reporting(name: str, function: Callable[..., str], failed: list[str]) -> Callable[..., str]:
    """The macro, with why it failed kept in `failed` (mkdocs-macros would print a traceback):
    the build fails with it, naming the page, once the page is rendered (`on_post_page_macros`)."""

    @functools.wraps(function)
    def call(*args: str) -> str:
        try:
            return function(*args)
        except (ValueError, OSError) as error:
            failed.append(f"{name}({', '.join(map(repr, args))}): {error}")
            return ""

    return call


def register(env: Any) -> None:
    """mkdocs-macros' `define_env`: the site's macros, bound to this build's data."""
    build = SiteBuild.of(env.conf)
    macros = Macros(build.data, build.project, build.background, build.parts)
    for name in MACROS:
        env.macro(_reporting(name, getattr(macros, name), build.failed), name)
