mock_provider "aws" {}

variables {
  name        = "chainops-test-db"
  description = "test"
  vpc_id      = "vpc-12345678"
  ingress_rules = [
    { description = "PostgreSQL from the app tier", protocol = "tcp", from_port = 5432, to_port = 5432, security_group_ids = ["sg-app"] },
  ]
}

run "least_privilege" {
  command = apply

  assert {
    condition     = length(aws_security_group.this.ingress) == 1 && one(aws_security_group.this.ingress).security_groups == toset(["sg-app"])
    error_message = "Only the declared rule, from the declared group."
  }

  assert {
    condition     = length(aws_security_group.this.egress) == 0
    error_message = "No egress rule unless declared."
  }
}

run "all_protocol_ports" {
  command = apply

  variables {
    egress_rules = [{ description = "anything inside", protocol = "all", from_port = 5, to_port = 6, cidr_blocks = ["10.0.0.0/8"] }]
  }

  assert {
    condition     = one(aws_security_group.this.egress).protocol == "-1" && one(aws_security_group.this.egress).from_port == 0
    error_message = "protocol all is -1 with ports 0."
  }
}

run "rule_without_source" {
  command = plan

  variables {
    ingress_rules = [{ description = "nowhere", protocol = "tcp", from_port = 22, to_port = 22 }]
  }

  expect_failures = [var.ingress_rules]
}
