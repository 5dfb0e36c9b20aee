"""Pure rendering: cards in, Markdown out. No Jinja, no MkDocs, no files.

Every piece of card text goes through `escape_text`, so it shows exactly as written and can never
act as HTML, Markdown, a template or a citation. Links are Markdown links between source files
(`../studies/<id>.md#finding-1`), so MkDocs validates each one and each anchor in a strict build.
Citations are emitted as `[@Citekey]` and numbered later, per page, in order of first citation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ..cards.escaping import escape_text
from ..cards.model import Card, Case, Finding
from ..cards.references import doi_url, vancouver_html
from ..cards.taxonomy import Taxonomy
from ..cards.yamlio import front_matter
from ..core.text import squash

NOT_REPORTED = "not reported"
NOT_STATED = "not stated in the source"
DIAGNOSTIC_METRICS = ("sensitivity", "specificity", "accuracy", "ppv", "npv", "auc")
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
STATUS_TEXT = {"machine": "machine-read", "needs-review": "needs review", "reviewed": "reviewed"}


def cell(text: object) -> str:
    """Card text for a Markdown table cell: escaped, one line, pipes neutralised. Every card
    value shown in a table, a heading or a line of a page goes through here."""
    return escape_text(squash(str(text))).replace("|", "&#124;")


def code(text: str) -> str:
    """Card text as inline code; a backtick in it cannot end the code span and let HTML out."""
    return f"<code>{cell(text)}</code>"


def study_link(card: Card, from_folder: str = "..") -> str:
    return f"{from_folder}/studies/{card.id}.md"


def short_name(card: Card) -> str:
    """`Erol 2025`; without authors, the title's first words: `Sacroiliitis during x… n.d.`"""
    if card.authors:
        who = card.authors[0].family
    else:
        words = (card.title or card.id).split(":")[0].split()
        who = " ".join(words[:3]) + ("…" if len(words) > 3 else "")
    return f"{who} {card.year or 'n.d.'}"


def excerpt(text: str, limit: int = 60) -> str:
    """At most `limit` characters, cut at a word: table cells link to the full text."""
    flat = squash(text)
    if len(flat) <= limit:
        return flat
    return flat[:limit].rsplit(" ", 1)[0] + " …"


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def finding_anchor(index: int) -> str:
    return f"finding-{index}"


def evidence_table(cards: Iterable[Card]) -> str:
    """Study, design, participants, key findings (each linked to its quote), review status."""
    rows = []
    for card in cards:
        link = study_link(card)
        findings = "<br>".join(
            f"[{cell(f.value)}]({link}#{finding_anchor(i)}) {cell(f.label)}"
            for i, f in enumerate(card.findings, 1)
        )
        rows.append(
            [
                f"[{cell(short_name(card))}]({link}) [@{card.citekey}]",
                cell(card.design or NOT_STATED),
                cell(card.participants if card.participants is not None else NOT_STATED),
                findings or "no quantitative findings stated",
                cell(STATUS_TEXT[card.review.status]),
            ]
        )
    if not rows:
        return "_No studies on this topic yet._\n"
    return _table(["Study", "Design", "Participants", "Key findings", "Review"], rows)


def cases_table(cards: Iterable[Card]) -> str:
    """One row per patient of every case report and series; columns the sources report."""
    pairs: list[tuple[Card, Case]] = [(card, case) for card in cards for case in card.cases]
    if not pairs:
        return "_No patient-level data on this topic yet._\n"
    columns = [
        (key, title)
        for key, title in CASE_COLUMNS
        if any(getattr(case, key) is not None for _, case in pairs)
    ]
    rows = []
    for card, case in pairs:
        link = f"{study_link(card)}#case-{case.case}"
        values = [getattr(case, key) for key, _ in columns]
        rows.append(
            [
                f"[{cell(short_name(card))}]({study_link(card)}) [@{card.citekey}]",
                f"[{case.case}]({link})",
            ]
            + [_case_cell(v, link) for v in values]
        )
    return _table(["Study", "Case", *[title for _, title in columns]], rows)


