"""The exact two-stage decision of closedness for a residual group (docs/sparse.md, Fact 8).

Stage 1 eliminates the factor entries from ``sum_b pi(U_b V_b^T) = A`` (only equations, so the
CAD uses equational constraints); stage 2 decides whether the resulting quantifier-free set in the
group's coordinates is closed (:meth:`~semialg.sets.SemialgebraicSet.is_closed`). Both stages are
exact; a budget that runs out gives ``None`` with the reason.
"""

from __future__ import annotations

import time

from ..cad.budget import Budget
from ..logic import And, Atom, Exists
from ..poly import PolyRing
from ..qe import Unknown, qe
from ..sets import SemialgebraicSet
from .reduce import Group
from .witness import _products, group_parameters


def coordinate_name(e: tuple[int, int]) -> str:
    return f"a{e[0]}_{e[1]}"


def parameter_name(p: tuple[str, int, int]) -> str:
    return f"{p[0]}{p[1]}_{p[2]}"


def group_image_formula(group: Group):
    """``E params [sum of the group's products = a on each non-free entry]``."""
    entries = sorted(group.entries)
    params = group_parameters(group)
    ring = PolyRing([*(coordinate_name(e) for e in entries), *(parameter_name(p) for p in params)])
    atoms = []
    for e, pairs in _products(group).items():
        s = ring.zero()
        for a, b in pairs:
            s = s + ring.gen(parameter_name(a)) * ring.gen(parameter_name(b))
        atoms.append(Atom(ring.gen(coordinate_name(e)) - s, "="))
    return Exists([parameter_name(p) for p in params], And(*atoms)), [
        coordinate_name(e) for e in entries
    ]


def decide_group_closed(group: Group, seconds: float | None) -> tuple[bool | None, dict]:
    """(closed?, evidence); closed? is None when the budget runs out."""
    start = time.perf_counter()
    formula, coords = group_image_formula(group)
    budget = Budget(seconds=seconds) if seconds else None
    image_qf = qe(formula, budget=budget)
    if isinstance(image_qf, Unknown):
        return None, {"reason": f"stage 1 (elimination): {image_qf.reason}"}
    elapsed = time.perf_counter() - start
    left = None if seconds is None else max(seconds - elapsed, 0.01)
    s = SemialgebraicSet(image_qf, coords)
    ans = s.is_closed(budget=Budget(seconds=left) if left else None)
    evidence = {
        "coordinates": coords,
        "image": str(image_qf),
        "stage1_seconds": round(elapsed, 4),
        "stage2_seconds": round(time.perf_counter() - start - elapsed, 4),
    }
    if isinstance(ans, Unknown):
        return None, {"reason": f"stage 2 (closure): {ans.reason}", **evidence}
    return bool(ans), evidence
