mock_provider "aws" {}

variables {
  name               = "chainops-test"
  description        = "test role"
  assume_role_policy = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
  inline_policies    = { read = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  managed_policy_arns = {
    ssm = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"
  }
}

run "policies_by_key" {
  command = plan

  assert {
    condition     = aws_iam_role_policy.this["read"].name == "read" && aws_iam_role_policy_attachment.this["ssm"].policy_arn == "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"
    error_message = "Inline policies and attachments are keyed by their map keys."
  }

  assert {
    condition     = length(aws_iam_instance_profile.this) == 0 && aws_iam_role.this.max_session_duration == 3600
    error_message = "No instance profile unless asked; one-hour sessions by default."
  }
}

run "instance_profile" {
  command = apply

  variables {
    create_instance_profile = true
  }

  assert {
    condition     = output.instance_profile_name == "chainops-test"
    error_message = "The instance profile takes the role's name."
  }
}

run "session_too_long" {
  command = plan

  variables {
    max_session_duration = 86400
  }

  expect_failures = [var.max_session_duration]
}

run "not_a_policy_arn" {
  command = plan

  variables {
    managed_policy_arns = { admin = "AdministratorAccess" }
  }

  expect_failures = [var.managed_policy_arns]
}
