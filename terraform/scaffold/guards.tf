# Rules every stack shares that span an input and the run. Terraform 1.6 validations see one
# variable only (and never the workspace), so they are preconditions on a read that depends on
# nothing and makes no API call: the plan fails here, before anything is created.
data "aws_partition" "guards" {
  lifecycle {
    # Each environment's state is its workspace: another workspace would plan this
    # environment's inputs against that one's resources.
    precondition {
      condition     = terraform.workspace == var.environment
      error_message = "The environment ${var.environment} must be applied in the workspace of the same name, not ${terraform.workspace}: select it (terraform workspace select -or-create ${var.environment})."
    }
  }
}
