variable "name" {
  description = "Name prefix of the VPC and everything in it (e.g. chainops-prod)."
  type        = string
}

variable "cidr_block" {
  description = "IPv4 CIDR of the VPC, /16 to /24."
  type        = string

  validation {
    condition     = can(cidrhost(var.cidr_block, 0)) && cidrhost(var.cidr_block, 0) == split("/", var.cidr_block)[0] && tonumber(split("/", var.cidr_block)[1]) >= 16 && tonumber(split("/", var.cidr_block)[1]) <= 24
    error_message = "The cidr_block must be a network address in CIDR notation with a prefix from /16 to /24 (e.g. 10.40.0.0/16)."
  }
}

variable "availability_zones" {
  description = "Two or three distinct Availability Zones; one subnet of each tier goes into each."
  type        = list(string)

  validation {
    condition     = length(var.availability_zones) >= 2 && length(var.availability_zones) <= 3 && length(distinct(var.availability_zones)) == length(var.availability_zones)
    error_message = "The availability_zones must list 2 or 3 distinct zones: one zone gives no redundancy."
  }

  validation {
    condition     = alltrue([for zone in var.availability_zones : can(regex("^[a-z]{2}(-gov)?-[a-z]+-\\d[a-z]$", zone))])
    error_message = "Each availability_zones entry must be a zone name of the region, such as us-east-1a (Local and Wavelength Zones are not supported)."
  }
}

variable "subnet_cidrs" {
  description = "Subnet CIDRs per tier, one per Availability Zone in the same order: public (load balancers, NAT, RPC gossip), private (workloads, via NAT), isolated (databases, no internet route)."
  type = object({
    public   = list(string)
    private  = list(string)
    isolated = list(string)
  })

  validation {
    condition = alltrue([for c in flatten(values(var.subnet_cidrs)) :
      can(cidrhost(c, 0)) && tonumber(try(split("/", c)[1], 0)) >= 16 && tonumber(try(split("/", c)[1], 0)) <= 28
    ])
    error_message = "Each subnet_cidrs entry must be an IPv4 CIDR from /16 to /28 (AWS's smallest subnet is /28)."
  }

  validation {
    # Two CIDRs overlap when either one's network address, masked to the other's prefix,
    # is the other's network address.
    condition = length(flatten([
      for i, a in flatten(values(var.subnet_cidrs)) : [
        for j, b in flatten(values(var.subnet_cidrs)) : "${a} ${b}"
        if i < j && can(cidrhost(a, 0)) && can(cidrhost(b, 0)) && (
          cidrhost("${cidrhost(b, 0)}/${split("/", a)[1]}", 0) == cidrhost(a, 0) ||
          cidrhost("${cidrhost(a, 0)}/${split("/", b)[1]}", 0) == cidrhost(b, 0)
        )
      ]
    ])) == 0
    error_message = "The subnet_cidrs must not overlap one another."
  }
}

variable "nat_gateway_mode" {
  description = "per_az: one NAT gateway per zone (a zone outage leaves the others online; costs one gateway per zone); single: one shared gateway (cheaper, cross-zone traffic, one point of failure); none: private subnets get no internet route."
  type        = string
  default     = "per_az"

  validation {
    condition     = contains(["per_az", "single", "none"], var.nat_gateway_mode)
    error_message = "The nat_gateway_mode must be per_az, single or none."
  }
}

variable "map_public_ip_on_launch" {
  description = "Give instances launched into the public subnets a public IPv4 address (needed by hosts that must be reachable, e.g. Solana gossip)."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags for every resource of the module (merged with the provider's default_tags)."
  type        = map(string)
  default     = {}
}
