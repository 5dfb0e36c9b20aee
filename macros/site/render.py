"""Pure rendering: cards in, Markdown or HTML out. No Jinja, no MkDocs, no files.

Every piece of card text goes through `escape_text`, so it shows exactly as written and can never
act as HTML, Markdown, a template or a citation. In Markdown, links are between source files
(`../studies/<id>.md#finding-1`), so MkDocs validates each one and each anchor in a strict build,
and citations are emitted as `[@Citekey]`, numbered later, per page, in order of first citation.
The tables of cards are HTML (`Part`), written once their page is converted (`slots.py`): their
links are MkDocs' URLs to the study pages, whose anchors are made from the same cards.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from ..cards.escaping import escape_text
from ..cards.levels import SCALE, level_text
from ..cards.model import DIAGNOSTIC_METRICS, Card, Case, Finding
from ..core.text import squash
from .tables import html_table

NOT_REPORTED = "not reported"
NOT_STATED = "not stated in the source"
CASE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("age", "Age"),
    ("sex", "Sex"),
    ("hla_b27", "HLA-B27"),
    ("drug", "Drug"),
    ("dose", "Dose"),
    ("time_to_onset", "Onset"),
    ("symptoms", "Symptoms"),
    ("labs", "Laboratory"),
    ("imaging", "Imaging"),
    ("treatment", "Treatment"),
    ("outcome", "Outcome"),
    ("follow_up", "Follow-up"),
)
# A case's narrative fields, shown in a `<details>` of its row: a table of 14 columns of
# sentences is unreadable on any screen.
CASE_NARRATIVE = ("symptoms", "labs", "imaging", "treatment", "outcome", "follow_up")
STATUS_TEXT = {"machine": "machine-read", "needs-review": "needs review", "reviewed": "reviewed"}
# An icon and words for each status: never colour alone.
STATUS_BADGE = {
    "machine": "⚠ machine-read, not yet reviewed",
    "needs-review": "⚠ machine-read, needs review",
    "reviewed": "✓ reviewed by an editor",
}
NOT_YET_REVIEWED = "not yet reviewed"
METRIC_NAMES = {"ppv": "PPV", "npv": "NPV", "auc": "AUC"}  # the others read as written


def cell(text: object) -> str:
    """Card text for a Markdown table cell: escaped, one line, pipes neutralised. Every card
    value shown in a table, a heading or a line of a page goes through here."""
    return escape_text(squash(str(text))).replace("|", "&#124;")


def code(text: str) -> str:
    """Card text as inline code; a backtick in it cannot end the code span and let HTML out."""
    return f"<code>{cell(text)}</code>"


def short_name(card: Card) -> str:
    """`Erol 2025`; without authors, the title's first words: `Sacroiliitis during x… n.d.`"""
    if card.authors:
        who = card.authors[0].family
    else:
        words = (card.title or card.id).split(":")[0].split()
        who = " ".join(words[:3]) + ("…" if len(words) > 3 else "")
    return f"{who} {card.year or 'n.d.'}"


def study_list(html: str, tag: str = "div") -> str:
    """A listing of studies (a topic page's tables, a summary row's figures, the home page's
    review queue), marked so that search skips it (`search.SKIPPED`): each study has its own
    page in the index, and the listing would make its page's search fragment as large as all
    its studies (94 KB compressed for a topic page at 5,000 studies)."""
    apart = "\n" if tag == "div" else ""  # a block on lines of its own; a span in its line
    return f'<{tag} class="study-list">{apart}{html}{apart}</{tag}>'


def finding_anchor(index: int) -> str:
    return f"finding-{index}"


def status_badge(card: Card) -> str:
    status = card.review.status
    return f'<span class="review-status review-status--{status}">{STATUS_BADGE[status]}</span>'


def review_notice(cards: list[Card], what: str = "studies") -> str:
    """The notice at the top of a topic or study page: how many of its studies no editor has
    checked yet. It holds "not yet reviewed" while any has not been."""
    if not cards:
        return ""
    kind, strong, rest = notice_text(cards, what)
    text = f"**{strong}** {rest}" if strong else rest
    return f'<div class="{kind}" markdown>\n{text}\n</div>\n'


