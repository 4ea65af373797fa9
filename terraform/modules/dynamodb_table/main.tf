locals {
  keys = compact([var.hash_key, var.range_key])
}

resource "aws_dynamodb_table" "this" {
  name                        = var.name
  billing_mode                = "PAY_PER_REQUEST" # spiky, unpredictable load: no capacity planning
  hash_key                    = var.hash_key
  range_key                   = var.range_key
  deletion_protection_enabled = var.enable_deletion_protection
  tags                        = merge({ Name = var.name }, var.tags)

  dynamic "attribute" {
    for_each = toset(local.keys)

    content {
      name = attribute.value
      type = lookup(var.attribute_types, attribute.value, "S")
    }
  }

  dynamic "ttl" {
    for_each = var.ttl_attribute == null ? [] : [var.ttl_attribute]

    content {
      attribute_name = ttl.value
      enabled        = true
    }
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = var.kms_key_arn
  }

  lifecycle {
    precondition {
      condition     = var.range_key != var.hash_key
      error_message = "The range_key must differ from the hash_key."
    }
  }
}
