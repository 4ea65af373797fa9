output "repository_urls" {
  description = "ECR repository URLs by service."
  value       = { for service, repo in module.ecr : service => repo.url }
}

output "cluster_name" {
  description = "Name of the ECS cluster."
  value       = module.cluster.name
}

output "cluster_arn" {
  description = "ARN of the ECS cluster."
  value       = module.cluster.arn
}

output "log_groups" {
  description = "CloudWatch Logs groups by service."
  value       = { for service, group in aws_cloudwatch_log_group.service : service => group.name }
}

output "app_secret_arn" {
  description = "ARN of the application secret."
  value       = aws_secretsmanager_secret.app.arn
}

output "dashboard_name" {
  description = "Name of the CloudWatch dashboard."
  value       = aws_cloudwatch_dashboard.this.dashboard_name
}
