"""Search in a browser: bytes a first visit and a search transfer, and seconds to results.

Usage: python benchmarks/search_bench.py SITE_DIR [--slow] [--runs 3] [--page topics/crmo/]
        [--query sacroiliitis ostéomyélite 侵蚀] [--json OUT]

SITE_DIR is served as a static host serves it: text gzip-compressed when the browser asks
(GitHub Pages does so); Pagefind's index files are gzip files already. Each run is a fresh
browser context (empty cache): Chromium (Debian's, via Playwright) opens the page, then a reader
presses "/" and types the query, a letter every 120 ms. --slow: DevTools' "Fast 3G" (562.5 ms
latency, 1.44 Mbit/s down, 675 kbit/s up) and a CPU four times slower.

The letters are typed on the reader's clock, as input events a timer of the page sends into the
search field (`TYPE`): a reader does not wait for the page to take a key before pressing the
next, and a page busy searching gets the keys typed meanwhile late, all at once, as it would
from a keyboard. (Playwright's keyboard sends a key only once the page has taken the one
before: a page that is slow while the reader types would slow the typing, and so be given more
time before the last key than a reader gives it.) A Chinese query is typed through a pinyin
input method: one key per letter, no text in the field meanwhile, then the word at once.

Per query it reports, as medians of the runs with their range:
- the first visit's bytes (the network's: headers and compressed bodies), and whether it fetched
  anything of the search index;
- the search's bytes, from "/" until the network is quiet after the results;
- `open_to_results`: from "/" to the first result on screen, typing included (a 12-letter word
  takes 1.3 s to type);
- `keystroke_to_results`: from the reader's last keystroke (for Chinese, the input method's
  commit) to the first result on screen: what a reader waits for once the query is typed;
- `key_taken_late`: how long after the reader's last keystroke the page took it.
Times are taken in the page (`performance.now()`), so no round trip to Playwright is in them.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, Request, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the tests' local server
from tests.browser import QuietHandler, serve

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
COMPRESSED = {".html", ".css", ".js", ".json", ".svg", ".xml", ".map", ".txt"}
KEY_DELAY_MS = 120
# A Chinese query is typed as a reader types it, through a pinyin input method: one key per
# letter (no text reaches the field meanwhile), then the word, committed at once.
PINYIN = {"侵蚀": "qinshi"}
# In the page, once "/" has opened the search: the query's letters (or the input method's word)
# put into the focused field, each with its input event, at the reader's times from now.
TYPE = """([letters, delay, first]) => {
  const field = document.activeElement;
  const start = performance.now();
  letters.forEach((text, i) => setTimeout(() => {
    field.value += text;
    const typing = { bubbles: true, data: text, inputType: "insertText" };
    field.dispatchEvent(new InputEvent("input", typing));
  }, first + i * delay));
  window.__search.typed = start + first + (letters.length - 1) * delay;
}"""
QUIET_S = 1.5  # the network is quiet when no request finished for this long
FAST_3G = {
    "offline": False,
    "latency": 150 * 3.75,  # DevTools' preset: 562.5 ms, 1.6 Mbit/s * 0.9, 750 kbit/s * 0.9
    "downloadThroughput": 1.6 * 1024 * 1024 / 8 * 0.9,
    "uploadThroughput": 750 * 1024 / 8 * 0.9,
}
# In the page: when the search opened, when the page took the last keystroke (its input event),
# and the first result on screen.
CLOCK = """
window.__search = {};
document.addEventListener("keydown", (e) => {
  if (e.key === "/" && window.__search.open === undefined) window.__search.open = performance.now();
}, true);
document.addEventListener("input", () => { window.__search.key = performance.now(); }, true);
new MutationObserver(() => {
  const list = document.querySelector(".md-search-result__list");
  const query = window.__search.query;  // the whole query, set before typing starts
  if (window.__search.result === undefined && query && list?.dataset.query === query
      && list.querySelector(".md-search-result__item:not([hidden]) a")) {
    window.__search.result = performance.now();
  }
}).observe(document, { subtree: true, childList: true, attributes: true });
"""


class _GzipHandler(QuietHandler):
    """What GitHub Pages does: gzip for text, and every file fresh for ten minutes."""

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

    def send_head(self) -> Any:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        gzipped = "gzip" in self.headers.get("Accept-Encoding", "")
        if not gzipped or path.suffix not in COMPRESSED or not path.is_file():
            return super().send_head()  # end_headers adds Cache-Control
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        return None


class Traffic:
    """Bytes on the wire per finished request."""

    def __init__(self, page: Page) -> None:
        self.finished: list[tuple[str, int]] = []
        self.last = time.monotonic()
        page.context.on("requestfinished", self._done)

    def _done(self, request: Request) -> None:
        self.last = time.monotonic()
        if not request.url.startswith("data:"):
            sizes = request.sizes()
            size = sizes["responseBodySize"] + sizes["responseHeadersSize"]
            self.finished.append((request.url, size))

    def quiet(self, page: Page) -> None:
        while time.monotonic() - self.last < QUIET_S:
            page.wait_for_timeout(250)


def one_run(browser: Browser, base: str, page_path: str, query: str, slow: bool) -> dict[str, Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(CLOCK)
    page = context.new_page()
    traffic = Traffic(page)
    if slow:
        session = context.new_cdp_session(page)
        session.send("Network.enable")
        session.send("Network.emulateNetworkConditions", FAST_3G)
        session.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    page.goto(base + page_path, wait_until="load", timeout=300_000)  # 6 MB of HTML at 5,000
    traffic.quiet(page)
    visit = list(traffic.finished)
    page.evaluate("(query) => { window.__search.query = query; }", query)
    page.keyboard.press("/")
    if query in PINYIN:  # an input method: its keys, then the word committed in one input
        page.evaluate(TYPE, [[query], KEY_DELAY_MS, len(PINYIN[query]) * KEY_DELAY_MS])
    else:
        page.evaluate(TYPE, [list(query), KEY_DELAY_MS, 0])
    page.wait_for_function("window.__search.result !== undefined", timeout=120_000)
    traffic.quiet(page)
    clock = page.evaluate("window.__search")
    search = traffic.finished[len(visit) :]
    run = {
        "visit_bytes": sum(n for _, n in visit),
        "visit_index_requests": [u for u, _ in visit if "pagefind" in u],
        "search_bytes": sum(n for _, n in search),
        "search_requests": [(u.removeprefix(base), n) for u, n in search],
        "open_to_results_s": round((clock["result"] - clock["open"]) / 1000, 3),
        "keystroke_to_results_s": round((clock["result"] - clock["typed"]) / 1000, 3),
        "key_taken_late_s": round((clock["key"] - clock["typed"]) / 1000, 3),
        "count": page.locator(".md-search-result__meta").inner_text(),
        "first_titles": page.locator(".md-search-result__item h1").all_inner_texts()[:3],
    }
    context.close()
    return run


def summary(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Median and range of each figure over the runs."""
    figures: dict[str, Any] = {"runs": runs}
    for key in ("visit_bytes", "search_bytes", "open_to_results_s", "keystroke_to_results_s"):
        values = [run[key] for run in runs]
        figures[key] = {"median": statistics.median(values), "min": min(values), "max": max(values)}
    figures["visit_fetched_index"] = any(run["visit_index_requests"] for run in runs)
    return figures


