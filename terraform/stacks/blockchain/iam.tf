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

data "aws_iam_policy_document" "rpc" {
  statement {
    sid       = "PublishOwnMetrics"
    actions   = ["cloudwatch:PutMetricData"]
    resources = ["*"] # PutMetricData has no resource-level permissions; the namespace is the scope

    condition {
      test     = "StringEquals"
      variable = "cloudwatch:namespace"
      values   = ["Chainops/RPC"]
    }
  }

  statement {
    sid       = "ReadRpcParameters"
    actions   = ["ssm:GetParameter", "ssm:GetParametersByPath"]
    resources = ["arn:${local.partition}:ssm:${local.region}:${local.account_id}:parameter/${var.name_prefix}/${var.environment}/rpc/*"]
  }
}

data "aws_iam_policy_document" "listener" {
  statement {
    sid       = "WriteEvents"
    actions   = ["kinesis:PutRecord", "kinesis:PutRecords", "kinesis:DescribeStreamSummary", "kinesis:ListShards"]
    resources = [module.events_stream.arn]
  }

  statement {
    sid       = "Checkpoints"
    actions   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query"]
    resources = [module.tables["checkpoints"].arn]
  }

  statement {
    sid       = "EncryptEvents"
    actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
    resources = [module.kms.arn]
  }

  statement {
    sid       = "PublishOwnMetrics"
    actions   = ["cloudwatch:PutMetricData"]
    resources = ["*"] # PutMetricData has no resource-level permissions; the namespace is the scope

    condition {
      test     = "StringEquals"
      variable = "cloudwatch:namespace"
      values   = ["Chainops/Listener"]
    }
  }
}

data "aws_iam_policy_document" "consumer" {
  statement {
    sid = "ReadEvents"
    actions = [
      "kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:GetRecords",
      "kinesis:GetShardIterator", "kinesis:ListShards", "kinesis:SubscribeToShard",
      "kinesis:RegisterStreamConsumer", "kinesis:DescribeStreamConsumer",
    ]
    resources = [module.events_stream.arn, "${module.events_stream.arn}/consumer/*"]
  }

  statement {
    sid       = "LeasesAndIdempotency"
    actions   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:Query", "dynamodb:ConditionCheckItem"]
    resources = [module.tables["leases"].arn, module.tables["idempotency"].arn]
  }

  statement {
    sid       = "WriteDataLake"
    actions   = ["s3:PutObject", "s3:GetObject"]
    resources = ["${module.data_lake.arn}/raw/*"]
  }

  statement {
    sid       = "RetryFailedEvents"
    actions   = ["sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"]
    resources = [module.retry_queue.arn]
  }

  statement {
    sid       = "EncryptEvents"
    actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
    resources = [module.kms.arn]
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

module "consumer_role" {
  source = "../../modules/iam_role"

  name               = "${local.name}-consumer"
  description        = "Event consumers: read the stream, lease shards, write the data lake, retry failures."
  assume_role_policy = data.aws_iam_policy_document.workload_trust.json
  inline_policies    = { pipeline = data.aws_iam_policy_document.consumer.json }
}
