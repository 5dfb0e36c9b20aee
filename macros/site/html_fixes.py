"""Corrections to the finished HTML of every page, applied from the `on_post_page` hook.

Material for MkDocs renders markup the Nu HTML Checker or axe reject. Each fix is one narrow
pattern of Material's own templates (not of our content); overriding Material's whole `base.html`
for three attributes would be worse.
- `autocomplete="off"` on checkbox and radio inputs (only allowed on text-like inputs);
- `tabindex=""` on navigation labels (must be an integer);
- `<label for="__toc">` on pages without a table-of-contents toggle (must name a control).
The search dialog is ours (`overrides/partials/search.html`), named in its template.
All three are in the theme's header and sidebars, before the page's content: only that part of
a page is searched (a topic page of 5,000 studies is 9 MB of content), and the content, which
holds card text, is never rewritten.
"""

from __future__ import annotations

import re

_TOGGLE_AUTOCOMPLETE = re.compile(
    r'(<input\b[^>]*\btype="(?:checkbox|radio)"[^>]*?)\s+autocomplete="off"'
)
_EMPTY_TABINDEX = re.compile(r'(<label\b[^>]*?)\s+tabindex=""')


CONTENT = '<article class="md-content__inner'  # where Material's markup gives way to the page's


def fix_material_markup(html: str) -> str:
    theme, content, rest = html.partition(CONTENT)
    theme = _TOGGLE_AUTOCOMPLETE.sub(r"\1", theme)
    theme = _EMPTY_TABINDEX.sub(r"\1", theme)
    if 'id="__toc"' not in theme:
        theme = theme.replace(
            '<label class="md-nav__title" for="__toc">', '<label class="md-nav__title">'
        )
    return theme + content + rest
