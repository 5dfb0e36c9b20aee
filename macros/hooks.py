"""MkDocs hooks (mkdocs.yml `hooks:`): generated pages and files, and numbered citations.

- `on_files` adds one page per card (`studies/<id>/`) and the bibliography downloads, generated
  from the cards in memory: no hand-written file per card, nothing written into docs/.
- `on_page_markdown` runs after mkdocs-macros: it numbers `[@Citekey]` in order of first
  citation on the page, links each to `#ref-<citekey>` and puts the numbered reference list at the
  `references()` marker (or at the end). An unknown key fails the build, naming page and key.
- `on_page_content` checks an editor's page as built against the raw-HTML allowlist of
  `pages.py` (which checked its source before rendering, from `on_pre_page_macros`).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import clean_directory

from macros import render
from macros.bib import bibliography
from macros.html_fixes import fix_material_markup
from macros.pages import file_problems, html_problems
from macros.preview import PREVIEW, StudyPageFile
from macros.references import csl_json, ris
from macros.site import REFERENCES_MARKER, SiteData, site_data, study_markdown

CITATION = re.compile(r"\[((?:@[A-Za-z][A-Za-z0-9]*\s*;?\s*)+)\]")
_CODE = re.compile(r"(```.*?```|`[^`\n]*`)", re.S)


_build: dict[str, SiteData] = {}  # the cards of the current build, loaded once in on_files


def on_startup(command: str, dirty: bool) -> None:
    """`mkdocs serve --dirty` (`make serve`): rebuild only what an edit changed."""
    PREVIEW.dirty = dirty
    if dirty:
        logging.getLogger("mkdocs.commands.build").addFilter(_known_dirty_caveat)


def _known_dirty_caveat(record: logging.LogRecord) -> bool:
    """Drop MkDocs' warning that a dirty build may leave the nav stale (which strict mode would
    make an error): `on_nav` rebuilds everything when the nav changed."""
    return not str(record.msg).startswith("A 'dirty' build is being performed")


def on_files(files: Files, config: MkDocsConfig) -> Files:
    docs = Path(config["docs_dir"])
    refused = file_problems(docs.parent)
    if refused:
        raise PluginError("\n".join(f"{p.path}: {p.message}" for p in refused))
    data = _build["data"] = site_data(docs)
    studies = [
        StudyPageFile.of(config, f"studies/{card.id}.md", study_markdown(data, card))
        for card in data.cards
    ]
    for study in studies:
        files.append(study)
    PREVIEW.mark(files, studies)
    for name, content in (
        ("bibliography/references.bib", bibliography(data.cards)),
        ("bibliography/references.json", csl_json(data.cards)),
        ("bibliography/references.ris", ris(data.cards)),
    ):
        files.append(File.generated(config, name, content=content))
    return files


def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    signature = repr(
        [(type(item).__name__, item.title, getattr(item, "url", None)) for item in _walk(nav.items)]
    )
    if PREVIEW.nav_changed(signature):
        clean_directory(config["site_dir"])  # every page is then built again, nav included
    return nav


def _walk(items: list[Any]) -> Iterator[Any]:
    for item in items:
        yield item
        yield from _walk(getattr(item, "children", None) or [])


def number_citations(markdown: str, known: dict[str, Any], page: str) -> tuple[str, list[str]]:
    """Replace `[@A; @B]` outside code with `[1], [2]` links; return the keys in citation order."""
    order: list[str] = []

    def replace(match: re.Match[str]) -> str:
        links = []
        for key in re.findall(r"@([A-Za-z][A-Za-z0-9]*)", match.group(1)):
            if key not in known:
                raise PluginError(f"{page}: unknown citation key '{key}' (no card has it)")
            if key not in order:
                order.append(key)
            links.append(f'<a class="citation" href="#ref-{key}">[{order.index(key) + 1}]</a>')
        return ", ".join(links)

    parts = _CODE.split(markdown)
    parts = [part if index % 2 else CITATION.sub(replace, part) for index, part in enumerate(parts)]
    return "".join(parts), order


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    known = _build["data"].by_citekey
    markdown, order = number_citations(markdown, known, page.file.src_uri)
    depth = page.file.src_uri.count("/")
    folder = "/".join([".."] * depth) or "."
    references = render.reference_list([known[key] for key in order], folder) if order else ""
    if REFERENCES_MARKER in markdown:
        return markdown.replace(REFERENCES_MARKER, references or "_No citations on this page._")
    if references:
        markdown += "\n\n## References\n\n" + references
    return markdown


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """An editor's page once more, as built, with the macros' output in place: the same HTML
    allowlist (`pages.py` checked the source; this catches what only the two together make)."""
    if page.file.generated_by is None:
        problems = html_problems(html)
        if problems:
            found = "; ".join(problem.message for problem in problems)
            raise PluginError(f"{page.file.src_uri}: the page as built has {found}")
    return html


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    return fix_material_markup(output)


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    """The 404 page and other static templates get the same corrections."""
    return fix_material_markup(output_content)
