"""What an editor's page may hold: prose, a short list of HTML, and the site's macros.

A page (`docs/**/*.md`) comes from a pull request, and MkDocs publishes it: Jinja runs its
template at build time and browsers run its HTML. So, before anything renders, both in
`evidence check` and in the build (`on_pre_page_macros`), a page is refused unless:

- its template, when mkdocs-macros renders it, only calls the macros of `data.Macros` with
  literal arguments (read by Jinja's own parser: no names, attributes, filters or statements);
- its HTML, as Python-Markdown makes it with the site's extensions (so code is code, and
  `attr_list` or link syntax cannot hide an attribute), uses only `ALLOWED_TAGS` and
  `ALLOWED_ATTRIBUTES`, with http(s), mailto or relative URLs, and reads the same to Ammonia
  (`nh3`, which parses HTML as browsers do) as to Python's `html.parser`;
- its front matter sets only `render_macros`, `title` and `description`, as plain text (MkDocs
  themes publish them unescaped).

Each problem names file, line, its code (`E-TEMPLATE`, `E-HTML`, `E-FRONT-MATTER`, `E-FILE-TYPE`,
`E-FILE-SYMLINK`, `E-PAGE-ENCODING`) and what to do. The template is then rendered in Jinja's
immutable sandbox (`install_sandbox`), a second wall, and the built page is checked once more
(`hooks.py`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import markdown
import nh3
from jinja2 import Environment, StrictUndefined, TemplateSyntaxError, nodes
from jinja2.lexer import TOKEN_RAW_BEGIN
from jinja2.sandbox import ImmutableSandboxedEnvironment
from mkdocs.config import config_options
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.utils.meta import get_data
from mkdocs.utils.yaml import yaml_load

from ..cards.project import Project
from ..core.problems import Problem
from ..core.text import squash
from .data import MACROS, SiteBuild, fail

ALLOWED_TAGS = frozenset(
    # What Markdown writes (the site's extensions), then a few prose tags.
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "em", "strong", "code", "pre", "blockquote", "hr"}
    | {"ul", "ol", "li", "br", "a", "img", "table", "thead", "tbody", "tr", "th", "td"}
    | {"abbr", "sub", "sup", "kbd", "mark", "details", "summary", "figure", "figcaption"}
    | {"span", "div"}
)
GLOBAL_ATTRIBUTES = frozenset({"class", "id", "lang", "title"})
ALLOWED_ATTRIBUTES: Mapping[str, frozenset[str]] = {
    "a": frozenset({"href"}),
    "img": frozenset({"src", "alt", "width", "height"}),
    "ol": frozenset({"start"}),
    "th": frozenset({"colspan", "rowspan", "style"}),
    "td": frozenset({"colspan", "rowspan", "style", "data-label"}),  # data-label: site/tables
}
URL_SCHEMES: Mapping[str, frozenset[str]] = {
    "href": frozenset({"http", "https", "mailto"}),
    "src": frozenset({"http", "https"}),
}
FRONT_MATTER = ("render_macros", "title", "description")
HELP = "see 'Raw HTML and macros in pages' in CONTRIBUTING.md"

_ARGUMENT = re.compile(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*")
_TEXT_ALIGN = re.compile(r"\s*text-align:\s*(?:left|right|center)\s*;?\s*", re.I)
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_TEMPLATE = re.compile(r"\{[{%#]")
_UNSAFE_TEXT = re.compile(r"[<>\"]|\{[{%#]")
# Jinja statements by node, as an editor writes them.
_STATEMENTS = {
    "Assign": "set",
    "AssignBlock": "set",
    "CallBlock": "call",
    "FilterBlock": "filter",
    "FromImport": "from … import",
    "ExprStmt": "do",
    "ScopedEvalContextModifier": "autoescape",
}
_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    attributes={"*": set(GLOBAL_ATTRIBUTES), **{t: set(a) for t, a in ALLOWED_ATTRIBUTES.items()}},
    url_schemes=set().union(*URL_SCHEMES.values()),
    strip_comments=False,
    link_rel=None,
)


def _short(value: object) -> str:
    """A value quoted in a message, cut: a message stays one readable line."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


