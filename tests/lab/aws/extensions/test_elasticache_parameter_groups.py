"""The ElastiCache parameter group extension: create, set, read back, reset, delete, tags."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from chainops.lab.aws import clients
from chainops.lab.settings import LabSettings


@pytest.fixture
def elasticache(lab: LabSettings) -> Any:
    return clients.client(lab, "elasticache")


def _create(elasticache: Any, name: str = "chain-redis") -> dict[str, Any]:
    group: dict[str, Any] = elasticache.create_cache_parameter_group(
        CacheParameterGroupName=name,
        CacheParameterGroupFamily="redis7",
        Description="settings",
        Tags=[{"Key": "team", "Value": "platform"}],
    )["CacheParameterGroup"]
    return group


def test_parameters_set_read_back_as_user_parameters(elasticache: Any) -> None:
    """Modified parameters are listed with Source=user; other sources list none of them."""
    group = _create(elasticache)
    assert group["ARN"].endswith(":parametergroup:chain-redis")
    elasticache.modify_cache_parameter_group(
        CacheParameterGroupName="chain-redis",
        ParameterNameValues=[
            {"ParameterName": "maxmemory-policy", "ParameterValue": "allkeys-lru"},
            {"ParameterName": "timeout", "ParameterValue": "300"},
        ],
    )
    user = elasticache.describe_cache_parameters(
        CacheParameterGroupName="chain-redis", Source="user"
    )
    assert {p["ParameterName"]: p["ParameterValue"] for p in user["Parameters"]} == {
        "maxmemory-policy": "allkeys-lru",
        "timeout": "300",
    }
    system = elasticache.describe_cache_parameters(
        CacheParameterGroupName="chain-redis", Source="system"
    )
    assert system["Parameters"] == []
    (described,) = elasticache.describe_cache_parameter_groups(
        CacheParameterGroupName="chain-redis"
    )["CacheParameterGroups"]
    assert described["CacheParameterGroupFamily"] == "redis7"
    tags = elasticache.list_tags_for_resource(ResourceName=group["ARN"])["TagList"]
    assert tags == [{"Key": "team", "Value": "platform"}]


def test_reset_named_and_all(elasticache: Any) -> None:
    """Reset drops the named parameters, or every one with ResetAllParameters."""
    _create(elasticache)
    elasticache.modify_cache_parameter_group(
        CacheParameterGroupName="chain-redis",
        ParameterNameValues=[
            {"ParameterName": "timeout", "ParameterValue": "300"},
            {"ParameterName": "notify-keyspace-events", "ParameterValue": "Ex"},
        ],
    )
    elasticache.reset_cache_parameter_group(
        CacheParameterGroupName="chain-redis",
        ParameterNameValues=[{"ParameterName": "timeout"}],
    )
    names = [
        p["ParameterName"]
        for p in elasticache.describe_cache_parameters(
            CacheParameterGroupName="chain-redis", Source="user"
        )["Parameters"]
    ]
    assert names == ["notify-keyspace-events"]
    elasticache.reset_cache_parameter_group(
        CacheParameterGroupName="chain-redis", ResetAllParameters=True
    )
    assert (
        elasticache.describe_cache_parameters(CacheParameterGroupName="chain-redis")["Parameters"]
        == []
    )


def test_delete_unknown_and_duplicate(elasticache: Any) -> None:
    """A deleted group is gone; unknown names and duplicates answer AWS's errors."""
    _create(elasticache)
    with pytest.raises(ClientError) as duplicate:
        _create(elasticache)
    assert duplicate.value.response["Error"]["Code"] == "CacheParameterGroupAlreadyExists"
    elasticache.delete_cache_parameter_group(CacheParameterGroupName="chain-redis")
    with pytest.raises(ClientError) as missing:
        elasticache.describe_cache_parameter_groups(CacheParameterGroupName="chain-redis")
    assert missing.value.response["Error"]["Code"] == "CacheParameterGroupNotFound"


def test_group_in_use_cannot_be_deleted(elasticache: Any, ec2: Any) -> None:
    """A group a replication group's members use answers InvalidCacheParameterGroupState."""
    _create(elasticache)
    vpc = ec2.create_vpc(CidrBlock="10.41.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.41.0.0/24")["Subnet"]["SubnetId"]
    elasticache.create_cache_subnet_group(
        CacheSubnetGroupName="cache", CacheSubnetGroupDescription="cache", SubnetIds=[subnet]
    )
    elasticache.create_replication_group(
        ReplicationGroupId="chain-redis",
        ReplicationGroupDescription="cache",
        Engine="redis",
        CacheNodeType="cache.t4g.micro",
        NumCacheClusters=1,
        CacheParameterGroupName="chain-redis",
        CacheSubnetGroupName="cache",
    )
    with pytest.raises(ClientError) as in_use:
        elasticache.delete_cache_parameter_group(CacheParameterGroupName="chain-redis")
    assert in_use.value.response["Error"]["Code"] == "InvalidCacheParameterGroupState"
