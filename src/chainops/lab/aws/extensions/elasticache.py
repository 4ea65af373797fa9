"""ElastiCache: replication groups with real member clusters, deletes that finish.

moto 5.2.5 lists the member cluster ids of a replication group but creates no cache clusters,
so the provider's read (DescribeCacheClusters of the first member) fails with
CacheClusterNotFound; it ignores ``NumCacheClusters`` (always one member unless
``ReplicasPerNodeGroup`` is given); DeleteReplicationGroup and DeleteCacheCluster leave the
resource "deleting" forever, so a destroy never completes; and DeleteCacheSubnetGroup is
missing.

The lab creates one cache cluster per member (with the group's engine, version, node type,
parameter and subnet group, security groups, encryption and auth settings, and a cache node
with an endpoint), spreads members over the subnet group's availability zones, and removes a
deleted group, its members and deleted clusters at once (the response still says "deleting").
"""

from __future__ import annotations

import functools
import re
from typing import Any

DEFAULT_MAINTENANCE_WINDOW = "sun:05:00-sun:06:00"


def full_engine_version(engine: str, version: str | None) -> str:
    """The version AWS reports for a requested one: ``7.1`` → ``7.1.0``; none → the newest."""
    if not version:
        return "7.1.0" if engine != "memcached" else "1.6.22"
    if re.fullmatch(r"\d+\.\d+", version):
        return f"{version}.0"
    return version


def default_parameter_group(engine: str, version: str) -> str:
    """The default parameter group AWS assigns for an engine version, e.g. ``default.redis7``."""
    major = version.split(".", maxsplit=1)[0]
    if engine == "memcached":
        return f"default.memcached{'.'.join(version.split('.')[:2])}"
    if engine == "valkey":
        return f"default.valkey{major}"
    return f"default.redis{major}" if int(major) >= 6 else f"default.redis{major}.x"


def _subnet_zones(backend: Any, subnet_group_name: str | None) -> list[str]:
    group = backend.cache_subnet_groups.get(subnet_group_name or "")
    if group is None:
        return []
    zones: list[str] = []
    for subnet in group.subnets:
        zone = subnet.get("subnet_availability_zone") or subnet.get("Subnet_availability_zone")
        name = zone.get("Name") if isinstance(zone, dict) else zone
        if name and name not in zones:
            zones.append(str(name))
    return zones


def _complete_cluster(
    cluster: Any,
    *,
    parameter_group: str,
    security_group_ids: list[str],
    at_rest_encryption: bool,
    endpoint: dict[str, Any] | None,
) -> None:
    """Fill in what DescribeCacheClusters returns on AWS but moto's model lacks."""
    cluster.engine_version = full_engine_version(cluster.engine, cluster.engine_version)
    cluster.cache_parameter_group = {
        "CacheParameterGroupName": parameter_group,
        "ParameterApplyStatus": "in-sync",
        "CacheNodeIdsToReboot": [],
    }
    cluster.security_groups = [
        {"SecurityGroupId": group_id, "Status": "active"} for group_id in security_group_ids
    ]
    cluster.at_rest_encryption_enabled = at_rest_encryption
    cluster.transit_encryption_mode = "required" if cluster.transit_encryption_enabled else None
    cluster.transit_encryption_enabled = bool(cluster.transit_encryption_enabled)
    cluster.auto_minor_version_upgrade = cluster.auto_minor_version_upgrade is not False
    cluster.preferred_maintenance_window = (
        cluster.preferred_maintenance_window or DEFAULT_MAINTENANCE_WINDOW
    )
    cluster.replication_group_log_delivery_enabled = False
    cluster.cache_nodes = [
        {
            "CacheNodeId": "0001",
            "CacheNodeStatus": "available",
            "CacheNodeCreateTime": cluster.cache_cluster_create_time,
            "Endpoint": endpoint
            or {"Address": f"{cluster.cache_cluster_id}.cache.amazonaws.com", "Port": cluster.port},
            "ParameterGroupStatus": "in-sync",
            "CustomerAvailabilityZone": cluster.preferred_availability_zone,
        }
    ]


def _honour_num_cache_clusters(original: Any) -> Any:
    # moto sizes a cluster-mode-disabled group from ReplicasPerNodeGroup only.
    @functools.wraps(original)
    def set_members(self: Any, **kwargs: Any) -> None:
        if not kwargs.get("replicas_per_node_group"):
            kwargs["replicas_per_node_group"] = max(int(kwargs["num_cache_clusters"] or 1) - 1, 0)
        original(self, **kwargs)

    return set_members