def _case_cell(value: object, link: str) -> str:
    if value is None:
        return NOT_REPORTED
    text = str(value)
    short = excerpt(text)
    return cell(short) if short == text else f"[{cell(short)}]({link})"


def _with_ci(value: float | None, low: float | None, high: float | None) -> str:
    if value is None:
        return NOT_REPORTED
    text = f"{value:g}%"
    if low is not None and high is not None:
        text += f" ({low:g}–{high:g})"
    return text


def _p_text(finding: Finding) -> str:
    if finding.p_value is None:
        return NOT_REPORTED
    return f"P {finding.p_operator or '='} {finding.p_value:g}"


def diagnostic_table(cards: Iterable[Card]) -> str:
    """Index test against comparator: each accuracy figure with its 95% CI and P."""
    rows = []
    for card in cards:
        for index, finding in enumerate(card.findings, 1):
            if finding.metric not in DIAGNOSTIC_METRICS:
                continue
            comparator = finding.comparator
            rows.append(
                [
                    f"[{cell(short_name(card))}]({study_link(card)}) [@{card.citekey}]",
                    f"[{cell(finding.label)}]({study_link(card)}#{finding_anchor(index)})",
                    cell(finding.metric),
                    cell(_with_ci(finding.percent, finding.ci_low, finding.ci_high)),
                    cell(comparator.label or NOT_REPORTED) if comparator else NOT_REPORTED,
                    cell(_with_ci(comparator.value, comparator.ci_low, comparator.ci_high))
                    if comparator
                    else NOT_REPORTED,
                    cell(_p_text(finding)),
                ]
            )
    if not rows:
        return "_No diagnostic-accuracy figures on this topic yet._\n"
    header = [
        "Study",
        "Finding",
        "Metric",
        "Index test (95% CI)",
        "Comparator",
        "Comparator (95% CI)",
        "P",
    ]
    return _table(header, rows)


def reference_list(cards: list[Card], taxonomy: Taxonomy, from_folder: str = "..") -> str:
    """Numbered references (Vancouver), each with id `ref-<citekey>` for citation links."""
    items = "\n".join(
        f'<li id="ref-{card.citekey}" markdown>{vancouver_html(card, taxonomy)} '
        f"[Study page]({study_link(card, from_folder)})</li>"
        for card in cards
    )
    return f'<ol class="references" markdown>\n{items}\n</ol>\n'


def _field(name: str, value: object) -> str:
    shown = cell(value) if value not in (None, "", []) else f"_{NOT_STATED}_"
    return f"| {name} | {shown} |"


