"""Exceptions that cross module boundaries, translated to one-line CLI errors."""


class LabError(Exception):
    """The lab could not do what was asked; the message says why and what to do."""


class RunError(Exception):
    """A playbook run could not start (unknown playbook, bad input); the message says why."""
