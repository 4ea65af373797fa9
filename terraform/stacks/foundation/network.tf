# Network ACLs per tier: a coarse second line behind the security groups. Stateless, so the
# return traffic of outbound connections (ephemeral ports) must be let in explicitly.
locals {
  ephemeral = { from_port = 1024, to_port = 65535 }

  network_acl_rules = {
    public = {
      ingress = concat(
        [
          { rule_no = 100, protocol = "tcp", cidr_block = "0.0.0.0/0", from_port = 443, to_port = 443 },
          { rule_no = 110, protocol = "all", cidr_block = var.vpc_cidr },
          { rule_no = 120, protocol = "tcp", cidr_block = "0.0.0.0/0", from_port = local.ephemeral.from_port, to_port = local.ephemeral.to_port },
          { rule_no = 130, protocol = "udp", cidr_block = "0.0.0.0/0", from_port = local.ephemeral.from_port, to_port = local.ephemeral.to_port },
        ],
        [for i, cidr in var.rpc_gossip_ingress_cidrs : { rule_no = 200 + i, protocol = "tcp", cidr_block = cidr, from_port = 8000, to_port = 8020 }],
        [for i, cidr in var.rpc_gossip_ingress_cidrs : { rule_no = 300 + i, protocol = "udp", cidr_block = cidr, from_port = 8000, to_port = 8020 }],
      )
      egress = [{ rule_no = 100, protocol = "all", cidr_block = "0.0.0.0/0" }]
    }
    private = {
      ingress = [
        { rule_no = 100, protocol = "all", cidr_block = var.vpc_cidr },
        { rule_no = 110, protocol = "tcp", cidr_block = "0.0.0.0/0", from_port = local.ephemeral.from_port, to_port = local.ephemeral.to_port },
        { rule_no = 120, protocol = "udp", cidr_block = "0.0.0.0/0", from_port = local.ephemeral.from_port, to_port = local.ephemeral.to_port },
      ]
      egress = [{ rule_no = 100, protocol = "all", cidr_block = "0.0.0.0/0" }]
    }
    # No internet route and no internet rule: the databases talk to the VPC only.
    isolated = {
      ingress = [{ rule_no = 100, protocol = "all", cidr_block = var.vpc_cidr }]
      egress  = [{ rule_no = 100, protocol = "all", cidr_block = var.vpc_cidr }]
    }
  }
}

# Security groups per tier, least privilege. Three module calls rather than one for_each, so
# that a tier may reference the groups of the tiers before it without a dependency cycle:
# edge (no references) <- app (from the ALB) <- data (from the app).
module "security_group_edge" {
  source = "../../modules/security_group"
  for_each = {
    alb = {
      description = "Load balancers: HTTPS in, the app port out"
      ingress     = [{ description = "HTTPS from clients", protocol = "tcp", from_port = 443, to_port = 443, cidr_blocks = var.alb_ingress_cidrs }]
      egress      = [{ description = "To the app tasks", protocol = "tcp", from_port = var.app_port, to_port = var.app_port, cidr_blocks = local.private_cidrs }]
    }
    rpc = {
      description = "Solana RPC nodes: JSON-RPC from the VPC, gossip from peers"
      ingress = [
        { description = "JSON-RPC and websocket from the VPC", protocol = "tcp", from_port = 8899, to_port = 8900, cidr_blocks = [var.vpc_cidr] },
        { description = "Gossip, TPU, repair (TCP)", protocol = "tcp", from_port = 8000, to_port = 8020, cidr_blocks = var.rpc_gossip_ingress_cidrs },
        { description = "Gossip, TPU, turbine, repair (UDP)", protocol = "udp", from_port = 8000, to_port = 8020, cidr_blocks = var.rpc_gossip_ingress_cidrs },
      ]
      egress = [{ description = "Peers anywhere (gossip, turbine, snapshots)", protocol = "all", cidr_blocks = ["0.0.0.0/0"] }]
    }
    vpc_endpoints = {
      description = "Interface endpoints: HTTPS from the VPC"
      ingress     = [{ description = "HTTPS from the VPC", protocol = "tcp", from_port = 443, to_port = 443, cidr_blocks = [var.vpc_cidr] }]
      egress      = []
    }
  }

  name          = "${local.name}-${each.key}"
  description   = each.value.description
  vpc_id        = module.vpc.vpc_id
  ingress_rules = each.value.ingress
  egress_rules  = each.value.egress
  tags          = { "chainops:tier" = each.key }
}

module "security_group_app" {
  source = "../../modules/security_group"

  name        = "${local.name}-app"
  description = "App tasks: the app port from the ALB; AWS APIs, RPC and data tier out"
  vpc_id      = module.vpc.vpc_id
  ingress_rules = [
    { description = "App port from the ALB", protocol = "tcp", from_port = var.app_port, to_port = var.app_port, security_group_ids = [module.security_group_edge["alb"].id] },
  ]
  egress_rules = [
    { description = "HTTPS to AWS APIs and endpoints", protocol = "tcp", from_port = 443, to_port = 443, cidr_blocks = ["0.0.0.0/0"] },
    { description = "PostgreSQL in the isolated tier", protocol = "tcp", from_port = 5432, to_port = 5432, cidr_blocks = local.isolated_cidrs },
    { description = "Redis in the isolated tier", protocol = "tcp", from_port = 6379, to_port = 6379, cidr_blocks = local.isolated_cidrs },
    { description = "JSON-RPC of the RPC fleet", protocol = "tcp", from_port = 8899, to_port = 8900, cidr_blocks = local.public_cidrs },
  ]
  tags = { "chainops:tier" = "app" }
}

module "security_group_data" {
  source = "../../modules/security_group"
  for_each = {
    db    = { description = "PostgreSQL: from the app tier only", port = 5432 }
    cache = { description = "Redis: from the app tier only", port = 6379 }
  }

  name        = "${local.name}-${each.key}"
  description = each.value.description
  vpc_id      = module.vpc.vpc_id
  ingress_rules = [
    { description = "From the app tier", protocol = "tcp", from_port = each.value.port, to_port = each.value.port, security_group_ids = [module.security_group_app.id] },
  ]
  tags = { "chainops:tier" = each.key }
}
