"""Lifting: building the stack of cells over one cell.

Over a cell C of level k with sample point alpha, the level-(k+1) projection factors are evaluated
at alpha with Lazard evaluation (a factor that vanishes identically over alpha is replaced by its
lowest non-vanishing Taylor coefficient; McCallum, Parusinski, Paunescu 2019). Their distinct real
roots r_1 < ... < r_s in x_{k+1} give 2s + 1 cells: sectors (r_j, r_{j+1}) with rational sample
points (the simplest rational in between) and sections r_j with algebraic ones.

Validity checks for the cheaper operators (see :mod:`semialg.cad.projection`):

- McCallum/Brown: no projection factor may vanish identically at any point of a cell, and its
  degree must be constant on the cell (McCallum 1998, Theorem 2). Over a cell of positive
  dimension the sample point alone does not show this: the factor x*z + y - 1 (order x < y < z)
  has the projection {x}, the cell {x = 0} x R contains the nullification point (0, 1) but its
  sample (0, 0) does not. So the check is: the factor is not nullified at the sample point, and
  over a cell of positive dimension its leading coefficient does not vanish at the sample point
  (the leading coefficient is a product of projection factors of lower level, sign-invariant on
  the cell, so it is then nonzero on the whole cell). Otherwise lifting raises
  :class:`ProjectionInvalid` and the engine restarts with Lazard's operator.
- Lazard with the Brown-McCallum reduction: a factor projected without its trailing coefficient
  (:attr:`~semialg.cad.projection.Projection.unverified`) must not vanish identically at any
  point of a cell of positive dimension. That holds if one of its certifying coefficients
  (sign-invariant on every cell; the leading coefficient is one) is nonzero at the sample point;
  otherwise lifting raises :class:`TrailingCoefficientNeeded` and the caller projects again
  with that trailing coefficient.
- Equational constraints: the constraint's factors must not vanish identically at any point of a
  cell of level n - 1 (no "curtains"; Nair, Davenport, Sankaran 2019). Over a cell of positive
  dimension, a factor listed in :attr:`~Projection.unverified` has passed the check above (a
  certifying coefficient is nonzero on the whole cell), and a factor with a nonzero constant
  coefficient never vanishes identically. For the others (their trailing coefficient is
  projected), the same test runs with their certifying coefficients, which include the leading
  and the trailing one: a nullification point of C would make all of them zero, and they are
  sign-invariant on C.
  Over a 0-cell, f must not be nullified at the sample point. Otherwise
  :class:`ProjectionInvalid` as well. (Before the sixth session only the leading and trailing
  coefficients were tried, and constraints that another certifying coefficient showed valid
  were dropped.)
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Sequence

from ..poly import Poly
from .budget import Budget
from .cells import Cell, RootRef
from .projection import Projection, coefficient_factors, never_nullified


class ProjectionInvalid(Exception):
    """A cheaper projection operator's validity condition failed; restart with Lazard's."""


class TrailingCoefficientNeeded(ProjectionInvalid):
    """Factors projected without their trailing coefficients may vanish identically on a cell of
    positive dimension: all their certifying coefficients vanish there (Brown-McCallum reduction
    of Lazard's operator, see :mod:`semialg.cad.projection`). Project again with ``trailing``
    including ``polys``."""

    def __init__(self, polys: Sequence[Poly], cell: Cell):
        self.polys = tuple(polys)
        self.cell = cell
        names = ", ".join(str(p) for p in self.polys)
        super().__init__(
            f"the leading coefficient of {names} vanishes on the cell {cell.index}, and so does"
            " every other coefficient sign-invariant there"
        )


def _leading_coefficient_vanishes(cell: Cell, p: Poly) -> bool:
    """True if lc(p) vanishes at the sample point (so on the whole cell: it is sign-invariant)."""
    var = p.main_variable()
    assert var is not None
    return cell.sample.evaluate(p).degree < p.degree(var)


def _may_vanish_identically(
    cell: Cell, f: Poly, certifying: Sequence[Poly], known: Collection[Poly]
) -> bool:
    """True unless a certifying coefficient of ``f`` is nonzero at the sample point (so on the
    whole cell: it is sign-invariant), or a coefficient restricted to the section is."""
    if any(not cell.sample.evaluate(c).is_zero for c in certifying):
        return False
    return not (known and cell.is_section and _certified_on_section(cell, f, known))


def _certified_on_section(cell: Cell, f: Poly, known: Collection[Poly]) -> bool:
    """Whether a coefficient of ``f``, restricted to the section ``cell``, is nonzero on it.

    The cell lies on the zero set of a factor h = h1 x_k + h0 of its level whose sign there is
    0. If h1 is nonzero at the sample point (on the whole base cell: it is a projection factor),
    then x_k = -h0/h1 on the cell, and a coefficient c of f, of degree e in x_k, equals
    N / h1^e there with N = h1^e c(-h0/h1), a polynomial in x_1..x_{k-1}. If N is a product
    of projection factors (sign-invariant on the base cell) and nonzero at the sample point, c
    vanishes nowhere on the cell, so neither does f identically.
    """
    var = f.ring.names[cell.level - 1]
    coefficients = [c for c in f.coeffs_in(f.main_variable()) if not c.is_zero]
    for h, sign in cell.signs.items():
        if sign != 0 or h.degree(var) != 1:
            continue
        if cell.sample.evaluate(h.leading_coeff(var)).is_zero:
            continue
        for c in coefficients:
            restricted = _on_hyperplane(c, var, h)
            if restricted.is_zero or not all(g in known for g in coefficient_factors(restricted)):
                continue
            if not cell.sample.evaluate(restricted).is_zero:
                return True
    return False


@functools.lru_cache(maxsize=4096)
def _on_hyperplane(c: Poly, var: str, h: Poly) -> Poly:
    """h1^e c(x_k := -h0/h1) for h = h1 x_k + h0, with e the degree of c in x_k = ``var``
    (memoised: the same pairs recur on many cells)."""
    h0, h1 = h.coeffs_in(var)
    return c.substitute_fraction(var, -h0, h1, max(c.degree(var), 0))


def _not_nullified_on(cell: Cell, p: Poly, projection: Projection | None) -> bool:
    """Whether ``p`` provably vanishes identically nowhere on the positive-dimensional ``cell``:
    it has a nonzero constant coefficient, or it passed the check for unverified factors, or a
    coefficient of it that is a product of projection factors (the trailing one, once projected,
    is) is nonzero at the sample point, or on a section a restricted coefficient is."""
    var = p.main_variable()
    if never_nullified(p, var):  # type: ignore[arg-type]
        return True
    if projection is None:
        return False
    if p in projection.unverified:
        return True  # build_stack has checked its certifying coefficients on this cell
    return not _may_vanish_identically(cell, p, projection.certifying(p), projection.factor_set)


def _validity_failure(cell: Cell, p: Poly, *, mccallum: bool) -> str | None:
    """Why the cheaper operator may not be valid for the factor ``p`` over ``cell``, or ``None``.

    ``mccallum``: McCallum/Brown's condition (no nullification, constant degree on the cell);
    otherwise the equational-constraint condition under Lazard's operator (no nullification).
    See the module docstring for why the checks at the sample point cover the whole cell.
    """
    value = cell.sample.evaluate(p)  # p(alpha, x_{k+1}); cached on the sample point
    if value.is_zero:
        return f"{p} vanishes identically over the cell {cell.index}"
    if cell.dimension == 0:
        return None
    if not _leading_coefficient_vanishes(cell, p):
        return None  # leading coefficient nonzero on the whole cell
    if mccallum:
        return f"the leading coefficient of {p} vanishes on the cell {cell.index}"
    var = p.main_variable()
    low = next(e for e, c in enumerate(p.coeffs_in(var)) if not c.is_zero)
    if low >= len(value.coeffs) or value.coeffs[low].is_zero():
        return f"the leading and trailing coefficients of {p} vanish on the cell {cell.index}"
    return None


def build_stack(
    cell: Cell,
    factors: Sequence[Poly],
    budget: Budget,
    *,
    strict: bool = False,
    section_factors: Sequence[Poly] | None = None,
    projection: Projection | None = None,
) -> list[Cell]:
    """The cells over ``cell`` for the projection factors ``factors`` of the next level.

    ``strict``: raise :class:`ProjectionInvalid` if a factor is nullified over the sample point
    (the McCallum validity condition). ``section_factors``: only these factors' roots delineate the
    stack (equational constraint at the last level); the other factors' signs are still recorded
    on every cell, exactly, at the sample points. ``projection``: the projection ``factors`` come
    from; raise :class:`TrailingCoefficientNeeded` if over a cell of positive dimension all
    certifying coefficients of one of its :attr:`~Projection.unverified` factors (projected
    without their trailing coefficients) vanish, and, on a section, no coefficient restricted to
    it certifies it either.
    """
    sample = cell.sample
    delineating = list(section_factors) if section_factors is not None else list(factors)
    unverified = projection.unverified if projection is not None else {}
    if unverified and cell.dimension > 0 and not strict:
        known = projection.factor_set  # type: ignore[union-attr]
        failing = [
            p
            for p in delineating
            if p in unverified and _may_vanish_identically(cell, p, unverified[p], known)
        ]
        if failing:
            raise TrailingCoefficientNeeded(failing, cell)
    if strict or section_factors is not None:
        for p in delineating if not strict else factors:
            if not strict and cell.dimension > 0 and _not_nullified_on(cell, p, projection):
                continue
            failure = _validity_failure(cell, p, mccallum=strict)
            if failure is not None:
                raise ProjectionInvalid(failure)
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

    # p(alpha, y) for every factor: signs on the stack are signs of these univariate polynomials
    # at the sample points (zero where p vanishes identically over alpha). A delineating factor
    # has all its real roots among ``roots``, so it keeps its sign from a sector through the next
    # section (unless it vanishes there) and into the next sector (unless it vanished at the
    # root in between): only those signs are computed. Other factors (the non-delineating ones
    # over an equational constraint's stack) are evaluated at every sample point.
    plain = {p: sample.evaluate(p) for p in factors}
    delineated = set(delineating)
    children: list[Cell] = []
    below: RootRef | None = None
    prev_root = None
    keep: set[Poly] = set()  # factors whose sign carries over from the previous sector
    signs: dict[Poly, int] = {}
    for j, r in enumerate(roots):
        budget.check_time()
        q = sample.sample_between(prev_root, r)
        signs = _sector_signs(sample, factors, plain, q, signs, keep)
        sector = _cell(
            cell, 2 * j + 1, sample.extend_rational(q), signs, lower=below, upper=refs[j]
        )
        vanishing = {delineating[i] for i in r.indices}
        point = sample.extend_root(r)
        at_root = {
            p: 0
            if p in vanishing
            else signs[p]
            if p in delineated
            else _sign_at_root(point, p, plain[p], r)
            for p in factors
        }
        children += [sector, _cell(cell, 2 * j + 2, point, at_root, section=refs[j])]
        below, prev_root, keep = refs[j], r, delineated - vanishing
    q = sample.sample_between(prev_root, None)
    signs = _sector_signs(sample, factors, plain, q, signs, keep)
    children.append(_cell(cell, 2 * len(roots) + 1, sample.extend_rational(q), signs, lower=below))
    cell.children = children
    return children


def _sector_signs(sample, factors, plain, q, previous, keep) -> dict[Poly, int]:
    """Signs on the sector with rational sample ``q``: copied from ``previous`` for ``keep``."""
    return {
        p: previous[p] if p in keep else _sign_at_rational(sample, plain[p], q) for p in factors
    }


def _sign_at_rational(sample, kpoly, q) -> int:
    """Sign of p(alpha, q) from the univariate p(alpha, y) over K (exact; balls inside K)."""
    if kpoly.is_zero:
        return 0
    return sample.field.sign(kpoly.eval_rational(q))


_SECTION_PRECISIONS = (64, 128, 256, 512)


def _sign_at_root(point, p: Poly, kpoly, root) -> int:
    """Sign of p at a section point (alpha, beta) where p is not among the vanishing factors.

    Such a factor is nonzero there unless it vanishes identically over alpha (``kpoly`` zero).
    Balls around beta decide the sign of the nonzero value; only if they fail at every precision
    tried is the section's field built and the sign decided exactly.
    """
    if kpoly.is_zero:
        return 0
    for prec in _SECTION_PRECISIONS:
        value = kpoly.ball(root.root.ball(prec), prec)
        if value > 0:
            return 1
        if value < 0:
            return -1
    return point.sign_at(p)


def _ref_key(p: Poly) -> tuple:
    return (p.total_degree(), len(p.raw.to_dict()), str(p))


def _cell(parent: Cell, position: int, sample, signs: dict[Poly, int], **bounds) -> Cell:
    # On a section, a factor whose Lazard evaluation vanishes at the root vanishes there: either
    # it is not nullified over the parent (then Lazard evaluation is plain evaluation) or it is
    # identically zero over the parent. Its sign is 0 without arithmetic in the extended field.
    return Cell(
        index=(*parent.index, position), sample=sample, parent=parent, signs=signs, **bounds
    )
