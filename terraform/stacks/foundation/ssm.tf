# The bucket Ansible's SSM connection moves files through (module arguments, templates, fetched
# files). The controller puts and gets objects and hands the instance presigned URLs, so the
# controller's role needs the bucket and its key; the instances need nothing beyond SSM itself.
# Objects are transient: one day, no versions.
module "ssm_transfer_kms" {
  source   = "../../modules/kms_key"
  for_each = var.ssm_transfer_bucket == null ? toset([]) : toset(["this"])

  name        = "${local.name}-ssm-transfer"
  description = "Files Ansible moves to and from ${local.name}'s hosts over SSM"
}

module "ssm_transfer_bucket" {
  #checkov:skip=CKV_AWS_21:Transfer files live minutes; versions would only keep them longer.
  source   = "../../modules/s3_bucket"
  for_each = module.ssm_transfer_kms

  name              = var.ssm_transfer_bucket
  kms_key_arn       = each.value.arn
  enable_versioning = false
  # Only transfer files live here; a leftover one must not block a destroy.
  force_destroy = true

  lifecycle_rules = {
    transient = { expiration_days = 1 }
  }
}
