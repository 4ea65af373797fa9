"""The validator's settings: the model holds every default, Solana's RPC port among them."""

from __future__ import annotations

import argparse
import re

import pytest
import yaml
from pydantic import ValidationError

from chainops.paths import REPO_ROOT
from chainops.validator.cli import build_config, register
from chainops.validator.config import DEFAULT_RPC_PORT, ValidatorConfig


def _commands() -> argparse._SubParsersAction[argparse.ArgumentParser]:
    commands = argparse.ArgumentParser().add_subparsers()
    register(commands)
    return commands


def test_the_cli_has_no_defaults_of_its_own() -> None:
    """A validator setting's default exists once, in the model: no flag carries one, and a node
    started without flags has the model's defaults."""
    parser = _commands().choices["validator"]
    flags = {
        a.dest: a for a in parser._actions if a.option_strings[0] not in ("-h", "--ledger-dir")
    }
    assert set(flags) == set(ValidatorConfig.model_fields)
    assert all(a.default is argparse.SUPPRESS for a in flags.values())
    assert build_config(parser.parse_args([]), {}) == ValidatorConfig()
    assert (ValidatorConfig().rpc_port, ValidatorConfig().ws_port) == (8899, 8900)


def test_mix_and_ports_from_the_environment() -> None:
    """CHAINOPS_MIX takes the flag's KIND=WEIGHT form; a bad one is a validation error."""
    parser = _commands().choices["validator"]
    config = build_config(parser.parse_args([]), {"CHAINOPS_MIX": "memo=1", "CHAINOPS_TPS": "9"})
    assert (config.mix, config.tps) == ({"memo": 1.0}, 9)
    with pytest.raises(ValidationError, match="is not a number"):
        build_config(parser.parse_args(["--mix", "memo=x"]), {})


def _yaml(path: str) -> dict[str, object]:
    loaded: dict[str, object] = yaml.safe_load((REPO_ROOT / path).read_text())
    return loaded


def test_copies_of_the_rpc_port_agree_with_the_validators() -> None:
    """What cannot import DEFAULT_RPC_PORT (role defaults, an Ansible module run on the node,
    playbook fallbacks, the security groups) names the same port: a change moves them all."""
    collection = "collections/ansible_collections/chainops/platform"
    role = f"{collection}/roles/solana_rpc_node"
    assert _yaml(f"{role}/defaults/main.yml")["solana_rpc_node_rpc_port"] == DEFAULT_RPC_PORT
    specs = _yaml(f"{role}/meta/argument_specs.yml")["argument_specs"]
    options = specs["main"]["options"]  # type: ignore[index]
    assert options["solana_rpc_node_rpc_port"]["default"] == DEFAULT_RPC_PORT
    catchup = f"{collection}/plugins/modules/solana_catchup.py"
    urls = re.findall(r"http://127\.0\.0\.1:(\d+)", (REPO_ROOT / catchup).read_text())
    assert {int(port) for port in urls} == {DEFAULT_RPC_PORT}
    for playbook in ("playbooks/verify.yml", "playbooks/vars/listener_service.yml"):
        fallbacks = re.findall(
            r"solana_rpc_node_rpc_port \| default\((\d+)\)",
            (REPO_ROOT / collection / playbook).read_text(),
        )
        assert {int(port) for port in fallbacks} == {DEFAULT_RPC_PORT}, playbook
    network = (REPO_ROOT / "terraform/stacks/foundation/network.tf").read_text()
    rules = re.findall(r"JSON-RPC[^\n]*from_port = (\d+), to_port = (\d+)", network)
    assert set(rules) == {(str(DEFAULT_RPC_PORT), str(DEFAULT_RPC_PORT + 1))}
    pipeline = (REPO_ROOT / "terraform/stacks/blockchain/pipeline.tf").read_text()
    ports = re.findall(r"^\s*rpc_port\s*=\s*(\d+)", pipeline, re.MULTILINE)
    assert ports == [str(DEFAULT_RPC_PORT)]
