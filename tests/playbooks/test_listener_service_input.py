"""listener_service refuses bad input before it reaches a host, naming each bad input."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import UNREACHABLE, failed_messages, run_role_unreachable

ROLE = "listener_service"
# Input the role accepts: the play gets as far as the host (UNREACHABLE).
VALID = {
    "listener_service_version": "1.0.0",
    "listener_service_artifact_checksum": "sha256:" + "0" * 64,
    "listener_service_artifact_path": "pipeline.tar.gz",
    "listener_service_aws_region": "us-east-1",
    "listener_service_stream_name": "events",
    "listener_service_checkpoint_table": "checkpoints",
    "listener_service_lease_table": "leases",
    "listener_service_idempotency_table": "idempotency",
    "listener_service_bucket": "data-lake",
    "listener_service_dlq_url": "http://sqs.us-east-1.amazonaws.com/123456789012/dlq",
    "listener_service_rpc_urls": ["http://10.0.0.1:8899"],
}


def test_valid_input_reaches_the_host(tmp_path: Path) -> None:
    """The baseline the other tests spoil one input of passes every check."""
    result = run_role_unreachable(ROLE, tmp_path, VALID)
    assert UNREACHABLE in result.stdout, result.stdout


def test_each_bad_input_is_named_on_its_own(tmp_path: Path) -> None:
    """Three bad inputs in one run: three messages, each naming its input, its rule and the
    value given (they shared one message naming none of them)."""
    bad = {
        "listener_service_shutdown_timeout_seconds": 0,
        "listener_service_consumer_instances": 17,
        "listener_service_releases_keep": 0,
    }
    result = run_role_unreachable(ROLE, tmp_path, VALID, bad)
    assert result.returncode != 0
    assert UNREACHABLE not in result.stdout
    assert failed_messages(result) == [
        "listener_service_shutdown_timeout_seconds must be positive (got 0).",
        "listener_service_consumer_instances must be 0 to 16 (got 17).",
        "listener_service_releases_keep must be at least 1 (the current release) (got 0).",
    ]


def test_other_bad_inputs_are_each_named_with_their_rule(tmp_path: Path) -> None:
    """Six more bad inputs in one run, a message each."""
    bad = {
        "listener_service_artifact_checksum": "md5:00",
        "listener_service_rpc_urls": ["ws://10.0.0.1:8900"],
        "listener_service_listener_id": "my listener",
        "listener_service_aws_region": "moon-1",
        "listener_service_bucket": "Data_Lake",
        "listener_service_consumer_settings": {"batch_limt": 5},
    }
    result = run_role_unreachable(ROLE, tmp_path, VALID, bad)
    assert UNREACHABLE not in result.stdout
    messages = failed_messages(result)
    assert [m.split()[0] for m in messages] == list(bad), result.stdout
    for message, rule in zip(
        messages,
        [
            'must be "sha256:<64 hex digits>"',
            "must list at least one RPC URL, each http(s)",
            "must be a non-empty id without spaces",
            "must be an AWS region",
            "must be an S3 bucket name",
            "may set only max_attempts, batch_limit",
        ],
        strict=True,
    ):
        assert message.split(" ", 1)[1].startswith(rule), message


def test_no_rpc_url_is_refused(tmp_path: Path) -> None:
    result = run_role_unreachable(ROLE, tmp_path, VALID, {"listener_service_rpc_urls": []})
    assert failed_messages(result) == [
        "listener_service_rpc_urls must list at least one RPC URL, each http(s) (got [])."
    ]


def test_misspelt_variable_is_named_with_the_option_meant(tmp_path: Path) -> None:
    """A variable with the role's prefix that is no option is refused, not ignored."""
    result = run_role_unreachable(ROLE, tmp_path, VALID, {"listener_service_shutdown_timout": 5})
    assert UNREACHABLE not in result.stdout
    assert failed_messages(result) == [
        "listener_service_shutdown_timout is not an option of the listener_service role"
        " (did you mean listener_service_shutdown_timeout_seconds?): a misspelt variable would"
        " be ignored."
    ]


def test_wrong_type_is_named_by_the_argument_spec(tmp_path: Path) -> None:
    result = run_role_unreachable(
        ROLE, tmp_path, VALID, {"listener_service_consumer_instances": "two"}
    )
    assert UNREACHABLE not in result.stdout
    assert "argument 'listener_service_consumer_instances' is of type str" in result.stdout
