output "autoscaling_group_name" {
  description = "Name of the Auto Scaling group."
  value       = aws_autoscaling_group.this.name
}

output "autoscaling_group_arn" {
  description = "ARN of the Auto Scaling group."
  value       = aws_autoscaling_group.this.arn
}

output "launch_template_id" {
  description = "ID of the launch template."
  value       = aws_launch_template.this.id
}

output "ami_id" {
  description = "AMI the launch template uses."
  value       = data.aws_ami.this.id
}

output "scaling_policy_arns" {
  description = "Target-tracking policy ARNs: cpu and rpc_requests."
  value       = { cpu = aws_autoscaling_policy.cpu.arn, rpc_requests = aws_autoscaling_policy.rpc_requests.arn }
}
