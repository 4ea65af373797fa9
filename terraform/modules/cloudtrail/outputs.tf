output "arn" {
  description = "ARN of the trail."
  value       = aws_cloudtrail.this.arn
}

output "name" {
  description = "Name of the trail."
  value       = aws_cloudtrail.this.name
}

output "log_group_name" {
  description = "Name of the CloudWatch Logs group receiving the events."
  value       = aws_cloudwatch_log_group.this.name
}

output "role_arn" {
  description = "ARN of the role CloudTrail delivers to CloudWatch Logs with."
  value       = aws_iam_role.this.arn
}
