variable "force_destroy" {
  description = "Let destroy delete repositories with images, secrets at once and databases without deletion protection or final snapshot (lab and throwaway environments only)."
  type        = bool
  default     = false
}

variable "services" {
  description = <<-EOT
    Application services by name: each gets an ECR repository, a log group, a Fargate task
    definition and service with CPU target tracking. public = true puts it behind the ALB on
    app_port, scaling on requests per target too. image_tag: the tag deployed (immutable tags).
  EOT
  type = map(object({
    log_retention_days  = optional(number, 90)
    image_tag           = optional(string, "bootstrap")
    cpu                 = optional(number, 256)
    memory              = optional(number, 512)
    public              = optional(bool, false)
    capacity            = optional(object({ desired = number, min = number, max = number }), { desired = 1, min = 1, max = 2 })
    cpu_target_percent  = optional(number, 60)
    requests_per_target = optional(number, 1000)
  }))
  default = {
    trading-api           = { public = true }
    market-data-processor = {}
  }

  validation {
    condition     = alltrue([for name in keys(var.services) : can(regex("^[a-z][a-z0-9-]{1,30}$", name))])
    error_message = "Each services key must be 2-31 lowercase letters, digits and hyphens, starting with a letter."
  }

  validation {
    condition     = alltrue([for s in values(var.services) : s.capacity.min >= 0 && s.capacity.min <= s.capacity.desired && s.capacity.desired <= s.capacity.max && s.capacity.max >= 1])
    error_message = "Each services capacity must satisfy 0 <= min <= desired <= max, with max >= 1."
  }

  validation {
    condition     = length([for s in values(var.services) : s if s.public]) <= 1
    error_message = "At most one of the services may be public (the ALB fronts one service)."
  }
}

variable "app_port" {
  description = "Port the public service listens on; equals the foundation's app_port (its security groups open it)."
  type        = number
  default     = 8080

  validation {
    condition     = var.app_port >= 1024 && var.app_port <= 65535
    error_message = "The app_port must be an unprivileged port, 1024-65535."
  }
}

variable "container_insights" {
  description = "Container Insights level of the ECS cluster: enabled, enhanced or disabled."
  type        = string
  default     = "enabled"
}

variable "keep_tagged_images" {
  description = "Images kept per repository (rollback depth)."
  type        = number
  default     = 30
}

variable "certificate_arn" {
  description = "ACM certificate of the ALB's HTTPS listener (issued or imported outside Terraform; the lab imports a self-signed one)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:acm:[a-z0-9-]+:\\d{12}:certificate/", var.certificate_arn))
    error_message = "The certificate_arn must be an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)."
  }

  # The AWS inventories ship a placeholder in account 000000000000 until an operator sets the
  # account's own certificate: refused here, naming the input, not by AWS at apply time.
  validation {
    condition     = !can(regex(":000000000000:", var.certificate_arn))
    error_message = "The certificate_arn is the inventory's placeholder (account 000000000000): set the ARN of the account's ACM certificate for this environment."
  }
}

variable "active_color" {
  description = "Target group (blue or green) the ALB sends traffic to and the public service registers in."
  type        = string
  default     = "blue"

  validation {
    condition     = contains(["blue", "green"], var.active_color)
    error_message = "The active_color must be blue or green."
  }
}

variable "load_balancer" {
  description = "ALB settings: health_check_path of the public service, idle_timeout (s), access_logs (to a bucket of its own, SSE-S3) and their retention in days."
  type = object({
    health_check_path          = optional(string, "/health")
    idle_timeout               = optional(number, 60)
    access_logs                = optional(bool, true)
    access_logs_retention_days = optional(number, 90)
  })
  default = {}
}

