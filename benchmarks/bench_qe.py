"""Side-by-side benchmark of semialg's quantifier elimination against QEPCAD B and z3.

Every problem in ``benchmarks/problems/*.qepcad`` (QEPCAD B syntax, ``#`` comment lines with
metadata in front) is run through

* semialg: :func:`semialg.qe.api.qe_detailed` with ``budget = timeout`` and
  ``hard_budget=True`` (the engine runs in a forked child that is killed 1 s after the budget,
  so one long FLINT call cannot stall the run; such a run is reported as unknown, killed);
* QEPCAD B: :func:`semialg.testing.qepcad.qepcad_qe` with the same timeout;
* z3: sentences are decided by z3; for problems with free variables the semialg answer is
  compared with z3's decision of the problem at 8 random rational points.

When both CAD tools answered, their answers are compared exactly: the sentence
``forall free. ours <==> theirs`` is decided by semialg (budget = timeout) and by z3.

Prints a Markdown table and writes it, with date, machine, versions and the command, to
``docs/benchmarks.md`` (unless ``--only`` is used without ``--write``, or ``--no-write``).

Usage::

    python benchmarks/bench_qe.py [--quick] [--timeout 60] [--only NAME[,NAME...]]
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import random
import statistics
import sys
import time
import zlib
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from semialg.logic import Formula  # noqa: E402
from semialg.testing import (  # noqa: E402
    check_qe_at_points,
    equivalence_sentence,
    qepcad_available,
    qepcad_qe,
    z3_decide,
)
from semialg.testing.qepcad import ProblemFile, read_problem_directory  # noqa: E402

PROBLEMS = HERE / "problems"
DOC = ROOT / "docs" / "benchmarks.md"


# -- semialg under a hard budget -----------------------------------------------------------------


@dataclass
class EngineRun:
    """One semialg run: ``result`` (a QEResult) or ``error``; ``seconds`` as the engine reports."""

    result: object = None
    error: str | None = None
    seconds: float = 0.0

    @property
    def answer(self) -> object:
        if self.result is None or self.result.is_unknown:  # type: ignore[attr-defined]
            return None
        return self.result.answer  # type: ignore[attr-defined]

    @property
    def hard_stopped(self) -> bool:
        return self.result is not None and "stopped by the hard budget" in self.result.notes  # type: ignore[attr-defined]

    def status(self) -> str:
        if self.error:
            return "error: " + self.error.splitlines()[0]
        if self.hard_stopped:
            return f"unknown: killed at {self.seconds:.0f} s (hard budget)"
        if self.answer is None:
            return str(self.result.answer)  # type: ignore[attr-defined]
        return "ok"


def warm_up() -> None:
    """Run three small problems, with both operators, in this process before any timing.

    Each timed run works in a child forked from this process. Without a warm-up, every child
    imports the modules that the engine loads lazily (virtual substitution, solution formulas,
    ...) again and charges that to its problem: about 0.07 s per problem when Python does not
    cache bytecode. With it, the timings exclude imports, as the docs page says.
    """
    from semialg.logic import parse_qepcad_formula as parse
    from semialg.qe.api import decide_detailed, qe_detailed

    for method in ("lazard", "mccallum"):
        qe_detailed(parse("(E x)[a x^2 + b x + c = 0]"), method=method)
        qe_detailed(parse("(E y)[x^3 - 2 y^2 x + y < 0]"), method=method, prepass=False)
        decide_detailed(parse("(E x)(E y)[x^2 + y^2 = 2 /\\ x y > 1/2]"), method=method)


def run_semialg(kind: str, formula: Formula, timeout: float, method: str = "lazard") -> EngineRun:
    """``qe_detailed`` (kind ``"qe"``) or ``decide_detailed`` with a hard budget of ``timeout``:
    the engine runs in a forked child killed shortly after the budget (``hard_budget=True``), so
    one long FLINT call cannot stall the run; engine crashes are reported as data. ``method`` is
    the projection operator (the default, Lazard's, or the McCallum option)."""
    from semialg.qe.api import decide_detailed, qe_detailed

    fn = qe_detailed if kind == "qe" else decide_detailed
    run = EngineRun()
    start = time.perf_counter()
    try:
        run.result = fn(formula, budget=timeout, hard_budget=True, method=method)
    except Exception as exc:  # report engine crashes as data
        import traceback

        run.error = f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=4)}"
    run.seconds = time.perf_counter() - start
    if run.result is not None:
        run.seconds = run.result.seconds  # type: ignore[attr-defined]
    return run


