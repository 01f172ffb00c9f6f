"""A sparse linear network with a spurious strict local minimum (Lin, Sun, Zhang, 2009.07439).

The instance (found by a numeric multistart search, then certified exactly): masks
``X = [[*, 0], [*, *]]`` and ``Y = [[0, *, *], [*, 0, 0]]`` (pattern ``"10,11 011,100"``, six
weights), data ``D`` (3 x 3, invertible) and targets ``T`` (2 x 3) below. Unit 1 feeds a rank-one
block on rows {1, 2} x columns {2, 3} of ``W = X Y``, unit 2 the single entry ``W[2, 1]``; the
data ``D`` couples the columns, which makes this a weighted rank-one approximation.

Certificate (all exact, :func:`semialg.landscape.analyze`):

1. every critical point modulo the scaling symmetry is found (no unresolved gauge case), with
   coordinates in number fields; the point ``p`` below is an exact zero of the gradient;
2. the Hessian at ``p`` has inertia (4, 0, 2) and the scaling orbit has dimension 2, so the
   Hessian is positive definite on a complement of the orbit: a strict local minimum modulo the
   symmetry (Morse-Bott);
3. the global infimum is attained (the image of ``(X, Y) -> X Y`` is closed: disjoint blocks of
   rank at most one, and ``D`` is invertible) and equals the least critical value, an algebraic
   number near 1.7086, strictly below ``L(p) ~ 11.2041``.

Observed numerically (not part of the proof): gradient descent started near ``p`` returns to\n``p``.
"""

from __future__ import annotations

import sys
import time

if __package__ in (None, ""):  # allow `python proofs/landscape_sparse_spurious.py`
    sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parents[1]))

from semialg.landscape import LinearNetwork, analyze, exact_str

CLAIM = (
    "Sparse linear networks can have spurious strict local minima (Lin, Sun, Zhang, 'On the "
    "landscape of one-hidden-layer sparse networks and beyond', arXiv 2009.07439): certified "
    "on the 2x2x3 network with masks 10,11 / 011,100"
)
PATTERN = "10,11 011,100"
D = [[-3, 2, 3], [1, 1, 3], [-2, 2, 3]]
T = [[2, -3, -3], [0, -2, 3]]


def _numeric_return(net: LinearNetwork, point: dict) -> float:
    """Loss after gradient descent from a perturbation of ``point`` (observation only)."""
    import numpy as np

    from semialg.landscape.numeric import descend

    w0 = np.array([float(point[v]) for v in net.names])
    rng = np.random.default_rng(0)
    return descend(net, w0 + 1e-2 * rng.standard_normal(len(w0)))[1]


def run() -> dict:
    start = time.perf_counter()
    net = LinearNetwork.from_pattern(PATTERN, D, T)
    land = analyze(net, budget=5.0)
    spurious = [c for c in land.critical_points if c.spurious and c.strict]
    holds = bool(
        spurious
        and land.attained is True
        and not land.unresolved
        and all(c.kind == "local_min" and c.inertia[1] == 0 for c in spurious)
    )
    details: dict = {
        "pattern": PATTERN,
        "D": D,
        "T": T,
        "critical_points": len(land.critical_points),
        "infimum": exact_str(land.infimum) if land.infimum is not None else None,
        "infimum_approx": float(land.infimum) if land.infimum is not None else None,
        "infimum_reason": land.infimum_reason,
    }
    if spurious:
        p = spurious[0]
        details["spurious_point"] = {v: exact_str(x) for v, x in p.point.items()}
        details["spurious_point_approx"] = {v: float(x) for v, x in p.point.items()}
        details["spurious_loss"] = exact_str(p.loss)
        details["spurious_loss_approx"] = float(p.loss)
        details["inertia"] = list(p.inertia)
        details["orbit_dimension"] = p.orbit_dimension
        details["bfgs_return_loss"] = _numeric_return(net, p.point)
        summary = (
            f"{len(land.critical_points)} critical points modulo scaling; strict local minimum "
            f"with loss {float(p.loss):.6f} (Hessian inertia {tuple(p.inertia)}, orbit "
            f"dimension {p.orbit_dimension}) above the attained infimum "
            f"{float(land.infimum):.6f}"
        )
    else:
        summary = "no certified spurious strict local minimum on this instance"
    return {
        "claim": CLAIM,
        "holds": holds,
        "summary": summary,
        "seconds": time.perf_counter() - start,
        "details": details,
    }


if __name__ == "__main__":
    result = run()
    d = result["details"]
    if "spurious_point" in d:
        print("spurious strict local minimum (gauge x1_1 = x2_2 = 1):")
        for v, x in d["spurious_point"].items():
            print(f"  {v} = {d['spurious_point_approx'][v]:.10g}   [{x}]")
        print(f"  loss = {d['spurious_loss_approx']:.10g}   [{d['spurious_loss']}]")
        print(f"  infimum = {d['infimum_approx']:.10g}   ({d['infimum_reason']})")
        print(
            f"  gradient descent from a perturbation returns to loss {d['bfgs_return_loss']:.10g}"
        )
    verdict = "HOLDS" if result["holds"] else "FAILS"
    print(f"{verdict}: {result['summary']} [{result['seconds']:.1f} s]")
    sys.exit(0 if result["holds"] else 1)
