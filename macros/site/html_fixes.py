"""Corrections to the finished HTML of every page, applied from the `on_post_page` hook.

Material for MkDocs renders markup the Nu HTML Checker or axe reject. Each fix is one narrow
pattern of Material's own templates (not of our content); overriding Material's whole `base.html`
for three attributes would be worse.
- `autocomplete="off"` on checkbox and radio inputs (only allowed on text-like inputs);
- `tabindex=""` on navigation labels (must be an integer);
- `<label for="__toc">` on pages without a table-of-contents toggle (must name a control).
The search dialog is ours (`overrides/partials/search.html`), named in its template.
"""

from __future__ import annotations

import re

_TOGGLE_AUTOCOMPLETE = re.compile(
    r'(<input\b[^>]*\btype="(?:checkbox|radio)"[^>]*?)\s+autocomplete="off"'
)
_EMPTY_TABINDEX = re.compile(r'(<label\b[^>]*?)\s+tabindex=""')


def fix_material_markup(html: str) -> str:
    html = _TOGGLE_AUTOCOMPLETE.sub(r"\1", html)
    html = _EMPTY_TABINDEX.sub(r"\1", html)
    if 'id="__toc"' not in html:
        html = html.replace(
            '<label class="md-nav__title" for="__toc">', '<label class="md-nav__title">'
        )
    return html
