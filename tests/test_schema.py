"""The card contract: one model, one committed JSON Schema generated from it, every card valid."""

from __future__ import annotations

import json

import jsonschema
import yaml

from macros.cards.model import Card, json_schema
from macros.cards.project import Project
from macros.commands.ingest import Report

from .conftest import ROOT

SCHEMA_FILE = ROOT / "schema" / "card.schema.json"


def test_committed_schema_is_generated_from_the_model() -> None:
    committed = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert committed == json_schema(), "run `make schema` and commit schema/card.schema.json"


def test_every_card_validates_against_the_schema(
    real_ingest: tuple[Project, Report], fixture_ingest: tuple[Project, Report]
) -> None:
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))
    files = [*real_ingest[0].cards.glob("*.yml"), *fixture_ingest[0].cards.glob("*.yml")]
    assert len(files) >= 17
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        errors = [f"{'.'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(data)]
        assert not errors, f"{path.name}: {errors}"


def test_schema_rejects_what_the_contract_forbids() -> None:
    validator = jsonschema.Draft202012Validator(json_schema())
    card = Card.model_validate(
        {
            "id": "x-2020-crmo",
            "citekey": "X2020",
            "topic": "crmo",
            "source": {
                "file": "seeds/x.txt",
                "sha256": "0" * 64,
                "format": "unknown",
                "languages": ["en"],
            },
        }
    ).to_data()
    assert not list(validator.iter_errors(card))
    for field, bad in (
        ("citekey", "Not ASCII ü"),
        ("doi", "https://doi.org/10.1/x"),
        ("design", "anecdote"),
        ("unknown_key", 1),
        ("year", 3000),
    ):
        assert list(validator.iter_errors({**card, field: bad})), field
