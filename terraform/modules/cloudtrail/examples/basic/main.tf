# The module with its required inputs only; a root that scripts/terraform-checks validates.
module "cloudtrail" {
  source = "../.."

  name             = "chainops-example"
  s3_bucket_name   = "chainops-example-trail"
  kms_key_arn      = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000"
  logs_kms_key_arn = "arn:aws:kms:us-east-1:123456789012:key/11111111-1111-1111-1111-111111111111"
}
