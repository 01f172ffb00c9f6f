"""Closedness of sparse products: semialg against the one-sentence method on z3, side by side.

The authors of "Does a sparse ReLU network training problem always admit an optimum?" decide
closedness by handing z3 one first-order sentence:

    E A [ (A X, Y: X Y != A)  /\\  (A e > 0  E X, Y: max |(X Y - A)_ij| < e) ]

(sat: not closed, unsat: closed). This script decides a fixed list of patterns both ways in one
run, with the same timeout, and prints a table (verdict, seconds, ratio z3/semialg). With
``--write`` it also writes ``docs/benchmarks-sparse.md``.

    python benchmarks/bench_sparse.py [--timeout 30] [--write]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import sys
import time
from pathlib import Path

from semialg.sparse import SupportPattern, closedness, dense, lu, random_pattern, ul

PATTERNS: list[tuple[str, SupportPattern]] = [
    ("2x2 LU", lu(2)),
    ("2x2 UL", ul(2)),
    ("2x1.1x2 rank one", dense(2, 1, 2)),
    ("2x2x2 dense", dense(2, 2, 2)),
    ("3x3 LU", lu(3)),
    ("3x3 UL", ul(3)),
    ("3x3x3 dense", dense(3, 3, 3)),
    ("3x2x3 dense (rank <= 2)", dense(3, 2, 3)),
    ("4x4 LU", lu(4)),
    *[(f"random 3x3x3 seed {s}", random_pattern((3, 3, 3), 0.6, seed=s)) for s in range(4)],
]


def z3_one_sentence(pattern: SupportPattern, timeout: float) -> str:
    """The authors' sentence on z3: 'not_closed' (sat), 'closed' (unsat) or 'unknown'."""
    import z3

    m, n = pattern.shape
    a = [[z3.Real(f"a{i}_{j}") for j in range(n)] for i in range(m)]

    def product(tag: str):
        mats = []
        for f, mask in enumerate(pattern.masks):
            mats.append(
                [
                    [z3.Real(f"{tag}{f}_{i}_{j}") if v else z3.RealVal(0) for j, v in enumerate(r)]
                    for i, r in enumerate(mask)
                ]
            )
        params = [
            x
            for mat in mats
            for row in mat
            for x in row
            if z3.is_const(x) and not z3.is_rational_value(x)
        ]
        prod = mats[0]
        for nxt in mats[1:]:
            prod = [
                [z3.Sum([row[k] * nxt[k][j] for k in range(len(nxt))]) for j in range(len(nxt[0]))]
                for row in prod
            ]
        return params, prod

    p1, prod1 = product("x")
    not_product = z3.ForAll(p1, z3.Or([prod1[i][j] != a[i][j] for i in range(m) for j in range(n)]))
    eps = z3.Real("eps")
    p2, prod2 = product("y")
    close = z3.And(
        [
            z3.And(prod2[i][j] - a[i][j] < eps, a[i][j] - prod2[i][j] < eps)
            for i in range(m)
            for j in range(n)
        ]
    )
    limit = z3.ForAll([eps], z3.Implies(eps > 0, z3.Exists(p2, close)))
    s = z3.Solver()
    s.set("timeout", int(timeout * 1000))
    s.add(not_product, limit)
    res = s.check()
    if res == z3.sat:
        return "not_closed"
    if res == z3.unsat:
        return "closed"
    return "unknown"


def _z3_worker(text: str, timeout: float, queue) -> None:
    pattern = SupportPattern.parse(text)
    start = time.perf_counter()  # time the solver only, not the start-up of the process
    verdict = z3_one_sentence(pattern, timeout)
    queue.put((verdict, time.perf_counter() - start))


def run_z3(pattern: SupportPattern, timeout: float) -> tuple[str, float]:
    """z3 in a child process (z3's own timeout is not always honoured on quantifiers)."""
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_z3_worker, args=(str(pattern), timeout, queue))
    proc.start()
    try:
        verdict, elapsed = queue.get(timeout=timeout + 30)
    except Exception:  # the solver ignored its timeout
        verdict, elapsed = "unknown (killed)", timeout
    proc.kill()
    proc.join()
    return verdict, elapsed


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--timeout", type=float, default=30.0)
    ap.add_argument("--write", action="store_true", help="write docs/benchmarks-sparse.md")
    args = ap.parse_args(argv)
    rows = []
    closedness(lu(2))  # warm-up: imports and SymPy caches are not part of the measurement
    header = (
        f"{'pattern':28} {'text':28} {'semialg':>24} {'s':>8} {'z3':>18} {'s':>8} "
        f"{'z3/semialg':>10}"
    )
    print(header)
    for name, p in PATTERNS:
        res = closedness(p, budget=args.timeout)
        zv, zt = run_z3(p, args.timeout)
        agree = (
            "?"
            if "unknown" in (res.verdict, zv.split()[0])
            else ("yes" if res.verdict == zv else "NO")
        )
        ratio = zt / max(res.seconds, 1e-3)  # below a millisecond the ratio means nothing
        rows.append((name, str(p), res.verdict, res.method, res.seconds, zv, zt, ratio, agree))
        print(
            f"{name:28} {p!s:28} {res.verdict:>24} {res.seconds:8.3f} {zv:>18} {zt:8.2f} "
            f"{ratio:10.1f}",
            flush=True,
        )
    decided_s = sum(1 for r in rows if r[2] != "unknown")
    decided_z = sum(1 for r in rows if not r[5].startswith("unknown"))
    print(f"\nsemialg decided {decided_s}/{len(rows)}, z3 decided {decided_z}/{len(rows)}")
    if any(r[8] == "NO" for r in rows):
        print("DISAGREEMENT between semialg and z3", file=sys.stderr)
    if args.write:
        out = Path(__file__).resolve().parents[1] / "docs" / "benchmarks-sparse.md"
        lines = [
            "# Closedness benchmark: semialg against the one-sentence method on z3",
            "",
            "Generated by `python benchmarks/bench_sparse.py --write`; do not edit by hand.",
            f"Same machine, same run, timeout {args.timeout:g} s per problem for each tool. The z3",
            "column is the authors' method: one first-order sentence (sat = not closed). Ratios",
            "use at least 1 ms for semialg's time.",
            "",
            "| pattern | masks | semialg | method | s | z3 | s | z3 / semialg | agree |",
            "|---|---|---|---|---:|---|---:|---:|---|",
        ]
        for name, text, v, meth, t, zv, zt, ratio, agree in rows:
            lines.append(
                f"| {name} | `{text}` | {v} | {meth} | {t:.3f} | {zv} | {zt:.2f} | {ratio:.1f} "
                f"| {agree} |"
            )
        lines += [
            "",
            f"semialg decided {decided_s}/{len(rows)}; z3 decided {decided_z}/{len(rows)}.",
            "",
        ]
        out.write_text("\n".join(lines))
        print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