def study_page(
    card: Card, topic_title: str | None, bibtex: str, quote_language: Callable[[Finding], str]
) -> str:
    """The whole study page as Markdown: fields, findings with quotes, cases, review, source."""
    authors = ", ".join(f"{a.family} {a.given or ''}".strip() for a in card.authors)
    if card.authors_truncated:
        authors += ", et al."
    title = card.title or NOT_STATED
    lines = [
        # The theme writes the title into <title> after `striptags`, which would turn escaped
        # text back into tags; a front-matter title is used as given, so give it escaped.
        front_matter({"title": cell(title), "search": {"boost": 0.5}}),
        f"# {cell(title)}",
        "",
        "Topic: "
        + (
            f"[{cell(topic_title)}](../topics/{card.topic}.md)"
            if topic_title
            else f"{cell(card.topic)} (no topic page)"
        )
        + " · Review status: "
        f"**{cell(STATUS_TEXT[card.review.status])}** · Citekey: {code(card.citekey)}",
        "",
        "| Field | Value |",
        "|---|---|",
        _field("Authors", authors),
        _field("Journal", card.journal),
        _field("Year", card.year),
        _field("Volume", card.volume),
        _field("Issue", card.issue),
        _field("Pages", card.pages),
        "| DOI | "
        + (f"[{cell(card.doi)}]({doi_url(card.doi)})" if card.doi else f"_{NOT_STATED}_")
        + " |",
        _field("PMID", card.pmid),
        _field("Design", card.design),
        _field("Participants", card.participants),
        _field("Languages of the source", ", ".join(card.source.languages)),
        "",
    ]
    if card.source.via:
        via = card.source.via
        lines += [f"Read via: {cell(via.outlet or NOT_STATED)}, {via.date or NOT_STATED}", ""]
    lines += ["## Findings", ""]
    if not card.findings:
        lines += ["_The source states no quantitative findings._", ""]
    for index, finding in enumerate(card.findings, 1):
        lines += [
            f"### {index}. {cell(finding.label)} {{#{finding_anchor(index)}}}",
            "",
            f"**{cell(finding.value)}**" + _finding_details(finding),
            "",
            f'<blockquote lang="{quote_language(finding)}" class="quote"><p>'
            f"{escape_text(squash(finding.quote))}</p></blockquote>",
            "",
            f"Source: {code(card.source.file)}, line {finding.location.line}",
            "",
        ]
    if card.cases:
        lines += ["## Cases", ""]
        for case in card.cases:
            lines += [
                f"### Case {case.case} {{#case-{case.case}}}",
                "",
                "| Field | Value |",
                "|---|---|",
            ]
            lines += [_field(title, getattr(case, key)) for key, title in CASE_COLUMNS]
            lines += ["", f"Source: {code(card.source.file)}, line {case.location.line}", ""]
    lines += [
        "## Review",
        "",
        f"Status: **{cell(STATUS_TEXT[card.review.status])}**"
        + (f" by {cell(card.review.by)}" if card.review.by else "")
        + (f" on {card.review.date}" if card.review.date else ""),
        "",
    ]
    lines += [f"- {cell(note)}" for note in card.review.notes] or ["- no notes"]
    lines += [
        "",
        "## Source",
        "",
        f"Seed {code(card.source.file)} ({cell(card.source.format)}), "
        f"sha256 {code(card.source.sha256)}.",
        "",
        f"[Download this card (YAML)](../cards/{card.id}.yml)",
        "",
        "```bibtex",
        bibtex.strip(),
        "```",
        "",
    ]
    return "\n".join(lines)


def _finding_details(finding: Finding) -> str:
    parts = []
    if finding.ci_low is not None and finding.ci_high is not None:
        parts.append(f"95% CI {finding.ci_low:g}–{finding.ci_high:g}")
    if finding.p_value is not None:
        parts.append(_p_text(finding))
    comparator = finding.comparator
    if comparator and comparator.value is not None:
        shown = _with_ci(comparator.value, comparator.ci_low, comparator.ci_high)
        parts.append(f"vs {cell(comparator.label or 'comparator')} {cell(shown)}")
    return (" · " + " · ".join(parts)) if parts else ""


def changes(cards: Iterable[Card], from_folder: str = ".") -> str:
    """Cards by their own dates, newest review first; cards never reviewed are listed as added.

    No build clock is read, so the page is the same for the same cards.
    """
    cards = list(cards)
    reviewed = sorted(
        (c for c in cards if c.review.date), key=lambda c: (c.review.date, c.id), reverse=True
    )
    added = sorted((c for c in cards if not c.review.date), key=lambda c: c.id)
    lines = ["## Reviewed", ""]
    lines += [
        f"- {c.review.date}: [{cell(short_name(c))}]({study_link(c, from_folder)}) "
        f"{cell(STATUS_TEXT[c.review.status])}"
        + (f" by {cell(c.review.by)}" if c.review.by else "")
        for c in reviewed
    ]
    if not reviewed:
        lines.append("_No card has a review date yet._")
    lines += ["", "## Added, not yet reviewed", ""]
    lines += [
        f"- [{cell(short_name(c))}]({study_link(c, from_folder)}): "
        f"{cell(STATUS_TEXT[c.review.status])}"
        for c in added
    ]
    if not added:
        lines.append("_Every card has been reviewed._")
    return "\n".join(lines) + "\n"
