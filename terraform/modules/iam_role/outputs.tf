output "name" {
  description = "Name of the role."
  value       = aws_iam_role.this.name
}

output "arn" {
  description = "ARN of the role."
  value       = aws_iam_role.this.arn
}

output "instance_profile_arn" {
  description = "ARN of the instance profile, or null without create_instance_profile."
  value       = try(aws_iam_instance_profile.this[0].arn, null)
}

output "instance_profile_name" {
  description = "Name of the instance profile, or null without create_instance_profile."
  value       = try(aws_iam_instance_profile.this[0].name, null)
}
