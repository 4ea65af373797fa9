variable "force_destroy" {
  description = "Let destroy delete the state bucket with its objects and lift the lock table's deletion protection (lab and throwaway environments only)."
  type        = bool
  default     = false
}

variable "noncurrent_version_expiration_days" {
  description = "Days old state versions are kept (the history for recovering a broken state)."
  type        = number
  default     = 90

  validation {
    condition     = var.noncurrent_version_expiration_days >= 1
    error_message = "The noncurrent_version_expiration_days must be at least 1."
  }
}
