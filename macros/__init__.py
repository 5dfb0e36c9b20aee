"""Evidence cards from medical-paper seeds, and the mkdocs-macros entry point for the site.

`define_env` is what mkdocs-macros calls (mkdocs.yml: `module_name: macros`). It stays thin:
pages are rendered by plain functions of the package, never by closures defined here. The two
page hooks guard what an editor's page may do (`pages.py`).
"""

from __future__ import annotations

from typing import Any


def define_env(env: Any) -> None:
    """Register the site's macros. Card text never passes through Jinja: macros return HTML."""
    from .site import register

    register(env)


def on_pre_page_macros(env: Any) -> None:
    """Before a page is rendered: Jinja's sandbox, and a build error for what a page may not do."""
    from .pages import before_render

    before_render(env)


def on_post_page_macros(env: Any) -> None:
    """After: a macro that failed on the page fails the build, naming the page."""
    from .pages import after_render

    after_render(env)
