"""Site search with Pagefind: chunked indexes in `site/pagefind/`, written after each build.

A browser loads `pagefind/pagefind.js` only when the search field is used, and then only the
index chunks and page fragments that a query needs (Material's lunr search fetched the whole
index on every first visit). `overrides/` puts the search in Material's own dialog.

Pagefind keeps one index per page language (`<html lang>`, English here), and splits text into
words at spaces, except on pages in Chinese or Japanese, which its extended binary segments.
A Chinese quote on an English study page would be one long "word", found by no query; so each
study's Chinese text is also a page of a second bundle, `site/pagefind-zh/`, in Chinese, whose
results point at the findings. The browser merges that bundle into a search only when the query
has Chinese in it, and splits such a query into words itself (`Intl.Segmenter`).

Pagefind runs as its command (`python -m pagefind`, the binary of the `pagefind-bin-extended`
wheel; no network), not through its Python API: the API stops Pagefind's service as soon as it
answers "files written", but Pagefind writes each file with an unflushed Tokio file whose last
write is still in flight then, so a bundle could lose a file's end (an empty
`pagefind-entry.json` was seen at 1,000 studies). The command exits only once its runtime has
finished every write.

Pagefind keeps filters in hash maps, so the order of a filter's values, and of the filters in
the metadata, changes from run to run (Pagefind issue 638). `_sort_filters` writes them sorted,
under names hashed as Pagefind hashes them, so two builds are byte-identical.

Beside each bundle's entry file the build writes `chunks.json`, the first and last word of each
index chunk: with it the browser fetches the chunks of the words being typed while Pagefind's
own files are still on their way (a second on a slow line).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any, ClassVar

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page

from ..core.text import counted, has_han, squash
from . import cbor, render
from .data import SiteBuild, SiteData, quote_language
from .preview import PREVIEW
from .study import RECORD

PAGES = "**/index.html"  # every page (use_directory_urls); not 404.html
ROOT = "article.md-content__inner"  # the page's text, not the nav or the header
# Not indexed: BibTeX blocks (they repeat the title and authors), what a page lists of the
# studies, each of which is a page of its own (`render.study_list`, the bibliography's list),
# a forest plot's text (its table's), the review notice (the same words on every page) and a
# study page's record of where its text came from and of its review (`study.RECORD`: seed
# paths, digests and machine notes would match a query on every page; the review status is a
# filter). A quarter less index, and of Pagefind's time, at 1,000 studies.
SKIPPED = (
    *("pre", ".md-source-file", ".study-list", "ol.references", ".forest-plot"),
    *(".review-notice", f".{RECORD}"),
)
CHINESE = "zh"  # the language of the second bundle, `pagefind-zh/`
# Pagefind's own interfaces, which the site does not use (its dialog is Material's): 0.4 MB a
# bundle that a static host would publish for nothing.
UNUSED = ["ui.js", "ui.css", "modular-ui.js", "modular-ui.css", "component-ui.js"]
UNUSED += ["component-ui.css", "highlight.js"]
SCRIPT = "assets/search.js"  # `overrides/assets/search.js` in the built site
# Beside each bundle's entry file: the words each index chunk holds, first and last, by language.
CHUNK_LIST = "chunks.json"
# Its line that names each bundle's index metadata (by language), written after indexing.
META_LINE = re.compile(r"^( *const META = )\{.*\};$", re.MULTILINE)
SIGNATURE = b"pagefind_dcd"  # what starts each of Pagefind's files once decompressed
TIMEOUT = 600

log = logging.getLogger("mkdocs.hooks.search")


class SearchField:
    """Stands in the plugin collection under Material's search plugin's name, so that Material's
    header shows its search button and includes `partials/search.html` (ours, in `overrides/`):
    the header asks for that plugin by name. It has no events; no lunr index is built."""

    NAME = "material/search"

    def __init__(self) -> None:
        self.config: dict[str, Any] = {"enabled": True}


def add_search_field(config: MkDocsConfig) -> None:
    config.plugins[SearchField.NAME] = SearchField()  # type: ignore[assignment]


def add_topic_filters(page: Page, data: SiteData) -> None:
    """A topic page's search filters, as a study page has them (`render.search_filters`)."""
    if page.file.src_uri.startswith("topics/") and "filters" not in page.meta:
        topic = data.topic_title(page.file.src_uri.removeprefix("topics/").removesuffix(".md"))
        page.meta["filters"] = {"topic": topic or page.title or "", "page": "topic"}


def start_index(config: MkDocsConfig) -> None:
    """Once the pages are read: start indexing the Chinese pages, which need only the cards,
    on the core the build leaves idle while it writes the pages (Pagefind takes half a second
    for them at any size, most of it its start). `index_site` finishes the work."""
    if not _keeps_index(config):
        build = SiteBuild.of(config)
        build.index = Index(config["site_dir"], chinese_pages(build.data))


