"""Closure and closedness of semialgebraic sets: semialg against the one-shot sentence.

For each question, ``semialg`` answers through :class:`semialg.sets.SemialgebraicSet`
(``closure()`` / ``is_closed()``: quantifiers of images eliminated once, then the proved
shortcuts of ``docs/sets.md``), while QEPCAD B and z3 get the one-shot first-order formula
built from the definition of the closure (the way closedness of product images was decided in
the sparse-network literature):

* closure: ``{x : A e [e > 0 ==> E y (S(y) /\\ |x - y|^2 < e)]}`` (QE with free x; z3 cannot
  eliminate quantifiers, so z3 decides the sentence "this formula defines the expected set");
* closedness: ``A x [closure(x) ==> S(x)]`` with S the defining formula as given (for images,
  ``E z [y = F(z)]``), a sentence.

Every engine runs in a separate process with the same timeout (semialg and z3 are killed at
``timeout + 5`` s; QEPCAD B is stopped by its runner). Answers are compared with the known ones.
Prints a Markdown table with times and ratios and writes it to ``docs/benchmarks-sets.md``.

Usage::

    python benchmarks/bench_sets.py [--timeout 60] [--no-write]
"""

from __future__ import annotations

import argparse
import datetime
import multiprocessing as mp
import os
import platform
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

import sympy  # noqa: E402

from semialg.logic import Equivalent, ForAll, Formula, Implies  # noqa: E402
from semialg.logic.z3_bridge import z3_decide  # noqa: E402
from semialg.sets import SemialgebraicSet  # noqa: E402
from semialg.testing import qepcad_available, qepcad_qe  # noqa: E402

DOC = ROOT / "docs" / "benchmarks-sets.md"
GRACE = 5.0
QUAD = "x >= 0 /\\ y >= 0"

x, y, u, v, a, b, c, d = sympy.symbols("x y u v a b c d", real=True)


# -- the questions ---------------------------------------------------------------------------
def quadrant() -> SemialgebraicSet:
    return SemialgebraicSet((x > 0) & (y > 0), [x, y])


def image_uv() -> SemialgebraicSet:
    return SemialgebraicSet.image([u, u * v], SemialgebraicSet(sympy.true, [u, v]), [x, y])


def lu_image() -> SemialgebraicSet:
    ls = sympy.symbols("l11 l21 l22 u11 u12 u22", real=True)
    l11, l21, l22, u11, u12, u22 = ls
    return SemialgebraicSet.image(
        [l11 * u11, l11 * u12, l21 * u11, l21 * u12 + l22 * u22],
        SemialgebraicSet(sympy.true, ls),
        [a, b, c, d],
    )


def rank_one() -> SemialgebraicSet:
    return SemialgebraicSet(sympy.Eq(a * d - b * c, 0), [a, b, c, d])


def umbrella() -> SemialgebraicSet:
    z = sympy.Symbol("z", real=True)
    return SemialgebraicSet.image([u * v, v, u**2], SemialgebraicSet(sympy.true, [u, v]), [x, y, z])


def slit_disk() -> SemialgebraicSet:
    return SemialgebraicSet((x**2 + y**2 < 1) & ~(sympy.Eq(y, 0) & (x >= 0)), [x, y])


@dataclass
class Question:
    name: str
    make: Callable[[], SemialgebraicSet]
    kind: str  # "closure" or "closed"
    expected: object  # a SemialgebraicSet formula (closure) or a bool (closed?)


QUESTIONS = [
    Question("closure of {x > 0, y > 0}", quadrant, "closure", (x >= 0) & (y >= 0)),
    Question("{x > 0, y > 0} closed?", quadrant, "closed", False),
    Question("image of (u, v) -> (u, uv) closed?", image_uv, "closed", False),
    Question("2x2 LU image closed?", lu_image, "closed", False),
    Question("2x2 rank <= 1 closed?", rank_one, "closed", True),
    Question("Whitney umbrella image closed?", umbrella, "closed", True),
    Question("open disk with a slit closed?", slit_disk, "closed", False),
]


