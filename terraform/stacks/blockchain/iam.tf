# Roles of the RPC nodes, the listeners (chain -> stream) and the consumers (stream -> lake),
# each scoped to exactly the resources of this stack it uses.

data "aws_iam_policy_document" "ec2_trust" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "workload_trust" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com", "ecs-tasks.amazonaws.com"]
    }
  }
}

# Each role publishes metrics to its own namespace only: PutMetricData has no resource-level
# permissions, so the namespace is the scope.
data "aws_iam_policy_document" "metrics" {
  for_each = {
    rpc      = local.rpc_metrics_namespace
    listener = local.listener_metrics_namespace
    consumer = local.consumer_metrics_namespace
  }

  statement {
    sid       = "Metrics"
    actions   = ["cloudwatch:PutMetricData"]
    resources = ["*"]

    condition {
      test     = "StringEquals"
      variable = "cloudwatch:namespace"
      values   = [each.value]
    }
  }
}

data "aws_iam_policy_document" "rpc" {
  source_policy_documents = [data.aws_iam_policy_document.metrics["rpc"].json]

  statement {
    sid       = "ReadRpcParameters"
    actions   = ["ssm:GetParameter", "ssm:GetParametersByPath"]
    resources = ["arn:${local.partition}:ssm:${local.region}:${local.account_id}:parameter/${var.name_prefix}/${var.environment}/rpc/*"]
  }
}

# The listener's and the consumer's policies grant exactly the lists in
# chainops.listener.permissions and chainops.consumer.permissions: one statement per resource
# kind, its Sid the kind's name (tests/terraform/test_stacks.py compares them).

locals {
  # kms:ViaService value of each service that uses the pipeline key on a caller's behalf.
  key_via = {
    for service in ["dynamodb", "kinesis", "s3", "sqs"] :
    service => "${service}.${local.region}.${data.aws_partition.current.dns_suffix}"
  }
}

data "aws_iam_policy_document" "listener" {
  source_policy_documents = [data.aws_iam_policy_document.metrics["listener"].json]

  statement {
    sid       = "Stream"
    actions   = ["kinesis:DescribeStreamSummary", "kinesis:PutRecords"]
    resources = [module.events_stream.arn]
  }

  statement {
    sid       = "CheckpointTable"
    actions   = ["dynamodb:GetItem", "dynamodb:UpdateItem"]
    resources = [module.tables["checkpoints"].arn]
  }

  statement {
    sid       = "KeyGenerateDataKey" # records put to the encrypted stream
    actions   = ["kms:GenerateDataKey"]
    resources = [module.kms.arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = [local.key_via.kinesis]
    }
  }

  statement {
    sid       = "KeyDecrypt" # the checkpoint table's key
    actions   = ["kms:Decrypt"]
    resources = [module.kms.arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = [local.key_via.dynamodb]
    }
  }
}

data "aws_iam_policy_document" "consumer" {
  source_policy_documents = [data.aws_iam_policy_document.metrics["consumer"].json]

  statement {
    sid = "Stream"
    actions = [
      "kinesis:DescribeStreamSummary", "kinesis:GetRecords", "kinesis:GetShardIterator",
      "kinesis:ListShards",
    ]
    resources = [module.events_stream.arn]
  }

  statement {
    sid = "LeaseTable"
    actions = [
      "dynamodb:DeleteItem", "dynamodb:DescribeTable", "dynamodb:PutItem", "dynamodb:Scan",
      "dynamodb:UpdateItem",
    ]
    resources = [module.tables["leases"].arn]
  }

  statement {
    sid = "IdempotencyTable"
    actions = [
      "dynamodb:BatchGetItem", "dynamodb:BatchWriteItem", "dynamodb:DescribeTable",
      "dynamodb:UpdateItem",
    ]
    resources = [module.tables["idempotency"].arn]
  }

  statement {
    sid       = "LakeBucket" # HeadBucket, which sends no prefix to condition on
    actions   = ["s3:ListBucket"]
    resources = [module.data_lake.arn]
  }

  statement {
    sid       = "LakeObjects"
    actions   = ["s3:PutObject"]
    resources = ["${module.data_lake.arn}/${local.lake_prefix}/*"]
  }

  statement {
    sid       = "DeadLetterQueue"
    actions   = ["sqs:GetQueueAttributes", "sqs:SendMessage"]
    resources = [module.retry_queue.dlq_arn]
  }

  statement {
    sid       = "KeyDecrypt" # records read from the stream, the tables' key, SQS's data key
    actions   = ["kms:Decrypt"]
    resources = [module.kms.arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = [local.key_via.dynamodb, local.key_via.kinesis, local.key_via.sqs]
    }
  }

  statement {
    sid       = "KeyGenerateDataKey" # objects put to the lake, messages sent to the queue
    actions   = ["kms:GenerateDataKey"]
    resources = [module.kms.arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = [local.key_via.s3, local.key_via.sqs]
    }
  }
}

module "listener_role" {
  source = "../../modules/iam_role"

  name               = "${local.name}-listener"
  description        = "Blockchain listeners: write events to the stream, keep checkpoints."
  assume_role_policy = data.aws_iam_policy_document.workload_trust.json
  inline_policies    = { pipeline = data.aws_iam_policy_document.listener.json }
  # Listener hosts (listeners.tf) run with it; ECS tasks need no instance profile.
  create_instance_profile = var.listener_hosts.count > 0
}

# Consumers on listener hosts assume their own role from the host's (the listener's).
data "aws_iam_policy_document" "consumer_trust" {
  source_policy_documents = [data.aws_iam_policy_document.workload_trust.json]

  dynamic "statement" {
    for_each = var.listener_hosts.count > 0 ? [module.listener_role.arn] : []

    content {
      sid     = "ConsumersOnListenerHosts"
      actions = ["sts:AssumeRole"]

      principals {
        type        = "AWS"
        identifiers = [statement.value]
      }
    }
  }
}

module "consumer_role" {
  source = "../../modules/iam_role"

  name               = "${local.name}-consumer"
  description        = "Event consumers: read the stream, lease shards, write the data lake, dead-letter poison records."
  assume_role_policy = data.aws_iam_policy_document.consumer_trust.json
  inline_policies    = { pipeline = data.aws_iam_policy_document.consumer.json }
}