variable "database" {
  description = <<-EOT
    PostgreSQL: engine_version, instance_class (db.*), allocated/max_allocated storage (GiB),
    multi_az, backup_retention_days (>= 1 in prod), create_replica (+ replica_instance_class),
    performance_insights_retention_days, proxy (RDS Proxy), parameters (name => value).
  EOT
  type = object({
    engine_version                      = optional(string, "16.8")
    instance_class                      = string
    allocated_storage                   = optional(number, 20)
    max_allocated_storage               = optional(number, 100)
    multi_az                            = optional(bool, true)
    backup_retention_days               = optional(number, 7)
    create_replica                      = optional(bool, false)
    replica_instance_class              = optional(string)
    performance_insights_retention_days = optional(number, 7)
    proxy                               = optional(bool, true)
    parameters                          = optional(map(string), {})
  })

  validation {
    # The families RDS for PostgreSQL runs and RDS's size names, for the primary and the
    # replica: a typo fails the plan here instead of the apply after the network is built.
    condition = alltrue([for class in compact([var.database.instance_class, var.database.replica_instance_class]) :
      can(regex("^db\\.(t3|t4g|m5d?|m6(g|gd|i|id|idn|in)|m7(g|gd|i)|m8(g|gd)|r5[bd]?|r6(g|gd|i|id|idn|in)|r7(g|gd|i)|r8(g|gd)|x2(g|idn|iedn|iezn))\\.(micro|small|medium|large|xlarge|[1-9][0-9]?xlarge)$", class))
    ])
    error_message = "The database.instance_class and database.replica_instance_class must be RDS instance classes (db.*) for PostgreSQL, db.<family>.<size>: family t3, t4g, m5, m5d, m6g, m6gd, m6i, m6id, m6idn, m6in, m7g, m7gd, m7i, m8g, m8gd, r5, r5b, r5d, r6g, r6gd, r6i, r6id, r6idn, r6in, r7g, r7gd, r7i, r8g, r8gd, x2g, x2idn, x2iedn or x2iezn; size micro, small, medium, large, xlarge or <n>xlarge (e.g. db.t4g.medium)."
  }

  validation {
    condition     = var.database.backup_retention_days >= 0 && var.database.backup_retention_days <= 35
    error_message = "The database.backup_retention_days must be from 0 to 35."
  }
}

variable "cache" {
  description = "Redis: engine_version, node_type (cache.*), num_cache_clusters (2+ for failover), snapshot_retention_days, parameters (name => value)."
  type = object({
    engine_version          = optional(string, "7.1")
    node_type               = string
    num_cache_clusters      = optional(number, 2)
    snapshot_retention_days = optional(number, 7)
    parameters              = optional(map(string), {})
  })

  validation {
    # The families ElastiCache for Redis runs and their size names.
    condition     = can(regex("^cache\\.(t3|t4g|m5|m6g|m7g|r5|r6g|r6gd|r7g|c7gn)\\.(micro|small|medium|large|xlarge|[1-9][0-9]?xlarge)$", var.cache.node_type))
    error_message = "The cache.node_type must be an ElastiCache node type (cache.*), cache.<family>.<size>: family t3, t4g, m5, m6g, m7g, r5, r6g, r6gd, r7g or c7gn; size micro, small, medium, large, xlarge or <n>xlarge (e.g. cache.t4g.small)."
  }
}

variable "alarm_thresholds" {
  description = "Alarm thresholds: alb_5xx (count/min), target_response_seconds (p99), ecs_cpu_percent, rds_cpu_percent, rds_free_storage_gib, replica_lag_seconds, redis_cpu_percent, redis_evictions (count/min)."
  type = object({
    alb_5xx                 = optional(number, 10)
    target_response_seconds = optional(number, 1)
    ecs_cpu_percent         = optional(number, 85)
    rds_cpu_percent         = optional(number, 80)
    rds_free_storage_gib    = optional(number, 5)
    replica_lag_seconds     = optional(number, 30)
    redis_cpu_percent       = optional(number, 75)
    redis_evictions         = optional(number, 100)
  })
  default = {}

  # A threshold of 0 or less alarms all the time (or never, for free storage); a percentage
  # above 100 never alarms.
  validation {
    condition = alltrue([for name, value in var.alarm_thresholds :
      value > 0 && (!endswith(name, "_percent") || value <= 100)
    ])
    error_message = "Every alarm_thresholds value must be above 0, and the *_percent ones at most 100."
  }
}
