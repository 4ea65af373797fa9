variable "name" {
  description = "Load balancer name (up to 32 letters, digits and hyphens); target groups are <name>-blue and <name>-green."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9][a-zA-Z0-9-]{0,25}$", var.name))
    error_message = "The name must be 1-26 letters, digits and hyphens (target group names add -green)."
  }
}

variable "vpc_id" {
  description = "VPC of the target groups."
  type        = string
}

variable "subnet_ids" {
  description = "Public subnets of the load balancer, in at least two zones."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2
    error_message = "The subnet_ids must name at least two subnets (an ALB spans two zones or more)."
  }
}

variable "security_group_ids" {
  description = "Security groups of the load balancer."
  type        = list(string)
}

variable "certificate_arn" {
  description = "ACM certificate of the HTTPS listener."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:acm:[a-z0-9-]+:\\d{12}:certificate/", var.certificate_arn))
    error_message = "The certificate_arn must be an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)."
  }
}

variable "ssl_policy" {
  description = "TLS policy of the HTTPS listener."
  type        = string
  default     = "ELBSecurityPolicy-TLS13-1-2-2021-06"

  validation {
    condition     = startswith(var.ssl_policy, "ELBSecurityPolicy-TLS13-")
    error_message = "The ssl_policy must be a TLS 1.3 policy (ELBSecurityPolicy-TLS13-*)."
  }
}

variable "target_port" {
  description = "Port the targets (tasks) listen on."
  type        = number

  validation {
    condition     = var.target_port >= 1 && var.target_port <= 65535
    error_message = "The target_port must be from 1 to 65535."
  }
}

variable "health_check_path" {
  description = "HTTP path the target groups probe; a 200 means healthy."
  type        = string
  default     = "/health"

  validation {
    condition     = startswith(var.health_check_path, "/")
    error_message = "The health_check_path must start with /."
  }
}

variable "active_color" {
  description = "Target group the HTTPS listener sends all traffic to (blue or green); the other gets weight 0, ready for the next release."
  type        = string
  default     = "blue"

  validation {
    condition     = contains(["blue", "green"], var.active_color)
    error_message = "The active_color must be blue or green."
  }
}

variable "idle_timeout" {
  description = "Seconds a connection may idle (1-4000)."
  type        = number
  default     = 60

  validation {
    condition     = var.idle_timeout >= 1 && var.idle_timeout <= 4000
    error_message = "The idle_timeout must be from 1 to 4000 seconds."
  }
}

variable "deregistration_delay" {
  description = "Seconds a deregistering target keeps serving in-flight requests (0-3600)."
  type        = number
  default     = 30

  validation {
    condition     = var.deregistration_delay >= 0 && var.deregistration_delay <= 3600
    error_message = "The deregistration_delay must be from 0 to 3600 seconds."
  }
}

variable "create_access_logs_bucket" {
  description = "Create a bucket <name>-alb-logs-<account> (SSE-S3: the only encryption ALB log delivery supports) and send access logs to it."
  type        = bool
  default     = true
}

variable "access_logs_retention_days" {
  description = "Days access logs are kept in the bucket."
  type        = number
  default     = 90

  validation {
    condition     = var.access_logs_retention_days >= 1
    error_message = "The access_logs_retention_days must be at least 1."
  }
}

variable "deletion_protection" {
  description = "Refuse to delete the load balancer, and keep the log bucket while it holds logs (off for the lab and throwaway environments)."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Tags for the load balancer, listeners and target groups (merged with the provider's default_tags)."
  type        = map(string)
  default     = {}
}
