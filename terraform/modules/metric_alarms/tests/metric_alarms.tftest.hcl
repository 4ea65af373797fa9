mock_provider "aws" {}

variables {
  name_prefix   = "chainops-test"
  alarm_actions = ["arn:aws:sns:us-east-1:123456789012:alarms"]
  alarms = {
    rpc-latency-p99 = {
      description        = "RPC p99 latency over SLA"
      namespace          = "Chainops/RPC"
      metric_name        = "RequestLatency"
      extended_statistic = "p99"
      threshold          = 250
    }
  }
}

run "alarm_by_key" {
  command = plan

  assert {
    condition     = aws_cloudwatch_metric_alarm.this["rpc-latency-p99"].alarm_name == "chainops-test-rpc-latency-p99" && aws_cloudwatch_metric_alarm.this["rpc-latency-p99"].extended_statistic == "p99"
    error_message = "Alarms are named <prefix>-<key> and keep their statistic."
  }
}

run "both_statistics" {
  command = plan

  variables {
    alarms = {
      bad = { description = "x", namespace = "n", metric_name = "m", statistic = "Average", extended_statistic = "p99", threshold = 1 }
    }
  }

  expect_failures = [var.alarms]
}