def notice_text(cards: list[Card], what: str = "studies") -> tuple[str, str, str]:
    """The review notice's classes, its words in bold (none once all are reviewed), the rest."""
    waiting = sum(card.review.status != "reviewed" for card in cards)
    one = len(cards) == 1
    if waiting:
        strong = (
            f"⚠ {'This study is' if one else f'{waiting} of {len(cards)} {what} are'} "
            f"machine-read, {NOT_YET_REVIEWED} by an editor."
        )
        rest = (
            "Their figures were read by a program from the source text and may be wrong or "
            "incomplete: each links to the sentence it came from; check it there before you "
            "rely on it."
        )
        return "review-notice review-notice--waiting", strong, rest
    rest = f"✓ {'This study has' if one else f'All {len(cards)} {what} have'} "
    rest += "been reviewed by an editor against the source."
    return "review-notice review-notice--reviewed", "", rest


def _number(value: float) -> str:
    """A figure as written in a table: `0.001`, `12.5`, `100`; never `1e-05`."""
    text = f"{value:g}"
    return f"{value:.12f}".rstrip("0").rstrip(".") if "e" in text else text


@dataclass(frozen=True)
class Figures:
    """A finding's figures, normalised for display: each figure once, in its column."""

    estimate: str
    ci: str
    p: str


def figures(finding: Finding) -> Figures:
    unit = f" {finding.unit}" if finding.unit else ""
    if finding.numerator is not None and finding.denominator is not None:
        estimate = f"{finding.numerator}/{finding.denominator}"
        if finding.percent is not None:
            estimate += f" ({_number(finding.percent)}%)"
    elif finding.percent is not None:
        estimate = f"{_number(finding.percent)}%"
    elif finding.mean is not None:
        estimate = f"mean {_number(finding.mean)}{unit}"
        if finding.sd is not None:
            estimate += f" (SD {_number(finding.sd)})"
    elif finding.median is not None:
        estimate = f"median {_number(finding.median)}{unit}"
        if finding.range:
            estimate += f" (range {_number(finding.range[0])}–{_number(finding.range[1])})"
    else:
        estimate = finding.value
    if finding.metric in DIAGNOSTIC_METRICS:
        estimate = f"{METRIC_NAMES.get(finding.metric, finding.metric)}: {estimate}"
    comparator = finding.comparator
    if comparator and comparator.value is not None:
        versus = f"{_number(comparator.value)}{'%' if finding.percent is not None else ''}"
        if comparator.ci_low is not None and comparator.ci_high is not None:
            versus += f" ({_number(comparator.ci_low)}–{_number(comparator.ci_high)})"
        estimate += f" vs {versus}" + (f" ({comparator.label})" if comparator.label else "")
    ci = (
        f"{_number(finding.ci_low)}–{_number(finding.ci_high)}"
        if finding.ci_low is not None and finding.ci_high is not None
        else NOT_REPORTED
    )
    return Figures(estimate, ci, _p_text(finding))


def _figure_cells(finding: Finding) -> list[str]:
    shown = figures(finding)
    return [cell(shown.estimate), cell(shown.ci), cell(shown.p)]


# A study page's URL (by card id) from the page being built, to the page or to an anchor of it.
StudyUrl = Callable[[str, str], str]


@dataclass(frozen=True)
class Part:
    """A table of cards, written as HTML once its page is converted (`slots.Parts`): the
    citation keys of its rows in order, and how it is written given the study pages' URLs and
    each key's numbered citation on the page."""

    cited: tuple[str, ...]
    write: Callable[[StudyUrl, Mapping[str, str]], str]


def _study_cell(card: Card, study_url: StudyUrl, cite: Mapping[str, str]) -> str:
    return f'<a href="{study_url(card.id, "")}">{cell(short_name(card))}</a> {cite[card.citekey]}'


def _linked(text: str, url: str) -> str:
    return f'<a href="{url}">{text}</a>'


def _none(text: str) -> str:
    return f"<p><em>{text}</em></p>"


