"""Scalar-output sparse linear networks have no spurious local minima (Lin, Sun, Zhang).

An earlier version of arXiv 2009.07439 states that for scalar output every local minimum of a
sparse linear network is global, for any sparse structure. Checked exactly on small one-output
networks ``x^T Y`` (several masks, seeded random rational data): every gauge-fixed critical point
is found, classified by exact inertia modulo the symmetry, and none is a local minimum above the
exact, attained infimum; no critical point above the infimum is left ``unknown``. Gauge cases
with positive-dimensional critical sets (the fibres of ``x^T Y`` are not finite when supports
overlap) count only if every loss value on the set (roots of the eliminant of the loss) equals
the infimum, i.e. the whole set consists of global minima.
"""

from __future__ import annotations

import random
import sys
import time
from fractions import Fraction

if __package__ in (None, ""):  # allow `python proofs/landscape_scalar_output.py`
    sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parents[1]))

from semialg.landscape import LinearNetwork, analyze, parse_pattern

CLAIM = (
    "Scalar-output sparse linear networks have no spurious local minima (Lin, Sun, Zhang, "
    "arXiv 2009.07439, earlier version): checked exactly on one-output networks with sparse "
    "first layers and seeded random rational data"
)
PATTERNS = ["11 110,011", "11 11,01", "11 110,001", "111 100,010,001", "11 101,011", "1 101"]
SEEDS = [1, 2]


def check(pattern: str, seed: int) -> dict:
    rng = random.Random(7919 * seed + sum(map(ord, pattern)))
    _, my = parse_pattern(pattern)
    n = len(my[0])
    N = n + 1

    def rand(rows: int, cols: int) -> list[list[Fraction]]:
        return [
            [Fraction(rng.randint(-9, 9), rng.randint(1, 4)) for _ in range(cols)]
            for _ in range(rows)
        ]

    net = LinearNetwork.from_pattern(pattern, rand(n, N), rand(1, N))
    land = analyze(net, budget=10.0)
    kinds: dict[str, int] = {}
    for c in land.critical_points:
        kinds[c.kind] = kinds.get(c.kind, 0) + 1
    loose = [
        c
        for c in land.critical_points
        if c.kind == "unknown" and (land.infimum is None or c.loss != land.infimum)
    ]
    sets_ok = all(cs.kind in ("local_min", "empty") for cs in land.unresolved)
    ok = land.attained is True and sets_ok and not land.spurious_minima and not loose
    return {
        "pattern": pattern,
        "seed": seed,
        "critical_points": len(land.critical_points),
        "kinds": kinds,
        "infimum": float(land.infimum) if land.infimum is not None else None,
        "spurious": len(land.spurious_minima),
        "critical_sets": [cs.kind for cs in land.unresolved],
        "seconds": round(land.seconds, 3),
        "holds": ok,
    }


def run() -> dict:
    start = time.perf_counter()
    details = [check(p, s) for p in PATTERNS for s in SEEDS]
    holds = all(d["holds"] for d in details)
    npts = sum(d["critical_points"] for d in details)
    failed = [f"{d['pattern']}/seed {d['seed']}" for d in details if not d["holds"]]
    summary = (
        f"{len(details)} one-output instances ({len(PATTERNS)} masks), {npts} gauge-fixed "
        "critical points: "
        + ("no spurious local minimum" if holds else f"FAILED or undecided on {failed}")
    )
    return {
        "claim": CLAIM,
        "holds": holds,
        "summary": summary,
        "seconds": time.perf_counter() - start,
        "details": details,
    }


if __name__ == "__main__":
    result = run()
    for d in result["details"]:
        print(
            f"  {d['pattern']:16s} seed {d['seed']}: {d['critical_points']} critical points "
            f"{d['kinds']}, spurious {d['spurious']}, sets {d['critical_sets']} "
            f"({d['seconds']} s)"
        )
    verdict = "HOLDS" if result["holds"] else "FAILS"
    print(f"{verdict}: {result['summary']} [{result['seconds']:.1f} s]")
    sys.exit(0 if result["holds"] else 1)
