"""Evidence cards from medical-paper seeds, and the mkdocs-macros entry point for the site.

`define_env` is what mkdocs-macros calls (mkdocs.yml: `module_name: macros`). It stays thin:
pages are rendered by plain functions of the package, never by closures defined here.
"""

from __future__ import annotations

from typing import Any


def define_env(env: Any) -> None:
    """Register the site's macros. Card text never passes through Jinja: macros return HTML."""
    from .site import register

    register(env)
