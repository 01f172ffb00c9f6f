"""The runner behind ``python -m proofs``.

It discovers the claim modules (``claim_*.py`` and ``landscape_*.py``) in a directory (by default
this package), runs each one's ``run()``, prints one verdict line per claim and a summary table,
writes the report ``docs/proofs.md`` and returns a non-zero exit status if any claim fails, raises
or returns a malformed result.

Options: ``--quick`` skips modules with ``slow = True``; ``--only NAME`` runs only the modules
whose name contains ``NAME`` (repeatable); ``--no-write`` does not write the report;
``--output PATH`` writes it elsewhere; ``--dir DIR`` discovers claim modules in another directory.

The report is written by full runs only: a partial run (``--quick`` or ``--only``) would replace
the complete record by a partial one, so it writes only if ``--output`` is given explicitly.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import math
import os
import platform
import sys
import time
import traceback
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_DIR.parent
DEFAULT_REPORT = REPO_ROOT / "docs" / "proofs.md"
PATTERNS = ("claim_*.py", "landscape_*.py")
REQUIRED = {"claim": str, "holds": bool, "summary": str, "seconds": (int, float)}


@dataclass
class Outcome:
    """What running one claim module gave."""

    name: str
    status: str  # "holds", "FAILS", "ERROR" or "skipped"
    claim: str = ""
    summary: str = ""
    seconds: float = 0.0
    details: Any = None
    figure: str | None = None
    error: str | None = None
    slow: bool = False
    extra: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status in ("holds", "skipped")


def discover(directory: Path | str | None = None) -> list[Path]:
    """The claim module files of ``directory`` (default: this package), sorted by name."""
    d = Path(directory) if directory is not None else PACKAGE_DIR
    files = {p for pattern in PATTERNS for p in d.glob(pattern) if p.is_file()}
    return sorted(files, key=lambda p: p.stem)


def load(path: Path) -> ModuleType:
    """Import a claim module: as ``proofs.<name>`` if it lives in this package, else by path."""
    path = Path(path).resolve()
    if path.parent == PACKAGE_DIR:
        return importlib.import_module(f"{__package__ or 'proofs'}.{path.stem}")
    name = f"_proofs_external_{path.stem}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def check_result(result: object) -> dict:
    """Validate what a claim's ``run()`` returned; raise ``ValueError`` naming the problem."""
    if not isinstance(result, dict):
        raise ValueError(f"run() returned {type(result).__name__}, not a dict")
    for key, typ in REQUIRED.items():
        if key not in result:
            raise ValueError(f"run() result misses the key {key!r}")
        if not isinstance(result[key], typ) or (key == "seconds" and isinstance(result[key], bool)):
            raise ValueError(f"run() result key {key!r} has type {type(result[key]).__name__}")
    if "\n" in result["summary"].strip():
        raise ValueError("the summary must be one line")
    if "details" in result:
        json.dumps(result["details"])  # raises TypeError if not JSON-serialisable
    return result


def run_claim(path: Path, *, quick: bool = False, use_quick_config: bool = False) -> Outcome:
    """Run one claim module and never raise: exceptions become an ``ERROR`` outcome.

    ``quick``: skip the module if it is marked ``slow``. ``use_quick_config``: call the module's
    ``run_quick()`` instead of ``run()`` when it has one (used by the test suite).
    """
    path = Path(path)
    name = path.stem
    start = time.perf_counter()
    try:
        module = load(path)
        slow = bool(getattr(module, "slow", False))
        if quick and slow:
            return Outcome(name, "skipped", claim=_doc_line(module), slow=True)
        fn = getattr(module, "run_quick", None) if use_quick_config else None
        fn = fn or module.run
        result = check_result(fn())
    except Exception as exc:  # a raising claim is a failing claim, reported with its traceback
        return Outcome(
            name,
            "ERROR",
            summary=f"{type(exc).__name__}: {exc}".splitlines()[0][:300],
            seconds=time.perf_counter() - start,
            error=traceback.format_exc(),
        )
    return Outcome(
        name,
        "holds" if result["holds"] else "FAILS",
        claim=result["claim"],
        summary=result["summary"].strip(),
        seconds=float(result["seconds"]),
        details=result.get("details"),
        figure=result.get("figure"),
        slow=slow,
    )


def _doc_line(module: ModuleType) -> str:
    doc = (module.__doc__ or "").strip()
    return doc.split("\n\n")[0].replace("\n", " ") if doc else ""


def verdict_line(o: Outcome) -> str:
    tag = {"holds": "PASS", "FAILS": "FAIL", "ERROR": "ERROR", "skipped": "SKIP"}[o.status]
    if o.status == "skipped":
        return f"[{tag}] {o.name}: slow, skipped by --quick"
    return f"[{tag}] {o.name} ({o.seconds:.2f} s): {o.summary}"


