mock_provider "aws" {
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{}" }
  }

  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
}

variables {
  name             = "chainops-test"
  s3_bucket_name   = "chainops-test-trail"
  kms_key_arn      = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000"
  logs_kms_key_arn = "arn:aws:kms:us-east-1:123456789012:key/11111111-1111-1111-1111-111111111111"
}

run "defaults" {
  command = plan

  assert {
    condition     = aws_cloudtrail.this.is_multi_region_trail && aws_cloudtrail.this.enable_log_file_validation && aws_cloudtrail.this.include_global_service_events
    error_message = "The trail covers every region and global services, with log file validation."
  }

  assert {
    condition     = aws_cloudtrail.this.kms_key_id == var.kms_key_arn && aws_cloudwatch_log_group.this.kms_key_id == var.logs_kms_key_arn
    error_message = "Log files and the CloudWatch Logs copy are KMS-encrypted."
  }

  assert {
    condition     = length(aws_cloudtrail.this.advanced_event_selector) == 2
    error_message = "Management events and S3 data events are selected."
  }

  assert {
    condition     = anytrue([for s in aws_cloudtrail.this.advanced_event_selector[1].field_selector : s.field == "resources.ARN" && contains(coalesce(s.not_starts_with, []), "arn:aws:s3:::chainops-test-trail/")])
    error_message = "The trail's own bucket is left out of its data events."
  }
}

run "management_events_only" {
  command = plan

  variables {
    log_s3_data_events = false
  }

  assert {
    condition     = length(aws_cloudtrail.this.advanced_event_selector) == 1
    error_message = "Without data events only management events are selected."
  }
}

run "retention_below_a_year" {
  command = plan

  variables {
    retention_in_days = 90
  }

  expect_failures = [var.retention_in_days]
}