def measure(
    site: Path, page_path: str, queries: list[str], slow: bool, runs: int
) -> dict[str, Any]:
    figures: dict[str, Any] = {"page": page_path, "slow": slow, "key_delay_ms": KEY_DELAY_MS}
    with serve(site, _GzipHandler) as url, sync_playwright() as playwright:
        base = f"{url}/"
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for query in queries:
            figures[query] = summary(
                [one_run(browser, base, page_path, query, slow) for _ in range(runs)]
            )
        browser.close()
    return figures


def index_size(site: Path) -> dict[str, int]:
    """Bytes on disk of each search bundle, and of its index chunks, filters and fragments."""
    sizes = {}
    for bundle in sorted(site.glob("pagefind*")):
        sizes[bundle.name] = sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file())
        for part in ("index", "filter", "fragment"):
            files = list((bundle / part).glob("*"))
            sizes[f"{bundle.name}/{part}"] = sum(p.stat().st_size for p in files)
            sizes[f"{bundle.name}/{part} files"] = len(files)
    return sizes


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("site", type=Path)
    parser.add_argument("--page", default="topics/crmo/")
    parser.add_argument("--query", nargs="+", default=["sacroiliitis", "ostéomyélite", "侵蚀"])
    parser.add_argument("--slow", action="store_true")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", type=Path)
    arguments = parser.parse_args()
    figures = measure(
        arguments.site, arguments.page, arguments.query, arguments.slow, arguments.runs
    )
    figures["index_bytes_on_disk"] = index_size(arguments.site)
    text = json.dumps(figures, ensure_ascii=False, indent=1)
    if arguments.json:
        arguments.json.write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
