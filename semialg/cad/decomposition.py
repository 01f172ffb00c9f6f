"""Sign-invariant cylindrical algebraic decomposition: the public :func:`cad`.

Collins' algorithm (Collins 1975) with Lazard's projection and Lazard evaluation by default
(McCallum, Parusinski, Paunescu 2019), McCallum/Brown's operator on request with its validity
checked during lifting. The result lists every cell of R^n with an exact sample point and the signs
of the input polynomials, which are constant on each cell.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from ..errors import InputError
from ..poly import Poly, PolyRing, parse_polynomial, poly_from_sympy, symbol_names
from .budget import Budget, as_budget
from .cells import Cell
from .lifting import build_stack
from .plan import ProjectionPlan, lift_with_learning
from .projection import Projection, ProjectionMethod


def as_polynomials(polys: Iterable[object], ring: PolyRing) -> list[Poly]:
    """SymPy expressions, polynomial text or :class:`Poly` objects as polynomials of ``ring``."""
    out = []
    for p in polys:
        if isinstance(p, str):
            out.append(parse_polynomial(p, ring))
        else:
            out.append(poly_from_sympy(p, ring))
    return out


@dataclass
class CAD:
    """A sign-invariant CAD of R^n for the input polynomials.

    ``cells()`` lists the cells of R^n (``cells(k)``: those of R^k); each has ``index``,
    ``dimension``, ``sample`` (exact), ``signs`` (projection factors of its level) and
    ``defining_formula``. ``input_signs(cell)`` gives the signs of the input polynomials.
    """

    ring: PolyRing
    polynomials: list[Poly]
    projection: Projection
    root: Cell
    method: ProjectionMethod
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def variables(self) -> tuple[str, ...]:
        return self.ring.names

    def cells(self, level: int | None = None) -> list[Cell]:
        """All cells of R^level (default: R^n), in lexicographic index order."""
        k = self.ring.nvars if level is None else level
        layer = [self.root]
        for _ in range(k):
            layer = [c for cell in layer for c in (cell.children or [])]
        return layer

    @property
    def cell_count(self) -> int:
        return len(self.cells())

    def input_signs(self, cell: Cell) -> tuple[int, ...]:
        """Signs of the input polynomials on a cell of R^n (exact, at the sample point)."""
        return tuple(cell.sample.sign_at(p) for p in self.polynomials)

    def locate(self, point: Sequence[object]) -> Cell:
        """The cell of R^n containing a rational point."""
        from ..algebraic.numberfield import IsolatedRoot
        from ..algebraic.sample import SamplePoint
        from ..poly.ring import fmpq_to_fraction, to_fmpq

        if len(point) != self.ring.nvars:
            raise InputError(f"expected {self.ring.nvars} coordinates, got {len(point)}")
        coords = [fmpq_to_fraction(to_fmpq(v)) for v in point]
        cell = self.root
        prefix = SamplePoint.origin()
        for k in range(self.ring.nvars):
            roots = prefix.real_roots(self.projection.factors(k + 1))
            x = IsolatedRoot.rational(coords[k])
            below = sum(1 for r in roots if r.root.compare(x) < 0)
            on = any(r.root.compare(x) == 0 for r in roots)
            position = 2 * below + (2 if on else 1)
            assert cell.children is not None
            cell = cell.children[position - 1]
            prefix = prefix.extend_rational(coords[k])
        return cell

    def __repr__(self) -> str:
        return (
            f"CAD(variables={list(self.variables)}, cells={self.cell_count}, "
            f"projection_factors={self.projection.count()}, method={self.method!r})"
        )


def lift_all(root: Cell, projection: Projection, budget: Budget, *, strict: bool) -> None:
    """Lift every cell to level n (a full CAD)."""
    layer = [root]
    for k in range(1, projection.nvars + 1):
        factors = projection.factors(k)
        nxt: list[Cell] = []
        for cell in layer:
            nxt.extend(build_stack(cell, factors, budget, strict=strict, projection=projection))
        layer = nxt


def cad(
    polynomials: Iterable[object],
    variables: object,
    *,
    method: ProjectionMethod = "lazard",
    budget: Budget | float | None = None,
) -> CAD:
    """A sign-invariant CAD of R^n for ``polynomials`` in ``variables`` (x_1 < ... < x_n).

    ``polynomials``: SymPy expressions, polynomial text, or :class:`~semialg.poly.Poly`.
    ``variables``: SymPy symbols or names; the last one is projected first.
    ``method``: ``"lazard"`` (always valid) or ``"mccallum"`` (Brown-McCallum; used only when its
    validity condition holds, otherwise the computation restarts with Lazard and says so in
    ``notes``). ``budget``: seconds, or a :class:`Budget`; raises
    :class:`~semialg.errors.BudgetExhausted` when exhausted.
    """
    from ..algebraic.sample import SamplePoint

    if method not in ("lazard", "mccallum"):
        raise InputError(f"unknown projection method {method!r} (use 'lazard' or 'mccallum')")
    ring = PolyRing(symbol_names(variables))
    if ring.nvars == 0:
        raise InputError("a CAD needs at least one variable")
    polys = as_polynomials(polynomials, ring)
    bud = as_budget(budget)
    start = time.perf_counter()
    plan = ProjectionPlan(polys, ring, method)

    def lift(projection: Projection) -> tuple[Cell, Projection]:
        root = Cell(index=(), sample=SamplePoint.origin())
        lift_all(root, projection, bud, strict=plan.strict)
        return root, projection

    root, proj = lift_with_learning(plan, bud, lift)
    return CAD(ring, polys, proj, root, plan.method, time.perf_counter() - start, plan.notes)


__all__ = ["CAD", "Fraction", "as_polynomials", "cad", "lift_all"]
