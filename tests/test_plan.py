"""Tests for the learn-and-project-again loop (:mod:`semialg.cad.plan`)."""

from __future__ import annotations

import pytest

from semialg.algebraic.sample import SamplePoint
from semialg.cad.budget import Budget
from semialg.cad.cells import Cell
from semialg.cad.lifting import ProjectionInvalid, TrailingCoefficientNeeded
from semialg.cad.plan import ProjectionPlan, lift_with_learning
from semialg.poly import PolyRing


def _cell(index: tuple[int, ...]) -> Cell:
    return Cell(index=index, sample=SamplePoint.origin())


def test_lessons_are_learnt_in_order() -> None:
    """Trailing coefficients first; then the equational constraint goes, then McCallum's
    operator; Lazard's operator without constraints is never reported invalid."""
    ring = PolyRing(["x", "y"])
    x, y = ring.gens
    f = x * y - 1
    plan = ProjectionPlan([f], ring, "mccallum", equational=(f,))
    assert plan.strict
    plan.learn(TrailingCoefficientNeeded([f], _cell((1,))))
    assert plan.trailing == {f} and plan.method == "mccallum" and plan.equational == (f,)
    plan.learn(ProjectionInvalid("a factor vanishes identically"))
    assert plan.equational == () and plan.method == "mccallum"
    plan.learn(ProjectionInvalid("a leading coefficient vanishes"))
    assert plan.method == "lazard" and not plan.strict
    assert [n.split(" ")[0] for n in plan.notes] == ["trailing", "equational", "McCallum"]
    with pytest.raises(AssertionError):
        plan.learn(ProjectionInvalid("impossible"))


def test_lifting_is_retried_on_the_larger_projection() -> None:
    """The lifting callback sees the projection again after each lesson, enlarged by it."""
    ring = PolyRing(["x", "y", "z"])
    x, y, z = ring.gens
    f = x * z**2 + y * z + y**2
    plan = ProjectionPlan([f], ring)
    seen = []

    def lift(projection):
        seen.append(projection)
        if len(seen) == 1:
            raise TrailingCoefficientNeeded([f], _cell((1, 1)))
        return projection.count()

    count = lift_with_learning(plan, Budget(), lift)
    assert len(seen) == 2 and f in plan.trailing
    assert count == seen[1].count() and seen[1].factor_set >= seen[0].factor_set
