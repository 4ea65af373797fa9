# The module with its required inputs only; a root that scripts/terraform-checks validates.
module "iam_role" {
  source = "../.."

  name        = "chainops-example"
  description = "Example role EC2 instances assume."
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "ec2.amazonaws.com" }
    }]
  })
}