# -- the template -------------------------------------------------------------------------------


def template_problems(source: str, environment: Environment) -> list[tuple[int, str]]:
    """(line, message) for everything in the template but macro calls with literal arguments."""
    try:
        raw = [line for line, token, _ in environment.lex(source) if token == TOKEN_RAW_BEGIN]
        found = [(line, "statement '{% raw %}'") for line in raw]
        found += _refused(environment.parse(source))
    except TemplateSyntaxError as error:
        return [(error.lineno or 1, f"template syntax error: {_short(error.message)}: {HELP}")]
    except RecursionError:
        return [(1, "the template nests too deeply to be read: write it plainly")]
    macros = ", ".join(MACROS)
    return [
        (line, f"{what} is not allowed in a page: only the macros {macros}, with literal arguments")
        for line, what in found
    ]


def _refused(tree: nodes.Template) -> Iterator[tuple[int, str]]:
    for node in tree.body:
        if not isinstance(node, nodes.Output):
            keyword = _STATEMENTS.get(type(node).__name__, type(node).__name__.lower())
            yield node.lineno, f"statement '{{% {keyword} %}}'"
            continue
        for expression in node.nodes:
            constructs = list(dict.fromkeys(_constructs(expression)))
            if constructs:
                yield (
                    expression.lineno,
                    ", ".join(constructs[:2]) + (", …" if len(constructs) > 2 else ""),
                )


def _constructs(node: nodes.Node, top: bool = True) -> Iterator[str]:
    """What an expression does besides calling a macro with literal arguments, innermost first."""
    if (
        isinstance(node, nodes.Call)
        and isinstance(node.node, nodes.Name)
        and node.node.name in MACROS
    ):
        yield from _macro_call(node, node.node.name)
        return
    for child in node.iter_child_nodes():
        yield from _constructs(child, top=False)
    if isinstance(node, nodes.Name):
        yield f"name '{node.name}'"
    elif isinstance(node, nodes.Getattr):
        yield f"attribute access '.{node.attr}'"
    elif isinstance(node, nodes.Getitem):
        yield "item access '[…]'"
    elif isinstance(node, nodes.Filter):
        yield f"filter '|{node.name}'"
    elif isinstance(node, nodes.Test):
        yield f"test 'is {node.name}'"
    elif isinstance(node, nodes.BinExpr | nodes.UnaryExpr):
        yield f"operator '{node.operator}'"
    elif isinstance(node, nodes.Const):
        if top:
            yield f"the value {_short(node.value)}"
    elif not isinstance(node, nodes.Call | nodes.Keyword | nodes.Pair | nodes.TemplateData):
        yield f"'{type(node).__name__}' expression"


def _macro_call(call: nodes.Call, name: str) -> Iterator[str]:
    if call.kwargs or call.dyn_args or call.dyn_kwargs:
        yield f"keyword or * arguments to {name}()"
    for argument in call.args:
        if not isinstance(argument, nodes.Const):
            yield from _constructs(argument, top=False)
        elif not isinstance(argument.value, str) or not _ARGUMENT.fullmatch(argument.value):
            yield f"the argument {_short(argument.value)} of {name}() (letters, digits, hyphens)"
    try:
        MACROS[name].bind(*call.args)
    except TypeError as error:
        yield f"{name}() with {len(call.args)} arguments ({error})"


# -- the HTML -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class HtmlProblem:
    """A problem in HTML, and the texts that find its line in the page's source."""

    needles: tuple[str, ...]
    message: str


