variable "name" {
  description = "Name of the log group (/vpc/flow-logs/<name>) and the delivery role."
  type        = string
}

variable "vpc_id" {
  description = "VPC whose traffic is logged."
  type        = string
}

variable "kms_key_arn" {
  description = "KMS key encrypting the log group (its policy must allow the logs service principal)."
  type        = string
}

variable "retention_in_days" {
  description = "Days flow logs are kept; one of CloudWatch Logs' allowed values."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.retention_in_days)
    error_message = "The retention_in_days must be one of CloudWatch Logs' values: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653."
  }
}

variable "traffic_type" {
  description = "Traffic to log: ACCEPT, REJECT or ALL."
  type        = string
  default     = "ALL"

  validation {
    condition     = contains(["ACCEPT", "REJECT", "ALL"], var.traffic_type)
    error_message = "The traffic_type must be ACCEPT, REJECT or ALL."
  }
}

variable "tags" {
  description = "Tags for every resource of the module (merged with the provider's default_tags)."
  type        = map(string)
  default     = {}
}
