output "arn" {
  description = "ARN of the load balancer."
  value       = aws_lb.this.arn
}

output "arn_suffix" {
  description = "ARN suffix of the load balancer (the LoadBalancer dimension of its metrics)."
  value       = aws_lb.this.arn_suffix
}

output "dns_name" {
  description = "DNS name of the load balancer."
  value       = aws_lb.this.dns_name
}

output "https_listener_arn" {
  description = "ARN of the HTTPS listener."
  value       = aws_lb_listener.https.arn
}

output "target_group_arns" {
  description = "Target group ARNs by color (blue, green)."
  value       = { for color, group in aws_lb_target_group.this : color => group.arn }
}

output "target_group_arn_suffixes" {
  description = "Target group ARN suffixes by color (the TargetGroup dimension of their metrics)."
  value       = { for color, group in aws_lb_target_group.this : color => group.arn_suffix }
}

output "active_target_group_arn" {
  description = "ARN of the target group the listener forwards to (active_color)."
  value       = aws_lb_target_group.this[var.active_color].arn
}

output "access_logs_bucket" {
  description = "Bucket of the access logs, or null without create_access_logs_bucket."
  value       = try(aws_s3_bucket.access_logs[0].id, null)
}
