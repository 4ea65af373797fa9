locals {
  stack = "blockchain"
  name  = "${var.name_prefix}-${var.environment}"

  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name

  # Where the consumers land events in the data lake: chainops.consumer.layout.LAKE_PREFIX.
  lake_prefix = "events"
  # Each process publishes to its own namespace (the listener and consumer configs' default,
  # tests/consumer/test_permissions.py and tests/listener/test_permissions.py).
  rpc_metrics_namespace      = "Chainops/RPC"
  listener_metrics_namespace = "Chainops/Listener"
  consumer_metrics_namespace = "Chainops/Consumer"

  # The foundation stack's resources are found by the tags its provider stamps on them.
  foundation_tags = { "chainops:stack" = "foundation", "chainops:environment" = var.environment }

  rpc_instance_tags = merge(
    { "chainops:role" = "rpc" },
    var.lab_host ? { "chainops:lab-host" = "true" } : {},
  )

  tables = {
    checkpoints = { hash_key = "listener_id", range_key = null, ttl = null }             # last processed slot per listener
    leases      = { hash_key = "lease_key", range_key = null, ttl = null }               # shard leases of the consumers
    idempotency = { hash_key = "idempotency_key", range_key = null, ttl = "expires_at" } # processed-event keys, expiring
  }
}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_region" "current" {}

data "aws_vpc" "this" {
  tags = local.foundation_tags
}

# The RPC zone and instance type as AWS answers (the lab alike): a zone of another region or
# a type the zone does not offer fails the plan here, naming the input, instead of the fleet
# never launching after the apply.
data "aws_availability_zones" "available" {
  #checkov:skip=CKV_AWS_394:Only checks that rpc_availability_zone exists; the zone is pinned by the variable.
  state = "available"

  lifecycle {
    postcondition {
      condition     = contains(self.names, var.rpc_availability_zone)
      error_message = "The rpc_availability_zone ${var.rpc_availability_zone} is not an available zone of ${var.region} (${join(", ", self.names)})."
    }
  }
}

data "aws_ec2_instance_type_offerings" "rpc" {
  location_type = "availability-zone"

  filter {
    name   = "location"
    values = [var.rpc_availability_zone]
  }

  filter {
    name   = "instance-type"
    values = [var.rpc_instance_type]
  }

  lifecycle {
    postcondition {
      condition     = contains(self.instance_types, var.rpc_instance_type)
      error_message = "The rpc_instance_type ${var.rpc_instance_type} is not offered in the rpc_availability_zone ${var.rpc_availability_zone}."
    }
  }

  # Only a zone that exists: one error for a wrong zone, not this one too.
  depends_on = [data.aws_availability_zones.available]
}

data "aws_subnets" "rpc" {
  filter {
    name   = "vpc-id"
    values = [data.aws_vpc.this.id]
  }

  filter {
    name   = "availability-zone"
    values = [var.rpc_availability_zone]
  }

  tags = { "chainops:tier" = var.rpc_subnet_tier }

  lifecycle {
    # A cluster placement group lives in one zone: the group gets the foundation's one subnet
    # of the tier there, which exists only in the foundation's availability_zones.
    postcondition {
      condition     = length(self.ids) == 1
      error_message = "The rpc_availability_zone ${var.rpc_availability_zone} must be one of the foundation's availability_zones: found ${length(self.ids)} ${var.rpc_subnet_tier} subnets there, not 1."
    }
  }

  depends_on = [data.aws_availability_zones.available]
}

data "aws_security_group" "rpc" {
  vpc_id = data.aws_vpc.this.id
  tags   = merge(local.foundation_tags, { "chainops:tier" = "rpc" })
}

module "kms" {
  source = "../../modules/kms_key"

  name        = "${local.name}-blockchain"
  description = "Event pipeline of ${local.name}: stream, data lake, queues, tables, alarms"
  # CloudWatch publishes alarms to the encrypted topic.
  service_principals = ["cloudwatch.amazonaws.com"]
}

moved {
  # The alarm topic was a bare resource before the sns_topic module existed.
  from = aws_sns_topic.alarms
  to   = module.alarm_topic.aws_sns_topic.this
}

module "alarm_topic" {
  source = "../../modules/sns_topic"

  name                = "${local.name}-alarms"
  kms_key_arn         = module.kms.arn
  email_subscriptions = var.alarm_emails
}

# ---------------------------------------------------------------------------------------------
# RPC fleet
# ---------------------------------------------------------------------------------------------

module "rpc_placement_group" {
  source = "../../modules/placement_group"

  name     = "${local.name}-rpc"
  strategy = "cluster"
}

module "rpc_role" {
  source = "../../modules/iam_role"

  name                    = "${local.name}-rpc"
  description             = "Solana RPC nodes: Session Manager, their own metrics and parameters."
  assume_role_policy      = data.aws_iam_policy_document.ec2_trust.json
  inline_policies         = { node = data.aws_iam_policy_document.rpc.json }
  managed_policy_arns     = { ssm = "arn:${local.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore" }
  create_instance_profile = true
}

module "rpc_fleet" {
  source = "../../modules/rpc_fleet"

