"""The listener's fatal error."""


class ListenerError(Exception):
    """A condition the listener cannot recover from by itself (it exits non-zero)."""
