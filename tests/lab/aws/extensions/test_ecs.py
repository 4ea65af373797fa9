"""The ECS extension: a service reads back the settings it was created and updated with."""

from __future__ import annotations

from typing import Any

import pytest

from chainops.lab.aws import clients
from chainops.lab.settings import LabSettings


@pytest.fixture
def ecs(lab: LabSettings) -> Any:
    client = clients.client(lab, "ecs")
    client.create_cluster(clusterName="chain")
    client.register_task_definition(
        family="listener",
        requiresCompatibilities=["FARGATE"],
        networkMode="awsvpc",
        cpu="512",
        memory="1024",
        containerDefinitions=[{"name": "listener", "image": "busybox", "essential": True}],
    )
    return client


def _service(ecs: Any) -> dict[str, Any]:
    (service,) = ecs.describe_services(cluster="chain", services=["listener"])["services"]
    return dict(service)


def test_fargate_service_settings_read_back(ecs: Any) -> None:
    """Capacity providers, circuit breaker, AZ rebalancing and friends come back as set."""
    strategy = [
        {"capacityProvider": "FARGATE", "weight": 1, "base": 1},
        {"capacityProvider": "FARGATE_SPOT", "weight": 3, "base": 0},
    ]
    ecs.create_service(
        cluster="chain",
        serviceName="listener",
        taskDefinition="listener",
        desiredCount=2,
        capacityProviderStrategy=strategy,
        availabilityZoneRebalancing="ENABLED",
        deploymentConfiguration={
            "deploymentCircuitBreaker": {"enable": True, "rollback": True},
            "minimumHealthyPercent": 50,
            "maximumPercent": 200,
        },
        healthCheckGracePeriodSeconds=60,
        enableExecuteCommand=True,
        enableECSManagedTags=True,
    )
    service = _service(ecs)
    assert service["capacityProviderStrategy"] == strategy
    assert "launchType" not in service
    assert service["platformVersion"] == "LATEST"
    assert service["availabilityZoneRebalancing"] == "ENABLED"
    assert service["deploymentConfiguration"] == {
        "deploymentCircuitBreaker": {"enable": True, "rollback": True},
        "minimumHealthyPercent": 50,
        "maximumPercent": 200,
    }
    assert service["healthCheckGracePeriodSeconds"] == 60
    assert service["enableExecuteCommand"] is True
    assert service["enableECSManagedTags"] is True
    assert service["deployments"][0]["capacityProviderStrategy"] == strategy


def test_defaults_are_aws_defaults(ecs: Any) -> None:
    """Unset settings read back as AWS reports them for a new Fargate service."""
    ecs.create_service(
        cluster="chain",
        serviceName="listener",
        taskDefinition="listener",
        desiredCount=1,
        launchType="FARGATE",
    )
    service = _service(ecs)
    assert service["launchType"] == "FARGATE"
    assert service["availabilityZoneRebalancing"] == "ENABLED"
    assert service["deploymentConfiguration"] == {
        "deploymentCircuitBreaker": {"enable": False, "rollback": False},
        "maximumPercent": 200,
        "minimumHealthyPercent": 100,
    }
    assert service["enableExecuteCommand"] is False


def test_update_keeps_settings_consistent(ecs: Any) -> None:
    """An update changes what it names, fills in defaults and leaves the rest."""
    ecs.create_service(
        cluster="chain",
        serviceName="listener",
        taskDefinition="listener",
        desiredCount=1,
        capacityProviderStrategy=[{"capacityProvider": "FARGATE", "weight": 1, "base": 0}],
        availabilityZoneRebalancing="ENABLED",
    )
    ecs.update_service(
        cluster="chain",
        service="listener",
        desiredCount=3,
        availabilityZoneRebalancing="DISABLED",
        deploymentConfiguration={"deploymentCircuitBreaker": {"enable": True, "rollback": False}},
    )
    service = _service(ecs)
    assert service["desiredCount"] == 3
    assert service["availabilityZoneRebalancing"] == "DISABLED"
    assert service["deploymentConfiguration"]["deploymentCircuitBreaker"] == {
        "enable": True,
        "rollback": False,
    }
    assert service["deploymentConfiguration"]["maximumPercent"] == 200
    assert service["capacityProviderStrategy"][0]["capacityProvider"] == "FARGATE"
    assert "launchType" not in service
