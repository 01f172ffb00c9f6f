"""Exact linear algebra over a real number field ``Q(theta)`` (elements are ``fmpq_poly``).

:func:`inertia` is symmetric Gaussian elimination by congruence with 1x1 and 2x2 pivots, so by
Sylvester's law of inertia the counts of positive, negative and zero eigenvalues are exact
(Bunch and Kaufman, Math. Comp. 31 (1977), with exact arithmetic instead of pivot thresholds).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import flint

from ..algebraic import NumberField
from ..poly import Poly

Elem = flint.fmpq_poly
FMatrix = list[list[Elem]]

_ZERO = flint.fmpq_poly([])


def evaluate(p: Poly, coords: Mapping[int, Elem], field: NumberField) -> Elem:
    """``p`` at the point whose ring-index ``i`` coordinate is ``coords[i]`` (missing: zero)."""
    total = _ZERO
    cache: dict[tuple[int, int], Elem] = {}
    for exps, c in p.qq_raw().to_dict().items():
        term = flint.fmpq_poly([c])
        for i, e in enumerate(exps):
            if not e:
                continue
            if i not in coords:
                term = _ZERO
                break
            key = (i, e)
            if key not in cache:
                cache[key] = field.reduce(coords[i] ** e)
            term = field.mul(term, cache[key])
        total = total + term
    return field.reduce(total)


def inertia(H: Sequence[Sequence[Elem]], field: NumberField) -> tuple[int, int, int]:
    """``(n_plus, n_minus, n_zero)`` of the symmetric matrix ``H`` over ``field``, exactly."""
    A = [list(r) for r in H]
    pos = neg = 0
    n = len(A)
    while A:
        k = len(A)
        piv = next((i for i in range(k) if not A[i][i].is_zero()), None)
        if piv is not None:
            s = field.sign(A[piv][piv])
            pos, neg = pos + (s > 0), neg + (s < 0)
            inv = field.inv(A[piv][piv])
            rest = [i for i in range(k) if i != piv]
            A = [
                [
                    field.reduce(A[i][j] - field.mul(field.mul(A[i][piv], inv), A[piv][j]))
                    for j in rest
                ]
                for i in rest
            ]
            continue
        pair = next(
            ((i, j) for i in range(k) for j in range(i + 1, k) if not A[i][j].is_zero()), None
        )
        if pair is None:
            break
        # [[0, b], [b, 0]] has one positive and one negative eigenvalue; eliminate the pair
        i0, j0 = pair
        pos, neg = pos + 1, neg + 1
        b_inv = field.inv(A[i0][j0])
        rest = [i for i in range(k) if i not in pair]
        # Schur complement S = C - B P^{-1} B^T with P^{-1} = [[0, 1/b], [1/b, 0]]
        A = [
            [
                field.reduce(
                    A[i][j]
                    - field.mul(
                        b_inv, field.mul(A[i][i0], A[j0][j]) + field.mul(A[i][j0], A[i0][j])
                    )
                )
                for j in rest
            ]
            for i in rest
        ]
    return pos, neg, n - pos - neg


def rank(M: Sequence[Sequence[Elem]], field: NumberField) -> int:
    """The rank of a matrix over ``field`` (Gaussian elimination)."""
    return len(row_echelon(M, field)[1])


def row_echelon(M: Sequence[Sequence[Elem]], field: NumberField) -> tuple[FMatrix, list[int]]:
    """Reduced row echelon form and pivot columns."""
    A = [list(r) for r in M]
    if not A:
        return A, []
    ncols = len(A[0])
    pivots: list[int] = []
    r = 0
    for c in range(ncols):
        p = next((i for i in range(r, len(A)) if not A[i][c].is_zero()), None)
        if p is None:
            continue
        A[r], A[p] = A[p], A[r]
        inv = field.inv(A[r][c])
        A[r] = [field.mul(x, inv) for x in A[r]]
        for i in range(len(A)):
            if i != r and not A[i][c].is_zero():
                f = A[i][c]
                A[i] = [field.reduce(x - field.mul(f, y)) for x, y in zip(A[i], A[r], strict=True)]
        pivots.append(c)
        r += 1
        if r == len(A):
            break
    return A, pivots


def solvable(M: Sequence[Sequence[Elem]], rhs: Sequence[Elem], field: NumberField) -> bool:
    """Whether ``M z = rhs`` has a solution over ``field``."""
    if not M:
        return all(x.is_zero() for x in rhs)
    aug = [[*list(r), b] for r, b in zip(M, rhs, strict=True)]
    return rank(aug, field) == rank(M, field)


def solve_one(
    M: Sequence[Sequence[Elem]], rhs: Sequence[Elem], field: NumberField
) -> list[Elem] | None:
    """One solution of ``M z = rhs`` (free variables zero), or None if there is none."""
    ncols = len(M[0]) if M else 0
    aug = [[*list(r), b] for r, b in zip(M, rhs, strict=True)]
    E, piv = row_echelon(aug, field)
    if ncols in piv:
        return None
    z = [_ZERO] * ncols
    for r, c in enumerate(piv):
        z[c] = E[r][ncols]
    return z


def nullspace(M: Sequence[Sequence[Elem]], field: NumberField) -> list[list[Elem]]:
    """A basis of ``{z : M z = 0}`` over ``field``."""
    if not M:
        return []
    ncols = len(M[0])
    E, piv = row_echelon(M, field)
    basis = []
    for f in (c for c in range(ncols) if c not in piv):
        z = [_ZERO] * ncols
        z[f] = flint.fmpq_poly([1])
        for r, c in enumerate(piv):
            z[c] = field.reduce(-E[r][f])
        basis.append(z)
    return basis
