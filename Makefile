# Quick start: `make run` (tables for data/raw into data/out) and `make test`.
# Both create or reuse .venv and install the project into it.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PREFECT_SERVER_ANALYTICS_ENABLED ?= false
export DO_NOT_TRACK ?= 1

.PHONY: run test install lexicon docs clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/symptom-claims run --input data/raw --output data/out

test: $(STAMP)
	$(BIN)/python -m pytest

lexicon: $(STAMP)
	$(BIN)/python -m extractors.lexicon

docs: $(STAMP)
	$(BIN)/python -m claims.schema > docs/schema.md

clean:
	rm -rf data/out/*.csv data/out/*.parquet data/out/run.json data/out/report.html data/out/.cache
