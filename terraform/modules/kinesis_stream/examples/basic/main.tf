# The module with its required inputs only; a root that scripts/terraform-checks validates.
module "kinesis_stream" {
  source = "../.."

  name        = "chainops-example"
  kms_key_arn = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000"
}
