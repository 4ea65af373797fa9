import argparse
import subprocess
import sys

import pytest
from pydantic import ValidationError

from chainops.cli import main
from chainops.paths import REPO_ROOT
from chainops.rpcgateway.cli import build_config, register
from chainops.rpcgateway.config import GatewayConfig
from chainops.validator.config import DEFAULT_RPC_PORT
from tests.helpers import check_documented_defaults, check_flags_carry_no_defaults

REQUIRED = ["--upstream-rpc", "http://127.0.0.1:8999", "--group-name", "rpc"]


def test_bad_flags_exit_2_naming_each_problem(capsys: pytest.CaptureFixture[str]) -> None:
    """Every invalid value is reported on its own line before anything starts."""
    argv = ["rpc-gateway", "--upstream-rpc", "ftp://node", "--group-name", "rpc"]
    argv += ["--upstream-ws", "http://node:1", "--rpc-port", "70000", "--metrics-interval-s", "0"]
    assert main(argv) == 2
    errors = capsys.readouterr().err
    assert (
        "upstream_rpc (--upstream-rpc, CHAINOPS_UPSTREAM_RPC): Value error, 'ftp://node' is not"
        " a http/https URL" in errors
    )
    assert "upstream_ws (--upstream-ws, CHAINOPS_UPSTREAM_WS): Value error" in errors
    assert "rpc_port (--rpc-port, CHAINOPS_RPC_PORT): Input should be less than" in errors
    assert "metrics_interval_s (--metrics-interval-s, CHAINOPS_METRICS_INTERVAL_S)" in errors
    assert "Traceback" not in errors


def test_a_missing_setting_is_named_by_the_command(tmp_path: object) -> None:
    """`chainops rpc-gateway` without its group name: exit 2, one line naming the setting."""
    ran = subprocess.run(
        [sys.executable, "-m", "chainops", "rpc-gateway", "--upstream-rpc", "http://n:1"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert ran.returncode == 2, ran.stderr
    assert ran.stderr.splitlines() == [
        "chainops rpc-gateway: group_name (--group-name, CHAINOPS_GROUP_NAME): Field required"
    ]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers())
    return parser


def test_the_cli_has_no_defaults_of_its_own() -> None:
    """A gateway setting's default exists once, in the model."""
    check_flags_carry_no_defaults(register, "rpc-gateway", GatewayConfig)
    config = build_config(_parser().parse_args(["rpc-gateway", *REQUIRED]), {})
    assert config == GatewayConfig(upstream_rpc="http://127.0.0.1:8999", group_name="rpc")
    assert (config.rpc_port, config.ws_port) == (DEFAULT_RPC_PORT, DEFAULT_RPC_PORT + 1)
    assert (config.metrics_namespace, config.metrics_interval_s) == ("Chainops/RPC", 60.0)


def test_settings_come_from_the_environment_and_flags_win() -> None:
    environ = {
        "CHAINOPS_UPSTREAM_RPC": "http://127.0.0.1:8999",
        "CHAINOPS_GROUP_NAME": "env-group",
        "CHAINOPS_METRICS_INTERVAL_S": "30",
        "CHAINOPS_REGION": "",
    }
    args = _parser().parse_args(["rpc-gateway", "--group-name", "flag-group"])
    config = build_config(args, environ)
    assert (config.group_name, config.metrics_interval_s) == ("flag-group", 30.0)
    assert config.region is None


def test_the_pubsub_url_follows_solanas_rule_unless_given() -> None:
    """Without --upstream-ws the node's PubSub is its RPC port + 1, ws for http, wss for https."""
    assert GatewayConfig(upstream_rpc="http://10.0.0.1:8999", group_name="g").pubsub_url == (
        "ws://10.0.0.1:9000"
    )
    assert GatewayConfig(upstream_rpc="https://node.example", group_name="g").pubsub_url == (
        "wss://node.example"
    )
    assert GatewayConfig(upstream_rpc="http://[::1]:8999", group_name="g").pubsub_url == (
        "ws://[::1]:9000"
    )
    given = GatewayConfig(upstream_rpc="http://n:1", upstream_ws="ws://n:7", group_name="g")
    assert given.pubsub_url == "ws://n:7"
    with pytest.raises(ValidationError, match="not a ws/wss URL"):
        GatewayConfig(upstream_rpc="http://n:1", upstream_ws="http://n:2", group_name="g")


def test_the_docs_flag_table_shows_the_models_defaults() -> None:
    """docs/rpc-gateway.md's flag table lists every flag with the model's default."""
    check_documented_defaults(REPO_ROOT / "docs" / "rpc-gateway.md", GatewayConfig)
