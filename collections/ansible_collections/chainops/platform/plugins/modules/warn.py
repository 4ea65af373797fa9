#!/usr/bin/python
"""Print a warning and change nothing."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: warn
short_description: Print a warning and change nothing
description:
  - Returns I(msg) as a module warning, which Ansible prints as one C([WARNING]) line on
    stderr (and ansible-runner keeps in the task's event), for a condition that should not stop
    the run but must not pass unseen, such as a production state kept on one machine.
options:
  msg:
    description: The warning, one line.
    type: str
    required: true
author: chainops contributors (@chainops)
"""

EXAMPLES = r"""
- name: Warn that the bootstrap's state is local
  chainops.platform.warn:
    msg: "prod: the state bootstrap's state is on this machine only"
  when: chainops_world != 'lab'
"""

RETURN = r"""
msg:
  description: The warning printed.
  returned: always
  type: str
"""

from ansible.module_utils.basic import AnsibleModule


def main() -> None:
    module = AnsibleModule(
        argument_spec={"msg": {"type": "str", "required": True}}, supports_check_mode=True
    )
    message = " ".join(module.params["msg"].split())
    module.warn(message)
    module.exit_json(changed=False, msg=message)


if __name__ == "__main__":
    main()
