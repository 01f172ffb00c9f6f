"""Claim 3 (linear part): every two-factor pattern with one output row has a closed image.

Le, Riccietti, Gribonval, "Does a sparse ReLU network training problem always admit an optimum?"
(NeurIPS 2023, arXiv 2306.02666), abstract claim (d) (one-hidden-layer sparse networks with output
dimension one: every training problem has an optimum), linear counterpart; digest
``../shared/papers.md``, sections 1 and 4 ("any pattern with m = 1 or n = 1: the image is a
coordinate subspace").

Proved here: the census of every two-factor pattern of shape 1 x r . r x n with r <= 4 and n <= 4,
up to column and hidden-unit permutations (``semialg.sparse.canonical_patterns(1, r, n)``; shapes
n x r . r x 1, one output column, are the transposes and have the same closedness), decided by
``closedness``: every pattern is *closed*, and ``check_certificate`` re-verifies every certificate
(an independent replay of the reductions). The ReLU part of claim 3 is
``claim_scalar_output_relu.py``.
"""

from __future__ import annotations

import time
from collections import Counter

from semialg.sparse import canonical_patterns, check_certificate, closedness

CLAIM = (
    "Every two-factor pattern with one output row (1 x r . r x n, the linear counterpart of a "
    "one-hidden-layer network with output dimension one) has a closed image, for all inner widths "
    "r <= 4 and input widths n <= 4 (census up to permutations, each pattern decided with a "
    "certificate re-verified by check_certificate). Source: Le, Riccietti, Gribonval, NeurIPS 2023 "
    "(arXiv 2306.02666), abstract claim (d), linear counterpart; digest ../shared/papers.md, "
    "sections 1 and 4."
)

MAX_R = 4
MAX_N = 4
BUDGET_SECONDS = 30.0


def census(max_r: int = MAX_R, max_n: int = MAX_N) -> tuple[list[dict], list[dict]]:
    rows, bad = [], []
    for r in range(1, max_r + 1):
        for n in range(1, max_n + 1):
            t0 = time.perf_counter()
            patterns = canonical_patterns(1, r, n)
            verdicts: Counter = Counter()
            methods: Counter = Counter()
            checked = 0
            for p in patterns:
                res = closedness(p, budget=BUDGET_SECONDS)
                verdicts[res.verdict] += 1
                methods[res.method] += 1
                ok = res.verdict != "unknown" and check_certificate(res.certificate).ok
                checked += ok
                if res.verdict != "closed" or not ok:
                    bad.append({"pattern": str(p), "verdict": res.verdict, "checked": ok})
            rows.append(
                {
                    "shape": f"1x{r}x{n}",
                    "patterns": len(patterns),
                    "closed": verdicts["closed"],
                    "not_closed": verdicts["not_closed"],
                    "unknown": verdicts["unknown"],
                    "certificates_checked": checked,
                    "methods": ", ".join(f"{k} {v}" for k, v in sorted(methods.items())),
                    "seconds": round(time.perf_counter() - t0, 3),
                }
            )
    return rows, bad


def run(max_r: int = MAX_R, max_n: int = MAX_N) -> dict:
    start = time.perf_counter()
    rows, bad = census(max_r, max_n)
    total = sum(r["patterns"] for r in rows)
    closed = sum(r["closed"] for r in rows)
    checked = sum(r["certificates_checked"] for r in rows)
    holds = bool(total > 0 and closed == checked == total and not bad)
    summary = (
        f"{closed}/{total} patterns 1 x r . r x n (r <= {max_r}, n <= {max_n}, up to "
        f"permutations) decided closed, {checked}/{total} certificates re-verified by "
        f"check_certificate"
    )
    details = {
        "why": "with one output row every rank-one support C_k x R_k has one row, so each unit's "
        "term is the whole coordinate subspace of its row entries (docs/sparse.md, Fact 3); the "
        "image is the coordinate subspace of the entries covered by some unit, which is closed.",
        "census": rows,
        "counterexamples": bad,
    }
    return {
        "claim": CLAIM,
        "holds": holds,
        "summary": summary,
        "seconds": time.perf_counter() - start,
        "details": details,
    }


if __name__ == "__main__":  # pragma: no cover
    import json

    print(json.dumps(run(), indent=1))
