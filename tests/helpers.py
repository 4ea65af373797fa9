"""Helpers shared by tests: Ansible against the test lab, lab resources as the stacks make them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from chainops.lab.settings import LabSettings
from chainops.paths import REPO_ROOT

LAB_INVENTORY = REPO_ROOT / "inventories" / "lab"
# The user's lab, as the lab inventory names it (tests/lab/test_settings.py keeps them equal).
DEFAULT_ENDPOINT = LabSettings().endpoint
VENV_BIN = Path(sys.executable).parent


def copy_lab_inventory(destination: Path, endpoint: str) -> Path:
    """inventories/lab copied to `destination`, pointed at `endpoint` instead of the user's lab."""
    copy = destination / "lab"
    shutil.copytree(LAB_INVENTORY, copy)
    for name in ("aws_ec2.yml", "group_vars/all/main.yml"):
        path = copy / name
        text = path.read_text()
        assert DEFAULT_ENDPOINT in text, f"{name} no longer names {DEFAULT_ENDPOINT}"
        path.write_text(text.replace(DEFAULT_ENDPOINT, endpoint))
    return copy


def ansible_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"
    env["ANSIBLE_CONFIG"] = str(REPO_ROOT / "ansible.cfg")
    env["ANSIBLE_NOCOLOR"] = "1"
    env.update(extra)
    return env


def run_playbook(
    playbook: str, inventory: Path, *args: str, timeout: int = 900
) -> subprocess.CompletedProcess[str]:
    """ansible-playbook from the repo root, as a user would run it; never raises on failure."""
    return subprocess.run(
        [str(VENV_BIN / "ansible-playbook"), "-i", str(inventory), playbook, *args],
        capture_output=True,
        text=True,
        env=ansible_env(),
        cwd=REPO_ROOT,
        timeout=timeout,
        check=False,
    )


def create_key_table(dynamodb: Any, table: str, key: str, ttl_attribute: str | None = None) -> None:
    """A pay-per-request table with one string hash key, as the blockchain stack makes them."""
    dynamodb.create_table(
        TableName=table,
        KeySchema=[{"AttributeName": key, "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": key, "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    if ttl_attribute is not None:
        dynamodb.update_time_to_live(
            TableName=table,
            TimeToLiveSpecification={"Enabled": True, "AttributeName": ttl_attribute},
        )
