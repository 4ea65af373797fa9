data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  # The trail's own bucket is left out of its data events: logging CloudTrail's deliveries
  # would log the logging.
  own_bucket_objects = "arn:${data.aws_partition.current.partition}:s3:::${var.s3_bucket_name}/"
}

resource "aws_cloudwatch_log_group" "this" {
  name              = "/cloudtrail/${var.name}"
  retention_in_days = var.retention_in_days
  kms_key_id        = var.logs_kms_key_arn
  tags              = merge({ Name = var.name }, var.tags)
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }

    # Confused-deputy guard: only trails of this account may use the role.
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

data "aws_iam_policy_document" "deliver" {
  statement {
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.this.arn}:log-stream:*"]
  }
}

resource "aws_iam_role" "this" {
  name               = "${var.name}-cloudtrail"
  assume_role_policy = data.aws_iam_policy_document.assume.json
  tags               = merge({ Name = "${var.name}-cloudtrail" }, var.tags)
}

resource "aws_iam_role_policy" "this" {
  name   = "deliver"
  role   = aws_iam_role.this.id
  policy = data.aws_iam_policy_document.deliver.json
}

resource "aws_cloudtrail" "this" {
  #checkov:skip=CKV_AWS_252:Per-file delivery notices would reach no one: readers query the CloudWatch Logs group, alarms watch it.
  name                          = var.name
  s3_bucket_name                = var.s3_bucket_name
  kms_key_id                    = var.kms_key_arn
  is_multi_region_trail         = true
  include_global_service_events = true
  enable_log_file_validation    = true
  cloud_watch_logs_group_arn    = "${aws_cloudwatch_log_group.this.arn}:*"
  cloud_watch_logs_role_arn     = aws_iam_role.this.arn
  tags                          = merge({ Name = var.name }, var.tags)

  advanced_event_selector {
    name = "Management events"

    field_selector {
      field  = "eventCategory"
      equals = ["Management"]
    }
  }

  dynamic "advanced_event_selector" {
    for_each = var.log_s3_data_events ? [1] : []

    content {
      name = "S3 object events of every bucket but the trail's own"

      field_selector {
        field  = "eventCategory"
        equals = ["Data"]
      }

      field_selector {
        field  = "resources.type"
        equals = ["AWS::S3::Object"]
      }

      field_selector {
        field           = "resources.ARN"
        not_starts_with = [local.own_bucket_objects]
      }
    }
  }

  # CloudTrail checks at create that it may write the bucket and use the key.
  depends_on = [aws_iam_role_policy.this]
}