class _Scan(HTMLParser):
    """Each element, comment and text as Python reads it, checked against the allowlist."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[HtmlProblem] = []
        self.events: list[tuple[str, ...]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.events.append((tag, *sorted(f"{name}={value or ''}" for name, value in attrs)))
        if tag not in ALLOWED_TAGS:
            self.found.append(
                HtmlProblem(
                    (f"<{tag}",),
                    f"HTML tag <{tag}> is not allowed in a page: use Markdown or an allowed tag "
                    f"({', '.join(sorted(ALLOWED_TAGS))})",
                )
            )
            return
        allowed = GLOBAL_ATTRIBUTES | ALLOWED_ATTRIBUTES.get(tag, frozenset())
        for name, value in attrs:
            if name not in allowed:
                self.found.append(HtmlProblem((name,), _unknown_attribute(tag, name, allowed)))
                continue
            message = _value_problem(tag, name, value or "")
            if message:
                self.found.append(HtmlProblem((value or "", name), message))

    def handle_comment(self, data: str) -> None:
        self.events.append(("!--", data))
        if ">" in data:
            message = "an HTML comment with '>' inside is not allowed: browsers may end it early"
            self.found.append(HtmlProblem(("<!--",), message))

    def handle_data(self, data: str) -> None:
        self.events.append(("", data))

    def handle_decl(self, decl: str) -> None:
        self._refuse(f"<!{decl}")

    def unknown_decl(self, data: str) -> None:
        self._refuse(f"<![{data}")

    def handle_pi(self, data: str) -> None:
        self._refuse(f"<?{data}")

    def _refuse(self, text: str) -> None:
        message = f"{_short(text)}: declarations and processing instructions are not allowed"
        self.found.append(HtmlProblem((text[:2],), message))


def _unknown_attribute(tag: str, name: str, allowed: frozenset[str]) -> str:
    if name.startswith("on"):
        return f"event handler {name}= on <{tag}> is not allowed: pages run no scripts"
    return f"attribute {_short(name)} on <{tag}> is not allowed, only {', '.join(sorted(allowed))}"


def _value_problem(tag: str, name: str, value: str) -> str | None:
    if _TEMPLATE.search(value):
        return f"template syntax in {name}= on <{tag}> is not allowed: call macros in the text"
    if name == "style" and not _TEXT_ALIGN.fullmatch(value):
        return f"style={_short(value)} on <{tag}>: a style may only set text-align"
    schemes = URL_SCHEMES.get(name, frozenset())
    # The scheme as browsers read it: blanks and controls around, tabs and newlines inside go.
    scheme = _SCHEME.match(re.sub(r"[\t\n\r]", "", value.strip("\x00- ")))
    if name in URL_SCHEMES and scheme and scheme.group(1).lower() not in schemes:
        return (
            f"{name}={_short(value)} on <{tag}>: {scheme.group(1).lower()}: URLs are not "
            f"allowed, only {', '.join(f'{s}:' for s in sorted(schemes))} and relative links"
        )
    return None


def html_problems(html: str) -> list[HtmlProblem]:
    """What in `html` is outside the allowlist, or reads differently to a browser's parser."""
    scan = _Scan()
    scan.feed(html)
    scan.close()
    if scan.found:
        return scan.found
    cleaned = _Scan()
    cleaned.feed(_CLEANER.clean(html))
    cleaned.close()
    ours, browsers = _normal(scan.events), _normal(cleaned.events)
    if ours == browsers:
        return []
    first = next((a for a, b in zip(ours, browsers, strict=False) if a != b), None)
    event = first or (ours + browsers)[min(len(ours), len(browsers))]  # one was cut short
    return [
        HtmlProblem(
            (event[-1][:40] if event[0] in ("", "!--") else f"<{event[0]}",),
            f"HTML that a browser reads differently from how it looks, near {_short(event)}: "
            "close every tag, put block tags on lines of their own, write & as &amp;",
        )
    ]


