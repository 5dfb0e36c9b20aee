"""Site benchmark: `mkdocs build` of N generated studies against a plain-Markdown baseline.

For each N the corpus of `ingest_bench.generate` is ingested into a copy of the project, then:
- ours: `mkdocs build --strict` of that project (topic pages over the N cards, a page per study);
- baseline, in the same run: the same pages (each study page's HTML as `study.py` writes it, in
  a Markdown file, each editorial page with its macros already expanded), built with the same
  theme and extensions and the same Pagefind index of its pages, but no macros plugin and no
  hooks but the one that writes that index (so, unlike ours, Markdown reads the study pages'
  HTML);
- plain pages (issue 14), in the same run: the same studies as simple pages (title, a table of
  the findings, their quotes) and a home page, same theme, indexed by Pagefind as ours: what
  MkDocs, Material and the search index cost a page before anything ours carries;
- loading the N cards (`load_cards`) with an empty and with a filled card cache;
- at one N, `mkdocs serve --dirty` (`make serve`): seconds from saving an edited card to the
  rebuilt site, as the server logs it.
Each figure is the median of three fresh processes (the three builds interleaved, with each
run's seconds kept for the spread); peak RSS comes from the child's rusage (the main process:
our build's worker process, `macros/site/background.py`, is not in it).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import jinja2
import yaml
from measure import Timing, median, run

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # for the tests' own project copier
from tests.sitebuild import copy_project, material_only  # noqa: E402

RUNS = 3


def _environment(project: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(project),
        "EVIDENCE_CACHE_DIR": str(project.parent / "card-cache"),
        "SOURCE_DATE_EPOCH": "1767225600",
        "NO_MKDOCS_2_WARNING": "1",
    }


def make_project(folder: Path, seeds: Path) -> Path:
    """A copy of the project whose cards are the ingested `seeds` (and no others)."""
    project = copy_project(folder / "project")
    shutil.rmtree(project / "docs" / "cards")
    shutil.copytree(seeds, project / "seeds")
    subprocess.run(
        [sys.executable, "-m", "macros", "ingest", "--root", str(project)],
        cwd=project,
        check=True,
        capture_output=True,
        env=_environment(project),
    )
    return project


def make_baseline(project: Path, folder: Path) -> Path:
    """The same pages as plain Markdown, with the same theme, and no macros plugin or hooks."""
    with _importable(project):
        pages = _expanded_pages(project)
    return _plain_site(project, folder / "baseline", pages, nav=None)


def make_plain(project: Path, folder: Path) -> Path:
    """Issue 14's plain-page baseline: the same studies as simple pages (title, a table of the
    findings, their quotes) and a home page, with the same theme and Pagefind index: what
    MkDocs and Material cost a page before anything a study page of ours carries."""
    pages = {"index.md": "# Studies\n\nEvery study has a page.\n"}
    with _importable(project):
        cards = _site_data(project).cards
    for card in cards:
        rows = [f"| {cell(f.label)} | {cell(f.value)} |" for f in card.findings]
        quotes = [f"> {cell(f.quote)}\n" for f in card.findings if f.quote]
        head = [f"# {cell(card.title or card.id)}", "", "| Finding | Value |", "| --- | --- |"]
        pages[f"studies/{card.id}.md"] = "\n".join([*head, *rows, "", "## Quotes", "", *quotes])
    return _plain_site(project, folder / "plain", pages, nav=[{"Home": "index.md"}])


@contextmanager
def _importable(project: Path) -> Iterator[None]:
    """The project's own `macros` package first on the path (the copy that builds it)."""
    sys.path.insert(0, str(project))
    try:
        yield
    finally:
        sys.path.remove(str(project))


def _site_data(project: Path) -> Any:
    from macros.cards.project import Project
    from macros.site.data import site_data

    return site_data(Project.at(project))


def cell(text: object) -> str:
    from macros.site.render import cell as escaped

    return escaped(text)


INDEX_HOOK = "index_hook.py"
# The baselines' one hook: the same Pagefind index as ours, written at the end of the build in
# its own process, as our hooks write it (a second process would cost its start and imports).
_INDEX_HOOK_SOURCE = """from macros.site.search import write_index


def on_post_build(config):
    write_index(config["site_dir"], {})
"""


def _plain_site(project: Path, site: Path, pages: dict[str, str], nav: Any) -> Path:
    """A site of `pages` with the project's theme and extensions, no macros plugin and no hooks
    but `INDEX_HOOK` (so Material renders the navigation of each page), and `nav` instead of
    the project's, when given."""
    docs = site / "docs"
    for uri, markdown in pages.items():
        (docs / uri).parent.mkdir(parents=True, exist_ok=True)
        (docs / uri).write_text(markdown, encoding="utf-8")
    for static in ("stylesheets", "cards", "data"):  # the same files to copy as ours
        shutil.copytree(project / "docs" / static, docs / static)
    shutil.copytree(project / "overrides", site / "overrides")  # the same theme,
    material_only(site / "overrides")  # without what needs our hooks
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    (site / INDEX_HOOK).write_text(_INDEX_HOOK_SOURCE, encoding="utf-8")
    config["hooks"] = [INDEX_HOOK]
    config["plugins"] = [p for p in config["plugins"] if "macros" not in p]
    config["strict"] = False  # no reference lists (our hook writes them): citations point nowhere
    if nav is not None:
        config["nav"] = nav
    (site / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), "utf-8")
    return site


