"""Search (Pagefind, `macros/site/search.py`, `overrides/assets/search.js`): the index is
written the same way twice, a page fetches none of it until the search is used, and the three
languages are found, at 100 generated studies as on the real site; by keyboard, and in the dark
palette without an accessibility violation."""

from __future__ import annotations

import gzip
import json
import shutil
import signal
import sys
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from macros.site import cbor
from macros.site.search import Index, write_index

from .browser import axe_violations, describe_violations, serve
from .conftest import ROOT
from .sitebuild import build

sys.path.insert(0, str(ROOT / "benchmarks"))  # the generated corpus of `make bench`
from ingest_bench import generate
from site_bench import make_project

# Each query is found in its own language only: sacroiliitis (English titles and text),
# ostéomyélite (French titles), 侵蚀 (erosion: in Chinese quotes, searched in pagefind-zh/).
QUERIES = ("sacroiliitis", "ostéomyélite", "侵蚀")


def _bundle(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def _filters(site: Path) -> dict[str, list[Any]]:
    """Each filter file of the bundle, decoded: name and values."""
    files = (site / "pagefind" / "filter").glob("*.pf_filter")
    decoded = [cbor.loads(gzip.decompress(f.read_bytes())[12:]) for f in files]
    return dict(decoded)


def test_cbor_reads_back_what_it_writes_and_refuses_the_rest() -> None:
    value = ["1.5.2", [["en_1a2b3c4", 23], ["en_ffff", 70000]], [], [None, True, False, -3, b"x"]]
    assert cbor.loads(cbor.dumps(value)) == value
    assert cbor.dumps(24) == bytes([0x18, 24])  # the shortest form (RFC 8949, 4.2.1)
    with pytest.raises(ValueError, match="float"):
        cbor.loads(bytes([0xFB]) + bytes(8))
    with pytest.raises(ValueError, match="major type 5"):
        cbor.loads(bytes([0xA0]))  # a map: Pagefind writes none


def test_two_indexes_of_the_same_pages_are_byte_identical(tmp_path: Path) -> None:
    """Pagefind writes a filter's values in hash-map order (its issue 638): with 12 values
    twice the same order by chance is unlikely, so this fails without `_sort_filters`."""
    site = tmp_path / "site"
    for number in range(24):
        (site / f"p{number}").mkdir(parents=True)
        (site / f"p{number}" / "index.html").write_text(
            '<!doctype html><html lang="en"><body><article class="md-content__inner">'
            f"<h1>Page {number}</h1><p>erosion of joint {number}</p>"
            f'<span data-pagefind-filter="design">design {number % 12}</span>'
            f'<span data-pagefind-filter="topic">topic {number % 5}</span></article></body></html>',
            encoding="utf-8",
        )
    assert write_index(str(site), {}) == (24, 0)
    first = _bundle(site)
    copy = tmp_path / "copy"
    shutil.copytree(site, copy)
    assert write_index(str(copy), {}) == (24, 0)
    assert _bundle(copy) == first
    filters = _filters(site)
    assert sorted(filters) == ["design", "topic"]
    assert [value for value, _ in filters["design"]] == sorted(f"design {n}" for n in range(12))
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text("utf-8"))
    assert (site / "pagefind" / f"pagefind.{entry['languages']['en']['hash']}.pf_meta").is_file()


def test_an_index_a_failed_build_left_running_is_stopped_by_the_next(tmp_path: Path) -> None:
    """The Chinese pages are indexed from the moment the pages are read (`search.start_index`);
    a rebuild of `mkdocs serve` that fails before its end leaves that run going, which must not
    go on writing into the bundle of the next build."""
    site = tmp_path / "site"
    (site / "p").mkdir(parents=True)
    (site / "p" / "index.html").write_text(
        '<!doctype html><html lang="en"><body><article class="md-content__inner">'
        "<h1>Erosion</h1></article></body></html>",
        encoding="utf-8",
    )
    chinese = {"p/index.html": '<!doctype html><html lang="zh"><body><h1>侵蚀</h1></body></html>'}
    failed = Index(str(site), chinese)
    left = failed._chinese
    assert left is not None
    assert left.poll() is None  # Pagefind takes most of a second to start
    again = Index(str(site), chinese)
    assert left.returncode == -signal.SIGKILL
    assert again.finish() == (1, 1)
    assert (site / "pagefind-zh" / "pagefind-entry.json").is_file()


