variable "name" {
  description = "Name of the security group (e.g. chainops-prod-db)."
  type        = string
}

variable "description" {
  description = "What the group guards; AWS cannot change it without replacing the group."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the group."
  type        = string
}

variable "ingress_rules" {
  description = "Inbound rules. Each: description, protocol (tcp, udp, icmp, all), from_port/to_port, and its sources: cidr_blocks, security_group_ids and/or self."
  type = list(object({
    description        = string
    protocol           = string
    from_port          = optional(number, 0)
    to_port            = optional(number, 0)
    cidr_blocks        = optional(list(string), [])
    security_group_ids = optional(list(string), [])
    self               = optional(bool, false)
  }))
  default = []

  validation {
    condition     = alltrue([for r in var.ingress_rules : contains(["tcp", "udp", "icmp", "all"], r.protocol) && length(r.description) > 0 && (length(r.cidr_blocks) > 0 || length(r.security_group_ids) > 0 || r.self)])
    error_message = "Each ingress_rules entry needs a description, protocol tcp/udp/icmp/all and at least one source (cidr_blocks, security_group_ids or self)."
  }
}

variable "egress_rules" {
  description = "Outbound rules, same shape as ingress_rules (destinations instead of sources). Empty: no outbound traffic at all."
  type = list(object({
    description        = string
    protocol           = string
    from_port          = optional(number, 0)
    to_port            = optional(number, 0)
    cidr_blocks        = optional(list(string), [])
    security_group_ids = optional(list(string), [])
    self               = optional(bool, false)
  }))
  default = []

  validation {
    condition     = alltrue([for r in var.egress_rules : contains(["tcp", "udp", "icmp", "all"], r.protocol) && length(r.description) > 0 && (length(r.cidr_blocks) > 0 || length(r.security_group_ids) > 0 || r.self)])
    error_message = "Each egress_rules entry needs a description, protocol tcp/udp/icmp/all and at least one destination (cidr_blocks, security_group_ids or self)."
  }
}

variable "tags" {
  description = "Tags for the group (merged with the provider's default_tags)."
  type        = map(string)
  default     = {}
}
