variable "name_prefix" {
  description = "Prefix of every alarm name (e.g. chainops-prod)."
  type        = string
}

variable "alarms" {
  description = <<-EOT
    Alarms by key (the alarm is <name_prefix>-<key>). Each: description, namespace, metric_name,
    dimensions, statistic (Average, Sum, Maximum...) or extended_statistic (p99...), threshold,
    comparison_operator, period (s), evaluation_periods, datapoints_to_alarm, treat_missing_data.
  EOT
  type = map(object({
    description         = string
    namespace           = string
    metric_name         = string
    dimensions          = optional(map(string), {})
    statistic           = optional(string)
    extended_statistic  = optional(string)
    threshold           = number
    comparison_operator = optional(string, "GreaterThanThreshold")
    period              = optional(number, 60)
    evaluation_periods  = optional(number, 5)
    datapoints_to_alarm = optional(number)
    treat_missing_data  = optional(string, "missing")
  }))

  validation {
    condition     = alltrue([for a in values(var.alarms) : (a.statistic == null) != (a.extended_statistic == null)])
    error_message = "Each alarms entry needs exactly one of statistic and extended_statistic."
  }

  validation {
    condition     = alltrue([for a in values(var.alarms) : contains(["GreaterThanThreshold", "GreaterThanOrEqualToThreshold", "LessThanThreshold", "LessThanOrEqualToThreshold"], a.comparison_operator)])
    error_message = "Each alarms comparison_operator must be GreaterThanThreshold, GreaterThanOrEqualToThreshold, LessThanThreshold or LessThanOrEqualToThreshold."
  }

  validation {
    condition     = alltrue([for a in values(var.alarms) : contains(["missing", "ignore", "breaching", "notBreaching"], a.treat_missing_data)])
    error_message = "Each alarms treat_missing_data must be missing, ignore, breaching or notBreaching."
  }
}

variable "alarm_actions" {
  description = "ARNs notified on ALARM and OK (e.g. an SNS topic)."
  type        = list(string)
}

variable "tags" {
  description = "Tags for the alarms (merged with the provider's default_tags)."
  type        = map(string)
  default     = {}
}
