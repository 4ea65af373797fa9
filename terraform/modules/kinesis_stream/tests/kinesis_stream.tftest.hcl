mock_provider "aws" {}

variables {
  name        = "chainops-test"
  kms_key_arn = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000"
}

run "on_demand_has_no_shards" {
  command = plan

  assert {
    condition     = aws_kinesis_stream.this.shard_count == null && one(aws_kinesis_stream.this.stream_mode_details).stream_mode == "ON_DEMAND"
    error_message = "An on-demand stream must not set shard_count."
  }

  assert {
    condition     = aws_kinesis_stream.this.encryption_type == "KMS"
    error_message = "Records are encrypted with KMS."
  }
}

run "provisioned_shards" {
  command = plan

  variables {
    stream_mode = "PROVISIONED"
    shard_count = 4
  }

  assert {
    condition     = aws_kinesis_stream.this.shard_count == 4
    error_message = "A provisioned stream takes shard_count."
  }
}

run "shard_count_zero" {
  command = plan

  variables {
    stream_mode = "PROVISIONED"
    shard_count = 0
  }

  expect_failures = [var.shard_count]
}

run "retention_too_short" {
  command = plan

  variables {
    retention_period = 12
  }

  expect_failures = [var.retention_period]
}
