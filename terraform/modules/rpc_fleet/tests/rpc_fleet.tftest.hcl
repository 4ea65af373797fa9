mock_provider "aws" {
  mock_data "aws_ami" {
    defaults = { id = "ami-12345678", root_device_name = "/dev/xvda" }
  }

  mock_data "aws_ec2_instance_type" {
    defaults = { instance_storage_supported = true }
  }

  mock_data "aws_default_tags" {
    defaults = { tags = { "chainops:environment" = "test", "chainops:project" = "chainops" } }
  }
}

variables {
  name                  = "chainops-test-rpc"
  instance_type         = "i4i.large"
  ami                   = { owners = ["137112412989"], name = "al2022-ami-*" }
  subnet_ids            = ["subnet-1"]
  security_group_ids    = ["sg-1"]
  instance_profile_name = "rpc"
  placement_group_name  = "chainops-test-rpc"
  capacity              = { min = 3, max = 6, desired = 3 }
  instance_tags         = { "chainops:role" = "rpc", "chainops:lab-host" = "true" }
}

run "launch_template_hardening" {
  command = plan

  assert {
    condition     = one(aws_launch_template.this.metadata_options).http_tokens == "required" && one(aws_launch_template.this.metadata_options).http_put_response_hop_limit == 1
    error_message = "IMDSv2 only, hop limit 1."
  }

  assert {
    condition     = one(one(aws_launch_template.this.block_device_mappings).ebs).encrypted == "true" && one(aws_launch_template.this.block_device_mappings).device_name == "/dev/xvda"
    error_message = "The root volume is encrypted and found by the AMI's root device name."
  }
}

run "group_tags_and_placement" {
  command = plan

  assert {
    condition     = aws_autoscaling_group.this.placement_group == "chainops-test-rpc" && aws_autoscaling_group.this.min_size == 3
    error_message = "The group launches into the placement group with the given capacity."
  }

  assert {
    condition     = contains([for t in aws_autoscaling_group.this.tag : "${t.key}=${t.value}:${t.propagate_at_launch}"], "chainops:lab-host=true:true")
    error_message = "Instance tags propagate at launch."
  }

  assert {
    condition     = contains([for t in aws_autoscaling_group.this.tag : "${t.key}=${t.value}:${t.propagate_at_launch}"], "chainops:environment=test:true")
    error_message = "The provider's default tags propagate to the group's instances (the inventories filter on them)."
  }

  assert {
    condition     = alltrue([for spec in aws_launch_template.this.tag_specifications : spec.tags["chainops:environment"] == "test"])
    error_message = "The launch template tags instances and volumes with the provider's default tags too."
  }

  assert {
    condition     = one(one(aws_autoscaling_policy.rpc_requests.target_tracking_configuration).customized_metric_specification).metric_name == "RequestsPerSecond"
    error_message = "The RPC policy tracks the custom request-rate metric."
  }
}

run "no_instance_store" {
  command = plan

  variables {
    instance_type = "t3.large"
  }

  expect_failures = [var.instance_type]
}

run "instance_size_misspelt" {
  command = plan

  variables {
    instance_type = "i4i.8xlargee"
  }

  expect_failures = [var.instance_type]
}

run "capacity_empty" {
  command = plan

  variables {
    capacity = { min = 0, max = 0, desired = 0 }
  }

  expect_failures = [var.capacity]
}

run "capacity_fractional" {
  command = plan

  variables {
    capacity = { min = 1.5, max = 3, desired = 2 }
  }

  expect_failures = [var.capacity]
}

run "capacity_out_of_order" {
  command = plan

  variables {
    capacity = { min = 3, max = 2, desired = 3 }
  }

  expect_failures = [var.capacity]
}

run "cluster_across_zones" {
  command = plan

  variables {
    subnet_ids = ["subnet-1", "subnet-2"]
  }

  expect_failures = [aws_autoscaling_group.this]
}

run "ami_owner_not_an_account" {
  command = plan

  variables {
    ami = { owners = ["debian"], name = "debian-12-amd64-*" }
  }

  expect_failures = [var.ami]
}