def summary_table(outcomes: Sequence[Outcome]) -> str:
    rows = [("claim", "verdict", "seconds")]
    rows += [
        (o.name, o.status, "-" if o.status == "skipped" else f"{o.seconds:.2f}") for o in outcomes
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    failed = sum(not o.ok for o in outcomes)
    ran = sum(o.status != "skipped" for o in outcomes)
    lines.append(f"{ran} run, {failed} failed, {len(outcomes) - ran} skipped")
    return "\n".join(lines)


def _fmt_value(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.6g}" if math.isfinite(value) else str(value)
    return json.dumps(value)


def _details_md(details: Any) -> list[str]:
    """Details as Markdown: a dict as a list of key/value lines, long values as JSON blocks."""
    if details is None:
        return []
    out = ["**Details.**", ""]
    if not isinstance(details, dict):
        return [*out, "```json", json.dumps(details, indent=1), "```", ""]
    blocks = []
    for key, value in details.items():
        text = _fmt_value(value) if not isinstance(value, str) else value
        long_container = isinstance(value, (dict, list)) and len(text) > 90
        if long_container or _is_table(value) or (isinstance(value, str) and "\n" in value):
            blocks.append((key, value))
        else:
            out.append(f"- `{key}`: {text}")
    out.append("")
    for key, value in blocks:
        out.append(f"`{key}`:")
        out.append("")
        if _is_table(value):
            keys = list(value[0])
            out.append("| " + " | ".join(keys) + " |")
            out.append("|" + "---|" * len(keys))
            out += ["| " + " | ".join(_fmt_cell(r[k]) for k in keys) + " |" for r in value]
            out.append("")
        elif isinstance(value, str):
            out += ["```", value.rstrip(), "```", ""]
        else:
            out += ["```json", _compact_json(value), "```", ""]
    return out


def _is_table(value: Any) -> bool:
    """A non-empty list of flat dicts with the same keys (rendered as a Markdown table)."""
    if not (isinstance(value, list) and value and all(isinstance(r, dict) for r in value)):
        return False
    keys = list(value[0])
    return all(
        list(r) == keys and all(not isinstance(v, (dict, list)) for v in r.values()) for r in value
    )


def _fmt_cell(value: Any) -> str:
    text = _fmt_value(value) if not isinstance(value, str) else value
    return text.replace("|", "\\|")


def _compact_json(value: Any) -> str:
    """JSON with one line per element of the outer container (readable for tables of runs)."""
    if isinstance(value, list):
        return "[\n" + ",\n".join(" " + json.dumps(v) for v in value) + "\n]"
    if isinstance(value, dict):
        items = [f" {json.dumps(k)}: {json.dumps(v)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n}"
    return json.dumps(value)


def report(outcomes: Sequence[Outcome], argv: Sequence[str]) -> str:
    """The Markdown report ``docs/proofs.md``."""
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    try:
        from semialg import __version__ as version
    except Exception:  # pragma: no cover - the report is still useful without it
        version = "unknown"
    command = " ".join(["python -m proofs", *argv])
    lines = [
        "# Executable proofs of the papers' claims",
        "",
        "<!-- GENERATED FILE: do not edit by hand; regenerate with `python -m proofs`. -->",
        "",
        f"Generated by `{command}` on {when} (semialg {version}, Python "
        f"{platform.python_version()}, {os.cpu_count()} CPUs). Do not edit: every statement, "
        "verdict, number and time below comes from the run. The claims are those of the papers "
        "digested in `../shared/papers.md`; each is proved (or, for experiments, measured with "
        "explicit pass criteria) by one module of `proofs/` (see `proofs/README.md`).",
        "",
        "| claim | verdict | time (s) | certificate |",
        "|---|---|---|---|",
    ]
    for o in outcomes:
        secs = "-" if o.status == "skipped" else f"{o.seconds:.2f}"
        summ = o.summary.replace("|", "\\|") if o.status != "skipped" else "(not run)"
        lines.append(f"| [{o.name}](#{o.name}) | {o.status} | {secs} | {summ} |")
    failed = sum(not o.ok for o in outcomes)
    lines += ["", f"{len(outcomes)} claims, {failed} failed.", ""]
    for o in outcomes:
        lines += [f"## {o.name}", ""]
        lines += [f"**Claim.** {o.claim}" if o.claim else "**Claim.** (the module did not load)"]
        lines.append("")
        if o.status == "skipped":
            lines += ["**Verdict:** not run (slow claim, skipped by `--quick`).", ""]
            continue
        lines += [f"**Verdict:** {o.status}", "", f"**Certificate.** {o.summary}", ""]
        lines += [f"**Time:** {o.seconds:.2f} s", ""]
        if o.figure:
            lines += [f"![{o.name}]({o.figure})", ""]
        lines += _details_md(o.details)
        if o.error:
            lines += ["**Error.**", "", "```", o.error.rstrip(), "```", ""]
    return "\n".join(lines).rstrip() + "\n"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="python -m proofs",
        description="Run the executable proofs of the papers' claims and write docs/proofs.md.",
    )
    p.add_argument("--quick", action="store_true", help="skip the slow claims")
    p.add_argument(
        "--only",
        action="append",
        metavar="NAME",
        help="run only the claims whose module name contains NAME (repeatable)",
    )
    p.add_argument("--no-write", action="store_true", help="do not write the report")
    p.add_argument("--output", type=Path, help="where to write the report (default docs/proofs.md)")
    p.add_argument("--dir", type=Path, help="directory of claim modules (default: proofs/)")
    return p.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the claims; return the exit status (0 if every claim that ran holds)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parse_args(argv)
    paths = discover(args.dir)
    if args.only:
        paths = [p for p in paths if any(n in p.stem for n in args.only)]
        if not paths:
            print(f"no claim module matches {args.only}", file=sys.stderr)
            return 2
    if not paths:
        print("no claim modules found", file=sys.stderr)
        return 2
    outcomes = []
    for path in paths:
        o = run_claim(path, quick=args.quick)
        print(verdict_line(o), flush=True)
        if o.error:
            print(o.error, file=sys.stderr, flush=True)
        outcomes.append(o)
    print()
    print(summary_table(outcomes))
    partial = bool(args.quick or args.only)
    if not args.no_write and (args.output or not partial):
        target = args.output or DEFAULT_REPORT
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(report(outcomes, argv))
        print(f"wrote {target}")
    elif not args.no_write:
        print("partial run (--quick/--only): docs/proofs.md not rewritten (use --output PATH)")
    return 0 if all(o.ok for o in outcomes) else 1
