# ---------------------------------------------------------------------------------------------
# The pipeline as ECS services (var.pipeline_services): the listener and the consumers from the
# pipeline image, each task with the role its process has on a listener host, in the private
# subnets with the app tier's group. They reach the RPC fleet through an internal network load
# balancer: JSON-RPC and PubSub (the next port) on every node of the group, health-checked on
# /health. The lab sets the services with no task (it runs the pipeline on listener hosts), so
# every definition here is applied and re-planned there too.
# ---------------------------------------------------------------------------------------------

locals {
  # Solana's JSON-RPC port, PubSub on the next one (chainops.validator.config.DEFAULT_RPC_PORT;
  # tests/validator/test_config.py keeps the copies equal).
  rpc_port    = 8899
  rpc_ports   = { rpc = local.rpc_port, pubsub = local.rpc_port + 1 }
  app_tier    = var.listener_hosts.count > 0 || var.pipeline_services != null
  pipeline_on = var.pipeline_services != null ? { enabled = var.pipeline_services } : {}

  # Each service's settings as the CHAINOPS_* variables its config reads (chainops.settings;
  # tests/pipeline/test_stack_metrics.py checks the names against the configs' fields).
  pipeline_services = var.pipeline_services == null ? {} : {
    listener = merge(var.pipeline_services.listener, {
      role_arn = module.listener_role.arn
      environment = {
        CHAINOPS_RPC              = "http://${aws_lb.rpc[0].dns_name}:${local.rpc_ports.rpc}"
        CHAINOPS_WS               = "ws://${aws_lb.rpc[0].dns_name}:${local.rpc_ports.pubsub}"
        CHAINOPS_STREAM           = module.events_stream.name
        CHAINOPS_CHECKPOINT_TABLE = module.tables["checkpoints"].name
        CHAINOPS_LISTENER_ID      = "${local.name}-ecs"
        AWS_REGION                = local.region # boto3 reads it
      }
    })
    consumer = merge(var.pipeline_services.consumer, {
      role_arn = module.consumer_role.arn
      environment = {
        CHAINOPS_STREAM            = module.events_stream.name
        CHAINOPS_LEASE_TABLE       = module.tables["leases"].name
        CHAINOPS_IDEMPOTENCY_TABLE = module.tables["idempotency"].name
        CHAINOPS_BUCKET            = module.data_lake.id
        CHAINOPS_DLQ_URL           = module.retry_queue.dlq_url
        AWS_REGION                 = local.region # boto3 reads it
      }
    })
  }
}

# --- The RPC fleet behind an internal network load balancer ----------------------------------

resource "aws_lb" "rpc" {
  # checkov:skip=CKV_AWS_91: access logs are an ALB feature for HTTP; this TCP balancer has none to give.
  # checkov:skip=CKV_AWS_150: deletion protection follows force_destroy like the stack's other stores.
  # checkov:skip=CKV2_AWS_28: internal TCP balancer; WAF protects HTTP(S) load balancers only.
  count = var.pipeline_services == null ? 0 : 1

  name                             = "${local.name}-rpc"
  internal                         = true
  load_balancer_type               = "network"
  subnets                          = data.aws_subnets.rpc.ids
  enable_cross_zone_load_balancing = true
  enable_deletion_protection       = !var.force_destroy
}

resource "aws_lb_target_group" "rpc" {
  for_each = var.pipeline_services == null ? {} : local.rpc_ports

  name              = "${local.name}-${each.key}"
  port              = each.value
  protocol          = "TCP"
  vpc_id            = data.aws_vpc.this.id
  target_type       = "instance"
  proxy_protocol_v2 = false

  # A node is in service when its RPC answers /health ("ok" once caught up), for both ports.
  health_check {
    protocol            = "HTTP"
    port                = tostring(local.rpc_ports.rpc)
    path                = "/health"
    healthy_threshold   = 3
    unhealthy_threshold = 3
    interval            = 10
  }
}

resource "aws_lb_listener" "rpc" {
  for_each = aws_lb_target_group.rpc

  load_balancer_arn = aws_lb.rpc[0].arn
  port              = each.value.port
  protocol          = "TCP"

  default_action {
    type             = "forward"
    target_group_arn = each.value.arn
  }
}

resource "aws_autoscaling_attachment" "rpc" {
  for_each = aws_lb_target_group.rpc

  autoscaling_group_name = module.rpc_fleet.autoscaling_group_name
  lb_target_group_arn    = each.value.arn
}

# --- The services ----------------------------------------------------------------------------

module "pipeline_repository" {
  source   = "../../modules/ecr_repository"
  for_each = local.pipeline_on

  name         = "${local.name}-pipeline"
  kms_key_arn  = module.kms.arn
  force_delete = var.force_destroy
}

module "pipeline_cluster" {
  source   = "../../modules/ecs_cluster"
  for_each = local.pipeline_on

  name = "${local.name}-pipeline"
}

data "aws_kms_alias" "logs" {
  count = var.pipeline_services == null ? 0 : 1

  name = "alias/${local.name}-logs" # the foundation's key for log groups
}

resource "aws_cloudwatch_log_group" "pipeline" {
  for_each = local.pipeline_services

  name              = "/ecs/${local.name}-pipeline/${each.key}" # the cluster's name, as in core
  retention_in_days = var.pipeline_services.log_retention_days
  kms_key_id        = data.aws_kms_alias.logs[0].target_key_arn
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

data "aws_iam_policy_document" "pipeline_execution" {
  for_each = local.pipeline_on

  statement {
    sid       = "EcrLogin"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"] # the token call has no resource
  }

  statement {
    sid       = "PullThePipelineImage"
    actions   = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"]
    resources = [module.pipeline_repository["enabled"].arn]
  }

  statement {
    sid       = "WriteOwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = [for group in aws_cloudwatch_log_group.pipeline : "${group.arn}:*"]
  }

  statement {
    sid       = "DecryptTheImage"
    actions   = ["kms:Decrypt"]
    resources = [module.kms.arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["ecr.${local.region}.${data.aws_partition.current.dns_suffix}"]
    }
  }
}

module "pipeline_execution_role" {
  source   = "../../modules/iam_role"
  for_each = local.pipeline_on

  name               = "${local.name}-pipeline-execution"
  description        = "ECS pulls the pipeline image and writes its logs for ${local.name}"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_trust.json
  inline_policies    = { execution = data.aws_iam_policy_document.pipeline_execution["enabled"].json }
}

module "pipeline_service" {
  source   = "../../modules/ecs_service"
  for_each = local.pipeline_services

  name               = "${local.name}-${each.key}"
  cluster_name       = module.pipeline_cluster["enabled"].name
  image              = "${module.pipeline_repository["enabled"].url}:${var.pipeline_services.image_tag}"
  command            = [each.key]
  cpu                = each.value.cpu
  memory             = each.value.memory
  environment        = each.value.environment
  log_group_name     = aws_cloudwatch_log_group.pipeline[each.key].name
  region             = local.region
  execution_role_arn = module.pipeline_execution_role["enabled"].arn
  task_role_arn      = each.value.role_arn
  subnet_ids         = data.aws_subnets.private[0].ids
  security_group_ids = [data.aws_security_group.app[0].id]
  # A fixed count: the listener is one per checkpoint, the consumers share shards by lease.
  capacity = { desired = each.value.count, min = each.value.count, max = max(each.value.count, 1) }
}
