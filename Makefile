# Two commands for a fresh machine:  `make lab` opens the lessons, `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
FIRST_LESSON := lessons/00_the_news_story.ipynb

.PHONY: lab dashboard test lint benchmarks binder-check browser-test site clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip

$(VENV)/.lab-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -e ".[lab,dashboard]"
	touch $@

$(VENV)/.test-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -e ".[test,lab,dashboard,browser]"
	touch $@

$(VENV)/.site-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -e ".[site]"
	touch $@

# JupyterLab refuses to start as root (containers, some classroom images) without --allow-root.
AS_ROOT := $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root,)

# JupyterLab's admin defaults (no news or update toast over a projected lesson): the same
# binder/overrides.json that binder/postBuild installs on Binder, copied into this project's
# environment (JupyterLab reads <prefix>/share/jupyter/lab/settings), not the user's home.
LAB_OVERRIDES := $(VENV)/share/jupyter/lab/settings/overrides.json

$(LAB_OVERRIDES): binder/overrides.json | $(VENV)/.lab-installed
	mkdir -p $(dir $@)
	cp binder/overrides.json $@

lab: $(VENV)/.lab-installed $(LAB_OVERRIDES)
	$(BIN)/jupyter lab $(AS_ROOT) $(FIRST_LESSON)

# Voila on its own loads no server extensions: this is edu_survival_server's (each kernel
# message sent at once, not held up to 40 ms by Nagle's algorithm; see edu_survival_server.py).
VOILA_NODELAY := --Voila.kernel_websocket_connection_class=edu_survival_server.NoDelayKernelConnection

dashboard: $(VENV)/.lab-installed
	$(BIN)/voila $(VOILA_NODELAY) dashboards/trial_explorer.ipynb

lint: $(VENV)/.test-installed
	$(BIN)/ruff check .
	$(BIN)/python tools/check_notebooks_stripped.py

test: lint
	$(BIN)/python -m pytest

benchmarks: $(VENV)/.test-installed
	for f in benchmarks/bench_*.py; do $(BIN)/python $$f || exit 1; done

# A Binder build without Docker: a fresh venv from binder/requirements.txt alone, the package
# with --no-deps, then every lessons/*.ipynb and dashboards/*.ipynb executed in it.
binder-check:
	$(PYTHON) tools/binder_check.py --venv .binder-venv

browser-test: $(VENV)/.test-installed
	$(BIN)/python -m pytest -m browser

# The course website: every lesson executed (unchanged ones reused), the teacher's guide, the
# dashboard page and the API reference, into site/_build/html (open its index.html).
site: $(VENV)/.site-installed
	$(BIN)/python site/build.py

clean:
	rm -rf $(VENV) .binder-venv test-artifacts .pytest_cache .ruff_cache
	rm -rf site/_build site/lessons site/dashboards site/api
