"""Lifting: building the stack of cells over one cell.

Over a cell C of level k with sample point alpha, the level-(k+1) projection factors are evaluated
at alpha with Lazard evaluation (a factor that vanishes identically over alpha is replaced by its
lowest non-vanishing Taylor coefficient; McCallum, Parusinski, Paunescu 2019). Their distinct real
roots r_1 < ... < r_s in x_{k+1} give 2s + 1 cells: sectors (r_j, r_{j+1}) with rational sample
points (the simplest rational in between) and sections r_j with algebraic ones.

Validity checks for the cheaper operators (see :mod:`semialg.cad.projection`):

- McCallum/Brown: no projection factor may vanish identically over a cell; if one does, lifting
  raises :class:`ProjectionInvalid` and the engine restarts with Lazard's operator.
- Equational constraints: the constraint's factors must not vanish identically over any cell of
  level n - 1 (no "curtains"); otherwise :class:`ProjectionInvalid` as well.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..poly import Poly
from .budget import Budget
from .cells import Cell, RootRef


class ProjectionInvalid(Exception):
    """A cheaper projection operator's validity condition failed; restart with Lazard's."""


def _nullified(sample, p: Poly) -> bool:
    """True if ``p`` vanishes identically over the sample point (as a polynomial in x_{k+1})."""
    return sample.evaluate(p).is_zero


def build_stack(
    cell: Cell,
    factors: Sequence[Poly],
    budget: Budget,
    *,
    strict: bool = False,
    section_factors: Sequence[Poly] | None = None,
) -> list[Cell]:
    """The cells over ``cell`` for the projection factors ``factors`` of the next level.

    ``strict``: raise :class:`ProjectionInvalid` if a factor is nullified over the sample point
    (the McCallum validity condition). ``section_factors``: only these factors' roots delineate the
    stack (equational constraint at the last level); the other factors' signs are still recorded
    on every cell, exactly, at the sample points.
    """
    sample = cell.sample
    delineating = list(section_factors) if section_factors is not None else list(factors)
    if strict or section_factors is not None:
        for p in delineating if not strict else factors:
            if _nullified(sample, p):
                raise ProjectionInvalid(f"{p} vanishes identically over the cell {cell.index}")
    budget.check_time()
    roots = sample.real_roots(delineating)
    budget.charge(2 * len(roots) + 1)

    # root references: for each root, the lowest-degree factor vanishing there and its index
    counters = [0] * len(delineating)
    refs: list[RootRef] = []
    for r in roots:
        best = None
        for i in r.indices:
            counters[i] += 1
            if best is None or _ref_key(delineating[i]) < _ref_key(delineating[best[0]]):
                best = (i, counters[i])
        assert best is not None
        refs.append(RootRef(delineating[best[0]], best[1]))

    children: list[Cell] = []
    below: RootRef | None = None
    prev_root = None
    for j, r in enumerate(roots):
        budget.check_time()
        q = sample.sample_between(prev_root, r)
        children.append(
            _child(cell, 2 * j + 1, sample.extend_rational(q), factors, lower=below, upper=refs[j])
        )
        children.append(
            _child(
                cell,
                2 * j + 2,
                sample.extend_root(r),
                factors,
                section=refs[j],
                vanishing={delineating[i] for i in r.indices},
            )
        )
        below, prev_root = refs[j], r
    q = sample.sample_between(prev_root, None)
    children.append(
        _child(cell, 2 * len(roots) + 1, sample.extend_rational(q), factors, lower=below)
    )
    cell.children = children
    return children


def _ref_key(p: Poly) -> tuple:
    return (p.total_degree(), len(p.raw.to_dict()), str(p))


def _child(
    parent: Cell,
    position: int,
    sample,
    factors: Sequence[Poly],
    vanishing: set[Poly] = frozenset(),  # type: ignore[assignment]
    **bounds,
) -> Cell:
    # A factor whose Lazard evaluation vanishes at a section root vanishes there: either it is not
    # nullified over the parent (then Lazard evaluation is plain evaluation) or it is identically
    # zero over the parent. Its sign is 0 without any arithmetic in the extended field.
    signs = {p: 0 if p in vanishing else sample.sign_at(p) for p in factors}
    return Cell(
        index=(*parent.index, position), sample=sample, parent=parent, signs=signs, **bounds
    )
