mock_provider "aws" {
  mock_data "aws_region" {
    defaults = { name = "us-east-1" }
  }
}

variables {
  name               = "chainops-test"
  vpc_id             = "vpc-12345678"
  route_table_ids    = ["rtb-1"]
  interface_services = ["ecr.api", "kinesis-streams"]
  subnet_ids         = ["subnet-1"]
  security_group_ids = ["sg-1"]
}

run "service_names" {
  command = plan

  assert {
    condition     = aws_vpc_endpoint.gateway["s3"].service_name == "com.amazonaws.us-east-1.s3" && aws_vpc_endpoint.gateway["s3"].vpc_endpoint_type == "Gateway"
    error_message = "Gateway endpoints are named com.amazonaws.<region>.<service>."
  }

  assert {
    condition     = aws_vpc_endpoint.interface["kinesis-streams"].private_dns_enabled && aws_vpc_endpoint.interface["kinesis-streams"].vpc_endpoint_type == "Interface"
    error_message = "Interface endpoints use private DNS."
  }
}

run "interface_without_subnets" {
  command = plan

  variables {
    subnet_ids = []
  }

  expect_failures = [aws_vpc_endpoint.interface]
}

run "not_a_gateway_service" {
  command = plan

  variables {
    gateway_services = ["s3", "sqs"]
  }

  expect_failures = [var.gateway_services]
}
