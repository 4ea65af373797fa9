variable "name" {
  description = "Name prefix of the endpoints' Name tags."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the endpoints."
  type        = string
}

variable "gateway_services" {
  description = "Services reached through free gateway endpoints (route table entries): s3, dynamodb."
  type        = set(string)
  default     = ["s3", "dynamodb"]

  validation {
    condition     = alltrue([for s in var.gateway_services : contains(["s3", "dynamodb"], s)])
    error_message = "The gateway_services may only contain s3 and dynamodb (the only gateway endpoint services)."
  }
}

variable "route_table_ids" {
  description = "Route tables the gateway endpoints add their prefix-list routes to."
  type        = list(string)
  default     = []
}

variable "interface_services" {
  description = "Services reached through interface endpoints (ENIs with private DNS), by the suffix of com.amazonaws.<region>.<service>, e.g. ecr.api, ssm, kinesis-streams."
  type        = set(string)
  default     = []

  validation {
    condition     = alltrue([for s in var.interface_services : can(regex("^[a-z0-9][a-z0-9.-]+$", s))])
    error_message = "Each interface_services entry must be a service suffix such as ecr.api or kinesis-streams."
  }
}

variable "subnet_ids" {
  description = "Subnets (one per zone) the interface endpoints' ENIs go into."
  type        = list(string)
  default     = []
}

variable "security_group_ids" {
  description = "Security groups of the interface endpoints (allow HTTPS from the VPC)."
  type        = list(string)
  default     = []
}

variable "tags" {
  description = "Tags for every endpoint (merged with the provider's default_tags)."
  type        = map(string)
  default     = {}
}
