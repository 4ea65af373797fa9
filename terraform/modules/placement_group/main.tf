resource "aws_placement_group" "this" {
  name            = var.name
  strategy        = var.strategy
  partition_count = var.partition_count
  spread_level    = var.spread_level
  tags            = var.tags

  lifecycle {
    # Cross-variable rules live here: validation blocks may only reference other variables
    # from Terraform 1.9, and this module supports 1.6.
    precondition {
      condition     = var.partition_count == null || var.strategy == "partition"
      error_message = "The partition_count is only valid with strategy = \"partition\"."
    }

    precondition {
      condition     = var.spread_level == null || var.strategy == "spread"
      error_message = "The spread_level is only valid with strategy = \"spread\"."
    }
  }
}
