"""What the subcommands share: exit codes and reading input files (a path, or ``-``).

Every reading failure is an :class:`~semialg.errors.InputError` naming the file, which the entry
point prints as one ``semialg: error: ...`` line with exit code :data:`EXIT_BAD_INPUT`.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from ..errors import InputError

#: Exit code for bad input (malformed files, options, patterns).
EXIT_BAD_INPUT = 2
#: Exit code when a budget ran out and the answer is unknown.
EXIT_UNKNOWN = 3


def read_text(path: str) -> str:
    """The UTF-8 text of ``path`` (standard input for ``-``)."""
    if path == "-":
        return sys.stdin.read()
    try:
        with open(path, encoding="utf-8") as fh:
            return fh.read()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise InputError(f"{path} is not a UTF-8 text file") from None


def read_json(path: str, **options: Any) -> Any:
    """The JSON value in ``path`` (``options`` go to :func:`json.loads`)."""
    try:
        return json.loads(read_text(path), **options)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path} is not valid JSON: {exc}") from None
