# The module with its required inputs only; a root that scripts/terraform-checks validates.
module "alb" {
  source = "../.."

  name               = "chainops-example"
  vpc_id             = "vpc-12345678"
  subnet_ids         = ["subnet-1", "subnet-2"]
  security_group_ids = ["sg-1"]
  certificate_arn    = "arn:aws:acm:us-east-1:123456789012:certificate/00000000"
  target_port        = 8080
}
