variable "name" {
  description = "Name of the web ACL, its metrics and its log group (aws-waf-logs-<name>)."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9_-]{1,115}$", var.name))
    error_message = "The name must be 1-115 letters, digits, underscores and hyphens."
  }
}

variable "resource_arn" {
  description = "ARN of the load balancer (or API stage) the web ACL protects."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:(elasticloadbalancing|apigateway):", var.resource_arn))
    error_message = "The resource_arn must be a load balancer or API Gateway stage ARN."
  }
}

variable "logs_kms_key_arn" {
  description = "KMS key encrypting the log group (its policy must allow the logs service principal)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:", var.logs_kms_key_arn))
    error_message = "The logs_kms_key_arn must be a KMS key ARN (arn:aws:kms:...)."
  }
}

variable "requests_per_client" {
  description = "Requests one client address may send in any 5 minutes before it is blocked (100-2000000000)."
  type        = number
  default     = 2000

  validation {
    condition     = var.requests_per_client >= 100 && var.requests_per_client <= 2000000000 && floor(var.requests_per_client) == var.requests_per_client
    error_message = "The requests_per_client must be a whole number from 100 to 2000000000."
  }
}

variable "log_retention_days" {
  description = "Days the web ACL's request logs are kept; one of CloudWatch Logs' allowed values, a year at least."
  type        = number
  default     = 365

  validation {
    condition     = contains([365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "The log_retention_days must be one of CloudWatch Logs' values of a year or more: 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653."
  }
}

variable "tags" {
  description = "Tags for every resource of the module (merged with the provider's default_tags)."
  type        = map(string)
  default     = {}
}
