variable "name" {
  description = "Bucket name, globally unique (3-63 lowercase letters, digits, dots and hyphens)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.name)) && !can(regex("\\.\\.|^\\d+\\.\\d+\\.\\d+\\.\\d+$", var.name))
    error_message = "The name must be 3-63 lowercase letters, digits, dots and hyphens, start and end with a letter or digit, and not look like an IP address."
  }
}

variable "kms_key_arn" {
  description = "ARN of the KMS key that encrypts every object (SSE-KMS with an S3 bucket key)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "The kms_key_arn must be a KMS key ARN (arn:aws:kms:...)."
  }
}

variable "force_destroy" {
  description = "Allow destroy to delete a bucket that still holds objects (for the lab and throwaway environments only)."
  type        = bool
  default     = false
}

variable "enable_versioning" {
  description = "Keep every version of every object (state buckets and data lakes want this)."
  type        = bool
  default     = true
}

variable "lifecycle_rules" {
  description = <<-EOT
    Lifecycle rules by id (stable keys). Each: prefix (null = whole bucket), transitions
    (days after creation -> storage class), expiration_days, noncurrent_expiration_days.
    Incomplete multipart uploads are always aborted after abort_incomplete_upload_days.
  EOT
  type = map(object({
    prefix                     = optional(string)
    transitions                = optional(list(object({ days = number, storage_class = string })), [])
    expiration_days            = optional(number)
    noncurrent_expiration_days = optional(number)
  }))
  default = {}

  validation {
    condition = alltrue(flatten([for rule in values(var.lifecycle_rules) : [
      for t in rule.transitions : contains(["STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"], t.storage_class)
    ]]))
    error_message = "Each lifecycle_rules transition storage_class must be one of STANDARD_IA, ONEZONE_IA, INTELLIGENT_TIERING, GLACIER_IR, GLACIER, DEEP_ARCHIVE."
  }

  validation {
    condition = alltrue([for rule in values(var.lifecycle_rules) :
      alltrue([for i in range(1, max(1, length(rule.transitions))) : rule.transitions[i].days > rule.transitions[i - 1].days])
    ])
    error_message = "The transitions of each lifecycle_rules entry must be in ascending order of days."
  }

  validation {
    # S3 refuses the rest at apply: IA classes bill 30 days at least, and no day count is partial.
    condition = alltrue(flatten([for rule in values(var.lifecycle_rules) : concat(
      [for t in rule.transitions : floor(t.days) == t.days && t.days >= (contains(["STANDARD_IA", "ONEZONE_IA"], t.storage_class) ? 30 : 0)],
      [for days in [rule.expiration_days, rule.noncurrent_expiration_days] : try(floor(days) == days && days >= 1, days == null)],
    )]))
    error_message = "Each lifecycle_rules day count must be a whole number: transitions to STANDARD_IA or ONEZONE_IA at 30 days or more, other transitions at 0 or more, expiration_days and noncurrent_expiration_days at 1 or more."
  }
}

variable "abort_incomplete_upload_days" {
  description = "Days after which incomplete multipart uploads are aborted (their parts cost storage)."
  type        = number
  default     = 7
}

variable "policy_documents" {
  description = "Extra bucket policy documents (JSON, e.g. from aws_iam_policy_document), merged in; a deny of non-TLS requests is always added."
  type        = list(string)
  default     = []
}

variable "tags" {
  description = "Tags for the bucket (merged with the provider's default_tags)."
  type        = map(string)
  default     = {}
}
