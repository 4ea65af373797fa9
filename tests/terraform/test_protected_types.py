"""The terraform_stack role's protected types cover every stateful or traffic-serving resource
type the stacks declare (static: the .tf files and the role's defaults, no Terraform, no lab).

Each resource type under terraform/ is classified once: protected, in the role's
`terraform_stack_protected_types` (its defaults, the list's one home), or replaceable, here,
with the reason a replacement loses nothing. A type added to a module or a stack without a
decision fails here, as does a type in both places or in the list but declared nowhere.
"""

from __future__ import annotations

import re

import yaml

from chainops import paths

TERRAFORM = paths.REPO_ROOT / "terraform"
ROLE_DEFAULTS = (
    paths.REPO_ROOT
    / "collections/ansible_collections/chainops/platform/roles/terraform_stack/defaults/main.yml"
)
RESOURCE = re.compile(r'^\s*resource\s+"(aws_[a-z0-9_]+)"', re.MULTILINE)

# Replacing one of these loses no data and interrupts no traffic beyond what replacing a
# protected type it belongs to would (which the guard stops first).
REPLACEABLE = {
    "aws_appautoscaling_policy": "a scaling rule; its alarms are recreated with it",
    "aws_appautoscaling_target": "a service's scaling bounds, re-registered",
    "aws_autoscaling_attachment": "re-attaches the group (protected) to its target group",
    "aws_autoscaling_policy": "a scaling rule; its alarms are recreated with it",
    "aws_cloudwatch_dashboard": "a view of metrics, which outlive it",
    "aws_cloudwatch_metric_alarm": "re-evaluated from the metrics, which outlive it",
    "aws_db_parameter_group": "settings, re-applied to the instances (protected)",
    "aws_db_proxy_default_target_group": "part of the proxy (protected)",
    "aws_db_proxy_target": "re-registers the instance with the proxy (protected)",
    "aws_db_subnet_group": "placement settings of the instances (protected)",
    "aws_default_security_group": "adopted, not created: removal only forgets it",
    "aws_ebs_encryption_by_default": "an account setting, re-imported",
    "aws_ecr_lifecycle_policy": "a rule on the repository (protected)",
    "aws_ecs_cluster": "holds the services (protected): replacing it replaces them",
    "aws_ecs_cluster_capacity_providers": "settings of the cluster",
    "aws_ecs_task_definition": "a revision: every release registers a new one",
    "aws_elasticache_parameter_group": "settings of the replication group (protected)",
    "aws_elasticache_subnet_group": "placement settings of the replication group (protected)",
    "aws_flow_log": "a subscription; the log group (protected) keeps the records",
    "aws_iam_openid_connect_provider": "found by its URL: a new one has the same ARN",
    "aws_iam_role_policy": "policy text, re-attached to its role (protected)",
    "aws_iam_role_policy_attachment": "re-attaches a policy to its role (protected)",
    "aws_kms_alias": "a name for the key (protected)",
    "aws_launch_template": "versions; the group (protected) rolls to the new one",
    "aws_network_acl": "rules, re-associated with the subnets (protected)",
    "aws_placement_group": "where the group (protected) places instances",
    "aws_route": "a route, re-added to its table",
    "aws_route_table": "routes, re-associated with the subnets (protected)",
    "aws_route_table_association": "re-associates a table with a subnet (protected)",
    "aws_s3_bucket_lifecycle_configuration": "settings of the bucket (protected)",
    "aws_s3_bucket_ownership_controls": "settings of the bucket (protected)",
    "aws_s3_bucket_policy": "settings of the bucket (protected)",
    "aws_s3_bucket_public_access_block": "settings of the bucket (protected)",
    "aws_s3_bucket_server_side_encryption_configuration": "settings of the bucket (protected)",
    "aws_s3_bucket_versioning": "settings of the bucket (protected)",
    "aws_secretsmanager_secret_version": "a value of the secret (protected), which keeps it",
    "aws_security_group": "rules; the ENIs move to the new group before the old one goes",
    "aws_sns_topic_policy": "settings of the topic (protected)",
    "aws_sqs_queue_redrive_allow_policy": "settings of the queue (protected)",
    "aws_wafv2_web_acl_association": "re-attaches the web ACL (protected) to its balancer",
    "aws_wafv2_web_acl_logging_configuration": "settings of the web ACL (protected)",
}


def declared_types() -> set[str]:
    """Every AWS resource type a module, stack or example under terraform/ declares."""
    return {
        match
        for path in TERRAFORM.rglob("*.tf")
        if ".terraform" not in path.parts
        for match in RESOURCE.findall(path.read_text(encoding="utf-8"))
    }


def protected_types() -> list[str]:
    defaults = yaml.safe_load(ROLE_DEFAULTS.read_text(encoding="utf-8"))
    types: list[str] = defaults["terraform_stack_protected_types"]
    return types


def test_the_scan_finds_the_stacks_resources() -> None:
    """The scan reads real files (a moved directory must not leave it checking nothing)."""
    assert {"aws_autoscaling_group", "aws_s3_bucket", "aws_lb", "aws_vpc"} <= declared_types()


def test_every_declared_type_is_classified_once() -> None:
    """Each resource type the stacks declare is either protected or replaceable, not both."""
    protected = set(protected_types())
    unclassified = declared_types() - protected - set(REPLACEABLE)
    assert not unclassified, (
        f"classify {sorted(unclassified)}: add each to terraform_stack_protected_types (holds "
        "data or an identity others depend on, or serves traffic) or to REPLACEABLE here with "
        "the reason a replacement loses nothing"
    )
    assert not protected & set(REPLACEABLE), sorted(protected & set(REPLACEABLE))


def test_the_lists_name_only_declared_types() -> None:
    """No stale entry: every protected or replaceable type is declared somewhere, once."""
    listed = protected_types()
    assert len(listed) == len(set(listed)), "a protected type is listed twice"
    stale = (set(listed) | set(REPLACEABLE)) - declared_types()
    assert not stale, f"declared nowhere under terraform/, drop them: {sorted(stale)}"
