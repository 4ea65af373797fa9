"""RDS: a unique DbiResourceId per instance, and DescribeDBEngineVersions.

moto gives every instance the same DbiResourceId, so a second instance (a read replica) made
the provider read the wrong one; and it lacks DescribeDBEngineVersions, which the provider
calls to resolve engine versions and parameter group families.
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


def _unique_dbi_resource_id(original: Any) -> Any:
    @functools.wraps(original)
    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        self.dbi_resource_id = _new_dbi_resource_id()

    return __init__


def _replica_with_own_resource_id(original: Any) -> Any:
    # moto makes a replica with copy.copy(primary), which skips __init__.
    @functools.wraps(original)
    def create_db_instance_read_replica(self: Any, db_kwargs: dict[str, Any]) -> Any:
        replica = original(self, db_kwargs)
        replica.dbi_resource_id = _new_dbi_resource_id()
        return replica

    return create_db_instance_read_replica


def install() -> None:
    from moto.rds.models import DBInstance, RDSBackend
    from moto.rds.responses import RDSResponse

    DBInstance.__init__ = _unique_dbi_resource_id(DBInstance.__init__)
    RDSBackend.create_db_instance_read_replica = _replica_with_own_resource_id(
        RDSBackend.create_db_instance_read_replica
    )
    RDSResponse.describe_db_engine_versions = _describe_db_engine_versions
