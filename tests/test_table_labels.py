"""Table cells labelled with their column's header (`macros/site/tables.py`), for phones."""

from __future__ import annotations

import markdown

from macros.site.tables import TableCellLabels


def _html(text: str) -> str:
    return markdown.markdown(text, extensions=["tables", "attr_list", TableCellLabels()])


def test_each_cell_is_labelled_with_its_column_header_escaped() -> None:
    html = _html(
        '| Study | Each study\'s figure & *CI* | Say "P" |\n|---|---|---|\n'
        "| [Erol](x) | 2/14 | 0.03 |\n| Jans | 94% | <0.001 |\n"
    )
    assert '<td data-label="Study"><a href="x">Erol</a></td>' in html
    assert '<td data-label="Each study\'s figure &amp; CI">2/14</td>' in html
    assert '<td data-label="Say &quot;P&quot;">0.03</td>' in html
    assert html.count("data-label=") == 6


def test_a_header_of_raw_html_gives_its_text_and_an_empty_header_no_label() -> None:
    html = _html("| <b>Bold</b> head |  |\n|---|---|\n| 1 | 2 |\n")
    assert '<td data-label="Bold head">1</td>' in html  # the text a reader sees
    assert "<td>2</td>" in html


def test_a_paragraph_is_left_alone() -> None:
    assert _html("Just | a line with a pipe.\n") == "<p>Just | a line with a pipe.</p>"
