locals {
  family   = "redis${split(".", var.engine_version)[0]}"
  failover = var.num_cache_clusters >= 2
}

resource "aws_elasticache_subnet_group" "this" {
  name        = var.name
  description = "Isolated subnets of ${var.name}"
  subnet_ids  = var.subnet_ids
  tags        = merge({ Name = var.name }, var.tags)
}

resource "aws_elasticache_parameter_group" "this" {
  name        = var.name
  family      = local.family
  description = "Redis settings of ${var.name}"
  tags        = merge({ Name = var.name }, var.tags)

  dynamic "parameter" {
    for_each = var.parameters

    content {
      name  = parameter.key
      value = parameter.value
    }
  }
}

resource "aws_elasticache_replication_group" "this" {
  #checkov:skip=CKV2_AWS_50:On whenever num_cache_clusters >= 2, the default (tests: encrypted_with_failover); checkov cannot evaluate local.failover.
  replication_group_id = var.name
  description          = "Redis of ${var.name}"
  engine               = "redis"
  engine_version       = var.engine_version
  node_type            = var.node_type
  num_cache_clusters   = var.num_cache_clusters
  port                 = 6379
  parameter_group_name = aws_elasticache_parameter_group.this.name
  subnet_group_name    = aws_elasticache_subnet_group.this.name
  security_group_ids   = var.security_group_ids

  # A replica takes over when the primary or its zone fails.
  automatic_failover_enabled = local.failover
  multi_az_enabled           = local.failover

  at_rest_encryption_enabled = true
  kms_key_id                 = var.kms_key_arn
  transit_encryption_enabled = true
  auth_token                 = var.auth_token
  auth_token_update_strategy = "ROTATE"

  snapshot_retention_limit   = var.snapshot_retention_days
  auto_minor_version_upgrade = true
  apply_immediately          = var.apply_immediately
  tags                       = merge({ Name = var.name }, var.tags)
}
