# The module with its required inputs only; a root that scripts/terraform-checks validates.
module "web_acl" {
  source = "../.."

  name             = "chainops-example"
  resource_arn     = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/chainops-example/0123456789abcdef"
  logs_kms_key_arn = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000"
}