def evidence_table(cards: Iterable[Card]) -> Part:
    """The studies (level, design, participants, review status), then their findings, each in
    its own row with estimate, 95% CI and P in columns and its label linked to its quote."""
    cards = list(cards)

    def write(study_url: StudyUrl, cite: Mapping[str, str]) -> str:
        if not cards:
            return _none("No studies on this topic yet.")
        studies = [
            [
                _study_cell(card, study_url, cite),
                cell(level_text(card.design)),
                cell(card.design or NOT_STATED),
                cell(card.participants if card.participants is not None else NOT_STATED),
                status_badge(card),
            ]
            for card in cards
        ]
        rows = [
            [
                _study_cell(card, study_url, cite) + "<br>" + status_badge(card),
                _linked(cell(finding.label), study_url(card.id, finding_anchor(index))),
                *_figure_cells(finding),
            ]
            for card in cards
            for index, finding in enumerate(card.findings, 1)
        ]
        findings = (
            html_table(["Study", "Finding (links to its quote)", "Estimate", "95% CI", "P"], rows)
            if rows
            else _none("These studies state no quantitative findings.")
        )
        level_header = f"Level ({SCALE})"
        header = ["Study", level_header, "Design", "Participants", "Review"]
        return study_list(html_table(header, studies) + "\n" + findings)

    return Part(tuple(card.citekey for card in cards), write)


def cases_table(cards: Iterable[Card]) -> Part:
    """One row per patient of every case report and series: who, exposed to what, and the
    clinical course in a `<details>` that opens in place (no sentence is cut)."""
    pairs: list[tuple[Card, Case]] = [(card, case) for card in cards for case in card.cases]

    def write(study_url: StudyUrl, cite: Mapping[str, str]) -> str:
        if not pairs:
            return _none("No patient-level data on this topic yet.")
        rows = [
            [
                _study_cell(card, study_url, cite),
                _linked(str(case.case), study_url(card.id, f"case-{case.case}")),
                cell(_who(case)),
                cell(_exposure(case)),
                _course(case),
            ]
            for card, case in pairs
        ]
        return study_list(
            html_table(["Study", "Case", "Patient", "Exposure", "Clinical course"], rows)
        )

    return Part(tuple(card.citekey for card, _ in pairs), write)


def _who(case: Case) -> str:
    sex = {"F": "female", "M": "male"}.get(case.sex or "", "sex not reported")
    age = f"{case.age} years" if case.age is not None else "age not reported"
    hla = f", HLA-B27 {case.hla_b27}" if case.hla_b27 else ""
    return f"{age}, {sex}{hla}"


def _exposure(case: Case) -> str:
    parts = [case.drug, case.dose, f"onset {case.time_to_onset}" if case.time_to_onset else None]
    stated = [part for part in parts if part]
    return ", ".join(stated) if stated else NOT_REPORTED


def _course(case: Case) -> str:
    titles = dict(CASE_COLUMNS)
    stated = [(titles[key], getattr(case, key)) for key in CASE_NARRATIVE if getattr(case, key)]
    if not stated:
        return NOT_REPORTED
    body = "<br>".join(f"<strong>{title}:</strong> {cell(value)}" for title, value in stated)
    summary = cell(", ".join(title for title, _ in stated))
    return f"<details><summary>{summary}</summary>{body}</details>"


def _p_text(finding: Finding) -> str:
    if finding.p_value is None:
        return NOT_REPORTED
    return f"P {finding.p_operator or '='} {_number(finding.p_value)}"


def diagnostic_table(cards: Iterable[Card]) -> Part:
    """Only the diagnostic-accuracy findings, for a page about a test: each with its figures."""
    found = [
        (card, index, finding)
        for card in cards
        for index, finding in enumerate(card.findings, 1)
        if finding.metric in DIAGNOSTIC_METRICS
    ]

    def write(study_url: StudyUrl, cite: Mapping[str, str]) -> str:
        if not found:
            return _none("No diagnostic-accuracy figures on this topic yet.")
        rows = [
            [
                _study_cell(card, study_url, cite),
                _linked(cell(finding.label), study_url(card.id, finding_anchor(index))),
                *_figure_cells(finding),
            ]
            for card, index, finding in found
        ]
        header = ["Study", "Finding (links to its quote)", "Estimate", "95% CI", "P"]
        return study_list(html_table(header, rows))

    return Part(tuple(card.citekey for card, _, _ in found), write)


@dataclass(frozen=True)
class SummaryFigure:
    """One study's figure in a row of a summary of findings, linked to its quote."""

    study: str  # the card's id
    anchor: str
    text: str  # escaped
    reviewed: bool


