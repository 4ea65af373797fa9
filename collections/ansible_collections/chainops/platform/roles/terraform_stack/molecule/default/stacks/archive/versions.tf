# A one-bucket stack for the role's molecule scenario (state: local, under ../../state).
terraform {
  required_version = ">= 1.6"
  backend "local" {}
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
  }
}

provider "aws" {
  region = "us-east-1"
  # As the lab inventory (inventories/lab/group_vars/all/terraform.yml): a dropped connection is retried.
  max_retries                 = 2
  s3_use_path_style           = true
  skip_credentials_validation = true
  skip_requesting_account_id  = true
}

variable "bucket" {
  description = "Name of the archive bucket."
  type        = string
}

resource "aws_s3_bucket" "this" {
  bucket = var.bucket
}

output "bucket" {
  description = "Name of the archive bucket."
  value       = aws_s3_bucket.this.id
}
