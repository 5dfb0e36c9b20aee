"""MkDocs hooks (mkdocs.yml `hooks:`): generated pages and files, and numbered citations.

- `on_files` adds one page per card (`studies/<id>/`) and the bibliography downloads, generated
  from the cards in memory: no hand-written file per card, nothing written into docs/.
- `on_page_markdown` runs after mkdocs-macros: it numbers `[@Citekey]` in order of first
  citation on the page, links each to `#ref-<citekey>` and puts the numbered reference list at the
  `references()` marker (or at the end). Citations are found outside code as `evidence check`
  finds them (`citations.py`); an unknown key fails the build, naming page, line and key.
- `on_page_content` checks an editor's page as built against the raw-HTML allowlist of
  `pages.py` (which checked its source before rendering, from `on_pre_page_macros`), then writes
  the tables and plots into their slots (`slots.py`).
- `on_post_build` writes the Pagefind search index (`search.py`); `on_config` lets Material's
  header show the search field without Material's lunr search plugin; `on_page_context` gives
  topic pages their search filters.

The build's data is `data.SiteBuild.of(config)`: nothing of a build is kept in this module.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator
from typing import Any, NoReturn

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import clean_directory

from macros.cards.bib import joined
from macros.cards.model import Card
from macros.cards.references import csl_json, ris
from macros.core.problems import Problem
from macros.site import render, search, theme
from macros.site.background import WORKER
from macros.site.citations import Citation, line_and_column, numbered, replace_citations
from macros.site.data import (
    REFERENCES_MARKER,
    SiteBuild,
    SiteData,
    report_problems,
    start_background,
    study_page,
)
from macros.site.html_fixes import fix_material_markup
from macros.site.pages import file_problems, html_problems
from macros.site.preview import PREVIEW, StudyPage, StudyPageFile
from macros.site.slots import PageLinks, fill_plot_slots
from macros.site.study import StudyLinks


def on_startup(command: str, dirty: bool) -> None:
    """`mkdocs serve --dirty` (`make serve`): rebuild only what an edit changed."""
    PREVIEW.dirty = dirty
    PREVIEW.command = command
    if dirty:
        logging.getLogger("mkdocs.commands.build").addFilter(_known_dirty_caveat)


def _known_dirty_caveat(record: logging.LogRecord) -> bool:
    """Drop MkDocs' warning that a dirty build may leave the nav stale (which strict mode would
    make an error): `on_nav` rebuilds everything when the nav changed."""
    return not str(record.msg).startswith("A 'dirty' build is being performed")


def on_shutdown() -> None:
    WORKER.shutdown()
    search.Index.stop_unfinished()
    if PREVIEW.command == "build" and sys.exc_info()[0] is None:  # called in a `finally`: no error
        _end_built()


def _end_built() -> NoReturn:
    """End a `mkdocs build` that succeeded, here: MkDocs does nothing after `on_shutdown`, and
    Python would spend seconds freeing the build's objects one by one (1.7 s at 5,000 studies)
    that the system frees at once. mypy ends its runs so (`mypy.util.hard_exit`)."""
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """The study pages, first: MkDocs converts pages in this order, and the topic pages'
    summaries are computed meanwhile in the worker (`background.py`)."""
    build = SiteBuild.of(config)
    report_problems(file_problems(build.project))
    data = build.data
    start_background(data, build.background, [f.src_uri for f in files.documentation_pages()])
    studies = [_study(config, files, data, card) for card in data.cards]
    files = Files([*studies, *files])
    PREVIEW.mark(files, studies)
    for name, content in (
        ("bibliography/references.bib", joined(data.bibtex)),
        ("bibliography/references.json", csl_json(data.cards, data.taxonomy)),
        ("bibliography/references.ris", ris(data.cards)),
    ):
        files.append(File.generated(config, name, content=content))
    return files


def _study(config: MkDocsConfig, files: Files, data: SiteData, card: Card) -> StudyPageFile:
    """A card's study page, linked to its topic page and its card file where the site has them."""
    file = StudyPageFile.of(config, f"studies/{card.id}.md", "")
    links = StudyLinks(
        *(
            target.url_relative_to(file) if (target := files.get_file_from_path(path)) else None
            for path in (f"topics/{card.topic}.md", f"cards/{card.id}.yml")
        )
    )
    study = study_page(data, card, links)
    file.content_string = study.html  # what `PREVIEW` compares: all the page shows is in it
    StudyPage(file, config, study)
    return file


