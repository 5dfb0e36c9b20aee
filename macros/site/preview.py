"""Fast previews: what a `mkdocs serve --dirty` rebuild must redo after an editor's change.

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


@dataclass
class Preview:
    dirty: bool = False
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
