"""Slots: parts of a page written as HTML after Markdown has converted the page.

A topic page at 1,000 studies holds megabytes of tables, which Python-Markdown took about a
second a page to read back. So the tables of cards (`render.Part`) and the forest plots are not
written into the Markdown: a macro puts an empty slot there, and the page hook fills it once
the page is converted and its HTML has passed the allowlist (`hooks.on_page_content`).

- A table's slot holds the citation keys of its rows, in order, as `[@Key]`: the citation hook
  numbers them with the page's others, so the reference list and the numbers stay in the order
  of first citation. The table is then written with those numbered links and with each study
  page's URL as MkDocs gives it from this page (`PageLinks`).
- A plot's slot is filled with its SVG (`forest.py`). The allowlist has no `<svg>`: the SVG is
  ours, never an editor's. An editor who copies a slot only gets the same part again, or nothing.

Apart from `summary.py` so that the hooks fill slots without importing matplotlib.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from mkdocs.structure.files import File, Files

from .citations import NUMBERED
from .render import Part

PLOT_SLOT = '<div class="forest-plot__svg" id="{id}"></div>'
_PLOT = re.compile(r'<div class="forest-plot__svg" id="(plot-[a-z0-9-]+)"></div>')
PART_SLOT = '<div class="generated-part" id="part-{number}">{citations}</div>'
# With the empty line Python-Markdown leaves after a raw HTML block, which a table has not.
_PART = re.compile(r'<div class="generated-part" id="part-(\d+)">(.*?)</div>(?:\n(?=\n))?', re.S)


def fill_plot_slots(html: str, plots: Mapping[str, str]) -> str:
    """The page with each plot's SVG in its slot (an unknown slot stays an empty div)."""
    return _PLOT.sub(lambda m: plots.get(m.group(1), m.group(0)), html)


@dataclass(frozen=True)
class PageLinks:
    """URLs from one page to the study pages, relative to it, as MkDocs makes them."""

    page: File
    files: Files

    def __call__(self, card: str, anchor: str = "") -> str:
        study = self.files.get_file_from_path(f"studies/{card}.md")
        if study is None:
            raise ValueError(f"no study page for card {card!r}")
        return study.url_relative_to(self.page) + (f"#{anchor}" if anchor else "")


@dataclass
class Parts:
    """A build's table parts, each waiting for its page to be converted."""

    waiting: dict[int, Part] = field(default_factory=dict)
    made: int = 0

    def slot(self, part: Part) -> str:
        """The Markdown that stands for `part` until its page is converted."""
        self.made += 1
        self.waiting[self.made] = part
        citations = " ".join(f"[@{key}]" for key in dict.fromkeys(part.cited))
        return "\n\n" + PART_SLOT.format(number=self.made, citations=citations) + "\n\n"

    def fill(self, html: str, study_url: PageLinks) -> str:
        """The converted page with each of its parts written in its slot."""

        def written(slot: re.Match[str]) -> str:
            part = self.waiting.pop(int(slot.group(1)), None)
            if part is None:
                return slot.group(0)  # not a slot of this build: left as the page has it
            cite = {found.group(1): found.group(0) for found in NUMBERED.finditer(slot.group(2))}
            table: str = part.write(study_url, cite)
            return table

        return _PART.sub(written, html)
