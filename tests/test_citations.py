"""Citations in pages: `evidence check` and the build find the same ones, outside the same code."""

from __future__ import annotations

import pytest

from macros.site.citations import citations, line_and_column
from macros.site.hooks import number_citations

PAGES = [
    ("See [@A].", ["A"]),
    ("[@A; @B] and [@A]", ["A", "B"]),
    ("`[@A]` and [@B]", ["B"]),
    ("``[@A] ` still code`` and [@B]", ["B"]),
    ("```\n[@A]\n```\n\n[@B]", ["B"]),
    ("~~~\n[@A]\n~~~\n\n[@B]", ["B"]),
    ("````\n```\n[@A]\n```\n````\n[@B]", ["B"]),
    ("```\n[@A]\n", []),  # a fence that is never closed runs to the end of the page
    ("a ` lone backtick, then [@B]", ["B"]),
    ("[@A]\n```python\nx = '[@B]'\n```", ["A"]),
]


@pytest.mark.parametrize(("markdown", "keys"), PAGES)
def test_check_and_the_build_find_the_same_citations(markdown: str, keys: list[str]) -> None:
    found = list(dict.fromkeys(key for c in citations(markdown) for key in c.keys))
    numbered, order = number_citations(markdown, {"A": None, "B": None}, "docs/page.md")
    assert found == order == keys
    assert numbered.count('class="citation"') == sum(len(c.keys) for c in citations(markdown))


def test_a_cite_call_in_the_source_counts_for_check() -> None:
    [call] = citations('Text {{ cite("Erol2025") }}.', calls=True)
    assert call.keys == ("Erol2025",)
    assert citations('`{{ cite("Erol2025") }}`', calls=True) == []


def test_positions_are_lines_and_columns_of_the_page() -> None:
    text = "# Title\n\n`[@A]` then [@B]."
    [citation] = citations(text)
    assert line_and_column(text, citation.start) == (3, 13)
