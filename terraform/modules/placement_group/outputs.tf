output "id" {
  description = "ID of the placement group (its name)."
  value       = aws_placement_group.this.id
}

output "arn" {
  description = "ARN of the placement group."
  value       = aws_placement_group.this.arn
}

output "name" {
  description = "Name of the placement group, for aws_instance.placement_group and launch templates."
  value       = aws_placement_group.this.name
}
