output "vpc_id" {
  description = "ID of the VPC."
  value       = module.vpc.vpc_id
}

output "vpc_cidr" {
  description = "CIDR of the VPC."
  value       = module.vpc.cidr_block
}

output "subnet_ids" {
  description = "Subnet IDs by tier (public, private, isolated), in availability_zones order."
  value       = module.vpc.subnet_ids
}

output "route_table_ids" {
  description = "Route table IDs by tier."
  value       = module.vpc.route_table_ids
}

output "nat_gateway_ids" {
  description = "NAT gateway IDs by zone."
  value       = module.vpc.nat_gateway_ids
}

output "security_group_ids" {
  description = "Security group IDs by tier: alb, rpc, vpc_endpoints, app, db, cache."
  value = merge(
    { for tier, sg in module.security_group_edge : tier => sg.id },
    { app = module.security_group_app.id },
    { for tier, sg in module.security_group_data : tier => sg.id },
  )
}

output "network_acl_ids" {
  description = "Network ACL IDs by tier."
  value       = { for tier, acl in module.network_acl : tier => acl.id }
}

output "vpc_endpoint_ids" {
  description = "VPC endpoint IDs by service (gateway and interface)."
  value       = merge(module.endpoints.gateway_endpoint_ids, module.endpoints.interface_endpoint_ids)
}

output "flow_log_group" {
  description = "CloudWatch Logs group of the VPC flow logs."
  value       = module.flow_logs.log_group_name
}

output "logs_kms_key_arn" {
  description = "KMS key for this environment's CloudWatch Logs groups."
  value       = module.logs_kms.arn
}

output "github_oidc_provider_arn" {
  description = "ARN of the GitHub Actions OIDC provider."
  value       = aws_iam_openid_connect_provider.github.arn
}

output "role_arns" {
  description = "ARNs of the baseline roles: break_glass, ci, parameter_reader."
  value = {
    break_glass      = module.break_glass_role.arn
    ci               = module.ci_role.arn
    parameter_reader = module.parameter_reader_role.arn
  }
}

output "parameter_reader_instance_profile" {
  description = "Instance profile of the parameter reader role."
  value       = module.parameter_reader_role.instance_profile_name
}

output "ssm_transfer_bucket" {
  description = "Bucket of the SSM connection's file transfers, or null without one."
  value       = try(module.ssm_transfer_bucket["this"].id, null)
}

output "trail_arn" {
  description = "ARN of the account's CloudTrail trail."
  value       = module.cloudtrail.arn
}

output "trail_bucket" {
  description = "Bucket holding the trail's log files."
  value       = module.trail_bucket.id
}
