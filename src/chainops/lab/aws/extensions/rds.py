"""RDS: unique DbiResourceIds, DescribeDBEngineVersions, parameters that read back as set.

moto gives every instance the same DbiResourceId, so a second instance (a read replica) made
the provider read the wrong one; it lacks DescribeDBEngineVersions, which the provider calls to
resolve engine versions and parameter group families; and parameters set with
ModifyDBParameterGroup come back without ``Source``, with DescribeDBParameters ignoring its
``Source`` filter, so ``aws_db_parameter_group`` kept none of them and planned to add every
``parameter`` again, for ever. ResetDBParameterGroup (how the provider drops a parameter) was
missing. The same holds for cluster parameter groups.
"""

from __future__ import annotations

import functools
import random
import string
from typing import Any

# Versions the lab offers, newest last per engine, with their parameter group families.
ENGINE_VERSIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "postgres": (
        ("14.17", "postgres14"),
        ("15.12", "postgres15"),
        ("16.8", "postgres16"),
        ("17.4", "postgres17"),
    ),
    "mysql": (("8.0.41", "mysql8.0"), ("8.4.4", "mysql8.4")),
    "mariadb": (("10.11.11", "mariadb10.11"), ("11.4.5", "mariadb11.4")),
    "aurora-postgresql": (("15.10", "aurora-postgresql15"), ("16.6", "aurora-postgresql16")),
    "aurora-mysql": (("8.0.mysql_aurora.3.08.1", "aurora-mysql8.0"),),
}


def _new_dbi_resource_id() -> str:
    alphabet = string.ascii_uppercase + "234567"  # AWS's ids are base32
    return "db-" + "".join(random.choices(alphabet, k=26))  # noqa: S311 - an id, not a secret


def engine_versions(
    *, engine: str | None, version: str | None, family: str | None, default_only: bool
) -> list[dict[str, Any]]:
    """The DBEngineVersions entries matching DescribeDBEngineVersions' filters."""
    found: list[dict[str, Any]] = []
    for name, versions in ENGINE_VERSIONS.items():
        if engine and name != engine:
            continue
        chosen = versions[-1:] if default_only else versions
        for number, group_family in chosen:
            if version and not (number == version or number.startswith(f"{version}.")):
                continue
            if family and group_family != family:
                continue
            found.append(
                {
                    "Engine": name,
                    "EngineVersion": number,
                    "DBParameterGroupFamily": group_family,
                    "DBEngineDescription": name,
                    "DBEngineVersionDescription": f"{name} {number}",
                    "Status": "available",
                    "SupportsReadReplica": True,
                    "SupportsParallelQuery": False,
                    "SupportsGlobalDatabases": False,
                    "SupportsLogExportsToCloudwatchLogs": True,
                    "SupportedFeatureNames": [],
                    "ValidUpgradeTarget": [],
                }
            )
    return found


def _describe_db_engine_versions(self: Any) -> Any:
    from moto.core.responses import ActionResult

    filters = {f["Name"]: f["Values"] for f in self._get_param("Filters", []) or []}
    found = engine_versions(
        engine=self._get_param("Engine") or (filters.get("engine") or [None])[0],
        version=self._get_param("EngineVersion"),
        family=self._get_param("DBParameterGroupFamily"),
        default_only=bool(self._get_param("DefaultOnly")),
    )
    return ActionResult({"DBEngineVersions": found})


def set_performance_insights(instance: Any, kwargs: Any, *, reset: bool) -> None:
    """Apply EnablePerformanceInsights and its key and retention, as AWS reports them."""
    enabled = kwargs.get("enable_performance_insights")
    if enabled is None and not reset:
        return
    instance.performance_insights_enabled = bool(enabled)
    if enabled:
        instance.performance_insights_kms_key_id = kwargs.get(
            "performance_insights_kms_key_id"
        ) or getattr(instance, "performance_insights_kms_key_id", None)
        instance.performance_insights_retention_period = int(
            kwargs.get("performance_insights_retention_period")
            or getattr(instance, "performance_insights_retention_period", None)
            or 7
        )
    else:
        instance.performance_insights_kms_key_id = None
        instance.performance_insights_retention_period = None


def _unique_dbi_resource_id(original: Any) -> Any:
    @functools.wraps(original)
    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        self.dbi_resource_id = _new_dbi_resource_id()
        set_performance_insights(self, kwargs, reset=True)

    return __init__


