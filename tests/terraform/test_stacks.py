"""The stacks against the lab AWS: apply from an empty account, check what exists, re-plan, destroy.

The session's one apply of every stack (tests/conftest.py's `deployment`, a few minutes) is
shared by every test that reads it, here or elsewhere; they run on one worker, and the destroy
test, which destroys everything and checks the account is empty, runs after all of them.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from chainops.consumer import metrics as consumer_metrics
from chainops.consumer import permissions as consumer
from chainops.consumer.config import ConsumerConfig
from chainops.consumer.layout import LAKE_PREFIX
from chainops.lab.aws import clients
from chainops.lab.hosts import nodes
from chainops.listener import permissions as listener
from chainops.listener.config import ListenerConfig
from tests.terraform.harness import ORDER, Deployment, init_stack

pytestmark = pytest.mark.minutes(14)


def _tags(resource: dict[str, Any]) -> dict[str, str]:
    return {t["Key"]: t["Value"] for t in resource.get("Tags", [])}


def _policy(document: Any) -> dict[str, Any]:
    """An IAM policy document as boto3 returns it (URL-decoded dict or JSON string)."""
    return document if isinstance(document, dict) else json.loads(document)


def _statements(document: Any) -> dict[str, dict[str, Any]]:
    statements = _policy(document)["Statement"]
    return {s.get("Sid", str(i)): s for i, s in enumerate(statements)}


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


# --- state_bootstrap ---------------------------------------------------------------------------


def test_state_bucket_is_versioned_encrypted_private_and_tls_only(deployment: Deployment) -> None:
    """The state bucket keeps versions, is KMS-encrypted and private, and denies plain HTTP."""
    s3 = deployment.client("s3")
    bucket = deployment.outputs["state_bootstrap"]["bucket"]
    assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"
    (rule,) = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"]
    default = rule["ApplyServerSideEncryptionByDefault"]
    assert default["SSEAlgorithm"] == "aws:kms"
    assert default["KMSMasterKeyID"] == deployment.outputs["state_bootstrap"]["kms_key_arn"]
    block = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
    assert len(block) == 4
    assert all(block.values())
    deny = _statements(s3.get_bucket_policy(Bucket=bucket)["Policy"])["DenyInsecureTransport"]
    assert deny["Effect"] == "Deny"
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


def test_stack_states_are_in_the_bucket_per_workspace(deployment: Deployment) -> None:
    """Each stack's state is at env:/lab/<stack>/terraform.tfstate; the lock table: LockID."""
    s3 = deployment.client("s3")
    bucket = deployment.outputs["state_bootstrap"]["bucket"]
    keys = {o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", [])}
    expected = {f"env:/lab/{name}/terraform.tfstate" for name in deployment.stacks}
    expected.discard("env:/lab/state_bootstrap/terraform.tfstate")
    assert expected <= keys
    table = deployment.client("dynamodb").describe_table(
        TableName=deployment.outputs["state_bootstrap"]["lock_table"]
    )["Table"]
    assert table["KeySchema"] == [{"AttributeName": "LockID", "KeyType": "HASH"}]
    assert table["SSEDescription"]["Status"] == "ENABLED"


# --- foundation --------------------------------------------------------------------------------


def test_subnet_tiers_and_their_routes(deployment: Deployment) -> None:
    """Public subnets route to the internet gateway, private to the NAT, isolated nowhere."""
    ec2 = deployment.client("ec2")
    out = deployment.outputs["foundation"]
    vpc_id = out["vpc_id"]
    subnets = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["Subnets"]
    by_tier: dict[str, list[dict[str, Any]]] = {}
    for subnet in subnets:
        by_tier.setdefault(_tags(subnet)["chainops:tier"], []).append(subnet)
    assert {tier: len(s) for tier, s in by_tier.items()} == {
        "public": 2,
        "private": 2,
        "isolated": 2,
    }
    assert {s["AvailabilityZone"] for s in by_tier["private"]} == {"us-east-1a", "us-east-1b"}
    assert {s["CidrBlock"] for s in by_tier["isolated"]} == {"10.40.8.0/24", "10.40.9.0/24"}

    tables = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])[
        "RouteTables"
    ]

    def default_route(subnet_id: str) -> dict[str, Any] | None:
        (table,) = [
            t for t in tables if any(a.get("SubnetId") == subnet_id for a in t["Associations"])
        ]
        routes = [r for r in table["Routes"] if r.get("DestinationCidrBlock") == "0.0.0.0/0"]
        return routes[0] if routes else None

    nat_ids = set(out["nat_gateway_ids"].values())
    assert len(nat_ids) == 1  # nat_gateway_mode: single in the lab
    for subnet in by_tier["public"]:
        route = default_route(subnet["SubnetId"])
        assert route is not None
        assert route["GatewayId"].startswith("igw-")
        assert subnet["MapPublicIpOnLaunch"]
    for subnet in by_tier["private"]:
        route = default_route(subnet["SubnetId"])
        assert route is not None
        assert route["NatGatewayId"] in nat_ids
    for subnet in by_tier["isolated"]:
        assert default_route(subnet["SubnetId"]) is None


def test_network_acls_per_tier(deployment: Deployment) -> None:
    """The isolated tier's ACL admits only the VPC; the public one admits HTTPS and gossip."""
    ec2 = deployment.client("ec2")
    acl_ids = deployment.outputs["foundation"]["network_acl_ids"]
    acls = {
        acl["NetworkAclId"]: acl
        for acl in ec2.describe_network_acls(NetworkAclIds=list(acl_ids.values()))["NetworkAcls"]
    }
    isolated = acls[acl_ids["isolated"]]
    assert {e["CidrBlock"] for e in isolated["Entries"] if e["RuleAction"] == "allow"} == {
        "10.40.0.0/16"
    }
    assert len(isolated["Associations"]) == 2
    public_in = {
        (e["Protocol"], e.get("PortRange", {}).get("From"), e["CidrBlock"])
        for e in acls[acl_ids["public"]]["Entries"]
        if not e["Egress"] and e["RuleAction"] == "allow"
    }
    assert {("6", 443, "0.0.0.0/0"), ("17", 8000, "0.0.0.0/0")} <= public_in


