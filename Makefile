# jupyterlab-gpu-compat: `make lab` to try it, `make test` to run every suite.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
PYTHON ?= python3
# Frameworks installed for real, so the probe is tested against real files (torch's CUDA wheel and its
# nvidia-* packages, TensorFlow, JAX, bitsandbytes). Several GB: only `make test-frameworks` builds it.
FW_VENV := .venv-frameworks
export PATH := $(CURDIR)/$(BIN):$(PATH)
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: help lab test install build lint test-js test-python test-ui test-frameworks test-wheel bench eval refresh-table clean

help:
	@echo "make lab    - install everything and start JupyterLab with the demo notebook"
	@echo "make test   - install what the tests need and run every suite (lint, jest, pytest, Galata, Notebook 7)"
	@echo "make bench  - the probe vs the frameworks' own reporters; engine, parser and bundle size"
	@echo "make eval   - score the engine on the corpus of real reports (test/corpus): accuracy and false alarms"
	@echo "make refresh-table - re-read the pins in src/compat/ from the packages' own metadata"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --upgrade pip

node_modules/.package-lock.json: package.json package-lock.json
	npm ci
	@touch $@

$(VENV)/.installed: $(BIN)/python pyproject.toml node_modules/.package-lock.json
	$(BIN)/pip install "jupyterlab>=4.0,<5" notebook ipykernel "hatchling>=1.5" hatch-nodejs-version hatch-jupyter-builder jupyter-builder
	npm run build
	$(BIN)/pip install -e ".[test]"
	$(BIN)/jupyter labextension develop . --overwrite
	# The server extension, enabled the way the wheel enables it (its jupyter-config file).
	mkdir -p $(VENV)/etc/jupyter/jupyter_server_config.d
	cp jupyter-config/server-config/jupyterlab_gpu_compat.json $(VENV)/etc/jupyter/jupyter_server_config.d/
	@touch $@

install: $(VENV)/.installed

build: install
	npm run build

lab: build
	$(BIN)/jupyter lab --ServerApp.allow_root=True examples/gpu-compat-demo.ipynb

/usr/bin/chromium:
	@if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	 else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; fi

lint: install
	npm run lint:check
	$(BIN)/ruff check python_kernel_probe test/python jupyterlab_gpu_compat scripts bench
	$(BIN)/ruff format --check python_kernel_probe test/python jupyterlab_gpu_compat scripts bench
	npm run build:probe && git diff --exit-code -- src/_generated || (echo "src/_generated is stale: run npm run build:probe and commit it"; exit 1)

test-js: install
	npx jest

test-python: install
	$(BIN)/python -m pytest

test-ui: build /usr/bin/chromium
	cd test/ui && CI=1 npx playwright test -c playwright.config.js
	cd test/ui && CI=1 npx playwright test -c playwright.nb7.config.js
	cd test/ui && CI=1 npx playwright test -c playwright.inline.config.js

# The package users get: sdist and wheel from the committed tree, installed into a fresh venv with
# JupyterLab and Notebook 7, checked there and smoke-tested in the browser (scripts/test-wheel.sh).
test-wheel: install /usr/bin/chromium
	PYTHON=$(PYTHON) bash scripts/test-wheel.sh

$(FW_VENV)/.installed:
	$(PYTHON) -m venv $(FW_VENV)
	$(FW_VENV)/bin/pip install torch==2.14.1 tensorflow jax bitsandbytes
	# An old bitsandbytes (binaries up to CUDA 12.2) beside it; the tests put it first on PYTHONPATH.
	$(FW_VENV)/bin/pip install --no-deps --target $(FW_VENV)/old-bitsandbytes bitsandbytes==0.41.1
	@touch $@

test-frameworks: install $(FW_VENV)/.installed
	FRAMEWORKS_PYTHON=$(CURDIR)/$(FW_VENV)/bin/python $(BIN)/python -m pytest test/python/test_real_frameworks.py

# Medians and ratios, side by side in one run (goals in the scripts' output, not in tests).
bench: install $(FW_VENV)/.installed
	npm run build:cli
	node bench/engine.mjs
	FRAMEWORKS_PYTHON=$(CURDIR)/$(FW_VENV)/bin/python $(BIN)/python bench/probe.py
	$(BIN)/python bench/resolve.py

# The corpus of real reports from public threads: how many the engine gets right, false alarms.
eval: node_modules/.package-lock.json
	npx jest test/jest/corpus.spec.ts --verbose=false

# The table's pins, Requires-Python and companions from the packages' metadata (pip's dry-run report).
refresh-table: install
	$(BIN)/python scripts/refresh_table.py
	npx prettier --write src/compat/*.json

test: lint test-js test-python test-frameworks test-ui test-wheel
	@echo "make test: every suite passed"

clean:
	rm -rf lib build node_modules $(VENV) jupyterlab_gpu_compat/labextension
