variable "force_destroy" {
  description = "Let destroy delete repositories with images and secrets at once (lab and throwaway environments only)."
  type        = bool
  default     = false
}

variable "services" {
  description = "Application services by name: each gets an ECR repository and a log group (task definitions, services and the ALB follow in a later change)."
  type = map(object({
    log_retention_days = optional(number, 90)
  }))
  default = {
    trading-api           = {}
    market-data-processor = {}
  }

  validation {
    condition     = alltrue([for name in keys(var.services) : can(regex("^[a-z][a-z0-9-]{1,30}$", name))])
    error_message = "Each services key must be 2-31 lowercase letters, digits and hyphens, starting with a letter."
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