# -- one problem ---------------------------------------------------------------------------------


@dataclass
class Row:
    name: str
    nvars: str
    ours: str = ""
    theirs: str = ""
    agree: str = ""
    z3: str = ""
    t_ours: float | None = None
    t_theirs: float | None = None
    t_theirs_self: float | None = None
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    ours_ok: bool = False
    theirs_ok: bool = False
    theirs_warned: bool = False
    equivalent: bool | None = None
    t_mccallum: float | None = None
    mccallum: str = ""
    mccallum_ok: bool = False

    @property
    def ratio(self) -> float | None:
        if self.t_ours is None or self.t_theirs is None or not (self.ours_ok and self.theirs_ok):
            return None
        return self.t_ours / max(self.t_theirs, 1e-3)


def short(f: object, width: int = 48) -> str:
    s = str(f).replace("|", "\\|")
    return s if len(s) <= width else s[: width - 1] + "…"


def random_points(names: list[str], count: int, seed: int) -> list[dict[str, Fraction]]:
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        out.append({n: Fraction(rng.randint(-12, 12), rng.choice([1, 1, 2, 3, 4])) for n in names})
    return out


def decide_equivalence(left: Formula, right: Formula, timeout: float) -> tuple[bool | None, str]:
    """Exact equivalence of two quantifier-free answers: semialg decide, then z3."""
    sentence = equivalence_sentence(left, right)
    run = run_semialg("decide", sentence, timeout)
    ours = run.answer if isinstance(run.answer, bool) else None
    theirs = z3_decide(sentence, timeout=min(timeout, 30.0))
    deciders = []
    if ours is not None:
        deciders.append(f"semialg {'yes' if ours else 'NO'}")
    else:
        deciders.append(f"semialg ? ({run.status()})")
    deciders.append("z3 ?" if theirs is None else f"z3 {'yes' if theirs else 'NO'}")
    verdicts = {v for v in (ours, theirs) if v is not None}
    if len(verdicts) > 1:
        return None, "CONFLICT: " + ", ".join(deciders)
    verdict = verdicts.pop() if verdicts else None
    return verdict, ", ".join(deciders)


def z3_at_points(pf: ProblemFile, answer: Formula) -> tuple[str, str | None]:
    """A QE answer against z3's decision of the problem at 8 random rational points (fixed per
    problem): a summary, and the first disagreement (``None`` if there is none)."""
    points = random_points(pf.free_variables, 8, seed=zlib.crc32(pf.name.encode()) % 1000)
    try:
        rep = check_qe_at_points(pf.formula, answer, points, timeout=10.0)
    except AssertionError as exc:
        return "DISAGREES at a point", str(exc).splitlines()[0]
    text = f"{rep.agreed}/{rep.checked} points agree"
    return (text + f", {rep.unknown} unknown" if rep.unknown else text), None


