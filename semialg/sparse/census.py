"""The census: every two-factor pattern up to symmetry with bounded shapes, decided.

Patterns are enumerated as multisets of rank-one supports (C_k, R_k) (hidden permutations),
reduced to a canonical representative under row and column permutations and transposition
(:meth:`SupportPattern.canonical`), and decided by :func:`~semialg.sparse.closedness.closedness`
in a pool of local processes. The JSON output is the resume file: patterns already in it are
not decided again.
"""

from __future__ import annotations

import itertools
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

from ..errors import InputError
from .pattern import SupportPattern


def _permutation_tables(k: int) -> list[list[int]]:
    """For each permutation of range(k): the image of every bitmask of k bits."""
    tables = []
    for perm in itertools.permutations(range(k)):
        tables.append(
            [sum(1 << perm[i] for i in range(k) if mask >> i & 1) for mask in range(1 << k)]
        )
    return tables


def _canonical_key(combo: tuple[tuple[int, int], ...], m: int, n: int, tables) -> tuple:
    """Minimal sorted multiset of (row mask, column mask) pairs over all relabellings and, for
    square outer shapes, transposition. ``tables``: permutation tables for m and n."""
    tm, tn = tables
    best = None
    variants = [combo]
    if m == n:
        variants.append(tuple((r, c) for c, r in combo))
    for var in variants:
        for pr in tm:
            for pc in tn:
                key = tuple(sorted((pr[c], pc[r]) for c, r in var))
                if best is None or key < best:
                    best = key
    return best  # type: ignore[return-value]


def canonical_patterns(m: int, r: int, n: int) -> list[SupportPattern]:
    """The patterns of shape exactly (m, r, n) up to row, column and hidden permutations (and
    transposition when m = n), as canonical representatives. Shapes (m, r, n) and (n, r, m) are
    transposes of each other; :func:`shapes` lists only one of them."""
    tables = (_permutation_tables(m), _permutation_tables(n))
    pairs = [(c, rr) for c in range(1 << m) for rr in range(1 << n)]
    keys = set()
    for combo in itertools.combinations_with_replacement(pairs, r):
        keys.add(_canonical_key(combo, m, n, tables))
    out = []
    for key in sorted(keys):
        sup = [
            ({i for i in range(m) if c >> i & 1}, {j for j in range(n) if rr >> j & 1})
            for c, rr in key
        ]
        out.append(SupportPattern.from_rank_one_supports(sup, m, n))
    return out


def shapes(max_m: int, max_r: int, max_n: int) -> list[tuple[int, int, int]]:
    out = []
    for m in range(1, max_m + 1):
        for r in range(1, max_r + 1):
            for n in range(1, max_n + 1):
                if m > n and n <= max_m and m <= max_n:
                    continue  # listed as its transpose (n, r, m)
                out.append((m, r, n))
    return out


def _decide(args: tuple[str, float | None]) -> dict:
    import importlib

    mod = importlib.import_module("semialg.sparse.closedness")  # the module, not the function
    mod.CACHE_UNKNOWN = True
    closedness = mod.closedness
    text, budget = args
    res = closedness(SupportPattern.parse(text), budget=budget)
    return {
        "pattern": text,
        "verdict": res.verdict,
        "method": res.method,
        "seconds": round(res.seconds, 4),
        "reason": res.reason,
    }


def _child(job: tuple[str, float | None], conn) -> None:
    try:
        conn.send(_decide(job))
    finally:
        conn.close()


def _run_jobs(
    jobs: list[tuple[str, float | None]], procs: int, hard: float | None
) -> Iterator[dict]:
    """Decide the jobs in forked worker processes, at most ``procs`` at a time; a worker still
    running after ``hard`` seconds (a single long FLINT call cannot see the budget) is killed
    and its pattern recorded as unknown with that reason."""
    import multiprocessing as mp
    from multiprocessing.connection import wait

    if procs <= 1 or len(jobs) <= 1 or "fork" not in mp.get_all_start_methods():
        yield from map(_decide, jobs)
        return
    ctx = mp.get_context("fork")
    pending = list(reversed(jobs))
    running: dict = {}  # connection -> (process, job, start)
    try:
        while pending or running:
            while pending and len(running) < procs:
                job = pending.pop()
                recv, send = ctx.Pipe(duplex=False)
                proc = ctx.Process(target=_child, args=(job, send), daemon=True)
                proc.start()
                send.close()
                running[recv] = (proc, job, time.perf_counter())
            for conn in wait(list(running), timeout=0.5):
                proc, job, _ = running.pop(conn)
                try:
                    row = conn.recv()
                except EOFError:
                    row = _failed(job[0], "the worker process died")
                conn.close()
                proc.join()
                yield row
            now = time.perf_counter()
            for conn, (proc, job, began) in list(running.items()):
                if hard is not None and now - began > hard:
                    proc.kill()
                    proc.join()
                    running.pop(conn)
                    conn.close()
                    yield _failed(job[0], f"exceeded the hard limit of {hard:g} s")
    finally:
        for proc, _, _ in running.values():
            proc.kill()


def _failed(text: str, reason: str) -> dict:
    return {
        "pattern": text,
        "verdict": "unknown",
        "method": "none",
        "seconds": 0.0,
        "reason": reason,
    }


