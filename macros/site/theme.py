"""Parts of Material's page that are the same HTML on every study page, rendered once a build.

Material renders its navigation and its tabs for each page: a fifth of the template time of a
build of 1,000 studies. No study page is in the navigation, and every one is at the same depth
(`studies/<id>/`), so on each of them the two are the same HTML, links and all. `overrides/`
renders them through `SharedParts` (the `shared` function of the templates): for the first
study page of a build, and taken from it for the others. Every other page renders its own.
`overrides/partials/nav.html` takes the place of Material's navigation partial and renders
Material's own (`material/partials/nav.html`: `add_to` lets the templates name it so).
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.resources import files

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PrefixLoader
from markupsafe import Markup
from mkdocs.structure.pages import Page

from .preview import StudyPage

MATERIAL = "material"  # the prefix under which the templates reach Material's own


class SharedParts:
    """One build's parts of the page that every study page shares, by name and page depth."""

    def __init__(self) -> None:
        self._rendered: dict[tuple[str, int], Markup] = {}

    def __call__(self, name: str, page: Page | None, render: Callable[[], Markup]) -> Markup:
        if not isinstance(page, StudyPage):
            return render()
        key = (name, page.url.count("/"))  # relative links depend on the depth alone
        if key not in self._rendered:
            self._rendered[key] = render()
        return self._rendered[key]


def add_to(env: Environment) -> None:
    """Give the templates of this build (MkDocs makes their environment anew for each) `shared`
    and Material's own templates under `material/`."""
    env.globals["shared"] = SharedParts()
    own = FileSystemLoader(str(files(MATERIAL) / "templates"))
    env.loader = ChoiceLoader([env.loader, PrefixLoader({MATERIAL: own})])  # type: ignore[list-item]
