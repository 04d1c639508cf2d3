# Two commands for a fresh machine:  `make lab` opens the lessons, `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
FIRST_LESSON := lessons/00_the_news_story.ipynb

.PHONY: lab test lint benchmarks clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip

$(VENV)/.lab-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -e ".[lab,dashboard]"
	touch $@

$(VENV)/.test-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -e ".[test,lab,dashboard]"
	touch $@

lab: $(VENV)/.lab-installed
	$(BIN)/jupyter lab $(if $(wildcard $(FIRST_LESSON)),$(FIRST_LESSON),lessons/)

lint: $(VENV)/.test-installed
	$(BIN)/ruff check .
	$(BIN)/python tools/check_notebooks_stripped.py

test: lint
	$(BIN)/python -m pytest

benchmarks: $(VENV)/.test-installed
	for f in benchmarks/bench_*.py; do $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