def _normal(events: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """Events without what parsers rightly differ on: the `<tbody>` and `<p>` a browser implies,
    and white space (text is joined across those tags)."""
    normal: list[tuple[str, ...]] = []
    for event in events:
        if event[0] == "" and normal and normal[-1][0] == "":
            normal[-1] = ("", normal[-1][1] + event[1])
        elif event not in (("tbody",), ("p",)):
            normal.append(event)
    return [
        ("", squash(event[1])) if event[0] == "" else event
        for event in normal
        if event[0] != "" or event[1].split()
    ]


def _locate(problems: list[HtmlProblem], source: str, first_line: int) -> list[tuple[int, str]]:
    """The line of each problem: where its text next occurs in the source, after the problem
    before it (they come in the order of the page); else where that one was."""
    located = []
    cursor = 0
    for problem in problems:
        at = cursor
        for needle in filter(None, problem.needles):
            found = re.compile(re.escape(needle), re.I).search(source, cursor)
            if found:
                at, cursor = found.start(), found.end()
                break
        located.append((first_line + source.count("\n", 0, at), problem.message))
    return located


# -- a whole page -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    """How the site reads a page: Markdown extensions, and whether Jinja renders by default."""

    extensions: list[Any]
    extension_configs: dict[str, dict[str, Any]]
    render_by_default: bool

    @classmethod
    def of(cls, root: Path) -> Settings:
        """From `mkdocs.yml` (without loading themes and plugins, for a fast `evidence check`):
        the extensions as MkDocs resolves them, its built-in ones included."""
        file = root / "mkdocs.yml"
        config = yaml_load(file.read_text("utf-8")) if file.is_file() else {}
        builtins = MkDocsConfig.markdown_extensions
        assert isinstance(builtins, config_options.MarkdownExtensions)
        option = config_options.MarkdownExtensions(builtins=builtins.builtins)
        extensions = option.run_validation(config.get("markdown_extensions") or [])
        plugins = config.get("plugins") or []
        macros: dict[str, Any] = next(
            (
                entry["macros"]
                for entry in (plugins if isinstance(plugins, list) else [plugins])
                if isinstance(entry, dict) and isinstance(entry.get("macros"), dict)
            ),
            {},
        )
        return cls(extensions, option.configdata, bool(macros.get("render_by_default", True)))

    def converter(self) -> markdown.Markdown:
        return markdown.Markdown(
            extensions=self.extensions, extension_configs=self.extension_configs
        )


def renders_macros(meta: Mapping[str, Any], by_default: bool) -> bool:
    """mkdocs-macros' own rule, with its comparisons (`render_macros: 1` renders too)."""
    value = meta.get("render_macros")
    if value == False:  # noqa: E712
        return False
    return by_default or bool(value == True)  # noqa: E712


def _front_matter(meta: Mapping[str, Any], source: str, end: int) -> Iterator[tuple[int, str]]:
    """(line, message) of each front matter problem."""
    lines = source.split("\n")[:end]
    for key, value in meta.items():
        line = next((n for n, t in enumerate(lines, 1) if t.startswith(f"{key}:")), 1)
        if key not in FRONT_MATTER:
            allowed = ", ".join(FRONT_MATTER)
            yield line, f"front matter key {_short(key)} is not allowed in a page, only {allowed}"
        elif key == "render_macros" and not isinstance(value, bool):
            yield line, f"render_macros must be true or false, not {_short(value)}"
        elif key != "render_macros" and (not isinstance(value, str) or _UNSAFE_TEXT.search(value)):
            yield (
                line,
                (
                    f"{key}: {_short(value)} is published unescaped: write plain text, without "
                    '<, >, " or template syntax'
                ),
            )


def page_problems(
    path: str,
    body: str,
    meta: Mapping[str, Any],
    source: str,
    settings: Settings,
    environment: Environment,
) -> list[Problem]:
    """Every problem of one page: `body` and `meta` as MkDocs reads `source` (the file)."""
    first_line = source[: len(source) - len(body)].count("\n") + 1 if source.endswith(body) else 1
    found = [("E-FRONT-MATTER", *at) for at in _front_matter(meta, source, first_line - 1)]
    if renders_macros(meta, settings.render_by_default):
        template = template_problems(body, environment)
        found += [("E-TEMPLATE", first_line + line - 1, what) for line, what in template]
    html = settings.converter().convert(body)
    found += [("E-HTML", *at) for at in _locate(html_problems(html), body, first_line)]
    problems = [Problem.at(code, path, line, 1, message) for code, line, message in found]
    return sorted(problems, key=Problem.sort_key)


# What MkDocs may copy from docs/ to the site as it is: nothing a browser runs (HTML, SVG,
# JavaScript, ...), and no symbolic link, which would publish a file from outside the project.
PUBLISHED_SUFFIXES = frozenset(
    {".md", ".yml", ".json", ".css", ".png", ".jpg", ".jpeg", ".gif", ".webp"}
)


def file_problems(project: Project) -> list[Problem]:
    """Files of docs/ that must not be published: another kind of file, or a symbolic link."""
    problems = []
    for file in sorted(project.docs.rglob("*")):
        path = project.relative(file)
        if file.is_symlink():
            problems.append(
                Problem.at(
                    "E-FILE-SYMLINK",
                    path,
                    message="is a symbolic link: copy the file into docs/ instead",
                )
            )
        elif file.is_file() and file.suffix.lower() not in PUBLISHED_SUFFIXES:
            problems.append(
                Problem.at(
                    "E-FILE-TYPE",
                    path,
                    message=f"a {file.suffix or 'suffix-less'} file would be published as it "
                    f"is: docs/ holds only {', '.join(sorted(PUBLISHED_SUFFIXES))} files ({HELP})",
                )
            )
    return problems


def check_pages(project: Project) -> list[Problem]:
    """`evidence check`: every file and page of docs/ as the build would check it."""
    settings = Settings.of(project.root)
    environment = ImmutableSandboxedEnvironment(undefined=StrictUndefined)
    problems = file_problems(project)
    for file in sorted(project.docs.rglob("*.md")):
        path = project.relative(file)
        try:
            source = file.read_text("utf-8-sig")
        except UnicodeDecodeError as error:
            problems.append(
                Problem.at("E-PAGE-ENCODING", path, message=f"the page is not UTF-8 text: {error}")
            )
            continue
        body, meta = get_data(source)
        problems += page_problems(path, body, meta, source, settings, environment)
    return problems


# -- the build ----------------------------------------------------------------------------------


_SANDBOX_SETTINGS = (
    "block_start_string",
    "block_end_string",
    "variable_start_string",
    "variable_end_string",
    "comment_start_string",
    "comment_end_string",
    "line_statement_prefix",
    "line_comment_prefix",
    "trim_blocks",
    "lstrip_blocks",
    "newline_sequence",
    "keep_trailing_newline",
    "undefined",
    "finalize",
    "autoescape",
    "loader",
)


def sandboxed(environment: Environment) -> ImmutableSandboxedEnvironment:
    """The same environment (delimiters, undefined, loader, macros, filters) in Jinja's immutable
    sandbox: no `_` attributes, no unsafe callables, no changing lists or dicts; the sandbox's
    own `range` stays (it caps the length)."""
    sandbox = ImmutableSandboxedEnvironment(
        extensions=list(environment.extensions),
        **{name: getattr(environment, name) for name in _SANDBOX_SETTINGS},
    )
    for name, value in environment.globals.items():
        sandbox.globals.setdefault(name, value)
    sandbox.filters.update(environment.filters)
    sandbox.tests.update(environment.tests)
    return sandbox


def install_sandbox(plugin: Any) -> None:
    """Make mkdocs-macros render in the sandbox. It builds a plain `Environment` in its
    `on_config`, after `define_env`, and keeps it in `_env` (no option selects a sandbox)."""
    if not isinstance(plugin.env, ImmutableSandboxedEnvironment):
        plugin._env = sandboxed(plugin.env)


def _path(plugin: Any) -> str:
    """The page's file as `evidence check` names it: relative to the project."""
    return SiteBuild.of(plugin.conf).project.relative(plugin.page.file.abs_src_path)


def before_render(plugin: Any) -> None:
    """`on_pre_page_macros`: sandbox the renderer, then refuse an editor's page with problems
    before anything of it is rendered. Study pages are made from cards and escaped by `render`."""
    install_sandbox(plugin)
    SiteBuild.of(plugin.conf).failed.clear()
    page = plugin.page
    if page.file.generated_by is not None:
        return
    settings = Settings(
        plugin.conf["markdown_extensions"],
        plugin.conf["mdx_configs"],
        plugin.config["render_by_default"] or plugin.force_page_rendering(page.file.src_path),
    )
    problems = page_problems(
        _path(plugin), plugin.markdown, page.meta, page.file.content_string, settings, plugin.env
    )
    if problems:
        raise fail(problems, HELP)


def after_render(plugin: Any) -> None:
    """`on_post_page_macros`: a macro that failed on the page fails the build, naming both."""
    failed = SiteBuild.of(plugin.conf).failed
    if failed:
        raise fail([Problem.at("E-MACRO", _path(plugin), message=why) for why in failed])
