# Every stack's version pins (the backend is in backend_s3.tf or the stack's own backend file).
terraform {
  required_version = ">= 1.6"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0"
    }
  }
}
