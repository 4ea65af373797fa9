# The services on Fargate: one execution role (pull, logs, inject secrets), a task role per
# service (its secrets, IAM login to the database), task definition, service and autoscaling.
locals {
  public_service           = one([for name, service in var.services : name if service.public])
  database_reader_endpoint = coalesce(module.database.replica_address, module.database.proxy_endpoint, module.database.address)

  # Connection settings every service gets; credentials come as secrets, never as values.
  service_environment = {
    DB_HOST = coalesce(module.database.proxy_endpoint, module.database.address)
    # Reads that may lag go to the replica; without one, to the writer's host.
    DB_READER_HOST = local.database_reader_endpoint
    DB_PORT        = "5432"
    DB_NAME        = "app"
    DB_USER        = "app" # IAM authentication: the task role's rds-db:connect, no password
    DB_SSL_MODE    = "verify-full"
    REDIS_HOST     = module.cache.primary_endpoint
    REDIS_PORT     = "6379"
    REDIS_TLS      = "true"
    AWS_REGION     = var.region
    CHAINOPS_ENV   = var.environment
  }
  service_secrets = {
    APP_SETTINGS     = aws_secretsmanager_secret.app.arn
    REDIS_AUTH_TOKEN = aws_secretsmanager_secret.redis_auth.arn
  }
  db_connect_resources = [
    for id in [module.database.resource_id, module.database.proxy_resource_id, module.database.replica_resource_id] :
    "arn:${local.partition}:rds-db:${var.region}:${local.account_id}:dbuser:${id}/app" if id != null
  ]
}

data "aws_iam_policy_document" "ecs_tasks_trust" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

data "aws_iam_policy_document" "execution" {
  statement {
    sid       = "EcrLogin"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"] # the token call has no resource
  }

  statement {
    sid       = "PullOwnImages"
    actions   = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"]
    resources = [for repo in module.ecr : repo.arn]
  }

  statement {
    sid       = "WriteOwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = [for group in aws_cloudwatch_log_group.service : "${group.arn}:*"]
  }

  statement {
    sid       = "InjectSecrets"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = values(local.service_secrets)
  }

  statement {
    sid       = "DecryptSecretsAndImages"
    actions   = ["kms:Decrypt"]
    resources = [module.kms.arn]
  }
}

data "aws_iam_policy_document" "task" {
  statement {
    sid       = "ReadStackSecrets"
    actions   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
    resources = values(local.service_secrets)
  }

  statement {
    sid       = "DecryptStackSecrets"
    actions   = ["kms:Decrypt"]
    resources = [module.kms.arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["secretsmanager.${var.region}.amazonaws.com"]
    }
  }

  statement {
    sid       = "DatabaseIamLogin"
    actions   = ["rds-db:connect"]
    resources = local.db_connect_resources
  }
}

module "execution_role" {
  source = "../../modules/iam_role"

  name               = "${local.name}-ecs-execution"
  description        = "ECS pulls the images, writes the logs and injects the secrets of ${local.name}'s services"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_trust.json
  inline_policies    = { execution = data.aws_iam_policy_document.execution.json }
}

module "task_role" {
  source   = "../../modules/iam_role"
  for_each = var.services

  name               = "${local.name}-${each.key}"
  description        = "The ${each.key} service of ${local.name}: its secrets and IAM login to the database"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_trust.json
  inline_policies    = { app = data.aws_iam_policy_document.task.json }
}

module "service" {
  source   = "../../modules/ecs_service"
  for_each = var.services

  name               = each.key
  cluster_name       = module.cluster.name
  image              = "${module.ecr[each.key].url}:${each.value.image_tag}"
  cpu                = each.value.cpu
  memory             = each.value.memory
  container_port     = each.value.public ? var.app_port : null
  environment        = local.service_environment
  secrets            = local.service_secrets
  log_group_name     = aws_cloudwatch_log_group.service[each.key].name
  region             = var.region
  execution_role_arn = module.execution_role.arn
  task_role_arn      = module.task_role[each.key].arn
  subnet_ids         = local.subnet_ids["private"]
  security_group_ids = [local.security_groups["app"]]
  capacity           = each.value.capacity
  cpu_target_percent = each.value.cpu_target_percent

  # The public service registers in the active color and also scales on its request rate.
  target_group_arn             = each.value.public ? module.alb.active_target_group_arn : null
  requests_per_target          = each.value.public ? each.value.requests_per_target : null
  request_count_resource_label = each.value.public ? "${module.alb.arn_suffix}/${module.alb.target_group_arn_suffixes[var.active_color]}" : null
}
