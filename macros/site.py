"""The thin mkdocs-macros adapter: loads the cards once and exposes plain functions as macros."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .cardfiles import load_card
from .model import Card


def load_cards(folder: Path) -> list[Card]:
    return [load_card(path) for path in sorted(folder.glob("*.yml"))]


def card_count(cards: list[Card]) -> int:
    return len(cards)


def register(env: Any) -> None:
    docs = Path(env.conf["docs_dir"])
    cards = load_cards(docs / "cards")
    env.variables["card_total"] = card_count(cards)
