variable "name" {
  description = "Service name; also the task definition family and the container name."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z][a-zA-Z0-9_-]{0,254}$", var.name))
    error_message = "The name must start with a letter and hold up to 255 letters, digits, hyphens and underscores."
  }
}

variable "cluster_name" {
  description = "ECS cluster the service runs in."
  type        = string
}

variable "image" {
  description = "Container image (repository URL and tag or digest)."
  type        = string
}

variable "command" {
  description = "Arguments after the image's entrypoint (its CMD); null keeps the image's."
  type        = list(string)
  default     = null
}

variable "cpu" {
  description = "Task CPU units: 256, 512, 1024, 2048, 4096, 8192 or 16384."
  type        = number
  default     = 256

  validation {
    condition     = contains([256, 512, 1024, 2048, 4096, 8192, 16384], var.cpu)
    error_message = "The cpu must be a Fargate size: 256, 512, 1024, 2048, 4096, 8192 or 16384."
  }
}

variable "memory" {
  description = "Task memory in MiB (Fargate pairs it with cpu: 512-122880)."
  type        = number
  default     = 512

  validation {
    condition     = var.memory >= 512 && var.memory <= 122880
    error_message = "The memory must be from 512 to 122880 MiB."
  }
}

variable "container_port" {
  description = "Port the container listens on; null for a worker with no inbound traffic."
  type        = number
  default     = null

  validation {
    condition     = var.container_port == null || try(var.container_port >= 1024 && var.container_port <= 65535, false)
    error_message = "The container_port must be an unprivileged port, 1024-65535, or null."
  }
}

variable "environment" {
  description = "Plain environment variables of the container (no secrets)."
  type        = map(string)
  default     = {}
}

variable "secrets" {
  description = "Environment variables filled by ECS from Secrets Manager (name => secret ARN, optionally ARN:json-key::)."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for arn in values(var.secrets) : can(regex("^arn:aws[a-z-]*:secretsmanager:", arn))])
    error_message = "Each secrets value must be a Secrets Manager ARN."
  }
}

variable "log_group_name" {
  description = "CloudWatch Logs group of the container's output."
  type        = string
}

variable "region" {
  description = "Region of the log group (the awslogs driver needs it)."
  type        = string
}

variable "execution_role_arn" {
  description = "Role ECS uses to pull the image, write logs and read the secrets."
  type        = string
}

variable "task_role_arn" {
  description = "Role the application code runs as."
  type        = string
}

variable "subnet_ids" {
  description = "Subnets of the tasks (awsvpc; private subnets, no public IPs)."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) > 0
    error_message = "The subnet_ids must name at least one subnet."
  }
}

variable "security_group_ids" {
  description = "Security groups of the tasks' network interfaces."
  type        = list(string)
}

variable "target_group_arn" {
  description = "Load balancer target group the tasks register in (requires container_port); null: none."
  type        = string
  default     = null
}

variable "capacity" {
  description = "Task counts: desired at creation (autoscaling owns it afterwards), min and max for the scaling target."
  type = object({
    desired = number
    min     = number
    max     = number
  })
  default = { desired = 1, min = 1, max = 2 }

  validation {
    condition     = var.capacity.min >= 0 && var.capacity.min <= var.capacity.desired && var.capacity.desired <= var.capacity.max && var.capacity.max >= 1
    error_message = "The capacity must satisfy 0 <= min <= desired <= max, with max >= 1."
  }
}

variable "cpu_target_percent" {
  description = "Average CPU utilisation the target-tracking policy keeps the service at."
  type        = number
  default     = 60

  validation {
    condition     = var.cpu_target_percent >= 10 && var.cpu_target_percent <= 90
    error_message = "The cpu_target_percent must be from 10 to 90."
  }
}

variable "requests_per_target" {
  description = "ALB requests per target the request-count policy keeps; null: no such policy. Needs request_count_resource_label."
  type        = number
  default     = null

  validation {
    condition     = var.requests_per_target == null || try(var.requests_per_target > 0, false)
    error_message = "The requests_per_target must be positive, or null."
  }
}

variable "request_count_resource_label" {
  description = "<load balancer arn suffix>/<target group arn suffix> of ALBRequestCountPerTarget."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags for the task definition and service (merged with the provider's default_tags)."
  type        = map(string)
  default     = {}
}
