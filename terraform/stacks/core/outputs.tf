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

output "service_names" {
  description = "ECS service names by service."
  value       = { for service, svc in module.service : service => svc.service_name }
}

output "task_role_arns" {
  description = "Task role ARNs by service."
  value       = { for service, role in module.task_role : service => role.arn }
}

output "log_groups" {
  description = "CloudWatch Logs groups by service."
  value       = { for service, group in aws_cloudwatch_log_group.service : service => group.name }
}

output "app_secret_arn" {
  description = "ARN of the application secret."
  value       = aws_secretsmanager_secret.app.arn
}

output "alb_dns_name" {
  description = "DNS name of the load balancer (point the API's DNS record here)."
  value       = module.alb.dns_name
}

output "alb_arn" {
  description = "ARN of the load balancer."
  value       = module.alb.arn
}

output "alb_access_logs_bucket" {
  description = "Bucket of the ALB's access logs, or null when they are off."
  value       = module.alb.access_logs_bucket
}

output "target_group_arns" {
  description = "Target group ARNs by color (blue, green)."
  value       = module.alb.target_group_arns
}

output "database_endpoint" {
  description = "What the services connect to: the RDS Proxy endpoint, or the primary's address without a proxy."
  value       = coalesce(module.database.proxy_endpoint, module.database.address)
}

output "database_identifier" {
  description = "Identifier of the primary DB instance."
  value       = module.database.identifier
}

output "database_replica_identifier" {
  description = "Identifier of the read replica, or null without one."
  value       = module.database.replica_identifier
}

output "database_reader_endpoint" {
  description = "Host the services read from (DB_READER_HOST): the read replica, or the writer's host without one."
  value       = local.database_reader_endpoint
}

output "database_proxy_name" {
  description = "Name of the RDS Proxy, or null without one."
  value       = module.database.proxy_name
}

output "database_master_secret_arn" {
  description = "Secrets Manager secret RDS keeps the master credentials in (break-glass only; services use IAM)."
  value       = module.database.master_user_secret_arn
}

output "cache_replication_group_id" {
  description = "ID of the Redis replication group."
  value       = module.cache.replication_group_id
}

output "cache_primary_endpoint" {
  description = "Primary endpoint of Redis."
  value       = module.cache.primary_endpoint
}

output "cache_auth_secret_arn" {
  description = "Secrets Manager secret holding the Redis AUTH token."
  value       = aws_secretsmanager_secret.redis_auth.arn
}

output "security_group_ids" {
  description = "Security groups this stack adds: db_proxy and db_from_proxy (empty without a proxy)."
  value = merge(
    { for group in module.security_group_db_proxy : "db_proxy" => group.id },
    { for group in module.security_group_db_from_proxy : "db_from_proxy" => group.id },
  )
}

output "alarm_names" {
  description = "CloudWatch alarm names by key."
  value       = module.alarms.names
}

output "dashboard_name" {
  description = "Name of the CloudWatch dashboard."
  value       = aws_cloudwatch_dashboard.this.dashboard_name
}
