locals {
  tiers      = ["public", "private", "isolated"]
  vpc_prefix = tonumber(split("/", var.cidr_block)[1])

  # One subnet per tier and zone, keyed "<tier>-<zone>" so adding a zone never renumbers others.
  subnets = merge([
    for tier in local.tiers : {
      for index, zone in var.availability_zones : "${tier}-${zone}" => {
        tier = tier
        zone = zone
        cidr = try(var.subnet_cidrs[tier][index], null)
      }
    }
  ]...)

  nat_zones = {
    per_az = var.availability_zones
    single = slice(var.availability_zones, 0, 1)
    none   = []
  }[var.nat_gateway_mode]

  # compact() first: a zone without a CIDR (too few listed) is the precondition's to report,
  # and && does not short-circuit, so a null CIDR in the condition would fail here instead.
  subnets_outside_vpc = [
    for cidr in compact([for s in values(local.subnets) : s.cidr]) : cidr
    if tonumber(split("/", cidr)[1]) < local.vpc_prefix || cidrhost("${cidrhost(cidr, 0)}/${local.vpc_prefix}", 0) != cidrhost(var.cidr_block, 0)
  ]
}

resource "aws_vpc" "this" {
  #checkov:skip=CKV2_AWS_11:Flow logs are the flow_logs module's concern; the foundation stack enables them for this VPC.
  cidr_block           = var.cidr_block
  enable_dns_support   = true
  enable_dns_hostnames = true # interface endpoints with private DNS need both
  tags                 = merge({ Name = var.name }, var.tags)

  lifecycle {
    precondition {
      condition     = alltrue([for tier in local.tiers : length(var.subnet_cidrs[tier]) == length(var.availability_zones)])
      error_message = "The subnet_cidrs must list one CIDR per tier for each of the ${length(var.availability_zones)} availability_zones; ${join(", ", [for tier in local.tiers : "${tier} lists ${length(var.subnet_cidrs[tier])}" if length(var.subnet_cidrs[tier]) != length(var.availability_zones)])}."
    }

    precondition {
      condition     = length(local.subnets_outside_vpc) == 0
      error_message = "The subnet_cidrs ${join(", ", local.subnets_outside_vpc)} lie outside the VPC's cidr_block ${var.cidr_block}."
    }
  }
}

# Adopts the default security group and removes its rules: nothing may use it by accident.
resource "aws_default_security_group" "this" {
  vpc_id = aws_vpc.this.id
  tags   = merge({ Name = "${var.name}-default-deny" }, var.tags)
}

resource "aws_internet_gateway" "this" {
  vpc_id = aws_vpc.this.id
  tags   = merge({ Name = var.name }, var.tags)
}

resource "aws_subnet" "this" {
  #checkov:skip=CKV_AWS_130:Public subnets give public IPs only when map_public_ip_on_launch is set (RPC gossip).
  for_each = local.subnets

  vpc_id                  = aws_vpc.this.id
  availability_zone       = each.value.zone
  cidr_block              = each.value.cidr
  map_public_ip_on_launch = each.value.tier == "public" && var.map_public_ip_on_launch
  tags                    = merge({ Name = "${var.name}-${each.key}", "chainops:tier" = each.value.tier }, var.tags)
}

resource "aws_eip" "nat" {
  for_each = toset(local.nat_zones)

  domain = "vpc"
  tags   = merge({ Name = "${var.name}-nat-${each.key}" }, var.tags)

  depends_on = [aws_internet_gateway.this]
}

resource "aws_nat_gateway" "this" {
  for_each = toset(local.nat_zones)

  allocation_id = aws_eip.nat[each.key].id
  subnet_id     = aws_subnet.this["public-${each.key}"].id
  tags          = merge({ Name = "${var.name}-${each.key}" }, var.tags)
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.this.id
  tags   = merge({ Name = "${var.name}-public", "chainops:tier" = "public" }, var.tags)
}

resource "aws_route" "public_internet" {
  route_table_id         = aws_route_table.public.id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.this.id
}

# One private route table per zone, so per_az NAT keeps each zone's egress in the zone.
resource "aws_route_table" "private" {
  for_each = toset(var.availability_zones)

  vpc_id = aws_vpc.this.id
  tags   = merge({ Name = "${var.name}-private-${each.key}", "chainops:tier" = "private" }, var.tags)
}

resource "aws_route" "private_nat" {
  for_each = var.nat_gateway_mode == "none" ? toset([]) : toset(var.availability_zones)

  route_table_id         = aws_route_table.private[each.key].id
  destination_cidr_block = "0.0.0.0/0"
  nat_gateway_id         = aws_nat_gateway.this[var.nat_gateway_mode == "per_az" ? each.key : local.nat_zones[0]].id
}

# Isolated subnets: local routes (and gateway endpoints) only.
resource "aws_route_table" "isolated" {
  vpc_id = aws_vpc.this.id
  tags   = merge({ Name = "${var.name}-isolated", "chainops:tier" = "isolated" }, var.tags)
}

resource "aws_route_table_association" "this" {
  for_each = local.subnets

  subnet_id = aws_subnet.this[each.key].id
  route_table_id = {
    public   = aws_route_table.public.id
    private  = aws_route_table.private[each.value.zone].id
    isolated = aws_route_table.isolated.id
  }[each.value.tier]
}
