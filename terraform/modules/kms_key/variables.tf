variable "name" {
  description = "Alias of the key, without the alias/ prefix (e.g. chainops-prod-tfstate)."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9/_-]{1,250}$", var.name)) && !startswith(var.name, "aws/")
    error_message = "The name must be 1-250 characters of a-z, A-Z, 0-9, /, _ and -, and must not start with aws/ (reserved)."
  }
}

variable "description" {
  description = "What the key protects, shown in the KMS console."
  type        = string
}

variable "deletion_window_in_days" {
  description = "Days a deleted key waits before it is destroyed (7-30)."
  type        = number
  default     = 30

  validation {
    condition     = var.deletion_window_in_days >= 7 && var.deletion_window_in_days <= 30 && floor(var.deletion_window_in_days) == var.deletion_window_in_days
    error_message = "The deletion_window_in_days must be a whole number from 7 to 30."
  }
}

variable "service_principals" {
  description = "AWS service principals (e.g. logs.us-east-1.amazonaws.com) allowed to use the key for encryption, besides IAM principals of the account."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for p in var.service_principals : endswith(p, ".amazonaws.com")])
    error_message = "Each service_principals entry must be a service principal ending in .amazonaws.com."
  }
}

variable "tags" {
  description = "Tags for the key (merged with the provider's default_tags)."
  type        = map(string)
  default     = {}
}
