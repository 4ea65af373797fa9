"""Exceptions that cross module boundaries, translated to one-line CLI errors."""


class LabError(Exception):
    """The lab could not do what was asked; the message says why and what to do."""
