"""Exceptions raised on bad user input.

Every error caused by what a user typed or passed derives from :class:`InputError`, so that the
command line can turn it into a one-line message with exit code 2 while genuine bugs still surface
as tracebacks.
"""

from __future__ import annotations


class InputError(ValueError):
    """Malformed or unsupported input: a non-polynomial term, an unknown variable, bad syntax."""


class InputTypeError(InputError, TypeError):
    """Input of the wrong type (for instance a complex coefficient or a non-numeric entry)."""


class BudgetExhausted(Exception):
    """A caller-given resource budget (seconds or cells) ran out; carries the reason."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason
