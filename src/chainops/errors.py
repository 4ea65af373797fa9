"""Exceptions that cross module boundaries; the CLI reports a ChainopsError in one line."""


class ChainopsError(Exception):
    """An expected failure, reported in one line without a traceback."""

    exit_code = 1


class UsageError(ChainopsError):
    """Bad input (a flag, a file, a variable), refused before anything ran; the message names
    the input and its rule."""

    exit_code = 2  # argparse's code for bad usage


class LabError(ChainopsError):
    """The lab could not do what was asked; the message says why and what to do."""


class RunError(UsageError):
    """A playbook run could not start (unknown playbook, bad input); the message says why."""
