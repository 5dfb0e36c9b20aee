"""A study page written as HTML (`macros/site/study.py`): heading ids as Python-Markdown's `toc`
gives them (it is the oracle here: the same headings as a Markdown document), anchors for every
finding and case, card text inert, links only to what the site has."""

from __future__ import annotations

from typing import Any

import markdown
import pytest

from macros.cards.model import Card
from macros.site.study import Heading, StudyHtml, StudyLinks, study_html
from tests.test_site_build import elements
from tests.test_summary import card

LINKS = StudyLinks("../../topics/crmo/", "../../cards/ann-a.yml")


def _page(made: Card, links: StudyLinks = LINKS, topic: str | None = "CRMO") -> StudyHtml:
    return study_html(made, topic, "@article{Ann,\n\ttitle = {x}\n}", lambda f: "en", {}, links)


def _ids(headings: list[Heading]) -> list[tuple[int, str]]:
    found = []
    for heading in headings:
        found.append((heading.level, heading.id))
        found += _ids(heading.children)
    return found


def _markdown_ids(tokens: list[dict[str, Any]]) -> list[tuple[int, str]]:
    found = []
    for token in tokens:
        found.append((token["level"], token["id"]))
        found += _markdown_ids(token["children"])
    return found


@pytest.mark.parametrize(
    "title",
    ["Relapse in CRMO", "Findings", "Review of 12 cases: source", "", "Ünïcode — 中文标题", "1. x"],
)
def test_heading_ids_are_the_ones_markdown_gives_the_same_headings(title: str) -> None:
    made = card("ann-a", [{"label": "relapse"}, {"label": "Findings"}], title=title or None)
    page = _page(made)
    document = "\n\n".join(
        f"{'#' * level} {text}" + (f" {{#{ident}}}" if level == 3 else "")
        for level, ident, text in _flat(page.headings)
    )
    converted = markdown.Markdown(extensions=["toc", "attr_list"])
    converted.convert(document)
    assert _ids(page.headings) == _markdown_ids(converted.toc_tokens)  # type: ignore[attr-defined]
    for level, ident in _ids(page.headings):
        assert f'<h{level} id="{ident}">' in page.html


def _flat(headings: list[Heading]) -> list[tuple[int, str, str]]:
    found = []
    for heading in headings:
        found.append((heading.level, heading.id, heading.text))
        found += _flat(heading.children)
    return found


def test_every_finding_and_case_has_its_anchor() -> None:
    made = card(
        "ann-a",
        [{"label": "relapse"}, {"label": "remission"}],
        design="case series",
        cases=[{"case": 1, "age": "12", "location": {"line": 3}}],
    )
    page = _page(made)
    assert {"finding-1", "finding-2", "case-1", "findings", "cases", "review"} <= page.anchors
    assert [h.text for h in page.headings[0].children] == ["Findings", "Cases", "Review", "Source"]


def test_card_text_is_shown_never_run() -> None:
    hostile = '<script>alert(1)</script> {{ 7*7 }} [@Key] <img src=x onerror="y">'
    made = card(
        "ann-a",
        [{"label": hostile, "quote": hostile, "value": hostile}],
        title=hostile,
        journal=hostile,
    )
    page = _page(made)
    tags = {tag for tag, _ in elements(page.html)}
    assert not tags & {"script", "img"}
    assert not any(name.startswith("on") for _, attrs in elements(page.html) for name in attrs)
    assert "{{" not in page.html
    assert "[@" not in page.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.html
    assert page.meta["title"].startswith("&lt;script&gt;")  # <title> gets it escaped too


def test_links_go_only_to_pages_and_files_the_site_has() -> None:
    made = card("ann-a", [])
    linked = _page(made).html
    assert '<a href="../../topics/crmo/">CRMO</a>' in linked
    assert '<a href="../../cards/ann-a.yml">Download this card (YAML)</a>' in linked
    unlinked = _page(made, StudyLinks(None, None)).html
    assert "Topic: crmo (no topic page)" in unlinked
    assert "<p>Download this card (YAML)</p>" in unlinked
    assert "../../" not in unlinked


def test_every_table_cell_is_labelled_with_its_column() -> None:
    cells = [attrs for tag, attrs in elements(_page(card("ann-a", [])).html) if tag == "td"]
    assert cells
    assert {attrs.get("data-label") for attrs in cells} == {"Field", "Value"}


def test_the_bibtex_block_is_code_as_markdown_writes_it() -> None:
    """Tabs as four spaces, < and & escaped, quotes as they are (Python-Markdown's code)."""
    page = study_html(card("ann-a", []), None, "@a{K,\n\tt = {O'Neil <b> & co}\n}", str, {}, LINKS)
    assert (
        '<pre><code class="language-bibtex">@a{K,\n    t = {O\'Neil &lt;b&gt; &amp; co}\n}\n'
        "</code></pre>"
    ) in page.html