def test_security_groups_are_least_privilege(deployment: Deployment) -> None:
    """The DB admits PostgreSQL from the app group only and sends nothing; the ALB only HTTPS."""
    ec2 = deployment.client("ec2")
    ids = deployment.outputs["foundation"]["security_group_ids"]
    groups = {
        g["GroupId"]: g
        for g in ec2.describe_security_groups(GroupIds=list(ids.values()))["SecurityGroups"]
    }
    db = groups[ids["db"]]
    (rule,) = db["IpPermissions"]
    assert (rule["IpProtocol"], rule["FromPort"], rule["ToPort"]) == ("tcp", 5432, 5432)
    assert [p["GroupId"] for p in rule["UserIdGroupPairs"]] == [ids["app"]]
    assert rule["IpRanges"] == []
    assert db["IpPermissionsEgress"] == []
    (alb_in,) = groups[ids["alb"]]["IpPermissions"]
    assert (alb_in["FromPort"], alb_in["ToPort"]) == (443, 443)
    app_in = groups[ids["app"]]["IpPermissions"]
    assert [p["GroupId"] for r in app_in for p in r["UserIdGroupPairs"]] == [ids["alb"]]
    rpc_ports = {(r["IpProtocol"], r["FromPort"]) for r in groups[ids["rpc"]]["IpPermissions"]}
    assert rpc_ports == {("tcp", 8899), ("tcp", 8000), ("udp", 8000)}


def test_flow_logs_and_endpoints(deployment: Deployment) -> None:
    """VPC flow logs go to their KMS-encrypted log group; gateway and interface endpoints exist."""
    ec2 = deployment.client("ec2")
    out = deployment.outputs["foundation"]
    (flow,) = ec2.describe_flow_logs(Filters=[{"Name": "resource-id", "Values": [out["vpc_id"]]}])[
        "FlowLogs"
    ]
    # moto reports the destination ARN only; AWS also fills LogGroupName.
    destination = flow.get("LogGroupName") or flow["LogDestination"]
    assert destination.split(":log-group:")[-1].removesuffix(":*") == out["flow_log_group"]
    assert flow["TrafficType"] == "ALL"
    (group,) = deployment.client("logs").describe_log_groups(
        logGroupNamePrefix=out["flow_log_group"]
    )["logGroups"]
    assert group["kmsKeyId"] == out["logs_kms_key_arn"]
    endpoints = ec2.describe_vpc_endpoints(VpcEndpointIds=list(out["vpc_endpoint_ids"].values()))[
        "VpcEndpoints"
    ]
    types = {e["ServiceName"].split("us-east-1.", 1)[1]: e["VpcEndpointType"] for e in endpoints}
    assert types == {
        "s3": "Gateway",
        "dynamodb": "Gateway",
        **dict.fromkeys(
            ["ecr.api", "ecr.dkr", "secretsmanager", "ssm", "logs", "kinesis-streams"], "Interface"
        ),
    }


def test_iam_baseline_policies(deployment: Deployment) -> None:
    """Break-glass needs fresh MFA; CI trusts only GitHub's OIDC for the configured subjects."""
    iam = deployment.client("iam")
    roles = deployment.outputs["foundation"]["role_arns"]
    glass = iam.get_role(RoleName=roles["break_glass"].rsplit("/", 1)[1])["Role"]
    (trust,) = _policy(glass["AssumeRolePolicyDocument"])["Statement"]
    assert trust["Condition"]["Bool"] == {"aws:MultiFactorAuthPresent": "true"}
    assert trust["Condition"]["NumericLessThan"] == {"aws:MultiFactorAuthAge": "3600"}
    assert glass["MaxSessionDuration"] == 3600

    ci = iam.get_role(RoleName=roles["ci"].rsplit("/", 1)[1])["Role"]
    (trust,) = _policy(ci["AssumeRolePolicyDocument"])["Statement"]
    assert (
        trust["Principal"]["Federated"]
        == deployment.outputs["foundation"]["github_oidc_provider_arn"]
    )
    assert trust["Condition"]["StringEquals"]["token.actions.githubusercontent.com:sub"] in (
        "repo:chainops/chainops:ref:refs/heads/main",
        ["repo:chainops/chainops:ref:refs/heads/main"],
    )
    deploy = _statements(
        iam.get_role_policy(RoleName=ci["RoleName"], PolicyName="deploy")["PolicyDocument"]
    )
    assert _as_list(deploy["EcrPushOwnRepositories"]["Resource"]) == [
        "arn:aws:ecr:us-east-1:123456789012:repository/chainops-lab-*"
    ]
    # The SSM connection's transfer bucket (the AWS inventories' ansible_aws_ssm_bucket_name):
    # the CI role moves files through it and its key; objects are transient.
    bucket = deployment.outputs["foundation"]["ssm_transfer_bucket"]
    assert bucket == "chainops-lab-ssm-transfer"
    assert _as_list(deploy["TransferFilesOverSsm"]["Resource"]) == [f"arn:aws:s3:::{bucket}/*"]
    assert set(_as_list(deploy["EncryptTransferFiles"]["Action"])) == {
        "kms:GenerateDataKey",
        "kms:Decrypt",
    }
    s3 = deployment.client("s3")
    (rule,) = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"]
    assert rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms"
    assert s3.get_bucket_versioning(Bucket=bucket).get("Status") != "Enabled"
    rules = s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]
    assert {r["ID"]: r.get("Expiration", {}).get("Days") for r in rules}["transient"] == 1


