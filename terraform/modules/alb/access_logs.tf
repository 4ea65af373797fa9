# The access log bucket. ALB log delivery writes with SSE-S3 only (no KMS), so this bucket is
# not the s3_bucket module's (SSE-KMS); it is private, TLS-only and expires logs.
data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

# The regional ELB account that delivers logs (regions before 2022-08) and the log delivery
# service principal (newer regions); both are allowed so the module works in either.
data "aws_elb_service_account" "current" {}

locals {
  access_logs_bucket = "${var.name}-alb-logs-${data.aws_caller_identity.current.account_id}"
  access_logs_arn    = "arn:${data.aws_partition.current.partition}:s3:::${local.access_logs_bucket}"
}

resource "aws_s3_bucket" "access_logs" {
  #checkov:skip=CKV_AWS_18:The ALB writes its logs here; the account trail's S3 data events (foundation audit.tf) record who reads them.
  #checkov:skip=CKV_AWS_144:Access logs are not replicated across regions; they expire in days.
  #checkov:skip=CKV2_AWS_62:Nothing reacts to new log objects.
  #checkov:skip=CKV_AWS_145:ALB log delivery supports SSE-S3 only, not KMS.
  #checkov:skip=CKV_AWS_21:Log objects are written once and expire; versions would only keep deleted logs.
  count = var.create_access_logs_bucket ? 1 : 0

  bucket        = local.access_logs_bucket
  force_destroy = !var.deletion_protection
  tags          = merge({ Name = local.access_logs_bucket }, var.tags)
}

resource "aws_s3_bucket_ownership_controls" "access_logs" {
  count = var.create_access_logs_bucket ? 1 : 0

  bucket = aws_s3_bucket.access_logs[0].id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "access_logs" {
  count = var.create_access_logs_bucket ? 1 : 0

  bucket                  = aws_s3_bucket.access_logs[0].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "access_logs" {
  count = var.create_access_logs_bucket ? 1 : 0

  bucket = aws_s3_bucket.access_logs[0].id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "access_logs" {
  count = var.create_access_logs_bucket ? 1 : 0

  bucket = aws_s3_bucket.access_logs[0].id

  rule {
    id     = "expire-access-logs"
    status = "Enabled"

    filter {}

    expiration {
      days = var.access_logs_retention_days
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }
}

data "aws_iam_policy_document" "access_logs" {
  count = var.create_access_logs_bucket ? 1 : 0

  statement {
    sid       = "ElbLogDelivery"
    actions   = ["s3:PutObject"]
    resources = ["${local.access_logs_arn}/${var.name}/AWSLogs/${data.aws_caller_identity.current.account_id}/*"]

    principals {
      type        = "AWS"
      identifiers = [data.aws_elb_service_account.current.arn]
    }
  }

  statement {
    sid       = "LogDeliveryService"
    actions   = ["s3:PutObject"]
    resources = ["${local.access_logs_arn}/${var.name}/AWSLogs/${data.aws_caller_identity.current.account_id}/*"]

    principals {
      type        = "Service"
      identifiers = ["logdelivery.elasticloadbalancing.amazonaws.com"]
    }
  }

  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [local.access_logs_arn, "${local.access_logs_arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "access_logs" {
  count = var.create_access_logs_bucket ? 1 : 0

  bucket = aws_s3_bucket.access_logs[0].id
  policy = data.aws_iam_policy_document.access_logs[0].json

  # A policy before the public access block can be refused as public on AWS.
  depends_on = [aws_s3_bucket_public_access_block.access_logs]
}
