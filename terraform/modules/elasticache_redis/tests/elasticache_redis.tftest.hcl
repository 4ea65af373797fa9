mock_provider "aws" {}

variables {
  name               = "chainops-test"
  node_type          = "cache.t4g.micro"
  subnet_ids         = ["subnet-1", "subnet-2"]
  security_group_ids = ["sg-cache"]
  kms_key_arn        = "arn:aws:kms:us-east-1:123456789012:key/1"
  auth_token         = "0123456789abcdefghijklmnopqrstuv"
}

run "encrypted_with_failover" {
  command = plan

  assert {
    condition     = aws_elasticache_replication_group.this.at_rest_encryption_enabled == "true" && aws_elasticache_replication_group.this.transit_encryption_enabled
    error_message = "Encrypted at rest and in transit."
  }

  assert {
    condition     = aws_elasticache_replication_group.this.automatic_failover_enabled && aws_elasticache_replication_group.this.multi_az_enabled
    error_message = "Two nodes or more fail over automatically across zones."
  }

  assert {
    condition     = aws_elasticache_parameter_group.this.family == "redis7"
    error_message = "The family follows the major version."
  }

  assert {
    condition     = output.member_cluster_ids == ["chainops-test-001", "chainops-test-002"]
    error_message = "Member ids are <name>-NNN."
  }
}

run "single_node" {
  command = plan

  variables {
    num_cache_clusters = 1
  }

  assert {
    condition     = !aws_elasticache_replication_group.this.automatic_failover_enabled
    error_message = "A single node cannot fail over."
  }
}

run "token_too_short" {
  command = plan

  variables {
    auth_token = "short"
  }

  expect_failures = [var.auth_token]
}

run "node_type_not_cache" {
  command = plan

  variables {
    node_type = "t4g.micro"
  }

  expect_failures = [var.node_type]
}
