"""LabSettings: one default endpoint, the lab inventory's, which the environment overrides."""

from __future__ import annotations

import pytest
import yaml
from moto.core.models import DEFAULT_ACCOUNT_ID

from chainops.errors import UsageError
from chainops.lab.settings import LAB_ACCESS_KEY, LAB_SECRET_KEY, LabSettings
from chainops.paths import REPO_ROOT

VARIABLES = ("HOST", "PORT", "REGIONS", "MAX_DISK_GIB", "ACCOUNT")


def test_defaults_are_the_lab_inventorys() -> None:
    """A bare `chainops lab status` looks at the lab that `make lab` starts: endpoint, region and
    credentials are the ones inventories/lab/aws_ec2.yml (their one home in YAML) writes."""
    inventory = yaml.safe_load((REPO_ROOT / "inventories" / "lab" / "aws_ec2.yml").read_text())
    assert LabSettings().endpoint == inventory["endpoint_url"]
    assert LabSettings().regions[0] == inventory["regions"][0]
    assert (inventory["access_key"], inventory["secret_key"]) == (LAB_ACCESS_KEY, LAB_SECRET_KEY)
    # Nothing else restates the host, e.g. the Makefile for `make lab/status/down`.
    assert "CHAINOPS_LAB_HOST" not in (REPO_ROOT / "Makefile").read_text()


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
    monkeypatch.setenv("CHAINOPS_LAB_ACCOUNT", "210987654321")
    settings = LabSettings.from_env()
    assert settings.endpoint == "http://127.0.0.1:4599"
    assert settings.regions == ("eu-west-1", "us-east-1")
    assert settings.max_disk_gib == 4
    assert settings.account == "210987654321"


def test_default_account_is_motos() -> None:
    """A lab started without an account is the one moto answers by default."""
    assert LabSettings().account == DEFAULT_ACCOUNT_ID


def test_account_must_be_an_account_id() -> None:
    """An account that is not 12 digits is refused before any lab starts with it."""
    with pytest.raises(ValueError, match="12 digits"):
        LabSettings(account="dev")


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("CHAINOPS_LAB_PORT", "abc", "CHAINOPS_LAB_PORT='abc': not an integer"),
        ("CHAINOPS_LAB_PORT", "0", "CHAINOPS_LAB_PORT='0': a TCP port is 1 to 65535"),
        ("CHAINOPS_LAB_MAX_DISK_GIB", "1.5", "CHAINOPS_LAB_MAX_DISK_GIB='1.5': not an integer"),
        ("CHAINOPS_LAB_REGIONS", " , ", "CHAINOPS_LAB_REGIONS=' , ': AWS regions"),
        ("CHAINOPS_LAB_ACCOUNT", "12345", "CHAINOPS_LAB_ACCOUNT='12345': an AWS account id is"),
    ],
)
def test_bad_variable_is_named(variable: str, value: str, message: str) -> None:
    """from_env refuses a bad value: a UsageError naming the variable, its value and the rule."""
    with pytest.raises(UsageError) as caught:
        LabSettings.from_env({variable: value})
    assert str(caught.value).startswith(message)


def test_empty_variable_keeps_the_default() -> None:
    """An empty variable counts as unset, as for the services' CHAINOPS_* settings."""
    empty = {"CHAINOPS_LAB_HOST": "", "CHAINOPS_LAB_PORT": " "}
    assert LabSettings.from_env(empty) == LabSettings()