def on_env(env: Environment, config: MkDocsConfig, files: Files) -> Environment:
    """Once every page is converted, the study pages go back after the editors' pages: the
    sitemap and the search index list the site in its own order. Search indexing starts."""
    for study in [file for file in files if isinstance(file, StudyPageFile)]:
        files.remove(study)
        files.append(study)
    search.start_index(config)
    theme.add_to(env)
    return env


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


def number_citations(
    markdown: str, known: dict[str, Any], page: str, source: str = ""
) -> tuple[str, list[str]]:
    """Replace `[@A; @B]` outside code with `[1], [2]` links; return the keys in citation order.
    An unknown key is a build error at its line in the page's `source` (where found there)."""
    order: list[str] = []

    def replace(citation: Citation) -> str:
        links = []
        for key in citation.keys:
            if key not in known:
                report_problems(
                    [_unknown(page, source, markdown[citation.start : citation.end], key)]
                )
            if key not in order:
                order.append(key)
            links.append(numbered(key, order.index(key) + 1))
        return ", ".join(links)

    return replace_citations(markdown, replace), order


def _unknown(page: str, source: str, written: str, key: str) -> Problem:
    """The unknown key, where the page's source has the citation (a macro's has no line)."""
    at = source.find(written)
    line, column = line_and_column(source, at) if at >= 0 else (0, 0)
    message = f"unknown citation key {key!r}: no card has it"
    return Problem.at("E-CITEKEY-UNKNOWN", page, line, column, message)


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if isinstance(page, StudyPage):
        return markdown  # HTML (`study.py`), which cites nothing
    build = SiteBuild.of(config)
    known = build.data.by_citekey
    source = page.file.content_string if page.file.generated_by is None else ""
    markdown, order = number_citations(markdown, known, _file(build, page), source)
    cited = [known[key] for key in order]
    entries = build.background.references() if order else {}
    references = build.parts.slot(render.reference_list(cited, entries)) if order else ""
    if REFERENCES_MARKER in markdown:
        return markdown.replace(REFERENCES_MARKER, references or "_No citations on this page._")
    if references:
        markdown += "\n\n## References\n\n" + references
    return markdown


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """An editor's page once more, as built with the macros' Markdown in place: the same HTML
    allowlist (`pages.py` checked the source; this catches what only the two together make).
    Then the tables and plots are written into their slots (`slots.py`): ours, from cards."""
    build = SiteBuild.of(config)
    if page.file.generated_by is None:
        path = _file(build, page)
        found = html_problems(html)
        report_problems(
            [Problem.at("E-HTML", path, message=f"as built: {p.message}") for p in found]
        )
    html = build.parts.fill(html, PageLinks(page.file, files))
    return fill_plot_slots(html, build.data.plots)


def _file(build: SiteBuild, page: Page) -> str:
    """An editor's page as `evidence check` names it (relative to the project); a generated
    page by its URI."""
    if page.file.generated_by is not None or not page.file.abs_src_path:
        return page.file.src_uri
    return build.project.relative(page.file.abs_src_path)


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    return fix_material_markup(output)


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    """The 404 page and other static templates get the same corrections."""
    return fix_material_markup(output_content)


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    search.add_search_field(config)
    return config


def on_page_context(context: Any, page: Page, config: MkDocsConfig, nav: Navigation) -> Any:
    search.add_topic_filters(page, SiteBuild.of(config).data)
    return context


def on_post_build(config: MkDocsConfig) -> None:
    """Index the site for search. A build's worker has done its jobs: it exits meanwhile (a
    preview keeps it for the next rebuild)."""
    if PREVIEW.command != "serve":
        WORKER.shutdown(wait=False)
    search.index_site(config)
