"""ECS: services keep the settings Terraform sets, so a Fargate service plans empty.

moto 5.2.5's CreateService ignores availabilityZoneRebalancing, capacityProviderStrategy,
deploymentConfiguration (circuit breaker, minimum/maximum percent),
healthCheckGracePeriodSeconds, enableECSManagedTags, enableExecuteCommand and placement
settings, and reports launchType EC2 for a service placed by a capacity provider strategy. An
``aws_ecs_service`` with any of them planned a change (or a replacement, for the capacity
provider strategy) after every apply.

The lab keeps them as given and reports AWS's defaults when they are not: rebalancing
ENABLED, circuit breaker off, 200 %/100 %, platform version LATEST on Fargate, no launch type
with a capacity provider strategy.
"""

from __future__ import annotations

import functools
from typing import Any

DEFAULT_DEPLOYMENT_CONFIGURATION: dict[str, Any] = {
    "deploymentCircuitBreaker": {"enable": False, "rollback": False},
    "maximumPercent": 200,
    "minimumHealthyPercent": 100,
}

# CreateService parameter → the Service attribute moto's serialiser reads it from.
_KEPT = {
    "availabilityZoneRebalancing": "availability_zone_rebalancing",
    "capacityProviderStrategy": "capacity_provider_strategy",
    "healthCheckGracePeriodSeconds": "health_check_grace_period_seconds",
    "enableECSManagedTags": "enable_ecs_managed_tags",
    "enableExecuteCommand": "enable_execute_command",
    "placementConstraints": "placement_constraints",
    "placementStrategy": "placement_strategy",
}


def plain(value: Any) -> Any:
    """moto's parsed request values (XFormedDicts) as plain dicts and lists."""
    if hasattr(value, "original_dict"):
        return value.original_dict()
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def deployment_configuration(given: dict[str, Any] | None) -> dict[str, Any]:
    """The deploymentConfiguration AWS reports: the given one over AWS's defaults."""
    merged = {**DEFAULT_DEPLOYMENT_CONFIGURATION, **(given or {})}
    breaker = {**DEFAULT_DEPLOYMENT_CONFIGURATION["deploymentCircuitBreaker"]}
    breaker.update(merged.get("deploymentCircuitBreaker") or {})
    merged["deploymentCircuitBreaker"] = breaker
    return merged


def normalise(service: Any) -> None:
    """Make a service's reported settings consistent, as AWS reports them."""
    service.deployment_configuration = deployment_configuration(
        plain(getattr(service, "deployment_configuration", None))
    )
    strategy = plain(getattr(service, "capacity_provider_strategy", None)) or []
    service.capacity_provider_strategy = strategy
    if strategy:
        service.launch_type = None
    fargate = service.launch_type == "FARGATE" or any(
        str(item.get("capacityProvider", "")).startswith("FARGATE") for item in strategy
    )
    if fargate and not service.platform_version:
        service.platform_version = "LATEST"
    for deployment in service.deployments:
        if strategy:
            deployment.pop("launchType", None)
            deployment["capacityProviderStrategy"] = strategy
        else:
            deployment["launchType"] = service.launch_type
        if service.platform_version:
            deployment["platformVersion"] = service.platform_version
    service.enable_ecs_managed_tags = bool(getattr(service, "enable_ecs_managed_tags", False))
    service.enable_execute_command = bool(getattr(service, "enable_execute_command", False))


def _create_with_settings(original: Any) -> Any:
    @functools.wraps(original)
    def create_service(self: Any) -> Any:
        result = original(self)
        service = result.result["service"]
        for param, attribute in _KEPT.items():
            setattr(service, attribute, plain(self._get_param(param)))
        service.availability_zone_rebalancing = service.availability_zone_rebalancing or "ENABLED"
        service.deployment_configuration = plain(self._get_param("deploymentConfiguration"))
        service.placement_constraints = service.placement_constraints or []
        service.placement_strategy = service.placement_strategy or []
        normalise(service)
        return result

    return create_service


def _update_with_settings(original: Any) -> Any:
    @functools.wraps(original)
    def update_service(self: Any) -> Any:
        result = original(self)
        normalise(result.result["service"])
        return result

    return update_service


def install() -> None:
    from moto.ecs.responses import EC2ContainerServiceResponse as Response

    Response.create_service = _create_with_settings(Response.create_service)
    Response.update_service = _update_with_settings(Response.update_service)
