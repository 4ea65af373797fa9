mock_provider "aws" {
  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    }
  }

  mock_data "aws_caller_identity" {
    defaults = {
      account_id = "123456789012"
    }
  }

  mock_data "aws_partition" {
    defaults = {
      partition = "aws"
    }
  }

  mock_resource "aws_lb" {
    defaults = {
      arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/chainops-test/abc"
    }
  }
}

override_resource {
  target = aws_lb_target_group.this["blue"]
  values = { arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/chainops-test-blue/b" }
}

override_resource {
  target = aws_lb_target_group.this["green"]
  values = { arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/chainops-test-green/g" }
}

variables {
  name               = "chainops-test"
  vpc_id             = "vpc-1"
  subnet_ids         = ["subnet-1", "subnet-2"]
  security_group_ids = ["sg-1"]
  certificate_arn    = "arn:aws:acm:us-east-1:123456789012:certificate/0000"
  target_port        = 8080
}

run "https_with_tls13_and_redirect" {
  command = plan

  assert {
    condition     = aws_lb_listener.https.ssl_policy == "ELBSecurityPolicy-TLS13-1-2-2021-06"
    error_message = "HTTPS uses the TLS 1.3 policy by default."
  }

  assert {
    condition     = one(aws_lb_listener.http.default_action).redirect[0].protocol == "HTTPS"
    error_message = "Port 80 redirects to HTTPS."
  }

  assert {
    condition     = length(aws_lb_target_group.this) == 2 && aws_lb.this.drop_invalid_header_fields
    error_message = "Blue and green target groups exist; invalid headers are dropped."
  }

  assert {
    condition     = one(aws_lb.this.access_logs).enabled && aws_s3_bucket_lifecycle_configuration.access_logs[0].rule[0].expiration[0].days == 90
    error_message = "Access logs go to the module's bucket, which expires them."
  }

  assert {
    condition     = one(aws_s3_bucket_server_side_encryption_configuration.access_logs[0].rule).apply_server_side_encryption_by_default[0].sse_algorithm == "AES256"
    error_message = "The log bucket uses SSE-S3, the only encryption log delivery supports."
  }
}

run "without_access_logs" {
  command = plan

  variables {
    create_access_logs_bucket = false
  }

  assert {
    condition     = length(aws_lb.this.access_logs) == 0 && length(aws_s3_bucket.access_logs) == 0
    error_message = "No bucket, no access logs."
  }
}

run "green_active" {
  command = apply

  variables {
    active_color = "green"
  }

  assert {
    condition     = { for g in one(one(aws_lb_listener.https.default_action).forward).target_group : g.weight => g.arn }[100] == aws_lb_target_group.this["green"].arn
    error_message = "All traffic goes to the active color."
  }

  assert {
    condition     = output.active_target_group_arn == aws_lb_target_group.this["green"].arn
    error_message = "The active target group output follows active_color."
  }
}

run "unknown_color" {
  command = plan

  variables {
    active_color = "red"
  }

  expect_failures = [var.active_color]
}

run "tls12_policy_refused" {
  command = plan

  variables {
    ssl_policy = "ELBSecurityPolicy-2016-08"
  }

  expect_failures = [var.ssl_policy]
}

run "not_a_certificate" {
  command = plan

  variables {
    certificate_arn = "arn:aws:iam::123456789012:server-certificate/x"
  }

  expect_failures = [var.certificate_arn]
}
