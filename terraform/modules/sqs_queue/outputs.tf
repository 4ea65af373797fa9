output "url" {
  description = "URL of the queue."
  value       = aws_sqs_queue.this.id
}

output "arn" {
  description = "ARN of the queue."
  value       = aws_sqs_queue.this.arn
}

output "dlq_url" {
  description = "URL of the dead-letter queue."
  value       = aws_sqs_queue.dlq.id
}

output "dlq_arn" {
  description = "ARN of the dead-letter queue."
  value       = aws_sqs_queue.dlq.arn
}

output "dlq_alarm_arn" {
  description = "ARN of the dead-letter alarm."
  value       = aws_cloudwatch_metric_alarm.dlq_not_empty.arn
}