def bench_problem(pf: ProblemFile, timeout: float, use_qepcad: bool) -> Row:
    formula = pf.formula
    nfree = len(pf.free_variables)
    nbound = len(pf.problem.variables) - nfree
    row = Row(pf.name, f"{nfree}/{nbound}")
    kind = "decide" if pf.is_sentence else "qe"
    run = run_semialg(kind, formula, timeout)
    row.t_ours = run.seconds
    ours = run.answer
    if ours is not None:
        row.ours_ok = True
        row.ours = short(ours)
    else:
        row.ours = short(run.status(), 60)
    if run.result is not None:
        notes = list(run.result.notes)  # type: ignore[attr-defined]
        if notes:
            row.notes.append("engine notes: " + "; ".join(notes)[:200])

    their_formula = None
    if use_qepcad:
        qa = qepcad_qe(pf.text, timeout)
        row.t_theirs = qa.seconds
        row.t_theirs_self = None if qa.system_ms is None else qa.system_ms / 1000
        row.theirs_warned = qa.mccallum_warning
        if qa.mccallum_warning:
            row.warnings.append(f"QEPCAD: McCallum may not be valid ({len(qa.warnings)}x)")
        elif qa.warnings:
            row.warnings.append("QEPCAD: " + qa.warnings[0][:80])
        if qa.formula is not None:
            row.theirs_ok = True
            their_formula = qa.formula
            row.theirs = short(qa.formula)
        else:
            row.theirs = short(qa.failed_reason, 60)
    else:
        row.theirs = "n/a"

    # agreement of the two CAD answers, decided exactly
    if row.ours_ok and their_formula is not None:
        if pf.is_sentence:
            theirs_bool = str(their_formula) == "TRUE"
            row.equivalent = theirs_bool == ours
            row.agree = "yes" if row.equivalent else "NO"
        else:
            verdict, how = decide_equivalence(ours, their_formula, timeout)
            row.equivalent = verdict
            row.agree = {True: "yes", False: "NO", None: "?"}[verdict] + f" ({how})"
    else:
        row.agree = "-"

    # z3
    if pf.is_sentence:
        verdict = z3_decide(formula, timeout=min(timeout, 30.0))
        if verdict is None:
            row.z3 = "unknown"
        elif row.ours_ok:
            row.z3 = f"{verdict} ({'agrees' if verdict == ours else 'DISAGREES'})"
        else:
            row.z3 = str(verdict)
    elif row.ours_ok:
        row.z3, failure = z3_at_points(pf, ours)
        if failure:
            row.notes.append(failure)
    else:
        row.z3 = "-"
    bench_mccallum_option(pf, row, ours, timeout)
    expected = pf.expected_formula()
    if expected is not None and row.ours_ok and not pf.is_sentence:
        same = z3_decide(equivalence_sentence(ours, expected), timeout=min(timeout, 30.0))
        if same is False:
            row.notes.append("semialg answer differs from the documented expected answer")
    return row


def bench_mccallum_option(pf: ProblemFile, row: Row, ours: object, timeout: float) -> None:
    """The same problem with ``method="mccallum"`` (validity checked, Lazard's as fallback).

    Its answer is compared with the default answer (sentences) or checked by z3 at the 8 random
    points used for the default answer (formulas).
    """
    kind = "decide" if pf.is_sentence else "qe"
    run = run_semialg(kind, pf.formula, timeout, method="mccallum")
    row.t_mccallum = run.seconds
    answer = run.answer
    if answer is None:
        row.mccallum = short(run.status(), 40)
        return
    row.mccallum_ok = True
    used = run.result.method  # type: ignore[attr-defined]
    if pf.is_sentence:
        check = "" if ours is None else (" (same)" if answer == ours else " (DIFFERS)")
        row.mccallum = f"{answer}{check}, {used}"
        return
    checked, failure = z3_at_points(pf, answer)
    row.mccallum = f"{'ok' if failure is None else 'NOT ok'} ({checked}), {used}"


# -- report ---------------------------------------------------------------------------------------


def fmt_t(t: float | None) -> str:
    return "-" if t is None else f"{t:.2f}"


def table(rows: list[Row]) -> str:
    head = (
        "| problem | free/bound | semialg answer | QEPCAD answer | agree | z3 | semialg s | "
        "QEPCAD s (own) | ratio | McCallum option | McCallum s | warnings / notes |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|---|\n"
    )
    lines = []
    for r in rows:
        ratio = "-" if r.ratio is None else f"{r.ratio:.2f}"
        own = "" if r.t_theirs_self is None else f" ({r.t_theirs_self:.2f})"
        notes = "; ".join(r.warnings + r.notes).replace("|", "\\|").replace("\n", " ")
        lines.append(
            f"| {r.name} | {r.nvars} | `{r.ours}` | `{r.theirs}` | {r.agree} | {r.z3} | "
            f"{fmt_t(r.t_ours)} | {fmt_t(r.t_theirs)}{own} | {ratio} | {r.mccallum} | "
            f"{fmt_t(r.t_mccallum)} | {notes} |"
        )
    return head + "\n".join(lines) + "\n"


