mock_provider "aws" {}

variables {
  name        = "chainops-test"
  hash_key    = "pk"
  kms_key_arn = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000"
}

run "hash_key_only" {
  command = plan

  assert {
    condition     = length(aws_dynamodb_table.this.attribute) == 1 && one(aws_dynamodb_table.this.attribute).type == "S"
    error_message = "A hash-key-only table declares exactly that attribute, as a string."
  }

  assert {
    condition     = aws_dynamodb_table.this.billing_mode == "PAY_PER_REQUEST" && aws_dynamodb_table.this.point_in_time_recovery[0].enabled
    error_message = "Tables are on-demand with point-in-time recovery."
  }

  assert {
    condition     = length(aws_dynamodb_table.this.ttl) == 0
    error_message = "No TTL unless ttl_attribute is set."
  }
}

run "range_key_and_ttl" {
  command = plan

  variables {
    range_key       = "seq"
    attribute_types = { seq = "N" }
    ttl_attribute   = "expires_at"
  }

  assert {
    condition     = contains([for a in aws_dynamodb_table.this.attribute : "${a.name}:${a.type}"], "seq:N")
    error_message = "The range key takes its type from attribute_types."
  }

  assert {
    condition     = one(aws_dynamodb_table.this.ttl).attribute_name == "expires_at"
    error_message = "The TTL attribute is not passed through."
  }
}

run "range_key_equals_hash_key" {
  command = plan

  variables {
    range_key = "pk"
  }

  expect_failures = [aws_dynamodb_table.this]
}

run "attribute_type_unknown" {
  command = plan

  variables {
    attribute_types = { pk = "string" }
  }

  expect_failures = [var.attribute_types]
}