  name                  = "${local.name}-rpc"
  instance_type         = var.rpc_instance_type
  ami                   = var.rpc_ami
  subnet_ids            = data.aws_subnets.rpc.ids
  security_group_ids    = [data.aws_security_group.rpc.id]
  instance_profile_name = module.rpc_role.instance_profile_name
  placement_group_name  = module.rpc_placement_group.name
  root_volume           = { size_gib = var.rpc_root_volume_gib }
  capacity              = var.rpc_capacity
  scaling               = var.rpc_scaling
  instance_tags         = local.rpc_instance_tags
  rpc_metric            = { namespace = local.rpc_metrics_namespace }
}

# ---------------------------------------------------------------------------------------------
# Event pipeline: listeners -> Kinesis -> consumers -> data lake; failures -> retry queue -> DLQ
# ---------------------------------------------------------------------------------------------

module "events_stream" {
  source = "../../modules/kinesis_stream"

  name             = "${local.name}-events"
  stream_mode      = var.stream_mode
  shard_count      = var.stream_shard_count
  retention_period = var.stream_retention_hours
  kms_key_arn      = module.kms.arn
}

module "data_lake" {
  source = "../../modules/s3_bucket"

  name          = "${local.name}-data-lake-${local.account_id}"
  kms_key_arn   = module.kms.arn
  force_destroy = var.force_destroy

  lifecycle_rules = {
    events-tiers = {
      prefix = "${local.lake_prefix}/"
      transitions = [
        { days = var.data_lake_transitions.standard_ia_days, storage_class = "STANDARD_IA" },
        { days = var.data_lake_transitions.glacier_ir_days, storage_class = "GLACIER_IR" },
        { days = var.data_lake_transitions.deep_archive_days, storage_class = "DEEP_ARCHIVE" },
      ]
      noncurrent_expiration_days = 30
    }
  }
}

module "retry_queue" {
  source = "../../modules/sqs_queue"

  name          = "${local.name}-events-retry"
  kms_key_arn   = module.kms.arn
  alarm_actions = [module.alarm_topic.arn]
}

module "tables" {
  source   = "../../modules/dynamodb_table"
  for_each = local.tables

  name                       = "${local.name}-${each.key}"
  hash_key                   = each.value.hash_key
  range_key                  = each.value.range_key
  ttl_attribute              = each.value.ttl
  kms_key_arn                = module.kms.arn
  enable_deletion_protection = !var.force_destroy
}

module "alarms" {
  source = "../../modules/metric_alarms"

  name_prefix   = local.name
  alarm_actions = [module.alarm_topic.arn]

  alarms = {
    rpc-latency-p99 = {
      description        = "RPC p99 latency above the ${var.sla.rpc_latency_p99_ms} ms SLA."
      namespace          = local.rpc_metrics_namespace
      metric_name        = "RequestLatency"
      dimensions         = { AutoScalingGroupName = module.rpc_fleet.autoscaling_group_name }
      extended_statistic = "p99"
      threshold          = var.sla.rpc_latency_p99_ms
      evaluation_periods = 5
    }
    block-processing-lag = {
      description        = "Listeners more than ${var.sla.block_lag_slots} slots behind the cluster tip."
      namespace          = local.listener_metrics_namespace
      metric_name        = "SlotLag" # chainops.listener.service.SLOT_LAG
      dimensions         = { Stream = module.events_stream.name }
      statistic          = "Maximum"
      threshold          = var.sla.block_lag_slots
      evaluation_periods = 3
      treat_missing_data = "breaching" # a silent listener is a lagging listener
    }
    event-backlog = {
      description        = "Consumers more than ${var.sla.event_backlog_seconds} s behind the stream's tip."
      namespace          = local.consumer_metrics_namespace
      metric_name        = "MillisBehindLatest" # chainops.consumer.metrics.MILLIS_BEHIND_LATEST
      dimensions         = { Stream = module.events_stream.name }
      statistic          = "Maximum"
      threshold          = var.sla.event_backlog_seconds * 1000
      evaluation_periods = 3
      treat_missing_data = "breaching" # no consumer reading is a growing backlog
    }
    data-loss = {
      description        = "Stream records expired before the consumers landed them (an outage longer than the retention): the consumer's error log names each range."
      namespace          = local.consumer_metrics_namespace
      metric_name        = "LostRanges" # chainops.consumer.metrics.LOST_RANGES
      dimensions         = { Stream = module.events_stream.name }
      statistic          = "Sum"
      threshold          = 0
      evaluation_periods = 1
      treat_missing_data = "notBreaching" # no report is no loss
    }
  }
}

# Read back after apply (top-level, not nested in the check: see the foundation stack).
data "aws_autoscaling_group" "rpc" {
  name = module.rpc_fleet.autoscaling_group_name

  # The name is known before the group exists: wait for the fleet's changes.
  depends_on = [module.rpc_fleet]
}

# A warning, not a failure: the fleet module sets the placement group, so another one read back
# is drift, and failing the plan would block the apply that puts the group back.
check "rpc_fleet_placement" {
  assert {
    condition     = data.aws_autoscaling_group.rpc.placement_group == module.rpc_placement_group.name
    error_message = "The RPC group ${data.aws_autoscaling_group.rpc.name} is not in placement group ${module.rpc_placement_group.name}."
  }
}
