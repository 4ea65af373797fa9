locals {
  # The API takes protocol numbers; "all" is -1.
  protocol_numbers = { tcp = "6", udp = "17", icmp = "1", all = "-1" }
}

resource "aws_network_acl" "this" {
  #checkov:skip=CKV2_AWS_1:The ACL is attached to var.subnet_ids, which checkov cannot resolve through the module call.
  vpc_id     = var.vpc_id
  subnet_ids = var.subnet_ids
  tags       = merge({ Name = var.name }, var.tags)

  dynamic "ingress" {
    for_each = var.ingress_rules

    content {
      rule_no    = ingress.value.rule_no
      action     = ingress.value.action
      protocol   = local.protocol_numbers[ingress.value.protocol]
      cidr_block = ingress.value.cidr_block
      from_port  = ingress.value.protocol == "all" ? 0 : ingress.value.from_port
      to_port    = ingress.value.protocol == "all" ? 0 : ingress.value.to_port
    }
  }

  dynamic "egress" {
    for_each = var.egress_rules

    content {
      rule_no    = egress.value.rule_no
      action     = egress.value.action
      protocol   = local.protocol_numbers[egress.value.protocol]
      cidr_block = egress.value.cidr_block
      from_port  = egress.value.protocol == "all" ? 0 : egress.value.from_port
      to_port    = egress.value.protocol == "all" ? 0 : egress.value.to_port
    }
  }
}
