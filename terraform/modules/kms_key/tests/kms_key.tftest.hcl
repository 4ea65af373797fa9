mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }

  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }

  mock_data "aws_iam_policy_document" {
    defaults = { json = "{}" }
  }
}

variables {
  name        = "chainops-test"
  description = "test key"
}

run "defaults" {
  command = plan

  assert {
    condition     = aws_kms_key.this.enable_key_rotation && aws_kms_key.this.deletion_window_in_days == 30
    error_message = "The key must rotate and wait 30 days before deletion by default."
  }

  assert {
    condition     = aws_kms_alias.this.name == "alias/chainops-test"
    error_message = "The alias is not alias/<name>."
  }
}

run "service_principals" {
  command = plan

  variables {
    service_principals = ["logs.us-east-1.amazonaws.com"]
  }

  assert {
    condition     = length([for s in data.aws_iam_policy_document.this.statement : s if s.sid == "ServicesEncrypt"]) == 1
    error_message = "A service principal must get the ServicesEncrypt statement."
  }
}

run "reserved_alias" {
  command = plan

  variables {
    name = "aws/s3"
  }

  expect_failures = [var.name]
}

run "deletion_window_too_short" {
  command = plan

  variables {
    deletion_window_in_days = 6
  }

  expect_failures = [var.deletion_window_in_days]
}

run "not_a_service_principal" {
  command = plan

  variables {
    service_principals = ["arn:aws:iam::123456789012:root"]
  }

  expect_failures = [var.service_principals]
}
