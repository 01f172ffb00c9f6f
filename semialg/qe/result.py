"""Answers of the decision and elimination procedures, including ``unknown``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Unknown:
    """No answer: a resource budget ran out (``reason`` says which).

    It has no truth value: ``bool(Unknown(...))`` raises, so an unknown answer can never be
    mistaken for ``False``.
    """

    reason: str

    def __bool__(self) -> bool:
        raise TypeError(f"an unknown answer has no truth value ({self.reason})")

    def __str__(self) -> str:
        return f"unknown ({self.reason})"


@dataclass
class QEResult:
    """An answer with its provenance.

    ``answer``: ``True``/``False`` (decision), a quantifier-free formula (elimination), or
    :class:`Unknown`. ``variable_order``: the order x_1 < ... < x_n used by the CAD (the last
    variable projected first); ``cells``: the number of cells constructed; ``method``: the
    projection operator(s) used; ``notes``: what the pre-passes and fall-backs did.
    """

    answer: Any
    variable_order: tuple[str, ...] = ()
    cells: int = 0
    seconds: float = 0.0
    method: str = "lazard"
    notes: list[str] = field(default_factory=list)

    @property
    def is_unknown(self) -> bool:
        return isinstance(self.answer, Unknown)
