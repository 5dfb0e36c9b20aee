"""The one escaping function for card text on the site.

Card text reaches pages as Markdown that MkDocs then turns into HTML, after mkdocs-macros (Jinja)
and the citation hook have read it. `escape_text` makes it inert to all four: HTML is escaped,
and the characters Markdown, Jinja and citations would read become character references, which
the browser shows as the same characters. Table cells (`render.cell`), code (`render.code`),
quotes and the Vancouver reference list all go through it.
"""

from __future__ import annotations

import html

# Markdown, Jinja and `[@Key]` syntax, as character references.
_ENTITIES = str.maketrans(
    {
        "[": "&#91;",
        "]": "&#93;",
        "{": "&#123;",
        "}": "&#125;",
        "*": "&#42;",
        "_": "&#95;",
        "`": "&#96;",
        "\\": "&#92;",
        "$": "&#36;",
        "~": "&#126;",
        "^": "&#94;",
    }
)


def escape_text(text: str) -> str:
    """HTML-escape card text and neutralise what Markdown, Jinja or citations would read.

    Brackets and braces become entities, so `[@Key]`, `{{ x }}` or `{% raw %}` in a seed can
    never become a citation or a template; the browser shows the same characters.
    """
    return html.escape(text, quote=True).translate(_ENTITIES)
