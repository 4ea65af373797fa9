"""EC2 network ACLs and their subnet associations changed one request at a time.

moto 5.2.5 finds, moves and deletes associations by walking every ACL's association dict with
no lock, while its server answers requests on many threads. Terraform destroys the three tiers'
ACLs at once, each moving its subnets back to the VPC's default ACL; one destroy of the stacks
failed on ReplaceNetworkAclAssociation answering 500 (moto: StopIteration, the association in
no ACL), twice in a row. A race between those requests is the likely cause (it did not happen
again); the lab serialises the ACL calls, as it does Kinesis's shard writes.

A later failure of the same kind (CI, 2026-12-07) fits a call carried out twice: an answer the
provider never read, then its retry; ``sdk_retries`` answers those. The lock stays, as moto's
models still lock nothing.
"""

from __future__ import annotations

import threading

from chainops.lab.aws.extensions.locking import serialise

_lock = threading.RLock()
METHODS = (
    "create_network_acl",
    "delete_network_acl",
    "replace_network_acl_association",
    "associate_default_network_acl_with_subnet",
    "describe_network_acls",
    "get_network_acl",
)


def install() -> None:
    from moto.ec2.models.network_acls import NetworkAclBackend

    serialise(NetworkAclBackend, METHODS, _lock)
