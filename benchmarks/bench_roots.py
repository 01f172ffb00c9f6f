"""Benchmark: semialg exact real root isolation vs SymPy.

Run ``python benchmarks/bench_roots.py`` (add ``--quick`` for a short run). For each polynomial it
times ``semialg.algebraic.isolate_real_roots`` and SymPy's ``real_roots`` (exact ``CRootOf``
output, the same kind of answer) and ``Poly.intervals()`` (isolating intervals only), checks that
all give the same number of distinct real roots and prints a Markdown table with the ratios
sympy/semialg. SymPy runs in a child process with a timeout; timed-out cells say so.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import flint

from semialg.algebraic import isolate_real_roots

X = flint.fmpz_poly([0, 1])


def wilkinson(n: int) -> flint.fmpz_poly:
    f = flint.fmpz_poly([1])
    for k in range(1, n + 1):
        f *= X - k
    return f


def mignotte(n: int) -> flint.fmpz_poly:
    return X**n - 2 * (100 * X - 1) ** 2


def random_dense(n: int) -> flint.fmpz_poly:
    rng = random.Random(n)
    return flint.fmpz_poly([rng.randint(-(2**32), 2**32) for _ in range(n + 1)])


def chebyshev(n: int) -> flint.fmpz_poly:
    return flint.fmpz_poly.chebyshev_t(n)


FAMILIES = {
    "Wilkinson": wilkinson,
    "Mignotte x^n-2(100x-1)^2": mignotte,
    "random dense (33-bit)": random_dense,
    "Chebyshev T_n": chebyshev,
}


def _distinct_real_roots_sympy(coeffs: list[int], how: str) -> int:
    import sympy

    x = sympy.Symbol("x")
    p = sympy.Poly(list(reversed(coeffs)), x)
    if how == "real_roots":
        return len(set(sympy.real_roots(p)))
    return len(p.intervals())


def _sympy_worker(coeffs: list[int], how: str, queue) -> None:
    t = time.perf_counter()
    n = _distinct_real_roots_sympy(coeffs, how)
    queue.put((time.perf_counter() - t, n))


def time_sympy(f: flint.fmpz_poly, how: str, timeout: float) -> tuple[float | None, int | None]:
    """(seconds, number of real roots) or (None, None) on timeout."""
    ctx = mp.get_context("fork")
    queue = ctx.Queue()
    proc = ctx.Process(target=_sympy_worker, args=([int(c) for c in f.coeffs()], how, queue))
    proc.start()
    proc.join(timeout)
    if proc.is_alive():
        proc.terminate()
        proc.join()
        return None, None
    return queue.get()


def time_semialg(f: flint.fmpz_poly) -> tuple[float, int]:
    best = float("inf")
    n = 0
    for _ in range(3):
        t = time.perf_counter()
        n = len(isolate_real_roots(f))
        best = min(best, time.perf_counter() - t)
        if best > 1:
            break
    return best, n


def fmt_time(t: float | None) -> str:
    if t is None:
        return "n/a"
    return f"{t * 1000:.1f} ms" if t < 1 else f"{t:.2f} s"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="degrees 10, 20, 50 and a 10 s timeout")
    ap.add_argument("--timeout", type=float, default=None, help="SymPy timeout per call (s)")
    args = ap.parse_args(argv)
    degrees = [10, 20, 50] if args.quick else [10, 20, 50, 100, 200]
    sympy_max_degree = 50 if args.quick else 100
    timeout = args.timeout or (10.0 if args.quick else 60.0)

    print(f"python-flint {flint.__version__}; SymPy timeout {timeout:g} s per call\n")
    print("| family | n | #real | semialg | sympy real_roots | ratio | sympy intervals | ratio |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    mismatches = 0
    for name, make in FAMILIES.items():
        for n in degrees:
            f = make(n)
            t_ours, k = time_semialg(f)
            cells = []
            for how in ("real_roots", "intervals"):
                if n > sympy_max_degree:
                    cells += ["skipped", "-"]
                    continue
                t, k_sym = time_sympy(f, how, timeout)
                if t is None:
                    cells += [f"> {timeout:g} s (timeout)", f"> {timeout / t_ours:.0f}x"]
                    continue
                if k_sym != k:
                    mismatches += 1
                    cells += [f"{fmt_time(t)} (MISMATCH: {k_sym} roots)", "-"]
                    continue
                cells += [fmt_time(t), f"{t / t_ours:.1f}x"]
            print(f"| {name} | {n} | {k} | {fmt_time(t_ours)} | " + " | ".join(cells) + " |")
            sys.stdout.flush()
    print()
    if mismatches:
        print(f"**{mismatches} root-count mismatch(es) between semialg and SymPy**")
        return 1
    print("All root counts agree with SymPy where SymPy finished.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
