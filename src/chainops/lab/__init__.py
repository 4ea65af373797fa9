"""The lab: a local AWS (moto plus extensions) and a data plane of podman hosts."""
