"""How solana_rpc_node configures the gateway: its environment file is the whole configuration,
written from the model's field names, and the role's copies of a value agree with their home."""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Any

import yaml

from chainops.paths import COLLECTION_ROOT
from chainops.rpcgateway.cli import build_config, register
from chainops.rpcgateway.config import GatewayConfig
from tests.helpers import parse_env_file, render_role_templates

ROLE = COLLECTION_ROOT / "roles" / "solana_rpc_node"
TEMPLATES = ["rpc-gateway.env.j2", "chainops-rpc-gateway.service.j2"]


def _role_yaml(path: str) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROLE / path).read_text())
    return loaded


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers())
    return parser


def test_the_role_sets_or_allows_every_gateway_field() -> None:
    """Every GatewayConfig field is set by a role variable or allowed in
    solana_rpc_node_gateway_settings; the node's PubSub URL follows the gateway's own rule."""
    variables = _role_yaml("vars/main.yml")
    owned = set(re.findall(r"'(\w+)':", variables["solana_rpc_node__gateway_settings"]))
    allowed = set(variables["solana_rpc_node__gateway_setting_names"])
    assert not owned & allowed
    assert owned | allowed | {"upstream_ws"} == set(GatewayConfig.model_fields)


def test_the_roles_environment_file_alone_configures_the_gateway(tmp_path: Path) -> None:
    """rpc-gateway.env as the role writes it is all the unit gives the gateway (no flags): the
    public ports, the node on its internal ones, the group, the region, the endpoint, and the
    disks /health watches (the node's ledger and accounts)."""
    rendered = render_role_templates(
        tmp_path,
        "solana_rpc_node",
        TEMPLATES,
        {
            "tags": {"aws:autoscaling:groupName": "prod-rpc", "chainops:role": "rpc"},
            "placement": {"region": "eu-west-1"},
            "solana_rpc_node_gateway_endpoint_url": "http://lab-aws.internal:4566",
            "solana_rpc_node_gateway_settings": {"metrics_interval_s": 30},
            "solana_rpc_node_gateway_environment": {"AWS_ACCESS_KEY_ID": "AKIDEXAMPLE"},
        },
    )
    unit = rendered["chainops-rpc-gateway.service.j2"]
    exec_start = re.search(r"^ExecStart=(.*)$", unit, re.M)
    assert exec_start is not None
    assert exec_start.group(1) == "/opt/solana/gateway/current/bin/chainops-rpc-gateway"
    environ = parse_env_file(rendered["rpc-gateway.env.j2"])
    assert environ["AWS_ACCESS_KEY_ID"] == "AKIDEXAMPLE"
    config = build_config(_parser().parse_args(["rpc-gateway"]), environ)
    assert config == GatewayConfig(
        host="0.0.0.0",  # noqa: S104 - the public ports, as Agave's RPC binds them
        upstream_rpc="http://127.0.0.1:8999",
        group_name="prod-rpc",
        region="eu-west-1",
        endpoint_url="http://lab-aws.internal:4566",
        metrics_interval_s=30,
        health_disk_paths=("/mnt/ledger", "/mnt/accounts"),
        health_max_disk_used_percent=95,
    )
    assert config.pubsub_url == "ws://127.0.0.1:9000"


def test_a_node_outside_a_group_publishes_under_its_instance_id(tmp_path: Path) -> None:
    """No aws:autoscaling:groupName tag: the metrics' dimension is the instance id."""
    rendered = render_role_templates(
        tmp_path,
        "solana_rpc_node",
        ["rpc-gateway.env.j2"],
        {"tags": {"chainops:role": "rpc"}, "instance_id": "i-0123456789abcdef0"},
    )
    environ = parse_env_file(rendered["rpc-gateway.env.j2"])
    assert environ["CHAINOPS_GROUP_NAME"] == "i-0123456789abcdef0"
    assert "CHAINOPS_ENDPOINT_URL" not in environ  # AWS's own endpoint


def test_the_roles_new_defaults_are_documented_as_they_are() -> None:
    """defaults/main.yml and argument_specs give the gateway's and the node's port variables the
    same defaults (the README's table is generated from the specs)."""
    defaults = _role_yaml("defaults/main.yml")
    options = _role_yaml("meta/argument_specs.yml")["argument_specs"]["main"]["options"]
    prefixes = ("solana_rpc_node_gateway_", "solana_rpc_node_internal_")
    names = [name for name in options if name.startswith(prefixes)]
    assert names == [name for name in defaults if name.startswith(prefixes)]
    for name in names:
        if "default" in options[name]:
            assert options[name]["default"] == defaults[name], name
