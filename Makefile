# Two entry points set everything up on a fresh machine: `make site` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: site test ingest serve lint typecheck schema bench fuzz clean lock-upgrade

# Everything is installed from uv.lock (exact versions, with hashes): a fresh clone gets what CI
# tested. Upgrade on purpose with `make lock-upgrade`, then run `make test` and commit uv.lock.
UV := $(BIN)/uv
SYNC := UV_PROJECT_ENVIRONMENT=$(VENV) $(UV) sync --frozen --inexact --quiet

$(UV): requirements/uv.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/uv.txt
	touch $(UV)

$(STAMP): $(UV) uv.lock pyproject.toml
	$(SYNC) --extra dev
	touch $(STAMP)

lock-upgrade: $(UV)
	$(UV) lock --upgrade

ingest: $(STAMP)
	$(BIN)/evidence ingest

# The build date (sitemap lastmod) is the last commit's, so the same commit builds the same bytes.
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)

site: ingest
	$(BIN)/mkdocs build --strict --site-dir site

# Strict as in CI; --dirty rebuilds only what an edit changed (macros/site/preview.py keeps it exact).
serve: $(STAMP)
	$(BIN)/mkdocs serve --dirty

schema: $(STAMP)
	$(BIN)/evidence schema --output schema/card.schema.json

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

test: $(STAMP)
	$(BIN)/pytest

# About 40 minutes on 2 cores: N = 100, 1,000 and 5,000, each figure the median of 3.
bench: $(STAMP)
	$(SYNC) --extra dev
	cd benchmarks && ../$(BIN)/python run.py --sizes 100 1000 5000 --serve-at 1000

# Coverage-guided fuzzing with atheris (tests/fuzz/README.md); a crash lands in
# tests/fuzz/regressions/<target>/, which make test replays.
FUZZ_TIME ?= 600
fuzz: $(STAMP)
	$(SYNC) --extra dev --extra fuzz
	$(BIN)/python tests/fuzz/run_atheris.py seed -max_total_time=$(FUZZ_TIME)
	$(BIN)/python tests/fuzz/run_atheris.py card -max_total_time=$(FUZZ_TIME)
	$(BIN)/python tests/fuzz/run_atheris.py page -max_total_time=$(FUZZ_TIME)

clean:
	rm -rf site .pytest_cache .mypy_cache .ruff_cache
