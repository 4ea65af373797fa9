terraform {
  # The bootstrap cannot keep its state in the bucket it creates: local state, one file per
  # workspace (terraform.tfstate.d/<workspace>/); pass -backend-config=workspace_dir=... to
  # keep it elsewhere. See docs/terraform.md for migrating it into the bucket afterwards.
  backend "local" {}
}
