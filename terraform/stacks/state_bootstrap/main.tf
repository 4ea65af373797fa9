locals {
  stack = "state_bootstrap"
  name  = "${var.name_prefix}-${var.environment}"
}

data "aws_caller_identity" "current" {}

module "kms" {
  source = "../../modules/kms_key"

  name        = "${local.name}-tfstate"
  description = "Terraform state of ${local.name}"
}

module "state_bucket" {
  source = "../../modules/s3_bucket"

  # The account id makes the name globally unique and says which account holds the state.
  name          = "${local.name}-tfstate-${data.aws_caller_identity.current.account_id}"
  kms_key_arn   = module.kms.arn
  force_destroy = var.force_destroy

  lifecycle_rules = {
    old-state-versions = { noncurrent_expiration_days = var.noncurrent_version_expiration_days }
  }
}

module "lock_table" {
  source = "../../modules/dynamodb_table"

  name                       = "${local.name}-tflock"
  hash_key                   = "LockID" # the name the s3 backend writes
  kms_key_arn                = module.kms.arn
  enable_deletion_protection = !var.force_destroy
}
