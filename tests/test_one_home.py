"""Values with one home stay there: a repeat of one of them in code or configuration fails here,
naming the files (docs may quote a value; they are not read by anything)."""

from __future__ import annotations

import re
import subprocess

import pytest
import yaml

from chainops.lab.hosts import imds
from chainops.paths import COLLECTION_ROOT, REPO_ROOT
from tests.terraform.harness import inventory_inputs

LISTENER_SERVICE = "collections/ansible_collections/chainops/platform/roles/listener_service"
# value -> the only files (tracked, outside docs) allowed to spell it.
HOMES = {
    # The lab AWS's host: the lab inventory (Ansible) and the lab settings' default (the CLI).
    "10.88.0.1": {"inventories/lab/aws_ec2.yml", "src/chainops/lab/settings.py"},
    # The chainops CLI's path beside Ansible's Python: the collection's paths lookup.
    "ansible_playbook_python | dirname": set(),
    "ansible_playbook_python|dirname": set(),
    # The lab's dummy credentials: the lab inventory and the lab settings, which
    # tests/lab/test_settings.py keeps equal.
    '"testing"': {"src/chainops/lab/settings.py"},
    "key: testing": {"inventories/lab/aws_ec2.yml"},
    # The instance-metadata address: the lab IMDS's package (the server binds it, `lab up` adds
    # it to lo) and listener_service's default (a role reads no Python; kept equal below), which
    # its argument spec repeats as every role's does.
    "169.254.169.254": {
        "src/chainops/lab/hosts/imds/__init__.py",
        f"{LISTENER_SERVICE}/defaults/main.yml",
        f"{LISTENER_SERVICE}/meta/argument_specs.yml",
    },
    # ECS's task-role endpoint: the lab IMDS's package.
    "169.254.170.2": {"src/chainops/lab/hosts/imds/__init__.py"},
}
# Markdown is prose for people; everything else is read by a program. This file names the values.
PROSE = (".md",)
THIS = "tests/test_one_home.py"


def _tracked_files_containing(value: str) -> set[str]:
    result = subprocess.run(
        ["git", "grep", "-l", "--fixed-strings", value],
        cwd=REPO_ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode in (0, 1), result.stderr  # 1: no match
    return {p for p in result.stdout.splitlines() if not p.endswith(PROSE) and p != THIS}


@pytest.mark.parametrize(("value", "homes"), HOMES.items(), ids=list(HOMES))
def test_value_is_spelled_only_in_its_home(value: str, homes: set[str]) -> None:
    found = _tracked_files_containing(value)
    assert found == homes, f"{value!r} spelled outside its home: {sorted(found - homes)}"


def test_this_test_sees_tracked_files() -> None:
    """The check above is not vacuous: git grep finds the homes themselves."""
    assert _tracked_files_containing("10.88.0.1") >= HOMES["10.88.0.1"]


def test_the_molecule_stack_retries_as_the_lab_inventory() -> None:
    """The terraform_stack scenario's hand-written provider block keeps the lab's retries."""
    versions = (
        REPO_ROOT / "collections/ansible_collections/chainops/platform/roles/terraform_stack"
        "/molecule/default/stacks/archive/versions.tf"
    ).read_text(encoding="utf-8")
    retries = inventory_inputs("lab")["aws_provider"]["max_retries"]
    assert re.search(rf"^\s*max_retries\s*=\s*{retries}\s*$", versions, re.M), versions


def test_molecule_reads_the_lab_aws_as_the_lab_inventory_does() -> None:
    """molecule/shared/lab_aws.yml gives the scenarios the lab inventory's variables, built the
    same way from aws_ec2.yml; only the endpoint differs (the scenario's own port)."""
    inventory = yaml.safe_load(
        (REPO_ROOT / "inventories/lab/group_vars/all/main.yml").read_text(encoding="utf-8")
    )
    molecule = yaml.safe_load((REPO_ROOT / "molecule/shared/lab_aws.yml").read_text("utf-8"))
    aws = {k: v for k, v in inventory["chainops_lab_aws"].items() if k != "endpoint_url"}
    assert molecule["chainops_lab_aws"].keys() == inventory["chainops_lab_aws"].keys()
    assert {k: molecule["chainops_lab_aws"][k] for k in aws} == aws
    assert molecule["chainops_lab_cli_environment"] == inventory["chainops_lab_cli_environment"]


def test_the_listener_role_asks_where_the_lab_imds_listens() -> None:
    """listener_service_imds_url's default is the lab IMDS's address and port."""
    defaults = yaml.safe_load(
        (COLLECTION_ROOT / "roles/listener_service/defaults/main.yml").read_text(encoding="utf-8")
    )
    assert imds.PORT == 80  # the default port, which the URL leaves out
    assert defaults["listener_service_imds_url"] == f"http://{imds.ADDRESS}"