def summary(rows: list[Row]) -> str:
    ratios = [r.ratio for r in rows if r.ratio is not None]
    own_ratios = [
        r.t_ours / max(r.t_theirs_self, 1e-3)
        for r in rows
        if r.ratio is not None and r.t_theirs_self is not None and r.t_ours is not None
    ]
    clean = [r for r in rows if r.theirs_ok and not r.theirs_warned]
    clean_ok = [r for r in clean if r.ours_ok and r.equivalent is True]
    peer_failed = [r for r in rows if not r.theirs_ok or r.theirs_warned]
    peer_failed_ok = [r for r in peer_failed if r.ours_ok]
    med = statistics.median(ratios) if ratios else float("nan")
    med_own = statistics.median(own_ratios) if own_ratios else float("nan")
    lines = [
        f"- problems: {len(rows)}; semialg answered {sum(r.ours_ok for r in rows)}, "
        f"QEPCAD answered {sum(r.theirs_ok for r in rows)} "
        f"({sum(r.theirs_warned for r in rows)} with a McCallum validity warning)",
        f"- median time ratio semialg/QEPCAD (wall clock, both answered, {len(ratios)} problems): "
        f"**{med:.2f}** (target <= 3: {'met' if med <= 3 else 'NOT met'}); against QEPCAD's own "
        f"reported time: {med_own:.2f}",
        f"- QEPCAD answered without warning: {len(clean)}; semialg equivalent on "
        f"{len(clean_ok)} (target: all: {'met' if len(clean_ok) == len(clean) else 'NOT met'})"
        + (
            ""
            if len(clean_ok) == len(clean)
            else " — missing: " + ", ".join(r.name for r in clean if r not in clean_ok)
        ),
        f"- QEPCAD failed or warned: {len(peer_failed)}; semialg answered {len(peer_failed_ok)} "
        f"(target: all: {'met' if len(peer_failed_ok) == len(peer_failed) else 'NOT met'})"
        + (
            ""
            if len(peer_failed_ok) == len(peer_failed)
            else " — unanswered: "
            + ", ".join(r.name for r in peer_failed if r not in peer_failed_ok)
        ),
    ]
    mcc_ratios = [
        r.t_mccallum / max(r.t_theirs, 1e-3)
        for r in rows
        if r.mccallum_ok and r.theirs_ok and r.t_mccallum is not None and r.t_theirs is not None
    ]
    mcc_med = statistics.median(mcc_ratios) if mcc_ratios else float("nan")
    lines.append(
        f'- McCallum option (`method="mccallum"`, validity checked, Lazard\'s as fallback; not '
        f"the default): answered {sum(r.mccallum_ok for r in rows)}, of them "
        f"{sum(r.mccallum_ok and not r.ours_ok for r in rows)} that the default left unknown; "
        f"median time ratio to QEPCAD {mcc_med:.2f} ({len(mcc_ratios)} problems)"
    )
    disagreements = [
        r.name
        for r in rows
        if r.equivalent is False
        or "DISAGREE" in r.z3
        or "DISAGREE" in r.mccallum
        or "DIFFERS" in r.mccallum
    ]
    if disagreements:
        lines.append("- **disagreements**: " + ", ".join(disagreements))
    return "\n".join(lines) + "\n"


def versions() -> str:
    import flint

    import semialg

    try:
        import z3

        z3v = z3.get_version_string()
    except ImportError:  # pragma: no cover
        z3v = "not installed"
    try:
        from importlib.metadata import version

        qv = version("passagemath-qepcad")
    except Exception:  # pragma: no cover
        qv = "not installed"
    return (
        f"semialg {semialg.__version__}, Python {platform.python_version()}, "
        f"python-flint {flint.__version__}, z3 {z3v}, passagemath-qepcad {qv} (QEPCAD B 1.74)"
    )


