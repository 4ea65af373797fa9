# The module with its required inputs only; a root that scripts/terraform-checks validates.
module "rds_postgres" {
  source = "../.."

  identifier         = "chainops-example"
  instance_class     = "db.t4g.micro"
  subnet_ids         = ["subnet-1", "subnet-2"]
  security_group_ids = ["sg-1"]
  kms_key_arn        = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000"
}
