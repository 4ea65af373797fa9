# The application platform: image repositories, the Fargate cluster and its services behind an
# ALB, PostgreSQL behind RDS Proxy, Redis, their alarms and a dashboard. Everything it needs
# from the foundation (VPC, subnets, tier security groups, logs key) is found by tag or alias.
locals {
  stack = "core"
  name  = "${var.name_prefix}-${var.environment}"

  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition

  # The foundation stack's resources are found by the tags its provider stamps on them.
  foundation_tags = { "chainops:stack" = "foundation", "chainops:environment" = var.environment }
  subnet_ids      = { for tier, subnets in data.aws_subnets.tier : tier => sort(subnets.ids) }
  security_groups = { for tier, group in data.aws_security_group.tier : tier => group.id }
}

# Rules across inputs: Terraform 1.6 validations see one variable only, so they are
# preconditions here, on a read that depends on nothing and therefore fails the plan first.
data "aws_caller_identity" "current" {
  lifecycle {
    precondition {
      condition     = var.environment != "prod" || var.database.backup_retention_days >= 1
      error_message = "The database.backup_retention_days must be at least 1 in prod (point-in-time recovery and the replica need backups)."
    }

    precondition {
      condition     = !var.database.create_replica || var.database.backup_retention_days >= 1
      error_message = "The database.create_replica needs database.backup_retention_days >= 1."
    }

    # dev and the lab may run without a standby; prod may not.
    precondition {
      condition     = var.environment != "prod" || var.database.multi_az
      error_message = "The database.multi_az must be true in prod (a standby in another zone takes over when the primary fails)."
    }

    precondition {
      condition     = var.environment != "prod" || var.cache.num_cache_clusters >= 2
      error_message = "The cache.num_cache_clusters must be at least 2 in prod (a replica for automatic failover)."
    }
  }
}

data "aws_partition" "current" {}

data "aws_vpc" "this" {
  tags = local.foundation_tags
}

data "aws_subnets" "tier" {
  for_each = toset(["public", "private", "isolated"])

  filter {
    name   = "vpc-id"
    values = [data.aws_vpc.this.id]
  }

  tags = { "chainops:tier" = each.key }
}

data "aws_security_group" "tier" {
  for_each = toset(["alb", "app", "db", "cache"])

  vpc_id = data.aws_vpc.this.id
  tags   = merge(local.foundation_tags, { "chainops:tier" = each.key })
}

# The foundation's CloudWatch Logs key, found by its alias (the foundation's naming contract).
data "aws_kms_alias" "logs" {
  name = "alias/${local.name}-logs"
}

data "aws_sns_topic" "alarms" {
  name = "${local.name}-alarms"
}

module "kms" {
  source = "../../modules/kms_key"

  name        = "${local.name}-core"
  description = "Application platform of ${local.name}: images, secrets, database, cache"
}

module "ecr" {
  source   = "../../modules/ecr_repository"
  for_each = var.services

  name               = "${local.name}-${each.key}"
  kms_key_arn        = module.kms.arn
  keep_tagged_images = var.keep_tagged_images
  force_delete       = var.force_destroy
}

module "cluster" {
  source = "../../modules/ecs_cluster"

  name               = local.name
  container_insights = var.container_insights
}

resource "aws_cloudwatch_log_group" "service" {
  for_each = var.services

  name              = "/ecs/${local.name}/${each.key}"
  retention_in_days = each.value.log_retention_days
  kms_key_id        = data.aws_kms_alias.logs.target_key_arn
}

# The container only: the value is written by the operators (or rotation), never by Terraform,
# so it never lands in the state.
resource "aws_secretsmanager_secret" "app" {
  #checkov:skip=CKV2_AWS_57:Application settings, not a credential RDS or Redis could rotate; operators replace them.
  name                    = "${local.name}/app"
  description             = "Application settings of ${local.name} (JSON)."
  kms_key_id              = module.kms.arn
  recovery_window_in_days = var.force_destroy ? 0 : 30
}
