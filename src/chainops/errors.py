"""Exceptions that cross module boundaries; the CLI reports a ChainopsError in one line."""


class ChainopsError(Exception):
    """An expected failure, reported in one line without a traceback."""


class LabError(ChainopsError):
    """The lab could not do what was asked; the message says why and what to do."""


class RunError(ChainopsError):
    """A playbook run could not start (unknown playbook, bad input); the message says why."""
