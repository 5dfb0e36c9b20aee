"""What the browser tests share: the built site served over HTTP, Debian's Chromium driven by
Playwright, and axe-core's verdict on a page.

Each test module declares its own module-scoped fixtures from these (a few lines), so a module
starts one server and one browser, and the site is built once per session (`built_site`)."""

from __future__ import annotations

import functools
import http.server
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .conftest import require_tool, sync_playwright_or_skip

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SERIOUS = ("serious", "critical")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve(
    folder: Path, handler_class: type[http.server.SimpleHTTPRequestHandler] = QuietHandler
) -> Iterator[str]:
    """`folder` over HTTP on a free local port; its base URL, without a trailing slash.
    (`benchmarks/search_bench.py` serves with its own handler, as a static host would.)"""
    handler = functools.partial(handler_class, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def chromium() -> Iterator[Any]:
    """Debian's Chromium (or `$CHROMIUM`) under Playwright; a skip without either, and a
    failure under CI=true."""
    executable = os.environ.get("CHROMIUM") or require_tool("chromium")
    sync_playwright = sync_playwright_or_skip()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    # None is excepted: what Material rendered wrongly is corrected in macros/site/html_fixes.py.
    return [v for v in results.response["violations"] if v["impact"] in SERIOUS]


def describe_violations(violations: list[dict[str, Any]]) -> list[tuple[str, str, list[Any]]]:
    """Each violation as (rule, help, the first three elements), for an assertion message."""
    return [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in violations]
