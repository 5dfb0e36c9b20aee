"""Tables with each cell labelled with its column's header: a Python-Markdown extension for
Markdown tables, and `html_table` for the tables the site writes as HTML (the same markup).

Every `<td>` of a Markdown table gets `data-label="<its column's header text>"`, which
`docs/stylesheets/extra.css` shows before the cell when a phone lays each row out as a card.
(Explicit ARIA roles, to keep a table's semantics when its cells are laid out as blocks, cannot
be added: the Nu HTML Checker rejects a `role` on a `<td>` or `<tr>` of a `<table>`.)

It works on the element tree Markdown builds, after inline parsing, so it costs nothing like a
second parse of every built page (3.8 s at 1,000 studies with `html.parser`; this: 0.1 s). A
Markdown table has one header row and no spans or nesting; a raw-HTML table an editor writes
keeps no labels (it still reads, as a scrolling table).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from typing import Any

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor

LABEL_ATTRIBUTE = "data-label"
_STASHED = re.compile("\x02[^\x03]*\x03")  # Markdown's placeholders for raw HTML in a header
_SPACES = re.compile(r"\s+")


class _CellLabels(Treeprocessor):
    def run(self, root: ET.Element) -> None:
        for table in root.iter("table"):
            head = table.find("thead")
            body = table.find("tbody")
            if head is None or body is None:
                continue
            labels = [_text(cell) for cell in head.iter("th")]
            for row in body.iter("tr"):
                for label, cell in zip(labels, row.findall("td"), strict=False):
                    if label:
                        cell.set(LABEL_ATTRIBUTE, label)


def _text(cell: ET.Element) -> str:
    return _SPACES.sub(" ", _STASHED.sub(" ", "".join(cell.itertext()))).strip()


def html_table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A table as Python-Markdown writes one, cells labelled; `header` is plain text and each
    cell already HTML (escaped card text, links)."""
    head = "".join(f"<th>{name}</th>\n" for name in header)
    body = "".join(
        "<tr>\n"
        + "".join(
            f'<td {LABEL_ATTRIBUTE}="{name}">{value}</td>\n'
            for name, value in zip(header, row, strict=True)
        )
        + "</tr>\n"
        for row in rows
    )
    return f"<table>\n<thead>\n<tr>\n{head}</tr>\n</thead>\n<tbody>\n{body}</tbody>\n</table>"


class TableCellLabels(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        # After inline parsing (20) and `unescape` (0): the headers' text is final.
        md.treeprocessors.register(_CellLabels(md), "table_cell_labels", -1)


def makeExtension(**kwargs: Any) -> TableCellLabels:
    return TableCellLabels(**kwargs)
