# The public entry: an ALB in the public subnets, HTTPS only (port 80 redirects), blue and
# green target groups for the public service, access logs to a bucket of its own.
module "alb" {
  source = "../../modules/alb"

  name                = local.name
  vpc_id              = data.aws_vpc.this.id
  subnet_ids          = local.subnet_ids["public"]
  security_group_ids  = [local.security_groups["alb"]]
  certificate_arn     = var.certificate_arn
  target_port         = var.app_port
  health_check_path   = var.load_balancer.health_check_path
  idle_timeout        = var.load_balancer.idle_timeout
  active_color        = var.active_color
  deletion_protection = !var.force_destroy

  create_access_logs_bucket  = var.load_balancer.access_logs
  access_logs_retention_days = var.load_balancer.access_logs_retention_days
}

# The public API's web ACL: a rate limit per client and AWS's managed rules, logged.
module "web_acl" {
  source = "../../modules/web_acl"

  name             = local.name
  resource_arn     = module.alb.arn
  logs_kms_key_arn = data.aws_kms_alias.logs.target_key_arn
}
