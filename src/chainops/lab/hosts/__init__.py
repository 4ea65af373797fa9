"""The lab hosts: a podman container per running lab instance, loop devices as instance stores."""
