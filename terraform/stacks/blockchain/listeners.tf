# ---------------------------------------------------------------------------------------------
# Listener hosts: EC2 instances that run the listener and consumers as systemd units (the
# listener_service role, playbooks/listeners.yml). The lab uses them; on AWS the pipeline runs
# as ECS services from the pipeline image and listener_hosts.count stays 0.
# ---------------------------------------------------------------------------------------------

locals {
  listener_instance_tags = merge(
    { "chainops:role" = "listener" },
    var.lab_host ? { "chainops:lab-host" = "true" } : {},
  )
}

data "aws_subnets" "private" {
  count = local.app_tier ? 1 : 0

  filter {
    name   = "vpc-id"
    values = [data.aws_vpc.this.id]
  }

  tags = { "chainops:tier" = "private" }
}

# The app tier's group: HTTPS to AWS APIs and the RPC fleet's JSON-RPC, nothing in.
data "aws_security_group" "app" {
  count = local.app_tier ? 1 : 0

  vpc_id = data.aws_vpc.this.id
  tags   = merge(local.foundation_tags, { "chainops:tier" = "app" })
}

resource "aws_instance" "listener" {
  # checkov:skip=CKV_AWS_126: detailed monitoring is on by default (listener_hosts.detailed_monitoring); only the lab, whose AWS lacks MonitorInstances, turns it off.
  count = var.listener_hosts.count

  ami                    = module.rpc_fleet.ami_id # the RPC nodes' image (Debian 12 by default)
  instance_type          = var.listener_hosts.instance_type
  subnet_id              = element(sort(data.aws_subnets.private[0].ids), count.index)
  vpc_security_group_ids = [data.aws_security_group.app[0].id]
  iam_instance_profile   = module.listener_role.instance_profile_name
  ebs_optimized          = true
  monitoring             = var.listener_hosts.detailed_monitoring

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required" # IMDSv2 only
    http_put_response_hop_limit = 1
  }

  root_block_device {
    volume_size           = var.listener_hosts.root_volume_gib
    volume_type           = "gp3"
    encrypted             = true
    kms_key_id            = module.kms.arn
    delete_on_termination = true
  }

  tags        = merge({ Name = "${local.name}-listener-${count.index + 1}" }, local.listener_instance_tags)
  volume_tags = { Name = "${local.name}-listener-${count.index + 1}" }

  lifecycle {
    # A newer AMI is rolled out by replacing hosts deliberately, not by every plan.
    ignore_changes = [ami]
  }
}
