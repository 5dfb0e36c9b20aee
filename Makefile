# Two entry points set everything up on a fresh machine: `make site` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: site test ingest serve lint typecheck schema bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

ingest: $(STAMP)
	$(BIN)/evidence ingest

# The build date (sitemap lastmod) is the last commit's, so the same commit builds the same bytes.
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)

site: ingest
	$(BIN)/mkdocs build --strict --site-dir site

# A full rebuild on each change keeps strict mode (and its errors) the same as in CI.
serve: $(STAMP)
	$(BIN)/mkdocs serve

schema: $(STAMP)
	$(BIN)/evidence schema --output schema/card.schema.json

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

test: $(STAMP)
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/ingest_bench.py --seeds 1000 --report benchmarks/REPORT.md

clean:
	rm -rf site .pytest_cache .mypy_cache .ruff_cache
