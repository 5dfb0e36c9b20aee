"""The thin mkdocs-macros adapter and the site's data, loaded once per build.

Macros are plain module-level functions of `SiteData`; `register` binds them for mkdocs-macros.
They return Markdown made by `render`, which never passes card text through Jinja.
"""

from __future__ import annotations

import functools
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

from . import render
from .bib import bibliography
from .cardfiles import CardCache, CardError, cache_file, load_cards
from .model import Card, Finding
from .taxonomy import Taxonomy, default_taxonomy
from .yamlio import YamlError

REFERENCES_MARKER = "<!-- evidence:references -->"


def _cards_for_build(folder: Path) -> list[Card]:
    """The cards, or a build error that names the file and line an editor must fix."""
    try:
        return load_cards(folder, CardCache(cache_file(folder.parent.parent)))
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
    return SiteData(_cards_for_build(folder), default_taxonomy())


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


def accuracy_table(report_file: Path) -> str:
    """The published precision/recall table of a report written by `evidence accuracy`."""
    report = json.loads(report_file.read_text(encoding="utf-8"))
    rows = [
        f"| {render.cell(name)} | {row['precision']:.2f} | {row['recall']:.2f} | "
        f"{row['true_positive']} | {row['false_positive']} | {row['false_negative']} |"
        for name, row in report["fields"].items()
    ]
    header = (
        "| Field | Precision | Recall | Correct | Wrong or invented | Missed |\n"
        "|---|---|---|---|---|---|\n"
    )
    return f"Seeds scored: {report['seeds']}.\n\n" + header + "\n".join(rows) + "\n"


def register(env: Any) -> None:
    data = site_data(Path(env.conf["docs_dir"]))
    env.macro(lambda topic: render.evidence_table(data.topic_cards(topic)), "evidence_table")
    env.macro(lambda topic: render.cases_table(data.topic_cards(topic)), "cases_table")
    env.macro(lambda topic: render.diagnostic_table(data.topic_cards(topic)), "diagnostic_table")
    env.macro(lambda key: f"[@{key}]", "cite")
    env.macro(lambda: REFERENCES_MARKER, "references")
    env.macro(lambda: topic_counts(data), "topic_counts")
    env.macro(lambda: newest_review(data), "newest_review")
    env.macro(lambda: review_queue(data), "review_queue")
    env.macro(lambda: render.changes(data.cards), "changes")
    env.macro(lambda: str(len(data.cards)), "card_total")
    docs = Path(env.conf["docs_dir"])
    env.macro(lambda name: accuracy_table(docs / "data" / f"{name}.json"), "accuracy_table")
    env.macro(
        lambda: render.reference_list(sorted(data.cards, key=_sort_key), "."), "bibliography_list"
    )
