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
# `make bench` runs every section; BENCH="bench.<section> [its arguments]" one (bench/__main__.py).
BENCH ?= bench
PYTEST := $(PY) -m pytest
# checkov pins boto3/botocore versions aws-sam-cli cannot share: it gets a virtualenv of its own.
TOOLS_VENV := .venv-tools
# So does the AWS CLI (v1 from PyPI pins its own botocore) that the deploy emulator's tests run.
AWS_VENV := .venv-aws

# What each pipeline's test stage runs after `make lint` (pipelines/buildspec-test.yml); its
# trigger in pipelines/template.yaml starts the pipeline when these folders change. Every test
# folder belongs to one at least (tests/infra/test_pipelines.py), so `make test` runs them all.
COMPONENTS := bootstrap auth products orders partners vault api web
COMPONENT_TESTS_bootstrap := tests/infra tests/rehearsal
COMPONENT_TESTS_auth := tests/unit/auth tests/service/auth
COMPONENT_TESTS_products := tests/unit/common tests/service/common tests/unit/products tests/service/products
COMPONENT_TESTS_orders := tests/unit/common tests/service/common tests/unit/orders tests/service/orders
COMPONENT_TESTS_partners := tests/unit/common tests/service/common tests/unit/partners tests/service/partners
COMPONENT_TESTS_vault := tests/unit/common tests/service/common tests/unit/vault tests/service/vault
COMPONENT_TESTS_api := tests/unit/local tests/service/local tests/e2e
COMPONENT_TESTS_web := tests/unit/web_client tests/service/web_client tests/web
JUNIT_REPORTS := reports/junit

.PHONY: help setup lock lint rehearse test test-export test-unit test-service test-infra test-e2e test-web test-component screenshots run bench clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements/dev.txt
	@test -n "$(PYTHON313)" || { echo "Python $(PYTHON_VERSION) not found: install it (pyenv install $(PYTHON_VERSION)) and retry" >&2; exit 1; }
	@test -x $(PY) || $(PYTHON313) -m venv $(VENV)
	@$(PY) -m pip install --quiet uv==$(UV_VERSION)
	@$(UV) pip sync --quiet --python $(PY) requirements/dev.txt
	@touch $@

$(TOOLS_VENV)/.installed: requirements/checkov.txt $(VENV)/.installed
	@test -x $(TOOLS_VENV)/bin/python || $(PY) -m venv $(TOOLS_VENV)
	@$(UV) pip sync --quiet --python $(TOOLS_VENV)/bin/python requirements/checkov.txt
	@touch $@

$(AWS_VENV)/.installed: requirements/awscli.txt $(VENV)/.installed
	@test -x $(AWS_VENV)/bin/python || $(PY) -m venv $(AWS_VENV)
	@$(UV) pip sync --quiet --python $(AWS_VENV)/bin/python requirements/awscli.txt
	@touch $@

# The npm packages the web client loads in the browser (web_client/vendor.py), at the versions
# web_client/package-lock.json pins; published with the site, never committed.
WEB_PACKAGES := web_client/node_modules/.installed
$(WEB_PACKAGES): web_client/package.json web_client/package-lock.json
	@command -v npm >/dev/null || { echo "npm not found: install Node.js (it brings npm) and retry" >&2; exit 1; }
	@cd web_client && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

# cfn-guard, the engine of the artifacts stack's Guard hook, for the tests of its rules: the
# binary an npm package ships (pipelines/guard/package.json), never committed.
GUARD_PACKAGES := pipelines/guard/node_modules/.installed
$(GUARD_PACKAGES): pipelines/guard/package.json pipelines/guard/package-lock.json
	@command -v npm >/dev/null || { echo "npm not found: install Node.js (it brings npm) and retry" >&2; exit 1; }
	@cd pipelines/guard && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

setup: $(VENV)/.installed $(TOOLS_VENV)/.installed $(AWS_VENV)/.installed $(WEB_PACKAGES) $(GUARD_PACKAGES) ## build the Python 3.13 virtualenvs and install the npm packages (the web client's, cfn-guard), all pinned

