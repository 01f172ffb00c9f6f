"""Exact membership of a matrix in the image of a product of sparse factors.

Two exact tools:

- :func:`groebner_infeasible`: the equations ``X_1 ... X_L = A`` (unknowns: the masked entries)
  have Groebner basis {1} over Q, so there is no solution even over C (Hilbert's Nullstellensatz);
- :func:`decide_membership`: the sentence ``E params [X_1 ... X_L = A]`` decided by the CAD/QE
  engine (exact real decision; may return :class:`~semialg.qe.result.Unknown` on a budget).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import sympy

from ..errors import InputError
from ..qe import Unknown, decide
from .pattern import SupportPattern

Matrix = Sequence[Sequence[object]]


def as_rational_matrix(a: object, shape: tuple[int, int]) -> list[list[Fraction]]:
    """A matrix of exact rationals of the given shape (ints, Fractions, 'p/q' strings, SymPy
    rationals; floats are taken as the rationals they are)."""
    from ..poly import to_fmpq

    try:
        import numpy as np

        if isinstance(a, np.ndarray):
            a = a.tolist()
    except ImportError:  # pragma: no cover
        pass
    if not isinstance(a, Sequence) or isinstance(a, str):
        raise InputError(f"a matrix is a list of rows, got {a!r}")
    rows = list(a)
    if len(rows) != shape[0] or any(
        not isinstance(r, Sequence) or isinstance(r, str) or len(r) != shape[1] for r in rows
    ):
        raise InputError(f"expected a {shape[0]}x{shape[1]} matrix, got {a!r}")
    out = []
    for r in rows:
        row = []
        for v in r:
            if isinstance(v, str):
                try:
                    row.append(Fraction(v))
                except (ValueError, ZeroDivisionError):
                    raise InputError(f"matrix entry {v!r} is not a rational number") from None
            else:
                q = to_fmpq(v)
                row.append(Fraction(int(q.p), int(q.q)))
        out.append(row)
    return out


def parameter_symbols(pattern: SupportPattern) -> list[list[list[sympy.Symbol | int]]]:
    """SymPy matrices of unknowns: ``x{f}_{i}_{j}`` for each masked entry, 0 elsewhere."""
    return [
        [
            [sympy.Symbol(f"x{f}_{i}_{j}", real=True) if v else 0 for j, v in enumerate(row)]
            for i, row in enumerate(m)
        ]
        for f, m in enumerate(pattern.masks)
    ]


def product_equations(pattern: SupportPattern, a: Matrix) -> tuple[list, list]:
    """The polynomial equations ``(X_1 ... X_L - A)_{ij} = 0`` and the unknowns."""
    mats = [sympy.Matrix(m) for m in parameter_symbols(pattern)]
    prod = mats[0]
    for m in mats[1:]:
        prod = prod * m
    rows, cols = pattern.shape
    am = as_rational_matrix(a, (rows, cols))
    eqs = []
    for i in range(rows):
        for j in range(cols):
            e = sympy.expand(prod[i, j] - sympy.Rational(am[i][j].numerator, am[i][j].denominator))
            if e != 0:
                eqs.append(e)
    gens = sorted({s for m in mats for s in m.free_symbols}, key=lambda s: s.name)
    return eqs, gens


def groebner_infeasible(equations: list, gens: list) -> bool:
    """True if the reduced Groebner basis of the equations over Q is {1}."""
    if any(e.is_number and e != 0 for e in equations):
        return True
    eqs = [e for e in equations if e != 0]
    if not eqs:
        return False
    if not gens:
        return False
    basis = sympy.groebner(eqs, *gens, order="grevlex", domain="QQ")
    return list(basis.exprs) == [1]


def decide_membership(pattern: SupportPattern, a: Matrix, budget: float | None = None):
    """Exact real membership of A in the image (True/False, or Unknown on budget): the image
    set's sentence ``E params [X_1 ... X_L = A]`` decided by the CAD engine."""
    from .image import image

    m, n = pattern.shape
    return image(pattern).contains(
        [v for row in as_rational_matrix(a, (m, n)) for v in row], budget=budget
    )


def contains(pattern: SupportPattern, a: Matrix, budget: float | None = None) -> bool | Unknown:
    """Whether ``A = X_1 ... X_L`` for some factors with the pattern's supports (exact).

    Two factors: by the reductions of docs/sparse.md, A is a product iff, for every residual
    group, A restricted to the group's non-free entries is in the group's image (entries that are
    free or covered by no term impose nothing, resp. must be 0). A group that is one block of rank
    <= c without holes is an exact rank test; other groups are decided by a Groebner basis {1}
    (no) or the CAD engine on the group's own, fewer, parameters.
    """
    m, n = pattern.shape
    am = as_rational_matrix(a, (m, n))
    if pattern.num_factors != 2:
        eqs, gens = product_equations(pattern, am)
        if groebner_infeasible(eqs, gens):
            return False
        return decide_membership(pattern, am, budget)
    from .reduce import reduce_pattern

    red = reduce_pattern(pattern)
    covered = set(red.free).union(*(g.entries for g in red.groups)) if red.groups else set(red.free)
    if any(am[i][j] != 0 for i in range(m) for j in range(n) if (i, j) not in covered):
        return False
    unknown = None
    for g in red.groups:
        ans = _group_contains(g, {e: am[e[0]][e[1]] for e in g.entries}, budget)
        if ans is False:
            return False
        if ans is not True:
            unknown = ans
    return True if unknown is None else unknown


def _group_contains(group, target, budget):
    import flint

    from .exact import group_image_formula

    if group.is_single_complete():
        (t,) = group.terms
        rows, cols = sorted(t.rows), sorted(t.cols)
        mat = flint.fmpq_mat(
            len(rows),
            len(cols),
            [
                flint.fmpq(target[(i, j)].numerator, target[(i, j)].denominator)
                for i in rows
                for j in cols
            ],
        )
        return mat.rank() <= t.rank
    from .witness import group_equations

    eqs, gens = group_equations(group, target)
    if groebner_infeasible(eqs, gens):
        return False
    from ..logic import substitute

    formula, coords = group_image_formula(group)
    values = {c: target[e] for c, e in zip(coords, sorted(group.entries), strict=True)}
    return decide(substitute(formula, values), budget=budget)
