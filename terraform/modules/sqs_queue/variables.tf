variable "name" {
  description = "Queue name; the dead-letter queue is <name>-dlq."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9_-]{1,76}$", var.name))
    error_message = "The name must be 1-76 letters, digits, _ and - (the -dlq suffix must still fit in 80)."
  }
}

variable "kms_key_arn" {
  description = "KMS key encrypting the messages of both queues."
  type        = string
}

variable "max_receive_count" {
  description = "Receives before a message moves to the dead-letter queue."
  type        = number
  default     = 5

  validation {
    condition     = var.max_receive_count >= 1 && var.max_receive_count <= 1000
    error_message = "The max_receive_count must be from 1 to 1000."
  }
}

variable "visibility_timeout_seconds" {
  description = "Seconds a received message stays hidden; longer than the consumer's processing time."
  type        = number
  default     = 60
}

variable "dlq_retention_seconds" {
  description = "Seconds dead letters are kept for inspection and redrive (max 14 days)."
  type        = number
  default     = 1209600

  validation {
    condition     = var.dlq_retention_seconds >= 60 && var.dlq_retention_seconds <= 1209600
    error_message = "The dlq_retention_seconds must be from 60 to 1209600 (14 days)."
  }
}

variable "alarm_actions" {
  description = "ARNs (e.g. an SNS topic) notified when a message lands in the dead-letter queue."
  type        = list(string)
  default     = []
}

variable "tags" {
  description = "Tags for the queues and the alarm (merged with the provider's default_tags)."
  type        = map(string)
  default     = {}
}
