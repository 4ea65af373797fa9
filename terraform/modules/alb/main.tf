locals {
  colors = toset(["blue", "green"])
}

resource "aws_lb" "this" {
  #checkov:skip=CKV2_AWS_28:The web ACL is the web_acl module's concern; the core stack attaches it to this ALB (edge.tf, module.web_acl).
  #checkov:skip=CKV_AWS_91:Access logs are on whenever create_access_logs_bucket is (dynamic block); checkov cannot see it.
  #checkov:skip=CKV_AWS_150:Deletion protection is var.deletion_protection, true unless the caller destroys throwaway environments.
  name                       = var.name
  load_balancer_type         = "application"
  internal                   = false #tfsec:ignore:aws-elb-alb-not-public (the public API entry)
  subnets                    = var.subnet_ids
  security_groups            = var.security_group_ids
  idle_timeout               = var.idle_timeout
  drop_invalid_header_fields = true
  enable_deletion_protection = var.deletion_protection
  tags                       = merge({ Name = var.name }, var.tags)

  dynamic "access_logs" {
    for_each = aws_s3_bucket.access_logs[*].id

    content {
      bucket  = access_logs.value
      prefix  = var.name
      enabled = true
    }
  }

  # The ALB checks at creation that it may write to the bucket.
  depends_on = [aws_s3_bucket_policy.access_logs]
}

resource "aws_lb_target_group" "this" {
  #checkov:skip=CKV_AWS_378:TLS ends at the ALB; ALB to task is plain HTTP inside the VPC, limited to the app port by security groups.
  for_each = local.colors

  name                 = "${var.name}-${each.key}"
  vpc_id               = var.vpc_id
  port                 = var.target_port
  protocol             = "HTTP"
  target_type          = "ip" # Fargate tasks (awsvpc)
  deregistration_delay = var.deregistration_delay
  tags                 = merge({ Name = "${var.name}-${each.key}", "chainops:color" = each.key }, var.tags)

  health_check {
    path                = var.health_check_path
    matcher             = "200"
    interval            = 15
    timeout             = 5
    healthy_threshold   = 2
    unhealthy_threshold = 3
  }
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.this.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = var.ssl_policy
  certificate_arn   = var.certificate_arn
  tags              = merge({ Name = "${var.name}-https" }, var.tags)

  default_action {
    type = "forward"

    # Both colors are in the rule so that a release flips weights, not the listener's shape.
    forward {
      dynamic "target_group" {
        for_each = local.colors

        content {
          arn    = aws_lb_target_group.this[target_group.value].arn
          weight = target_group.value == var.active_color ? 100 : 0
        }
      }
    }
  }
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.this.arn
  port              = 80
  protocol          = "HTTP" #checkov:skip=CKV_AWS_2:Port 80 only redirects to HTTPS.
  tags              = merge({ Name = "${var.name}-http" }, var.tags)

  default_action {
    type = "redirect"

    redirect {
      port        = "443"
      protocol    = "HTTPS"
      status_code = "HTTP_301"
    }
  }
}
