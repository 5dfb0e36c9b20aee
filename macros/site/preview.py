"""Study pages as MkDocs objects, and fast previews: what a `mkdocs serve --dirty` rebuild
must redo after an editor's change.

A study page's HTML is made by `study.py`; `StudyPage` gives it to MkDocs as a rendered page
with the study's page metadata (`study.meta`), so no study page goes through Markdown.

A dirty rebuild renders only pages whose `File.is_modified()`; MkDocs counts every generated page
as modified, so an edit to one card would render all study pages again (74 s at 1,000 studies
with a full rebuild). Here a study page is redone only when its Markdown changed; the editorial
pages, whose tables and counts come from all the cards, are redone whenever a card changed; and
when the navigation changed, the whole site is (MkDocs' caveat for dirty builds is a stale nav).

The state lives in this module, which MkDocs keeps imported between rebuilds of one `serve`.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents

from .study import Heading, StudyHtml


class StudyPageFile(File):
    """A generated study page that a dirty rebuild skips when its Markdown is unchanged."""

    unchanged: bool = False

    @classmethod
    def of(cls, config: MkDocsConfig, src_uri: str, content: str) -> StudyPageFile:
        file = cls.generated(config, src_uri, content=content)
        assert isinstance(file, cls)
        return file

    def is_modified(self) -> bool:
        return not (self.unchanged and os.path.isfile(self.abs_dest_path))


class StudyPage(Page):
    """A study page whose metadata, HTML, headings and anchors come from `study.py`: no front
    matter to parse, no Markdown to convert."""

    def __init__(self, file: StudyPageFile, config: MkDocsConfig, study: StudyHtml) -> None:
        super().__init__(None, file, config)
        self.study = study

    def read_source(self, config: MkDocsConfig) -> None:
        self.markdown, self.meta = self.study.html, dict(self.study.meta)

    def render(self, config: MkDocsConfig, files: Files) -> None:
        self.content = self.study.html
        self.toc = TableOfContents([_anchor(heading) for heading in self.study.headings])
        self.present_anchor_ids = self.study.anchors


def _anchor(heading: Heading) -> AnchorLink:
    link = AnchorLink(heading.text, heading.id, heading.level)
    link.children = [_anchor(child) for child in heading.children]
    return link


@dataclass
class Preview:
    dirty: bool = False
    command: str = ""  # MkDocs' (`serve` builds again after each edit; `build` ends after one)
    _pages: dict[str, str] = field(default_factory=dict)  # study page -> hash of its Markdown
    _cards: str = ""  # hash of all cards' pages at the last build
    _nav: str = ""

    def mark(self, files: Files, studies: list[StudyPageFile]) -> None:
        """Set which study pages are unchanged, and make the editorial pages be rebuilt when
        any card changed (by removing their output: MkDocs then counts them as modified)."""
        pages = {f.src_uri: _digest(f.content_string) for f in studies}
        for study in studies:
            study.unchanged = self.dirty and self._pages.get(study.src_uri) == pages[study.src_uri]
        cards = _digest("\n".join(f"{uri} {digest}" for uri, digest in sorted(pages.items())))
        if self.dirty and cards != self._cards:
            for page in files.documentation_pages():
                if not isinstance(page, StudyPageFile) and os.path.isfile(page.abs_dest_path):
                    os.remove(page.abs_dest_path)
        self._pages, self._cards = pages, cards

    def nav_changed(self, signature: str) -> bool:
        """Whether the navigation differs from the last build's (never on the first build)."""
        changed = bool(self._nav) and signature != self._nav
        self._nav = signature
        return self.dirty and changed


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


PREVIEW = Preview()
