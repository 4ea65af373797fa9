# The application platform, first increment: image repositories, the Fargate cluster, the
# services' log groups, the application secret and a dashboard. Task definitions, services
# with autoscaling, the ALB, RDS and ElastiCache follow once the lab supports them (see the
# report in docs/terraform.md).
locals {
  stack = "core"
  name  = "${var.name_prefix}-${var.environment}"
}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

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
  description = "Application platform of ${local.name}: images and secrets"
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
  #checkov:skip=CKV2_AWS_57:Rotation needs the rotation Lambda, which arrives with the database.
  name                    = "${local.name}/app"
  description             = "Application settings of ${local.name} (JSON)."
  kms_key_id              = module.kms.arn
  recovery_window_in_days = var.force_destroy ? 0 : 30
}

resource "aws_cloudwatch_dashboard" "this" {
  dashboard_name = local.name
  dashboard_body = jsonencode({
    widgets = [
      {
        type = "metric", x = 0, y = 0, width = 12, height = 6
        properties = {
          title   = "ECS CPU and memory"
          region  = var.region
          metrics = [["AWS/ECS", "CPUUtilization", "ClusterName", module.cluster.name], [".", "MemoryUtilization", ".", "."]]
          stat    = "Average"
          period  = 60
        }
      },
      {
        type = "metric", x = 12, y = 0, width = 12, height = 6
        properties = {
          title   = "RPC latency p99 and slot lag"
          region  = var.region
          metrics = [["Chainops/RPC", "RequestLatency", { stat = "p99" }], ["Chainops/Listener", "SlotLag", { stat = "Maximum" }]]
          period  = 60
        }
      },
      {
        type = "alarm", x = 0, y = 6, width = 24, height = 3
        properties = {
          title  = "Alarms"
          alarms = [for key in ["rpc-latency-p99", "block-processing-lag", "event-backlog"] : "arn:${data.aws_partition.current.partition}:cloudwatch:${var.region}:${data.aws_caller_identity.current.account_id}:alarm:${local.name}-${key}"]
        }
      },
    ]
  })
}

check "workspace_matches_environment" {
  assert {
    condition     = terraform.workspace == var.environment
    error_message = "Workspace ${terraform.workspace} applies environment ${var.environment}; select the workspace named like the environment."
  }
}
