mock_provider "aws" {
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{}" }
  }
}

variables {
  name                = "chainops-test"
  kms_key_arn         = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000"
  email_subscriptions = ["oncall@example.com"]
}

run "encrypted_with_subscriptions" {
  command = plan

  assert {
    condition     = aws_sns_topic.this.kms_master_key_id == var.kms_key_arn
    error_message = "The topic is encrypted with the given key."
  }

  assert {
    condition     = aws_sns_topic_subscription.email["oncall@example.com"].protocol == "email"
    error_message = "Each address gets an e-mail subscription keyed by the address."
  }
}

run "subscription_not_an_email" {
  command = plan

  variables {
    email_subscriptions = ["oncall@example.com", "not-an-email"]
  }

  expect_failures = [var.email_subscriptions]
}