def _update_performance_insights(original: Any) -> Any:
    @functools.wraps(original)
    def update(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        set_performance_insights(self, kwargs, reset=False)

    return update


def _replica_with_own_settings(original: Any) -> Any:
    # moto makes a replica with copy.copy(primary), which skips __init__ and hands the replica
    # the primary's tags, log exports, storage autoscaling and Performance Insights (sharing
    # their lists); on AWS a replica has its own, from the CreateDBInstanceReadReplica call.
    @functools.wraps(original)
    def create_db_instance_read_replica(self: Any, db_kwargs: dict[str, Any]) -> Any:
        replica = original(self, db_kwargs)
        replica.dbi_resource_id = _new_dbi_resource_id()
        replica.tags = list(db_kwargs.get("tags") or [])
        replica.enabled_cloudwatch_logs_exports = list(
            db_kwargs.get("enable_cloudwatch_logs_exports") or []
        )
        replica.max_allocated_storage = (
            db_kwargs.get("max_allocated_storage") or replica.allocated_storage
        )
        set_performance_insights(replica, db_kwargs, reset=True)
        return replica

    return create_db_instance_read_replica


def user_parameter(parameter: dict[str, Any]) -> dict[str, Any]:
    """A parameter as DescribeDBParameters shows it once a user has set it."""
    method = str(parameter.get("ApplyMethod") or "immediate")
    return {
        **parameter,
        "ApplyMethod": method,
        "Source": "user",
        "ApplyType": "static" if method == "pending-reboot" else "dynamic",
        "DataType": parameter.get("DataType") or "string",
        "IsModifiable": True,
    }


def _mark_user_parameters(original: Any) -> Any:
    @functools.wraps(original)
    def update(self: Any, new_parameters: Any) -> None:
        original(self, [user_parameter(dict(parameter)) for parameter in new_parameters])

    return update


def _by_source(parameters: Any, source: str | None) -> list[dict[str, Any]]:
    found = [dict(parameter) for parameter in parameters]
    return [p for p in found if p.get("Source") == source] if source else found


def _describe_db_parameters(self: Any) -> Any:
    from moto.core.responses import ActionResult
    from moto.rds.exceptions import DBParameterGroupNotFoundError

    name = self._get_param("DBParameterGroupName")
    groups = self.backend.describe_db_parameter_groups({"db_parameter_group_name": name})
    if not groups:
        raise DBParameterGroupNotFoundError(name)
    parameters = _by_source(groups[0].parameters.values(), self._get_param("Source"))
    return ActionResult({"Parameters": parameters})


def _describe_db_cluster_parameters(self: Any) -> Any:
    from moto.core.responses import ActionResult

    name = self._get_param("DBClusterParameterGroupName")
    parameters = self.backend.describe_db_cluster_parameters(name)
    return ActionResult({"Parameters": _by_source(parameters, self._get_param("Source"))})


def _reset(group: Any, response: Any) -> None:
    if response._get_param("ResetAllParameters"):
        group.parameters.clear()
        return
    for parameter in response._get_param("Parameters") or []:
        group.parameters.pop(parameter["ParameterName"], None)


def _reset_db_parameter_group(self: Any) -> Any:
    from moto.core.responses import ActionResult
    from moto.rds.exceptions import DBParameterGroupNotFoundError

    name = self._get_param("DBParameterGroupName")
    group = self.backend.db_parameter_groups.get(name)
    if group is None:
        raise DBParameterGroupNotFoundError(name)
    _reset(group, self)
    return ActionResult({"DBParameterGroupName": group.name})


def _reset_db_cluster_parameter_group(self: Any) -> Any:
    from moto.core.responses import ActionResult
    from moto.rds.exceptions import DBClusterParameterGroupNotFoundError

    name = self._get_param("DBClusterParameterGroupName")
    group = self.backend.db_cluster_parameter_groups.get(name)
    if group is None:
        raise DBClusterParameterGroupNotFoundError(name)
    _reset(group, self)
    return ActionResult({"DBClusterParameterGroupName": group.name})


def install() -> None:
    from moto.rds.models import DBClusterParameterGroup, DBInstance, DBParameterGroup, RDSBackend
    from moto.rds.responses import RDSResponse

    DBParameterGroup.update_parameters = _mark_user_parameters(DBParameterGroup.update_parameters)
    DBClusterParameterGroup.update_cluster_parameters = _mark_user_parameters(
        DBClusterParameterGroup.update_cluster_parameters
    )
    RDSResponse.describe_db_parameters = _describe_db_parameters
    RDSResponse.describe_db_cluster_parameters = _describe_db_cluster_parameters
    RDSResponse.reset_db_parameter_group = _reset_db_parameter_group
    RDSResponse.reset_db_cluster_parameter_group = _reset_db_cluster_parameter_group

    DBInstance.__init__ = _unique_dbi_resource_id(DBInstance.__init__)
    DBInstance.update = _update_performance_insights(DBInstance.update)
    RDSBackend.create_db_instance_read_replica = _replica_with_own_settings(
        RDSBackend.create_db_instance_read_replica
    )
    RDSResponse.describe_db_engine_versions = _describe_db_engine_versions
