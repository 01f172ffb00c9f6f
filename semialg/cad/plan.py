"""Learn and project again: the loop shared by :func:`~semialg.cad.cad`, the QE engine and
:func:`~semialg.qe.find_point`.

A projection is computed once from a :class:`ProjectionPlan`. Lifting then checks the validity
conditions of the cheaper operators over each cell (:mod:`semialg.cad.lifting`); a failed check
raises :class:`~semialg.cad.lifting.ProjectionInvalid`, and the plan learns from it:

- :class:`~semialg.cad.lifting.TrailingCoefficientNeeded` (Lazard's operator with the
  Brown-McCallum reduction): the named factors get their trailing coefficients projected;
- otherwise an equational constraint, if one is used, is dropped (Nair, Davenport, Sankaran
  2019: no factor of it may vanish identically over a cell);
- otherwise McCallum's operator gives way to Lazard's, which is always valid (McCallum,
  Parusinski, Paunescu 2019).

Every step is recorded in :attr:`ProjectionPlan.notes`. Each of them makes the projection larger,
so the loop ends: at worst with Lazard's operator, no equational constraint and every trailing
coefficient projected, which no check rejects.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from ..poly import Poly, PolyRing
from .budget import Budget
from .lifting import ProjectionInvalid, TrailingCoefficientNeeded
from .projection import Projection, ProjectionMethod, project

T = TypeVar("T")


@dataclass
class ProjectionPlan:
    """What to project, and what lifting has taught so far."""

    polynomials: Sequence[Poly]
    ring: PolyRing
    method: ProjectionMethod = "lazard"
    equational: tuple[Poly, ...] = ()
    extra: list[Poly] = field(default_factory=list)
    trailing: set[Poly] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)

    @property
    def strict(self) -> bool:
        """Whether lifting must check McCallum's validity condition."""
        return self.method == "mccallum"

    def project(self, check: Callable[[], None] = lambda: None) -> Projection:
        return project(
            self.polynomials,
            self.ring,
            self.method,
            equational=self.equational,
            extra=self.extra,
            check=check,
            trailing=self.trailing,
        )

    def learn(self, exc: ProjectionInvalid) -> None:
        """Enlarge the plan after a failed validity check (see the module docstring)."""
        if isinstance(exc, TrailingCoefficientNeeded):
            self.notes.append(f"trailing coefficients projected: {exc}")
            self.trailing.update(exc.polys)
        elif self.equational:
            self.notes.append(f"equational constraint dropped ({exc})")
            self.equational = ()
        elif self.method == "mccallum":
            self.notes.append(f"McCallum projection not valid here ({exc}); used Lazard's")
            self.method = "lazard"
        else:  # pragma: no cover - Lazard's operator without constraints is always valid
            raise AssertionError(f"Lazard's projection reported invalid: {exc}") from exc


def lift_with_learning(plan: ProjectionPlan, budget: Budget, lift: Callable[[Projection], T]) -> T:
    """``lift(projection)`` for the plan's projection, projecting again after every lesson."""
    while True:
        projection = plan.project(budget.check_time)
        try:
            return lift(projection)
        except ProjectionInvalid as exc:
            plan.learn(exc)
