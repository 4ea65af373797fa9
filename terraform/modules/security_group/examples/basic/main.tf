# The module with its required inputs only; a root that scripts/terraform-checks validates.
module "security_group" {
  source = "../.."

  name        = "chainops-example"
  description = "Example group"
  vpc_id      = "vpc-12345678"
}
