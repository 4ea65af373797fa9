variable "identifier" {
  description = "DB instance identifier; also names the subnet group, parameter group, replica (<identifier>-replica) and proxy."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,50}$", var.identifier)) && !endswith(var.identifier, "-")
    error_message = "The identifier must be 1-51 lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen."
  }
}

variable "engine_version" {
  description = "PostgreSQL version (major.minor, e.g. 16.8); the parameter group family follows the major."
  type        = string
  default     = "16.8"

  validation {
    condition     = can(regex("^1[4-9]\\.\\d+$", var.engine_version))
    error_message = "The engine_version must be PostgreSQL 14 or later as major.minor, e.g. 16.8."
  }
}

variable "instance_class" {
  description = "Instance class of the primary (db.*)."
  type        = string

  validation {
    condition     = startswith(var.instance_class, "db.")
    error_message = "The instance_class must be an RDS instance class (db.*), e.g. db.t4g.medium."
  }
}

variable "allocated_storage" {
  description = "Initial storage in GiB (gp3, 20-65536)."
  type        = number
  default     = 20

  validation {
    condition     = var.allocated_storage >= 20 && var.allocated_storage <= 65536
    error_message = "The allocated_storage must be from 20 to 65536 GiB."
  }
}

variable "max_allocated_storage" {
  description = "Storage autoscaling ceiling in GiB (>= allocated_storage)."
  type        = number
  default     = 100
}

variable "database_name" {
  description = "Name of the database created with the instance."
  type        = string
  default     = "app"

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,62}$", var.database_name))
    error_message = "The database_name must be 1-63 lowercase letters, digits and underscores, starting with a letter."
  }
}

variable "master_username" {
  description = "Master user; its password is generated and kept by RDS in Secrets Manager."
  type        = string
  default     = "postgres_admin"
}

variable "subnet_ids" {
  description = "Isolated subnets of the DB subnet group, in at least two zones."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2
    error_message = "The subnet_ids must name at least two subnets (a DB subnet group spans two zones)."
  }
}

variable "security_group_ids" {
  description = "Security groups of the instances."
  type        = list(string)
}

variable "kms_key_arn" {
  description = "KMS key for storage, Performance Insights and the master user secret."
  type        = string
}

variable "multi_az" {
  description = "Keep a synchronous standby in another zone."
  type        = bool
  default     = true
}

variable "backup_retention_days" {
  description = "Days of automated backups (0-35; 0 turns backups and read replicas off)."
  type        = number
  default     = 7

  validation {
    condition     = var.backup_retention_days >= 0 && var.backup_retention_days <= 35
    error_message = "The backup_retention_days must be from 0 to 35."
  }
}

variable "performance_insights_retention_days" {
  description = "Performance Insights retention: 7 (free) or a multiple of 31 up to 731."
  type        = number
  default     = 7

  validation {
    condition     = var.performance_insights_retention_days == 7 || (var.performance_insights_retention_days % 31 == 0 && var.performance_insights_retention_days <= 731)
    error_message = "The performance_insights_retention_days must be 7 or a multiple of 31 up to 731."
  }
}

variable "monitoring_interval" {
  description = "Enhanced Monitoring interval in seconds (0 = off, 1, 5, 10, 15, 30, 60); needs monitoring_role_arn."
  type        = number
  default     = 0

  validation {
    condition     = contains([0, 1, 5, 10, 15, 30, 60], var.monitoring_interval)
    error_message = "The monitoring_interval must be 0, 1, 5, 10, 15, 30 or 60."
  }
}

variable "monitoring_role_arn" {
  description = "Role RDS uses to publish Enhanced Monitoring (with monitoring_interval > 0)."
  type        = string
  default     = null
}

variable "parameters" {
  description = "Parameter group settings by name: value and apply_method (immediate or pending-reboot)."
  type = map(object({
    value        = string
    apply_method = optional(string, "immediate")
  }))
  default = {}

  validation {
    condition     = alltrue([for p in values(var.parameters) : contains(["immediate", "pending-reboot"], p.apply_method)])
    error_message = "Each parameters apply_method must be immediate or pending-reboot."
  }
}

variable "create_replica" {
  description = "Add a read replica (needs backup_retention_days >= 1)."
  type        = bool
  default     = false
}

variable "replica_instance_class" {
  description = "Instance class of the replica; null: the primary's."
  type        = string
  default     = null

  validation {
    condition     = var.replica_instance_class == null || startswith(coalesce(var.replica_instance_class, "db."), "db.")
    error_message = "The replica_instance_class must be an RDS instance class (db.*) or null."
  }
}

variable "create_proxy" {
  description = "Put an RDS Proxy in front of the primary (TLS and IAM authentication required)."
  type        = bool
  default     = true
}

variable "proxy_security_group_ids" {
  description = "Security groups of the proxy."
  type        = list(string)
  default     = []
}

variable "deletion_protection" {
  description = "Refuse to delete the instances; destroy also keeps a final snapshot."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Tags for every resource (merged with the provider's default_tags)."
  type        = map(string)
  default     = {}
}
