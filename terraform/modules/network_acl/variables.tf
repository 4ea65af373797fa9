variable "name" {
  description = "Name tag of the network ACL (e.g. chainops-prod-private)."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the ACL."
  type        = string
}

variable "subnet_ids" {
  description = "Subnets the ACL guards (each subnet has exactly one ACL)."
  type        = list(string)
}

variable "ingress_rules" {
  description = "Inbound rules, evaluated by ascending rule_no; everything unmatched is denied. protocol: tcp, udp, icmp or all."
  type = list(object({
    rule_no    = number
    action     = optional(string, "allow")
    protocol   = string
    cidr_block = string
    from_port  = optional(number, 0)
    to_port    = optional(number, 0)
  }))

  validation {
    condition     = alltrue([for r in var.ingress_rules : contains(["tcp", "udp", "icmp", "all"], r.protocol) && contains(["allow", "deny"], r.action) && r.rule_no >= 1 && r.rule_no <= 32766 && can(cidrhost(r.cidr_block, 0))])
    error_message = "Each ingress_rules entry needs protocol tcp/udp/icmp/all, action allow/deny, rule_no 1-32766 and an IPv4 cidr_block."
  }

  validation {
    condition     = length(distinct([for r in var.ingress_rules : r.rule_no])) == length(var.ingress_rules)
    error_message = "The ingress_rules rule_no values must be unique."
  }
}

variable "egress_rules" {
  description = "Outbound rules, same shape as ingress_rules."
  type = list(object({
    rule_no    = number
    action     = optional(string, "allow")
    protocol   = string
    cidr_block = string
    from_port  = optional(number, 0)
    to_port    = optional(number, 0)
  }))

  validation {
    condition     = alltrue([for r in var.egress_rules : contains(["tcp", "udp", "icmp", "all"], r.protocol) && contains(["allow", "deny"], r.action) && r.rule_no >= 1 && r.rule_no <= 32766 && can(cidrhost(r.cidr_block, 0))])
    error_message = "Each egress_rules entry needs protocol tcp/udp/icmp/all, action allow/deny, rule_no 1-32766 and an IPv4 cidr_block."
  }

  validation {
    condition     = length(distinct([for r in var.egress_rules : r.rule_no])) == length(var.egress_rules)
    error_message = "The egress_rules rule_no values must be unique."
  }
}

variable "tags" {
  description = "Tags for the ACL (merged with the provider's default_tags)."
  type        = map(string)
  default     = {}
}
