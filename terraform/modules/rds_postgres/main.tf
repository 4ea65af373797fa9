locals {
  family = "postgres${split(".", var.engine_version)[0]}"

  # TLS is not negotiable: rds.force_ssl is set whatever the caller passes.
  parameters = merge(var.parameters, { "rds.force_ssl" = { value = "1", apply_method = "immediate" } })

  secret_arn = aws_db_instance.this.master_user_secret[0].secret_arn
}

resource "aws_db_subnet_group" "this" {
  name        = var.identifier
  description = "Isolated subnets of ${var.identifier}"
  subnet_ids  = var.subnet_ids
  tags        = merge({ Name = var.identifier }, var.tags)
}

resource "aws_db_parameter_group" "this" {
  name        = var.identifier
  family      = local.family
  description = "PostgreSQL settings of ${var.identifier}"
  tags        = merge({ Name = var.identifier }, var.tags)

  dynamic "parameter" {
    for_each = local.parameters

    content {
      name         = parameter.key
      value        = parameter.value.value
      apply_method = parameter.value.apply_method
    }
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_db_instance" "this" {
  #checkov:skip=CKV_AWS_293:Deletion protection is var.deletion_protection, true unless the caller destroys throwaway environments.
  #checkov:skip=CKV_AWS_118:Enhanced Monitoring is opt-in (monitoring_interval with a role); Performance Insights is always on.
  #checkov:skip=CKV2_AWS_69:TLS is enforced by rds.force_ssl=1, which the module always sets in its parameter group (local.parameters).
  identifier     = var.identifier
  engine         = "postgres"
  engine_version = var.engine_version
  instance_class = var.instance_class
  db_name        = var.database_name
  username       = var.master_username
  # RDS generates the password and keeps it in Secrets Manager: it never passes through Terraform.
  manage_master_user_password   = true
  master_user_secret_kms_key_id = var.kms_key_arn

  allocated_storage     = var.allocated_storage
  max_allocated_storage = var.max_allocated_storage
  storage_type          = "gp3"
  storage_encrypted     = true
  kms_key_id            = var.kms_key_arn

  db_subnet_group_name   = aws_db_subnet_group.this.name
  parameter_group_name   = aws_db_parameter_group.this.name
  vpc_security_group_ids = var.security_group_ids
  multi_az               = var.multi_az
  publicly_accessible    = false

  iam_database_authentication_enabled   = true
  performance_insights_enabled          = true
  performance_insights_kms_key_id       = var.kms_key_arn
  performance_insights_retention_period = var.performance_insights_retention_days
  monitoring_interval                   = var.monitoring_interval
  monitoring_role_arn                   = var.monitoring_interval > 0 ? var.monitoring_role_arn : null
  enabled_cloudwatch_logs_exports       = ["postgresql", "upgrade"]

  backup_retention_period    = var.backup_retention_days
  copy_tags_to_snapshot      = true
  auto_minor_version_upgrade = true
  deletion_protection        = var.deletion_protection
  skip_final_snapshot        = !var.deletion_protection
  final_snapshot_identifier  = var.deletion_protection ? "${var.identifier}-final" : null
  apply_immediately          = !var.deletion_protection
  tags                       = merge({ Name = var.identifier }, var.tags)

  lifecycle {
    precondition {
      condition     = var.max_allocated_storage >= var.allocated_storage
      error_message = "The max_allocated_storage (${var.max_allocated_storage}) must be at least allocated_storage (${var.allocated_storage})."
    }

    precondition {
      condition     = !var.create_replica || var.backup_retention_days >= 1
      error_message = "A read replica (create_replica) needs backup_retention_days >= 1."
    }

    precondition {
      condition     = var.monitoring_interval == 0 || var.monitoring_role_arn != null
      error_message = "Enhanced Monitoring (monitoring_interval > 0) needs monitoring_role_arn."
    }
  }
}

resource "aws_db_instance" "replica" {
  #checkov:skip=CKV_AWS_293:Deletion protection is var.deletion_protection, true unless the caller destroys throwaway environments.
  #checkov:skip=CKV_AWS_118:Enhanced Monitoring is opt-in (monitoring_interval with a role); Performance Insights is always on.
  #checkov:skip=CKV2_AWS_69:TLS is enforced by rds.force_ssl=1 in the parameter group it shares with the primary.
  #checkov:skip=CKV_AWS_157:A read replica scales reads out; availability comes from the Multi-AZ primary.
  count = var.create_replica ? 1 : 0

  identifier          = "${var.identifier}-replica"
  replicate_source_db = aws_db_instance.this.identifier
  instance_class      = coalesce(var.replica_instance_class, var.instance_class)
  storage_type        = "gp3"
  storage_encrypted   = true
  kms_key_id          = var.kms_key_arn

  parameter_group_name   = aws_db_parameter_group.this.name
  vpc_security_group_ids = var.security_group_ids
  publicly_accessible    = false

  iam_database_authentication_enabled   = true
  performance_insights_enabled          = true
  performance_insights_kms_key_id       = var.kms_key_arn
  performance_insights_retention_period = var.performance_insights_retention_days
  monitoring_interval                   = var.monitoring_interval
  monitoring_role_arn                   = var.monitoring_interval > 0 ? var.monitoring_role_arn : null
  enabled_cloudwatch_logs_exports       = ["postgresql", "upgrade"]

  max_allocated_storage      = var.max_allocated_storage
  copy_tags_to_snapshot      = true
  auto_minor_version_upgrade = true
  deletion_protection        = var.deletion_protection
  skip_final_snapshot        = true # a replica's data is the primary's
  apply_immediately          = !var.deletion_protection
  tags                       = merge({ Name = "${var.identifier}-replica", "chainops:role" = "replica" }, var.tags)
}

# ---------------------------------------------------------------------------------------------
# RDS Proxy: pooled connections, TLS and IAM authentication required; it logs in to the
# database with the master secret, which only its own role may read.
# ---------------------------------------------------------------------------------------------

data "aws_iam_policy_document" "proxy_trust" {
  count = var.create_proxy ? 1 : 0

  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["rds.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "proxy_secret" {
  count = var.create_proxy ? 1 : 0

  statement {
    sid       = "ReadMasterSecret"
    actions   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
    resources = [local.secret_arn]
  }

  statement {
    sid       = "DecryptMasterSecret"
    actions   = ["kms:Decrypt"]
    resources = [var.kms_key_arn]

    condition {
      test     = "StringLike"
      variable = "kms:ViaService"
      values   = ["secretsmanager.*.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "proxy" {
  count = var.create_proxy ? 1 : 0

  name               = "${var.identifier}-proxy"
  description        = "RDS Proxy of ${var.identifier}: reads the master secret"
  assume_role_policy = data.aws_iam_policy_document.proxy_trust[0].json
  tags               = merge({ Name = "${var.identifier}-proxy" }, var.tags)
}

resource "aws_iam_role_policy" "proxy" {
  count = var.create_proxy ? 1 : 0

  name   = "master-secret"
  role   = aws_iam_role.proxy[0].id
  policy = data.aws_iam_policy_document.proxy_secret[0].json
}

resource "aws_db_proxy" "this" {
  count = var.create_proxy ? 1 : 0

  name                   = var.identifier
  engine_family          = "POSTGRESQL"
  role_arn               = aws_iam_role.proxy[0].arn
  vpc_subnet_ids         = var.subnet_ids
  vpc_security_group_ids = var.proxy_security_group_ids
  require_tls            = true
  idle_client_timeout    = 1800
  tags                   = merge({ Name = var.identifier }, var.tags)

  auth {
    auth_scheme               = "SECRETS"
    client_password_auth_type = "POSTGRES_SCRAM_SHA_256"
    iam_auth                  = "REQUIRED"
    secret_arn                = local.secret_arn
  }

  lifecycle {
    precondition {
      condition     = length(var.proxy_security_group_ids) > 0
      error_message = "The proxy (create_proxy) needs proxy_security_group_ids."
    }
  }
}

resource "aws_db_proxy_default_target_group" "this" {
  count = var.create_proxy ? 1 : 0

  db_proxy_name = aws_db_proxy.this[0].name

  connection_pool_config {
    max_connections_percent      = 90
    max_idle_connections_percent = 50
    connection_borrow_timeout    = 120
  }
}

resource "aws_db_proxy_target" "this" {
  count = var.create_proxy ? 1 : 0

  db_proxy_name          = aws_db_proxy.this[0].name
  target_group_name      = aws_db_proxy_default_target_group.this[0].name
  db_instance_identifier = aws_db_instance.this.identifier
}
