# Every stack's provider block; local.stack (the stack's name) is set in the stack's main.tf.
# In the lab the endpoint comes from AWS_ENDPOINT_URL (set by `chainops tf`); everything else
# that differs between worlds is a variable.
provider "aws" {
  region      = var.region
  max_retries = var.aws_provider.max_retries
  # Dummy credentials in the lab; null (the default chain: env, profile, SSO) on AWS.
  access_key        = var.aws_provider.access_key
  secret_key        = var.aws_provider.secret_key
  s3_use_path_style = var.aws_provider.s3_use_path_style

  # The variable is sensitive (it may carry keys); whether a role is set is not.
  dynamic "assume_role" {
    for_each = nonsensitive(var.aws_provider.assume_role_arn != null) ? [1] : []

    content {
      role_arn     = var.aws_provider.assume_role_arn
      session_name = "terraform-${local.stack}"
    }
  }

  default_tags {
    tags = merge(var.default_tags, {
      "chainops:environment" = var.environment
      "chainops:stack"       = local.stack
    })
  }
}
