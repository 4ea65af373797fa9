mock_provider "aws" {}

variables {
  name = "chainops-test"
}

run "insights_and_fargate" {
  command = plan

  assert {
    condition     = one(aws_ecs_cluster.this.setting).value == "enabled"
    error_message = "Container Insights is on by default."
  }

  assert {
    condition     = length(aws_ecs_cluster_capacity_providers.this.default_capacity_provider_strategy) == 1
    error_message = "Without a spot weight, tasks run on FARGATE only."
  }
}

run "with_spot" {
  command = plan

  variables {
    fargate_spot_weight = 3
  }

  assert {
    condition     = length(aws_ecs_cluster_capacity_providers.this.default_capacity_provider_strategy) == 2
    error_message = "A spot weight adds a FARGATE_SPOT strategy."
  }
}

run "insights_unknown" {
  command = plan

  variables {
    container_insights = "on"
  }

  expect_failures = [var.container_insights]
}
