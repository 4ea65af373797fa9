variable "name" {
  description = "Name of the launch template and the Auto Scaling group (e.g. chainops-prod-rpc)."
  type        = string
}

variable "instance_type" {
  description = "EC2 instance type with local NVMe instance storage (the ledger and accounts DB live there)."
  type        = string
  default     = "i7ie.2xlarge"

  validation {
    # Families whose every size has NVMe instance storage, and EC2's size names.
    condition     = can(regex("^(i3en|i4i|i4g|i7i|i7ie|i8g|i8ge|im4gn|is4gen|[cmr][5-8][a-z]*d[a-z]*)\\.(large|xlarge|[1-9][0-9]?xlarge|metal(-[1-9][0-9]?xl)?)$", var.instance_type))
    error_message = "The instance_type must be an instance-store NVMe type, <family>.<size>: family i3en, i4i, i4g, i7i, i7ie, i8g, i8ge, im4gn, is4gen or a c/m/r *d variant (c6id, m7gd...); size large, xlarge, <n>xlarge or metal."
  }
}

variable "ami" {
  description = "Image lookup: owner account IDs, a name pattern and the architecture; the most recent match is used."
  type = object({
    owners       = list(string)
    name         = string
    architecture = optional(string, "x86_64")
  })

  validation {
    condition     = length(var.ami.owners) > 0 && alltrue([for owner in var.ami.owners : can(regex("^(\\d{12}|self|amazon|aws-marketplace)$", owner))]) && length(var.ami.name) > 0
    error_message = "The ami.owners must be account IDs (12 digits) or self, amazon, aws-marketplace, and ami.name a name pattern such as debian-12-amd64-*."
  }

  validation {
    condition     = contains(["x86_64", "arm64"], var.ami.architecture)
    error_message = "The ami.architecture must be x86_64 or arm64."
  }
}

variable "subnet_ids" {
  description = "Subnets of the group; with a cluster placement group, one subnet (one zone)."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 1
    error_message = "The subnet_ids must name at least one subnet."
  }
}

variable "security_group_ids" {
  description = "Security groups of the instances."
  type        = list(string)
}

variable "instance_profile_name" {
  description = "Instance profile of the instances."
  type        = string
}

variable "placement_group_name" {
  description = "Placement group the instances launch into; null for none."
  type        = string
  default     = null
}

variable "root_volume" {
  description = "Encrypted gp3 root volume: size (GiB), KMS key (null: the account's default EBS key)."
  type = object({
    size_gib    = optional(number, 100)
    kms_key_arn = optional(string)
  })
  default = {}

  validation {
    condition     = var.root_volume.size_gib >= 8 && var.root_volume.size_gib <= 16384
    error_message = "The root_volume.size_gib must be from 8 to 16384."
  }
}

variable "capacity" {
  description = "Group size: min, max and the desired count at creation (afterwards the scaling policies own it)."
  type = object({
    min     = number
    max     = number
    desired = number
  })

  validation {
    condition     = alltrue([for n in values(var.capacity) : floor(n) == n]) && var.capacity.min >= 0 && var.capacity.min <= var.capacity.desired && var.capacity.desired <= var.capacity.max && var.capacity.max >= 1
    error_message = "The capacity must be whole numbers with 0 <= min <= desired <= max and max >= 1 (a group of at most 0 runs no node)."
  }
}

variable "scaling" {
  description = "Target tracking: average CPU percent per instance, and RPC requests per second per instance (custom metric rpc_metric)."
  type = object({
    cpu_target_percent       = optional(number, 60)
    requests_per_instance    = optional(number, 2000)
    disable_scale_in_for_rpc = optional(bool, false)
  })
  default = {}

  validation {
    condition     = var.scaling.cpu_target_percent > 0 && var.scaling.cpu_target_percent <= 100 && var.scaling.requests_per_instance > 0
    error_message = "The scaling.cpu_target_percent must be in (0, 100] and scaling.requests_per_instance above 0."
  }
}

variable "rpc_metric" {
  description = "The custom CloudWatch metric of RPC requests per second the nodes publish, with the group name as dimension."
  type = object({
    namespace   = optional(string, "Chainops/RPC")
    metric_name = optional(string, "RequestsPerSecond")
  })
  default = {}
}

variable "instance_tags" {
  description = "Tags of the instances (propagated at launch), e.g. chainops:role = rpc."
  type        = map(string)
  default     = {}
}

variable "user_data" {
  description = "Cloud-init user data (plain text; encoded here). Null for none."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags of the launch template and the group (merged with the provider's default_tags)."
  type        = map(string)
  default     = {}
}
