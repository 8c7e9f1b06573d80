# Synthora: the two commands a newcomer needs are `make dev` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8080

.PHONY: help install install-python install-system install-node install-emulators dev run web \
        test test-python \
        test-web lint format openapi firebase-json bench bench-video bench-coldstart bench-posting bench-analytics chaos stage infra-plan clean \
        stripe-setup

help:
	@echo "make dev    install everything and run Synthora locally (http://127.0.0.1:$(PORT))"
	@echo "make test   install everything and run every test"
	@echo "other: lint format openapi firebase-json bench bench-video chaos stage infra-plan clean"

# --------------------------------------------------------------------------- install

$(VENV)/.installed: pyproject.toml requirements/dev.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements/dev.lock
	$(PY) -m pip install -q --disable-pip-version-check --no-deps -e .
	@touch $@

install-python: $(VENV)/.installed

install-system:
	@bash scripts/install-system-deps.sh

# --omit=optional: firebase-tools' only optional native module (re2, for Hosting
# rewrites) would compile from source here (no prebuilt download offline); the
# Auth emulator does not use it.
tools/node_modules/.installed: tools/package.json tools/package-lock.json
	cd tools && npm ci --no-audit --no-fund --loglevel=error --omit=optional
	@touch $@

hosting/node_modules/.installed: hosting/package.json hosting/package-lock.json
	cd hosting && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

install-node: tools/node_modules/.installed $(if $(wildcard hosting/package.json),hosting/node_modules/.installed)

# Emulators the Google Cloud adapter tests start (Cloud Tasks, Cloud Storage, Firestore).
install-emulators:
	@bash tests/emulators/install.sh

install: install-system install-python install-node

# --------------------------------------------------------------------------- run

web: install-node
	@if [ -f hosting/package.json ]; then cd hosting && npm run build; fi

# Only what running needs (no browser, no test tools), installs side by side,
# each phase timed: scripts/dev-install.sh.
dev:
	@bash scripts/dev-install.sh
	PORT=$(PORT) $(PY) -m synthora.local.gateway

run:
	PORT=$(PORT) $(PY) -m synthora.local.gateway

# --------------------------------------------------------------------------- checks

# Layer contracts (.importlinter): functions -> services -> pipeline -> domain
# libraries -> ports; adapters only from the platform wiring; local/deploy and
# the emulators never imported by the app. Fails when a contract is broken.
lint: install-python
	$(VENV)/bin/ruff check shared emulators functions tests infra bench scripts
	$(VENV)/bin/ruff format --check shared emulators functions tests infra bench scripts
	PYTHONPATH=shared:emulators $(VENV)/bin/lint-imports

format: install-python
	$(VENV)/bin/ruff check --fix shared emulators functions tests infra bench scripts
	$(VENV)/bin/ruff format shared emulators functions tests infra bench scripts

test-python: install install-emulators
	$(VENV)/bin/pytest -q -n 2 --dist loadgroup

# Vitest, the build (with its bundle-size check), then the browser end-to-end
# test against the real local platform (gateway + Auth emulator, no API keys).
test-web: install install-node
	cd hosting && npm run lint && npm run check:api && npm test && npm run build && npm run e2e

test: install lint test-python test-web

# --------------------------------------------------------------------------- generated files

openapi: install-python
	$(PY) -m synthora.local.export_openapi hosting/openapi.json
	@if [ -f hosting/package.json ]; then cd hosting && npm run gen:api; fi

firebase-json: install-python
	$(PY) -m synthora.deploy.firebase_config

# --------------------------------------------------------------------------- benchmarks

# Chaos (not part of `make test`): 100 videos and 100 posts through the queue with
# provider and platform-emulator faults and a gateway crash mid-run; prints the
# figures (tests/chaos/test_chaos.py).
CHAOS_ITEMS ?= 100
CHAOS_POSTS ?= $(CHAOS_ITEMS)
chaos: install-python
	CHAOS_ITEMS=$(CHAOS_ITEMS) CHAOS_POSTS=$(CHAOS_POSTS) $(VENV)/bin/pytest -q -s -p no:cacheprovider -n 0 --timeout 7200 -m chaos tests/chaos

bench: install
	$(PY) bench/bench_gateway.py

bench-video: install
	$(PY) bench/bench_video.py $(BENCH_VIDEO_ARGS)

# Analytics reads for 2,000 posts x 90 daily snapshots on the embedded platform (p50/p95).
bench-analytics: install-python
	$(PY) bench/bench_analytics.py

# Import time of every function in a fresh process vs bare functions-framework + Flask.
bench-coldstart: install-python
	$(PY) bench/bench_coldstart.py --ready

# --------------------------------------------------------------------------- billing

# Find or create the Stripe product and prices by lookup key (idempotent; docs/billing.md).
stripe-setup: install-python
	$(PY) -m synthora.services.billing.setup

# --------------------------------------------------------------------------- deploy

stage: install-python
	$(PY) -m synthora.deploy.stage .stage

infra-plan: install-python
	$(PY) -m synthora.deploy.infra plan --project $${GOOGLE_CLOUD_PROJECT:?set GOOGLE_CLOUD_PROJECT}

clean:
	rm -rf .stage .pytest_cache .ruff_cache

bench-posting: install-python
	$(PY) bench/bench_posting.py