def test_account_trail_logs_every_region_and_the_buckets_objects(deployment: Deployment) -> None:
    """One multi-region trail with log file validation, KMS, a CloudWatch Logs copy, and S3 data
    events of every bucket but its own (the state bucket and the data lake among them), in a
    bucket whose policy lets CloudTrail write (the lab refuses the trail otherwise)."""
    out = deployment.outputs["foundation"]
    cloudtrail = deployment.client("cloudtrail")
    trail = cloudtrail.get_trail(Name=out["trail_arn"])["Trail"]
    assert trail["IsMultiRegionTrail"]
    assert trail["IncludeGlobalServiceEvents"]
    assert trail["LogFileValidationEnabled"]
    assert trail["S3BucketName"] == out["trail_bucket"]
    key = deployment.client("kms").describe_key(KeyId="alias/chainops-lab-trail")["KeyMetadata"]
    assert trail["KmsKeyId"] == key["Arn"]
    assert (
        trail["CloudWatchLogsLogGroupArn"].split(":log-group:")[1]
        == "/cloudtrail/chainops-lab-account:*"
    )
    assert cloudtrail.get_trail_status(Name=out["trail_arn"])["IsLogging"]
    selectors = cloudtrail.get_event_selectors(TrailName=out["trail_arn"])["AdvancedEventSelectors"]
    fields = [{f["Field"]: f for f in selector["FieldSelectors"]} for selector in selectors]
    assert {"Management"} in [set(f["eventCategory"]["Equals"]) for f in fields]
    (data,) = [f for f in fields if f["eventCategory"]["Equals"] == ["Data"]]
    assert data["resources.type"]["Equals"] == ["AWS::S3::Object"]
    assert data["resources.ARN"]["NotStartsWith"] == [f"arn:aws:s3:::{out['trail_bucket']}/"]
    assert "StartsWith" not in data["resources.ARN"]  # so the state bucket and the lake are in
    s3 = deployment.client("s3")
    (rule,) = s3.get_bucket_encryption(Bucket=out["trail_bucket"])[
        "ServerSideEncryptionConfiguration"
    ]["Rules"]
    assert rule["ApplyServerSideEncryptionByDefault"]["KMSMasterKeyID"] == key["Arn"]


# --- blockchain --------------------------------------------------------------------------------


def test_rpc_fleet_in_its_placement_group_with_lab_hosts(deployment: Deployment) -> None:
    """Three i4i.8xlarge nodes in the cluster placement group, tagged for the lab's hosts."""
    out = deployment.outputs["blockchain"]
    (group,) = deployment.client("autoscaling").describe_auto_scaling_groups(
        AutoScalingGroupNames=[out["rpc_autoscaling_group_name"]]
    )["AutoScalingGroups"]
    assert group["PlacementGroup"] == out["rpc_placement_group_name"]
    assert (group["MinSize"], group["MaxSize"], group["DesiredCapacity"]) == (3, 3, 3)
    assert len(group["Instances"]) == 3
    ec2 = deployment.client("ec2")
    reservations = ec2.describe_instances(
        InstanceIds=[i["InstanceId"] for i in group["Instances"]]
    )["Reservations"]
    instances = [i for r in reservations for i in r["Instances"]]
    assert {i["Placement"]["GroupName"] for i in instances} == {out["rpc_placement_group_name"]}
    assert {i["InstanceType"] for i in instances} == {"i4i.8xlarge"}
    assert all(_tags(i)["chainops:role"] == "rpc" for i in instances)
    # The provider's default tags reach the group's instances: the AWS inventories filter on
    # chainops:environment (inventories/dev/aws_ec2.yml) and would find no RPC node without it.
    assert all(
        (_tags(i)["chainops:environment"], _tags(i)["chainops:stack"]) == ("lab", "blockchain")
        for i in instances
    )
    # These three and the listener host become lab hosts, the nodes with instance-store disks.
    desired = {n.instance_id: n for n in nodes.desired(deployment.settings)}
    assert sorted(desired) == sorted(
        [i["InstanceId"] for i in instances] + out["listener_instance_ids"]
    )
    assert all(desired[i["InstanceId"]].disks for i in instances)

    (template,) = ec2.describe_launch_template_versions(
        LaunchTemplateId=out["rpc_launch_template_id"], Versions=["$Latest"]
    )["LaunchTemplateVersions"]
    data = template["LaunchTemplateData"]
    assert data["MetadataOptions"]["HttpTokens"] == "required"
    assert data["BlockDeviceMappings"][0]["Ebs"]["Encrypted"] is True

    policies = deployment.client("autoscaling").describe_policies(
        AutoScalingGroupName=group["AutoScalingGroupName"]
    )["ScalingPolicies"]
    tracked = {p["PolicyName"]: p["TargetTrackingConfiguration"] for p in policies}
    assert set(tracked) == {"chainops-lab-rpc-cpu", "chainops-lab-rpc-rpc-requests"}
    custom = tracked["chainops-lab-rpc-rpc-requests"]["CustomizedMetricSpecification"]
    assert (custom["Namespace"], custom["MetricName"]) == ("Chainops/RPC", "RequestsPerSecond")


def test_listener_host_is_private_hardened_and_a_lab_host(deployment: Deployment) -> None:
    """One listener host: role-tagged for the inventory, IMDSv2 only, encrypted root, private."""
    out = deployment.outputs["blockchain"]
    ec2 = deployment.client("ec2")
    (instance_id,) = out["listener_instance_ids"]
    (instance,) = ec2.describe_instances(InstanceIds=[instance_id])["Reservations"][0]["Instances"]
    tags = _tags(instance)
    assert (tags["chainops:role"], tags["chainops:lab-host"]) == ("listener", "true")
    assert instance["InstanceType"] == "m5.large"
    assert instance["MetadataOptions"]["HttpTokens"] == "required"
    profile = instance["IamInstanceProfile"]["Arn"].rsplit("/", 1)[1]
    (role,) = deployment.client("iam").get_instance_profile(InstanceProfileName=profile)[
        "InstanceProfile"
    ]["Roles"]
    assert role["Arn"] == out["role_arns"]["listener"]
    (subnet,) = ec2.describe_subnets(SubnetIds=[instance["SubnetId"]])["Subnets"]
    assert _tags(subnet)["chainops:tier"] == "private"
    assert subnet["MapPublicIpOnLaunch"] is False
    root = instance["BlockDeviceMappings"][0]["Ebs"]["VolumeId"]
    (volume,) = ec2.describe_volumes(VolumeIds=[root])["Volumes"]
    assert volume["Encrypted"] is True
    assert volume["KmsKeyId"] == out["kms_key_arn"]
    # The lab materialises it as a host without instance-store disks.
    (node,) = [n for n in nodes.desired(deployment.settings) if n.instance_id == instance_id]
    assert node.disks == ()


