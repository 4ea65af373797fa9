locals {
  stack = "foundation"
  name  = "${var.name_prefix}-${var.environment}"

  vpc_cidr       = module.vpc.cidr_block
  public_cidrs   = module.vpc.subnet_cidrs["public"]
  private_cidrs  = module.vpc.subnet_cidrs["private"]
  isolated_cidrs = module.vpc.subnet_cidrs["isolated"]

  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name
}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_region" "current" {}

data "aws_availability_zones" "available" {
  #checkov:skip=CKV_AWS_394:Only checks that the configured zones exist; zones are pinned by var.availability_zones.
  state = "available"

  lifecycle {
    # Asked of AWS (the lab answers alike): a zone of another region, or one the account
    # lacks, fails the plan here instead of the subnets' creation halfway through the apply.
    postcondition {
      condition     = length(setsubtract(var.availability_zones, self.names)) == 0
      error_message = "The availability_zones ${join(", ", setsubtract(var.availability_zones, self.names))} are not available zones of ${var.region} (${join(", ", self.names)})."
    }
  }
}

# ---------------------------------------------------------------------------------------------
# Network
# ---------------------------------------------------------------------------------------------

module "vpc" {
  source = "../../modules/vpc"

  name                    = local.name
  cidr_block              = var.vpc_cidr
  availability_zones      = var.availability_zones
  subnet_cidrs            = var.subnet_cidrs
  nat_gateway_mode        = var.nat_gateway_mode
  map_public_ip_on_launch = true # RPC nodes in the public tier need public IPs for gossip
}

module "network_acl" {
  source   = "../../modules/network_acl"
  for_each = local.network_acl_rules

  name          = "${local.name}-${each.key}"
  vpc_id        = module.vpc.vpc_id
  subnet_ids    = module.vpc.subnet_ids[each.key]
  ingress_rules = each.value.ingress
  egress_rules  = each.value.egress
  tags          = { "chainops:tier" = each.key }
}

module "logs_kms" {
  source = "../../modules/kms_key"

  name               = "${local.name}-logs"
  description        = "CloudWatch Logs of ${local.name}"
  service_principals = ["logs.${local.region}.amazonaws.com"]
}

module "flow_logs" {
  source = "../../modules/flow_logs"

  name              = local.name
  vpc_id            = module.vpc.vpc_id
  kms_key_arn       = module.logs_kms.arn
  retention_in_days = var.flow_log_retention_days
}

module "endpoints" {
  source = "../../modules/vpc_endpoints"

  name   = local.name
  vpc_id = module.vpc.vpc_id
  # Gateway endpoints are free: S3 and DynamoDB never cross the NAT, from any tier.
  route_table_ids    = concat(module.vpc.route_table_ids["private"], module.vpc.route_table_ids["isolated"], module.vpc.route_table_ids["public"])
  interface_services = var.interface_endpoint_services
  subnet_ids         = module.vpc.subnet_ids["private"]
  security_group_ids = [module.security_group_edge["vpc_endpoints"].id]
}

# ---------------------------------------------------------------------------------------------
# Account baseline
# ---------------------------------------------------------------------------------------------

# Account-wide and present in every account, so it is adopted rather than created: the import
# block takes the setting into state on the first apply and is a no-op afterwards.
import {
  to = aws_ebs_encryption_by_default.this
  id = var.region
}

resource "aws_ebs_encryption_by_default" "this" {
  enabled = true
}

# Read back after apply (top-level rather than nested in the check: a nested data source is
# re-read at every apply, so a clean plan would never exit 0 under -detailed-exitcode).
data "aws_vpc" "applied" {
  id = module.vpc.vpc_id
}

# A warning, not a failure: the VPC module sets both attributes, so a false one is drift,
# and failing the plan would block the apply that sets them back.
check "vpc_dns" {
  assert {
    condition     = data.aws_vpc.applied.enable_dns_support && data.aws_vpc.applied.enable_dns_hostnames
    error_message = "VPC ${module.vpc.vpc_id} must resolve and assign DNS hostnames, or the interface endpoints' private DNS does not work."
  }
}
