variable "name" {
  description = "Role name (1-64 characters: letters, digits, +=,.@_-)."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9+=,.@_-]{1,64}$", var.name))
    error_message = "The name must be 1-64 characters of letters, digits and +=,.@_-."
  }
}

variable "description" {
  description = "What the role is for."
  type        = string
}

variable "assume_role_policy" {
  description = "Trust policy (JSON, e.g. from aws_iam_policy_document): who may assume the role, and on which conditions."
  type        = string
}

variable "max_session_duration" {
  description = "Longest session, in seconds (3600-43200)."
  type        = number
  default     = 3600

  validation {
    condition     = var.max_session_duration >= 3600 && var.max_session_duration <= 43200
    error_message = "The max_session_duration must be from 3600 to 43200 seconds."
  }
}

variable "inline_policies" {
  description = "Inline policies by name (JSON documents): the role's own least-privilege permissions."
  type        = map(string)
  default     = {}
}

variable "managed_policy_arns" {
  description = "Managed policies to attach, by a stable key (so reordering never detaches anything)."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for arn in values(var.managed_policy_arns) : can(regex("^arn:aws[a-z-]*:iam::(aws|\\d{12}):policy/", arn))])
    error_message = "Each managed_policy_arns value must be an IAM policy ARN (arn:aws:iam::aws:policy/... or arn:aws:iam::<account>:policy/...)."
  }
}

variable "create_instance_profile" {
  description = "Also create an instance profile of the same name, for EC2."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags for the role (merged with the provider's default_tags)."
  type        = map(string)
  default     = {}
}
