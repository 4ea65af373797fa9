# The backend of every stack whose state lives in state_bootstrap's bucket.
terraform {
  # Partial configuration: bucket, key, region, lock table (and the lab's endpoints) come
  # from -backend-config at init; see docs/terraform.md.
  backend "s3" {}
}
