locals {
  # AWS's managed rule groups, in the order they run after the rate limit: known bad sources,
  # then the common exploits (OWASP top ten); known bad inputs (Log4j among them) last, below.
  managed_rule_groups = {
    ip-reputation = { priority = 10, name = "AWSManagedRulesAmazonIpReputationList" }
    common        = { priority = 20, name = "AWSManagedRulesCommonRuleSet" }
  }
}

resource "aws_wafv2_web_acl" "this" {
  name        = var.name
  description = "Front door of ${var.name}: rate limit per client address and AWS's managed rules."
  scope       = "REGIONAL"
  tags        = merge({ Name = var.name }, var.tags)

  default_action {
    allow {}
  }

  rule {
    name     = "rate-per-client"
    priority = 1

    action {
      block {}
    }

    statement {
      rate_based_statement {
        limit              = var.requests_per_client
        aggregate_key_type = "IP"
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${var.name}-rate-per-client"
      sampled_requests_enabled   = true
    }
  }

  dynamic "rule" {
    for_each = local.managed_rule_groups

    content {
      name     = rule.key
      priority = rule.value.priority

      override_action {
        none {}
      }

      statement {
        managed_rule_group_statement {
          name        = rule.value.name
          vendor_name = "AWS"
        }
      }

      visibility_config {
        cloudwatch_metrics_enabled = true
        metric_name                = "${var.name}-${rule.key}"
        sampled_requests_enabled   = true
      }
    }
  }

  # A rule of its own, not in the map: checkov looks for the Log4j rules in a static block.
  rule {
    name     = "known-bad-inputs"
    priority = 30

    override_action {
      none {}
    }

    statement {
      managed_rule_group_statement {
        name        = "AWSManagedRulesKnownBadInputsRuleSet"
        vendor_name = "AWS"
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${var.name}-known-bad-inputs"
      sampled_requests_enabled   = true
    }
  }

  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = var.name
    sampled_requests_enabled   = true
  }
}

# WAF delivers only to log groups named aws-waf-logs-*.
resource "aws_cloudwatch_log_group" "this" {
  name              = "aws-waf-logs-${var.name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.logs_kms_key_arn
  tags              = merge({ Name = "aws-waf-logs-${var.name}" }, var.tags)
}

resource "aws_wafv2_web_acl_logging_configuration" "this" {
  resource_arn            = aws_wafv2_web_acl.this.arn
  log_destination_configs = [aws_cloudwatch_log_group.this.arn]
}

resource "aws_wafv2_web_acl_association" "this" {
  resource_arn = var.resource_arn
  web_acl_arn  = aws_wafv2_web_acl.this.arn
}