def machine() -> str:
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:  # pragma: no cover
        pass
    return f"{model}, {os.cpu_count()} cores, {platform.system()} {platform.release()}"


def write_doc(rows: list[Row], args: argparse.Namespace, command: str, seconds: float) -> None:
    text = f"""# QE benchmarks: semialg vs QEPCAD B vs z3

Generated by `benchmarks/bench_qe.py` — do not edit by hand; rerun the command below.

- date: {datetime.datetime.now().strftime("%Y-%m-%d %H:%M")}
- machine: {machine()}
- versions: {versions()}
- command: `{command}`
- timeout per tool and problem: {args.timeout:g} s; total run time {seconds:.0f} s

Columns: *agree* — the two CAD answers are compared by deciding
`forall free. ours <==> theirs` exactly (semialg's own decision and z3's, both shown); *z3* —
sentences decided by z3, or semialg's answer compared with z3's decision of the problem at
8 random rational points; *semialg s* — time reported by `qe_detailed` (Python start-up and
imports excluded: three small problems run in the parent process before any timing, so the
forked children do not load the engine's lazily imported modules again), run with
`hard_budget=True`: the engine works in a forked child process that
is killed 1 s after the timeout if a single long FLINT call overruns it; *QEPCAD s* — wall
clock of the `qepcad` process (start-up and memory initialisation included; QEPCAD's own
`System time` report in parentheses); *ratio* — semialg over QEPCAD wall clock. QEPCAD
answers given with a McCallum validity warning are listed but are not ground truth.
*McCallum option* — the same problem with `method="mccallum"` (McCallum's operator where the
lifting confirms its validity, Lazard's otherwise; the operator finally used is named), its
answer checked against z3 at the same 8 points, and *McCallum s* its time. The default stays
Lazard's operator; the targets in the summary are computed on the default.

## Summary

{summary(rows)}
## Results

{table(rows)}
Problem files: `benchmarks/problems/` (QEPCAD B syntax; the `#` lines give sources, tags and
documented expected answers).
"""
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="only problems tagged 'quick'")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per tool (60)")
    parser.add_argument("--only", action="append", default=[], help="problem name(s)")
    parser.add_argument("--write", action="store_true", help="write docs/benchmarks.md anyway")
    parser.add_argument("--no-write", action="store_true", help="do not write docs/benchmarks.md")
    args = parser.parse_args(argv)
    command = "python benchmarks/bench_qe.py" + (" " + " ".join(argv or sys.argv[1:])).rstrip()
    problems = read_problem_directory(PROBLEMS)
    only = {n for item in args.only for n in item.split(",") if n}
    if only:
        unknown = only - {p.name for p in problems}
        if unknown:
            parser.error(f"unknown problem(s): {', '.join(sorted(unknown))}")
        problems = [p for p in problems if p.name in only]
    if args.quick:
        problems = [p for p in problems if "quick" in p.tags]
    use_qepcad = qepcad_available()
    if not use_qepcad:
        print("QEPCAD B not found (pip install passagemath-qepcad): its columns stay empty")
    warm_up()
    start = time.perf_counter()
    rows = []
    for pf in problems:
        print(f"... {pf.name}", file=sys.stderr, flush=True)
        row = bench_problem(pf, args.timeout, use_qepcad)
        print(
            f"    semialg {fmt_t(row.t_ours)} s: {row.ours}\n    QEPCAD {fmt_t(row.t_theirs)} s: "
            f"{row.theirs}\n    agree: {row.agree}; z3: {row.z3}",
            file=sys.stderr,
            flush=True,
        )
        rows.append(row)
    elapsed = time.perf_counter() - start
    print(table(rows))
    print(summary(rows))
    if not args.no_write and (args.write or not only):
        write_doc(rows, args, command, elapsed)
        print(f"wrote {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
