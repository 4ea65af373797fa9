output "key_id" {
  description = "ID of the key."
  value       = aws_kms_key.this.key_id
}

output "arn" {
  description = "ARN of the key, for kms_key_id / kms_master_key_id arguments and IAM policies."
  value       = aws_kms_key.this.arn
}

output "alias_arn" {
  description = "ARN of the alias."
  value       = aws_kms_alias.this.arn
}

output "alias_name" {
  description = "Name of the alias (alias/...)."
  value       = aws_kms_alias.this.name
}
