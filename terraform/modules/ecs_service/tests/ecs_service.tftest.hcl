mock_provider "aws" {}

variables {
  name               = "chainops-test-api"
  cluster_name       = "chainops-test"
  image              = "123456789012.dkr.ecr.us-east-1.amazonaws.com/chainops-test-api:1.0.0"
  log_group_name     = "/ecs/chainops-test/api"
  region             = "us-east-1"
  execution_role_arn = "arn:aws:iam::123456789012:role/exec"
  task_role_arn      = "arn:aws:iam::123456789012:role/task"
  subnet_ids         = ["subnet-1", "subnet-2"]
  security_group_ids = ["sg-1"]
}

run "worker_scales_on_cpu_only" {
  command = plan

  assert {
    condition     = length(aws_ecs_service.this.load_balancer) == 0 && length(aws_appautoscaling_policy.requests) == 0
    error_message = "A worker has no load balancer and no request-count policy."
  }

  assert {
    condition     = one(aws_ecs_service.this.network_configuration).assign_public_ip == false
    error_message = "Tasks get no public IP."
  }

  assert {
    condition     = jsondecode(aws_ecs_task_definition.this.container_definitions)[0].readonlyRootFilesystem
    error_message = "The container's root filesystem is read-only."
  }
}

run "api_behind_the_alb" {
  command = plan

  variables {
    container_port               = 8080
    target_group_arn             = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/blue/abc"
    requests_per_target          = 500
    request_count_resource_label = "app/lb/1/targetgroup/blue/abc"
    secrets                      = { APP_SETTINGS = "arn:aws:secretsmanager:us-east-1:123456789012:secret:app" }
  }

  assert {
    condition     = one(aws_ecs_service.this.load_balancer).container_port == 8080
    error_message = "The service registers its container port in the target group."
  }

  assert {
    condition     = aws_appautoscaling_policy.requests[0].target_tracking_scaling_policy_configuration[0].target_value == 500
    error_message = "The request-count policy tracks requests_per_target."
  }

  assert {
    condition     = jsondecode(aws_ecs_task_definition.this.container_definitions)[0].secrets[0].name == "APP_SETTINGS"
    error_message = "Secrets reach the container as valueFrom references."
  }
}

run "capacity_out_of_order" {
  command = plan

  variables {
    capacity = { desired = 0, min = 2, max = 1 }
  }

  expect_failures = [var.capacity]
}

run "cpu_not_a_fargate_size" {
  command = plan

  variables {
    cpu = 300
  }

  expect_failures = [var.cpu]
}

run "target_group_without_port" {
  command = plan

  variables {
    target_group_arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/blue/abc"
  }

  expect_failures = [aws_ecs_service.this]
}
