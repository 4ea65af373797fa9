"""The lab's extension layer: AWS APIs the stack needs that moto lacks, patched in at start.

Each extension is a small module with an ``install()`` function and a row in ``GAPS``; the
table is rendered into docs/lab.md and served at ``/moto-api/chainops`` so a client can see
which extensions a running lab has.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from chainops import __version__


@dataclass(frozen=True)
class Gap:
    """One thing moto (5.2.5) lacks and what the lab does about it."""

    service: str
    api: str
    moto: str
    lab: str


GAPS: tuple[Gap, ...] = (
    Gap(
        service="ec2",
        api="CreatePlacementGroup, DescribePlacementGroups, DeletePlacementGroup",
        moto="not implemented (answers 500)",
        lab="implemented: cluster/spread/partition strategies, tags, filters, in-use check",
    ),
    Gap(
        service="ec2",
        api="RunInstances Placement.GroupName (direct and from a launch template)",
        moto="ignored; DescribeInstances shows an empty GroupName",
        lab="kept on the instance, validated against existing groups, filterable by "
        "placement-group-name",
    ),
    Gap(
        service="autoscaling",
        api="CreateAutoScalingGroup / UpdateAutoScalingGroup PlacementGroup",
        moto="stored on create, ignored on update, not passed to the instances launched",
        lab="validated, updatable, and set on every instance the group launches",
    ),
    Gap(
        service="application-autoscaling",
        api="TagResource, UntagResource, ListTagsForResource; RegisterScalableTarget Tags",
        moto="not implemented (answers 500), so aws_appautoscaling_target fails on read",
        lab="implemented for scalable targets, by ARN; unknown ARNs answer "
        "ResourceNotFoundException",
    ),
    Gap(
        service="rds",
        api="DBInstance DbiResourceId",
        moto="the same id for every instance, so a read replica breaks reads of its primary",
        lab="a unique base32 id per instance",
    ),
    Gap(
        service="rds",
        api="DescribeDBEngineVersions",
        moto="not implemented (answers 500)",
        lab="a catalogue of current postgres, mysql, mariadb and aurora versions with their "
        "parameter group families; Engine, EngineVersion, family and DefaultOnly filters",
    ),
    Gap(
        service="rds",
        api="ModifyDBParameterGroup / DescribeDBParameters Source; ResetDBParameterGroup "
        "(and the cluster parameter group equivalents)",
        moto="parameters stored without Source and the Source filter ignored, so "
        "aws_db_parameter_group.parameter never settles; Reset not implemented (answers 500)",
        lab="set parameters read back with Source user, ApplyType and IsModifiable; Source "
        "filter honoured; Reset of named parameters or all",
    ),
    Gap(
        service="rds",
        api="EnablePerformanceInsights (create, modify); CreateDBInstanceReadReplica settings",
        moto="Performance Insights ignored; a replica inherits the primary's tags, log exports "
        "and storage autoscaling",
        lab="Performance Insights, its KMS key and retention kept; a replica has only the "
        "settings of its own request",
    ),
    Gap(
        service="sqs",
        api="GetQueueAttributes RedrivePolicy",
        moto='re-serialised with spaces (", ", ": "), a perpetual diff against jsonencode',
        lab="returned in the compact form AWS uses",
    ),
    Gap(
        service="elasticache",
        api="CreateReplicationGroup member clusters, NumCacheClusters",
        moto="member ids listed but no cache clusters created, NumCacheClusters ignored, so "
        "aws_elasticache_replication_group fails on read with CacheClusterNotFound",
        lab="one cache cluster per member with the group's settings, a node endpoint and AZs "
        "from the subnet group",
    ),
    Gap(
        service="elasticache",
        api="DeleteReplicationGroup, DeleteCacheCluster",
        moto='left "deleting" for ever, so a destroy never completes',
        lab="removed at once, a group with its member clusters; the response still says deleting",
    ),
    Gap(
        service="elasticache",
        api="DeleteCacheSubnetGroup",
        moto="not implemented (answers 500)",
        lab="implemented; a group in use answers CacheSubnetGroupInUse",
    ),
    Gap(
        service="elasticache",
        api="CreateCacheParameterGroup, DescribeCacheParameterGroups, DescribeCacheParameters, "
        "ModifyCacheParameterGroup, ResetCacheParameterGroup, DeleteCacheParameterGroup",
        moto="not implemented (answers 500)",
        lab="implemented: parameters set read back with Source user, reset by name or all, "
        "delete refused while a cluster uses the group, tags by ARN",
    ),
    Gap(
        service="ecs",
        api="CreateService / UpdateService availabilityZoneRebalancing, "
        "capacityProviderStrategy, deploymentConfiguration, healthCheckGracePeriodSeconds, "
        "enableExecuteCommand, enableECSManagedTags",
        moto="ignored on create (launchType EC2 reported with a capacity provider strategy), "
        "so aws_ecs_service plans a change or a replacement after every apply",
        lab="kept, with AWS's defaults when not given (rebalancing ENABLED, circuit breaker "
        "off, 200/100 %, platform LATEST on Fargate)",
    ),
    Gap(
        service="lambda",
        api="DeadLetterConfig; UpdateFunctionConfiguration TracingConfig, KMSKeyArn, "
        "EphemeralStorage",
        moto="DeadLetterConfig ignored and never returned (a perpetual dead_letter_config "
        "diff); those updates dropped",
        lab="kept and returned; an empty TargetArn removes the DLQ",
    ),
    Gap(
        service="kinesis",
        api="PutRecord, PutRecords fault injection (/moto-api/chainops/faults)",
        moto="no way to make a call throttle",
        lab="the next N calls fail with ProvisionedThroughputExceededException, or a fraction "
        "of a batch's records fail with FailedRecordCount set; switched over HTTP at run time",
    ),
    Gap(
        service="all",
        api="any operation of any service (S3 PutObject, every DynamoDB call...): fault "
        "injection (/moto-api/chainops/faults)",
        moto="no way to make a service fail",
        lab="the next N calls, or every call for a number of seconds, answer an error code "
        "and HTTP status (throttling or 5xx) in the service's protocol, writing nothing; "
        "never a refused connection (one port serves every service)",
    ),
    Gap(
        service="kinesis",
        api="retention: records older than RetentionPeriodHours",
        moto="never trimmed: a consumer cannot fall behind the trim horizon",
        lab="POST /moto-api/chainops/kinesis/trim expires a stream's records older than a "
        "given age (default all) as the trim horizon does: TRIM_HORIZON and iterators after "
        "a trimmed number read on from the oldest record left, numbering continues",
    ),
    Gap(
        service="kinesis",
        api="PutRecords / PutRecord limits",
        moto="5 MiB total checked before the 1 MiB record size, partition key counted into "
        "the record, empty batches and PutRecord size unchecked",
        lab="AWS's checks in AWS's order with AWS's errors",
    ),
    Gap(
        service="kinesis",
        api="PutRecord, PutRecords, GetRecords under concurrent calls",
        moto="a shard numbers records as max + 1 without a lock: concurrent puts overwrite each "
        "other (records lost); each put copies every sequence number to find the last, and "
        "GetRecords walks the shard from its start: both slow down as the stream grows",
        lab="one lock serialises shard reads and writes (taken once a batch); the last number "
        "is read off the ordered dict's end; GetRecords bisects a kept list of numbers and "
        "writes its answer from the stored base64 (moto decoded and re-encoded every record)",
    ),
    Gap(
        service="kinesis",
        api="SubscribeToShard",
        moto="not implemented (answers 500)",
        lab="one event with the records after the starting position and the continuation "
        "sequence number, then the stream ends",
    ),
    Gap(
        service="s3",
        api="Bucket policy conditions on object requests",
        moto="evaluated without request context; only StringEquals known, other operators "
        "ignored, and a failed condition denies: a TLS-only Deny (Bool "
        "aws:SecureTransport=false) answers 403 to every Get/Put/HeadObject, so an s3 "
        "backend cannot init",
        lab="Bool, StringEquals, StringNotEquals evaluated with aws:SecureTransport=true (the"
        " HTTP endpoint stands in for TLS); a statement whose condition fails does not "
        "apply",
    ),
    Gap(
        service="sqs",
        api="GetQueueAttributes RedriveAllowPolicy",
        moto="stored but never returned; by name answers InvalidAttributeName, so "
        "aws_sqs_queue_redrive_allow_policy waits out its 20-minute timeout",
        lab="returned in compact JSON, with All and by name",
    ),
    Gap(
        service="kinesis",
        api="CreateStream Tags",
        moto="ignored (ListTagsForStream answers none): a perpetual tags diff",
        lab="stored as AddTagsToStream would",
    ),
    Gap(
        service="autoscaling",
        api="DescribePolicies Enabled, PredictiveScalingConfiguration; "
        "Create/UpdateAutoScalingGroup DefaultInstanceWarmup",
        moto="Enabled missing (read as false), an empty predictive block on every policy, "
        "warmup dropped: perpetual diffs",
        lab="Enabled kept (default true), predictive configuration only on PredictiveScaling "
        "policies, warmup kept",
    ),
    Gap(
        service="ec2",
        api="CreateLaunchTemplate TagSpecification (launch-template)",
        moto="copied into LaunchTemplateData.TagSpecifications: a perpetual diff",
        lab="kept on the template only",
    ),
    Gap(
        service="ec2",
        api="ReplaceNetworkAclAssociation and the other network ACL calls under concurrent "
        "requests",
        moto="associations walked and moved without a lock: one destroy of the stacks failed "
        "with a 500 (the association in no ACL) while three ACLs were deleted at once",
        lab="the network ACL calls hold one lock",
    ),
    Gap(
        service="ec2",
        api="AuthorizeSecurityGroup*/RevokeSecurityGroup* and the other security group calls "
        "under concurrent requests",
        moto="a group's rules read, matched and rewritten without a lock: a rehearsal's destroy "
        "failed once with InvalidPermission.NotFound for a rule Terraform had made",
        lab="the security group calls hold one lock",
    ),
    Gap(
        service="cloudwatch",
        api="PutMetricAlarm state; alarm evaluation and actions",
        moto="an alarm is born OK and never evaluated: it stays OK whatever its data (or the lack "
        "of it), its actions never run, and an update resets its state",
        lab="born INSUFFICIENT_DATA, an update keeps the state; every 10 s (and on POST "
        "/moto-api/chainops/alarms/evaluate) each metric alarm is evaluated on its data as AWS "
        "documents it (period, evaluation periods, datapoints to alarm, statistic or "
        "percentile, missing-data treatment); a state change runs its SNS and Auto Scaling "
        "actions; metric-math, composite and anomaly alarms are not evaluated",
    ),
    Gap(
        service="cloudwatch",
        api="DescribeAlarmHistory",
        moto="not implemented (answers 500)",
        lab="state updates with reasons, actions (succeeded or failed) and configuration "
        "updates, newest first; AlarmName, HistoryItemType, dates, ScanBy and MaxRecords",
    ),
    Gap(
        service="sqs",
        api="AWS/SQS metrics (ApproximateNumberOfMessagesVisible, NotVisible, Delayed, "
        "ApproximateAgeOfOldestMessage)",
        moto="never published, so an alarm on a queue (a dead-letter queue's) can never fire",
        lab="every queue's four metrics stored once a minute (and when its counts change), "
        "dimension QueueName, before the alarms are evaluated",
    ),
    Gap(
        service="cloudwatch",
        api="GetMetricStatistics ExtendedStatistics",
        moto="accepted and ignored: no datapoint carries a percentile",
        lab="percentiles (p99, p99.9) per datapoint by nearest rank over the period's values "
        "(Values + Counts as the values repeated); none for periods with statistic sets, as on "
        "AWS; trimmed and winsorized means not computed",
    ),
    Gap(
        service="autoscaling",
        api="PutScalingPolicy TargetTrackingScaling alarms; policies run by alarms",
        moto="no alarm created and no policy ever run: a group never scales",
        lab="the policy's AlarmHigh (3 of 3 above the target) and AlarmLow (15 of 15 below 90 %) "
        "alarms created, replaced and deleted with the policy and its group; an alarm action "
        "runs target tracking (ceil(capacity x metric / target)), simple and step policies",
    ),
    Gap(
        service="application-autoscaling",
        api="PutScalingPolicy TargetTrackingScaling alarms (ECS services); policies run by alarms",
        moto="alarms with a threshold of 6 whatever the target, on CPUUtilization whatever the "
        "metric, a low alarm even with scale-in disabled; the policy never runs",
        lab="the high (3 of 3 above the target) and low (15 of 15 below 90 %, none with "
        "scale-in disabled) alarms on the policy's predefined (ECS CPU or memory, "
        "ALBRequestCountPerTarget) or customised metric; an alarm runs the policy: the "
        "service's desired count becomes ceil(count x metric / target) within the scalable "
        "target's bounds",
    ),
    Gap(
        service="ec2",
        api="RunInstances from a launch template (directly or by an Auto Scaling group): "
        "IamInstanceProfile",
        moto="the template's instance profile ignored: the instances have no role",
        lab="the template's profile (by name or ARN) associated with each instance launched, "
        "unless the call names one",
    ),
    Gap(
        service="iam",
        api="authorisation of every request signed with lab-issued credentials (role sessions, "
        "IAM users' keys)",
        moto="nothing enforced by default; with INITIAL_NO_AUTH_ACTION_COUNT, every caller "
        "evaluated on resource * (S3 and SQS aside), no condition but trust policies', no "
        "resource policy",
        lab="role sessions and users evaluated on the ARN AWS authorises (S3, SQS, DynamoDB "
        "batch and transactions, Kinesis incl. GetRecords' iterator, KMS incl. Decrypt's "
        "ciphertext, SSM, Logs, Secrets Manager) with identity, bucket, queue, key and trust "
        "policies, AWS's condition operators, explicit deny first; SigV4, session token and "
        "expiry checked; unknown keys InvalidClientTokenId; unsigned requests served by S3 only "
        "where a bucket policy grants everyone; AccessDenied in each protocol. The "
        "lab's own credentials are the account root, which also stands for the AWS services "
        "that assume instance and task roles. A customer key used on the caller's behalf by "
        "Kinesis, SQS, S3 or DynamoDB is checked too (the caller's kms action with "
        "kms:ViaService, against the key policy)",
    ),
    Gap(
        service="cloudtrail",
        api="CreateTrail, UpdateTrail: the bucket policy and the KMS key policy",
        moto="only the bucket's existence checked: a trail whose bucket or key CloudTrail may "
        "not use is accepted",
        lab="refused as AWS refuses it: the bucket policy must allow cloudtrail.amazonaws.com "
        "GetBucketAcl and PutObject under [prefix/]AWSLogs/<account>/ "
        "(InsufficientS3BucketPolicyException), the key must exist (KmsKeyNotFoundException) "
        "and its policy allow CloudTrail GenerateDataKey (InsufficientEncryptionPolicyException), "
        "each evaluated with the context CloudTrail sends",
    ),
    Gap(
        service="cloudtrail",
        api="DeleteTrail by ARN",
        moto="deletes only by name and answers success for anything else: a destroy by ARN "
        "(the AWS provider's id) leaves the trail",
        lab="the trail named or given by ARN is deleted; an unknown one answers "
        "TrailNotFoundException",
    ),
    Gap(
        service="(server)",
        api="request dispatch (every request)",
        moto="lists its package directory and matches the host against every service's URL "
        "patterns, under one lock, for each request: about a tenth of the lab's time",
        lab="the service found once per host and kept (the answer depends on the host alone)",
    ),
    Gap(
        service="(server)",
        api="an SDK's retry (same amz-sdk-invocation-id, attempt 2 or later) of a call already "
        "answered with success",
        moto="carried out again: under load the Go SDK resets about one connection a minute "
        "after the answer arrived, and its retry then fails as a duplicate or not found",
        lab="answered with the first attempt's answer (2xx answers only: a retry after an "
        "error runs again); a retry arriving during the first attempt waits for it",
    ),
    Gap(
        service="(server)",
        api="JSON request parameters, response request ids (every call)",
        moto="the request body parsed again for each parameter read (a PutRecords once per "
        "parameter); a regular expression run over every response body for an XML RequestId",
        lab="a body parsed once (orjson); the expression run only on bodies with a RequestId",
    ),
)

_installed: list[str] = []


def install() -> None:
    """Patch moto in this process; idempotent."""
    if _installed:
        return
    from chainops.lab.aws.extensions import (
        app_scaling_actions,
        application_autoscaling,
        autoscaling_policies,
        cloudtrail_delete,
        cloudtrail_delivery,
        cloudwatch_alarms,
        cloudwatch_percentiles,
        dispatch,
        ec2_launch_template_profile,
        ec2_launch_template_tags,
        ec2_network_acls,
        ec2_security_groups,
        ecs,
        elasticache,
        elasticache_parameter_groups,
        faults,
        iam_enforcement,
        kinesis,
        kinesis_tags,
        lambda_,
        placement_groups,
        rds,
        responses,
        s3_bucket_policy,
        scaling_actions,
        sdk_retries,
        sqs,
        sqs_metrics,
        sqs_redrive_allow,
    )

    for extension in (
        dispatch,
        sdk_retries,
        placement_groups,
        application_autoscaling,
        rds,
        sqs,
        elasticache,
        elasticache_parameter_groups,
        ecs,
        lambda_,
        kinesis,
        s3_bucket_policy,
        sqs_redrive_allow,
        autoscaling_policies,
        ec2_launch_template_tags,
        kinesis_tags,
        cloudwatch_alarms,
        cloudwatch_percentiles,
        scaling_actions,
        sqs_metrics,
        ec2_network_acls,
        ec2_security_groups,
        iam_enforcement,
        faults,
        app_scaling_actions,
        ec2_launch_template_profile,
        cloudtrail_delivery,
        cloudtrail_delete,
        responses,  # last: it remembers each handler's methods, which the others add to
    ):
        extension.install()
        _installed.append(extension.__name__.rsplit(".", 1)[1].rstrip("_"))
    _started_fingerprint.append(fingerprint())
    _install_info_route()


def fingerprint() -> str:
    """A hash of the code a lab server runs: moto's version, the extensions and the entry point.

    A server reports the fingerprint of the code it started with; `server.up` compares it with
    this checkout's to find a lab started from older code.
    """
    digest = hashlib.sha256(f"moto {metadata.version('moto')}\n".encode())
    lab = Path(__file__).resolve().parent.parent
    for source in sorted([*Path(__file__).resolve().parent.glob("*.py"), lab / "serve.py"]):
        digest.update(f"{source.name}\n".encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


_started_fingerprint: list[str] = []


def info() -> dict[str, Any]:
    """What the running lab offers beyond moto, for health checks and `lab status`."""
    return {
        "version": __version__,
        "fingerprint": _started_fingerprint[0] if _started_fingerprint else fingerprint(),
        "extensions": list(_installed),
        "gaps": [asdict(gap) for gap in GAPS],
    }


def _install_info_route() -> None:
    from moto.moto_api._internal import urls

    def chainops_info(request: Any, full_url: str, headers: Any) -> tuple[int, dict[str, str], str]:
        return 200, {"Content-Type": "application/json"}, json.dumps(info())

    urls.url_paths["{0}/moto-api/chainops$"] = chainops_info
