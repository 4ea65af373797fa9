"""chainops: Ansible + Terraform orchestration for a Solana trading platform, with a local lab."""

__version__ = "0.1.0"
