"""The image of a pattern (the set of products) as a :class:`~semialg.sets.SemialgebraicSet`."""

from __future__ import annotations

from collections.abc import Sequence

from ..logic import And, Atom, Exists
from ..poly import Poly, PolyRing
from ..sets import SemialgebraicSet
from .pattern import SupportPattern


def entry_names(m: int, n: int) -> list[str]:
    """Coordinates ``a_i_j`` of an m x n matrix (0-based), row by row."""
    return [f"a{i}_{j}" for i in range(m) for j in range(n)]


def product_matrix(pattern: SupportPattern, ring: PolyRing) -> list[list[Poly]]:
    """``X_1 ... X_L`` with the free entries as the generators ``x{f}_{i}_{j}`` of ``ring``."""
    mats = [
        [
            [ring.gen(f"x{f}_{i}_{j}") if v else ring.zero() for j, v in enumerate(row)]
            for i, row in enumerate(mask)
        ]
        for f, mask in enumerate(pattern.masks)
    ]
    prod = mats[0]
    for nxt in mats[1:]:
        prod = [
            [
                sum((row[k] * nxt[k][j] for k in range(len(nxt))), ring.zero())
                for j in range(len(nxt[0]))
            ]
            for row in prod
        ]
    return prod


def image(pattern: SupportPattern, entries: Sequence[str] | None = None) -> SemialgebraicSet:
    """``{A : A = X_1 ... X_L, supp X_l within mask l}`` (lazy: nothing is eliminated until a
    question is asked of the set)."""
    m, n = pattern.shape
    names = list(entries) if entries is not None else entry_names(m, n)
    if len(names) != m * n:
        raise ValueError(f"expected {m * n} entry names, got {len(names)}")
    params = [f"x{f}_{i}_{j}" for f, i, j in pattern.free_parameters()]
    ring = PolyRing([*names, *params])
    prod = product_matrix(pattern, ring)
    atoms = [Atom(ring.gen(names[i * n + j]) - prod[i][j], "=") for i in range(m) for j in range(n)]
    return SemialgebraicSet(Exists(params, And(*atoms)), names)
