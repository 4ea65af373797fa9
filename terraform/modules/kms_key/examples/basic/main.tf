# The module with its required inputs only; a root that scripts/terraform-checks validates.
module "kms_key" {
  source = "../.."

  name        = "chainops-example"
  description = "Example key"
}
