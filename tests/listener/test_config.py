import argparse
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from chainops.cli import main
from chainops.listener.cli import build_config, register
from chainops.listener.config import ListenerConfig, ws_url_for
from chainops.listener.decode import DEFAULT_PROGRAMS
from chainops.paths import COLLECTION_ROOT, REPO_ROOT
from tests.helpers import (
    check_documented_defaults,
    check_flags_carry_no_defaults,
    parse_env_file,
    render_role_templates,
)

REQUIRED = ["--stream", "events", "--checkpoint-table", "checkpoints", "--listener-id", "a"]


def test_bad_flags_exit_2_naming_each_problem(capsys: pytest.CaptureFixture[str]):
    """Every invalid value is reported on its own line before anything starts."""
    argv = ["listener", "--rpc", "ftp://node", *REQUIRED, "--batch-records", "501"]
    argv += ["--commitment", "processed", "--program", "not-a-key"]
    assert main(argv) == 2
    errors = capsys.readouterr().err
    assert "rpc (--rpc, CHAINOPS_RPC): Value error, 'ftp://node' is not a http/https URL" in errors
    assert "batch_records (--batch-records, CHAINOPS_BATCH_RECORDS): Input should be less" in errors
    assert "commitment (--commitment, CHAINOPS_COMMITMENT): Input should be 'confirmed'" in errors
    assert "'not-a-key' is not a base58 program id" in errors
    assert "Traceback" not in errors


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers())
    return parser


def test_the_cli_has_no_defaults_of_its_own():
    """A listener setting's default exists once, in the model: the CLI's flags carry none, and
    a listener given only the required settings has exactly the model's defaults."""
    check_flags_carry_no_defaults(register, "listener", ListenerConfig)
    args = _parser().parse_args(["listener", "--rpc", "http://n:1", *REQUIRED])
    config = build_config(args, {})
    assert config == ListenerConfig(
        rpc=("http://n:1",), stream="events", checkpoint_table="checkpoints", listener_id="a"
    )
    for name, field in ListenerConfig.model_fields.items():
        if not field.is_required():
            assert getattr(config, name) == field.default, name


def test_settings_come_from_the_environment_and_flags_win():
    """The unit's environment file alone configures a listener; a flag overrides its variable."""
    environ = {
        "CHAINOPS_RPC": "http://a:8899 http://b:8899",
        "CHAINOPS_STREAM": "events",
        "CHAINOPS_CHECKPOINT_TABLE": "checkpoints",
        "CHAINOPS_LISTENER_ID": "env",
        "CHAINOPS_SHUTDOWN_TIMEOUT_S": "45",
        "CHAINOPS_PROGRAMS": "",
    }
    config = build_config(_parser().parse_args(["listener", "--listener-id", "flag"]), environ)
    assert config.rpc == ("http://a:8899", "http://b:8899")
    assert (config.listener_id, config.shutdown_timeout_s) == ("flag", 45.0)
    assert config.programs == DEFAULT_PROGRAMS


def test_a_bad_variable_is_named(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
):
    """A bad value in the environment file exits 2 naming the variable, without a traceback."""
    monkeypatch.setenv("CHAINOPS_SHUTDOWN_TIMEOUT_S", "twenty")
    assert main(["listener", "--rpc", "http://n:1", *REQUIRED]) == 2
    errors = capsys.readouterr().err
    assert "shutdown_timeout_s (--shutdown-timeout-s, CHAINOPS_SHUTDOWN_TIMEOUT_S)" in errors
    assert "given 'twenty'" in errors
    assert "Traceback" not in errors


def test_names_aws_would_refuse_are_refused():
    """Stream and table names outside AWS's character sets fail validation."""
    with pytest.raises(ValidationError, match="not a Kinesis stream name"):
        ListenerConfig(rpc=("http://n:1",), stream="a b", checkpoint_table="ok1", listener_id="x")
    with pytest.raises(ValidationError, match="not a DynamoDB table name"):
        ListenerConfig(rpc=("http://n:1",), stream="s", checkpoint_table="t", listener_id="x")


