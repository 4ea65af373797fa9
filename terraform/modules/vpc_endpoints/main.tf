data "aws_region" "current" {}

resource "aws_vpc_endpoint" "gateway" {
  for_each = var.gateway_services

  vpc_id            = var.vpc_id
  service_name      = "com.amazonaws.${data.aws_region.current.name}.${each.key}"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = var.route_table_ids
  tags              = merge({ Name = "${var.name}-${each.key}" }, var.tags)
}

resource "aws_vpc_endpoint" "interface" {
  for_each = var.interface_services

  vpc_id              = var.vpc_id
  service_name        = "com.amazonaws.${data.aws_region.current.name}.${each.key}"
  vpc_endpoint_type   = "Interface"
  subnet_ids          = var.subnet_ids
  security_group_ids  = var.security_group_ids
  private_dns_enabled = true
  tags                = merge({ Name = "${var.name}-${each.key}" }, var.tags)

  lifecycle {
    precondition {
      condition     = length(var.subnet_ids) > 0 && length(var.security_group_ids) > 0
      error_message = "Interface endpoints need subnet_ids and security_group_ids."
    }
  }
}
