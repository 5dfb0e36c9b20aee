"""`make serve` (`mkdocs serve --dirty`): a rebuild redoes what an edit changed, and only that."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from .sitebuild import make_root, matplotlib_cache

# Three builds in one process, as `mkdocs serve --dirty` does them: the first; one after a
# card's title changed; one after the nav changed. Prints the built pages' mtimes after each.
SCRIPT = r"""
import json, pathlib, sys
from mkdocs.commands.build import build
from mkdocs.config import load_config
from macros.cards.yamlio import dump_round_trip, load_round_trip

project, site, card = map(pathlib.Path, sys.argv[1:4])

def rebuild(first=False):
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site))
    if first:
        config.plugins.on_startup(command="serve", dirty=True)
    build(config, dirty=True)
    pages = {str(p.relative_to(site)): p.stat().st_mtime_ns for p in site.rglob("index.html")}
    print(json.dumps(pages), flush=True)

rebuild(first=True)
data = load_round_trip(card)
data["title"] = "Edited " + data["title"]
card.write_text(dump_round_trip(data), "utf-8")
rebuild()
mkdocs_yml = project / "mkdocs.yml"
mkdocs_yml.write_text(
    mkdocs_yml.read_text("utf-8").replace("- What changed:", "- Recent changes:"), "utf-8"
)
rebuild()
"""


def test_a_dirty_rebuild_redoes_the_edited_card_and_the_pages_that_show_it(
    tmp_path: Path,
) -> None:
    project = make_root("changes", tmp_path / "project")  # three cards of one topic
    site = tmp_path / "site"
    cards = sorted((project / "docs" / "cards").glob("*.yml"))
    edited, untouched = cards[0], cards[1]
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(project), str(site), str(edited)],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
        env={
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": str(project),
            "HOME": str(tmp_path),
            "MPLCONFIGDIR": matplotlib_cache(),
        },
    )
    assert result.returncode == 0, result.stderr
    first, after_card, after_nav = (json.loads(line) for line in result.stdout.splitlines())
    edited_page = f"studies/{edited.stem}/index.html"
    untouched_page = f"studies/{untouched.stem}/index.html"
    topic = f"topics/{_topic(edited)}/index.html"

    assert after_card[edited_page] > first[edited_page]
    assert "Edited " in (site / edited_page).read_text("utf-8")
    assert after_card[topic] > first[topic]  # its evidence table shows the new title
    assert "Edited " in (site / topic).read_text("utf-8")
    assert after_card[untouched_page] == first[untouched_page]  # not rendered again

    assert after_nav[untouched_page] > after_card[untouched_page]  # a new nav: all pages
    assert "Recent changes" in (site / untouched_page).read_text("utf-8")
    assert "A 'dirty' build" not in result.stderr  # the caveat is handled, so not warned


def _topic(card: Path) -> str:
    for line in card.read_text("utf-8").splitlines():
        if line.startswith("topic: "):
            return line.removeprefix("topic: ").strip()
    raise AssertionError(f"{card} has no topic")
