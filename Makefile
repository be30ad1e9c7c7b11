# llmaestro: `make help` lists every target.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help install system-deps run test pytest packaging lint format typecheck schemas \
        schemas-check import validate site compile bench precommit clean

help: ## List every target
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[36m%-14s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev,bench]'
	touch $(STAMP)

install: $(STAMP) ## Create .venv and install llmaestro with its dev tools and the bench peers

system-deps: ## Install the Debian packages the tests need (redis-server, chromium) when missing
	@missing=""; \
	command -v redis-server >/dev/null || missing="$$missing redis-server"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

run: install ## The main job: validate the catalog and print a summary
	$(BIN)/llmaestro validate catalog
	$(BIN)/llmaestro stats

test: install system-deps ## Everything CI runs: pre-commit on all files, pytest, the packaging smoke test
	$(BIN)/pre-commit run --all-files --show-diff-on-failure
	$(BIN)/python -m pytest -q
	@$(MAKE) --no-print-directory packaging

pytest: install system-deps ## Only the test suite
	$(BIN)/python -m pytest -q

packaging: install ## Build sdist and wheel from a clean copy, install outside the checkout, smoke-test
	PYTHON=$(BIN)/python bash tests/packaging/smoke.sh

lint: install ## ruff check, ruff format --check and lint-imports (the layer contract)
	$(BIN)/ruff check llmaestro tests benchmarks scripts
	$(BIN)/ruff format --check llmaestro tests benchmarks scripts
	$(BIN)/lint-imports

format: install ## Apply ruff's fixes and formatting
	$(BIN)/ruff check --fix llmaestro tests benchmarks scripts
	$(BIN)/ruff format llmaestro tests benchmarks scripts

typecheck: install ## mypy --strict on llmaestro/ and tests/
	$(BIN)/mypy --strict llmaestro tests

schemas: install ## Regenerate schemas/*.json from the data model
	$(BIN)/llmaestro schemas

schemas-check: install ## Fail when schemas/ is stale
	$(BIN)/llmaestro schemas --check

SOURCES := data/sources
import: install ## Re-import the pinned models.dev, LiteLLM (and genai-prices' dated prices) into catalog/ (+ reports)
	$(BIN)/llmaestro import all --models-dev $(SOURCES)/models.dev-f3fc69229967.tar.gz \
	  --litellm $(SOURCES)/litellm-1.110.2-model_prices_and_context_window.json.gz \
	  --genai-prices $(SOURCES)/genai-prices-47df840a5ab1-providers.tar.gz --out catalog
	$(BIN)/llmaestro report prices \
	  --against genai-prices $(SOURCES)/genai-prices-47df840a5ab1-providers.tar.gz \
	  --against litellm $(SOURCES)/litellm-1.110.2-model_prices_and_context_window.json.gz \
	  --out catalog/PRICE_DISCREPANCIES.md

validate: install ## Validate the whole catalog
	$(BIN)/llmaestro validate catalog

site: install ## Build the catalog site into build/site
	$(BIN)/llmaestro site build build/site

compile: install ## Compile the catalog into build/catalog.json
	$(BIN)/llmaestro compile --out build/catalog.json

bench: install ## Run the benchmarks (against the peers of the `bench` extra)
	@for b in benchmarks/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

precommit: install ## Install the git pre-commit hook
	$(BIN)/pre-commit install

clean: ## Remove the virtualenv and build outputs
	rm -rf $(VENV) build dist .mypy_cache .ruff_cache .pytest_cache .hypothesis