def test_stream_queue_and_tables(deployment: Deployment) -> None:
    """The stream is provisioned and encrypted, failures redrive to the DLQ, tables keyed right."""
    out = deployment.outputs["blockchain"]
    summary = deployment.client("kinesis").describe_stream_summary(StreamName=out["stream_name"])[
        "StreamDescriptionSummary"
    ]
    assert summary["StreamModeDetails"]["StreamMode"] == "PROVISIONED"
    assert summary["OpenShardCount"] == 1
    assert summary["EncryptionType"] == "KMS"
    assert summary["RetentionPeriodHours"] == 24

    sqs = deployment.client("sqs")
    attributes = sqs.get_queue_attributes(QueueUrl=out["retry_queue_url"], AttributeNames=["All"])[
        "Attributes"
    ]
    dlq_arn = sqs.get_queue_attributes(
        QueueUrl=out["dead_letter_queue_url"], AttributeNames=["QueueArn"]
    )["Attributes"]["QueueArn"]
    assert json.loads(attributes["RedrivePolicy"]) == {
        "deadLetterTargetArn": dlq_arn,
        "maxReceiveCount": 5,
    }
    assert attributes["KmsMasterKeyId"] == out["kms_key_arn"]

    dynamodb = deployment.client("dynamodb")
    keys = {
        name: dynamodb.describe_table(TableName=table)["Table"]["KeySchema"][0]["AttributeName"]
        for name, table in out["table_names"].items()
    }
    assert keys == {
        "checkpoints": "listener_id",
        "leases": "lease_key",
        "idempotency": "idempotency_key",
    }
    ttl = dynamodb.describe_time_to_live(TableName=out["table_names"]["idempotency"])
    assert ttl["TimeToLiveDescription"]["AttributeName"] == "expires_at"


def test_data_lake_tiers_and_alarms(deployment: Deployment) -> None:
    """Landed events tier down to Deep Archive; the SLA and dead-letter alarms notify the topic."""
    out = deployment.outputs["blockchain"]
    rules = deployment.client("s3").get_bucket_lifecycle_configuration(
        Bucket=out["data_lake_bucket"]
    )["Rules"]
    (events,) = [r for r in rules if r["ID"] == "events-tiers"]
    assert events["Filter"]["Prefix"] == f"{LAKE_PREFIX}/"  # where the consumers write
    tiers = sorted((t["Days"], t["StorageClass"]) for t in events["Transitions"])
    assert tiers == [(30, "STANDARD_IA"), (90, "GLACIER_IR"), (365, "DEEP_ARCHIVE")]
    alarms = deployment.client("cloudwatch").describe_alarms(
        AlarmNames=list(out["alarm_names"].values())
    )["MetricAlarms"]
    assert len(alarms) == 5
    (lost,) = [a for a in alarms if a["MetricName"] == consumer_metrics.LOST_RANGES]
    assert lost["Threshold"] == 0
    assert all(a["AlarmActions"] == [out["alarm_topic_arn"]] for a in alarms)
    (backlog,) = [a for a in alarms if a["MetricName"] == consumer_metrics.MILLIS_BEHIND_LATEST]
    assert backlog["Threshold"] == 60000
    assert backlog["Dimensions"] == [{"Name": "Stream", "Value": out["stream_name"]}]


def _grants(statements: dict[str, dict[str, Any]]) -> dict[str, tuple[set[str], set[str]]]:
    """Sid -> (actions, resources) of an Allow policy."""
    return {
        sid: (set(_as_list(s["Action"])), set(_as_list(s["Resource"])))
        for sid, s in statements.items()
    }


def _by_resource(actions: Mapping[str, frozenset[StrEnum]]) -> dict[StrEnum, set[str]]:
    grants: dict[StrEnum, set[str]] = {}
    for action, kinds in actions.items():
        for kind in kinds:
            grants.setdefault(kind, set()).add(action)
    return grants


def _via(services: frozenset[str]) -> dict[str, dict[str, Any]]:
    values = sorted(f"{service}.us-east-1.amazonaws.com" for service in services)
    return {"StringEquals": {"kms:ViaService": values[0] if len(values) == 1 else values}}


def _expected(
    actions: Mapping[str, frozenset[StrEnum]],
    key_use: Mapping[str, frozenset[str]],
    *,
    arns: Mapping[StrEnum, str],
    key: str,
) -> dict[str, tuple[set[str], set[str]]]:
    """The statements a permission list asks for: one per resource kind, one per key action."""
    grants = {kind.value: (acts, {arns[kind]}) for kind, acts in _by_resource(actions).items()}
    for action in key_use:
        grants[f"Key{action.split(':')[1]}"] = ({action}, {key})
    return grants


def test_pipeline_roles_grant_exactly_what_the_code_calls(deployment: Deployment) -> None:
    """The listener's and the consumer's policies are their packages' permission lists, each
    action on the stack's resource of its kind, the key only through the services using it."""
    iam = deployment.client("iam")
    out = deployment.outputs["blockchain"]
    tables = {
        key: f"arn:aws:dynamodb:us-east-1:123456789012:table/{name}"
        for key, name in out["table_names"].items()
    }
    lake = f"arn:aws:s3:::{out['data_lake_bucket']}"
    dlq = deployment.client("sqs").get_queue_attributes(
        QueueUrl=out["dead_letter_queue_url"], AttributeNames=["QueueArn"]
    )["Attributes"]["QueueArn"]

    def inline(role: str) -> dict[str, dict[str, Any]]:
        name = out["role_arns"][role].rsplit("/", 1)[1]
        return _statements(
            iam.get_role_policy(RoleName=name, PolicyName="pipeline")["PolicyDocument"]
        )

    listener_arns: dict[StrEnum, str] = {
        listener.Resource.STREAM: out["stream_arn"],
        listener.Resource.CHECKPOINT_TABLE: tables["checkpoints"],
        listener.Resource.METRICS: "*",  # PutMetricData has no resource-level permissions
    }
    consumer_arns: dict[StrEnum, str] = {
        consumer.Resource.STREAM: out["stream_arn"],
        consumer.Resource.LEASE_TABLE: tables["leases"],
        consumer.Resource.IDEMPOTENCY_TABLE: tables["idempotency"],
        consumer.Resource.LAKE_BUCKET: lake,
        consumer.Resource.LAKE_OBJECTS: f"{lake}/{LAKE_PREFIX}/*",
        consumer.Resource.DEAD_LETTER_QUEUE: dlq,
        consumer.Resource.METRICS: "*",  # PutMetricData has no resource-level permissions
    }
    for role, permissions, arns in (
        ("listener", listener, listener_arns),
        ("consumer", consumer, consumer_arns),
    ):
        statements = inline(role)
        assert _grants(statements) == _expected(
            permissions.ACTIONS, permissions.KEY_USE, arns=arns, key=out["kms_key_arn"]
        ), role
        for action, services in permissions.KEY_USE.items():
            assert statements[f"Key{action.split(':')[1]}"]["Condition"] == _via(services)
    for role, config in (("listener", ListenerConfig), ("consumer", ConsumerConfig)):
        namespace = config.model_fields["metrics_namespace"].default
        assert inline(role)["Metrics"]["Condition"] == {
            "StringEquals": {"cloudwatch:namespace": namespace}
        }


