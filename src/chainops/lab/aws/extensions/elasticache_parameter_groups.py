"""ElastiCache: cache parameter groups.

moto 5.2.5 implements no cache parameter group call (CreateCacheParameterGroup answers 500), so
``aws_elasticache_parameter_group`` cannot be created. The lab keeps groups per backend with
the parameters set on them: Describe (by name, with ``Source=user`` listing what was set, as
the provider reads it), Modify, Reset (named or all), Delete (refused while a cache cluster
uses the group), and tags by the group's ARN.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any

FAMILIES = ("redis6.x", "redis7", "valkey7", "valkey8", "memcached1.6")


@dataclass
class ParameterGroup:
    """A cache parameter group and the parameters a user set on it."""

    name: str
    family: str
    description: str
    arn: str
    parameters: dict[str, str] = field(default_factory=dict)

    def describe(self) -> dict[str, Any]:
        return {
            "CacheParameterGroupName": self.name,
            "CacheParameterGroupFamily": self.family,
            "Description": self.description,
            "IsGlobal": False,
            "ARN": self.arn,
        }


def user_parameters(group: ParameterGroup) -> list[dict[str, Any]]:
    """The parameters as DescribeCacheParameters lists those a user set."""
    return [
        {
            "ParameterName": name,
            "ParameterValue": value,
            "Source": "user",
            "DataType": "string",
            "IsModifiable": True,
            "ChangeType": "immediate",
        }
        for name, value in sorted(group.parameters.items())
    ]


def _groups(backend: Any) -> dict[str, ParameterGroup]:
    # Kept on the backend, so moto's reset (which re-creates backends) empties it too.
    groups: dict[str, ParameterGroup] = backend.__dict__.setdefault("chainops_parameter_groups", {})
    return groups


def _not_found(name: str) -> Exception:
    from moto.elasticache.exceptions import ElastiCacheException

    error: Exception = ElastiCacheException(
        "CacheParameterGroupNotFound", f"CacheParameterGroup {name} not found."
    )
    return error


def _group(response: Any) -> ParameterGroup:
    name = response._get_param("CacheParameterGroupName")
    group = _groups(response.elasticache_backend).get(name)
    if group is None:
        raise _not_found(name)
    return group


def _create(self: Any) -> Any:
    from moto.core.responses import ActionResult
    from moto.elasticache.exceptions import ElastiCacheException

    backend = self.elasticache_backend
    name = self._get_param("CacheParameterGroupName")
    family = self._get_param("CacheParameterGroupFamily")
    if family not in FAMILIES:
        raise ElastiCacheException(
            "InvalidParameterValue", f"The parameter CacheParameterGroupFamily {family} is invalid."
        )
    groups = _groups(backend)
    if name in groups:
        raise ElastiCacheException(
            "CacheParameterGroupAlreadyExists", f"Parameter group {name} already exists."
        )
    arn = f"arn:aws:elasticache:{backend.region_name}:{backend.account_id}:parametergroup:{name}"
    group = ParameterGroup(name, family, self._get_param("Description") or "", arn)
    groups[name] = group
    backend.tagging_service.tag_resource(arn, self._get_param("Tags") or [])
    return ActionResult({"CacheParameterGroup": group.describe()})


def _describe_groups(self: Any) -> Any:
    from moto.core.responses import ActionResult

    name = self._get_param("CacheParameterGroupName")
    groups = _groups(self.elasticache_backend)
    if name and name not in groups:
        raise _not_found(name)
    found = [groups[name]] if name else list(groups.values())
    return ActionResult({"CacheParameterGroups": [group.describe() for group in found]})


def _describe_parameters(self: Any) -> Any:
    from moto.core.responses import ActionResult

    group = _group(self)
    source = self._get_param("Source")
    parameters = user_parameters(group) if source in (None, "user") else []
    return ActionResult({"Parameters": parameters})


def _modify(self: Any) -> Any:
    from moto.core.responses import ActionResult

    group = _group(self)
    for parameter in self._get_param("ParameterNameValues") or []:
        group.parameters[parameter["ParameterName"]] = str(parameter["ParameterValue"])
    return ActionResult({"CacheParameterGroupName": group.name})


def _reset(self: Any) -> Any:
    from moto.core.responses import ActionResult

    group = _group(self)
    if self._get_param("ResetAllParameters"):
        group.parameters.clear()
    for parameter in self._get_param("ParameterNameValues") or []:
        group.parameters.pop(parameter["ParameterName"], None)
    return ActionResult({"CacheParameterGroupName": group.name})


def _delete(self: Any) -> Any:
    from moto.core.responses import EmptyResult
    from moto.elasticache.exceptions import ElastiCacheException

    backend = self.elasticache_backend
    group = _group(self)
    if any(
        getattr(cluster, "cache_parameter_group_name", None) == group.name
        for cluster in backend.cache_clusters.values()
    ):
        raise ElastiCacheException(
            "InvalidCacheParameterGroupState",
            f"Parameter group {group.name} is in use by a cache cluster.",
        )
    del _groups(backend)[group.name]
    backend.tagging_service.delete_all_tags_for_resource(group.arn)
    return EmptyResult()


def _tag_parameter_groups(original: Any) -> Any:
    # moto's ARN check for tag calls knows clusters, snapshots, subnet and replication groups.
    @functools.wraps(original)
    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        self.arn_regex = re.compile(
            r"^arn:aws:elasticache:.*:[0-9]*:"
            r"(cluster|snapshot|subnetgroup|replicationgroup|user|parametergroup):.*$"
        )

    return __init__


def install() -> None:
    from moto.elasticache.models import ElastiCacheBackend
    from moto.elasticache.responses import ElastiCacheResponse

    ElastiCacheBackend.__init__ = _tag_parameter_groups(ElastiCacheBackend.__init__)
    ElastiCacheResponse.create_cache_parameter_group = _create
    ElastiCacheResponse.describe_cache_parameter_groups = _describe_groups
    ElastiCacheResponse.describe_cache_parameters = _describe_parameters
    ElastiCacheResponse.modify_cache_parameter_group = _modify
    ElastiCacheResponse.reset_cache_parameter_group = _reset
    ElastiCacheResponse.delete_cache_parameter_group = _delete
