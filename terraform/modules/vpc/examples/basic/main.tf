# The module with its required inputs only; a root that scripts/terraform-checks validates.
module "vpc" {
  source = "../.."

  name               = "chainops-example"
  cidr_block         = "10.40.0.0/16"
  availability_zones = ["us-east-1a", "us-east-1b"]
  subnet_cidrs = {
    public   = ["10.40.0.0/24", "10.40.1.0/24"]
    private  = ["10.40.16.0/20", "10.40.32.0/20"]
    isolated = ["10.40.8.0/24", "10.40.9.0/24"]
  }
}
