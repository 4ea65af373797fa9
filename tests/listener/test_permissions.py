"""The listener's permission list is exactly the AWS calls its package makes."""

from __future__ import annotations

from pathlib import Path

import chainops.listener
from chainops.listener.permissions import ACTIONS, KEY_USE
from tests.aws_calls import aws_calls, created_services

PACKAGE = Path(chainops.listener.__file__).parent


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
