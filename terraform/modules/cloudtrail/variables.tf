variable "name" {
  description = "Name of the trail, its log group (/cloudtrail/<name>) and its delivery role."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9][a-zA-Z0-9._-]{1,110}[a-zA-Z0-9]$", var.name))
    error_message = "The name must be 3-112 letters, digits, dots, underscores and hyphens, starting and ending with a letter or digit."
  }
}

variable "s3_bucket_name" {
  description = "Bucket the log files go to; its policy must let cloudtrail.amazonaws.com check its ACL and write under AWSLogs/<account>/ (CloudTrail refuses the trail otherwise)."
  type        = string
}

variable "kms_key_arn" {
  description = "KMS key encrypting the log files; its policy must let cloudtrail.amazonaws.com generate data keys."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "The kms_key_arn must be a KMS key ARN (arn:aws:kms:...)."
  }
}

variable "logs_kms_key_arn" {
  description = "KMS key encrypting the CloudWatch Logs group (its policy must allow the logs service principal)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:", var.logs_kms_key_arn))
    error_message = "The logs_kms_key_arn must be a KMS key ARN (arn:aws:kms:...)."
  }
}

variable "log_s3_data_events" {
  description = "Record object-level S3 calls (data events) of every bucket of the account but the trail's own."
  type        = bool
  default     = true
}

variable "retention_in_days" {
  description = "Days the CloudWatch Logs copy of the events is kept; one of CloudWatch Logs' allowed values, a year at least."
  type        = number
  default     = 365

  validation {
    condition     = contains([365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.retention_in_days)
    error_message = "The retention_in_days must be one of CloudWatch Logs' values of a year or more: 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653."
  }
}

variable "tags" {
  description = "Tags for every resource of the module (merged with the provider's default_tags)."
  type        = map(string)
  default     = {}
}
