"""Evidence cards from medical-paper seeds, and the mkdocs-macros entry point for the site.

`define_env` is what mkdocs-macros calls (mkdocs.yml: `module_name: macros`). It stays thin:
pages are rendered by plain functions of the package, never by closures defined here. The two
page hooks guard what an editor's page may do (`site/pages.py`).

The package is layered; each layer is a sub-package and imports only the layers before it:

    core < cards < extract < shapes < rules < site < commands

- `core`: problems with their codes, text hygiene, identifiers (imports nothing of `macros`);
- `cards`: the card model, YAML in and out, card files and cache, the project, the taxonomy, and
  the output formats (BibTeX, CSL-JSON, RIS, Vancouver);
- `extract`: readers of a seed's layout, figures, findings, cases, study and bibliographic data;
- `shapes`: one parser per seed shape, and `assemble` (an extraction to a card);
- `rules`: every check on a card's content;
- `site`: the mkdocs-macros adapter, the build's data, rendering, citations, the MkDocs hooks;
- `commands`: the `evidence` command line, ingest, check, accuracy.

The extraction readers import the card model (they build its parts), so `cards` comes before
`extract`. This module and `__main__` are entry points and may import any layer.
`tests/test_layers.py` enforces the order.
"""

from __future__ import annotations

from typing import Any


def define_env(env: Any) -> None:
    """Register the site's macros. Card text never passes through Jinja: macros return HTML."""
    from .site.data import register

    register(env)


def on_pre_page_macros(env: Any) -> None:
    """Before a page is rendered: Jinja's sandbox, and a build error for what a page may not do."""
    from .site.pages import before_render

    before_render(env)


def on_post_page_macros(env: Any) -> None:
    """After: a macro that failed on the page fails the build, naming the page."""
    from .site.pages import after_render

    after_render(env)
