# chainops: the two commands are `make lab` and `make test`; everything else is a step of them.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

CACHE ?= $(or $(CHAINOPS_CACHE),$(or $(XDG_CACHE_HOME),$(HOME)/.cache)/chainops)
export CHAINOPS_CACHE := $(CACHE)
export CONTAINERS_CONF := $(CURDIR)/containers/containers.conf
export ANSIBLE_CONFIG := $(CURDIR)/ansible.cfg
export PATH := $(CURDIR)/.venv/bin:$(PATH)

.PHONY: help bootstrap lab down status test lint yamllint ansible-checks terraform-checks \
	checkov python-checks pytest molecule constraints

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-18s %s\n", $$1, $$2}'

bootstrap: ## Install everything (Debian packages, cached venvs, lab base image)
	scripts/bootstrap

# The lab inventory puts the lab AWS on the podman gateway (inventories/lab/group_vars/all/main.yml).
lab down status: export CHAINOPS_LAB_HOST := 10.88.0.1

lab: bootstrap ## Install, bring the lab up and run site.yml against it (its lab phase starts the lab AWS)
	ansible-playbook site.yml

down: ## Remove the lab hosts and stop the lab AWS
	chainops lab down

status: ## Show the lab endpoint and its nodes
	chainops lab status

test: bootstrap lint ## Install everything and run every gate and test
	@# pytest and molecule use lab AWS instances on different ports; each keeps about one core
	@# busy (a lab AWS process, Ansible, Terraform), so side by side they use both.
	$(MAKE) --no-print-directory -j2 --output-sync=target pytest molecule

lint: ansible-checks terraform-checks checkov python-checks ## Every static gate

ansible-checks: ## yamllint, ansible-lint (production profile), syntax check
	scripts/ansible-checks

terraform-checks: ## terraform fmt -check, validate and test per module and stack
	scripts/terraform-checks

checkov: ## checkov over terraform/ (own venv; --skip-download: its guideline API is unreachable)
	$(CACHE)/checkov --compact --skip-download --framework terraform -d terraform

python-checks: ## ruff (lint + format) and mypy --strict
	ruff check src tests benchmarks collections roles molecule
	ruff format --check src tests benchmarks collections roles molecule
	mypy

pytest: ## The test suite (unit and integration against the real lab)
	pytest

molecule: ## Every molecule scenario (roles/*/molecule and molecule/)
	scripts/molecule-all

constraints: ## Re-resolve pyproject.toml's dependencies into requirements/constraints.txt
	scripts/lock-constraints