def test_pipeline_services_are_defined_as_on_aws_without_tasks(deployment: Deployment) -> None:
    """The listener and consumer ECS services (none running in the lab) run the pipeline image
    with their role, command and settings; the RPC fleet's group is behind the internal load
    balancer the listener follows."""
    out = deployment.outputs["blockchain"]
    ecs = deployment.client("ecs")
    names = out["pipeline_service_names"]
    assert set(names) == {"listener", "consumer"}
    services = ecs.describe_services(cluster="chainops-lab-pipeline", services=list(names.values()))
    for name, service in zip(names, services["services"], strict=True):
        assert service["desiredCount"] == 0
        task = ecs.describe_task_definition(taskDefinition=service["taskDefinition"])
        definition = task["taskDefinition"]
        assert definition["taskRoleArn"] == out["role_arns"][name]
        (container,) = definition["containerDefinitions"]
        assert container["image"] == f"{out['pipeline_repository_url']}:lab"
        assert container["command"] == [name]
        environment = {e["name"]: e["value"] for e in container["environment"]}
        assert environment["CHAINOPS_STREAM"] == out["stream_name"]
    assert out["rpc_endpoint"].endswith(":8899")
    groups = deployment.client("autoscaling").describe_auto_scaling_groups(
        AutoScalingGroupNames=[out["rpc_autoscaling_group_name"]]
    )["AutoScalingGroups"]
    elbv2 = deployment.client("elbv2")
    ports = {
        elbv2.describe_target_groups(TargetGroupArns=[arn])["TargetGroups"][0]["Port"]
        for arn in groups[0]["TargetGroupARNs"]
    }
    assert ports == {8899, 8900}


# --- core --------------------------------------------------------------------------------------


def test_core_repositories_cluster_logs_and_secret(deployment: Deployment) -> None:
    """Immutable, scanned, KMS repositories; Container Insights; encrypted logs and secret."""
    out = deployment.outputs["core"]
    ecr = deployment.client("ecr")
    names = sorted(url.split("/", 1)[1] for url in out["repository_urls"].values())
    assert names == ["chainops-lab-market-data-processor", "chainops-lab-trading-api"]
    for repo in ecr.describe_repositories(repositoryNames=names)["repositories"]:
        assert repo["imageTagMutability"] == "IMMUTABLE"
        assert repo["imageScanningConfiguration"]["scanOnPush"] is True
        assert repo["encryptionConfiguration"]["encryptionType"] == "KMS"
        policy = json.loads(
            ecr.get_lifecycle_policy(repositoryName=repo["repositoryName"])["lifecyclePolicyText"]
        )
        assert [r["selection"]["tagStatus"] for r in policy["rules"]] == ["untagged", "any"]
    (cluster,) = deployment.client("ecs").describe_clusters(
        clusters=[out["cluster_name"]], include=["SETTINGS"]
    )["clusters"]
    assert {"name": "containerInsights", "value": "enabled"} in cluster["settings"]
    groups = deployment.client("logs").describe_log_groups(logGroupNamePrefix="/ecs/chainops-lab/")
    assert {g["logGroupName"]: g.get("kmsKeyId") for g in groups["logGroups"]} == {
        name: deployment.outputs["foundation"]["logs_kms_key_arn"]
        for name in out["log_groups"].values()
    }
    secret = deployment.client("secretsmanager").describe_secret(SecretId=out["app_secret_arn"])
    assert secret["KmsKeyId"].startswith("arn:aws:kms:")


def _by_color(target_groups: list[dict[str, Any]], arns: dict[str, str]) -> dict[str, int]:
    colors = {arn: color for color, arn in arns.items()}
    return {colors[g["TargetGroupArn"]]: g["Weight"] for g in target_groups}


def test_core_alb_serves_https_only_to_the_active_color(deployment: Deployment) -> None:
    """HTTPS (TLS 1.3 policy) forwards all to blue, port 80 redirects; access logs on, SSE-S3."""
    out = deployment.outputs["core"]
    elbv2 = deployment.client("elbv2")
    (alb,) = elbv2.describe_load_balancers(LoadBalancerArns=[out["alb_arn"]])["LoadBalancers"]
    public = deployment.outputs["foundation"]["subnet_ids"]["public"]
    assert sorted(z["SubnetId"] for z in alb["AvailabilityZones"]) == sorted(public)
    assert alb["SecurityGroups"] == [deployment.outputs["foundation"]["security_group_ids"]["alb"]]
    listeners = {
        listener["Port"]: listener
        for listener in elbv2.describe_listeners(LoadBalancerArn=out["alb_arn"])["Listeners"]
    }
    assert set(listeners) == {80, 443}
    https = listeners[443]
    assert https["Protocol"] == "HTTPS"
    assert https["SslPolicy"] == "ELBSecurityPolicy-TLS13-1-2-2021-06"
    assert [c["CertificateArn"] for c in https["Certificates"]] == [
        json.loads(deployment.stacks["core"].var_file.read_text())["certificate_arn"]
    ]
    (forward,) = https["DefaultActions"]
    weights = _by_color(forward["ForwardConfig"]["TargetGroups"], out["target_group_arns"])
    assert weights == {"blue": 100, "green": 0}
    (redirect,) = listeners[80]["DefaultActions"]
    assert redirect["Type"] == "redirect"
    config = redirect["RedirectConfig"]
    assert (config["Protocol"], config["Port"], config["StatusCode"]) == (
        "HTTPS",
        "443",
        "HTTP_301",
    )
    attributes = {
        a["Key"]: a["Value"]
        for a in elbv2.describe_load_balancer_attributes(LoadBalancerArn=out["alb_arn"])[
            "Attributes"
        ]
    }
    assert attributes["access_logs.s3.enabled"] == "true"
    assert attributes["access_logs.s3.bucket"] == out["alb_access_logs_bucket"]
    encryption = deployment.client("s3").get_bucket_encryption(Bucket=out["alb_access_logs_bucket"])
    (rule,) = encryption["ServerSideEncryptionConfiguration"]["Rules"]
    assert rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    groups = elbv2.describe_target_groups(TargetGroupArns=list(out["target_group_arns"].values()))
    assert {(g["TargetType"], g["Port"], g["Protocol"]) for g in groups["TargetGroups"]} == {
        ("ip", 8080, "HTTP")
    }


