# llmaestro: `make help` lists every target.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help install system-deps run test pytest lint format typecheck schemas schemas-check \
        validate compile bench precommit clean

help: ## List every target
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[36m%-14s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) ## Create .venv and install llmaestro with its dev tools

system-deps: ## Install the Debian packages the tests need (redis-server, chromium) when missing
	@missing=""; \
	command -v redis-server >/dev/null || missing="$$missing redis-server"; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

run: install ## The main job: validate the catalog and print a summary
	$(BIN)/llmaestro validate catalog
	$(BIN)/llmaestro stats 2>/dev/null || true

test: install system-deps ## Everything CI runs: pre-commit on all files, then pytest
	$(BIN)/pre-commit run --all-files --show-diff-on-failure
	$(BIN)/python -m pytest -q

pytest: install system-deps ## Only the test suite
	$(BIN)/python -m pytest -q

lint: install ## ruff check and ruff format --check
	$(BIN)/ruff check llmaestro tests benchmarks scripts
	$(BIN)/ruff format --check llmaestro tests benchmarks scripts

format: install ## Apply ruff's fixes and formatting
	$(BIN)/ruff check --fix llmaestro tests benchmarks scripts
	$(BIN)/ruff format llmaestro tests benchmarks scripts

typecheck: install ## mypy --strict on llmaestro/
	$(BIN)/mypy --strict llmaestro

schemas: install ## Regenerate schemas/*.json from the data model
	$(BIN)/llmaestro schemas

schemas-check: install ## Fail when schemas/ is stale
	$(BIN)/llmaestro schemas --check

validate: install ## Validate the whole catalog
	$(BIN)/llmaestro validate catalog

compile: install ## Compile the catalog into build/catalog.json
	$(BIN)/llmaestro compile --out build/catalog.json

bench: install ## Run the benchmarks (installs the `bench` extra with the peers)
	$(BIN)/python -m pip install -q -e '.[dev,bench]'
	@for b in benchmarks/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

precommit: install ## Install the git pre-commit hook
	$(BIN)/pre-commit install

clean: ## Remove the virtualenv and build outputs
	rm -rf $(VENV) build dist .mypy_cache .ruff_cache .pytest_cache .hypothesis
