# The module with its required inputs only; a root that scripts/terraform-checks validates.
module "metric_alarms" {
  source = "../.."

  name_prefix   = "chainops-example"
  alarm_actions = ["arn:aws:sns:us-east-1:123456789012:chainops-example-alarms"]
  alarms = {
    queue-age = {
      description = "Oldest message older than 5 minutes"
      namespace   = "AWS/SQS"
      metric_name = "ApproximateAgeOfOldestMessage"
      statistic   = "Maximum"
      threshold   = 300
    }
  }
}