@pytest.fixture(scope="module")
def site_at_100(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project with 100 generated studies (`make bench`'s corpus), built strictly."""
    folder = tmp_path_factory.mktemp("search-100")
    generate(folder / "seeds", 100)
    project = make_project(folder, folder / "seeds")
    result = build(project, folder / "site")
    assert result.returncode == 0, result.stderr[-3000:]
    return folder / "site"


def test_the_built_search_script_names_each_bundles_metadata(site_at_100: Path) -> None:
    """The script fetches the metadata under the name the build wrote into it (`META`), as
    Pagefind will ask for it: a name out of step with the bundle would cost the round trip
    the name saves."""
    script = (site_at_100 / "assets" / "search.js").read_text("utf-8")
    (line,) = [line for line in script.splitlines() if "const META = " in line]
    named = json.loads(line.split("const META = ", 1)[1].removesuffix(";"))
    assert sorted(named) == ["pagefind", "pagefind-zh"]
    for bundle, languages in named.items():
        entry = json.loads((site_at_100 / bundle / "pagefind-entry.json").read_text("utf-8"))
        assert languages == {lang: index["hash"] for lang, index in entry["languages"].items()}
        for name in languages.values():
            assert (site_at_100 / bundle / f"pagefind.{name}.pf_meta").is_file()


def _utf8(word: str) -> bytes:
    return word.encode("utf-8")  # Pagefind orders words by their bytes


def test_each_bundle_lists_its_chunks_in_word_order(site_at_100: Path) -> None:
    """`chunks.json` names every index chunk of its bundle once, with the first and last words
    it holds, in order and without overlap: from it the browser picks the chunks of a word as
    it is typed."""
    for bundle in ("pagefind", "pagefind-zh"):
        listed = json.loads((site_at_100 / bundle / "chunks.json").read_text("utf-8"))
        entry = json.loads((site_at_100 / bundle / "pagefind-entry.json").read_text("utf-8"))
        assert sorted(listed) == sorted(entry["languages"])
        chunks = [chunk for language in sorted(listed) for chunk in listed[language]]
        on_disk = sorted(path.stem for path in (site_at_100 / bundle / "index").glob("*.pf_index"))
        assert sorted(file for _, _, file in chunks) == on_disk
        for language, ranges in listed.items():
            for first, last, _ in ranges:
                assert _utf8(first) <= _utf8(last), (bundle, language, first, last)
            for (_, last, _), (first, _, _) in pairwise(ranges):
                assert _utf8(last) < _utf8(first), (bundle, language, last, first)


@pytest.fixture(scope="module")
def url_at_100(site_at_100: Path) -> Iterator[str]:
    with serve(site_at_100) as url:
        yield url


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    opened.requested = []
    opened.on("request", lambda request: opened.requested.append(request.url))
    opened.errors = []
    opened.on("console", lambda m: m.type == "error" and opened.errors.append(m.text))
    opened.on("pageerror", lambda error: opened.errors.append(str(error)))
    yield opened
    context.close()


# Marked words run into the next or the last word of their excerpt (a Latin letter on both sides).
GLUED = """() => [...document.querySelectorAll(".md-search-result__item mark")].flatMap((m) => {
  const after = m.nextSibling?.textContent ?? "";
  const before = m.previousSibling?.textContent ?? "";
  const latin = /[A-Za-z\u00c0-\u024f]/;
  const glued = latin.test(after.slice(0, 1)) || latin.test(before.slice(-1));
  return glued ? [`${before.slice(-12)}[${m.textContent}]${after.slice(0, 12)}`] : [];
})"""


def _search(page: Any, query: str) -> list[str]:
    """Open the search with "/", type `query` as a reader does; the marked words of the shown
    results."""
    page.keyboard.press("/")
    page.keyboard.type(query, delay=30)
    page.locator(".md-search-result__item:not([hidden]) a").first.wait_for(timeout=20_000)
    return [m.lower() for m in page.locator(".md-search-result__item mark").all_inner_texts()]


@pytest.mark.parametrize("query", QUERIES)
def test_a_page_fetches_no_index_until_the_search_is_used(
    page: Any, url_at_100: str, query: str
) -> None:
    page.goto(f"{url_at_100}/topics/crmo/")
    page.wait_for_load_state("networkidle")
    assert [url for url in page.requested if "/pagefind" in url] == []
    marked = _search(page, query)
    assert query.lower() in marked, marked
    assert page.evaluate(GLUED) == []  # an excerpt keeps the spaces around its marked words
    assert any("/pagefind/pagefind.js" in url for url in page.requested)
    assert page.errors == []


def _index_chunks(page: Any) -> set[str]:
    return {url.split("/pagefind")[1] for url in page.requested if ".pf_index" in url}


@pytest.mark.parametrize("query", QUERIES)
def test_the_chunks_of_a_word_are_fetched_before_pagefind_has_arrived(
    browser: Any, url_at_100: str, query: str
) -> None:
    """On a slow line Pagefind's script, WebAssembly and metadata take a second to arrive, and
    only then could it ask for the index chunk of the word typed. Typed without the chunk list,
    a query shows which chunks Pagefind asks for; typed with Pagefind's script withheld, the
    page fetches them all the same, from the chunk list alone."""
    asked: dict[str, set[str]] = {}
    for withheld in ("**/chunks.json*", "**/pagefind/pagefind.js"):
        context = browser.new_context()
        context.route(withheld, lambda route: route.abort())
        opened = context.new_page()
        opened.requested = []
        opened.on("request", lambda request, o=opened: o.requested.append(request.url))
        opened.goto(f"{url_at_100}/topics/crmo/")
        opened.keyboard.press("/")
        opened.keyboard.type(query, delay=30)
        if withheld.endswith("chunks.json*"):
            opened.locator(".md-search-result__item:not([hidden]) a").first.wait_for(timeout=20_000)
            asked["by Pagefind"] = _index_chunks(opened)
        else:
            opened.locator(".md-search-result__meta").filter(has_text="pagefind.js").wait_for()
            for _ in range(40):  # the chunks come one round trip after the chunk list
                if asked["by Pagefind"] <= _index_chunks(opened):
                    break
                opened.wait_for_timeout(250)
            asked["before Pagefind"] = _index_chunks(opened)
        context.close()
    assert asked["by Pagefind"]
    assert asked["by Pagefind"] <= asked["before Pagefind"], asked


def test_the_keyboard_opens_searches_and_follows_a_result(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/")
    _search(page, "CRMO")
    assert page.evaluate("document.activeElement.classList.contains('md-search__input')")
    page.keyboard.press("ArrowDown")
    target = page.evaluate("document.activeElement.getAttribute('href')")
    assert target
    assert page.evaluate("document.activeElement.closest('.md-search-result__item')")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{target.split('#')[0].lstrip('.')}**")
    page.keyboard.press("/")
    assert page.locator("#__search").is_checked()
    page.keyboard.press("Escape")
    assert not page.locator("#__search").is_checked()


def test_search_in_the_dark_palette_has_no_accessibility_violation(
    page: Any, base_url: str
) -> None:
    page.goto(f"{base_url}/")
    page.locator("form[data-md-component='palette'] label:visible").first.click()
    assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
    _search(page, "synthetic")
    page.locator(".pagefind-filters select").first.wait_for(timeout=20_000)
    violations = axe_violations(page)
    assert violations == [], describe_violations(violations)


def test_search_from_a_file_says_why_it_cannot(page: Any, built_site: Path) -> None:
    page.goto((built_site / "index.html").as_uri())
    page.keyboard.press("/")
    page.keyboard.type("CRMO")
    status = page.locator(".md-search-result__meta")
    status.filter(has_text="served over HTTP").wait_for(timeout=10_000)
    assert [url for url in page.requested if "/pagefind" in url] == []
