"""Consumer configuration from flags and environment: defaults, validation, exit 2 on bad input."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from chainops.cli import main
from chainops.consumer.cli import build_config, register
from chainops.consumer.config import ConsumerConfig
from chainops.paths import COLLECTION_ROOT, REPO_ROOT
from tests.helpers import (
    check_documented_defaults,
    check_flags_carry_no_defaults,
    parse_env_file,
    render_role_templates,
)

ROLE = COLLECTION_ROOT / "roles" / "listener_service"

GOOD = [
    "--stream", "chainops-events",
    "--lease-table", "chainops-leases",
    "--idempotency-table", "chainops-idempotency",
    "--bucket", "chainops-lake",
    "--dlq-url", "http://127.0.0.1:4602/123456789012/chainops-dlq",
]  # fmt: skip


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers())
    return parser.parse_args(["consumer", *argv])


def test_defaults() -> None:
    """Unset flags take the documented defaults; the consumer id is hostname-pid."""
    config = build_config(_parse(GOOD), {})
    assert (config.max_attempts, config.batch_limit, config.lease_seconds) == (3, 1000, 10)
    assert config.metrics_namespace == "Chainops/Consumer"
    assert config.idempotency_ttl_seconds == 7 * 86_400
    assert config.consumer_id.rsplit("-", 1)[1].isdigit()


@pytest.mark.parametrize(
    ("flag", "value", "field"),
    [
        ("--batch-limit", "0", "batch_limit"),
        ("--batch-limit", "10001", "batch_limit"),
        ("--max-attempts", "0", "max_attempts"),
        ("--lease-seconds", "1", "lease_seconds"),
        ("--bucket", "Not_A_Bucket", "bucket"),
        ("--stream", "bad stream", "stream"),
        ("--dlq-url", "queue", "dlq_url"),
        ("--endpoint-url", "localhost:4602", "endpoint_url"),
        ("--consumer-id", "a#b", "consumer_id"),
    ],
)
def test_bad_values_are_refused(flag: str, value: str, field: str) -> None:
    """Each bad value fails validation naming its field."""
    with pytest.raises(ValidationError) as caught:
        build_config(_parse([*GOOD, flag, value]), {})
    assert [error["loc"][0] for error in caught.value.errors()] == [field]


def test_cli_exits_2_with_a_clear_message(capsys: pytest.CaptureFixture[str]) -> None:
    """Bad input ends the command with exit 2 and one line per problem, no traceback."""
    assert main(["consumer", *GOOD, "--batch-limit", "0", "--bucket", "UP"]) == 2
    err = capsys.readouterr().err
    assert "chainops consumer: batch_limit (--batch-limit, CHAINOPS_BATCH_LIMIT):" in err
    assert "chainops consumer: bucket (--bucket, CHAINOPS_BUCKET):" in err
    assert "Traceback" not in err


def test_the_cli_has_no_defaults_of_its_own() -> None:
    """A consumer setting's default exists once, in the model: no flag carries one."""
    check_flags_carry_no_defaults(register, "consumer", ConsumerConfig)
    config = build_config(_parse(GOOD), {})
    for name, field in ConsumerConfig.model_fields.items():
        if not field.is_required() and field.default_factory is None:
            assert getattr(config, name) == field.default, name


def test_the_environment_file_alone_configures_a_consumer() -> None:
    """CHAINOPS_* variables set what the flags would; a flag overrides its variable."""
    environ = {
        "CHAINOPS_STREAM": "chainops-events",
        "CHAINOPS_LEASE_TABLE": "chainops-leases",
        "CHAINOPS_IDEMPOTENCY_TABLE": "chainops-idempotency",
        "CHAINOPS_BUCKET": "chainops-lake",
        "CHAINOPS_DLQ_URL": "http://127.0.0.1:4602/123456789012/chainops-dlq",
        "CHAINOPS_CONSUMER_ID": "host-1",
        "CHAINOPS_BATCH_LIMIT": "500",
    }
    config = build_config(_parse(["--batch-limit", "250"]), environ)
    assert (config.consumer_id, config.bucket, config.batch_limit) == (
        "host-1",
        "chainops-lake",
        250,
    )


def test_unknown_crash_point_is_refused(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The test hook's variable accepts only the documented crash points."""
    monkeypatch.setenv("CHAINOPS_CONSUMER_CRASH_AT", "sometime")
    assert main(["consumer", *GOOD]) == 2
    assert "CHAINOPS_CONSUMER_CRASH_AT" in capsys.readouterr().err


def test_listener_service_settings_cover_the_model() -> None:
    """Every consumer field is set by a role variable, allowed in
    listener_service_consumer_settings, the unit's per-instance id, or AWS_ENDPOINT_URL."""
    variables = yaml.safe_load((ROLE / "vars" / "main.yml").read_text())
    owned = set(re.findall(r"'(\w+)':", variables["listener_service__consumer_settings"]))
    allowed = set(variables["listener_service__consumer_setting_names"])
    assert not owned & allowed
    assert owned | allowed | {"consumer_id", "endpoint_url"} == set(ConsumerConfig.model_fields)


def test_the_roles_environment_file_and_unit_configure_the_consumer(tmp_path: Path) -> None:
    """consumer.env as the role writes it and the unit's CHAINOPS_CONSUMER_ID are all an
    instance gets (no flags)."""
    rendered = render_role_templates(
        tmp_path,
        "listener_service",
        ["consumer.env.j2", "chainops-consumer@.service.j2"],
        {
            "listener_service_stream_name": "chainops-events",
            "listener_service_lease_table": "chainops-leases",
            "listener_service_idempotency_table": "chainops-idempotency",
            "listener_service_bucket": "chainops-lake",
            "listener_service_dlq_url": "http://127.0.0.1:4602/123456789012/chainops-dlq",
            "listener_service_aws_region": "us-east-1",
            "listener_service_consumer_settings": {"batch_limit": 250},
        },
    )
    unit = rendered["chainops-consumer@.service.j2"]
    assert re.search(r"^ExecStart=\S+/bin/chainops-consumer$", unit, re.M)
    assert re.search(r"^Environment=CHAINOPS_CONSUMER_ID=%H-%i$", unit, re.M)
    environ = {**parse_env_file(rendered["consumer.env.j2"]), "CHAINOPS_CONSUMER_ID": "h-1"}
    config = build_config(_parse([]), environ)
    assert config == ConsumerConfig(
        stream="chainops-events",
        lease_table="chainops-leases",
        idempotency_table="chainops-idempotency",
        bucket="chainops-lake",
        dlq_url="http://127.0.0.1:4602/123456789012/chainops-dlq",
        consumer_id="h-1",
        batch_limit=250,
    )


def test_the_docs_flag_table_shows_the_models_defaults() -> None:
    """docs/consumer.md's flag table lists every flag with the model's default."""
    check_documented_defaults(REPO_ROOT / "docs" / "consumer.md", ConsumerConfig)
