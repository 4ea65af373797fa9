variable "force_destroy" {
  description = "Let destroy remove the data lake with its objects and the tables despite deletion protection (lab and throwaway environments only)."
  type        = bool
  default     = false
}

# --- RPC fleet -------------------------------------------------------------------------------

variable "rpc_instance_type" {
  description = "Instance type of the RPC nodes; must have NVMe instance storage (i7ie, i4i, i3en...)."
  type        = string
  default     = "i7ie.2xlarge"
}

variable "rpc_capacity" {
  description = "RPC fleet size: min, max, and desired at creation."
  type = object({
    min     = number
    max     = number
    desired = number
  })
  default = { min = 3, max = 6, desired = 3 }
}

variable "rpc_ami" {
  description = "RPC node image lookup: owners, name pattern, architecture (default: Debian 12 from Debian's account)."
  type = object({
    owners       = list(string)
    name         = string
    architecture = optional(string, "x86_64")
  })
  default = { owners = ["136693071363"], name = "debian-12-amd64-*" }
}

variable "rpc_availability_zone" {
  description = "Zone of the cluster placement group (all RPC nodes in one zone, lowest latency between them); one of the foundation's availability_zones."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-\\d[a-z]$", var.rpc_availability_zone))
    error_message = "The rpc_availability_zone must be a zone name of the region, such as us-east-1a."
  }
}

variable "rpc_subnet_tier" {
  description = "Subnet tier of the RPC nodes: public (they gossip with the cluster and need public IPs) or private."
  type        = string
  default     = "public"

  validation {
    condition     = contains(["public", "private"], var.rpc_subnet_tier)
    error_message = "The rpc_subnet_tier must be public or private."
  }
}

variable "rpc_root_volume_gib" {
  description = "Root volume size of the RPC nodes, GiB (the ledger is on the instance stores)."
  type        = number
  default     = 100
}

variable "rpc_scaling" {
  description = "Target tracking of the RPC fleet: CPU percent and RPC requests per second per instance."
  type = object({
    cpu_target_percent    = optional(number, 60)
    requests_per_instance = optional(number, 2000)
  })
  default = {}
}

variable "lab_host" {
  description = "Tag the RPC instances chainops:lab-host=true, so the lab materialises them as podman hosts (lab only)."
  type        = bool
  default     = false
}

# --- Listener hosts --------------------------------------------------------------------------

variable "listener_hosts" {
  description = "EC2 hosts running the listener and consumers as systemd units (the lab; tagged chainops:role=listener). Keep count 0 on AWS, where they run as ECS services."
  type = object({
    count           = optional(number, 0)
    instance_type   = optional(string, "m7i.large")
    root_volume_gib = optional(number, 20)
    # One-minute CloudWatch metrics; the lab AWS lacks MonitorInstances.
    detailed_monitoring = optional(bool, true)
  })
  default = {}

  validation {
    condition     = var.listener_hosts.count >= 0 && var.listener_hosts.count <= 4 && floor(var.listener_hosts.count) == var.listener_hosts.count
    error_message = "listener_hosts.count must be a whole number from 0 to 4 (one listener per host; more only for failover drills)."
  }

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]*[0-9][a-z0-9-]*\\.[a-z0-9]+$", var.listener_hosts.instance_type))
    error_message = "listener_hosts.instance_type must be an EC2 instance type such as m7i.large."
  }

  validation {
    condition     = var.listener_hosts.root_volume_gib >= 8 && var.listener_hosts.root_volume_gib <= 1024
    error_message = "listener_hosts.root_volume_gib must be 8 to 1024 GiB (the release and logs need little)."
  }
}

variable "pipeline_services" {
  description = "The listener and the consumers as ECS Fargate services from the pipeline image (containers/pipeline), pushed to this stack's pipeline repository with image_tag: how AWS runs the pipeline. Task counts of 0 keep the definitions without tasks (the lab, which runs the pipeline on listener hosts). null: none."
  type = object({
    image_tag = string
    listener = optional(object({
      count  = optional(number, 1)
      cpu    = optional(number, 512)
      memory = optional(number, 1024)
    }), {})
    consumer = optional(object({
      count  = optional(number, 2)
      cpu    = optional(number, 512)
      memory = optional(number, 1024)
    }), {})
    log_retention_days = optional(number, 30)
  })
  default = null

  validation {
    condition     = var.pipeline_services == null || can(regex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", var.pipeline_services.image_tag))
    error_message = "pipeline_services.image_tag must be an image tag (letters, digits, _ . -, up to 128)."
  }

  validation {
    # One listener per checkpoint key: a second would publish every event twice.
    condition     = var.pipeline_services == null || contains([0, 1], try(var.pipeline_services.listener.count, -1))
    error_message = "pipeline_services.listener.count must be 0 or 1 (one listener per checkpoint; failover is the RPC load balancer's)."
  }

  validation {
    condition     = var.pipeline_services == null || try(var.pipeline_services.consumer.count >= 0 && var.pipeline_services.consumer.count <= 16 && floor(var.pipeline_services.consumer.count) == var.pipeline_services.consumer.count, false)
    error_message = "pipeline_services.consumer.count must be a whole number from 0 to 16 (consumers share the shards through leases)."
  }
}

# --- Event pipeline --------------------------------------------------------------------------

variable "stream_mode" {
  description = "Kinesis capacity mode: ON_DEMAND or PROVISIONED (then stream_shard_count applies)."
  type        = string
  default     = "ON_DEMAND"

  validation {
    condition     = contains(["ON_DEMAND", "PROVISIONED"], var.stream_mode)
    error_message = "The stream_mode must be ON_DEMAND or PROVISIONED."
  }
}

variable "stream_shard_count" {
  description = "Shards of the event stream when PROVISIONED (each 1 MB/s or 1000 records/s in)."
  type        = number
  default     = 2

  validation {
    condition     = var.stream_shard_count >= 1 && var.stream_shard_count <= 500 && floor(var.stream_shard_count) == var.stream_shard_count
    error_message = "The stream_shard_count must be a whole number from 1 to 500."
  }
}

variable "stream_retention_hours" {
  description = "Hours events stay in the stream (replay window after a consumer outage)."
  type        = number
  default     = 48
}

variable "data_lake_transitions" {
  description = "Storage tiers of the data lake's raw events: days after creation for each class."
  type = object({
    standard_ia_days  = optional(number, 30)
    glacier_ir_days   = optional(number, 90)
    deep_archive_days = optional(number, 365)
  })
  default = {}
}

# --- Alarms ----------------------------------------------------------------------------------

variable "sla" {
  description = "SLA thresholds the alarms fire on: RPC p99 latency (ms), block processing lag (slots behind the cluster tip), event backlog (age of the oldest unread record, s)."
  type = object({
    rpc_latency_p99_ms    = optional(number, 250)
    block_lag_slots       = optional(number, 150)
    event_backlog_seconds = optional(number, 60)
  })
  default = {}

  validation {
    condition     = var.sla.rpc_latency_p99_ms > 0 && var.sla.block_lag_slots > 0 && var.sla.event_backlog_seconds > 0
    error_message = "Every sla threshold must be above 0."
  }
}

variable "alarm_emails" {
  description = "E-mail addresses subscribed to the alarm topic."
  type        = list(string)
  default     = []
}