def index_site(config: MkDocsConfig) -> None:
    """The post-build step: both bundles of the site just built. A preview's rebuild
    (`make serve`) keeps the index of its first build: indexing again would add seconds to
    each edit's reload (6 s at 1,000 studies), and search in a preview may lag an edit."""
    if _keeps_index(config):
        log.info("Pagefind: the preview keeps the search index of its first build")
        return
    build = SiteBuild.of(config)
    assert build.index is not None, "started at on_env (`start_index`)"
    index, build.index = build.index, None
    pages, chinese = index.finish()
    studies = "1 study" if chinese == 1 else f"{chinese} studies"
    log.info("Pagefind indexed %s, and the Chinese text of %s", counted(pages, "page"), studies)


def _keeps_index(config: MkDocsConfig) -> bool:
    return (
        PREVIEW.dirty and (Path(config["site_dir"]) / "pagefind" / "pagefind-entry.json").exists()
    )


def chinese_pages(data: SiteData) -> dict[str, str]:
    """For each study with Chinese text, a page of that text alone, in Chinese, at the study's
    path: its title, and each Chinese quote under a heading with its finding's anchor (Pagefind
    returns a match there as a sub-result at that anchor), with the study page's filters."""
    pages = {}
    for card in data.cards:
        title = card.title or render.NOT_STATED
        quotes = [
            f'<h2 id="{render.finding_anchor(index)}">{escape(finding.label)}</h2>'
            f"<p>{escape(squash(finding.quote))}</p>"
            for index, finding in enumerate(card.findings, 1)
            if quote_language(card, finding) == CHINESE
        ]
        if quotes or has_han(title):
            shown = render.search_filters(card, data.topic_title(card.topic))
            filters = "".join(
                f'<span data-pagefind-filter="{escape(name)}">{escape(value)}</span>'
                for name, value in shown.items()
            )
            pages[f"studies/{card.id}/index.html"] = (
                f'<!doctype html><html lang="{CHINESE}"><body data-pagefind-meta="lang:{CHINESE}">'
                f"<h1>{escape(title)}</h1>{''.join(quotes)}"
                f"<div data-pagefind-ignore>{filters}</div></body></html>"
            )
    return pages


class Index:
    """Pagefind's two bundles of a site: the `chinese` pages (by path) into `pagefind-zh/`,
    started at once, and the built pages of `site_dir` into `pagefind/` by `finish`."""

    _unfinished: ClassVar[list[subprocess.Popen[str]]] = []  # started by builds that failed

    @classmethod
    def stop_unfinished(cls) -> None:
        """End the runs a failed build left (at the end of MkDocs, and before another build of
        `mkdocs serve` indexes into the same folders)."""
        for run in cls._unfinished:
            run.kill()
            run.wait()
        cls._unfinished.clear()

    def __init__(self, site_dir: str, chinese: dict[str, str]) -> None:
        Index.stop_unfinished()
        self.site = Path(site_dir).resolve()
        self.bundles = [self.site / "pagefind", self.site / f"pagefind-{CHINESE}"]
        for bundle in self.bundles:
            shutil.rmtree(bundle, ignore_errors=True)  # a dirty build would keep stale files
        self._folder = tempfile.TemporaryDirectory()
        self.work = Path(self._folder.name)
        for path, html in chinese.items():
            (self.work / "zh" / path).parent.mkdir(parents=True, exist_ok=True)
            (self.work / "zh" / path).write_text(html, encoding="utf-8")
        self._chinese = None
        if chinese:
            self._chinese = _start(self.work, self.work / "zh", self.bundles[1], [])
            Index._unfinished.append(self._chinese)

    def finish(self) -> tuple[int, int]:
        """Index the site, wait for both runs, and return how many pages each bundle holds."""
        try:
            selectors = [f"--exclude-selectors={selector}" for selector in SKIPPED]
            options = [f"--root-selector={ROOT}", *selectors]
            _wait(_start(self.work, self.site, self.bundles[0], options))
            if self._chinese is not None:
                _wait(self._chinese)
        finally:
            if self._chinese is not None:
                Index._unfinished.remove(self._chinese)
                if self._chinese.poll() is None:
                    self._chinese.kill()
                    self._chinese.wait()
            self._folder.cleanup()
        for bundle in self.bundles:
            for name in UNUSED:
                (bundle / f"pagefind-{name}").unlink(missing_ok=True)
        written = {bundle: _sort_filters(bundle) for bundle in self.bundles if bundle.exists()}
        counts = [written[bundle].pages if bundle in written else 0 for bundle in self.bundles]
        if counts[0] == 0:
            raise PluginError(f"Pagefind indexed no page of {self.site}")
        for bundle, content in written.items():
            _list_chunks(bundle, content.chunks)
        self._name_metadata({bundle.name: content.metadata for bundle, content in written.items()})
        return counts[0], counts[1]

    def _name_metadata(self, names: dict[str, dict[str, str]]) -> None:
        """Write the names of the bundles' metadata (by bundle, then language) into the site's
        search script (`META`): the browser fetches the metadata beside the script instead of
        one round trip later."""
        script = self.site / SCRIPT
        if not script.is_file():
            return  # a site without the project's theme (the benchmarks' baselines, tests)
        text = script.read_text("utf-8")
        named = json.dumps(names, sort_keys=True, ensure_ascii=False)
        text, found = META_LINE.subn(lambda match: f"{match[1]}{named};", text)
        if found != 1:
            raise PluginError(f"{script} has no line `const META = {{}};` to name the index in")
        script.write_text(text, "utf-8")


