"""The card cache: unchanged files are not parsed again, and nothing invalid gets through it."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

import macros.cards.cardfiles
import macros.cards.yamlio
from macros.cards.cardfiles import CardCache, CardError, load_cards

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def cards(tmp_path: Path) -> Path:
    folder = tmp_path / "cards"
    shutil.copytree(ROOT / "docs" / "cards", folder)
    return folder


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the card files whose YAML is parsed."""
    names: list[str] = []
    original = macros.cards.yamlio.load_plain

    def counting(path: Path, text: str | None = None) -> Any:
        names.append(path.name)
        return original(path, text)

    monkeypatch.setattr(macros.cards.cardfiles, "load_plain", counting)
    return names


def test_only_changed_cards_are_parsed_again(cards: Path, parsed: list[str]) -> None:
    cache = cards.parent / "cache.json"
    first = load_cards(cards, CardCache(cache))
    assert len(parsed) == len(first) == 5

    parsed.clear()
    assert load_cards(cards, CardCache(cache)) == first
    assert parsed == []

    edited = cards / f"{first[0].id}.yml"
    edited.write_text(edited.read_text("utf-8").replace("\ntopic:", "\n# a note\ntopic:"), "utf-8")
    parsed.clear()
    assert load_cards(cards, CardCache(cache)) == first  # a comment changes bytes, not the card
    assert parsed == [edited.name]


def test_a_cached_card_is_validated_again(cards: Path, parsed: list[str]) -> None:
    cache = cards.parent / "cache.json"
    first = load_cards(cards, CardCache(cache))
    stored = json.loads(cache.read_text("utf-8"))
    for digest in stored["cards"]:
        stored["cards"][digest] = json.dumps({"id": "tampered", "year": "not a year"})
    cache.write_text(json.dumps(stored), "utf-8")
    parsed.clear()
    assert load_cards(cards, CardCache(cache)) == first
    assert len(parsed) == 5


def test_a_renamed_card_fails_even_when_cached(cards: Path) -> None:
    cache = CardCache(cards.parent / "cache.json")
    load_cards(cards, cache)
    original = sorted(cards.glob("*.yml"))[0]
    original.rename(cards / "another-name.yml")
    with pytest.raises(
        CardError, match=r"another-name\.yml:\d+:\d+: E-ID-FILENAME id .* must equal the file"
    ):
        load_cards(cards, CardCache(cards.parent / "cache.json"))


@pytest.mark.parametrize("content", ["{not json", '{"version": 0, "cards": {}}', "[]", ""])
def test_a_damaged_cache_costs_only_parsing(cards: Path, parsed: list[str], content: str) -> None:
    cache = cards.parent / "cache.json"
    cache.write_text(content, "utf-8")
    assert len(load_cards(cards, CardCache(cache))) == 5
    assert len(parsed) == 5
    assert json.loads(cache.read_text("utf-8"))["version"] == CardCache.VERSION


def test_the_cache_keeps_only_cards_that_still_exist(cards: Path) -> None:
    cache = cards.parent / "cache.json"
    load_cards(cards, CardCache(cache))
    sorted(cards.glob("*.yml"))[0].unlink()
    load_cards(cards, CardCache(cache))
    assert len(json.loads(cache.read_text("utf-8"))["cards"]) == 4


def test_the_cache_lives_outside_the_work_tree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "project"
    project.mkdir()
    monkeypatch.setenv(macros.cards.cardfiles.CACHE_DIR_VARIABLE, str(tmp_path / "machine-cache"))
    file = macros.cards.cardfiles.cache_file(project)
    assert file is not None
    assert file.is_relative_to(tmp_path / "machine-cache")
    assert not file.is_relative_to(project)
    other = tmp_path / "other-clone"
    other.mkdir()
    assert macros.cards.cardfiles.cache_file(other) != file  # one file per project folder

    monkeypatch.setenv(
        macros.cards.cardfiles.CACHE_DIR_VARIABLE, str(project / ".evidence" / "cache")
    )
    assert (
        macros.cards.cardfiles.cache_file(project) is None
    )  # a cache inside the project is not used
    monkeypatch.delenv(macros.cards.cardfiles.CACHE_DIR_VARIABLE)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert macros.cards.cardfiles.cache_file(project) == file.parent.parent.parent / "xdg" / (
        f"evidence/{file.parent.name}/cards.json"
    )


def test_no_cache_at_all_loads_every_card(cards: Path, parsed: list[str]) -> None:
    assert len(load_cards(cards, CardCache(None))) == 5
    assert len(parsed) == 5
    assert not list(cards.parent.rglob("*.json"))


def test_regression_a_committed_cache_cannot_override_a_card(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Attack 5 of issue 10: a pull request commits `.evidence/cache/cards.json` (git add -f)
    whose entry, keyed by the digest of an untouched card file, says `reviewed by` someone and
    changes a finding. The build must show what the YAML says."""
    from macros.cards.project import Project
    from macros.site.data import site_data

    monkeypatch.setenv("EVIDENCE_CACHE_DIR", str(tmp_path / "machine-cache"))
    project = tmp_path / "project"
    shutil.copytree(ROOT / "docs" / "cards", project / "docs" / "cards")
    card_file = sorted((project / "docs" / "cards").glob("*.yml"))[0]
    genuine = load_cards(project / "docs" / "cards")[0]
    forged = genuine.model_copy(
        update={
            "title": "FORGED TITLE",
            "review": genuine.review.model_copy(
                update={"status": "reviewed", "by": "Mallory", "date": dt.date(2026, 1, 1)}
            ),
        }
    )
    digest = hashlib.sha256(card_file.read_text("utf-8").encode("utf-8")).hexdigest()
    committed = project / ".evidence" / "cache" / "cards.json"
    committed.parent.mkdir(parents=True)
    committed.write_text(
        json.dumps({"version": CardCache.VERSION, "cards": {digest: forged.model_dump_json()}}),
        "utf-8",
    )

    loaded = {card.id: card for card in site_data(Project.at(project)).cards}[genuine.id]

    assert loaded.title == genuine.title != "FORGED TITLE"
    assert loaded.review.by != "Mallory"
    assert loaded.review.status == genuine.review.status
