output "rpc_autoscaling_group_name" {
  description = "Name of the RPC fleet's Auto Scaling group."
  value       = module.rpc_fleet.autoscaling_group_name
}

output "rpc_placement_group_name" {
  description = "Name of the RPC fleet's cluster placement group."
  value       = module.rpc_placement_group.name
}

output "rpc_launch_template_id" {
  description = "ID of the RPC fleet's launch template."
  value       = module.rpc_fleet.launch_template_id
}

output "stream_name" {
  description = "Name of the event stream."
  value       = module.events_stream.name
}

output "stream_arn" {
  description = "ARN of the event stream."
  value       = module.events_stream.arn
}

output "data_lake_bucket" {
  description = "Name of the data-lake bucket."
  value       = module.data_lake.id
}

output "retry_queue_url" {
  description = "URL of the event retry queue."
  value       = module.retry_queue.url
}

output "dead_letter_queue_url" {
  description = "URL of the dead-letter queue."
  value       = module.retry_queue.dlq_url
}

output "table_names" {
  description = "DynamoDB table names: checkpoints, leases, idempotency."
  value       = { for key, table in module.tables : key => table.name }
}

output "role_arns" {
  description = "ARNs of the rpc, listener and consumer roles."
  value = {
    rpc      = module.rpc_role.arn
    listener = module.listener_role.arn
    consumer = module.consumer_role.arn
  }
}

output "alarm_topic_arn" {
  description = "ARN of the SNS topic all alarms notify."
  value       = module.alarm_topic.arn
}

output "alarm_names" {
  description = "Names of the SLA alarms by key, plus the dead-letter alarm."
  value       = merge(module.alarms.names, { dead-letters = "${local.name}-events-retry-dlq-not-empty" })
}

output "kms_key_arn" {
  description = "ARN of the event pipeline's KMS key."
  value       = module.kms.arn
}

output "listener_instance_ids" {
  description = "IDs of the listener hosts (empty where the pipeline runs on ECS)."
  value       = aws_instance.listener[*].id
}

output "rpc_endpoint" {
  description = "JSON-RPC URL of the RPC fleet's internal load balancer (PubSub: the next port); null without pipeline_services."
  value       = var.pipeline_services == null ? null : "http://${aws_lb.rpc[0].dns_name}:${local.rpc_ports.rpc}"
}

output "pipeline_repository_url" {
  description = "ECR repository the pipeline image is pushed to (tag: pipeline_services.image_tag); null without pipeline_services."
  value       = try(module.pipeline_repository["enabled"].url, null)
}

output "pipeline_service_names" {
  description = "ECS services of the pipeline in the pipeline cluster, by process (listener, consumer)."
  value       = { for name, service in module.pipeline_service : name => service.service_name }
}
