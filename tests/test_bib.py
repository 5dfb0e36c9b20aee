"""BibTeX: escaping that nothing breaks out of, read-back equality, and real bibtex/biber."""

from __future__ import annotations

import subprocess
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from macros.cards.bib import bibliography, card_fields, escape, read_back, unescape
from macros.cards.cardfiles import load_cards
from macros.cards.model import Card
from macros.cards.project import Project
from macros.commands.ingest import Report

from .conftest import require_tool

HOSTILE = r"A } title {with \input{/etc/passwd} \write18{rm -rf /} 50% #1 & $x$ _a ^b ~c @comment{"


PRINTABLE = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")))


@given(PRINTABLE)
def test_unescape_inverts_escape(text: str) -> None:
    assert unescape(escape(text)) == text


def test_control_characters_become_spaces() -> None:
    assert escape("a\nb\tc\x00d") == "a b c d"


@given(st.text())
def test_escaped_text_has_balanced_braces_and_no_live_commands(text: str) -> None:
    escaped = escape(text)
    depth = 0
    for char in escaped:  # BibTeX counts every brace, preceded by a backslash or not
        depth += {"{": 1, "}": -1}.get(char, 0)
        assert depth >= 0
    assert depth == 0
    for command in ("\\input", "\\write18", "\\include"):
        assert command not in escaped or text.count(command) == 0
    assert "%" not in escaped.replace("\\%", "")


def _distinct(all_cards: dict[str, Card]) -> list[Card]:
    """Cards of the two test ingests with distinct citekeys (each ingest is unique on its own)."""
    by_key: dict[str, Card] = {}
    for card in all_cards.values():
        by_key.setdefault(card.citekey, card)
    return list(by_key.values())


def _hostile_card(card: Card) -> Card:
    return card.model_copy(
        update={"title": HOSTILE, "journal": "J & Co {", "citekey": "Hostile2020"}
    )


def test_written_bibliography_reads_back_to_the_card_fields(all_cards: dict[str, Card]) -> None:
    cards = [*_distinct(all_cards), _hostile_card(next(iter(all_cards.values())))]
    back = read_back(bibliography(cards))
    assert set(back) == {c.citekey for c in cards}
    for card in cards:
        fields = {k: v for k, v in back[card.citekey].items() if k != "author"}
        assert fields == card_fields(card)


def test_bibliography_is_sorted_and_deterministic(all_cards: dict[str, Card]) -> None:
    cards = _distinct(all_cards)
    text = bibliography(cards)
    assert text == bibliography(list(reversed(cards)))
    keys = [line.split("{", 1)[1].rstrip(",") for line in text.splitlines() if line.startswith("@")]
    assert keys == sorted(keys)


def _bib_project(tmp_path: Path, cards: list[Card]) -> Path:
    (tmp_path / "references.bib").write_text(bibliography(cards), encoding="utf-8")
    cites = ",".join(c.citekey for c in cards)
    (tmp_path / "doc.aux").write_text(
        f"\\relax\n\\citation{{{cites}}}\n\\bibstyle{{plain}}\n\\bibdata{{references}}\n",
        encoding="utf-8",
    )
    return tmp_path


def test_real_bibtex_accepts_the_bibliography(tmp_path: Path, all_cards: dict[str, Card]) -> None:
    bibtex = require_tool("bibtex")
    cards = [*_distinct(all_cards), _hostile_card(next(iter(all_cards.values())))]
    folder = _bib_project(tmp_path, cards)
    run = subprocess.run([bibtex, "doc"], cwd=folder, capture_output=True, text=True, timeout=60)
    # bibtex exits 1 for warnings (e.g. a card without journal or year) and 2 for errors.
    assert run.returncode in (0, 1), run.stdout + run.stderr
    assert "error message" not in run.stdout, run.stdout
    bbl = (folder / "doc.bbl").read_text(encoding="utf-8", errors="replace")
    assert all(c.citekey in bbl for c in cards)


def test_real_biber_tool_accepts_the_bibliography(
    tmp_path: Path, all_cards: dict[str, Card]
) -> None:
    biber = require_tool("biber")
    cards = [*_distinct(all_cards), _hostile_card(next(iter(all_cards.values())))]
    (tmp_path / "references.bib").write_text(bibliography(cards), encoding="utf-8")
    run = subprocess.run(
        [biber, "--tool", "--validate-datamodel", "--output-file", "out.bib", "references.bib"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "ERROR" not in run.stdout, run.stdout
    assert (tmp_path / "out.bib").read_text(encoding="utf-8").count("@") >= len(cards)


def test_ingest_writes_the_bibliography_of_all_cards(real_ingest: tuple[Project, Report]) -> None:
    paths, _ = real_ingest
    cards = load_cards(paths.cards)
    assert set(read_back(paths.bib.read_text(encoding="utf-8"))) == {c.citekey for c in cards}
