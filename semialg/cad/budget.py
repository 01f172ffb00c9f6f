"""Resource budgets: wall-clock seconds and/or number of cells.

A :class:`Budget` is charged as cells are created; when it runs out it raises
:class:`~semialg.errors.BudgetExhausted` with the reason, which the public entry points turn into
an ``unknown`` answer. Nothing is ever guessed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from ..errors import BudgetExhausted


@dataclass
class Budget:
    """At most ``seconds`` of wall-clock time and at most ``cells`` cells (``None``: unlimited)."""

    seconds: float | None = None
    cells: int | None = None
    used_cells: int = 0
    started: float = field(default_factory=time.perf_counter)

    def charge(self, cells: int = 1) -> None:
        """Account for new cells and check both limits."""
        self.used_cells += cells
        if self.cells is not None and self.used_cells > self.cells:
            raise BudgetExhausted(f"cell budget of {self.cells} cells exhausted")
        self.check_time()

    def check_time(self) -> None:
        if self.seconds is not None and self.elapsed() > self.seconds:
            raise BudgetExhausted(f"time budget of {self.seconds:g} s exhausted")

    def elapsed(self) -> float:
        return time.perf_counter() - self.started


def as_budget(budget: Budget | float | int | None) -> Budget:
    """Accept a :class:`Budget`, a number of seconds, or ``None`` (unlimited)."""
    if budget is None:
        return Budget()
    if isinstance(budget, Budget):
        return budget
    if isinstance(budget, int | float) and not isinstance(budget, bool) and budget > 0:
        return Budget(seconds=float(budget))
    from ..errors import InputError

    raise InputError(f"a budget is a positive number of seconds or a Budget, got {budget!r}")


# The deadline of the computation in progress lives at the bottom of the layer stack.
from ..deadline import CURRENT, check_current  # noqa: E402

__all__ = ["CURRENT", "Budget", "as_budget", "check_current"]
