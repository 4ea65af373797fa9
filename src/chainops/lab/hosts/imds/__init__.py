"""The lab instance-metadata service: lab hosts get their instance profile's credentials the
AWS way, over IMDSv2 at the link-local address every SDK asks (docs/lab.md)."""

# The address and port AWS SDKs call; the one place the lab spells them.
ADDRESS = "169.254.169.254"
PORT = 80
