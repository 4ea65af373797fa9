"""The RDS extension: unique DbiResourceIds and DescribeDBEngineVersions."""

from __future__ import annotations

from typing import Any

import pytest

from chainops.lab import aws
from chainops.lab.settings import LabSettings


@pytest.fixture
def rds(lab: LabSettings) -> Any:
    return aws.client(lab, "rds")


def _create(rds: Any, name: str) -> dict[str, Any]:
    created: dict[str, Any] = rds.create_db_instance(
        DBInstanceIdentifier=name,
        Engine="postgres",
        DBInstanceClass="db.t3.micro",
        MasterUsername="chainops",
        MasterUserPassword="lab-only-password",
        AllocatedStorage=20,
    )["DBInstance"]
    return created


def test_each_instance_has_its_own_resource_id(rds: Any) -> None:
    """A primary and its replica differ in DbiResourceId, and each reads back its own."""
    primary = _create(rds, "trading")
    replica = rds.create_db_instance_read_replica(
        DBInstanceIdentifier="trading-replica", SourceDBInstanceIdentifier="trading"
    )["DBInstance"]
    assert primary["DbiResourceId"] != replica["DbiResourceId"]
    assert primary["DbiResourceId"].startswith("db-")
    described = {
        db["DBInstanceIdentifier"]: db["DbiResourceId"]
        for db in rds.describe_db_instances()["DBInstances"]
    }
    assert described == {
        "trading": primary["DbiResourceId"],
        "trading-replica": replica["DbiResourceId"],
    }


def test_engine_versions_by_engine_and_version(rds: Any) -> None:
    """Versions of an engine are listed; a major version matches its minors with the family."""
    versions = rds.describe_db_engine_versions(Engine="postgres")["DBEngineVersions"]
    assert {v["Engine"] for v in versions} == {"postgres"}
    assert len(versions) > 1
    (sixteen,) = rds.describe_db_engine_versions(Engine="postgres", EngineVersion="16")[
        "DBEngineVersions"
    ]
    assert sixteen["EngineVersion"].startswith("16.")
    assert sixteen["DBParameterGroupFamily"] == "postgres16"


def test_default_only_and_family_filters(rds: Any) -> None:
    """DefaultOnly gives one version per engine; a family selects its versions."""
    (default,) = rds.describe_db_engine_versions(Engine="postgres", DefaultOnly=True)[
        "DBEngineVersions"
    ]
    assert default["Status"] == "available"
    by_family = rds.describe_db_engine_versions(DBParameterGroupFamily="mysql8.0")
    assert [v["Engine"] for v in by_family["DBEngineVersions"]] == ["mysql"]
    assert rds.describe_db_engine_versions(Engine="oracle-ee")["DBEngineVersions"] == []
