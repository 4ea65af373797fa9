# The module with its required inputs only; a root that scripts/terraform-checks validates.
module "network_acl" {
  source = "../.."

  name          = "chainops-example"
  vpc_id        = "vpc-12345678"
  subnet_ids    = ["subnet-1"]
  ingress_rules = [{ rule_no = 100, protocol = "tcp", cidr_block = "0.0.0.0/0", from_port = 443, to_port = 443 }]
  egress_rules  = [{ rule_no = 100, protocol = "all", cidr_block = "0.0.0.0/0" }]
}