@dataclass(frozen=True)
class SummaryRow:
    """A row of a summary of findings (`summary.py` works it out), its texts escaped."""

    outcome: str
    studies: str
    figures: tuple[SummaryFigure, ...]
    pooled: str
    certainty: str


SUMMARY_TABLE = "<!-- evidence:summary-table -->"  # where a topic's summary puts its table
SUMMARY_HEADER = (
    "Outcome",
    "Studies",
    "Each study's figure (links to its quote)",
    "Pooled (95% CI)",
    "Certainty (GRADE)",
)


def summary_table(rows: Sequence[SummaryRow]) -> Part:
    """The summary of findings' table, one row per outcome."""

    def write(study_url: StudyUrl, cite: Mapping[str, str]) -> str:
        cells = [
            [
                row.outcome,
                row.studies,
                study_list(
                    "<br>".join(
                        _linked(figure.text, study_url(figure.study, figure.anchor))
                        + ("" if figure.reviewed else " ⚠ not reviewed")
                        for figure in row.figures
                    ),
                    "span",
                ),
                row.pooled,
                row.certainty,
            ]
            for row in rows
        ]
        return html_table(SUMMARY_HEADER, cells)

    return Part((), write)


def reference_list(cards: list[Card], entries: Mapping[str, str]) -> Part:
    """Numbered references, each with id `ref-<citekey>` for citation links and a link to its
    study page; `entries`: each card's reference by citekey (`references.vancouver_html`)."""

    def write(study_url: StudyUrl, cite: Mapping[str, str]) -> str:
        items = "".join(
            f'<li id="ref-{card.citekey}">{entries[card.citekey]} '
            f"{_linked('Study page', study_url(card.id, ''))}</li>\n"
            for card in cards
        )
        return f'<ol class="references">\n{items}</ol>'

    return Part((), write)


def search_filters(card: Card, topic_title: str | None) -> dict[str, str]:
    """The page's search filters (Pagefind's, written by `overrides/main.html`)."""
    return {
        "topic": topic_title or card.topic,
        "design": card.design or NOT_STATED,
        "status": STATUS_TEXT[card.review.status],
        "page": "study",
    }


def waiting(cards: Sequence[Card], slot: Callable[[Part], str]) -> str:
    """Cards not yet reviewed, each with its review status, as a `study_items` list in its
    `slot`; without any, a sentence that says so."""
    if not cards:
        return "_Every card has been reviewed._"
    return slot(study_items([("", c, f": {cell(STATUS_TEXT[c.review.status])}") for c in cards]))


def study_items(items: Sequence[tuple[str, Card, str]]) -> Part:
    """A bulleted list of studies: each item its text before, the study's linked short name, its
    text after (escaped HTML). Written after Markdown (`slots.Parts`), as the tables are, and
    left out of the search index (`study_list`): the home page and the changes list every study,
    which Markdown took seconds to read at 5,000 studies."""

    def write(study_url: StudyUrl, cite: Mapping[str, str]) -> str:
        rows = "".join(
            f"<li>{before}{_linked(cell(short_name(card)), study_url(card.id, ''))}{after}</li>\n"
            for before, card, after in items
        )
        return study_list(f"<ul>\n{rows}</ul>")

    return Part((), write)


def changes(cards: Iterable[Card], slot: Callable[[Part], str]) -> str:
    """Cards by their own dates, newest review first; cards never reviewed are listed as added.
    Each list is a `study_items` part in its `slot`.

    No build clock is read, so the page is the same for the same cards.
    """
    cards = list(cards)
    reviewed = sorted(
        (c for c in cards if c.review.date), key=lambda c: (c.review.date, c.id), reverse=True
    )
    added = sorted((c for c in cards if not c.review.date), key=lambda c: c.id)
    dated = [
        (
            f"{c.review.date}: ",
            c,
            f" {cell(STATUS_TEXT[c.review.status])}"
            + (f" by {cell(c.review.by)}" if c.review.by else ""),
        )
        for c in reviewed
    ]
    lines = ["## Reviewed", ""]
    lines.append(slot(study_items(dated)) if dated else "_No card has a review date yet._")
    lines += ["", "## Added, not yet reviewed", ""]
    lines.append(waiting(added, slot))
    return "\n".join(lines) + "\n"
