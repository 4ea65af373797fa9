output "arn" {
  description = "ARN of the web ACL."
  value       = aws_wafv2_web_acl.this.arn
}

output "log_group_name" {
  description = "Name of the log group receiving the web ACL's request logs."
  value       = aws_cloudwatch_log_group.this.name
}
