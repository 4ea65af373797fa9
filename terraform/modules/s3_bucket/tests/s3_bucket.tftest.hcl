mock_provider "aws" {
  mock_resource "aws_s3_bucket" {
    defaults = { arn = "arn:aws:s3:::chainops-test" }
  }

  mock_data "aws_iam_policy_document" {
    defaults = { json = "{}" }
  }
}

variables {
  name        = "chainops-test"
  kms_key_arn = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000"
}

run "secure_defaults" {
  command = plan

  assert {
    condition     = aws_s3_bucket_versioning.this.versioning_configuration[0].status == "Enabled"
    error_message = "Versioning must be on by default."
  }

  assert {
    condition = alltrue([
      aws_s3_bucket_public_access_block.this.block_public_acls,
      aws_s3_bucket_public_access_block.this.block_public_policy,
      aws_s3_bucket_public_access_block.this.ignore_public_acls,
      aws_s3_bucket_public_access_block.this.restrict_public_buckets,
    ])
    error_message = "All four public access blocks must be on."
  }

  assert {
    condition     = one(one(aws_s3_bucket_server_side_encryption_configuration.this.rule).apply_server_side_encryption_by_default).sse_algorithm == "aws:kms"
    error_message = "Objects must be encrypted with SSE-KMS."
  }

  assert {
    condition     = aws_s3_bucket.this.force_destroy == false
    error_message = "force_destroy must be off by default."
  }
}

run "lifecycle_tiers" {
  command = plan

  variables {
    lifecycle_rules = {
      raw = {
        prefix      = "raw/"
        transitions = [{ days = 30, storage_class = "STANDARD_IA" }, { days = 90, storage_class = "GLACIER_IR" }]
      }
    }
  }

  assert {
    condition     = length(aws_s3_bucket_lifecycle_configuration.this.rule) == 2
    error_message = "Expected the abort-incomplete-uploads rule plus one rule per lifecycle_rules entry."
  }
}

run "bucket_name_uppercase" {
  command = plan

  variables {
    name = "Chainops"
  }

  expect_failures = [var.name]
}

run "unknown_storage_class" {
  command = plan

  variables {
    lifecycle_rules = { raw = { transitions = [{ days = 30, storage_class = "COLD" }] } }
  }

  expect_failures = [var.lifecycle_rules]
}

run "transitions_out_of_order" {
  command = plan

  variables {
    lifecycle_rules = {
      raw = { transitions = [{ days = 90, storage_class = "GLACIER" }, { days = 30, storage_class = "STANDARD_IA" }] }
    }
  }

  expect_failures = [var.lifecycle_rules]
}

run "infrequent_access_too_early" {
  command = plan

  variables {
    lifecycle_rules = {
      raw = { transitions = [{ days = 10, storage_class = "STANDARD_IA" }] }
    }
  }

  expect_failures = [var.lifecycle_rules]
}

run "noncurrent_expiration_zero" {
  command = plan

  variables {
    lifecycle_rules = {
      old = { noncurrent_expiration_days = 0 }
    }
  }

  expect_failures = [var.lifecycle_rules]
}