def test_core_alb_is_behind_a_logged_web_acl(deployment: Deployment) -> None:
    """The public ALB has a web ACL: a rate limit per client, AWS's managed rules, logs."""
    wafv2 = deployment.client("wafv2")
    acl = wafv2.get_web_acl_for_resource(ResourceArn=deployment.outputs["core"]["alb_arn"])[
        "WebACL"
    ]
    rules = {r["Name"]: r for r in acl["Rules"]}
    assert set(rules) == {"rate-per-client", "ip-reputation", "common", "known-bad-inputs"}
    assert rules["rate-per-client"]["Statement"]["RateBasedStatement"]["AggregateKeyType"] == "IP"
    assert "Block" in rules["rate-per-client"]["Action"]
    logging = wafv2.get_logging_configuration(ResourceArn=acl["ARN"])["LoggingConfiguration"]
    (destination,) = logging["LogDestinationConfigs"]
    assert destination.endswith(":log-group:aws-waf-logs-chainops-lab")


def test_core_services_run_private_and_scale_on_cpu_and_requests(deployment: Deployment) -> None:
    """Fargate services in the private subnets with the app group; the API in blue, scaling."""
    out = deployment.outputs["core"]
    foundation = deployment.outputs["foundation"]
    ecs = deployment.client("ecs")
    services = {
        s["serviceName"]: s
        for s in ecs.describe_services(
            cluster=out["cluster_name"], services=list(out["service_names"].values())
        )["services"]
    }
    assert set(services) == {"trading-api", "market-data-processor"}
    for name, service in services.items():
        assert service["desiredCount"] == 1
        assert service["launchType"] == "FARGATE"
        network = service["networkConfiguration"]["awsvpcConfiguration"]
        assert sorted(network["subnets"]) == sorted(foundation["subnet_ids"]["private"])
        assert network["securityGroups"] == [foundation["security_group_ids"]["app"]]
        assert network["assignPublicIp"] == "DISABLED"
        task = ecs.describe_task_definition(taskDefinition=service["taskDefinition"])
        definition = task["taskDefinition"]
        assert definition["networkMode"] == "awsvpc"
        assert definition["requiresCompatibilities"] == ["FARGATE"]
        assert definition["taskRoleArn"] == out["task_role_arns"][name]
        (container,) = definition["containerDefinitions"]
        assert {s["name"] for s in container["secrets"]} == {"APP_SETTINGS", "REDIS_AUTH_TOKEN"}
        environment = {e["name"]: e["value"] for e in container["environment"]}
        assert environment["DB_READER_HOST"] == out["database_reader_endpoint"]
    (registration,) = services["trading-api"]["loadBalancers"]
    assert registration["targetGroupArn"] == out["target_group_arns"]["blue"]
    assert registration["containerPort"] == 8080
    assert services["market-data-processor"]["loadBalancers"] == []

    scaling = deployment.client("application-autoscaling")
    core = "service/chainops-lab/"  # the blockchain stack's pipeline has a cluster of its own
    targets = scaling.describe_scalable_targets(ServiceNamespace="ecs")["ScalableTargets"]
    assert {
        (t["ResourceId"], t["MinCapacity"], t["MaxCapacity"])
        for t in targets
        if t["ResourceId"].startswith(core)
    } == {(f"{core}{name}", 1, 2) for name in services}
    policies = [
        p
        for p in scaling.describe_scaling_policies(ServiceNamespace="ecs")["ScalingPolicies"]
        if p["ResourceId"].startswith(core)
    ]
    metrics = {
        p["PolicyName"]: p["TargetTrackingScalingPolicyConfiguration"][
            "PredefinedMetricSpecification"
        ]
        for p in policies
    }
    assert set(metrics) == {
        "trading-api-cpu",
        "trading-api-requests",
        "market-data-processor-cpu",
    }
    requests = metrics["trading-api-requests"]
    assert requests["PredefinedMetricType"] == "ALBRequestCountPerTarget"
    assert requests["ResourceLabel"].endswith(
        "/" + out["target_group_arns"]["blue"].split(":", 5)[5]
    )


