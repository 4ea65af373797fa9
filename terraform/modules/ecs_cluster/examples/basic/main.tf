# The module with its required inputs only; a root that scripts/terraform-checks validates.
module "ecs_cluster" {
  source = "../.."

  name = "chainops-example"
}