def run_census(
    max_size: tuple[int, int, int],
    *,
    budget: float | None = 30.0,
    processes: int | None = None,
    resume: dict | None = None,
    progress: Callable[[int, int], None] | None = None,
    checkpoint: Callable[[dict], None] | None = None,
    retry_unknown: bool = False,
) -> dict:
    """Decide every pattern with shapes up to ``max_size``; returns the JSON-able table."""
    if len(max_size) != 3 or any(not isinstance(s, int) or s < 1 for s in max_size):
        raise InputError(f"max_size is three positive integers (m, r, n), got {max_size!r}")
    start = time.perf_counter()
    done: dict[str, dict] = {}
    earlier = float(resume.get("seconds", 0.0)) if resume else 0.0
    if resume:
        for row in resume.get("patterns", []):
            if not (retry_unknown and row["verdict"] == "unknown"):
                done[row["pattern"]] = row
    todo: list[tuple[tuple[int, int, int], str]] = []
    by_shape: dict[tuple[int, int, int], list[str]] = {}
    for shape in shapes(*max_size):
        texts = [str(p) for p in canonical_patterns(*shape)]
        by_shape[shape] = texts
        todo += [(shape, t) for t in texts if t not in done]
    total = sum(len(v) for v in by_shape.values())
    count = total - len(todo)
    if progress:
        progress(count, total)
    jobs = [(t, budget) for _, t in todo]
    procs = processes or max(1, (os.cpu_count() or 1))
    hard = None if budget is None else 2 * budget + 30
    for k, row in enumerate(_run_jobs(jobs, procs, hard)):
        done[row["pattern"]] = row
        count += 1
        if progress:
            progress(count, total)
        if checkpoint and k % 50 == 49:
            checkpoint(_table(by_shape, done, max_size, earlier + time.perf_counter() - start))
    return _table(by_shape, done, max_size, earlier + time.perf_counter() - start)


def _table(by_shape, done: dict, max_size, seconds: float) -> dict:
    rows = []
    per_shape = []
    for shape, texts in by_shape.items():
        counts = Counter(done[t]["verdict"] for t in texts if t in done)
        per_shape.append(
            {
                "shape": list(shape),
                "patterns": len(texts),
                "closed": counts.get("closed", 0),
                "not_closed": counts.get("not_closed", 0),
                "unknown": counts.get("unknown", 0),
                "pending": len(texts) - sum(counts.values()),
            }
        )
        rows += [{**done[t], "shape": list(shape)} for t in texts if t in done]
    return {
        "max_size": list(max_size),
        "seconds": round(seconds, 2),
        "shapes": per_shape,
        "patterns": rows,
    }


def markdown(table: dict) -> str:
    """The census as Markdown: counts per shape, then every pattern with verdict and method."""
    m, r, n = table["max_size"]
    lines = [
        f"# Census of two-factor sparse patterns, shapes up to {m} x {r} x {n}",
        "",
        f"Generated by `semialg census --max-size {m} {r} {n}`; do not edit by hand. Patterns are",
        "counted up to row, column and hidden permutations and transposition (a pattern of shape",
        "(m, r, n) with m > n is listed as its transpose).",
        "",
        "| shape m x r x n | patterns | closed | not closed | unknown |",
        "|---|---:|---:|---:|---:|",
    ]
    tot = Counter()
    for s in table["shapes"]:
        lines.append(
            f"| {s['shape'][0]} x {s['shape'][1]} x {s['shape'][2]} | {s['patterns']} | "
            f"{s['closed']} | {s['not_closed']} | {s['unknown']} |"
        )
        for k in ("patterns", "closed", "not_closed", "unknown"):
            tot[k] += s[k]
    lines.append(
        f"| **all** | {tot['patterns']} | {tot['closed']} | {tot['not_closed']} | "
        f"{tot['unknown']} |"
    )
    methods = Counter(row["method"] for row in table["patterns"])
    lines += [
        "",
        f"Total time: {table['seconds']} s (wall clock, summed over resumed runs).",
        "",
        "## Methods",
        "",
    ]
    lines += [f"- `{k}`: {v}" for k, v in sorted(methods.items(), key=lambda kv: -kv[1])]
    lines += [
        "",
        "## Patterns",
        "",
        "| pattern | shape | verdict | method | seconds |",
        "|---|---|---|---|---:|",
    ]
    for row in table["patterns"]:
        sh = "x".join(map(str, row["shape"]))
        verdict = row["verdict"] + (f" ({row['reason']})" if row.get("reason") else "")
        lines.append(
            f"| `{row['pattern']}` | {sh} | {verdict} | {row['method']} | {row['seconds']} |"
        )
    return "\n".join(lines) + "\n"


def progress_bar(stream=sys.stderr) -> Callable[[int, int], None]:
    start = time.perf_counter()

    def show(done: int, total: int) -> None:
        width = 30
        filled = width * done // max(total, 1)
        el = time.perf_counter() - start
        stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {el:.0f} s")
        if done == total:
            stream.write("\n")
        stream.flush()

    return show


def load_resume(path: Path) -> dict | None:
    if not path.exists():
        return None
    try:
        return json.loads(path.read_text())
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(f"cannot resume from {path}: {exc}") from None
