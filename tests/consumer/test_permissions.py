"""The consumer's permission list is exactly the AWS calls its package makes."""

from __future__ import annotations

import re
from pathlib import Path

import chainops.consumer
from chainops.consumer.config import ConsumerConfig
from chainops.consumer.layout import LAKE_PREFIX
from chainops.consumer.permissions import ACTIONS, KEY_USE
from chainops.paths import REPO_ROOT
from tests.aws_calls import aws_calls, created_services

PACKAGE = Path(chainops.consumer.__file__).parent
STACK_MAIN = REPO_ROOT / "terraform" / "stacks" / "blockchain" / "main.tf"


def test_every_call_has_its_action_in_the_list() -> None:
    """A boto3 call added to the package fails here until its action is listed."""
    missing = [call for call in aws_calls(PACKAGE) if call.action not in ACTIONS]
    assert missing == []


def test_every_listed_action_is_called() -> None:
    """Least privilege: no action is listed that the package does not call."""
    assert set(ACTIONS) == {call.action for call in aws_calls(PACKAGE)}


def test_the_key_is_used_through_services_the_package_calls() -> None:
    """kms:ViaService names only services the package has clients for."""
    assert set().union(*KEY_USE.values()) <= created_services(PACKAGE)


def _stack_local(name: str) -> str:
    match = re.search(rf'^\s*{name}\s*=\s*"([^"]*)"', STACK_MAIN.read_text(), re.MULTILINE)
    assert match, f"local.{name} not found in {STACK_MAIN}"
    return match.group(1)


def test_the_stack_grants_where_the_consumer_writes_and_meters() -> None:
    """The stack's lake prefix (policy and tiering) and metrics namespace are the consumer's;
    tests/terraform/test_stacks.py checks the applied policy and lifecycle rule too."""
    assert _stack_local("lake_prefix") == LAKE_PREFIX
    namespace = ConsumerConfig.model_fields["metrics_namespace"].default
    assert _stack_local("consumer_metrics_namespace") == namespace
