"""``semialg prove``: run the executable proofs of the papers' claims (``proofs/``).

The claim modules live in the repository's ``proofs/`` directory, which is not an installed
package: the command imports ``proofs._runner`` from the import path or, failing that, from the
repository that contains the ``semialg`` package (an editable install), and calls its ``main``.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

EXIT_NOT_FOUND = 2


def _runner():
    """``proofs._runner``, or None if no ``proofs/`` directory can be found."""
    try:
        return importlib.import_module("proofs._runner")
    except ModuleNotFoundError as exc:
        if exc.name not in ("proofs", "proofs._runner"):
            raise
    root = Path(__file__).resolve().parent.parent.parent  # the directory holding semialg/
    if not (root / "proofs" / "_runner.py").is_file():
        return None
    sys.path.insert(0, str(root))
    sys.modules.pop("proofs", None)
    try:
        return importlib.import_module("proofs._runner")
    except ModuleNotFoundError:
        return None


def _cmd_prove(args: argparse.Namespace) -> int:
    runner = _runner()
    if runner is None:
        print(
            "semialg: error: the proofs/ directory was not found (run from a source checkout of "
            "semialg installed with pip install -e .)",
            file=sys.stderr,
        )
        return EXIT_NOT_FOUND
    argv: list[str] = []
    if args.quick:
        argv.append("--quick")
    for name in args.only or []:
        argv += ["--only", name]
    if args.no_write:
        argv.append("--no-write")
    if args.output:
        argv += ["--output", args.output]
    return int(runner.main(argv))


def register(sub) -> None:
    p = sub.add_parser(
        "prove",
        help="run the executable proofs of the papers' claims (proofs/) and write docs/proofs.md",
        description="Run every claim module of proofs/ (each states a claim of the source papers "
        "and proves it), print one verdict line per claim and a summary table, and write "
        "docs/proofs.md (full runs only). Exit code 0 if every claim that ran holds, 1 if one "
        "fails, 2 if no claim module matches or proofs/ is not found. Same as python -m proofs.",
    )
    p.add_argument("--quick", action="store_true", help="skip the slow claims")
    p.add_argument(
        "--only",
        action="append",
        metavar="NAME",
        help="run only the claims whose module name contains NAME (repeatable)",
    )
    p.add_argument("--no-write", action="store_true", help="do not write docs/proofs.md")
    p.add_argument("--output", metavar="PATH", help="write the report to PATH instead")
    p.set_defaults(func=_cmd_prove)
