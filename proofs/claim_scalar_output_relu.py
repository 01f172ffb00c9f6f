"""Claim 3 (ReLU part): on finite domains the function set of a one-hidden-layer ReLU network with
output dimension one is closed.

Le, Riccietti, Gribonval, "Does a sparse ReLU network training problem always admit an optimum?"
(NeurIPS 2023, arXiv 2306.02666), abstract claim (d): for one-hidden-layer sparse ReLU networks
with output dimension one every concrete training problem has a global optimum (digest:
``../shared/papers.md``, section 1).

The network ``f(x) = c + sum_k a_k relu(v_k . x + b_k)`` on R^2, hidden width w, biases ``b_k``
and ``c`` free, first-layer rows ``v_k`` optionally masked. On a finite domain
``Omega = {x_1, ..., x_p}`` its function set is the set of value vectors

    F = { (f(x_1), ..., f(x_p)) : parameters }  (a subset of R^p).

Decided exactly here, for each instance listed in :data:`INSTANCES` (p <= 3 points in R^2, width
1 and 2, with biases, dense and masked first layers): ``F`` is written as the semialgebraic set
``E params, h [y_i = c + sum_k a_k h_ki /\\ (z_ki >= 0 /\\ h_ki = z_ki \\/ z_ki < 0 /\\ h_ki = 0)]``
(``z_ki = v_k . x_i + b_k``), its quantifier-free form is computed by ``semialg`` (CAD-based
quantifier elimination) and ``SemialgebraicSet.is_closed`` decides it closed. As a sanity check of
the eliminated formula, value vectors of random networks (exact rationals) all satisfy it.

Why it holds on every finite domain (the argument behind claim (d), written out): for one unit,
``z = (v . x_i + b)_i`` ranges over a linear subspace Z of R^p, and on each region
``P_S = {z in Z : z_i >= 0 (i in S), z_i <= 0 (i not in S)}`` (a polyhedral cone) relu(z) is the
coordinate projection pi_S(z); so ``{a relu(z)} = union_S (pi_S(P_S) u -pi_S(P_S))`` (a > 0, a < 0,
a = 0 give K, -K and {0}), a finite union of finitely generated cones. ``F`` is the Minkowski sum
of the units' sets and of the line R (1, ..., 1), so it is a finite union of sums of finitely
generated cones, i.e. of finitely generated cones, and these are closed (Minkowski-Weyl). The
scalar output weight ``a_k`` is what makes this work: with output dimension two the unit's set
is ``{a relu(z)^T}``, a rank-one product, and claim 2 shows it is not closed in general.
"""

from __future__ import annotations

import random
import time
import zlib
from fractions import Fraction

import sympy

from semialg import And, Exists, Or
from semialg.sets import SemialgebraicSet

slow = True

CLAIM = (
    "On finite domains the function set of a one-hidden-layer ReLU network with output dimension "
    "one (biases, dense or masked first layer) is closed: decided exactly (quantifier elimination, "
    "then is_closed) for 2 and 3 points in R^2 and hidden width 1 and 2; the argument for every "
    "finite domain (a finite union of finitely generated cones) is in the module and the details. "
    "Source: Le, Riccietti, Gribonval, NeurIPS 2023 (arXiv 2306.02666), abstract claim (d); "
    "digest ../shared/papers.md, section 1."
)

BUDGET_SECONDS = 240.0
GENERAL = ((0, 0), (1, 0), (0, 1))
COLLINEAR = ((0, 0), (1, 0), (2, 0))
COLLINEAR_UNEVEN = ((0, 0), (1, 0), (3, 0))
TWO = ((0, 0), (1, 0))
DENSE = (1, 1)

# (name, points, first-layer masks (one per hidden unit; (1, 1) = dense row))
INSTANCES: tuple[tuple[str, tuple, tuple], ...] = (
    ("2 points, width 1", TWO, (DENSE,)),
    ("2 points, width 2", TWO, (DENSE, DENSE)),
    ("3 points in general position, width 1", GENERAL, (DENSE,)),
    ("3 points in general position, width 1, unit sees x1 only", GENERAL, ((1, 0),)),
    ("3 collinear points (0, 1, 2), width 1", COLLINEAR, (DENSE,)),
    ("3 collinear points (0, 1, 3), width 1", COLLINEAR_UNEVEN, (DENSE,)),
    ("3 points in general position, width 2, diagonal mask", GENERAL, ((1, 0), (0, 1))),
    ("3 collinear points (0, 1, 2), width 2", COLLINEAR, (DENSE, DENSE)),
    ("3 collinear points (0, 1, 3), width 2", COLLINEAR_UNEVEN, (DENSE, DENSE)),
    ("3 points in general position, width 2", GENERAL, (DENSE, DENSE)),
)
QUICK = (0, 2, 3, 4)  # indices of INSTANCES run by run_quick() (about 10 s)


