mock_provider "aws" {
  mock_resource "aws_sqs_queue" {
    defaults = { arn = "arn:aws:sqs:us-east-1:123456789012:chainops-test-dlq" }
  }
}

variables {
  name          = "chainops-test"
  kms_key_arn   = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000"
  alarm_actions = ["arn:aws:sns:us-east-1:123456789012:alarms"]
}

run "redrive_to_dlq" {
  command = apply

  assert {
    condition     = jsondecode(aws_sqs_queue.this.redrive_policy).maxReceiveCount == 5 && jsondecode(aws_sqs_queue.this.redrive_policy).deadLetterTargetArn == aws_sqs_queue.dlq.arn
    error_message = "Messages go to the DLQ after 5 receives."
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.dlq_not_empty.threshold == 0 && aws_cloudwatch_metric_alarm.dlq_not_empty.alarm_actions == toset(["arn:aws:sns:us-east-1:123456789012:alarms"])
    error_message = "The first dead letter alarms to the given actions."
  }
}

run "name_too_long" {
  command = plan

  variables {
    name = join("", [for i in range(77) : "q"])
  }

  expect_failures = [var.name]
}
