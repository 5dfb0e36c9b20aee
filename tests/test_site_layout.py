"""The built site's layout in a real browser, on a phone (390 x 844) and a laptop (1366 x 900):
nothing runs off the screen, every table cell can be read in full, the review notice is seen
without scrolling, forest plots are described and link to real study pages, and axe-core finds
no serious violation at either size (issue 13).

Each page at each size is saved as a full-page screenshot in a pytest temporary folder, and in
`$SCREENSHOT_DIR` when it is set. The Nu HTML Checker's verdict on the same pages is
tests/test_site_browser.py's (it reads the built files; the viewport changes nothing there).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from macros.cards.cardfiles import load_cards
from macros.cards.model import DIAGNOSTIC_METRICS

from .browser import axe_violations, describe_violations
from .conftest import ROOT, missing

SIZES = {"phone": (390, 844), "laptop": (1366, 900)}
TOPICS = tuple(sorted(path.stem for path in (ROOT / "docs" / "topics").glob("*.md")))
# Two study pages, chosen by reading their cards: the one with the most cases (a case series,
# its cases as tables) and a diagnostic-accuracy study (sensitivity, specificity, accuracy
# against a comparator). `test_the_two_study_pages_are_still_what_they_were_chosen_for` says
# so when a card changes.
CASES_STUDY = "sacroiliitis-during-isotretinoin-nd-isotretinoin-sacroiliitis"
DIAGNOSTIC_STUDY = "jans-nd-synthetic-ct"
PAGES = (
    *(f"topics/{topic}/" for topic in TOPICS),
    f"studies/{CASES_STUDY}/",
    f"studies/{DIAGNOSTIC_STUDY}/",
)

# What runs off the screen. An element is out of bounds when its box reaches left of 0 or right
# of the viewport, unless an element between it and <body> clips it (overflow other than
# visible) and lies inside the viewport itself (a table scrolling sideways in its wrapper).
# <html> and <body> never count as that clip (Material sets `overflow-x: hidden` on <html>,
# which would excuse everything). Not looked at, by design: elements that are not rendered
# (`checkVisibility`: display none, [hidden], visibility hidden, closed <details>), zero-sized
# ones, and two of Material's off-canvas parts while closed: the navigation drawer
# (`.md-sidebar--primary` unless #__drawer is checked) and the search overlay (`.md-search`
# unless #__search is checked).
OUT_OF_BOUNDS_JS = """
(selector) => {
  const width = document.documentElement.clientWidth;
  const drawerOpen = document.getElementById('__drawer')?.checked ?? false;
  const searchOpen = document.getElementById('__search')?.checked ?? false;
  const inside = (r) => r.left >= -1 && r.right <= width + 1;
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (typeof el.className === 'string' && el.className.trim()
      ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  const found = [];
  for (const el of document.querySelectorAll(selector)) {
    if (!drawerOpen && el.closest('.md-sidebar--primary')) continue;
    if (!searchOpen && el.closest('.md-search')) continue;
    if (!el.checkVisibility({visibilityProperty: true})) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || inside(r)) continue;
    let clipped = false;
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== 'visible' && inside(a.getBoundingClientRect())) {
        clipped = true;
        break;
      }
    }
    if (!clipped) {
      found.push(`${name(el)} spans ${Math.round(r.left)}..${Math.round(r.right)} px` +
        ` (viewport ${width} px): "${(el.textContent || '').trim().slice(0, 50)}"`);
    }
  }
  return found;
}
"""

# Every table cell's text can be read in full. A cell fails when text in it is cut (it or an
# element in it has overflow hidden or clip, or text-overflow ellipsis, with more content than
# box), when an ancestor clips it without letting the reader scroll, or when the ancestor that
# scrolls it is not itself on screen or cannot scroll as far as the cell. A header row hidden
# on purpose (the phone layout keeps it for screen readers, 1 px and clipped) passes only when
# every cell of its table shows its column's name instead (`data-label`, drawn by ::before).
CUT_CELLS_JS = """
(selector) => {
  const width = document.documentElement.clientWidth;
  const scrolls = (v) => v === 'auto' || v === 'scroll';
  const clips = (v) => v === 'hidden' || v === 'clip';
  const hiddenOnPurpose = (el) => {
    const r = el.getBoundingClientRect();
    return r.width <= 1 && r.height <= 1 && clips(getComputedStyle(el).overflowX);
  };
  const problems = [];
  const tables = [...document.querySelectorAll(selector)];
  tables.forEach((table, t) => {
    const where = (cell) => `table ${t + 1}, ${cell.tagName.toLowerCase()} ` +
      `"${(cell.textContent || '').trim().slice(0, 40)}"`;
    const head = table.querySelector(':scope > thead');
    if (head && hiddenOnPurpose(head)) {
      for (const td of table.querySelectorAll(':scope > tbody > tr > td')) {
        const shown = getComputedStyle(td, '::before').content;
        if (!td.dataset.label || shown === 'none' || shown === 'normal') {
          problems.push(`${where(td)}: its header row is hidden, and it shows no label`);
        }
      }
    }
    for (const cell of table.querySelectorAll(':scope > * > tr > :is(td, th)')) {
      if (head && head.contains(cell) && hiddenOnPurpose(head)) continue;
      if (!cell.checkVisibility({visibilityProperty: true})) continue;
      for (const el of [cell, ...cell.querySelectorAll('*')]) {
        if (!el.checkVisibility({visibilityProperty: true})) continue;
        const s = getComputedStyle(el);
        const wide = el.scrollWidth > el.clientWidth + 1;
        const tall = el.scrollHeight > el.clientHeight + 1;
        if ((clips(s.overflowX) && wide) || (clips(s.overflowY) && tall) ||
            (s.textOverflow === 'ellipsis' && wide)) {
          problems.push(`${where(cell)}: text cut inside ${el.tagName.toLowerCase()}`);
        }
      }
      const r = cell.getBoundingClientRect();
      let scrolled = false;
      for (let a = cell.parentElement; a && a !== document.body; a = a.parentElement) {
        const s = getComputedStyle(a);
        const ar = a.getBoundingClientRect();
        const out = r.left < ar.left - 1 || r.right > ar.right + 1;
        if (scrolls(s.overflowX) && out) {
          const left = r.left - ar.left - a.clientLeft + a.scrollLeft;
          if (ar.left < -1 || ar.right > width + 1) {
            problems.push(`${where(cell)}: scrolls in a box that is itself off screen`);
          } else if (left < -1 || left + r.width > a.scrollWidth + 1) {
            problems.push(`${where(cell)}: beyond where its box can scroll`);
          }
          scrolled = true;
        } else if (clips(s.overflowX) && out) {
          problems.push(`${where(cell)}: cut off by ${a.tagName.toLowerCase()}` +
            ` (overflow ${s.overflowX})`);
        }
        if (clips(s.overflowY) && (r.top < ar.top - 1 || r.bottom > ar.bottom + 1)) {
          problems.push(`${where(cell)}: cut off below by ${a.tagName.toLowerCase()}`);
        }
      }
      if (!scrolled && (r.left < -1 || r.right > width + 1)) {
        problems.push(`${where(cell)}: off screen (${Math.round(r.left)}..` +
          `${Math.round(r.right)} px of ${width})`);
      }
    }
  });
  return problems;
}
"""

REVIEW_NOTICE_JS = """
() => {
  const notice = document.querySelector('.review-notice');
  if (!notice) return null;
  const r = notice.getBoundingClientRect();
  return {top: r.top, height: r.height, viewport: window.innerHeight, scrolled: window.scrollY,
          shown: notice.checkVisibility({visibilityProperty: true, opacityProperty: true})};
}
"""

FOREST_PLOTS_JS = """
() => [...document.querySelectorAll('figure.forest-plot svg')].map((svg) => {
  const sizes = [...svg.querySelectorAll('text')].map((text) => {
    const m = text.getScreenCTM();
    return parseFloat(getComputedStyle(text).fontSize) * (m ? Math.hypot(m.a, m.b) : 1);
  });
  const drawn = svg.viewBox.baseVal;
  return {
    id: svg.id,
    title: (svg.querySelector(':scope > title')?.textContent || '').trim(),
    desc: (svg.querySelector(':scope > desc')?.textContent || '').trim(),
    links: [...svg.querySelectorAll('a')].map((a) => new URL(a.href.baseVal, location.href).href),
    smallestText: sizes.length ? Math.min(...sizes) : null,
    scale: drawn && drawn.width ? svg.getBoundingClientRect().width / drawn.width : null,
  };
})
"""

# What scrolls sideways, and whether it says so: a table's wrapper (`.md-typeset__scrollwrap`,
# Material's) or a forest plot wider than the screen. The cue in words is the ::before of the
# table's `.md-typeset__table` or of the figure (docs/stylesheets/extra.css, shown where the
# browser can tell that the box scrolls: Chromium's `scroll-state` container queries).
SCROLLING_JS = """
() => [...document.querySelectorAll('article .md-typeset__scrollwrap, article figure.forest-plot')]
  .filter((box) => box.scrollWidth > box.clientWidth + 1)
  .map((box) => {
    const table = box.querySelector(':scope > .md-typeset__table');
    const first = box.querySelector('table > * > tr > :first-child');
    return {
      what: table ? 'table' : 'plot',
      text: (box.textContent || '').trim().slice(0, 60),
      cue: getComputedStyle(table || box, '::before').content,
      firstColumn: first ? getComputedStyle(first).position : null,
    };
  })
