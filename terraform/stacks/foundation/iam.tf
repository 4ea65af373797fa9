# IAM baseline: a break-glass admin role (MFA, short sessions), the CI/CD role GitHub Actions
# assumes through OIDC (no long-lived keys), and a reader of this environment's parameters.

moved {
  # Renamed when the GitHub provider got a descriptive name; state follows without a replace.
  from = aws_iam_openid_connect_provider.this
  to   = aws_iam_openid_connect_provider.github
}

resource "aws_iam_openid_connect_provider" "github" {
  url            = "https://token.actions.githubusercontent.com"
  client_id_list = ["sts.amazonaws.com"]
  # GitHub's intermediate CA thumbprints; AWS now trusts GitHub's root itself, older APIs ask.
  thumbprint_list = ["6938fd4d98bab03faadb97b34396831e3780aea1", "1c58a3a8518e8759bf075b76b750d4f2df264fcd"]
  tags            = { Name = "${local.name}-github" }
}

data "aws_iam_policy_document" "break_glass_trust" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "AWS"
      identifiers = length(var.break_glass_principal_arns) > 0 ? var.break_glass_principal_arns : ["arn:${local.partition}:iam::${local.account_id}:root"]
    }

    condition {
      test     = "Bool"
      variable = "aws:MultiFactorAuthPresent"
      values   = ["true"]
    }

    # The MFA must be fresh: a session token minted hours ago does not open the glass.
    condition {
      test     = "NumericLessThan"
      variable = "aws:MultiFactorAuthAge"
      values   = ["3600"]
    }
  }
}

module "break_glass_role" {
  source = "../../modules/iam_role"

  name                 = "${local.name}-break-glass"
  description          = "Emergency administrator access; MFA required, every use is an incident."
  assume_role_policy   = data.aws_iam_policy_document.break_glass_trust.json
  max_session_duration = var.break_glass_max_session_duration
  #checkov:skip=CKV_AWS_274:The break-glass role is administrator access by design, behind MFA.
  managed_policy_arns = { admin = "arn:${local.partition}:iam::aws:policy/AdministratorAccess" }
}

data "aws_iam_policy_document" "ci_trust" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [aws_iam_openid_connect_provider.github.arn]
    }

    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:aud"
      values   = ["sts.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:sub"
      values   = var.github_oidc_subjects
    }
  }
}

data "aws_iam_policy_document" "ci" {
  statement {
    sid       = "EcrLogin"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"] # the action has no resource-level permissions
  }

  statement {
    sid = "EcrPushOwnRepositories"
    actions = [
      "ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:CompleteLayerUpload",
      "ecr:DescribeImages", "ecr:InitiateLayerUpload", "ecr:PutImage", "ecr:UploadLayerPart",
    ]
    resources = ["arn:${local.partition}:ecr:${local.region}:${local.account_id}:repository/${local.name}-*"]
  }

  statement {
    sid       = "DeployOwnServices"
    actions   = ["ecs:DescribeServices", "ecs:UpdateService"]
    resources = ["arn:${local.partition}:ecs:${local.region}:${local.account_id}:service/${local.name}/*"]
  }

  dynamic "statement" {
    for_each = module.ssm_transfer_bucket

    content {
      sid       = "TransferFilesOverSsm"
      actions   = ["s3:PutObject", "s3:GetObject", "s3:DeleteObject"]
      resources = ["${statement.value.arn}/*"]
    }
  }

  dynamic "statement" {
    for_each = module.ssm_transfer_kms

    content {
      sid       = "EncryptTransferFiles"
      actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
      resources = [statement.value.arn]
    }
  }

  statement {
    sid       = "ReadTerraformState"
    actions   = ["s3:GetObject", "s3:ListBucket"]
    resources = ["arn:${local.partition}:s3:::${local.name}-tfstate-${local.account_id}", "arn:${local.partition}:s3:::${local.name}-tfstate-${local.account_id}/*"]
  }
}

module "ci_role" {
  source = "../../modules/iam_role"

  name               = "${local.name}-ci"
  description        = "GitHub Actions: push images, roll out services, read Terraform state, move files over SSM."
  assume_role_policy = data.aws_iam_policy_document.ci_trust.json
  inline_policies    = { deploy = data.aws_iam_policy_document.ci.json }
}

data "aws_iam_policy_document" "parameter_reader_trust" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com", "ecs-tasks.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "parameter_reader" {
  statement {
    sid       = "ReadEnvironmentParameters"
    actions   = ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"]
    resources = ["arn:${local.partition}:ssm:${local.region}:${local.account_id}:parameter/${var.name_prefix}/${var.environment}/*"]
  }

  statement {
    sid       = "DecryptSecureStrings"
    actions   = ["kms:Decrypt"]
    resources = ["arn:${local.partition}:kms:${local.region}:${local.account_id}:key/*"]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["ssm.${local.region}.amazonaws.com"]
    }
  }
}

module "parameter_reader_role" {
  source = "../../modules/iam_role"

  name                    = "${local.name}-parameter-reader"
  description             = "Reads /${var.name_prefix}/${var.environment}/* from SSM Parameter Store."
  assume_role_policy      = data.aws_iam_policy_document.parameter_reader_trust.json
  inline_policies         = { read = data.aws_iam_policy_document.parameter_reader.json }
  create_instance_profile = true
}
