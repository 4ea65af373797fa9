terraform {
  required_version = ">= 1.6"

  # Partial configuration: bucket, key, region, lock table (and the lab's endpoints) come
  # from -backend-config at init; see docs/terraform.md.
  backend "s3" {}

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0"
    }
  }
}