"""

# On paper: each table whole and as a table (its header row shown, no cell sticky), within the
# page's width, and the clinical course of each case (a <details> on screen) printed open.
PRINT_JS = """
() => {
  const width = document.documentElement.clientWidth;
  const problems = [];
  document.querySelectorAll('article table').forEach((table, t) => {
    const r = table.getBoundingClientRect();
    if (r.left < -1 || r.right > width + 1) problems.push(`table ${t + 1} is wider than the page`);
    if (getComputedStyle(table).display !== 'table') problems.push(`table ${t + 1} is no table`);
    const head = table.querySelector(':scope > thead');
    if (head && head.getBoundingClientRect().height <= 1) {
      problems.push(`table ${t + 1}: its header row is hidden`);
    }
    for (const cell of table.querySelectorAll(':scope > * > tr > *')) {
      if (getComputedStyle(cell).position === 'sticky') {
        problems.push(`table ${t + 1}: a sticky cell`);
        break;
      }
    }
  });
  document.querySelectorAll('article details').forEach((details, d) => {
    const body = [...details.children].filter((el) => el.tagName !== 'SUMMARY');
    const text = [...details.childNodes].some((node) => node.nodeType === Node.TEXT_NODE &&
      node.textContent.trim());
    const shown = body.every((el) => el.checkVisibility({contentVisibilityAuto: true}) &&
      el.getBoundingClientRect().height > 0);
    const summary = details.querySelector(':scope > summary');
    const tall = details.getBoundingClientRect().height >
      (summary ? summary.getBoundingClientRect().height : 0) + 1;
    if (!shown || ((body.length || text) && !tall)) {
      problems.push(`details ${d + 1} is printed closed`);
    }
  });
  return problems;
}
"""

TABLES = "article table"
EVERYTHING = "body *"


@pytest.fixture(scope="module")
def screenshot_dirs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folders = [tmp_path_factory.mktemp("screenshots")]
    if os.environ.get("SCREENSHOT_DIR"):
        folders.append(Path(os.environ["SCREENSHOT_DIR"]))
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
    return folders


def _open(context: Any, base_url: str, path: str) -> Any:
    """A page of the site in a new tab, once Material has wrapped its tables."""
    page = context.new_page()
    page.goto(f"{base_url}/{path}")
    page.wait_for_function(
        "document.querySelectorAll('article table').length"
        " === document.querySelectorAll('article .md-typeset__scrollwrap table').length"
    )
    return page


@pytest.fixture(scope="module")
def loaded(browser: Any, base_url: str) -> Iterator[Callable[[str, str], Any]]:
    """A page at a size of `SIZES`, opened once for the module's checks, which only read it."""
    contexts = {
        size: browser.new_context(viewport={"width": width, "height": height})
        for size, (width, height) in SIZES.items()
    }
    pages: dict[tuple[str, str], Any] = {}

    def get(path: str, size: str) -> Any:
        if (path, size) not in pages:
            pages[path, size] = _open(contexts[size], base_url, path)
        return pages[path, size]

    yield get
    for context in contexts.values():
        context.close()


