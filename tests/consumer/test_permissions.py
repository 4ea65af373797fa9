"""Where the consumer writes and meters is where the blockchain stack grants it (the list of its
AWS actions against its calls: tests/test_permissions.py)."""

from __future__ import annotations

import re

from chainops.consumer.config import ConsumerConfig
from chainops.consumer.layout import LAKE_PREFIX
from chainops.paths import REPO_ROOT

STACK_MAIN = REPO_ROOT / "terraform" / "stacks" / "blockchain" / "main.tf"


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
