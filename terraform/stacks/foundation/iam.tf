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
  #checkov:skip=CKV_AWS_356:Plans read the configuration of every resource type of the stacks, most with ids AWS assigns (VPCs, subnets, groups), so by "*"; the statement grants no data read (no object, item, record or message).
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

  # Plans run as this role (tests/terraform/test_stacks.py re-plans every stack with it): they
  # take the state's lock, decrypt the state, and read every resource's configuration.
  statement {
    sid       = "LockTerraformState"
    actions   = ["dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem"]
    resources = ["arn:${local.partition}:dynamodb:${local.region}:${local.account_id}:table/${local.name}-tflock"]
  }

  statement {
    sid       = "DecryptTerraformState"
    actions   = ["kms:Decrypt"]
    resources = ["arn:${local.partition}:kms:${local.region}:${local.account_id}:key/*"]

    condition {
      test     = "ForAnyValue:StringEquals"
      variable = "kms:ResourceAliases"
      values   = ["alias/${local.name}-tfstate"]
    }

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${local.region}.amazonaws.com", "dynamodb.${local.region}.amazonaws.com"]
    }
  }

  # The core stack manages the Redis AUTH token as a secret version, so refreshing it reads the
  # token: this one secret, through Secrets Manager, and no other.
  statement {
    sid       = "PlanReadsRedisAuthToken"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = ["arn:${local.partition}:secretsmanager:${local.region}:${local.account_id}:secret:${local.name}/redis-auth-*"]
  }

  statement {
    sid       = "DecryptRedisAuthToken"
    actions   = ["kms:Decrypt"]
    resources = ["arn:${local.partition}:kms:${local.region}:${local.account_id}:key/*"]

    condition {
      test     = "ForAnyValue:StringEquals"
      variable = "kms:ResourceAliases"
      values   = ["alias/${local.name}-core"]
    }

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["secretsmanager.${local.region}.amazonaws.com"]
    }
  }

  statement {
    sid       = "PlanReadsConfiguration" # of resources, never their data (no object, item or record)
    actions   = local.plan_read_actions
    resources = ["*"]
  }
}

locals {
  # What refreshing the stacks' resources calls, service by service (found by re-planning every
  # stack as this role in the lab, which refuses what the policy does not grant).
  plan_read_actions = [
    "acm:DescribeCertificate", "acm:ListTagsForCertificate",
    "application-autoscaling:DescribeScalableTargets", "application-autoscaling:DescribeScalingPolicies",
    "application-autoscaling:ListTagsForResource",
    "autoscaling:Describe*",
    "cloudtrail:DescribeTrails", "cloudtrail:GetEventSelectors", "cloudtrail:GetInsightSelectors",
    "cloudtrail:GetTrail", "cloudtrail:GetTrailStatus", "cloudtrail:ListTags",
    "cloudwatch:DescribeAlarms", "cloudwatch:GetDashboard", "cloudwatch:ListTagsForResource",
    "dynamodb:DescribeContinuousBackups", "dynamodb:DescribeTable", "dynamodb:DescribeTimeToLive",
    "dynamodb:ListTagsOfResource",
    "ec2:Describe*", "ec2:GetEbsEncryptionByDefault",
    "ecr:DescribeRepositories", "ecr:GetLifecyclePolicy", "ecr:GetRepositoryPolicy", "ecr:ListTagsForResource",
    "ecs:Describe*", "ecs:ListTagsForResource",
    "elasticache:Describe*", "elasticache:ListTagsForResource",
    "elasticloadbalancing:Describe*",
    "iam:GetInstanceProfile", "iam:GetOpenIDConnectProvider", "iam:GetPolicy", "iam:GetPolicyVersion",
    "iam:GetRole", "iam:GetRolePolicy", "iam:ListAttachedRolePolicies", "iam:ListInstanceProfilesForRole",
    "iam:ListRolePolicies",
    "kinesis:DescribeStreamSummary", "kinesis:DescribeStream", "kinesis:ListTagsForStream",
    "kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListAliases", "kms:ListResourceTags",
    "logs:DescribeLogGroups", "logs:ListTagsForResource", "logs:ListTagsLogGroup",
    "rds:Describe*", "rds:ListTagsForResource",
    "s3:GetAccelerateConfiguration", "s3:GetBucket*", "s3:GetEncryptionConfiguration",
    "s3:GetLifecycleConfiguration", "s3:GetReplicationConfiguration", "s3:ListBucket",
    "secretsmanager:DescribeSecret", "secretsmanager:GetResourcePolicy", "secretsmanager:GetRandomPassword",
    "sns:GetSubscriptionAttributes", "sns:GetTopicAttributes", "sns:ListTagsForResource", "sns:ListTopics",
    "sqs:GetQueueAttributes", "sqs:ListQueueTags",
    "wafv2:GetLoggingConfiguration", "wafv2:GetWebACL", "wafv2:GetWebACLForResource", "wafv2:ListTagsForResource",
    "ssm:DescribeParameters", "ssm:GetParameter", "ssm:ListTagsForResource",
  ]
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
