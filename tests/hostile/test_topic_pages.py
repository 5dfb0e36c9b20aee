"""Issue 10, attacks 2, 3 and 9: an editor's page (and the data it shows) comes from an untrusted
pull request.

Each `test_regression_*` failed before its fix. A page's template may only call the site's
macros with literal arguments; its raw HTML is a short allowlist; `accuracy_table` reads only a
report of docs/data/ and publishes only numbers and escaped names. `evidence check` and the build
refuse the same pages (one function, `pages.page_problems`), naming file and line, never with a
traceback; the build renders in Jinja's sandbox all the same, and nothing of an accepted page
runs in Chromium.
"""

from __future__ import annotations

import json
import os
import sys
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from jinja2 import StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment
from mkdocs.config import load_config
from mkdocs.structure.files import File
from mkdocs.structure.pages import Page
from mkdocs.utils.meta import get_data

from macros.cards.project import Project
from macros.commands.cli import main
from macros.site import data as site
from tests.browser import CHROMIUM_ARGS, serve
from tests.conftest import require_tool, sync_playwright_or_skip
from tests.sitebuild import ROOT, ROOTS, build, make_root

PAGE = "docs/topics/crmo.md"  # of the test root `pages`, which shows the card Doe2020
HEADER = "---\nrender_macros: true\n---\n# CRMO\n\n"  # what follows it is line 6
SECRET = "pwned-4711"  # what the payloads would print, were they run
SSTI = f"{{{{ cycler.__init__.__globals__.os.popen('echo {SECRET}').read() }}}}"

