"""EC2 security groups and their rules changed one request at a time.

moto 5.2.5 keeps a group's rules in lists that authorize and revoke read, match and rewrite
with no lock, while its server answers requests on many threads; Terraform creates and destroys
many groups at once, and the stacks' groups (inline rules, revoke_rules_on_delete) reference
each other, so one group's rules change while another's are revoked. A dev rehearsal's destroy
failed once with RevokeSecurityGroupEgress answering InvalidPermission.NotFound for a rule
Terraform had created (2026-12-07, right after the lab began answering faster); a lost update
between two of those calls is the likely cause. The lab serialises the group calls, as it does
the network ACLs' and Kinesis's shard writes.

A later failure of the same kind (CI, 2026-12-07) fits a call carried out twice: an answer the
provider never read, then its retry; ``sdk_retries`` answers those. The lock stays, as moto's
models still lock nothing.
"""

from __future__ import annotations

import threading

from chainops.lab.aws.extensions.locking import serialise

_lock = threading.RLock()
METHODS = (
    "create_security_group",
    "describe_security_groups",
    "describe_security_group_rules",
    "delete_security_group",
    "modify_security_group_rules",
    "authorize_security_group_ingress",
    "revoke_security_group_ingress",
    "authorize_security_group_egress",
    "revoke_security_group_egress",
    "update_security_group_rule_descriptions_ingress",
    "update_security_group_rule_descriptions_egress",
)


def install() -> None:
    from moto.ec2.models.security_groups import SecurityGroupBackend

    serialise(SecurityGroupBackend, METHODS, _lock)
