# Shop: the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON_VERSION := 3.13
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
UV_VERSION := 0.13.8
# Python 3.13 from pyenv or PATH, the first that runs (a pyenv shim on PATH may not).
# The Lambda runtime is python3.13: tests run on it too.
PYTHON313 := $(firstword $(foreach candidate,\
	$(shell pyenv root >/dev/null 2>&1 && ls -d "$$(pyenv root)"/versions/$(PYTHON_VERSION)*/bin/python$(PYTHON_VERSION) 2>/dev/null | sort -rV) \
	$(shell command -v python$(PYTHON_VERSION) 2>/dev/null),\
	$(shell $(candidate) -c 'import sys; print("$(candidate)" if sys.version_info[:2] == (3, 13) else "")' 2>/dev/null)))
PORT ?= 8000
PYTEST := $(PY) -m pytest

.PHONY: help setup lock lint test test-unit test-service test-infra test-e2e test-web run bench clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements/dev.txt
	@test -n "$(PYTHON313)" || { echo "Python $(PYTHON_VERSION) not found: install it (pyenv install $(PYTHON_VERSION)) and retry" >&2; exit 1; }
	@test -x $(PY) || $(PYTHON313) -m venv $(VENV)
	@$(PY) -m pip install --quiet uv==$(UV_VERSION)
	@$(UV) pip sync --quiet --python $(PY) requirements/dev.txt
	@touch $@

setup: $(VENV)/.installed ## build the Python 3.13 virtualenv with the pinned dependencies

lock: $(VENV)/.installed ## re-pin requirements/dev.txt and the Lambda layer's requirements
	$(UV) pip compile -q -p $(PYTHON_VERSION) --universal requirements/dev.in -o requirements/dev.txt
	$(UV) pip compile -q -p $(PYTHON_VERSION) requirements/runtime.in -c requirements/dev.txt \
		--no-header --no-annotate -o services/common/requirements.txt
	$(UV) pip compile -q -p $(PYTHON_VERSION) auth_lambda/requirements.in -c requirements/dev.txt \
		--no-header --no-annotate -o auth_lambda/src/requirements.txt

lint: setup ## ruff (lint + format check) and mypy
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

test-unit: setup ## logic with sockets disabled
	$(PYTEST) tests/unit

test-service: setup ## handlers against moto
	$(PYTEST) tests/service

test-infra: setup ## templates, OpenAPI, pipelines, deploy script
	$(PYTEST) tests/infra

test-e2e: setup ## the local stack over HTTP, and schemathesis against it
	$(PYTEST) tests/e2e

run: setup ## the whole shop on 127.0.0.1:$(PORT) (Ctrl-C stops; ARGS=--persist keeps the data)
	$(PY) -m local --port $(PORT) $(ARGS)

bench: setup ## benchmarks: a table on stdout and in bench/results.md (never fails the build)
	-$(PY) -m bench

test: setup lint ## every suite (what CI runs)
	$(PYTEST) tests

clean: ## remove the virtualenv and build output
	rm -rf $(VENV) .aws-sam reports .pytest_cache .mypy_cache .ruff_cache