# (template, what the problem names): each alone on line 6 of a page that Jinja renders.
TEMPLATE_ATTACKS = [
    (SSTI, "name 'cycler', attribute access '.__init__'"),
    ("{{ lipsum.__globals__['os'].popen('id').read() }}", "name 'lipsum'"),
    ("{{ self.__init__.__globals__.__builtins__.open('/etc/passwd').read() }}", "name 'self'"),
    ("{{ config }}", "name 'config'"),
    ("{{ now() }}", "name 'now'"),  # mkdocs-macros' own macros are not the site's
    ("{{ 7*7 }}", "operator '*'"),
    ("{{ 'x' }}", "the value 'x'"),
    ("{{ evidence_table('crmo') | safe }}", "filter '|safe'"),
    ("{{ cite('Doe2020') is defined }}", "test 'is defined'"),
    ("{{ macros['cite']('Doe2020') }}", "item access"),
    ("{% include 'index.md' %}", "statement '{% include %}'"),
    ("{% import 'index.md' as index %}", "statement '{% import %}'"),
    ("{% set x = 49 %}", "statement '{% set %}'"),
    ("{% for x in range(9) %}x{% endfor %}", "statement '{% for %}'"),
    ("{% if true %}x{% endif %}", "statement '{% if %}'"),
    ("{% macro m() %}x{% endmacro %}", "statement '{% macro %}'"),
    ("{% raw %}{{ x }}{% endraw %}", "statement '{% raw %}'"),
    ("{{ evidence_table(topic) }}", "name 'topic'"),
    ("{{ accuracy_table('../../../../tmp/x') }}", "argument '../../../../tmp/x' of accuracy_table"),
    ("{{ accuracy_table('\\x00') }}", "argument '\\x00' of accuracy_table"),
    ("{{ cite('<script>') }}", "argument '<script>' of cite"),
    ("{{ cite(key='Doe2020') }}", "keyword or * arguments to cite()"),
    ("{{ references('x') }}", "references() with 1 arguments"),
]
ALLOWED_TEMPLATES = [
    "{{ evidence_table('crmo') }}",
    '{{ cite("Doe2020") }} and [@Doe2020]',
    "{{- references() -}}",
    "{# a note for editors #}",
    "{{ accuracy_table('accuracy-unseen') }}",
    "{{ card_total() }} studies",
]
# (Markdown, what the problem names, its line): on line 6 unless the attack spans lines.
HTML_ATTACKS = [
    ("<script>alert(1)</script>", "HTML tag <script>", 6),
    ("<img src=x onerror=alert(1)>", "event handler onerror= on <img>", 6),
    ('<iframe src="https://evil.example/"></iframe>', "HTML tag <iframe>", 6),
    ("[x](javascript:alert(1))", "javascript: URLs are not allowed", 6),
    ("[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)", "data: URLs", 6),
    ("![x](data:image/svg+xml;base64,PHN2Zz4=)", "data: URLs", 6),
    ("<javascript:alert(1)>", "HTML tag <javascript:alert(1)>", 6),
    ("[x][evil]\n\n[evil]: javascript:alert(1)", "javascript: URLs", 8),
    ('<a href="JaVaScRiPt:alert(1)">x</a>', "javascript: URLs", 6),
    ('<a href=" &#106;avascript:alert(1)">x</a>', "javascript: URLs", 6),
    ('<a href="java&#x09;script:alert(1)">x</a>', "javascript: URLs", 6),
    ('<a href="vbscript:msgbox(1)">x</a>', "vbscript: URLs", 6),
    ("## Title {: onmouseover=alert(1) }", "event handler onmouseover= on <h2>", 6),
    ("[x](https://example.org){: onclick=alert(1) }", "event handler onclick= on <a>", 6),
    ('<object data="x.swf"></object>', "HTML tag <object>", 6),
    ('<embed src="x.swf">', "HTML tag <embed>", 6),
    ('<form action="https://evil.example/"><input name="q"></form>', "HTML tag <form>", 6),
    ("<style>body { display: none }</style>", "HTML tag <style>", 6),
    ("<svg><script>alert(1)</script></svg>", "HTML tag <svg>", 6),
    ('<meta http-equiv="refresh" content="0;url=https://evil.example/">', "<meta>", 6),
    ('<base href="https://evil.example/">', "HTML tag <base>", 6),
    ('<div style="position: fixed; inset: 0">x</div>', "attribute 'style' on <div>", 6),
    ("<!-- x --!> <img src=x onerror=alert(1)> -->", "", 6),  # browsers end it at --!>
    ("<a href=\"{{ cite('Doe2020') }}\">x</a>", "template syntax in href= on <a>", 6),
]
ALLOWED_HTML = """\
Text with <abbr title="chronic recurrent multifocal osteomyelitis">CRMO</abbr>, H<sub>2</sub>O,
x<sup>2</sup>, <kbd>Ctrl</kbd>, <mark>marked</mark>, a line<br>break.

<details>
<summary>More</summary>

Details.

</details>

<figure>
<img src="../../assets/images/favicon.png" alt="A figure" width="32">
<figcaption>Figure 1</figcaption>
</figure>

[web](https://example.org) [mail](mailto:editor@example.org) [top](#evidence) [home](../index.md)
<a href="https://example.org/a?b=1&amp;c=2">link</a> <span class="note">note</span>

<div class="note" markdown>
A **div**.
</div>

| Left | Right |
|:-----|------:|
| a    | b     |

A paragraph with a class.
{: .lead }

Code is text: `<script>alert(1)</script>` and `` [x](javascript:alert(1)) ``.

```html
<script>alert(1)</script>
<img src=x onerror=alert(1)>
```

    <iframe src="javascript:alert(1)"></iframe>

<!-- a note for editors -->
"""
FRONT_MATTER_ATTACKS = [
    ('title: "</title><script>alert(1)</script>"', "title: '</title><script>"),
    ("description: '\"><script>alert(1)</script>'", "description: "),
    ('title: "{{ cycler.__init__ }}"', "title: '{{ cycler"),
    ("template: 404.html", "front matter key 'template' is not allowed"),
    ("render_macros: 'yes'", "render_macros must be true or false"),
]
HOSTILE_VALUE = "<img src=x onerror=alert(1)>"


def _problems(text: str) -> list[tuple[int, str]]:
    """`(line, message)` of each problem of `text` as docs/topics/crmo.md."""
    from macros.site.pages import Settings, page_problems  # new: the original code had no check

    body, meta = get_data(text)
    environment = ImmutableSandboxedEnvironment(undefined=StrictUndefined)
    settings = Settings.of(ROOT)
    return [
        (p.line, p.message) for p in page_problems(PAGE, body, meta, text, settings, environment)
    ]


def _registered(docs: Path) -> tuple[dict[str, Callable[..., str]], list[str]]:
    """The macros as `register` gives them to mkdocs-macros for a build of the project of
    `docs`, and the list of that build's failed macro calls."""
    macros: dict[str, Callable[..., str]] = {}
    config = load_config(str(docs.parent / "mkdocs.yml"))
    env = SimpleNamespace(conf=config, macro=lambda f, name: macros.update({name: f}))
    site.register(env)
    return macros, site.SiteBuild.of(config).failed


def _named(problems: list[tuple[int, str]], line: int, what: str) -> bool:
    return any(at == line and what in message for at, message in problems)