def test_core_database_is_multi_az_encrypted_iam_and_proxied(deployment: Deployment) -> None:
    """Multi-AZ, KMS, IAM auth, Performance Insights, forced TLS; a replica; a TLS+IAM proxy."""
    out = deployment.outputs["core"]
    rds = deployment.client("rds")
    (primary,) = rds.describe_db_instances(DBInstanceIdentifier=out["database_identifier"])[
        "DBInstances"
    ]
    assert primary["MultiAZ"] is True
    assert primary["StorageEncrypted"] is True
    assert primary["KmsKeyId"].startswith("arn:aws:kms:")
    assert primary["IAMDatabaseAuthenticationEnabled"] is True
    assert primary["PerformanceInsightsEnabled"] is True
    assert primary["PubliclyAccessible"] is False
    assert primary["MasterUserSecret"]["SecretArn"] == out["database_master_secret_arn"]
    isolated = deployment.outputs["foundation"]["subnet_ids"]["isolated"]
    subnets = [s["SubnetIdentifier"] for s in primary["DBSubnetGroup"]["Subnets"]]
    assert sorted(subnets) == sorted(isolated)
    parameters = rds.describe_db_parameters(
        DBParameterGroupName=primary["DBParameterGroups"][0]["DBParameterGroupName"],
        Source="user",
    )["Parameters"]
    assert {p["ParameterName"]: p["ParameterValue"] for p in parameters}["rds.force_ssl"] == "1"

    (replica,) = rds.describe_db_instances(DBInstanceIdentifier=out["database_replica_identifier"])[
        "DBInstances"
    ]
    assert replica["ReadReplicaSourceDBInstanceIdentifier"] == primary["DBInstanceIdentifier"]
    assert replica["StorageEncrypted"] is True
    # The services read from the replica and may log in to it (IAM auth on its own resource id).
    assert out["database_reader_endpoint"] == replica["Endpoint"]["Address"]
    iam = deployment.client("iam")
    for role_arn in out["task_role_arns"].values():
        role = role_arn.rsplit("/", 1)[1]
        documents = [
            json.dumps(iam.get_role_policy(RoleName=role, PolicyName=name)["PolicyDocument"])
            for name in iam.list_role_policies(RoleName=role)["PolicyNames"]
        ]
        assert any(f"dbuser:{replica['DbiResourceId']}/app" in d for d in documents), role

    (proxy,) = rds.describe_db_proxies(DBProxyName=out["database_proxy_name"])["DBProxies"]
    assert proxy["RequireTLS"] is True
    assert proxy["EngineFamily"] == "POSTGRESQL"
    (auth,) = proxy["Auth"]
    assert (auth["IAMAuth"], auth["SecretArn"]) == ("REQUIRED", out["database_master_secret_arn"])
    assert proxy["Endpoint"] == out["database_endpoint"]
    (target,) = rds.describe_db_proxy_targets(DBProxyName=proxy["DBProxyName"])["Targets"]
    assert target["RdsResourceId"] == primary["DBInstanceIdentifier"]


def test_core_cache_is_encrypted_authenticated_and_fails_over(deployment: Deployment) -> None:
    """Two Redis nodes across zones, failover on, KMS at rest, TLS and AUTH in transit."""
    out = deployment.outputs["core"]
    elasticache = deployment.client("elasticache")
    (group,) = elasticache.describe_replication_groups(
        ReplicationGroupId=out["cache_replication_group_id"]
    )["ReplicationGroups"]
    assert group["AtRestEncryptionEnabled"] is True
    assert group["KmsKeyId"].startswith("arn:aws:kms:")
    assert group["TransitEncryptionEnabled"] is True
    assert group["AuthTokenEnabled"] is True
    assert (group["AutomaticFailover"], group["MultiAZ"]) == ("enabled", "enabled")
    assert len(group["MemberClusters"]) == 2
    clusters = [
        elasticache.describe_cache_clusters(CacheClusterId=member)["CacheClusters"][0]
        for member in group["MemberClusters"]
    ]
    assert {c["PreferredAvailabilityZone"] for c in clusters} == {"us-east-1a", "us-east-1b"}
    cache_group = deployment.outputs["foundation"]["security_group_ids"]["cache"]
    assert all(
        [g["SecurityGroupId"] for g in c["SecurityGroups"]] == [cache_group] for c in clusters
    )
    token = deployment.client("secretsmanager").get_secret_value(
        SecretId=out["cache_auth_secret_arn"]
    )["SecretString"]
    assert len(token) == 64


def test_core_data_tier_admits_the_app_tier_only(deployment: Deployment) -> None:
    """The database admits PostgreSQL from the app tier and the proxy; the proxy from the app."""
    out = deployment.outputs["core"]
    tiers = deployment.outputs["foundation"]["security_group_ids"]
    added = out["security_group_ids"]
    (primary,) = deployment.client("rds").describe_db_instances(
        DBInstanceIdentifier=out["database_identifier"]
    )["DBInstances"]
    assert {g["VpcSecurityGroupId"] for g in primary["VpcSecurityGroups"]} == {
        tiers["db"],
        added["db_from_proxy"],
    }
    ec2 = deployment.client("ec2")
    groups = {
        g["GroupId"]: g
        for g in ec2.describe_security_groups(GroupIds=list(added.values()))["SecurityGroups"]
    }

    def sources(group_id: str) -> set[tuple[int, str]]:
        return {
            (rule["FromPort"], pair["GroupId"])
            for rule in groups[group_id]["IpPermissions"]
            for pair in rule["UserIdGroupPairs"]
        } | {
            (rule["FromPort"], r["CidrIp"])
            for rule in groups[group_id]["IpPermissions"]
            for r in rule["IpRanges"]
        }

    assert sources(added["db_proxy"]) == {(5432, tiers["app"])}
    assert sources(added["db_from_proxy"]) == {(5432, added["db_proxy"])}
    (egress,) = groups[added["db_proxy"]]["IpPermissionsEgress"]
    assert (egress["FromPort"], [p["GroupId"] for p in egress["UserIdGroupPairs"]]) == (
        5432,
        [tiers["db"]],
    )
    assert groups[added["db_from_proxy"]]["IpPermissionsEgress"] == []


def test_core_alarms_notify_the_alarm_topic(deployment: Deployment) -> None:
    """ALB, service, PostgreSQL and Redis alarms exist and notify the environment's topic."""
    out = deployment.outputs["core"]
    alarms = deployment.client("cloudwatch").describe_alarms(
        AlarmNames=list(out["alarm_names"].values())
    )["MetricAlarms"]
    assert set(out["alarm_names"]) == {
        "alb-target-5xx",
        "alb-target-response-time",
        "ecs-cpu-trading-api",
        "ecs-cpu-market-data-processor",
        "rds-cpu",
        "rds-free-storage",
        "rds-replica-lag",
        "redis-cpu-001",
        "redis-cpu-002",
        "redis-evictions-001",
        "redis-evictions-002",
    }
    assert len(alarms) == len(out["alarm_names"])
    topic = deployment.outputs["blockchain"]["alarm_topic_arn"]
    assert all(a["AlarmActions"] == [topic] for a in alarms)
    lag = {a["AlarmName"]: a for a in alarms}["chainops-lab-rds-replica-lag"]
    assert lag["Dimensions"] == [{"Name": "DBInstanceIdentifier", "Value": "chainops-lab-replica"}]
    dashboard = deployment.client("cloudwatch").get_dashboard(DashboardName=out["dashboard_name"])
    titles = {
        w["properties"].get("title") for w in json.loads(dashboard["DashboardBody"])["widgets"]
    }
    assert {"ALB requests, 5xx and p99 latency", "Redis engine CPU and evictions"} <= titles


