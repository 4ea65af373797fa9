output "name" {
  description = "Name of the repository."
  value       = aws_ecr_repository.this.name
}

output "arn" {
  description = "ARN of the repository."
  value       = aws_ecr_repository.this.arn
}

output "url" {
  description = "Repository URL, for docker push and task definitions."
  value       = aws_ecr_repository.this.repository_url
}