def _create_replication_group_with_members(original: Any) -> Any:
    @functools.wraps(original)
    def create_replication_group(self: Any, **kwargs: Any) -> Any:
        from moto.elasticache.models import CacheCluster

        group = original(self, **kwargs)
        engine = group.engine
        version = full_engine_version(engine, kwargs.get("engine_version"))
        group.engine_version = version
        parameter_group = kwargs.get("cache_parameter_group_name") or default_parameter_group(
            engine, version
        )
        group.cache_parameter_group_name = parameter_group
        group.transit_encryption_mode = group.transit_encryption_mode or (
            "required" if group.transit_encryption_enabled else None
        )
        zones = (
            []
            if kwargs.get("preferred_cache_cluster_azs")
            else _subnet_zones(self, kwargs.get("cache_subnet_group_name"))
        )
        position = 0
        for node_group in group.node_groups:
            for member in node_group["node_group_members"]:
                if zones:
                    member["preferred_availability_zone"] = zones[position % len(zones)]
                position += 1
                cluster = CacheCluster(
                    account_id=self.account_id,
                    region_name=self.region_name,
                    cache_cluster_id=member["cache_cluster_id"],
                    cache_node_type=group.cache_node_type,
                    replication_group_id=group.replication_group_id,
                    az_mode="single-az",
                    preferred_availability_zone=member.get("preferred_availability_zone"),
                    num_cache_nodes=1,
                    engine=engine,
                    engine_version=version,
                    cache_parameter_group_name=parameter_group,
                    cache_subnet_group_name=kwargs.get("cache_subnet_group_name"),
                    transit_encryption_enabled=group.transit_encryption_enabled,
                    network_type=group.network_type,
                    ip_discovery=group.ip_discovery,
                    snapshot_name=None,
                    preferred_maintenance_window=kwargs.get("preferred_maintenance_window"),
                    port=group.port,
                    notification_topic_arn=kwargs.get("notification_topic_arn"),
                    auto_minor_version_upgrade=kwargs.get("auto_minor_version_upgrade"),
                    snapshot_retention_limit=group.snapshot_retention_limit,
                    snapshot_window=group.snapshot_window,
                    auth_token=kwargs.get("auth_token"),
                    outpost_mode=None,
                    preferred_outpost_arn=None,
                    preferred_availability_zones=None,
                    cache_security_group_names=kwargs.get("cache_security_group_names"),
                    security_group_ids=kwargs.get("security_group_ids"),
                    tags=None,
                    snapshot_arns=None,
                    preferred_outpost_arns=None,
                    log_delivery_configurations=[],
                    cache_node_ids_to_remove=None,
                    cache_node_ids_to_reboot=None,
                )
                read = member.get("read_endpoint")
                _complete_cluster(
                    cluster,
                    parameter_group=parameter_group,
                    security_group_ids=list(kwargs.get("security_group_ids") or []),
                    at_rest_encryption=bool(group.at_rest_encryption_enabled),
                    endpoint={"Address": read["address"], "Port": read["port"]} if read else None,
                )
                self.cache_clusters[cluster.cache_cluster_id] = cluster
        return group

    return create_replication_group


def _create_cache_cluster_complete(original: Any) -> Any:
    @functools.wraps(original)
    def create_cache_cluster(self: Any, **kwargs: Any) -> Any:
        cluster = original(self, **kwargs)
        version = full_engine_version(cluster.engine, cluster.engine_version)
        _complete_cluster(
            cluster,
            parameter_group=kwargs.get("cache_parameter_group_name")
            or default_parameter_group(cluster.engine, version),
            security_group_ids=list(kwargs.get("security_group_ids") or []),
            at_rest_encryption=False,
            endpoint=None,
        )
        return cluster

    return create_cache_cluster


def _delete_replication_group_completely(original: Any) -> Any:
    @functools.wraps(original)
    def delete_replication_group(
        self: Any, replication_group_id: str, retain_primary_cluster: bool | None
    ) -> Any:
        members = list(self.replication_groups.get(replication_group_id, _NoGroup).member_clusters)
        group = original(self, replication_group_id, retain_primary_cluster)
        self.replication_groups.pop(replication_group_id, None)
        for index, member in enumerate(members):
            cluster = self.cache_clusters.get(member)
            if cluster is None:
                continue
            if retain_primary_cluster and index == 0:
                cluster.replication_group_id = None
            else:
                self.cache_clusters.pop(member)
                self.tagging_service.delete_all_tags_for_resource(cluster.arn)
        self.tagging_service.delete_all_tags_for_resource(group.arn)
        return group

    return delete_replication_group


class _NoGroup:
    member_clusters: tuple[str, ...] = ()


def _delete_cache_cluster_completely(original: Any) -> Any:
    @functools.wraps(original)
    def delete_cache_cluster(self: Any, cache_cluster_id: str) -> Any:
        cluster = original(self, cache_cluster_id)
        self.cache_clusters.pop(cache_cluster_id, None)
        self.tagging_service.delete_all_tags_for_resource(cluster.arn)
        return cluster

    return delete_cache_cluster


def _delete_cache_subnet_group(self: Any) -> Any:
    from moto.core.responses import EmptyResult
    from moto.elasticache.exceptions import CacheSubnetGroupNotFound, ElastiCacheException

    name = self._get_param("CacheSubnetGroupName")
    backend = self.elasticache_backend
    group = backend.cache_subnet_groups.get(name)
    if group is None:
        raise CacheSubnetGroupNotFound(name)
    users = [
        cluster.cache_cluster_id
        for cluster in backend.cache_clusters.values()
        if cluster.cache_subnet_group_name == name
    ]
    if users:
        raise ElastiCacheException(
            "CacheSubnetGroupInUse",
            f"Cache subnet group {name} is currently in use by a cache cluster.",
        )
    del backend.cache_subnet_groups[name]
    backend.tagging_service.delete_all_tags_for_resource(group.arn)
    return EmptyResult()


def install() -> None:
    from moto.elasticache.models import ElastiCacheBackend, ReplicationGroup
    from moto.elasticache.responses import ElastiCacheResponse

    ReplicationGroup._set_node_members_clusters_disabled = _honour_num_cache_clusters(
        ReplicationGroup._set_node_members_clusters_disabled
    )
    ElastiCacheBackend.create_replication_group = _create_replication_group_with_members(
        ElastiCacheBackend.create_replication_group
    )
    ElastiCacheBackend.create_cache_cluster = _create_cache_cluster_complete(
        ElastiCacheBackend.create_cache_cluster
    )
    ElastiCacheBackend.delete_replication_group = _delete_replication_group_completely(
        ElastiCacheBackend.delete_replication_group
    )
    ElastiCacheBackend.delete_cache_cluster = _delete_cache_cluster_completely(
        ElastiCacheBackend.delete_cache_cluster
    )
    ElastiCacheResponse.delete_cache_subnet_group = _delete_cache_subnet_group
