# The module with its required inputs only; a root that scripts/terraform-checks validates.
module "vpc_endpoints" {
  source = "../.."

  name   = "chainops-example"
  vpc_id = "vpc-12345678"
}
