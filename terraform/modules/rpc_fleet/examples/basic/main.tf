# The module with its required inputs only; a root that scripts/terraform-checks validates.
module "rpc_fleet" {
  source = "../.."

  name                  = "chainops-example-rpc"
  ami                   = { owners = ["137112412989"], name = "al2023-ami-*" }
  subnet_ids            = ["subnet-1"]
  security_group_ids    = ["sg-1"]
  instance_profile_name = "chainops-example-rpc"
  capacity              = { min = 1, max = 2, desired = 1 }
}
