"""Material's navigation and tabs, rendered once for all study pages (`macros/site/theme.py`):
the pages must be the bytes Material renders for each page itself."""

from __future__ import annotations

from pathlib import Path

from markupsafe import Markup
from mkdocs.config import load_config
from mkdocs.structure.files import File
from mkdocs.structure.pages import Page

from macros.site.preview import StudyPage, StudyPageFile
from macros.site.study import StudyHtml
from macros.site.theme import SharedParts

from .conftest import ROOT
from .sitebuild import build, copy_project, material_only


def test_a_part_is_rendered_once_for_the_study_pages_and_for_every_other_page() -> None:
    config = load_config(str(ROOT / "mkdocs.yml"))
    studies = [
        StudyPage(StudyPageFile(f"studies/{name}.md", None, config.site_dir, True), config, page)
        for name, page in (
            ("alpha-2020", StudyHtml({}, "", [])),
            ("beta-2021", StudyHtml({}, "", [])),
        )
    ]
    topic = Page(None, File("topics/crmo.md", config.docs_dir, config.site_dir, True), config)
    rendered: list[str] = []

    def render() -> Markup:
        rendered.append("nav")
        return Markup(f"<nav>{len(rendered)}</nav>")

    shared = SharedParts()
    assert [shared("nav", study, render) for study in studies] == ["<nav>1</nav>"] * 2
    assert shared("tabs", studies[0], render) == "<nav>2</nav>"  # another part of the page
    assert shared("nav", topic, render) == "<nav>3</nav>"
    assert shared("nav", topic, render) == "<nav>4</nav>"  # not a study page: its own each time
    assert SharedParts()("nav", studies[1], render) == "<nav>5</nav>"  # a new build renders anew


def test_the_site_is_the_bytes_material_renders_for_each_page(tmp_path: Path) -> None:
    """The real site, built with the shared parts and with Material's own partials only."""
    ours = copy_project(tmp_path / "ours")
    material = copy_project(tmp_path / "material")
    material_only(material / "overrides")
    sites = {}
    for name, project in (("ours", ours), ("material", material)):
        result = build(project, tmp_path / f"site-{name}")
        assert result.returncode == 0, result.stderr[-3000:]
        site = tmp_path / f"site-{name}"
        sites[name] = {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*.html")}
    assert len([page for page in sites["ours"] if page.startswith("studies/")]) >= 5
    assert sites["ours"] == sites["material"]