def test_ws_urls_derived_like_solana_tools_or_given_per_node():
    """Without --ws the PubSub URL is the RPC port + 1; given ones must match --rpc's count."""
    assert ws_url_for("http://10.0.0.1:8899") == "ws://10.0.0.1:8900"
    assert ws_url_for("https://rpc.example.com") == "wss://rpc.example.com"
    config = ListenerConfig(
        rpc=("http://a:8899", "http://b:8899"), stream="s", checkpoint_table="cp1", listener_id="x"
    )
    assert config.nodes == [("http://a:8899", "ws://a:8900"), ("http://b:8899", "ws://b:8900")]
    assert config.programs == DEFAULT_PROGRAMS
    with pytest.raises(ValidationError, match="1 --ws URL"):
        ListenerConfig(
            rpc=("http://a:1", "http://b:1"),
            ws=("ws://a:2",),
            stream="s",
            checkpoint_table="cp1",
            listener_id="x",
        )


ROLE = COLLECTION_ROOT / "roles" / "listener_service"


def _role_yaml(path: str) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROLE / path).read_text())
    return loaded


def test_listener_service_restates_no_listener_default():
    """The role's one listener default it needs itself (the unit's stop timeout is the flush's
    plus 15 s) equals the model's, in defaults/main.yml and argument_specs alike."""
    model = ListenerConfig.model_fields["shutdown_timeout_s"].default
    variable = "listener_service_shutdown_timeout_seconds"
    assert _role_yaml("defaults/main.yml")[variable] == model
    specs = _role_yaml("meta/argument_specs.yml")["argument_specs"]["main"]["options"]
    assert specs[variable]["default"] == model


def test_listener_service_settings_cover_the_model():
    """Every listener field is set by a role variable, allowed in
    listener_service_listener_settings, or (region, endpoint) given as AWS_* to the SDK."""
    variables = _role_yaml("vars/main.yml")
    owned = set(re.findall(r"'(\w+)':", variables["listener_service__listener_settings"]))
    allowed = set(variables["listener_service__listener_setting_names"])
    assert not owned & allowed
    assert owned | allowed | {"endpoint_url", "region"} == set(ListenerConfig.model_fields)


def test_the_roles_environment_file_alone_configures_the_listener(tmp_path: Path):
    """listener.env as the role writes it is all the unit gives the listener (no flags)."""
    rendered = render_role_templates(
        tmp_path,
        "listener_service",
        ["listener.env.j2", "chainops-listener.service.j2"],
        {
            "listener_service_rpc_urls": ["http://10.0.0.1:8899", "http://10.0.0.2:8899"],
            "listener_service_stream_name": "events",
            "listener_service_checkpoint_table": "checkpoints",
            "listener_service_aws_region": "us-east-1",
            "listener_service_listener_settings": {"commitment": "finalized", "linger_ms": 50},
        },
    )
    exec_start = re.search(r"^ExecStart=(.*)$", rendered["chainops-listener.service.j2"], re.M)
    assert exec_start is not None
    assert exec_start.group(1).endswith("/bin/chainops-listener")
    environ = parse_env_file(rendered["listener.env.j2"])
    config = build_config(_parser().parse_args(["listener"]), environ)
    assert config == ListenerConfig(
        rpc=("http://10.0.0.1:8899", "http://10.0.0.2:8899"),
        stream="events",
        checkpoint_table="checkpoints",
        listener_id="chainops-listener",
        commitment="finalized",
        linger_ms=50,
    )


def test_the_docs_flag_table_shows_the_models_defaults():
    """docs/listener.md's flag table lists every flag with the model's default."""
    check_documented_defaults(REPO_ROOT / "docs" / "listener.md", ListenerConfig)
