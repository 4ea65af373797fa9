# Offline: the mock provider answers every call, so `terraform test` needs no AWS and no
# credentials (mock_provider needs Terraform >= 1.7 or OpenTofu >= 1.8).
mock_provider "aws" {}

variables {
  name     = "chainops-test"
  strategy = "cluster"
}

run "cluster" {
  command = plan

  assert {
    condition     = aws_placement_group.this.strategy == "cluster"
    error_message = "The strategy is not passed through."
  }

  assert {
    condition     = aws_placement_group.this.name == "chainops-test"
    error_message = "The name is not passed through."
  }
}

run "spread_by_host" {
  command = plan

  variables {
    strategy     = "spread"
    spread_level = "host"
    tags         = { Name = "chainops-test" }
  }

  assert {
    condition     = aws_placement_group.this.spread_level == "host"
    error_message = "The spread_level is not passed through."
  }

  assert {
    condition     = aws_placement_group.this.tags == tomap({ Name = "chainops-test" })
    error_message = "The tags are not passed through."
  }
}

run "partition" {
  command = plan

  variables {
    strategy        = "partition"
    partition_count = 7
  }

  assert {
    condition     = aws_placement_group.this.partition_count == 7
    error_message = "The partition_count is not passed through."
  }
}

run "outputs" {
  # Apply against the mock provider: the outputs are wired to the resource.
  command = apply

  assert {
    condition     = output.name == "chainops-test" && output.id == aws_placement_group.this.id
    error_message = "The name and id outputs do not come from the resource."
  }

  assert {
    condition     = output.arn == aws_placement_group.this.arn
    error_message = "The arn output does not come from the resource."
  }
}

run "name_empty" {
  command = plan

  variables {
    name = ""
  }

  expect_failures = [var.name]
}

run "name_too_long" {
  command = plan

  variables {
    name = join("", [for i in range(256) : "a"])
  }

  expect_failures = [var.name]
}

run "name_not_ascii" {
  command = plan

  variables {
    name = "plätzchen"
  }

  expect_failures = [var.name]
}

run "strategy_unknown" {
  command = plan

  variables {
    strategy = "clustered"
  }

  expect_failures = [var.strategy]
}

run "partition_count_zero" {
  command = plan

  variables {
    strategy        = "partition"
    partition_count = 0
  }

  expect_failures = [var.partition_count]
}

run "partition_count_eight" {
  command = plan

  variables {
    strategy        = "partition"
    partition_count = 8
  }

  expect_failures = [var.partition_count]
}

run "partition_count_fraction" {
  command = plan

  variables {
    strategy        = "partition"
    partition_count = 2.5
  }

  expect_failures = [var.partition_count]
}

run "partition_count_without_partition" {
  command = plan

  variables {
    strategy        = "cluster"
    partition_count = 2
  }

  expect_failures = [aws_placement_group.this]
}

run "spread_level_unknown" {
  command = plan

  variables {
    strategy     = "spread"
    spread_level = "rackmount"
  }

  expect_failures = [var.spread_level]
}

run "spread_level_without_spread" {
  command = plan

  variables {
    strategy     = "partition"
    spread_level = "rack"
  }

  expect_failures = [aws_placement_group.this]
}
