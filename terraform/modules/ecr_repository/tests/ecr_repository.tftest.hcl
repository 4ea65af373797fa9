mock_provider "aws" {}

variables {
  name        = "chainops-test/trading-api"
  kms_key_arn = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000"
}

run "immutable_scanned_expiring" {
  command = plan

  assert {
    condition     = aws_ecr_repository.this.image_tag_mutability == "IMMUTABLE" && one(aws_ecr_repository.this.image_scanning_configuration).scan_on_push
    error_message = "Tags are immutable and every push is scanned."
  }

  assert {
    condition     = [for r in jsondecode(aws_ecr_lifecycle_policy.this.policy).rules : r.selection.countNumber] == [7, 30]
    error_message = "Untagged images expire after 7 days; 30 images are kept."
  }
}

run "uppercase_name" {
  command = plan

  variables {
    name = "Trading-API"
  }

  expect_failures = [var.name]
}
