mock_provider "aws" {}

variables {
  name               = "chainops-test"
  cidr_block         = "10.40.0.0/16"
  availability_zones = ["us-east-1a", "us-east-1b", "us-east-1c"]
  subnet_cidrs = {
    public   = ["10.40.0.0/24", "10.40.1.0/24", "10.40.2.0/24"]
    private  = ["10.40.16.0/20", "10.40.32.0/20", "10.40.48.0/20"]
    isolated = ["10.40.8.0/24", "10.40.9.0/24", "10.40.10.0/24"]
  }
}

run "three_zones_nat_per_az" {
  command = plan

  assert {
    condition     = length(aws_subnet.this) == 9 && length(aws_nat_gateway.this) == 3 && length(aws_route.private_nat) == 3
    error_message = "Three zones with per_az NAT: 9 subnets, 3 NAT gateways, 3 private default routes."
  }

  assert {
    condition     = aws_subnet.this["isolated-us-east-1b"].cidr_block == "10.40.9.0/24" && aws_subnet.this["isolated-us-east-1b"].tags["chainops:tier"] == "isolated"
    error_message = "Subnets are keyed <tier>-<zone> and tagged with their tier."
  }

  assert {
    condition     = !aws_subnet.this["public-us-east-1a"].map_public_ip_on_launch
    error_message = "Public IPs on launch are off unless asked for."
  }
}

run "single_nat" {
  command = plan

  variables {
    nat_gateway_mode        = "single"
    map_public_ip_on_launch = true
  }

  assert {
    condition     = keys(aws_nat_gateway.this) == ["us-east-1a"] && length(aws_route.private_nat) == 3
    error_message = "single: one NAT gateway in the first zone, still a default route per private table."
  }

  assert {
    condition     = aws_subnet.this["public-us-east-1a"].map_public_ip_on_launch && !aws_subnet.this["private-us-east-1a"].map_public_ip_on_launch
    error_message = "map_public_ip_on_launch applies to the public tier only."
  }
}

run "no_nat" {
  command = plan

  variables {
    nat_gateway_mode = "none"
  }

  assert {
    condition     = length(aws_nat_gateway.this) == 0 && length(aws_route.private_nat) == 0
    error_message = "none: no NAT gateway and no private default route."
  }
}

run "one_zone" {
  command = plan

  variables {
    availability_zones = ["us-east-1a"]
  }

  expect_failures = [var.availability_zones]
}

run "duplicate_zones" {
  command = plan

  variables {
    availability_zones = ["us-east-1a", "us-east-1a"]
  }

  expect_failures = [var.availability_zones]
}

run "vpc_too_small" {
  command = plan

  variables {
    cidr_block = "10.40.0.0/28"
  }

  expect_failures = [var.cidr_block]
}

run "subnet_too_small" {
  command = plan

  variables {
    subnet_cidrs = {
      public   = ["10.40.0.0/29", "10.40.1.0/24", "10.40.2.0/24"]
      private  = ["10.40.16.0/20", "10.40.32.0/20", "10.40.48.0/20"]
      isolated = ["10.40.8.0/24", "10.40.9.0/24", "10.40.10.0/24"]
    }
  }

  expect_failures = [var.subnet_cidrs]
}

run "subnets_overlap" {
  command = plan

  variables {
    subnet_cidrs = {
      public   = ["10.40.0.0/24", "10.40.1.0/24", "10.40.2.0/24"]
      private  = ["10.40.0.0/20", "10.40.32.0/20", "10.40.48.0/20"]
      isolated = ["10.40.8.0/24", "10.40.9.0/24", "10.40.10.0/24"]
    }
  }

  expect_failures = [var.subnet_cidrs]
}

run "subnet_outside_vpc" {
  command = plan

  variables {
    subnet_cidrs = {
      public   = ["10.41.0.0/24", "10.40.1.0/24", "10.40.2.0/24"]
      private  = ["10.40.16.0/20", "10.40.32.0/20", "10.40.48.0/20"]
      isolated = ["10.40.8.0/24", "10.40.9.0/24", "10.40.10.0/24"]
    }
  }

  expect_failures = [aws_vpc.this]
}

run "subnet_count_mismatch" {
  command = plan

  variables {
    availability_zones = ["us-east-1a", "us-east-1b"]
  }

  expect_failures = [aws_vpc.this]
}

# Too few CIDRs leave a zone without one: the precondition names the tier, not a null error.
run "subnet_count_short" {
  command = plan

  variables {
    availability_zones = ["us-east-1a", "us-east-1b"]
    subnet_cidrs = {
      public   = ["10.40.0.0/24"]
      private  = ["10.40.16.0/20", "10.40.32.0/20"]
      isolated = ["10.40.8.0/24", "10.40.9.0/24"]
    }
  }

  expect_failures = [aws_vpc.this]
}

run "zone_not_a_zone_name" {
  command = plan

  variables {
    availability_zones = ["us-east-1a", "zone-7", "us-east-1c"]
  }

  expect_failures = [var.availability_zones]
}