def write_index(site_dir: str, chinese: dict[str, str]) -> tuple[int, int]:
    """Index the built pages of `site_dir` into `pagefind/`, and the `chinese` pages (by path)
    into `pagefind-zh/`; return how many pages each holds."""
    return Index(site_dir, chinese).finish()


def _start(work: Path, site: Path, bundle: Path, options: list[str]) -> subprocess.Popen[str]:
    """Start Pagefind on `site` into `bundle`. It reads a `pagefind.*` file of its working
    folder and `PAGEFIND_*` variables as settings: it runs in the empty `work` folder (the
    Chinese pages are in a folder of their own there), without them."""
    command = [sys.executable, "-m", "pagefind", f"--site={site}", f"--output-path={bundle}"]
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PAGEFIND_")}
    return subprocess.Popen(
        [*command, f"--glob={PAGES}", "--quiet", *options],
        cwd=work,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _wait(run: subprocess.Popen[str]) -> None:
    try:
        output, _ = run.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired as error:
        run.kill()
        raise PluginError(f"Pagefind did not finish in {TIMEOUT} s") from error
    if run.returncode != 0:
        raise PluginError(f"Pagefind failed ({run.returncode}): {output}"[-2000:])


@dataclass(frozen=True)
class Bundle:
    """What a bundle holds, as `_sort_filters` leaves it."""

    pages: int
    metadata: dict[str, str]  # by language, the name of its metadata file
    chunks: dict[str, list[Any]]  # by language, [first word, last word, file] in word order


def _sort_filters(bundle: Path) -> Bundle:
    """Rewrite `bundle`'s filter files and metadata with filters and values in sorted order,
    under the names Pagefind gives such content, and point the entry file at the new metadata.
    Each file is decoded and encoded again unchanged first, and must come out byte for byte: a
    format this does not know fails the build."""
    entry_file = bundle / "pagefind-entry.json"
    entry = json.loads(entry_file.read_text("utf-8"))
    chunks = {}
    for language, index in sorted(entry["languages"].items()):
        meta_file = bundle / f"pagefind.{index['hash']}.pf_meta"
        meta = _read(meta_file)
        chunks[language] = meta[2]
        files = {name: bundle / "filter" / f"{chunk}.pf_filter" for name, chunk in meta[3]}
        found = {name: _read(path) for name, path in files.items()}
        for path in [meta_file, *files.values()]:
            path.unlink()
        filters = []
        for name, (filter_name, values) in sorted(found.items()):
            chunk, data = _encode([filter_name, sorted(values)], language, 7)
            if (bundle / "filter" / f"{chunk}.pf_filter").exists():
                raise PluginError(f"two filters of {bundle} are named {chunk}")
            (bundle / "filter" / f"{chunk}.pf_filter").write_bytes(data)
            filters.append([name, chunk])
        index["hash"], data = _encode([*meta[:3], filters, *meta[4:]], language, 10)
        (bundle / f"pagefind.{index['hash']}.pf_meta").write_bytes(data)
    entry["languages"] = dict(sorted(entry["languages"].items()))
    entry_file.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), "utf-8")
    return Bundle(
        pages=sum(int(index["page_count"]) for index in entry["languages"].values()),
        metadata={language: index["hash"] for language, index in entry["languages"].items()},
        chunks=chunks,
    )


def _list_chunks(bundle: Path, chunks: dict[str, list[Any]]) -> None:
    """Write `bundle`'s chunk list (`CHUNK_LIST`): from it the browser knows which chunk holds
    a word as the reader types it, before Pagefind's script, WebAssembly and metadata (a
    hundred kilobytes, a second on a slow line) have arrived to tell it."""
    for listed in chunks.values():
        if not all(isinstance(chunk, list) and _strings(chunk, 3) for chunk in listed):
            raise PluginError(f"Pagefind wrote the chunks of {bundle} in a form unknown here")
    text = json.dumps(chunks, ensure_ascii=False, separators=(",", ":"))
    (bundle / CHUNK_LIST).write_text(text, "utf-8")


def _strings(items: list[Any], count: int) -> bool:
    return len(items) == count and all(isinstance(item, str) for item in items)


def _read(path: Path) -> Any:
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(SIGNATURE) or cbor.dumps(value := cbor.loads(raw[12:])) != raw[12:]:
        raise PluginError(f"Pagefind wrote {path} in a format the build does not know")
    return value


def _encode(value: Any, language: str, length: int) -> tuple[str, bytes]:
    """`value` as Pagefind writes it (gzip of its signature and CBOR), and the name Pagefind
    gives it: the language and the SHA-1 of the CBOR, each byte in unpadded hex, cut short."""
    encoded = cbor.dumps(value)
    digest = "".join(f"{byte:x}" for byte in hashlib.sha1(encoded).digest())
    return f"{language}_{digest[:length]}", gzip.compress(SIGNATURE + encoded, 9, mtime=0)
