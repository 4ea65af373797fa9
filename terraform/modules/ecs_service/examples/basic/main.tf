# The module with its required inputs only; a root that scripts/terraform-checks validates.
module "ecs_service" {
  source = "../.."

  name               = "chainops-example-api"
  cluster_name       = "chainops-example"
  image              = "123456789012.dkr.ecr.us-east-1.amazonaws.com/chainops-example/api:1.0.0"
  log_group_name     = "/ecs/chainops-example/api"
  region             = "us-east-1"
  execution_role_arn = "arn:aws:iam::123456789012:role/chainops-example-exec"
  task_role_arn      = "arn:aws:iam::123456789012:role/chainops-example-task"
  subnet_ids         = ["subnet-1", "subnet-2"]
  security_group_ids = ["sg-1"]
}
