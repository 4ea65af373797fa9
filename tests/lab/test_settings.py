"""LabSettings: one default endpoint, the lab inventory's, which the environment overrides."""

from __future__ import annotations

import re

import pytest
import yaml

from chainops.lab.settings import LabSettings
from chainops.paths import REPO_ROOT

VARIABLES = ("HOST", "PORT", "REGIONS", "MAX_DISK_GIB")


def test_default_endpoint_is_the_lab_inventorys() -> None:
    """A bare `chainops lab status` looks at the lab that `make lab` starts."""
    main = REPO_ROOT / "inventories" / "lab" / "group_vars" / "all" / "main.yml"
    assert LabSettings().endpoint == yaml.safe_load(main.read_text())["chainops_lab_endpoint"]
    # The Makefile may repeat the host for `make lab/status/down`; if it does, the same one.
    repeated = re.search(r"CHAINOPS_LAB_HOST\s*:?=\s*(\S+)", (REPO_ROOT / "Makefile").read_text())
    assert repeated is None or repeated.group(1) == LabSettings().host


def test_unset_environment_keeps_the_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    """from_env without CHAINOPS_LAB_* is LabSettings(): the defaults live in one place."""
    for variable in VARIABLES:
        monkeypatch.delenv(f"CHAINOPS_LAB_{variable}", raising=False)
    assert LabSettings.from_env() == LabSettings()


def test_environment_overrides_each_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each CHAINOPS_LAB_* variable sets its field; regions are comma-separated."""
    monkeypatch.setenv("CHAINOPS_LAB_HOST", "127.0.0.1")
    monkeypatch.setenv("CHAINOPS_LAB_PORT", "4599")
    monkeypatch.setenv("CHAINOPS_LAB_REGIONS", "eu-west-1, us-east-1")
    monkeypatch.setenv("CHAINOPS_LAB_MAX_DISK_GIB", "4")
    settings = LabSettings.from_env()
    assert settings.endpoint == "http://127.0.0.1:4599"
    assert settings.regions == ("eu-west-1", "us-east-1")
    assert settings.max_disk_gib == 4
