"""The built site in a real browser (Debian's Chromium via Playwright) and real checkers:
axe-core for accessibility, the Nu HTML Checker, and lychee for links and fragments."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import ROOT, missing, require_tool

TOPICS = ("isotretinoin-sacroiliitis", "crmo", "regional-migratory-osteoporosis", "synthetic-ct")
SCREENSHOTS = ROOT / "tests" / "artifacts" / "screenshots"


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    opened.console_errors = []
    opened.on("console", lambda m: m.type == "error" and opened.console_errors.append(m.text))
    opened.on("pageerror", lambda e: opened.console_errors.append(str(e)))
    yield opened
    context.close()


@pytest.mark.parametrize("topic", TOPICS)
def test_topic_page_shows_its_tables_without_console_errors(
    page: Any, base_url: str, topic: str
) -> None:
    page.goto(f"{base_url}/topics/{topic}/")
    table = page.locator("article table").first
    assert table.is_visible()
    assert page.locator("article table tbody tr").count() >= 1
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{topic}.png"), full_page=True)
    assert page.console_errors == []


def test_clicking_a_citation_lands_on_its_reference(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/topics/synthetic-ct/")
    citation = page.locator("a.citation").first
    target = citation.get_attribute("href")
    citation.click()
    assert page.url.endswith(target)
    reference = page.locator(f"li{target}")
    assert reference.is_visible()
    assert reference.bounding_box()["y"] < 900


def test_a_value_link_lands_on_its_quote(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/topics/isotretinoin-sacroiliitis/")
    page.locator("article table a[href*='#finding-']").first.click()
    page.wait_for_url("**/studies/**#finding-*")  # the click navigates: wait for the new page
    assert "/studies/" in page.url
    assert "#finding-" in page.url
    anchor = page.url.split("#", 1)[1]
    heading = page.locator(f"[id='{anchor}']")
    heading.wait_for(state="visible", timeout=10_000)
    quote = page.locator(f"[id='{anchor}'] ~ blockquote.quote").first
    assert quote.is_visible()
    assert quote.inner_text().strip()


@pytest.mark.parametrize(
    ("query", "expected_page"),
    [
        ("CRMO", "topics/crmo/"),
        ("synthetic CT", "topics/synthetic-ct/"),
        ("侵蚀", "studies/jans-nd-synthetic-ct/"),
    ],  # 侵蚀 (erosion): only in a quoted sentence
)
def test_search_finds_terms_in_english_and_chinese(
    page: Any, base_url: str, query: str, expected_page: str
) -> None:
    page.goto(f"{base_url}/")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    box = page.locator("input.md-search__input")
    box.fill(query)
    box.press("End")  # the key event a keyboard or an IME ends with; Material listens for it
    results = page.locator(".md-search-result__item a")
    results.first.wait_for(timeout=15000)
    links = [results.nth(i).get_attribute("href") for i in range(results.count())]
    assert any(expected_page in (link or "") for link in links), links


def test_dark_palette_toggles(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/")
    body = page.locator("body")
    before = body.get_attribute("data-md-color-scheme")
    page.locator("form[data-md-component='palette'] label:visible").first.click()
    after = body.get_attribute("data-md-color-scheme")
    assert {before, after} == {"default", "slate"}


def test_nu_html_checker_finds_no_error(built_site: Path) -> None:
    java = require_tool("java")
    jar = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
    if not jar.exists():
        missing("node_modules/vnu-jar is missing", "run `npm ci` (.ci/run does)")
    run = subprocess.run(
        [java, "-jar", str(jar), "--errors-only", "--skip-non-html", str(built_site)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-5000:]


def test_lychee_finds_no_broken_link_or_fragment(built_site: Path) -> None:
    lychee = require_tool("lychee")
    run = subprocess.run(
        [
            lychee,
            "--offline",
            "--include-fragments",
            "--no-progress",
            "--index-files",
            "index.html",
            "--root-dir",
            str(built_site),
            str(built_site),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout[-5000:] + run.stderr[-2000:]