lock: $(VENV)/.installed ## re-pin requirements/dev.txt, the Lambda layer's and the functions' own requirements
	$(UV) pip compile -q -p $(PYTHON_VERSION) --universal requirements/dev.in -o requirements/dev.txt
	$(UV) pip compile -q -p $(PYTHON_VERSION) requirements/runtime.in -c requirements/dev.txt \
		--no-header --no-annotate -o services/common/requirements.txt
	$(UV) pip compile -q -p $(PYTHON_VERSION) auth_lambda/requirements.in -c requirements/dev.txt \
		--no-header --no-annotate -o auth_lambda/src/requirements.txt
	$(UV) pip compile -q -p $(PYTHON_VERSION) services/orders/requirements.in -c requirements/dev.txt \
		--no-header --no-annotate -o services/orders/src/requirements.txt
	$(UV) pip compile -q -p $(PYTHON_VERSION) services/vault/requirements.in -c requirements/dev.txt \
		--no-header --no-annotate -o services/vault/src/requirements.txt
	$(UV) pip compile -q -p $(PYTHON_VERSION) requirements/checkov.in -o requirements/checkov.txt
	$(UV) pip compile -q -p $(PYTHON_VERSION) requirements/awscli.in -o requirements/awscli.txt

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

# Minutes long; the bootstrap pipeline's test stage (so `make test`, CI) runs it with the rest.
rehearse: setup ## deploy_everything.sh and the pipelines' deploy commands with the real sam and aws against moto (IAM enforced): a first deploy of dev and prod, a re-run, an update, each pipeline's deploy as its role, --destroy
	$(PYTEST) -m rehearsal tests/rehearsal

test-e2e: setup ## the local stack over HTTP, and schemathesis against it
	$(PYTEST) tests/e2e

# ALREADY_TESTED: folders an earlier build passed on the same source (pipelines/codebuild.py).
COMPONENT_RUN = $(filter-out $(ALREADY_TESTED),$(wildcard $(COMPONENT_TESTS_$(COMPONENT))))
test-component: setup ## one pipeline's tests, JUnit XML in reports/junit (COMPONENT=orders)
	@test -n "$(COMPONENT_TESTS_$(COMPONENT))" || { echo "COMPONENT must be one of: $(COMPONENTS)" >&2; exit 2; }
	@test -n "$(wildcard $(COMPONENT_TESTS_$(COMPONENT)))" || { echo "no tests yet for $(COMPONENT) in $(COMPONENT_TESTS_$(COMPONENT))" >&2; exit 1; }
	@mkdir -p $(JUNIT_REPORTS)
	$(if $(COMPONENT_RUN),$(PYTEST) $(COMPONENT_RUN) --junitxml=$(JUNIT_REPORTS)/$(COMPONENT).xml,@echo "$(COMPONENT): every folder already passed on this source")

# The browser tests drive Debian's Chromium (Playwright's own download does not work here).
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "The browser tests need Debian's chromium: sudo apt-get install chromium" >&2; exit 1; \
	fi

test-web: setup $(CHROMIUM) ## the web client in Debian's Chromium against the local stack
	$(PYTEST) tests/web

screenshots: setup $(CHROMIUM) ## retake docs/screenshots (the README's) with the browser tests
	SHOP_UPDATE_SCREENSHOTS=1 $(PYTEST) tests/web/test_screenshots.py tests/web/test_partners.py tests/web/test_vault.py

# services/common: the data migrations --persist runs share the services' catalogue rules.
run: setup ## the whole shop on 127.0.0.1:$(PORT) (Ctrl-C stops; ARGS=--persist keeps the data)
	PYTHONPATH=services/common $(PY) -m local --port $(PORT) $(ARGS)

bench: setup ## benchmarks: a table on stdout and in bench/results.md (never fails the build; BENCH="bench.cold_start" runs one section, on stdout)
	-PYTHONPATH=auth_lambda/src:services/common:services/products/src:services/orders/src:services/vault/src $(PY) -m bench $(patsubst bench.%,%,$(filter-out bench,$(BENCH)))

# A pipeline tests a CODE_ZIP of the commit, which has no .git: `make test` and `make
# test-export` run each pipeline's test stage (pipelines/buildspec-test.yml, with CodeBuild's
# variables) on a `git archive` export of the working tree, so that a test needing git fails
# here first. On one export, lint runs once and each test folder once (pipelines/codebuild.py).
test: setup $(CHROMIUM) ## every suite, each test once: lint, then every pipeline's test stage on an export (.ci/run)
	$(PY) -m pipelines.codebuild $(COMPONENTS)

test-export: setup ## the test stage of some pipelines on an export, no .git (COMPONENTS="auth web")
	$(PY) -m pipelines.codebuild $(COMPONENTS)

clean: ## remove the virtualenv and build output
	rm -rf $(VENV) $(TOOLS_VENV) $(AWS_VENV) web_client/node_modules pipelines/guard/node_modules .aws-sam reports .pytest_cache .mypy_cache .ruff_cache