def function_set(points, masks) -> tuple[SemialgebraicSet, list[sympy.Symbol]]:
    """The set of value vectors (f(x_1), ..., f(x_p)) as a semialgebraic set in y_1..y_p."""
    p = len(points)
    ys = list(sympy.symbols(f"y1:{p + 1}", real=True))
    c = sympy.Symbol("c", real=True)
    bound = [c]
    conj = []
    outputs = [sympy.Integer(0)] * p
    for k, (m1, m2) in enumerate(masks):
        v1, v2, b, a = sympy.symbols(f"v{k}_1 v{k}_2 b{k} a{k}", real=True)
        bound += [v for v, used in ((v1, m1), (v2, m2)) if used] + [b, a]
        for i, (x1, x2) in enumerate(points):
            z = m1 * v1 * x1 + m2 * v2 * x2 + b
            h = sympy.Symbol(f"h{k}_{i}", real=True)
            bound.append(h)
            conj.append(Or(And(z >= 0, sympy.Eq(h, z)), And(z < 0, sympy.Eq(h, 0))))
            outputs[i] += a * h
    conj += [sympy.Eq(ys[i], outputs[i] + c) for i in range(p)]
    return SemialgebraicSet(Exists(bound, And(*conj)), ys), ys


def network_values(points, masks, rng: random.Random) -> tuple[Fraction, ...]:
    """The value vector of a random network with small rational parameters (exact)."""

    def q() -> Fraction:
        return Fraction(rng.randint(-6, 6), rng.randint(1, 3))

    c = q()
    values = [c] * len(points)
    for m1, m2 in masks:
        v1, v2, b, a = q() * m1, q() * m2, q(), q()
        for i, (x1, x2) in enumerate(points):
            values[i] += a * max(v1 * x1 + v2 * x2 + b, Fraction(0))
    return tuple(values)


def decide_instance(name, points, masks, budget=BUDGET_SECONDS, samples=40) -> dict:
    S, _ = function_set(points, masks)
    t0 = time.perf_counter()
    qf = S.formula(budget=budget)
    qe_s = time.perf_counter() - t0
    row = {
        "instance": name,
        "points": str([list(x) for x in points]),
        "masks": str([list(m) for m in masks]),
        "function_set": "undecided",
        "closed": "unknown",
        "qe_s": round(qe_s, 2),
        "closed_s": 0.0,
        "random_networks_inside": 0,
    }
    if not hasattr(qf, "free_variables"):  # Unknown: the budget ran out
        row["function_set"] = f"quantifier elimination unknown within {budget:.0f} s"
        return row
    row["function_set"] = str(qf).replace(" \\/ ", " or ").replace(" /\\ ", " and ")
    t1 = time.perf_counter()
    closed = S.is_closed(budget=budget)
    row["closed_s"] = round(time.perf_counter() - t1, 2)
    row["closed"] = closed if isinstance(closed, bool) else "unknown"
    qf_set = SemialgebraicSet(qf, S.variables)
    rng = random.Random(zlib.crc32(name.encode()))
    row["random_networks_inside"] = sum(
        qf_set.contains(network_values(points, masks, rng)) is True for _ in range(samples)
    )
    row["samples"] = samples
    return row


def run(indices=None) -> dict:
    start = time.perf_counter()
    chosen = [INSTANCES[i] for i in (range(len(INSTANCES)) if indices is None else indices)]
    rows = [decide_instance(*inst) for inst in chosen]
    decided = [
        r for r in rows if r["closed"] is True and r["random_networks_inside"] == r["samples"]
    ]
    undecided = [r["instance"] for r in rows if r["closed"] is not True]
    holds = len(decided) == len(rows) > 0
    widths = sorted({len(m) for _, _, m in chosen})
    sizes = sorted({len(p) for _, p, _ in chosen})
    summary = (
        f"{len(decided)}/{len(rows)} instances ({'/'.join(map(str, sizes))} points in R^2, width "
        f"{'/'.join(map(str, widths))}, biases) decided closed by QE + is_closed "
        f"(slowest {max(r['qe_s'] + r['closed_s'] for r in rows):.1f} s); every random network's "
        f"values satisfy the eliminated formula"
        + (f"; NOT decided: {', '.join(undecided)}" if undecided else "")
    )
    details = {
        "network": "f(x) = c + sum_k a_k relu(v_k . x + b_k), x in R^2; masks give which "
        "coordinates of x each unit sees; F = {(f(x_1), ..., f(x_p))}",
        "instances": rows,
        "argument_for_all_finite_domains": "one unit: {a relu(z) : z in Z} (Z = {(v . x_i + b)_i}, "
        "a subspace) = union over sign patterns S of (pi_S(P_S) u -pi_S(P_S)), P_S the polyhedral "
        "cone of Z with the signs S; so F = sum of the units' sets + R(1..1) is a finite union of "
        "finitely generated cones, hence closed (Minkowski-Weyl). The scalar output weight is "
        "essential: with two outputs the unit's set is {a relu(z)^T} (rank one), not closed in "
        "general (claim 2).",
        "not_decided": undecided,
    }
    return {
        "claim": CLAIM,
        "holds": holds,
        "summary": summary,
        "seconds": time.perf_counter() - start,
        "details": details,
    }


def run_quick() -> dict:
    """The smallest instances (a few seconds), run by the test suite."""
    return run(QUICK)


if __name__ == "__main__":  # pragma: no cover
    import json
    import sys

    print(json.dumps(run_quick() if "--quick" in sys.argv else run(), indent=1))