@pytest.fixture
def fresh_page(browser: Any, base_url: str) -> Iterator[Callable[[str, str], Any]]:
    """A page of its own, for a test that changes it."""
    contexts: list[Any] = []

    def opener(path: str, size: str) -> Any:
        width, height = SIZES[size]
        contexts.append(browser.new_context(viewport={"width": width, "height": height}))
        return _open(contexts[-1], base_url, path)

    yield opener
    for context in contexts:
        context.close()


def _cases(path: str) -> list[tuple[str, str]]:
    return [(path, size) for size in SIZES]


ALL = [case for path in PAGES for case in _cases(path)]


def _ids(case: tuple[str, str]) -> str:
    return f"{case[0].strip('/').replace('/', '-')}@{case[1]}"


@pytest.mark.parametrize("case", ALL, ids=_ids)
def test_nothing_runs_off_the_screen(
    loaded: Callable[[str, str], Any], screenshot_dirs: list[Path], case: tuple[str, str]
) -> None:
    path, size = case
    page = loaded(path, size)
    for folder in screenshot_dirs:
        page.screenshot(path=str(folder / f"{_ids(case)}.png"), full_page=True)
    found = page.evaluate(OUT_OF_BOUNDS_JS, EVERYTHING)
    assert found == [], found[:10]
    width = page.evaluate("document.documentElement.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_the_off_screen_check_finds_a_wide_element(
    fresh_page: Callable[[str, str], Any],
) -> None:
    """Not vacuous: a 2000 px wide block is found; the same block in a box that scrolls is not;
    a cell whose text is cut is found."""
    page = fresh_page(f"topics/{TOPICS[0]}/", "phone")
    assert page.evaluate(OUT_OF_BOUNDS_JS, EVERYTHING) == []
    page.evaluate(
        """() => {
          const article = document.querySelector('article');
          article.insertAdjacentHTML('beforeend',
            '<div id="wide-probe" style="width: 2000px">wide probe</div>' +
            '<div style="overflow-x: auto"><div id="scrolled-probe" style="width: 2000px">' +
            'scrolled probe</div></div>' +
            '<table><thead><tr><th>H</th></tr></thead><tbody><tr><td id="cut-probe">' +
            '<div style="width: 3em; overflow: hidden; white-space: nowrap">' +
            'a sentence much longer than its box</div></td></tr></tbody></table>');
        }"""
    )
    found = page.evaluate(OUT_OF_BOUNDS_JS, EVERYTHING)
    assert any(line.startswith("div#wide-probe") for line in found), found
    assert not any("scrolled-probe" in line for line in found), found
    cut = page.evaluate(CUT_CELLS_JS, TABLES)
    assert any("text cut inside div" in line for line in cut), cut


