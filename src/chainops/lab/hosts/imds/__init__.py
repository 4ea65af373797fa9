"""The lab instance-metadata service: lab hosts get their instance profile's credentials the
AWS way, over IMDSv2 at the link-local address every SDK asks (docs/lab.md)."""

# The addresses and port AWS SDKs call; the one place the lab spells them.
ADDRESS = "169.254.169.254"
# ECS's task-role credentials endpoint (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI is its path).
TASK_ADDRESS = "169.254.170.2"
PORT = 80
