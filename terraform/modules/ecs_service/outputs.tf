output "service_name" {
  description = "Name of the ECS service."
  value       = aws_ecs_service.this.name
}

output "task_definition_arn" {
  description = "ARN (with revision) of the task definition."
  value       = aws_ecs_task_definition.this.arn
}

output "scaling_policy_names" {
  description = "Target-tracking policy names: cpu, and requests when requests_per_target is set."
  value       = compact([aws_appautoscaling_policy.cpu.name, try(aws_appautoscaling_policy.requests[0].name, null)])
}
