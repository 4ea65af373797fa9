mock_provider "aws" {}

variables {
  name       = "chainops-test"
  vpc_id     = "vpc-12345678"
  subnet_ids = ["subnet-1", "subnet-2"]
  ingress_rules = [
    { rule_no = 100, protocol = "tcp", cidr_block = "0.0.0.0/0", from_port = 443, to_port = 443 },
    { rule_no = 200, protocol = "all", cidr_block = "10.40.0.0/16", from_port = 1, to_port = 2 },
  ]
  egress_rules = [{ rule_no = 100, protocol = "all", cidr_block = "0.0.0.0/0" }]
}

run "protocols_become_numbers" {
  command = plan

  assert {
    condition     = toset([for r in aws_network_acl.this.ingress : "${r.rule_no}:${r.protocol}:${r.from_port}-${r.to_port}"]) == toset(["100:6:443-443", "200:-1:0-0"])
    error_message = "tcp must become 6 and all must become -1 with ports 0."
  }
}

run "unknown_protocol" {
  command = plan

  variables {
    egress_rules = [{ rule_no = 100, protocol = "gre", cidr_block = "0.0.0.0/0" }]
  }

  expect_failures = [var.egress_rules]
}

run "duplicate_rule_numbers" {
  command = plan

  variables {
    ingress_rules = [
      { rule_no = 100, protocol = "tcp", cidr_block = "0.0.0.0/0", from_port = 443, to_port = 443 },
      { rule_no = 100, protocol = "tcp", cidr_block = "0.0.0.0/0", from_port = 80, to_port = 80 },
    ]
  }

  expect_failures = [var.ingress_rules]
}
