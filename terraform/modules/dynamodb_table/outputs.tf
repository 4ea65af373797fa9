output "name" {
  description = "Name of the table."
  value       = aws_dynamodb_table.this.name
}

output "arn" {
  description = "ARN of the table (append /index/* for its indexes)."
  value       = aws_dynamodb_table.this.arn
}
