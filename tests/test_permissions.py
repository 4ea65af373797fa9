"""Each service's permission list (chainops.<service>.permissions) is exactly the AWS calls its
package and the pipeline's shared code (chainops.pipeline: the metrics publisher, which the RPC
gateway uses too) make: a boto3 call added fails here until its action is listed, and an action
listed that nothing calls fails too (least privilege). The stacks grant the lists
(tests/terraform/test_stacks.py)."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

import chainops.consumer
import chainops.listener
import chainops.pipeline
import chainops.rpcgateway
from chainops.consumer import permissions as consumer_permissions
from chainops.listener import permissions as listener_permissions
from chainops.rpcgateway import permissions as rpcgateway_permissions
from tests.aws_calls import aws_calls, created_services

SERVICES = {
    "consumer": (chainops.consumer, consumer_permissions),
    "listener": (chainops.listener, listener_permissions),
    "rpcgateway": (chainops.rpcgateway, rpcgateway_permissions),
}
pytestmark = pytest.mark.parametrize(
    ("package", "permissions"), SERVICES.values(), ids=list(SERVICES)
)


def _source(package: ModuleType) -> tuple[Path, Path]:
    """The service's package and the pipeline code every service shares."""
    return Path(str(package.__file__)).parent, Path(str(chainops.pipeline.__file__)).parent


def test_every_call_has_its_action_in_the_list(
    package: ModuleType, permissions: ModuleType
) -> None:
    missing = [
        call for call in aws_calls(*_source(package)) if call.action not in permissions.ACTIONS
    ]
    assert missing == []


def test_every_listed_action_is_called(package: ModuleType, permissions: ModuleType) -> None:
    assert set(permissions.ACTIONS) == {call.action for call in aws_calls(*_source(package))}


def test_the_key_is_used_through_services_the_package_calls(
    package: ModuleType, permissions: ModuleType
) -> None:
    """kms:ViaService names only services the package has clients for."""
    assert set().union(*permissions.KEY_USE.values()) <= created_services(*_source(package))
