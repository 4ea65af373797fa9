# The VPC's rules (CIDR sizes, zone names and count, subnets per zone, overlaps) are the vpc
# module's validations; a plan that breaks one shows this stack's variable at the module call.
variable "vpc_cidr" {
  description = "IPv4 CIDR of the VPC, /16 to /24."
  type        = string
}

variable "availability_zones" {
  description = "Two or three distinct Availability Zones of the region."
  type        = list(string)
}

variable "subnet_cidrs" {
  description = "Subnet CIDRs per tier (public, private, isolated), one per zone in availability_zones order, inside vpc_cidr, /16 to /28, not overlapping."
  type = object({
    public   = list(string)
    private  = list(string)
    isolated = list(string)
  })
}

variable "nat_gateway_mode" {
  description = "per_az (one NAT gateway per zone: survives a zone outage, costs one gateway-hour per zone) or single (one shared gateway: cheapest, one point of failure, cross-zone data charges)."
  type        = string
  default     = "per_az"

  validation {
    condition     = contains(["per_az", "single"], var.nat_gateway_mode)
    error_message = "The nat_gateway_mode must be per_az or single."
  }
}

variable "flow_log_retention_days" {
  description = "Days VPC flow logs are kept in CloudWatch Logs."
  type        = number
  default     = 365
}

variable "interface_endpoint_services" {
  description = "AWS services reached through interface endpoints instead of the NAT gateways."
  type        = set(string)
  default     = ["ecr.api", "ecr.dkr", "secretsmanager", "ssm", "logs", "kinesis-streams"]
}

variable "alb_ingress_cidrs" {
  description = "Who may reach the load balancers on HTTPS. No default: each environment states it, so the internet is never let in by omission."
  type        = list(string)

  validation {
    condition     = alltrue([for cidr in var.alb_ingress_cidrs : can(cidrhost(cidr, 0)) && can(regex("^[0-9.]+/[0-9]+$", cidr))])
    error_message = "Each alb_ingress_cidrs entry must be an IPv4 CIDR such as 203.0.113.0/24 (0.0.0.0/0: anyone)."
  }
}

variable "rpc_gossip_ingress_cidrs" {
  description = "Who may reach the RPC nodes' Solana gossip, TPU and repair ports (8000-8020 TCP/UDP); the cluster's peers are anywhere."
  type        = list(string)
  default     = ["0.0.0.0/0"]

  validation {
    condition     = alltrue([for cidr in var.rpc_gossip_ingress_cidrs : can(cidrhost(cidr, 0)) && can(regex("^[0-9.]+/[0-9]+$", cidr))])
    error_message = "Each rpc_gossip_ingress_cidrs entry must be an IPv4 CIDR such as 203.0.113.0/24 (0.0.0.0/0: anyone)."
  }
}

variable "app_port" {
  description = "Port the application containers listen on behind the load balancer."
  type        = number
  default     = 8080

  validation {
    condition     = var.app_port >= 1024 && var.app_port <= 65535
    error_message = "The app_port must be an unprivileged port, 1024-65535."
  }
}

variable "github_oidc_subjects" {
  description = "GitHub Actions OIDC subjects allowed to assume the CI/CD role, e.g. repo:acme/chainops:ref:refs/heads/main or repo:acme/chainops:environment:prod."
  type        = list(string)

  validation {
    condition     = length(var.github_oidc_subjects) > 0 && alltrue([for s in var.github_oidc_subjects : can(regex("^repo:[^/*]+/[^:*]+:.+$", s))])
    error_message = "The github_oidc_subjects must be repo:<owner>/<repo>:<ref|environment|pull_request...> subjects, with no wildcard in owner or repository."
  }
}

variable "break_glass_principal_arns" {
  description = "IAM principals allowed to assume the break-glass admin role (with MFA); empty: any principal of this account that its own IAM policy allows."
  type        = list(string)
  default     = []
}

variable "break_glass_max_session_duration" {
  description = "Longest break-glass session, in seconds (1-12 hours); keep it short."
  type        = number
  default     = 3600
}

variable "ssm_transfer_bucket" {
  description = "Bucket the SSM connection (amazon.aws.aws_ssm) moves files through, globally unique; the AWS inventories read the same value as ansible_aws_ssm_bucket_name. Null: no bucket."
  type        = string
  default     = null

  validation {
    condition     = var.ssm_transfer_bucket == null || can(regex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$", var.ssm_transfer_bucket))
    error_message = "The ssm_transfer_bucket must be 3-63 lowercase letters, digits and hyphens (a bucket name), or null."
  }
}
