mock_provider "aws" {
  mock_resource "aws_db_instance" {
    defaults = {
      master_user_secret = [{ secret_arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-1", kms_key_id = "k", secret_status = "active" }]
    }
  }

  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    }
  }

  mock_resource "aws_db_proxy_default_target_group" {
    defaults = {
      name = "default"
    }
  }

  mock_resource "aws_db_proxy" {
    defaults = {
      name = "chainops-test"
    }
  }

  mock_resource "aws_iam_role" {
    defaults = {
      arn = "arn:aws:iam::123456789012:role/proxy"
    }
  }
}

variables {
  identifier               = "chainops-test"
  instance_class           = "db.t4g.micro"
  subnet_ids               = ["subnet-1", "subnet-2"]
  security_group_ids       = ["sg-db"]
  kms_key_arn              = "arn:aws:kms:us-east-1:123456789012:key/1"
  proxy_security_group_ids = ["sg-proxy"]
  parameters = {
    "rds.force_ssl"            = { value = "0" }
    log_min_duration_statement = { value = "500" }
  }
}

run "secure_defaults" {
  command = apply

  assert {
    condition     = aws_db_instance.this.manage_master_user_password && aws_db_instance.this.storage_encrypted && aws_db_instance.this.iam_database_authentication_enabled && aws_db_instance.this.performance_insights_enabled
    error_message = "Managed password, encryption, IAM auth and Performance Insights are always on."
  }

  assert {
    condition     = aws_db_instance.this.multi_az && aws_db_instance.this.deletion_protection && !aws_db_instance.this.skip_final_snapshot
    error_message = "Multi-AZ and deletion protection (with a final snapshot) by default."
  }

  assert {
    condition     = one([for p in aws_db_parameter_group.this.parameter : p.value if p.name == "rds.force_ssl"]) == "1"
    error_message = "rds.force_ssl stays 1 whatever the caller passes."
  }

  assert {
    condition     = aws_db_parameter_group.this.family == "postgres16"
    error_message = "The family follows the engine's major version."
  }

  assert {
    condition     = one(aws_db_proxy.this[0].auth).iam_auth == "REQUIRED" && aws_db_proxy.this[0].require_tls
    error_message = "The proxy requires IAM authentication and TLS."
  }

  assert {
    condition     = one(aws_db_proxy.this[0].auth).secret_arn == output.master_user_secret_arn
    error_message = "The proxy logs in with the RDS-managed master secret."
  }

  assert {
    condition     = length(aws_db_instance.replica) == 0 && output.replica_identifier == null
    error_message = "No replica unless asked for."
  }
}

run "replica_and_no_proxy" {
  command = plan

  variables {
    create_replica      = true
    create_proxy        = false
    deletion_protection = false
  }

  assert {
    condition     = aws_db_instance.replica[0].identifier == "chainops-test-replica" && aws_db_instance.replica[0].instance_class == "db.t4g.micro"
    error_message = "The replica is <identifier>-replica, of the primary's class by default."
  }

  assert {
    condition     = length(aws_db_proxy.this) == 0 && aws_db_instance.this.skip_final_snapshot
    error_message = "No proxy when off; without deletion protection no final snapshot."
  }
}

run "replica_without_backups" {
  command = plan

  variables {
    create_replica        = true
    backup_retention_days = 0
  }

  expect_failures = [aws_db_instance.this]
}

run "instance_class_not_rds" {
  command = plan

  variables {
    instance_class = "t4g.micro"
  }

  expect_failures = [var.instance_class]
}

run "performance_insights_retention_odd" {
  command = plan

  variables {
    performance_insights_retention_days = 30
  }

  expect_failures = [var.performance_insights_retention_days]
}
