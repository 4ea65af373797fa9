# chainops: the two commands are `make lab` and `make test`; everything else is a step of them.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

CACHE ?= $(or $(CHAINOPS_CACHE),$(or $(XDG_CACHE_HOME),$(HOME)/.cache)/chainops)
export CHAINOPS_CACHE := $(CACHE)
export CONTAINERS_CONF := $(CURDIR)/containers/containers.conf
export ANSIBLE_CONFIG := $(CURDIR)/ansible.cfg
export PATH := $(CURDIR)/.venv/bin:$(PATH)
# Each gate's time goes to make test's closing table (scripts/timed, tests/report.py).
TIMED := scripts/timed
# make test runs the static gates at low priority beside the tests (scripts/test-suite).
LINT_PRIORITY ?=

.PHONY: help bootstrap lab down status test lint yamllint ansible-checks terraform-checks \
	checkov python-checks pytest molecule constraints

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-18s %s\n", $$1, $$2}'

bootstrap: ## Install everything (Debian packages, cached venvs, lab base image)
	scripts/bootstrap

lab: bootstrap ## Install, bring the lab up and run site.yml against it (its lab phase starts the lab AWS)
	ansible-playbook site.yml

down: ## Remove the lab hosts and stop the lab AWS
	chainops lab down

status: ## Show the lab endpoint and its nodes
	chainops lab status

test: ## Install everything, run every gate and test side by side, print each stage's time
	scripts/test-suite

lint: ansible-checks terraform-checks checkov python-checks ## Every static gate

ansible-checks: ## yamllint, ansible-lint (production profile), syntax check
	$(TIMED) "lint: ansible-checks" $(LINT_PRIORITY) scripts/ansible-checks

terraform-checks: ## terraform fmt -check, validate per module and stack, test per module, validate of the examples
	$(TIMED) "lint: terraform-checks" $(LINT_PRIORITY) scripts/terraform-checks

checkov: ## checkov over terraform/ (own venv; --skip-download: its guideline API is unreachable)
	$(TIMED) "lint: checkov" $(LINT_PRIORITY) \
		$(CACHE)/checkov --compact --skip-download --framework terraform -d terraform

PYTHON_PATHS := src tests benchmarks collections molecule
python-checks: ## ruff (lint + format) and mypy --strict
	$(TIMED) "lint: python-checks" $(LINT_PRIORITY) bash -c \
		'ruff check $(PYTHON_PATHS) && ruff format --check $(PYTHON_PATHS) && mypy'

# pytest's xdist workers, each with its own lab AWS; a module stays on one worker and the longest
# start first (tests/scheduling.py, docs/testing.md). Measured on the 2-core VM: see the README.
PYTEST_WORKERS ?= 3
pytest: ## The test suite (unit and integration against the real lab), on PYTEST_WORKERS workers
	$(TIMED) pytest pytest -n $(PYTEST_WORKERS) \
		$(if $(CHAINOPS_TEST_REPORT),--junitxml=$(CHAINOPS_TEST_REPORT)/pytest.xml)

# Scenarios at once; each has its own lab AWS port (docs/lab.md).
MOLECULE_JOBS ?= 2
molecule: ## Every role's molecule scenario (in the collection), MOLECULE_JOBS at once
	MOLECULE_JOBS=$(MOLECULE_JOBS) $(TIMED) molecule scripts/molecule-all

constraints: ## Re-resolve pyproject.toml's dependencies into requirements/constraints.txt
	scripts/lock-constraints
