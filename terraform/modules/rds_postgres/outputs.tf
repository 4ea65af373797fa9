output "identifier" {
  description = "Identifier of the primary instance."
  value       = aws_db_instance.this.identifier
}

output "address" {
  description = "Host name of the primary."
  value       = aws_db_instance.this.address
}

output "port" {
  description = "Port of the primary."
  value       = aws_db_instance.this.port
}

output "resource_id" {
  description = "DbiResourceId of the primary (the resource of rds-db:connect IAM policies)."
  value       = aws_db_instance.this.resource_id
}

output "master_user_secret_arn" {
  description = "Secrets Manager secret RDS keeps the master credentials in."
  value       = local.secret_arn
}

output "replica_identifier" {
  description = "Identifier of the read replica, or null without create_replica."
  value       = try(aws_db_instance.replica[0].identifier, null)
}

output "replica_address" {
  description = "Host name of the read replica, or null without create_replica."
  value       = try(aws_db_instance.replica[0].address, null)
}

output "replica_resource_id" {
  description = "DbiResourceId of the read replica (the resource of rds-db:connect to it), or null without create_replica."
  value       = try(aws_db_instance.replica[0].resource_id, null)
}

output "proxy_name" {
  description = "Name of the RDS Proxy, or null without create_proxy."
  value       = try(aws_db_proxy.this[0].name, null)
}

output "proxy_endpoint" {
  description = "Endpoint of the RDS Proxy (what applications connect to), or null without create_proxy."
  value       = try(aws_db_proxy.this[0].endpoint, null)
}

output "proxy_arn" {
  description = "ARN of the RDS Proxy, or null without create_proxy."
  value       = try(aws_db_proxy.this[0].arn, null)
}

output "proxy_resource_id" {
  description = "Resource id of the RDS Proxy (prx-..., the resource of rds-db:connect through it), or null without create_proxy."
  value       = try(element(split(":", aws_db_proxy.this[0].arn), 6), null)
}
