"""The ``semialg`` command line.

Every subcommand has ``--help``. Bad input (a malformed polynomial, an unreadable file) prints one
line ``semialg: error: ...`` on standard error and exits with code 2; a sentence decided prints
``true``/``false``; an exhausted budget prints ``unknown`` with the reason and exits with code 3.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence

from ._version import __version__
from .commands.common import EXIT_BAD_INPUT, EXIT_UNKNOWN, read_text
from .errors import InputError


class _Parser(argparse.ArgumentParser):
    """argparse with the one-line error format and exit code 2 for usage errors."""

    def error(self, message: str):  # type: ignore[override]
        self.exit(EXIT_BAD_INPUT, f"semialg: error: {message}\n")


# -- semialg roots ------------------------------------------------------------------------------
def _cmd_roots(args: argparse.Namespace) -> int:
    from .algebraic import real_roots
    from .poly import parse_polynomial

    poly = parse_polynomial(args.poly)
    if len(poly.variables()) > 1:
        raise InputError(f"'{args.poly}' is not univariate (variables {list(poly.variables())})")
    if poly.is_zero:
        raise InputError("the zero polynomial has every real number as a root")
    roots = real_roots(poly)
    var = poly.variables()[0] if poly.variables() else "x"
    if args.json:
        print(json.dumps([_root_json(r, m, args.digits) for r, m in roots], indent=2))
        return 0
    print(f"{len(roots)} distinct real root(s) of {poly} in {var}:")
    for r, m in roots:
        lo, hi = r.interval
        where = f"= {lo}" if lo == hi else f"in ({lo}, {hi})"
        print(f"  {var} {where}  multiplicity {m}  ~ {_decimal(r, args.digits)}")
    return 0


def _decimal(r, digits: int) -> str:
    """A decimal approximation of a real algebraic number, with ``digits`` significant digits."""
    prec = int(digits * 3.33) + 30
    return r.enclosure(prec).str(digits, radius=False)


def _root_json(r, multiplicity: int, digits: int) -> dict:
    lo, hi = r.interval
    return {
        "interval": [str(lo), str(hi)],
        "exact": str(lo) if lo == hi else None,
        "minimal_polynomial": str(r.minpoly),
        "multiplicity": multiplicity,
        "approximation": _decimal(r, digits),
    }


# -- semialg decide / qe ------------------------------------------------------------------------
def _read_problem(path: str, fmt: str | None) -> tuple[str, object, list[str]]:
    """Read a QEPCAD B or SMT-LIB 2 problem: (format, formula, free variable names).

    An SMT-LIB script asks whether its assertions are satisfiable: its declared constants are
    the free variables of the formula (``qe``) and are existentially closed by ``decide``.
    """
    from .logic import parse_qepcad, parse_smtlib

    text = read_text(path)
    if fmt is None:
        if path.endswith((".qepcad", ".qe", ".in")):
            fmt = "qepcad"
        elif path.endswith(".smt2"):
            fmt = "smtlib"
        else:
            stripped = text.lstrip()
            fmt = "smtlib" if stripped.startswith(("(", ";")) else "qepcad"
    if fmt == "qepcad":
        prob = parse_qepcad(text)
        formula = prob.formula
        if prob.assumptions is not None:
            raise InputError("QEPCAD 'assume' commands are not supported; conjoin the assumption")
        return fmt, formula, list(prob.free_variables)
    prob = parse_smtlib(text)
    return fmt, prob.formula, list(prob.declared)


def _budget(args: argparse.Namespace):
    from .cad.budget import Budget

    return Budget(seconds=args.budget, cells=args.cells)


def _hard(args: argparse.Namespace) -> bool:
    """A time budget given at the command line is enforced from outside as well (a forked child
    killed when the budget is over), so that one long FLINT call cannot overrun it."""
    return args.budget is not None


def _emit(args: argparse.Namespace, text: str, result) -> int:
    from .qe.result import Unknown

    unknown = isinstance(result.answer, Unknown)
    if args.json:
        print(
            json.dumps(
                {
                    "answer": "unknown" if unknown else text,
                    "reason": result.answer.reason if unknown else None,
                    "variable_order": list(result.variable_order),
                    "cells": result.cells,
                    "seconds": round(result.seconds, 6),
                    "method": result.method,
                    "notes": result.notes,
                }
            )
        )
    else:
        print("unknown" if unknown else text)
        if unknown:
            print(f"semialg: {result.answer.reason}", file=sys.stderr)
    return EXIT_UNKNOWN if unknown else 0


def _cmd_decide(args: argparse.Namespace) -> int:
    from .logic.formula import Exists
    from .qe.api import decide_detailed

    fmt, formula, free = _read_problem(args.file, args.format)
    if fmt == "smtlib":
        formula = Exists(free, formula) if free else formula
    elif free:
        raise InputError(f"decide needs a sentence, but the problem has free variables {free}")
    result = decide_detailed(
        formula, budget=_budget(args), method=args.projection, hard_budget=_hard(args)
    )
    answer = result.answer
    return _emit(args, "true" if answer is True else "false", result)


def _cmd_qe(args: argparse.Namespace) -> int:
    from .logic.smtlib_io import formula_to_smtlib
    from .qe.api import qe_detailed
    from .qe.result import Unknown

    fmt, formula, _ = _read_problem(args.file, args.format)
    result = qe_detailed(
        formula, budget=_budget(args), method=args.projection, hard_budget=_hard(args)
    )
    if isinstance(result.answer, Unknown):
        return _emit(args, "", result)
    text = formula_to_smtlib(result.answer) if fmt == "smtlib" else str(result.answer)
    return _emit(args, text, result)


# -- semialg demo -------------------------------------------------------------------------------
DEMO_POLYNOMIAL = "x^5 - 3*x + 1"
DEMO_SENTENCE = "(A x)(A y)[x^4 y^2 + x^2 y^4 - 3 x^2 y^2 + 1 >= 0]."
DEMO_QE = (
    "(E l11)(E l21)(E l22)(E u11)(E u12)(E u22)"
    "[a = l11 u11 /\\ b = l11 u12 /\\ c = l21 u11 /\\ d = l21 u12 + l22 u22]."
)


def _cmd_demo(args: argparse.Namespace) -> int:
    """The main job on its built-in default (see README.md)."""
    import time

    from .algebraic import real_roots
    from .logic import parse_qepcad_formula
    from .poly import parse_polynomial
    from .qe.api import decide_detailed, qe_detailed

    poly = parse_polynomial(DEMO_POLYNOMIAL)
    start = time.perf_counter()
    roots = real_roots(poly)
    print(f"Real roots of {poly} ({time.perf_counter() - start:.3f} s):")
    for r, m in roots:
        lo, hi = r.interval
        print(f"  in ({lo}, {hi}), multiplicity {m}, ~ {_decimal(r, 20)}")
    print(f"\nMotzkin's polynomial is nonnegative: {DEMO_SENTENCE}")
    res = decide_detailed(parse_qepcad_formula(DEMO_SENTENCE))
    print(f"  {str(res.answer).lower()}  ({res.method}, {res.cells} cells, {res.seconds:.3f} s)")
    print("\nImage of the 2x2 lower-times-upper product [[a, b], [c, d]] = L U:")
    res = qe_detailed(parse_qepcad_formula(DEMO_QE))
    print(f"  {res.answer}  ({res.method}, {res.cells} cells, {res.seconds:.3f} s)")
    print("  so [[0, 1], [1, 0]] is not a product, yet it is the limit of [[t, 1], [1, 0]].")
    return 0


# -- semialg version ----------------------------------------------------------------------------
def _cmd_version(args: argparse.Namespace) -> int:
    import flint
    import sympy

    print(f"semialg {__version__} (python-flint {flint.__version__}, sympy {sympy.__version__})")
    return 0


# -- the parser ---------------------------------------------------------------------------------
def _add_roots(sub) -> None:
    p = sub.add_parser(
        "roots",
        help="exact real roots of a univariate polynomial",
        description="Print the distinct real roots of a univariate polynomial with rational "
        "coefficients: exact isolating intervals, multiplicities and decimal approximations.",
    )
    p.add_argument("poly", metavar="POLY", help="e.g. 'x^3 - 2*x + 1/1000' (^ or ** for powers)")
    p.add_argument("--digits", type=positive_int, default=15, help="significant digits (15)")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p.set_defaults(func=_cmd_roots)


def _add_problem_command(sub, name: str, func, help_text: str, description: str) -> None:
    p = sub.add_parser(name, help=help_text, description=description)
    p.add_argument("file", metavar="FILE", help="problem file (.qepcad or .smt2), or - for stdin")
    p.add_argument(
        "--format",
        choices=["qepcad", "smtlib"],
        help="input syntax (default: by extension, or sniffed from the text)",
    )
    p.add_argument(
        "--budget",
        type=positive_float,
        metavar="SECONDS",
        help="time budget, enforced by a forked child process killed 1 s after it",
    )
    p.add_argument("--cells", type=positive_int, metavar="N", help="cell budget")
    p.add_argument(
        "--projection",
        choices=["lazard", "mccallum"],
        default="lazard",
        help="projection operator (McCallum only where its validity is checked)",
    )
    p.add_argument(
        "--json",
        action="store_true",
        help="print a JSON object with keys answer, variable_order, cells, seconds",
    )
    p.set_defaults(func=func)


def _add_decide(sub) -> None:
    _add_problem_command(
        sub,
        "decide",
        _cmd_decide,
        "decide a sentence: prints true or false",
        "Decide a first-order sentence over the reals given in QEPCAD B syntax (no free "
        "variables) or as an SMT-LIB 2 script (satisfiability of its assertions). Prints true or "
        "false; 'unknown' (exit code 3) if the budget runs out.",
    )


def _add_qe(sub) -> None:
    _add_problem_command(
        sub,
        "qe",
        _cmd_qe,
        "eliminate quantifiers: prints an equivalent quantifier-free formula",
        "Quantifier elimination over the reals. The input is QEPCAD B syntax (free variables "
        "first) or SMT-LIB 2 (declared constants are the free variables); the answer is printed "
        "in the syntax of the input.",
    )


def _add_version(sub) -> None:
    p = sub.add_parser("version", help="print the version", description="Print the version.")
    p.set_defaults(func=_cmd_version)


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return value


def positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}")
    return value


def _add_demo(sub) -> None:
    p = sub.add_parser(
        "demo",
        help="run the main job on its built-in default",
        description="Print the exact real roots of a built-in polynomial, decide a built-in "
        "sentence (Motzkin's polynomial is nonnegative) and eliminate the factors of the 2x2 LU "
        "product.",
    )
    p.set_defaults(func=_cmd_demo)


SUBCOMMANDS: list[Callable] = [_add_demo, _add_roots, _add_decide, _add_qe, _add_version]


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="semialg",
        description="Exact real algebraic geometry: real roots, CAD, quantifier elimination, "
        "and closedness of sparse matrix products.",
    )
    parser.add_argument("--version", action="version", version=f"semialg {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for add in SUBCOMMANDS:
        add(sub)
    import importlib

    from .commands import COMMAND_MODULES

    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_BAD_INPUT
    try:
        return int(args.func(args) or 0)
    except InputError as exc:
        print(f"semialg: error: {_one_line(str(exc))}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # the reader went away (semialg ... | head): not an error of ours
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:
        print(f"semialg: error: {_one_line(str(exc))}", file=sys.stderr)
        return EXIT_BAD_INPUT


def _one_line(text: str) -> str:
    return " ".join(text.split())


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
