# The module with its required inputs only; a root that scripts/terraform-checks validates.
module "placement_group" {
  source = "../.."

  name     = "chainops-example"
  strategy = "cluster"
}