def one_shot(q: Question) -> Formula:
    """The one-shot formula given to QEPCAD B (free variables: the coordinates for closures)."""
    S = q.make()
    cl = S.closure_reference().defining_formula
    if q.kind == "closure":
        return cl
    return ForAll(S.variables, Implies(cl, S.defining_formula))


def z3_sentence(q: Question) -> Formula:
    """The sentence given to z3: closedness, or "the closure formula defines the expected set"."""
    if q.kind == "closed":
        return one_shot(q)
    S = q.make()
    expected = SemialgebraicSet(q.expected, S.variables).defining_formula
    return ForAll(S.variables, Equivalent(one_shot(q), expected))


# -- engines in child processes ----------------------------------------------------------------
def _semialg(q: Question, timeout: float):
    S = q.make()
    if q.kind == "closed":
        return S.is_closed(budget=timeout)
    cl = S.closure(budget=timeout)
    ok = cl.equals(SemialgebraicSet(q.expected, S.variables), budget=timeout)
    return "expected" if ok is True else f"{cl.defining_formula} ({ok})"


def _z3(q: Question, timeout: float):
    return z3_decide(z3_sentence(q), timeout_ms=int(timeout * 1000))


def _child(conn, fn, q: Question, timeout: float) -> None:
    try:
        start = time.perf_counter()
        out = fn(q, timeout)
        conn.send(("ok", out, time.perf_counter() - start))
    except BaseException as exc:  # report crashes as data
        conn.send(("error", f"{type(exc).__name__}: {exc}", 0.0))
    finally:
        conn.close()


def run_child(fn, q: Question, timeout: float) -> tuple[str, object, float]:
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, fn, q, timeout))
    start = time.perf_counter()
    proc.start()
    child.close()
    if parent.poll(timeout + GRACE):
        try:
            status, out, seconds = parent.recv()
        except EOFError:
            status, out, seconds = "error", "child died", time.perf_counter() - start
    else:
        status, out, seconds = "killed", None, time.perf_counter() - start
    if proc.is_alive():
        proc.kill()
    proc.join()
    return status, out, seconds


# -- one row -----------------------------------------------------------------------------------
@dataclass
class Cell:
    text: str
    seconds: float | None  # None: no answer


def _fmt(t: float) -> str:
    return f"{t:.2f} s" if t < 10 else f"{t:.0f} s"


def semialg_cell(q: Question, timeout: float) -> Cell:
    status, out, seconds = run_child(_semialg, q, timeout)
    if status == "killed":
        return Cell(f"killed at {seconds:.0f} s (budget overrun)", None)
    if status == "error":
        return Cell(f"error: {out}", None)
    if q.kind == "closure":
        good = out == "expected"
        return Cell(f"{QUAD if good else out} ({_fmt(seconds)})", seconds)
    if not isinstance(out, bool):
        return Cell(f"{out} ({_fmt(seconds)})", None)
    mark = "" if out == q.expected else " WRONG"
    return Cell(f"{'yes' if out else 'no'}{mark} ({_fmt(seconds)})", seconds)


def qepcad_cell(q: Question, timeout: float) -> Cell:
    if not qepcad_available():
        return Cell("not installed", None)
    f = one_shot(q)
    free = q.make().variables if q.kind == "closure" else None
    ans = qepcad_qe(f, timeout=timeout, free_variables=free)
    if not ans.ok:
        return Cell(f"{ans.failed_reason} ({_fmt(ans.seconds)})", None)
    warn = " (McCallum warning: untrusted)" if ans.mccallum_warning else ""
    if q.kind == "closure":
        S = q.make()
        same = SemialgebraicSet(ans.formula, S.variables).equals(
            SemialgebraicSet(q.expected, S.variables), budget=timeout
        )
        text = QUAD if same is True else str(ans.formula)
        return Cell(f"{text}{warn} ({_fmt(ans.seconds)})", ans.seconds)
    truth = str(ans.formula).strip().upper()
    if truth not in ("TRUE", "FALSE"):
        return Cell(f"{ans.formula}{warn} ({_fmt(ans.seconds)})", None)
    val = truth == "TRUE"
    mark = "" if val == q.expected else " WRONG"
    return Cell(f"{'yes' if val else 'no'}{mark}{warn} ({_fmt(ans.seconds)})", ans.seconds)


