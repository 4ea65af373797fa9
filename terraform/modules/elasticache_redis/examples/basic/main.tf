# The module with its required inputs only; a root that scripts/terraform-checks validates.
module "elasticache_redis" {
  source = "../.."

  name               = "chainops-example"
  node_type          = "cache.t4g.micro"
  subnet_ids         = ["subnet-1", "subnet-2"]
  security_group_ids = ["sg-1"]
  kms_key_arn        = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000"
  auth_token         = "an-auth-token-of-32-characters!!" # a secret in real use: pass it in
}