# -- the check, construct by construct -----------------------------------------------------------


@pytest.mark.parametrize(("template", "what"), TEMPLATE_ATTACKS)
def test_regression_a_template_may_only_call_macros_with_literals(template: str, what: str) -> None:
    problems = _problems(HEADER + template + "\n")
    assert _named(problems, 6, f"{what}"), problems
    assert _named(
        problems, 6, f"is not allowed in a page: only the macros {', '.join(site.MACROS)}"
    )


def test_regression_a_template_in_a_code_block_is_checked_too() -> None:
    """Jinja renders the page before Markdown reads it: code is no shelter."""
    problems = _problems(HEADER + "```\n{{ config }}\n```\n")
    assert _named(problems, 7, "name 'config' is not allowed"), problems


@pytest.mark.parametrize("template", ALLOWED_TEMPLATES)
def test_macro_calls_with_literal_arguments_are_allowed(template: str) -> None:
    assert _problems(HEADER + template + "\n") == []


def test_a_page_jinja_does_not_render_is_not_read_as_a_template() -> None:
    assert _problems("# CRMO\n\nLiteral {{ 7*7 }} and {% raw %}.\n") == []


def test_regression_a_template_syntax_error_is_a_problem_at_its_line() -> None:
    problems = _problems(HEADER + "Fine.\n\n{{ evidence_table('crmo') \n")
    assert len(problems) == 1
    assert problems[0][0] == 8
    assert problems[0][1].startswith("template syntax error: ")


def test_the_check_allows_exactly_the_registered_macros() -> None:
    registered = list(_registered(ROOT / "docs")[0])
    assert registered == list(site.MACROS)
    assert {"evidence_table", "cite", "references", "accuracy_table"} <= set(registered)


@pytest.mark.parametrize(("markdown", "what", "line"), HTML_ATTACKS)
def test_regression_active_html_is_refused_with_its_line(
    markdown: str, what: str, line: int
) -> None:
    problems = _problems(HEADER + markdown + "\n")
    assert _named(problems, line, what), problems


def test_the_allowlisted_html_and_code_pass() -> None:
    assert _problems(HEADER + ALLOWED_HTML) == []


@pytest.mark.parametrize(("entry", "what"), FRONT_MATTER_ATTACKS)
def test_regression_the_front_matter_is_plain_text(entry: str, what: str) -> None:
    """MkDocs themes publish `title` and `description` unescaped (`<title>`, a `<meta>`)."""
    problems = _problems(f"---\n{entry}\n---\n# CRMO\n")
    assert _named(problems, 2, what), problems


def test_every_page_of_the_repository_passes() -> None:
    from macros.site.pages import check_pages

    assert check_pages(Project.at(ROOT)) == []


# -- evidence check ------------------------------------------------------------------------------


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A small project (root `pages`: a topic page, the about-data page, a card and its seed)."""
    return make_root("pages", tmp_path / "repo")


def _insert(repo: Path, relative: str, lines: list[str]) -> int:
    """Put `lines` before the page's first `## ` heading; the line number of the first."""
    page = repo / relative
    text = page.read_text("utf-8")
    at = text.index("\n## ") + 1
    page.write_text(text[:at] + "\n\n".join(lines) + "\n\n" + text[at:], "utf-8")
    return text[:at].count("\n") + 1


