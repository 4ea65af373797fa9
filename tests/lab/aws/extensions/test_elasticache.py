"""The ElastiCache extension: member clusters of a replication group, deletes that complete."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from chainops.lab.aws import clients
from chainops.lab.settings import LabSettings


@pytest.fixture
def elasticache(lab: LabSettings) -> Any:
    return clients.client(lab, "elasticache")


@pytest.fixture
def subnet_group(ec2: Any, elasticache: Any) -> str:
    vpc = ec2.create_vpc(CidrBlock="10.40.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.40.{i}.0/24", AvailabilityZone=zone)["Subnet"][
            "SubnetId"
        ]
        for i, zone in enumerate(("us-east-1a", "us-east-1b"))
    ]
    elasticache.create_cache_subnet_group(
        CacheSubnetGroupName="cache",
        CacheSubnetGroupDescription="cache subnets",
        SubnetIds=subnets,
    )
    return "cache"


def _create_group(elasticache: Any, subnet_group: str) -> dict[str, Any]:
    group: dict[str, Any] = elasticache.create_replication_group(
        ReplicationGroupId="chain-cache",
        ReplicationGroupDescription="cache",
        Engine="redis",
        EngineVersion="7.1",
        CacheNodeType="cache.t4g.small",
        NumCacheClusters=2,
        AutomaticFailoverEnabled=True,
        MultiAZEnabled=True,
        TransitEncryptionEnabled=True,
        AtRestEncryptionEnabled=True,
        AuthToken="a-very-long-auth-token-for-lab",
        CacheSubnetGroupName=subnet_group,
        SecurityGroupIds=["sg-12345678"],
    )["ReplicationGroup"]
    return group


def test_replication_group_has_its_member_clusters(elasticache: Any, subnet_group: str) -> None:
    """NumCacheClusters=2 gives a primary and a replica, each a cache cluster in its own AZ."""
    group = _create_group(elasticache, subnet_group)
    assert group["MemberClusters"] == ["chain-cache-001", "chain-cache-002"]
    assert group["MultiAZ"] == "enabled"
    assert group["AutomaticFailover"] == "enabled"
    clusters = {
        cluster["CacheClusterId"]: cluster
        for cluster in elasticache.describe_cache_clusters(ShowCacheNodeInfo=True)["CacheClusters"]
    }
    assert set(clusters) == {"chain-cache-001", "chain-cache-002"}
    primary = clusters["chain-cache-001"]
    assert primary["ReplicationGroupId"] == "chain-cache"
    assert primary["EngineVersion"] == "7.1.0"
    assert primary["CacheNodeType"] == "cache.t4g.small"
    assert primary["CacheParameterGroup"]["CacheParameterGroupName"] == "default.redis7"
    assert primary["CacheSubnetGroupName"] == "cache"
    assert primary["SecurityGroups"] == [{"SecurityGroupId": "sg-12345678", "Status": "active"}]
    assert primary["AtRestEncryptionEnabled"] is True
    assert primary["TransitEncryptionEnabled"] is True
    assert primary["AuthTokenEnabled"] is True
    assert primary["CacheNodes"][0]["Endpoint"]["Port"] == 6379
    zones = {cluster["PreferredAvailabilityZone"] for cluster in clusters.values()}
    assert zones == {"us-east-1a", "us-east-1b"}


def test_delete_replication_group_removes_it_and_its_members(
    elasticache: Any, subnet_group: str
) -> None:
    """The delete answers "deleting"; the group and its clusters are gone right after."""
    _create_group(elasticache, subnet_group)
    deleted = elasticache.delete_replication_group(ReplicationGroupId="chain-cache")
    assert deleted["ReplicationGroup"]["Status"] == "deleting"
    with pytest.raises(ClientError) as missing:
        elasticache.describe_replication_groups(ReplicationGroupId="chain-cache")
    assert missing.value.response["Error"]["Code"] == "ReplicationGroupNotFoundFault"
    assert elasticache.describe_cache_clusters()["CacheClusters"] == []


def test_cache_subnet_group_delete(elasticache: Any, subnet_group: str) -> None:
    """A subnet group in use is refused; once free it is deleted; then it is not found."""
    _create_group(elasticache, subnet_group)
    with pytest.raises(ClientError) as in_use:
        elasticache.delete_cache_subnet_group(CacheSubnetGroupName=subnet_group)
    assert in_use.value.response["Error"]["Code"] == "CacheSubnetGroupInUse"
    elasticache.delete_replication_group(ReplicationGroupId="chain-cache")
    elasticache.delete_cache_subnet_group(CacheSubnetGroupName=subnet_group)
    with pytest.raises(ClientError) as missing:
        elasticache.describe_cache_subnet_groups(CacheSubnetGroupName=subnet_group)
    assert missing.value.response["Error"]["Code"] == "CacheSubnetGroupNotFoundFault"
    with pytest.raises(ClientError):
        elasticache.delete_cache_subnet_group(CacheSubnetGroupName=subnet_group)


def test_delete_cache_cluster_completes(elasticache: Any) -> None:
    """A standalone cluster is gone after its delete, instead of "deleting" for ever."""
    elasticache.create_cache_cluster(
        CacheClusterId="memo", Engine="memcached", CacheNodeType="cache.t4g.micro", NumCacheNodes=1
    )
    elasticache.delete_cache_cluster(CacheClusterId="memo")
    with pytest.raises(ClientError) as missing:
        elasticache.describe_cache_clusters(CacheClusterId="memo")
    assert missing.value.response["Error"]["Code"] == "CacheClusterNotFound"
