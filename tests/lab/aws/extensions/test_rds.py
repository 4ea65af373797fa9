"""The RDS extension: resource ids, engine versions, parameters, replicas, Performance Insights."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from chainops.lab.aws import clients
from chainops.lab.settings import LabSettings


@pytest.fixture
def rds(lab: LabSettings) -> Any:
    return clients.client(lab, "rds")


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


def _parameter_group(rds: Any) -> None:
    rds.create_db_parameter_group(
        DBParameterGroupName="chain-pg16", DBParameterGroupFamily="postgres16", Description="pg"
    )
    rds.modify_db_parameter_group(
        DBParameterGroupName="chain-pg16",
        Parameters=[
            {
                "ParameterName": "log_min_duration_statement",
                "ParameterValue": "500",
                "ApplyMethod": "immediate",
            },
            {
                "ParameterName": "shared_preload_libraries",
                "ParameterValue": "pg_stat_statements",
                "ApplyMethod": "pending-reboot",
            },
        ],
    )


def test_modified_parameters_read_back_as_user_set(rds: Any) -> None:
    """Parameters set by ModifyDBParameterGroup have Source=user and match that filter."""
    _parameter_group(rds)
    for source in ("user", None):
        kwargs = {"Source": source} if source else {}
        found = rds.describe_db_parameters(DBParameterGroupName="chain-pg16", **kwargs)
        by_name = {p["ParameterName"]: p for p in found["Parameters"]}
        assert set(by_name) == {"log_min_duration_statement", "shared_preload_libraries"}
        assert by_name["log_min_duration_statement"]["Source"] == "user"
        assert by_name["log_min_duration_statement"]["ParameterValue"] == "500"
        assert by_name["shared_preload_libraries"]["ApplyMethod"] == "pending-reboot"
        assert by_name["shared_preload_libraries"]["ApplyType"] == "static"
    system = rds.describe_db_parameters(DBParameterGroupName="chain-pg16", Source="system")
    assert system["Parameters"] == []


def test_reset_db_parameter_group(rds: Any) -> None:
    """Resetting one parameter drops it from the user-set ones; ResetAllParameters drops all."""
    _parameter_group(rds)
    rds.reset_db_parameter_group(
        DBParameterGroupName="chain-pg16",
        Parameters=[{"ParameterName": "shared_preload_libraries", "ApplyMethod": "immediate"}],
    )
    left = rds.describe_db_parameters(DBParameterGroupName="chain-pg16", Source="user")
    assert [p["ParameterName"] for p in left["Parameters"]] == ["log_min_duration_statement"]
    rds.reset_db_parameter_group(DBParameterGroupName="chain-pg16", ResetAllParameters=True)
    assert rds.describe_db_parameters(DBParameterGroupName="chain-pg16")["Parameters"] == []
    with pytest.raises(ClientError) as missing:
        rds.reset_db_parameter_group(DBParameterGroupName="nope", ResetAllParameters=True)
    assert missing.value.response["Error"]["Code"] == "DBParameterGroupNotFound"


def test_cluster_parameters_read_back_as_user_set(rds: Any) -> None:
    """The same for cluster parameter groups."""
    rds.create_db_cluster_parameter_group(
        DBClusterParameterGroupName="chain-apg16",
        DBParameterGroupFamily="aurora-postgresql16",
        Description="apg",
    )
    rds.modify_db_cluster_parameter_group(
        DBClusterParameterGroupName="chain-apg16",
        Parameters=[
            {"ParameterName": "rds.force_ssl", "ParameterValue": "1", "ApplyMethod": "immediate"}
        ],
    )
    found = rds.describe_db_cluster_parameters(
        DBClusterParameterGroupName="chain-apg16", Source="user"
    )["Parameters"]
    assert [(p["ParameterName"], p["Source"]) for p in found] == [("rds.force_ssl", "user")]
    rds.reset_db_cluster_parameter_group(
        DBClusterParameterGroupName="chain-apg16", ResetAllParameters=True
    )
    assert (
        rds.describe_db_cluster_parameters(DBClusterParameterGroupName="chain-apg16")["Parameters"]
        == []
    )


def test_performance_insights_and_replica_settings(rds: Any) -> None:
    """Performance Insights reads back; a replica has its own tags, log exports and PI."""
    rds.create_db_instance(
        DBInstanceIdentifier="trading",
        Engine="postgres",
        DBInstanceClass="db.r6g.large",
        MasterUsername="chainops",
        MasterUserPassword="lab-only-password",
        AllocatedStorage=50,
        MaxAllocatedStorage=200,
        MultiAZ=True,
        EnableIAMDatabaseAuthentication=True,
        EnablePerformanceInsights=True,
        PerformanceInsightsKMSKeyId="arn:aws:kms:us-east-1:123456789012:key/pi",
        EnableCloudwatchLogsExports=["postgresql"],
        Tags=[{"Key": "Name", "Value": "trading"}],
    )
    replica = rds.create_db_instance_read_replica(
        DBInstanceIdentifier="trading-replica", SourceDBInstanceIdentifier="trading"
    )["DBInstance"]
    described = {
        db["DBInstanceIdentifier"]: db for db in rds.describe_db_instances()["DBInstances"]
    }
    primary = described["trading"]
    assert primary["PerformanceInsightsEnabled"] is True
    assert primary["PerformanceInsightsKMSKeyId"].endswith("key/pi")
    assert primary["PerformanceInsightsRetentionPeriod"] == 7
    assert primary["MaxAllocatedStorage"] == 200
    assert primary["EnabledCloudwatchLogsExports"] == ["postgresql"]
    assert replica["PerformanceInsightsEnabled"] is False
    replica = described["trading-replica"]
    assert replica["PerformanceInsightsEnabled"] is False
    assert replica.get("EnabledCloudwatchLogsExports", []) == []
    assert "MaxAllocatedStorage" not in replica
    assert rds.list_tags_for_resource(ResourceName=replica["DBInstanceArn"])["TagList"] == []
    rds.modify_db_instance(
        DBInstanceIdentifier="trading-replica",
        EnablePerformanceInsights=True,
        PerformanceInsightsRetentionPeriod=31,
        ApplyImmediately=True,
    )
    modified = rds.describe_db_instances(DBInstanceIdentifier="trading-replica")["DBInstances"][0]
    assert modified["PerformanceInsightsEnabled"] is True
    assert modified["PerformanceInsightsRetentionPeriod"] == 31
