"""Variable-order heuristics for CAD.

Inside one quantifier block (and among the free variables) the order is ours to choose; it can
change the size of a CAD by orders of magnitude. We use Brown's heuristic (Brown, "Companion to
the tutorial: Cylindrical algebraic decomposition", ISSAC 2004; compared in Dolzmann, Seidl,
Sturm, "Efficient projection orders for CAD", ISSAC 2004, and Huang et al. 2014): project first
the variable with

1. the lowest maximum degree in the input polynomials, then
2. the lowest maximum total degree of a term containing it, then
3. the fewest terms containing it.

Projection eliminates the *last* variable first, so the chosen variable goes to the end.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..poly import Poly


def brown_key(var: str, polys: Sequence[Poly]) -> tuple[int, int, int]:
    """Brown's criteria for eliminating ``var`` first (smaller is better)."""
    max_deg = 0
    max_tdeg = 0
    nterms = 0
    for p in polys:
        if var not in p.ring.names:
            continue
        i = p.ring.index(var)
        for exps in p.raw.to_dict():
            if exps[i] > 0:
                max_deg = max(max_deg, exps[i])
                max_tdeg = max(max_tdeg, sum(exps))
                nterms += 1
    return (max_deg, max_tdeg, nterms)


def order_block(variables: Sequence[str], polys: Sequence[Poly]) -> list[str]:
    """Order one block of variables so that the best one to project first comes last."""
    ranked = sorted(variables, key=lambda v: (brown_key(v, polys), v))
    return list(reversed(ranked))
