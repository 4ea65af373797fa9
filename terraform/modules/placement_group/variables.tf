variable "name" {
  description = "Name of the placement group, unique in the account and region (1-255 printable ASCII characters)."
  type        = string

  validation {
    condition     = can(regex("^[[:print:]]{1,255}$", var.name)) && trimspace(var.name) == var.name
    error_message = "The name must be 1-255 printable ASCII characters without leading or trailing spaces."
  }
}

variable "strategy" {
  description = "Placement strategy: cluster (low latency, one AZ), spread (distinct hardware) or partition."
  type        = string

  validation {
    condition     = contains(["cluster", "spread", "partition"], var.strategy)
    error_message = "The strategy must be one of: cluster, spread, partition."
  }
}

variable "partition_count" {
  description = "Number of partitions (1-7); only with strategy = \"partition\". Null leaves the AWS default (2)."
  type        = number
  default     = null

  validation {
    condition     = var.partition_count == null || try(var.partition_count >= 1 && var.partition_count <= 7 && floor(var.partition_count) == var.partition_count, false)
    error_message = "The partition_count must be a whole number from 1 to 7."
  }
}

variable "spread_level" {
  description = "Spread level, host or rack; only with strategy = \"spread\". Null leaves the AWS default (rack)."
  type        = string
  default     = null

  validation {
    condition     = var.spread_level == null || contains(["host", "rack"], coalesce(var.spread_level, "-"))
    error_message = "The spread_level must be host or rack."
  }
}

variable "tags" {
  description = "Tags for the placement group (merged with the provider's default_tags)."
  type        = map(string)
  default     = {}
}
