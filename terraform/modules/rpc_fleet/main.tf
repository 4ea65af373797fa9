data "aws_ami" "this" {
  most_recent = true
  owners      = var.ami.owners

  filter {
    name   = "name"
    values = [var.ami.name]
  }

  filter {
    name   = "architecture"
    values = [var.ami.architecture]
  }
}

data "aws_ec2_instance_type" "this" {
  instance_type = var.instance_type
}

# The provider's default_tags reach neither an Auto Scaling group's instances nor a launch
# template's tag specifications; the inventories find nodes by them (chainops:environment).
data "aws_default_tags" "this" {}

locals {
  instance_tags = merge(data.aws_default_tags.this.tags, { Name = var.name }, var.tags, var.instance_tags)
}

resource "aws_launch_template" "this" {
  name                   = var.name
  image_id               = data.aws_ami.this.id
  instance_type          = var.instance_type
  vpc_security_group_ids = var.security_group_ids
  user_data              = var.user_data == null ? null : base64encode(var.user_data)
  update_default_version = true
  ebs_optimized          = true
  tags                   = merge({ Name = var.name }, var.tags)

  iam_instance_profile {
    name = var.instance_profile_name
  }

  # IMDSv2 only; hop limit 1 keeps containers on the host away from the credentials.
  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
    instance_metadata_tags      = "enabled"
  }

  monitoring {
    enabled = true
  }

  block_device_mappings {
    device_name = data.aws_ami.this.root_device_name

    ebs {
      volume_type           = "gp3"
      volume_size           = var.root_volume.size_gib
      encrypted             = true
      kms_key_id            = var.root_volume.kms_key_arn
      delete_on_termination = true
    }
  }

  dynamic "tag_specifications" {
    for_each = toset(["instance", "volume"])

    content {
      resource_type = tag_specifications.value
      tags          = local.instance_tags
    }
  }

  lifecycle {
    precondition {
      condition     = data.aws_ec2_instance_type.this.instance_storage_supported
      error_message = "The instance_type ${var.instance_type} has no instance storage."
    }
  }
}

resource "aws_autoscaling_group" "this" {
  name                      = var.name
  min_size                  = var.capacity.min
  max_size                  = var.capacity.max
  desired_capacity          = var.capacity.desired
  vpc_zone_identifier       = var.subnet_ids
  placement_group           = var.placement_group_name
  health_check_type         = "EC2"
  health_check_grace_period = 600 # catching up with the cluster takes minutes
  default_instance_warmup   = 600
  enabled_metrics           = ["GroupDesiredCapacity", "GroupInServiceInstances", "GroupTotalInstances"]

  launch_template {
    id      = aws_launch_template.this.id
    version = aws_launch_template.this.latest_version
  }

  # A new launch template version rolls through the fleet, keeping most nodes serving.
  instance_refresh {
    strategy = "Rolling"

    preferences {
      min_healthy_percentage = 66
      instance_warmup        = 600
    }
  }

  # Instances get their tags from the group (propagate_at_launch), which every launch path
  # honours, the provider's default tags included (local.instance_tags).
  dynamic "tag" {
    for_each = local.instance_tags

    content {
      key                 = tag.key
      value               = tag.value
      propagate_at_launch = true
    }
  }

  lifecycle {
    # After creation the scaling policies own the desired capacity.
    ignore_changes = [desired_capacity]

    precondition {
      condition     = var.placement_group_name == null || length(var.subnet_ids) == 1
      error_message = "A cluster placement group lives in one zone: give exactly one subnet_ids entry."
    }
  }
}

resource "aws_autoscaling_policy" "cpu" {
  name                   = "${var.name}-cpu"
  autoscaling_group_name = aws_autoscaling_group.this.name
  policy_type            = "TargetTrackingScaling"

  target_tracking_configuration {
    target_value = var.scaling.cpu_target_percent

    predefined_metric_specification {
      predefined_metric_type = "ASGAverageCPUUtilization"
    }
  }
}

resource "aws_autoscaling_policy" "rpc_requests" {
  name                   = "${var.name}-rpc-requests"
  autoscaling_group_name = aws_autoscaling_group.this.name
  policy_type            = "TargetTrackingScaling"

  target_tracking_configuration {
    target_value     = var.scaling.requests_per_instance
    disable_scale_in = var.scaling.disable_scale_in_for_rpc

    customized_metric_specification {
      namespace   = var.rpc_metric.namespace
      metric_name = var.rpc_metric.metric_name
      statistic   = "Average"

      metric_dimension {
        name  = "AutoScalingGroupName"
        value = aws_autoscaling_group.this.name
      }
    }
  }
}
