locals {
  protocols = { tcp = "tcp", udp = "udp", icmp = "icmp", all = "-1" }
}

# Rules are inline (dynamic blocks), so the group always holds exactly the rules declared here;
# AWS's default allow-all egress is removed unless egress_rules say otherwise.
resource "aws_security_group" "this" {
  #checkov:skip=CKV2_AWS_5:The group is attached by its callers (ENIs, instances, services in other stacks), out of the module's sight.
  name                   = var.name
  description            = var.description
  vpc_id                 = var.vpc_id
  revoke_rules_on_delete = true # groups referencing each other can be destroyed in any order
  tags                   = merge({ Name = var.name }, var.tags)

  dynamic "ingress" {
    for_each = var.ingress_rules

    content {
      description     = ingress.value.description
      protocol        = local.protocols[ingress.value.protocol]
      from_port       = ingress.value.protocol == "all" ? 0 : ingress.value.from_port
      to_port         = ingress.value.protocol == "all" ? 0 : ingress.value.to_port
      cidr_blocks     = ingress.value.cidr_blocks
      security_groups = ingress.value.security_group_ids
      self            = ingress.value.self
    }
  }

  dynamic "egress" {
    for_each = var.egress_rules

    content {
      description     = egress.value.description
      protocol        = local.protocols[egress.value.protocol]
      from_port       = egress.value.protocol == "all" ? 0 : egress.value.from_port
      to_port         = egress.value.protocol == "all" ? 0 : egress.value.to_port
      cidr_blocks     = egress.value.cidr_blocks
      security_groups = egress.value.security_group_ids
      self            = egress.value.self
    }
  }
}
