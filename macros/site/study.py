"""A study page as HTML: card in, the page's HTML and its headings out. Pure, like `render`.

A site has a page per study: thousands of pages of the same shape, whose every text is card
text. Written as Markdown, Python-Markdown spent about 5 ms a page reading back what this module
wrote (its HTML-block and inline parsers), most of a study page's build; written as HTML here,
it costs a fraction of a millisecond, and MkDocs gets the page from `preview.StudyPage` without a
Markdown pass. The HTML is the one Python-Markdown made of the Markdown this replaced (headings
with the same ids, tables with `tables.py`'s cell labels, the BibTeX block as fenced code).

Every text of the card goes through `render.cell` (escaped, inert to HTML, Jinja and citations),
as on every other page; the BibTeX block is escaped as code. Links are resolved by the caller,
which knows the site's files (`StudyLinks`), so a missing topic page or card file gives no link.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from markdown.extensions.toc import slugify, unique

from ..cards.emitter import front_matter
from ..cards.escaping import escape_text
from ..cards.levels import SCALE, level_text
from ..cards.model import Card, Finding
from ..cards.references import doi_url
from ..core.text import squash
from .render import (
    CASE_COLUMNS,
    NOT_STATED,
    STATUS_TEXT,
    cell,
    code,
    figures,
    finding_anchor,
    notice_text,
    search_filters,
)
from .tables import html_table

RECORD = "card-record"  # where a card's text came from, and its review: not searched
TAB_WIDTH = 4  # Python-Markdown's: a tab in the BibTeX block is shown as 4 spaces


@dataclass(frozen=True)
class Heading:
    """A heading of the page, for MkDocs' table of contents (`preview.StudyPage`)."""

    level: int
    id: str
    text: str  # escaped, as it is in the HTML
    children: list[Heading] = field(default_factory=list)


@dataclass(frozen=True)
class StudyLinks:
    """The page's links, relative to it (None: that page or file is not in the site)."""

    topic: str | None
    card: str | None


@dataclass(frozen=True)
class StudyHtml:
    meta: dict[str, Any]  # the page's title and search filters, as its front matter would be
    html: str
    headings: list[Heading]  # the title's, with the page's sections under it

    @property
    def source(self) -> str:
        """The page as a Markdown file would hold it: its front matter, then its HTML."""
        return front_matter(self.meta) + self.html

    @property
    def anchors(self) -> set[str]:
        """Every id a link may point at (MkDocs validates links to a page's anchors)."""
        found: set[str] = set()
        pending = list(self.headings)
        while pending:
            heading = pending.pop()
            found.add(heading.id)
            pending += heading.children
        return found


class _Page:
    """The HTML and headings of one page, in order; ids as Python-Markdown's `toc` gives them:
    explicit ids first taken, then each other heading's slug, made unique in page order."""

    def __init__(self, explicit: Iterable[str]) -> None:
        self.parts: list[str] = []
        self.used = set(explicit)
        self.title: Heading | None = None
        self.section: Heading | None = None

    def heading(self, level: int, text: str, ident: str | None = None) -> None:
        ident = ident or unique(slugify(html.unescape(text), "-"), self.used)
        self.parts.append(f'<h{level} id="{ident}">{text}</h{level}>')
        made = Heading(level, ident, text)
        if level == 1:
            self.title = made
        elif level == 2:
            assert self.title is not None
            self.title.children.append(made)
            self.section = made
        else:
            assert self.section is not None
            self.section.children.append(made)

    def paragraph(self, inner: str, kind: str = "") -> None:
        self.parts.append(f'<p class="{kind}">{inner}</p>' if kind else f"<p>{inner}</p>")

    def table(self, header: tuple[str, str], rows: Iterable[tuple[str, str]]) -> None:
        self.parts.append(html_table(header, rows))

    def raw(self, block: str) -> None:
        """A raw HTML block: Python-Markdown leaves an empty line after one."""
        self.parts.append(block + "\n")


def _shown(value: object) -> str:
    return cell(value) if value not in (None, "", []) else f"<em>{NOT_STATED}</em>"


def _link(url: str | None, text: str) -> str:
    return f'<a href="{html.escape(url, quote=True)}">{text}</a>' if url else text


