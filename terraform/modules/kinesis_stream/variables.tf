variable "name" {
  description = "Stream name (1-128 letters, digits, _ . -)."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9_.-]{1,128}$", var.name))
    error_message = "The name must be 1-128 characters of letters, digits, _, . and -."
  }
}

variable "stream_mode" {
  description = "ON_DEMAND (pay per GB, scales itself) or PROVISIONED (pay per shard-hour; cheaper at steady, known throughput)."
  type        = string
  default     = "ON_DEMAND"

  validation {
    condition     = contains(["ON_DEMAND", "PROVISIONED"], var.stream_mode)
    error_message = "The stream_mode must be ON_DEMAND or PROVISIONED."
  }
}

variable "shard_count" {
  description = "Shards of a PROVISIONED stream (1 MB/s or 1000 records/s in each); ignored when ON_DEMAND."
  type        = number
  default     = 1

  validation {
    condition     = var.shard_count >= 1 && var.shard_count <= 500 && floor(var.shard_count) == var.shard_count
    error_message = "The shard_count must be a whole number from 1 to 500."
  }
}

variable "retention_period" {
  description = "Hours records stay readable (24-8760); replaying a listener gap needs at least the outage length."
  type        = number
  default     = 24

  validation {
    condition     = var.retention_period >= 24 && var.retention_period <= 8760
    error_message = "The retention_period must be from 24 to 8760 hours."
  }
}

variable "kms_key_arn" {
  description = "KMS key encrypting the records at rest."
  type        = string
}

variable "tags" {
  description = "Tags for the stream (merged with the provider's default_tags)."
  type        = map(string)
  default     = {}
}
