mock_provider "aws" {
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{}" }
  }
}

variables {
  name        = "chainops-test"
  vpc_id      = "vpc-12345678"
  kms_key_arn = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000"
}

run "defaults" {
  command = plan

  assert {
    condition     = aws_cloudwatch_log_group.this.name == "/vpc/flow-logs/chainops-test" && aws_cloudwatch_log_group.this.retention_in_days == 365
    error_message = "The log group is /vpc/flow-logs/<name>, kept a year."
  }

  assert {
    condition     = aws_flow_log.this.traffic_type == "ALL" && aws_flow_log.this.log_destination_type == "cloud-watch-logs"
    error_message = "All traffic goes to CloudWatch Logs."
  }
}

run "retention_not_allowed" {
  command = plan

  variables {
    retention_in_days = 42
  }

  expect_failures = [var.retention_in_days]
}