def study_html(
    card: Card,
    topic_title: str | None,
    bibtex: str,
    quote_language: Callable[[Finding], str],
    outcomes: Mapping[str, str],
    links: StudyLinks,
    journal: str | None = None,
) -> StudyHtml:
    """The whole study page: fields, findings with quotes, cases, review, source.
    `outcomes`: the labels of the topic's outcomes by id; `journal`: the journal as study pages
    name it (`references.study_journal`), else the card's."""
    anchors = [finding_anchor(i) for i in range(1, len(card.findings) + 1)]
    page = _Page(anchors + [f"case-{case.case}" for case in card.cases])
    title = cell(card.title or NOT_STATED)
    # The theme writes the title into <title> after `striptags`, which would turn escaped text
    # back into tags; a front-matter title is used as given, so give it escaped.
    meta = {"title": title, "filters": search_filters(card, topic_title)}
    page.heading(1, title)
    kind, strong, rest = notice_text([card])
    notice = f"<strong>{strong}</strong> {rest}" if strong else rest
    page.parts.append(f'<div class="{kind}">\n<p>{notice}</p>\n</div>')
    topic = (
        _link(links.topic, cell(topic_title))
        if topic_title and links.topic
        else f"{cell(card.topic)} (no topic page)"
    )
    status = cell(STATUS_TEXT[card.review.status])
    page.paragraph(
        f"Topic: {topic} · Review status: <strong>{status}</strong> · Citekey: {code(card.citekey)}"
    )
    authors = ", ".join(f"{a.family} {a.given or ''}".strip() for a in card.authors)
    if card.authors_truncated:
        authors += ", et al."
    doi = _link(doi_url(card.doi), cell(card.doi)) if card.doi else f"<em>{NOT_STATED}</em>"
    page.table(
        ("Field", "Value"),
        [
            ("Authors", _shown(authors)),
            ("Journal", _shown(journal or card.journal)),
            ("Year", _shown(card.year)),
            ("Volume", _shown(card.volume)),
            ("Issue", _shown(card.issue)),
            ("Pages", _shown(card.pages)),
            ("DOI", doi),
            ("PMID", _shown(card.pmid)),
            ("Design", _shown(card.design)),
            (f"Level of evidence ({SCALE})", _shown(level_text(card.design))),
            ("Participants", _shown(card.participants)),
            ("Languages of the source", _shown(", ".join(card.source.languages))),
        ],
    )
    if card.source.via:
        via = card.source.via
        page.paragraph(f"Read via: {cell(via.outlet or NOT_STATED)}, {via.date or NOT_STATED}")
    _findings(page, card, quote_language, outcomes)
    if card.cases:
        page.heading(2, "Cases")
        for case in card.cases:
            page.heading(3, f"Case {case.case}", f"case-{case.case}")
            page.table(
                ("Field", "Value"),
                [(title, _shown(getattr(case, key))) for key, title in CASE_COLUMNS],
            )
            page.paragraph(f"Source: {code(card.source.file)}, line {case.location.line}", RECORD)
    # The review and the source: the record of the card, which search leaves out (its notes and
    # digests would match queries on every page); the review status is a search filter.
    page.parts.append(f'<div class="{RECORD}">')
    page.heading(2, "Review")
    page.paragraph(
        f"Status: <strong>{status}</strong>"
        + (f" by {cell(card.review.by)}" if card.review.by else "")
        + (f" on {card.review.date}" if card.review.date else "")
    )
    notes = [f"<li>{cell(note)}</li>\n" for note in card.review.notes] or ["<li>no notes</li>\n"]
    page.parts.append("<ul>\n" + "".join(notes) + "</ul>")
    page.heading(2, "Source")
    page.paragraph(
        f"Seed {code(card.source.file)} ({cell(card.source.format)}), "
        f"sha256 {code(card.source.sha256)}."
    )
    page.paragraph(_link(links.card, "Download this card (YAML)"))
    block = "\n".join(line.expandtabs(TAB_WIDTH) for line in bibtex.strip().split("\n"))
    page.parts.append(
        f'<pre><code class="language-bibtex">{html.escape(block, quote=False)}\n</code></pre>'
    )
    page.parts.append("</div>")
    assert page.title is not None
    return StudyHtml(meta, "\n".join(page.parts), [page.title])


def _findings(
    page: _Page,
    card: Card,
    quote_language: Callable[[Finding], str],
    outcomes: Mapping[str, str],
) -> None:
    page.heading(2, "Findings")
    if not card.findings:
        page.paragraph("<em>The source states no quantitative findings.</em>")
    for index, finding in enumerate(card.findings, 1):
        shown = figures(finding)
        outcome = outcomes.get(finding.outcome or "")
        page.heading(3, f"{index}. {cell(finding.label)}", finding_anchor(index))
        page.paragraph(
            f"Estimate <strong>{cell(shown.estimate)}</strong> · 95% CI {cell(shown.ci)} · "
            f"{cell(shown.p)}"
        )
        page.paragraph(f"Outcome: {cell(outcome)}" if outcome else "Outcome: <em>not assigned</em>")
        page.raw(
            f'<blockquote lang="{quote_language(finding)}" class="quote"><p>'
            f"{escape_text(squash(finding.quote))}</p></blockquote>"
        )
        if finding.quote_en:
            page.raw(
                '<blockquote lang="en" class="quote quote--translation"><p>'
                "<strong>Editor's translation:</strong> "
                f"{escape_text(squash(finding.quote_en))}</p></blockquote>"
            )
        page.paragraph(f"Source: {code(card.source.file)}, line {finding.location.line}", RECORD)