# --- all stacks --------------------------------------------------------------------------------


def test_second_plan_of_every_stack_is_empty(deployment: Deployment) -> None:
    """Re-planning each stack right after its apply finds nothing to change (exit code 0)."""
    for name, stack in deployment.stacks.items():
        start = time.monotonic()
        result = stack.plan()
        deployment.timings[f"plan {name}"] = time.monotonic() - start
        assert result.returncode == 0, (
            f"{name}: plan exited {result.returncode}\n"
            f"{result.stdout[-4000:]}{result.stderr[-2000:]}"
        )


def test_every_stack_replans_as_the_ci_role(deployment: Deployment, tmp_path: Path) -> None:
    """After the administrator's apply, the CI/CD role re-plans each stack to no change (the lab
    refusing whatever its policy lacks), and reads no data: not an object of the lake."""
    ci = deployment.outputs["foundation"]["role_arns"]["ci"]
    bootstrap = deployment.outputs["state_bootstrap"]
    for name in ORDER[1:]:  # the bootstrap's state is local, an administrator's alone
        start = time.monotonic()
        stack = init_stack(name, deployment.settings, tmp_path, bootstrap, role_arn=ci)
        result = stack.plan()
        deployment.timings[f"plan {name} as ci"] = time.monotonic() - start
        assert result.returncode == 0, (
            f"{name}: plan as {ci} exited {result.returncode}\n"
            f"{result.stdout[-3000:]}{result.stderr[-3000:]}"
        )
    lake = deployment.outputs["blockchain"]["data_lake_bucket"]
    s3 = clients.client(
        deployment.settings, "s3", session=clients.assume_role(deployment.settings, ci, "ci")
    )
    with pytest.raises(ClientError) as refused:
        s3.get_object(Bucket=lake, Key=f"{LAKE_PREFIX}/any.jsonl.gz")
    assert refused.value.response["Error"]["Code"] == "AccessDenied"


@pytest.mark.destroys_stacks
def test_destroy_leaves_the_account_empty(deployment: Deployment) -> None:
    """Destroying every stack in reverse order leaves no resource the stacks made."""
    deployment.destroy()
    ec2 = deployment.client("ec2")
    assert (
        ec2.describe_vpcs(Filters=[{"Name": "tag-key", "Values": ["chainops:stack"]}])["Vpcs"] == []
    )
    running = ec2.describe_instances(
        Filters=[
            {"Name": "instance-state-name", "Values": ["pending", "running", "stopping", "stopped"]}
        ]
    )["Reservations"]
    assert running == []
    assert ec2.describe_placement_groups()["PlacementGroups"] == []
    assert ec2.describe_launch_templates()["LaunchTemplates"] == []
    assert [n for n in ec2.describe_nat_gateways()["NatGateways"] if n["State"] != "deleted"] == []
    assert ec2.describe_addresses()["Addresses"] == []
    endpoints = ec2.describe_vpc_endpoints()["VpcEndpoints"]
    assert [e for e in endpoints if e["State"].lower() != "deleted"] == []
    assert deployment.client("s3").list_buckets()["Buckets"] == []
    assert deployment.client("dynamodb").list_tables()["TableNames"] == []
    assert deployment.client("kinesis").list_streams()["StreamNames"] == []
    assert deployment.client("sqs").list_queues().get("QueueUrls", []) == []
    assert deployment.client("sns").list_topics()["Topics"] == []
    assert deployment.client("ecr").describe_repositories()["repositories"] == []
    ecs = deployment.client("ecs")
    clusters = ecs.list_clusters()["clusterArns"]
    if clusters:  # a deleted cluster may still be listed, as INACTIVE
        assert {c["status"] for c in ecs.describe_clusters(clusters=clusters)["clusters"]} == {
            "INACTIVE"
        }
    assert deployment.client("cloudwatch").describe_alarms()["MetricAlarms"] == []
    elbv2 = deployment.client("elbv2")
    assert elbv2.describe_load_balancers()["LoadBalancers"] == []
    assert elbv2.describe_target_groups()["TargetGroups"] == []
    rds = deployment.client("rds")
    assert rds.describe_db_instances()["DBInstances"] == []
    assert rds.describe_db_proxies()["DBProxies"] == []
    elasticache = deployment.client("elasticache")
    assert elasticache.describe_replication_groups()["ReplicationGroups"] == []
    assert elasticache.describe_cache_clusters()["CacheClusters"] == []
    assert elasticache.describe_cache_parameter_groups()["CacheParameterGroups"] == []
    scaling = deployment.client("application-autoscaling")
    assert scaling.describe_scalable_targets(ServiceNamespace="ecs")["ScalableTargets"] == []
    assert deployment.client("secretsmanager").list_secrets()["SecretList"] == []
    assert deployment.client("cloudtrail").describe_trails()["trailList"] == []
    assert deployment.client("wafv2").list_web_acls(Scope="REGIONAL")["WebACLs"] == []
    assert deployment.client("logs").describe_log_groups()["logGroups"] == []
    assert (
        deployment.client("autoscaling").describe_auto_scaling_groups()["AutoScalingGroups"] == []
    )
    iam = deployment.client("iam")
    assert [
        r["RoleName"] for r in iam.list_roles()["Roles"] if r["RoleName"].startswith("chainops-")
    ] == []
    assert iam.list_open_id_connect_providers()["OpenIDConnectProviderList"] == []
    assert iam.list_instance_profiles()["InstanceProfiles"] == []
    kms = deployment.client("kms")
    aws_managed = {
        a["TargetKeyId"]
        for a in kms.list_aliases()["Aliases"]
        if a["AliasName"].startswith("alias/aws/")
    }  # moto creates the AWS-managed keys (aws/ebs, aws/dynamodb...) on first use
    states = {
        kms.describe_key(KeyId=k["KeyId"])["KeyMetadata"]["KeyState"]
        for k in kms.list_keys()["Keys"]
        if k["KeyId"] not in aws_managed
    }
    assert states <= {"PendingDeletion"}  # KMS keys are never deleted at once
    assert [
        a for a in kms.list_aliases()["Aliases"] if not a["AliasName"].startswith("alias/aws/")
    ] == []
    assert nodes.desired(deployment.settings) == []
