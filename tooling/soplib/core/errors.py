"""Errors a user can act on. The doors print them as one clean message (no traceback)."""


class SopError(Exception):
    """Bad input or environment: a missing library, an unknown SOP id, an unreadable config file."""