@pytest.mark.parametrize("case", ALL, ids=_ids)
def test_every_table_cell_can_be_read_in_full(
    loaded: Callable[[str, str], Any], case: tuple[str, str]
) -> None:
    page = loaded(*case)
    assert page.locator(TABLES).count() > 0
    problems = page.evaluate(CUT_CELLS_JS, TABLES)
    assert problems == [], problems[:10]


@pytest.mark.parametrize("case", ALL, ids=_ids)
def test_what_scrolls_sideways_says_so(
    loaded: Callable[[str, str], Any], case: tuple[str, str]
) -> None:
    """On a phone a table is a stack of cards, never a strip to scroll; wherever a table or a
    plot is wider than the screen, a line of text says so, and a table keeps its first column
    in view while the others scroll."""
    path, size = case
    scrolling = loaded(path, size).evaluate(SCROLLING_JS)
    if size == "phone":
        assert [box for box in scrolling if box["what"] == "table"] == [], scrolling
    for box in scrolling:
        assert box["cue"] not in ("none", "normal", ""), box
        if box["what"] == "table":
            assert box["firstColumn"] == "sticky", box


def test_a_wide_table_on_a_laptop_keeps_its_first_column_and_says_it_scrolls(
    fresh_page: Callable[[str, str], Any],
) -> None:
    """The real tables fit a laptop today: a table of 14 columns, as Material wraps one, shows
    the cue and the sticky first column (and the check above would see a table without)."""
    page = fresh_page(f"topics/{TOPICS[0]}/", "laptop")
    page.evaluate(
        """() => {
          const cells = (tag) => Array.from({length: 14}, (_, i) =>
            `<${tag}>${tag === 'th' ? 'Column' : 'a value of some length'} ${i + 1}</${tag}>`
          ).join('');
          document.querySelector('article').insertAdjacentHTML('afterbegin',
            '<div class="md-typeset__scrollwrap"><div class="md-typeset__table"><table>' +
            `<thead><tr>${cells('th')}</tr></thead><tbody><tr>${cells('td')}</tr></tbody>` +
            '</table></div></div>');
        }"""
    )
    # The cue follows a `scroll-state` container query, which the browser updates on a later
    # frame than the one that inserted the table: wait for it (up to 5 s), then look.
    page.wait_for_function(
        f"() => ({SCROLLING_JS.strip()})().some((box) => box.cue.startsWith('\"Wide table'))",
        timeout=5_000,
    )
    scrolling = page.evaluate(SCROLLING_JS)
    assert [box["what"] for box in scrolling] == ["table"], scrolling
    assert scrolling[0]["cue"].startswith('"Wide table'), scrolling
    assert scrolling[0]["firstColumn"] == "sticky", scrolling