def _expanded_pages(project: Path) -> dict[str, str]:
    from mkdocs.config import load_config
    from mkdocs.structure.files import File, Files

    from macros.site import data as site
    from macros.site.hooks import number_citations
    from macros.site.slots import PageLinks, fill_plot_slots
    from macros.site.study import StudyLinks

    class Env:
        """What `site.register` needs of mkdocs-macros' env, to expand the macros here."""

        def __init__(self) -> None:
            self.conf = load_config(str(project / "mkdocs.yml"))
            self.functions: dict[str, Any] = {}

        def macro(self, function: Any, name: str) -> None:
            self.functions[name] = function

    env = Env()
    site.register(env)
    jinja = jinja2.Environment(undefined=jinja2.StrictUndefined)
    build = site.SiteBuild.of(env.conf)
    data = build.data
    docs = project / "docs"
    sources = {path.relative_to(docs).as_posix(): path for path in sorted(docs.rglob("*.md"))}
    uris = [*sources, *(f"studies/{card.id}.md" for card in data.cards)]
    files = Files([File(uri, str(docs), "/site", use_directory_urls=True) for uri in uris])
    pages = {}
    for uri, path in sources.items():
        text = path.read_text(encoding="utf-8")
        if "render_macros: true" in text:
            # The same page as ours: citations numbered, tables and forest plots in their
            # slots (as our hooks do), but as HTML in the Markdown, which Markdown must read.
            text, _ = number_citations(
                jinja.from_string(text).render(**env.functions), data.by_citekey, uri
            )
            text = build.parts.fill(text, PageLinks(files.src_uris[uri], files))
            text = fill_plot_slots(text, data.plots)
        pages[uri] = text
    for card in data.cards:
        # The same HTML as ours, in a Markdown file: without hooks, Markdown must read it.
        topic = (docs / "topics" / f"{card.topic}.md").is_file()
        links = StudyLinks(
            f"../../topics/{card.topic}/" if topic else None, f"../../cards/{card.id}.yml"
        )
        pages[f"studies/{card.id}.md"] = site.study_page(data, card, links).source
    return pages


def build(project: Path, site: Path, ours: bool) -> Timing:
    """A build, its search index included (written by our hooks, or by the baselines' one);
    ours is strict."""
    shutil.rmtree(project.parent / "card-cache", ignore_errors=True)  # as on CI: no cache
    command = [sys.executable, "-m", "mkdocs", "build", "--site-dir", str(site)]
    return run(command + (["--strict"] if ours else []), project, _environment(project))


def load_cards(project: Path, warm: bool) -> Timing:
    """Loading every card as a build does, with an empty or a filled cache: the seconds of
    `load_cards` alone, timed inside a fresh process (start-up excluded)."""
    if not warm:
        shutil.rmtree(project.parent / "card-cache", ignore_errors=True)
    script = (
        "import pathlib, time\n"
        "from macros.cards.cardfiles import CardCache, load_cards\n"
        "from macros.cards.project import Project\n"
        "project = Project.at(pathlib.Path('.'))\n"
        "start = time.perf_counter()\n"
        "load_cards(project.cards, CardCache(project.cache))\n"
        "print(time.perf_counter() - start)\n"
    )
    timing = run([sys.executable, "-c", script], project, _environment(project))
    return Timing(float(timing.output.strip()), timing.peak_mib)


def serve_rebuild(project: Path, edits: int = RUNS) -> list[float]:
    """Seconds from saving an edited card to `mkdocs serve --dirty` logging the rebuilt site."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dirty", "-a", f"127.0.0.1:{port}"],
        cwd=project,
        env=_environment(project),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert server.stderr is not None
    try:
        _wait_for(server, "Serving on")
        card = sorted((project / "docs" / "cards").glob("*.yml"))[0]
        times = []
        for edit in range(edits):
            time.sleep(1.0)  # let the watcher settle
            text = card.read_text(encoding="utf-8")
            start = time.perf_counter()
            card.write_text(re.sub(r"\nreview:", f"\n# edit {edit}\nreview:", text), "utf-8")
            _wait_for(server, "Reloading browsers")
            times.append(time.perf_counter() - start)
        return times
    finally:
        server.terminate()
        server.wait(timeout=30)


def _wait_for(server: subprocess.Popen[str], marker: str) -> None:
    assert server.stderr is not None
    for line in server.stderr:
        if "Aborted" in line or "Error" in line:
            raise RuntimeError(f"mkdocs serve: {line.strip()}")
        if marker in line:
            return
    raise RuntimeError(f"mkdocs serve ended before {marker!r}")


def measure(count: int, seeds: Path, folder: Path, serve: bool) -> dict[str, Any]:
    project = make_project(folder, seeds)
    sites = {"ours": project, "baseline": make_baseline(project, folder)}
    sites["plain"] = make_plain(project, folder)
    pages = sum(1 for _ in (sites["baseline"] / "docs").rglob("*.md"))
    runs: dict[str, list[Timing]] = {name: [] for name in sites}
    for round_ in range(RUNS):  # interleaved: a change in the machine's load hits all three
        for name, site in sites.items():
            runs[name].append(build(site, folder / f"{name}-{round_}", ours=name == "ours"))
    figures: dict[str, Any] = {
        "pages": pages,
        **{name: median(timings) for name, timings in runs.items()},
        "spread": {name: [t.seconds for t in timings] for name, timings in runs.items()},
        "search_index_mib": sum(
            path.stat().st_size
            for bundle in (folder / "ours-0").glob("pagefind*")
            for path in bundle.rglob("*")
            if path.is_file()
        )
        / 2**20,
        "load_cold": median([load_cards(project, warm=False) for _ in range(RUNS)]),
        "load_warm": median([load_cards(project, warm=True) for _ in range(RUNS)]),
    }
    if serve:
        figures["serve"] = statistics.median(serve_rebuild(project))
    return figures