def test_regression_evidence_check_names_file_and_line(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    attacks = [SSTI, *(markdown for markdown, _, line in HTML_ATTACKS if line == 6)]
    first = _insert(repo, PAGE, attacks)
    assert main(["check", "--root", str(repo)]) == 1
    out = capsys.readouterr().out
    assert f"{PAGE}:{first}:1: E-TEMPLATE name 'cycler', attribute access '.__init__'" in out
    for index, (_, what, _) in enumerate(a for a in HTML_ATTACKS if a[2] == 6):
        assert f"{PAGE}:{first + 2 * (index + 1)}:1: " in out, (what, out)
        assert what in out, what
    assert SECRET not in out.replace(SSTI, "")


# -- the build -----------------------------------------------------------------------------------


def _refused_build(tmp_path: Path, page: str, lines: list[str]) -> tuple[int, str, Path]:
    project = make_root("pages", tmp_path / "project")
    first = _insert(project, page, lines)
    result = build(project, tmp_path / "site")
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output
    return first, output, tmp_path / "site"


def test_regression_the_build_refuses_template_injection_and_active_html(tmp_path: Path) -> None:
    attacks = [SSTI, *(markdown for markdown, _, line in HTML_ATTACKS if line == 6)]
    first, output, site_dir = _refused_build(tmp_path, PAGE, attacks)
    assert f"{PAGE}:{first}:1: E-TEMPLATE name 'cycler', attribute access '.__init__'" in output
    for index, (_, what, _) in enumerate(a for a in HTML_ATTACKS if a[2] == 6):
        assert f"{PAGE}:{first + 2 * (index + 1)}:1: " in output, (what, output)
    assert SECRET not in output.replace(SSTI, "")
    assert not (site_dir / "topics" / "crmo" / "index.html").exists()


def test_regression_a_template_syntax_error_fails_the_build_cleanly(tmp_path: Path) -> None:
    first, output, _ = _refused_build(tmp_path, PAGE, ["{{ cite('Doe2020' }}"])
    assert f"{PAGE}:{first}:1: E-TEMPLATE template syntax error: " in output


def test_regression_accuracy_table_of_a_nul_name_fails_the_build_cleanly(tmp_path: Path) -> None:
    first, output, _ = _refused_build(
        tmp_path, "docs/about-data.md", ["{{ accuracy_table('\\x00') }}"]
    )
    argument = "the argument '\\x00' of accuracy_table()"
    assert f"docs/about-data.md:{first}:1: E-TEMPLATE {argument}" in output


def test_regression_a_hostile_report_fails_the_build_naming_page_and_value(tmp_path: Path) -> None:
    project = make_root("pages", tmp_path / "project")
    report = project / "docs" / "data" / "accuracy.json"
    data = json.loads(report.read_text("utf-8"))
    data["seeds"] = HOSTILE_VALUE
    report.write_text(json.dumps(data), "utf-8")
    result = build(project, tmp_path / "site")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Traceback" not in output, output
    assert (
        "docs/about-data.md: E-MACRO accuracy_table('accuracy'): accuracy.json: seeds must be a "
        in output
    )
    assert not (tmp_path / "site" / "about-data" / "index.html").exists()


# -- accuracy_table ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def leaky_docs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """docs/ beside a secret report, which docs/data/leak.json links to."""
    project = make_root("pages", tmp_path_factory.mktemp("leaky") / "project")
    secret = project / "secret.json"
    row = {"precision": 1, "recall": 1, "true_positive": 1, "false_positive": 0}
    secret.write_text(json.dumps({"seeds": 1, "fields": {SECRET: {**row, "false_negative": 0}}}))
    (project / "docs" / "data" / "leak.json").symlink_to(secret)
    return project / "docs"


@pytest.mark.parametrize(
    "name", ["../../secret", "\x00", "accuracy\x00", "leak", "nope", "Accuracy"]
)
def test_regression_accuracy_table_reads_only_reports_of_docs_data(
    leaky_docs: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """A failed macro gives no page text and the reason, which fails the build (see above)."""
    macros, failed = _registered(leaky_docs)
    assert macros["accuracy_table"](name) == ""
    [failure] = failed
    why, known = failure.split(": name one of ")
    assert why == f"accuracy_table({name!r}): {name!r} is not a report in docs/data/"
    assert "'accuracy'" in known.split(", ")
    assert "leak" not in known


@pytest.mark.parametrize(
    "where",
    ["seeds", "precision", "recall", "true_positive", "false_positive", "false_negative"],
)
def test_regression_every_figure_of_a_report_must_be_a_number(tmp_path: Path, where: str) -> None:
    report = json.loads((ROOTS / "pages" / "docs" / "data" / "accuracy.json").read_text("utf-8"))
    if where == "seeds":
        report["seeds"] = HOSTILE_VALUE
    else:
        next(iter(report["fields"].values()))[where] = HOSTILE_VALUE
    (tmp_path / "report.json").write_text(json.dumps(report), "utf-8")
    with pytest.raises(ValueError, match=f"{where} must be a"):
        site.accuracy_table(tmp_path / "report.json")


def test_field_names_of_a_report_are_shown_escaped(tmp_path: Path) -> None:
    row = {"precision": 1.0, "recall": 0.5, "true_positive": 1, "false_positive": 0}
    report = {"seeds": 2, "fields": {HOSTILE_VALUE: {**row, "false_negative": 1}}}
    (tmp_path / "report.json").write_text(json.dumps(report), "utf-8")
    table = site.accuracy_table(tmp_path / "report.json")
    assert "<img" not in table
    assert "&lt;img src=x onerror=alert(1)&gt; | 1.00 | 0.50 | 1 | 0 | 1 |" in table


# -- the sandbox, a second wall ------------------------------------------------------------------


def test_regression_the_build_renders_in_a_sandbox_even_without_the_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """mkdocs-macros as the build runs it: once a page went through the hooks, its renderer is
    Jinja's sandbox, and a template that never met the check (rendered straight, as a page
    would be were the check wrong) cannot reach `os`."""
    monkeypatch.setattr(sys, "path", list(sys.path))  # mkdocs-macros adds the project to it
    project = make_root("pages", tmp_path / "project")
    config = load_config(str(project / "mkdocs.yml"))
    plugin: Any = config.plugins["macros"]
    plugin.on_config(config)
    page = Page(None, File("topics/crmo.md", config.docs_dir, config.site_dir, True), config)
    page.read_source(config)
    plugin.on_page_markdown(page.markdown, page=page, config=config, files=None)
    for payload in (SSTI, "{{ lipsum.__globals__.os }}", "{{ self.__init__.__globals__ }}"):
        with pytest.raises(SystemExit):  # how mkdocs-macros stops when a render fails
            plugin.render(payload, force_rendering=True)
    assert caplog.text.count("SecurityError: access to attribute '__") == 3
    assert SECRET not in caplog.text.replace(SSTI, "")


# -- Chromium: an accepted page runs nothing ----------------------------------------------------

CATCH_DIALOGS = """
window.__pwned = [];
for (const name of ["alert", "confirm", "prompt", "print"]) {
  window[name] = (...args) => { window.__pwned.push(name + ": " + args.join(" ")); };
}
"""


@dataclass(frozen=True)
class Served:
    project: Path
    url: str


@pytest.fixture(scope="module")
def accepted_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """A small site (root `pages`) with every allowlisted construct on its topic page, the
    payloads as code, and a report whose field names are hostile; built strictly and served."""
    folder = tmp_path_factory.mktemp("accepted")
    project = make_root("pages", folder / "project")
    code = textwrap.indent("\n".join(m for m, _, _ in HTML_ATTACKS), "    ", lambda _: True)
    _insert(project, PAGE, [ALLOWED_HTML, "Payloads, shown as code:", code])
    report = project / "docs" / "data" / "accuracy.json"
    data = json.loads(report.read_text("utf-8"))
    data["fields"] = {f"{HOSTILE_VALUE} {name}": row for name, row in data["fields"].items()}
    report.write_text(json.dumps(data), "utf-8")
    result = build(project, folder / "site")
    assert result.returncode == 0, result.stderr
    with serve(folder / "site") as url:
        yield Served(project, url)


def test_nothing_on_an_accepted_site_runs_in_chromium(accepted_site: Served) -> None:
    """Every editor's page and a study page: no dialog, no alert reached, no console error."""
    chromium = os.environ.get("CHROMIUM") or require_tool("chromium")
    sync_playwright = sync_playwright_or_skip()
    docs = accepted_site.project / "docs"
    paths = [p.relative_to(docs).with_suffix("") for p in docs.rglob("*.md")]
    urls = ["" if p.name == "index" else f"{p.as_posix()}/" for p in paths]
    urls.append(f"studies/{site.site_data(Project.at(accepted_site.project)).cards[0].id}/")
    caught: list[str] = []

    def dialog(opened: Any) -> None:
        caught.append(f"{opened.type}: {opened.message}")
        opened.dismiss()

    def console(message: Any) -> None:
        if message.type == "error":
            caught.append(message.text)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.add_init_script(CATCH_DIALOGS)
            page.on("dialog", dialog)
            page.on("console", console)
            page.on("pageerror", lambda error: caught.append(str(error)))
            for url in urls:
                page.goto(f"{accepted_site.url}/{url}", wait_until="load")
                page.wait_for_timeout(100)  # onerror and onload handlers fire after load
                caught += page.evaluate("window.__pwned")
            page.goto(f"{accepted_site.url}/topics/crmo/")
            # the allowlisted elements of ALLOWED_HTML, as written (tables add details of theirs)
            assert page.locator("article abbr[title^='chronic recurrent']").count() == 1
            assert page.locator("article details > summary", has_text="More").count() == 1
            page.goto(f"{accepted_site.url}/about-data/")
            assert HOSTILE_VALUE in page.locator("article table").first.inner_text()
        finally:
            browser.close()
    assert caught == []
