variable "name" {
  description = "Topic name."
  type        = string
}

variable "kms_key_arn" {
  description = "KMS key encrypting the messages (its policy must let CloudWatch use it)."
  type        = string
}

variable "publisher_services" {
  description = "AWS service principals allowed to publish (CloudWatch alarms publish as cloudwatch.amazonaws.com)."
  type        = list(string)
  default     = ["cloudwatch.amazonaws.com"]
}

variable "email_subscriptions" {
  description = "E-mail addresses subscribed to the topic (each must confirm)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for address in var.email_subscriptions : can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", address))])
    error_message = "Each email_subscriptions entry must be an e-mail address (name@domain.tld)."
  }
}

variable "tags" {
  description = "Tags for the topic (merged with the provider's default_tags)."
  type        = map(string)
  default     = {}
}
