# Inputs every stack shares, and uses (the Ansible inventory sets them in
# chainops_terraform.stacks.<stack>). A stack's own inputs go in its variables.tf.

variable "region" {
  description = "AWS region of the stack."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-\\d$", var.region))
    error_message = "The region must be an AWS region name such as us-east-1."
  }
}

variable "environment" {
  description = "Environment the stack belongs to; equals the Terraform workspace."
  type        = string

  validation {
    condition     = contains(["dev", "staging", "prod", "lab"], var.environment)
    error_message = "The environment must be one of dev, staging, prod, lab."
  }
}

variable "name_prefix" {
  description = "Prefix of every resource name."
  type        = string
  default     = "chainops"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,15}$", var.name_prefix))
    error_message = "The name_prefix must be 2-16 lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "default_tags" {
  description = "Tags on every resource (the provider's default_tags); chainops:environment and chainops:stack are added."
  type        = map(string)
  default     = {}
}

variable "aws_provider" {
  description = "Provider settings that differ between AWS and the lab: max_retries (the lab: few, so a missing API fails fast), path-style S3, static dummy credentials (the lab only), and a role to assume for every call (plans as the CI/CD role)."
  type = object({
    max_retries       = optional(number, 25)
    s3_use_path_style = optional(bool, false)
    access_key        = optional(string)
    secret_key        = optional(string)
    assume_role_arn   = optional(string)
  })
  default   = {}
  sensitive = true

  validation {
    condition     = var.aws_provider.max_retries >= 0 && var.aws_provider.max_retries <= 25
    error_message = "The aws_provider.max_retries must be from 0 to 25."
  }

  validation {
    condition     = var.aws_provider.assume_role_arn == null || can(regex("^arn:aws[a-z-]*:iam::\\d{12}:role/", var.aws_provider.assume_role_arn))
    error_message = "The aws_provider.assume_role_arn must be an IAM role ARN (arn:aws:iam::<account>:role/<name>)."
  }
}
