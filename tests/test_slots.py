"""Tables written into their page after Markdown (`macros/site/slots.py`): the citations of a
table are numbered with the page's others, in order of first citation, and each study link is
MkDocs' URL from the page being built."""

from __future__ import annotations

from mkdocs.structure.files import File, Files

from macros.site import render
from macros.site.citations import numbered
from macros.site.slots import PageLinks, Parts
from tests.test_summary import card


def _files(*paths: str) -> Files:
    return Files([File(path, "/docs", "/site", use_directory_urls=True) for path in paths])


def test_study_links_are_relative_to_the_page_being_built() -> None:
    files = _files("topics/crmo.md", "studies/ann-a.md", "index.md")
    from_topic = PageLinks(files.src_uris["topics/crmo.md"], files)
    from_home = PageLinks(files.src_uris["index.md"], files)
    assert from_topic("ann-a", "finding-2") == "../../studies/ann-a/#finding-2"
    assert from_home("ann-a") == "studies/ann-a/"


def test_a_slot_holds_its_citations_and_is_filled_with_them_numbered() -> None:
    cards = [
        card("bob-b", [{"label": "relapse"}, {"label": "remission"}]),
        card("ann-a", [{"label": "relapse"}]),
    ]
    parts = Parts()
    slot = parts.slot(render.evidence_table(cards))
    # The citation hook numbers these with the page's other citations (here: Bob cited first).
    assert "[@Bobb] [@Anna]" in slot
    page = slot.replace("[@Bobb]", numbered("Bobb", 3)).replace("[@Anna]", numbered("Anna", 4))
    files = _files("topics/crmo.md", "studies/bob-b.md", "studies/ann-a.md")
    filled = parts.fill(page, PageLinks(files.src_uris["topics/crmo.md"], files))
    assert "generated-part" not in filled
    assert filled.count(numbered("Bobb", 3)) == 3  # the studies row and two findings rows
    assert filled.count(numbered("Anna", 4)) == 2
    assert '<a href="../../studies/bob-b/#finding-2">remission</a>' in filled
    assert parts.fill(page, PageLinks(files.src_uris["topics/crmo.md"], files)) == page  # once


def test_a_table_without_rows_says_so() -> None:
    parts = Parts()
    page = parts.slot(render.cases_table([card("ann-a", [])]))
    files = _files("topics/crmo.md")
    filled = parts.fill(page, PageLinks(files.src_uris["topics/crmo.md"], files))
    assert "<p><em>No patient-level data on this topic yet.</em></p>" in filled
