"""Network ACL associations moved by many requests at once stay whole: every subnet in exactly
one ACL, as Terraform's parallel destroy of the tiers' ACLs needs."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any


def test_concurrent_moves_back_to_the_default_acl_keep_every_subnet_associated(ec2: Any) -> None:
    vpc = ec2.create_vpc(CidrBlock="10.50.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.50.{i}.0/24")["Subnet"]["SubnetId"]
        for i in range(12)
    ]
    default = ec2.describe_network_acls(
        Filters=[{"Name": "vpc-id", "Values": [vpc]}, {"Name": "default", "Values": ["true"]}]
    )["NetworkAcls"][0]["NetworkAclId"]

    def association(subnet: str) -> str:
        (acl,) = ec2.describe_network_acls(
            Filters=[{"Name": "association.subnet-id", "Values": [subnet]}]
        )["NetworkAcls"]
        return next(
            a["NetworkAclAssociationId"] for a in acl["Associations"] if a["SubnetId"] == subnet
        )

    for round_ in range(3):
        tiers = [ec2.create_network_acl(VpcId=vpc)["NetworkAcl"]["NetworkAclId"] for _ in range(3)]
        for index, subnet in enumerate(subnets):
            ec2.replace_network_acl_association(
                AssociationId=association(subnet), NetworkAclId=tiers[index % 3]
            )
        with ThreadPoolExecutor(12) as pool:
            moved = pool.map(
                lambda subnet: ec2.replace_network_acl_association(
                    AssociationId=association(subnet), NetworkAclId=default
                ),
                subnets,
            )
            assert len(list(moved)) == len(subnets), round_
        for acl in tiers:
            ec2.delete_network_acl(NetworkAclId=acl)
        acls = ec2.describe_network_acls(Filters=[{"Name": "vpc-id", "Values": [vpc]}])
        associated = [a["SubnetId"] for acl in acls["NetworkAcls"] for a in acl["Associations"]]
        assert sorted(associated) == sorted(subnets)