@pytest.mark.parametrize("case", ALL, ids=_ids)
def test_the_review_notice_is_in_the_first_screen(
    loaded: Callable[[str, str], Any], case: tuple[str, str]
) -> None:
    notice = loaded(*case).evaluate(REVIEW_NOTICE_JS)
    if notice is None:
        return  # `test_topic_and_study_pages_have_a_review_notice` asks for one
    assert notice["shown"], notice
    assert notice["scrolled"] == 0, notice
    assert 0 <= notice["top"] < notice["viewport"], notice


def test_topic_and_study_pages_have_a_review_notice(built_site: Path) -> None:
    missing = [path for path in PAGES if "review-notice" not in _classes(built_site / path)]
    if missing:
        _contract_missing(f"no .review-notice on {missing}")


@pytest.mark.parametrize(
    "case", [case for topic in TOPICS for case in _cases(f"topics/{topic}/")], ids=_ids
)
def test_forest_plots_are_described_and_link_to_study_pages(
    loaded: Callable[[str, str], Any], built_site: Path, base_url: str, case: tuple[str, str]
) -> None:
    plots = loaded(*case).evaluate(FOREST_PLOTS_JS)
    for plot in plots:
        assert plot["title"], f"{plot['id']}: no <title>"
        assert plot["desc"], f"{plot['id']}: no <desc>"
        assert plot["links"], f"{plot['id']}: no study links"
        for link in plot["links"]:
            assert link.startswith(f"{base_url}/studies/"), link
            assert _resolves(built_site, link.removeprefix(base_url)), link
        # Shown no smaller than drawn (a phone scrolls it): its text stays as legible as drawn.
        assert plot["scale"] is not None, f"{plot['id']}: no viewBox"
        assert plot["scale"] >= 0.99, (
            f"{plot['id']} is shown at {plot['scale']:.2f} of its drawn size: its smallest text"
            f" is {plot['smallestText']:.1f} px"
        )


def test_some_topic_page_has_a_forest_plot(loaded: Callable[[str, str], Any]) -> None:
    """The check above passes on a page without plots; the contract wants some."""
    count = "document.querySelectorAll('figure.forest-plot svg').length"
    if not any(loaded(f"topics/{topic}/", "laptop").evaluate(count) for topic in TOPICS):
        _contract_missing("no topic page has a forest plot (figure.forest-plot svg)")


@pytest.mark.parametrize("case", ALL, ids=_ids)
def test_no_serious_accessibility_violation_at_either_size(
    loaded: Callable[[str, str], Any], case: tuple[str, str]
) -> None:
    violations = axe_violations(loaded(*case))
    assert not violations, describe_violations(violations)


@pytest.mark.parametrize("path", PAGES)
def test_print_shows_every_table_whole_and_every_case_open(
    fresh_page: Callable[[str, str], Any], path: str
) -> None:
    page = fresh_page(path, "phone")  # the layout a phone would print from
    page.emulate_media(media="print")
    assert page.evaluate(PRINT_JS) == []
    assert page.evaluate(CUT_CELLS_JS, TABLES) == []


def test_the_two_study_pages_are_still_what_they_were_chosen_for() -> None:
    cards = {card.id: card for card in load_cards(ROOT / "docs" / "cards")}
    assert cards[CASES_STUDY].cases, f"{CASES_STUDY} has no cases any more: choose another"
    metrics = {finding.metric for finding in cards[DIAGNOSTIC_STUDY].findings}
    assert metrics & set(DIAGNOSTIC_METRICS), f"{DIAGNOSTIC_STUDY}: no diagnostic finding"


def _contract_missing(what: str) -> None:
    """Part of the page contract of issue 13 is not built: a failure under CI=true, where the
    whole contract must hold; a skip locally, with the reason."""
    missing(what, "the pages of issue 13 require it")


class _Attributes(HTMLParser):
    """The ids and classes of a built page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.classes: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            elif name == "class" and value:
                self.classes.update(value.split())


def _parsed(folder: Path) -> _Attributes:
    parser = _Attributes()
    parser.feed((folder / "index.html").read_text(encoding="utf-8"))
    return parser


def _classes(folder: Path) -> set[str]:
    return _parsed(folder).classes


def _resolves(built_site: Path, url_path: str) -> bool:
    """A site-absolute link (`/studies/x/#finding-2`) names a built page, and an id in it."""
    parts = urlsplit(url_path)
    folder = built_site / unquote(parts.path).strip("/")
    if not (folder / "index.html").is_file():
        return False
    return not parts.fragment or unquote(parts.fragment) in _parsed(folder).ids
