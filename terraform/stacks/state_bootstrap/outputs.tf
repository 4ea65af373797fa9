output "bucket" {
  description = "Name of the state bucket."
  value       = module.state_bucket.id
}

output "bucket_arn" {
  description = "ARN of the state bucket."
  value       = module.state_bucket.arn
}

output "lock_table" {
  description = "Name of the DynamoDB lock table."
  value       = module.lock_table.name
}

output "kms_key_arn" {
  description = "ARN of the KMS key encrypting the state."
  value       = module.kms.arn
}

output "backend_config" {
  description = "Partial s3 backend configuration for the other stacks (add key, and in the lab the endpoints; see docs/terraform.md)."
  value = {
    bucket         = module.state_bucket.id
    region         = var.region
    dynamodb_table = module.lock_table.name
    encrypt        = true
    kms_key_id     = module.kms.arn
  }
}