def z3_cell(q: Question, timeout: float) -> Cell:
    status, out, seconds = run_child(_z3, q, timeout)
    if status == "killed":
        return Cell(f"killed at {seconds:.0f} s", None)
    if status == "error":
        return Cell(f"error: {out}", None)
    if out is None:
        return Cell(f"unknown ({_fmt(seconds)})", None)
    if q.kind == "closure":
        return Cell(
            f"{'confirms' if out else 'refutes'} x >= 0 /\\ y >= 0 ({_fmt(seconds)})", seconds
        )
    mark = "" if out == q.expected else " WRONG"
    return Cell(f"{'yes' if out else 'no'}{mark} ({_fmt(seconds)})", seconds)


def ratio(ours: Cell, theirs: Cell, timeout: float) -> str:
    if ours.seconds is None:
        return "-"
    t = max(ours.seconds, 1e-3)
    if theirs.seconds is None:
        return f"> {timeout / t:.0f}x"
    return f"{theirs.seconds / t:.1f}x"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    started = time.perf_counter()
    header = (
        "| question | semialg (sets API) | QEPCAD B (one-shot) | ratio | z3 (one-shot) | ratio |\n"
        "|---|---|---|---|---|---|"
    )
    print(header, flush=True)
    lines = []
    for q in QUESTIONS:
        ours = semialg_cell(q, args.timeout)
        qep = qepcad_cell(q, args.timeout)
        zz = z3_cell(q, args.timeout)
        line = (
            f"| {q.name} | {ours.text} | {qep.text} | {ratio(ours, qep, args.timeout)} | "
            f"{zz.text} | {ratio(ours, zz, args.timeout)} |"
        )
        lines.append(line)
        print(line, flush=True)
    elapsed = time.perf_counter() - started
    if not args.no_write:
        write_doc(header, lines, args, elapsed)
        print(f"wrote {DOC.relative_to(ROOT)}")


def _versions() -> str:
    out = [f"Python {platform.python_version()}"]
    try:
        import z3

        out.append(f"z3 {z3.get_version_string()}")
    except ImportError:
        out.append("z3 not installed")
    try:
        from importlib.metadata import version

        out.append(f"passagemath-qepcad {version('passagemath-qepcad')}")
    except Exception:
        out.append("QEPCAD B not installed")
    return ", ".join(out)


def write_doc(header: str, lines: list[str], args, elapsed: float) -> None:
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    text = (
        f"""# Benchmark: closure and closedness of semialgebraic sets

Generated by `python benchmarks/bench_sets.py --timeout {args.timeout:g}` on {now}
({platform.machine()}, {os.cpu_count()} cores, {_versions()}; other jobs were running on the
machine). Total run time {elapsed:.0f} s. Do not edit by hand: re-run the benchmark.

* **semialg**: the `SemialgebraicSet` API (`closure()` compared with the expected set by
  `equals`, or `is_closed()`), which eliminates the variables of a map once and then uses the
  closure rules proved in [sets.md](sets.md); budget = timeout, in a child process killed at
  timeout + {GRACE:g} s.
* **QEPCAD B** and **z3**: the one-shot formula from the definition of the closure, with the
  set as given (for images, the existential formula `E z [y = F(z)]`):
  closure `A e [e > 0 ==> E y (S(y) /\\ |x - y|^2 < e)]` (QEPCAD B: QE with free x; z3, which
  does not eliminate quantifiers, decides the sentence "this formula is equivalent to the
  expected set"), closedness `A x [closure(x) ==> S(x)]`. Same timeout; z3 uses
  `semialg.logic.z3_bridge.z3_decide` (tactic `nlqsat`, then fallbacks).
* ratio = their time / semialg's time (`> N x`: they gave no answer within the timeout).
  "WRONG" marks an answer that disagrees with the known one.

{header}
"""
        + "\n".join(lines)
        + "\n"
    )
    DOC.write_text(text)


if __name__ == "__main__":
    main()
