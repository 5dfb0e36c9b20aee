"""The thin mkdocs-macros adapter and the site's data, loaded once per build.

Macros are plain module-level functions of `SiteData`; `register` binds them for mkdocs-macros.
They return Markdown made by `render`, which never passes card text through Jinja.
"""

from __future__ import annotations

import functools
import inspect
import json
import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

from . import render, rules
from .bib import bibliography
from .cardfiles import CardCache, CardError, cache_file, load_cards
from .model import Card, Finding
from .taxonomy import Taxonomy, default_taxonomy
from .yamlio import YamlError

REFERENCES_MARKER = "<!-- evidence:references -->"


def _load_for_build(folder: Path) -> tuple[list[Card], Taxonomy]:
    """The cards and the taxonomy, or a build error that names the file and line an editor must
    fix (never a traceback: both come from pull requests)."""
    try:
        cards = load_cards(folder, CardCache(cache_file(folder.parent.parent)))
        rules.enforce(folder, cards)  # what `evidence check` reports across cards fails the build
        return cards, default_taxonomy()
    except (YamlError, CardError) as error:
        raise PluginError(f"{error}\n(run `evidence check` for every problem at once)") from error


@dataclass(frozen=True)
class SiteData:
    cards: list[Card]
    taxonomy: Taxonomy

    @functools.cached_property
    def by_citekey(self) -> dict[str, Card]:
        return {card.citekey: card for card in self.cards}

    def topic_cards(self, topic: str) -> list[Card]:
        if topic not in self.taxonomy.topics:
            raise ValueError(f"unknown topic {topic!r}; topics are {sorted(self.taxonomy.topics)}")
        return [card for card in self.cards if card.topic == topic]

    def topic_title(self, topic: str) -> str | None:
        found = self.taxonomy.topics.get(topic)
        return found.title if found else None


def _fingerprint(folder: Path) -> tuple[tuple[str, int, int], ...]:
    return tuple(
        (p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(folder.glob("*.yml"))
    )


@functools.cache
def _site_data(folder: Path, fingerprint: tuple[tuple[str, int, int], ...]) -> SiteData:
    """`fingerprint` is only the cache key: a changed card file means a new entry."""
    return SiteData(*_load_for_build(folder))


def site_data(docs_dir: Path) -> SiteData:
    """The cards of `docs_dir/cards`, loaded again only when a card file changed."""
    folder = docs_dir / "cards"
    return _site_data(folder, _fingerprint(folder))


def quote_language(card: Card, finding: Finding) -> str:
    if any("\u3400" <= ch <= "\u9fff" for ch in finding.quote):
        return "zh"
    languages = [lang for lang in card.source.languages if lang != "zh"]
    return languages[0] if languages else "en"


def study_markdown(data: SiteData, card: Card) -> str:
    key = (card.model_dump_json(), data.topic_title(card.topic))
    page = _study_pages.get(key)
    if page is None:
        bibtex = bibliography([card]).split("\n\n", 1)[1]
        page = render.study_page(
            card, key[1], bibtex, lambda finding: quote_language(card, finding)
        )
        if len(_study_pages) > 2 * len(data.cards):
            _study_pages.clear()  # what edits left behind, once it outgrows the site
        _study_pages[key] = page
    return page


# Study pages by card and topic title: a preview rebuild after one edit renders one page, not
# every study's again (about a second per 1,000 studies).
_study_pages: dict[tuple[str, str | None], str] = {}


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


def review_queue(data: SiteData) -> str:
    waiting = [card for card in data.cards if card.review.status != "reviewed"]
    if not waiting:
        return "_Every card has been reviewed._\n"
    return (
        "\n".join(
            f"- [{render.cell(render.short_name(c))}](studies/{c.id}.md): "
            f"{render.cell(render.STATUS_TEXT[c.review.status])}"
            for c in waiting
        )
        + "\n"
    )


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


def report_file(docs: Path, name: str) -> Path:
    """The report `accuracy_table(name)` shows: a plain name of a JSON file in docs/data, so a
    page cannot make the build read, or publish, any other file."""
    folder = (docs / "data").resolve()
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
    docs: Path

    def evidence_table(self, topic: str) -> str:
        return render.evidence_table(self.data.topic_cards(topic))

    def cases_table(self, topic: str) -> str:
        return render.cases_table(self.data.topic_cards(topic))

    def diagnostic_table(self, topic: str) -> str:
        return render.diagnostic_table(self.data.topic_cards(topic))

    def cite(self, key: str) -> str:
        return f"[@{key}]"

    def references(self) -> str:
        return REFERENCES_MARKER

    def topic_counts(self) -> str:
        return topic_counts(self.data)

    def newest_review(self) -> str:
        return newest_review(self.data)

    def review_queue(self) -> str:
        return review_queue(self.data)

    def changes(self) -> str:
        return render.changes(self.data.cards)

    def card_total(self) -> str:
        return str(len(self.data.cards))

    def accuracy_table(self, name: str) -> str:
        return accuracy_table(report_file(self.docs, name))

    def bibliography_list(self) -> str:
        return render.reference_list(sorted(self.data.cards, key=_sort_key), ".")


def _parameters(function: Callable[..., str]) -> inspect.Signature:
    signature = inspect.signature(function)
    return signature.replace(parameters=list(signature.parameters.values())[1:])  # no `self`


# Each macro's parameters, without `self`: a page calls these names, with literal arguments only.
MACROS: dict[str, inspect.Signature] = {
    name: _parameters(function)
    for name, function in vars(Macros).items()
    if inspect.isfunction(function) and not name.startswith("_")
}
# Why a macro call failed on the current page (mkdocs-macros would print a traceback): the
# build fails with these after the page is rendered (`on_post_page_macros`).
FAILED: list[str] = []


def _reporting(name: str, function: Callable[..., str]) -> Callable[..., str]:
    """The macro, with its failure kept in `FAILED` for a clean build error naming the page."""

    @functools.wraps(function)
    def call(*args: str) -> str:
        try:
            return function(*args)
        except (ValueError, OSError) as error:
            FAILED.append(f"{name}({', '.join(map(repr, args))}): {error}")
            return ""

    return call


def register(env: Any) -> None:
    docs = Path(env.conf["docs_dir"])
    macros = Macros(site_data(docs), docs)
    for name in MACROS:
        env.macro(_reporting(name, getattr(macros, name)), name)
