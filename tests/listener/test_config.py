import pytest
from pydantic import ValidationError

from chainops.cli import main
from chainops.listener.config import ListenerConfig, ws_url_for
from chainops.listener.decode import DEFAULT_PROGRAMS

REQUIRED = ["--stream", "events", "--checkpoint-table", "checkpoints", "--listener-id", "a"]


def test_bad_flags_exit_2_naming_each_problem(capsys: pytest.CaptureFixture[str]):
    """Every invalid value is reported on its own line before anything starts."""
    argv = ["listener", "--rpc", "ftp://node", *REQUIRED, "--batch-records", "501"]
    argv += ["--commitment", "processed", "--program", "not-a-key"]
    assert main(argv) == 2
    errors = capsys.readouterr().err
    assert "rpc: Value error, 'ftp://node' is not a http/https URL" in errors
    assert "batch_records: Input should be less than or equal to 500" in errors
    assert "commitment: Input should be 'confirmed' or 'finalized'" in errors
    assert "'not-a-key' is not a base58 program id" in errors


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
