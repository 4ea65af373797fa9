mock_provider "aws" {}

variables {
  name             = "chainops-test"
  resource_arn     = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/chainops-test/0123456789abcdef"
  logs_kms_key_arn = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000"
}

run "defaults" {
  command = plan

  assert {
    condition     = length(aws_wafv2_web_acl.this.rule) == 4 && aws_wafv2_web_acl.this.scope == "REGIONAL"
    error_message = "A regional web ACL with the rate limit and three managed rule groups."
  }

  assert {
    condition     = aws_cloudwatch_log_group.this.name == "aws-waf-logs-chainops-test" && aws_cloudwatch_log_group.this.kms_key_id == var.logs_kms_key_arn
    error_message = "Request logs go to an encrypted aws-waf-logs-<name> group."
  }

  assert {
    condition     = aws_wafv2_web_acl_association.this.resource_arn == var.resource_arn
    error_message = "The web ACL protects the resource given."
  }
}

run "rate_limit_too_low" {
  command = plan

  variables {
    requests_per_client = 10
  }

  expect_failures = [var.requests_per_client]
}

run "not_a_load_balancer" {
  command = plan

  variables {
    resource_arn = "arn:aws:s3:::a-bucket"
  }

  expect_failures = [var.resource_arn]
}
