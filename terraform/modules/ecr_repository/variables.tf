variable "name" {
  description = "Repository name (lowercase; / separates namespaces)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$", var.name)) && length(var.name) >= 2 && length(var.name) <= 256
    error_message = "The name must be 2-256 lowercase letters and digits, separated by single ., _, - or /."
  }
}

variable "kms_key_arn" {
  description = "KMS key encrypting the images."
  type        = string
}

variable "keep_tagged_images" {
  description = "Tagged images kept; older ones expire (rollback depth)."
  type        = number
  default     = 30

  validation {
    condition     = var.keep_tagged_images >= 1
    error_message = "The keep_tagged_images must be at least 1."
  }
}

variable "untagged_expiry_days" {
  description = "Days after which untagged images (superseded layers, failed pushes) expire."
  type        = number
  default     = 7

  validation {
    condition     = var.untagged_expiry_days >= 1
    error_message = "The untagged_expiry_days must be at least 1."
  }
}

variable "force_delete" {
  description = "Let destroy delete a repository that still holds images (lab and throwaway environments only)."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags for the repository (merged with the provider's default_tags)."
  type        = map(string)
  default     = {}
}
