"""The deadline of the computation in progress, visible to every layer.

A decision or elimination with a time budget (:mod:`semialg.qe.api`) installs its budget here;
long loops anywhere below (Euclidean algorithms over number fields, lifting, symbolic pre-passes)
call :func:`check_current`, which raises :class:`~semialg.errors.BudgetExhausted` once the budget
has run out. This module is at the bottom of the layer stack (it imports nothing of semialg but
:mod:`semialg.errors`), so that lower layers can check the clock without importing higher ones.
"""

from __future__ import annotations

import time
from contextvars import ContextVar
from typing import Protocol


class _Clock(Protocol):
    def check_time(self) -> None: ...


#: The budget of the decision or elimination in progress (None: no limit).
CURRENT: ContextVar[_Clock | None] = ContextVar("semialg_current_budget", default=None)


def check_current() -> None:
    """Raise :class:`~semialg.errors.BudgetExhausted` if the budget in progress ran out."""
    b = CURRENT.get()
    if b is not None:
        b.check_time()


class Stopwatch:
    """Wall-clock time since creation against an optional limit in seconds."""

    def __init__(self, seconds: float | None):
        self.start = time.perf_counter()
        self.seconds = seconds

    def elapsed(self) -> float:
        return time.perf_counter() - self.start

    def left(self, floor: float = 0.0) -> float | None:
        """Seconds left (at least ``floor``), or None without a limit."""
        return None if self.seconds is None else max(self.seconds - self.elapsed(), floor)

    def out(self) -> bool:
        return self.seconds is not None and self.elapsed() > self.seconds
