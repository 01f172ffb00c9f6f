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
from .errors import InputError

EXIT_BAD_INPUT = 2


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
    p.add_argument("--digits", type=_positive_int, default=15, help="significant digits (15)")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p.set_defaults(func=_cmd_roots)


def _add_version(sub) -> None:
    p = sub.add_parser("version", help="print the version", description="Print the version.")
    p.set_defaults(func=_cmd_version)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return value


SUBCOMMANDS: list[Callable] = [_add_roots, _add_version]


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
    except OSError as exc:
        print(f"semialg: error: {_one_line(str(exc))}", file=sys.stderr)
        return EXIT_BAD_INPUT


def _one_line(text: str) -> str:
    return " ".join(text.split())


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
