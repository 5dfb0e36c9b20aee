"""Each correction of Material's markup, on the exact snippets Material renders."""

from __future__ import annotations

from macros.site.html_fixes import fix_material_markup


def test_autocomplete_is_removed_from_checkbox_and_radio_inputs_only() -> None:
    html = (
        '<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" '
        'autocomplete="off"><input type="text" autocomplete="off">'
    )
    fixed = fix_material_markup(html)
    assert (
        '<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer">' in fixed
    )
    assert '<input type="text" autocomplete="off">' in fixed


def test_empty_tabindex_is_removed() -> None:
    html = '<label class="md-nav__link" for="__nav_2" id="__nav_2_label" tabindex="">'
    assert (
        fix_material_markup(html) == '<label class="md-nav__link" for="__nav_2" id="__nav_2_label">'
    )


def test_toc_label_keeps_its_target_only_when_the_toggle_exists() -> None:
    label = '<label class="md-nav__title" for="__toc">'
    assert fix_material_markup(label) == '<label class="md-nav__title">'
    with_toggle = '<input type="checkbox" id="__toc">' + label
    assert label in fix_material_markup(with_toggle)


def test_the_page_content_is_never_rewritten() -> None:
    """Only Material's header and sidebars are corrected: what follows the content's start is
    the page's own (card text, escaped), and is left byte for byte."""
    snippet = '<label class="md-nav__link" for="__nav_2" id="__nav_2_label" tabindex="">'
    content = f'<article class="md-content__inner md-typeset">{snippet}</article>'
    assert fix_material_markup(snippet + content) == snippet.replace(' tabindex=""', "") + content
