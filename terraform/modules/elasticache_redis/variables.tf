variable "name" {
  description = "Replication group id; also names the subnet and parameter groups (1-40 lowercase letters, digits, hyphens)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,39}$", var.name)) && !endswith(var.name, "-") && !strcontains(var.name, "--")
    error_message = "The name must be 1-40 lowercase letters, digits and hyphens, starting with a letter, no double or trailing hyphen."
  }
}

variable "engine_version" {
  description = "Redis OSS version (major.minor, e.g. 7.1)."
  type        = string
  default     = "7.1"

  validation {
    condition     = can(regex("^[67]\\.\\d+$", var.engine_version))
    error_message = "The engine_version must be Redis 6.x or 7.x as major.minor, e.g. 7.1."
  }
}

variable "node_type" {
  description = "Node type (cache.*)."
  type        = string

  validation {
    condition     = startswith(var.node_type, "cache.")
    error_message = "The node_type must be an ElastiCache node type (cache.*), e.g. cache.t4g.small."
  }
}

variable "num_cache_clusters" {
  description = "Nodes: one primary and num_cache_clusters - 1 replicas (1-6; 2 or more enable automatic failover and Multi-AZ)."
  type        = number
  default     = 2

  validation {
    condition     = var.num_cache_clusters >= 1 && var.num_cache_clusters <= 6 && floor(var.num_cache_clusters) == var.num_cache_clusters
    error_message = "The num_cache_clusters must be a whole number from 1 to 6."
  }
}

variable "subnet_ids" {
  description = "Isolated subnets of the cache subnet group."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 1
    error_message = "The subnet_ids must name at least one subnet."
  }
}

variable "security_group_ids" {
  description = "Security groups of the nodes."
  type        = list(string)
}

variable "kms_key_arn" {
  description = "KMS key for encryption at rest."
  type        = string
}

variable "auth_token" {
  description = "Redis AUTH token (16-128 printable characters, no @, \", / or spaces); read from Secrets Manager by the caller."
  type        = string
  sensitive   = true

  validation {
    condition     = length(var.auth_token) >= 16 && length(var.auth_token) <= 128 && !can(regex("[@\"/ ]", var.auth_token))
    error_message = "The auth_token must be 16-128 printable characters without @, \", / or spaces."
  }
}

variable "snapshot_retention_days" {
  description = "Days of daily snapshots (0 = none, up to 35)."
  type        = number
  default     = 7

  validation {
    condition     = var.snapshot_retention_days >= 0 && var.snapshot_retention_days <= 35
    error_message = "The snapshot_retention_days must be from 0 to 35."
  }
}

variable "parameters" {
  description = "Parameter group settings by name (e.g. maxmemory-policy = allkeys-lru)."
  type        = map(string)
  default     = {}
}

variable "apply_immediately" {
  description = "Apply changes now rather than in the maintenance window (lab and throwaway environments)."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags for every resource (merged with the provider's default_tags)."
  type        = map(string)
  default     = {}
}
