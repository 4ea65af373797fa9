output "id" {
  description = "ID of the flow log."
  value       = aws_flow_log.this.id
}

output "log_group_name" {
  description = "Name of the log group receiving the flow logs."
  value       = aws_cloudwatch_log_group.this.name
}

output "role_arn" {
  description = "ARN of the role the flow logs service delivers with."
  value       = aws_iam_role.this.arn
}
