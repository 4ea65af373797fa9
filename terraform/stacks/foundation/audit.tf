# The account's audit trail: every region, management events and the S3 object calls of every
# bucket but the trail's own (the state bucket and the data lake among them), log files
# validated and KMS-encrypted in a bucket of their own, a copy in CloudWatch Logs.
locals {
  trail_name = "${local.name}-account"
  # Known before the trail exists: its bucket and key policies name it.
  trail_arn = "arn:${local.partition}:cloudtrail:${local.region}:${local.account_id}:trail/${local.trail_name}"
}

module "trail_kms" {
  source = "../../modules/kms_key"

  name               = "${local.name}-trail"
  description        = "CloudTrail log files of ${local.name}"
  service_principals = ["cloudtrail.amazonaws.com"]
}

# AWS's policy for a trail's bucket, scoped to this trail (aws:SourceArn).
data "aws_iam_policy_document" "trail_bucket" {
  statement {
    sid       = "CloudTrailChecksTheAcl"
    actions   = ["s3:GetBucketAcl"]
    resources = ["arn:${local.partition}:s3:::${local.name}-trail-${local.account_id}"]

    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceArn"
      values   = [local.trail_arn]
    }
  }

  statement {
    sid       = "CloudTrailWritesLogFiles"
    actions   = ["s3:PutObject"]
    resources = ["arn:${local.partition}:s3:::${local.name}-trail-${local.account_id}/AWSLogs/${local.account_id}/*"]

    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "s3:x-amz-acl"
      values   = ["bucket-owner-full-control"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceArn"
      values   = [local.trail_arn]
    }
  }
}

module "trail_bucket" {
  source = "../../modules/s3_bucket"

  name             = "${local.name}-trail-${local.account_id}"
  kms_key_arn      = module.trail_kms.arn
  policy_documents = [data.aws_iam_policy_document.trail_bucket.json]

  # Log files are written once and read rarely; versions only guard against deletes.
  lifecycle_rules = {
    log-files = {
      transitions                = [{ days = 90, storage_class = "GLACIER_IR" }]
      noncurrent_expiration_days = 30
    }
  }
}

module "cloudtrail" {
  source = "../../modules/cloudtrail"

  name             = local.trail_name
  s3_bucket_name   = module.trail_bucket.id
  kms_key_arn      = module.trail_kms.arn
  logs_kms_key_arn = module.logs_kms.arn

  # CloudTrail refuses a trail it may not yet write or encrypt with.
  depends_on = [module.trail_bucket, module.trail_kms]
}
