variable "name" {
  description = "Table name (3-255 letters, digits, _ - .)."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9_.-]{3,255}$", var.name))
    error_message = "The name must be 3-255 characters of a-z, A-Z, 0-9, _, - and '.'."
  }
}

variable "hash_key" {
  description = "Partition key attribute name."
  type        = string
}

variable "range_key" {
  description = "Sort key attribute name; null for a table keyed by the partition key alone."
  type        = string
  default     = null
}

variable "attribute_types" {
  description = "Type of each key attribute by name: S (string), N (number) or B (binary). Keys not listed are S."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for t in values(var.attribute_types) : contains(["S", "N", "B"], t)])
    error_message = "Each attribute_types value must be S, N or B."
  }
}

variable "ttl_attribute" {
  description = "Attribute holding an epoch-seconds expiry; items past it are deleted by DynamoDB. Null disables TTL."
  type        = string
  default     = null
}

variable "kms_key_arn" {
  description = "Customer managed KMS key for encryption at rest."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "The kms_key_arn must be a KMS key ARN (arn:aws:kms:...)."
  }
}

variable "enable_deletion_protection" {
  description = "Refuse DeleteTable (turn off for the lab and throwaway environments)."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Tags for the table (merged with the provider's default_tags)."
  type        = map(string)
  default     = {}
}
