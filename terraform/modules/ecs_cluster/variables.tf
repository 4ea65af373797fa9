variable "name" {
  description = "Cluster name."
  type        = string
}

variable "container_insights" {
  description = "Container Insights level: enabled, enhanced or disabled."
  type        = string
  default     = "enabled"

  validation {
    condition     = contains(["enabled", "enhanced", "disabled"], var.container_insights)
    error_message = "The container_insights must be enabled, enhanced or disabled."
  }
}

variable "fargate_spot_weight" {
  description = "Share of tasks on FARGATE_SPOT by default (0 = all on-demand FARGATE)."
  type        = number
  default     = 0

  validation {
    condition     = var.fargate_spot_weight >= 0 && var.fargate_spot_weight <= 1000
    error_message = "The fargate_spot_weight must be from 0 to 1000."
  }
}

variable "tags" {
  description = "Tags for the cluster (merged with the provider's default_tags)."
  type        = map(string)
  default     = {}
}
