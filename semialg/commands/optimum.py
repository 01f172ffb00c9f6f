"""``semialg optimum``: does a least-squares problem over sparse products attain its infimum?"""

from __future__ import annotations

import argparse
import csv
import io
import json
from decimal import Decimal

from ..errors import InputError
from .common import EXIT_UNKNOWN, read_json, read_text


def _reject_constant(name: str):
    raise InputError(f"{name} is not a number")


def read_json_data(path: str) -> tuple[list, list]:
    """``{"D": [[...]], "T": [[...]]}``; JSON decimals are read exactly (as Decimals)."""
    data = read_json(path, parse_float=Decimal, parse_constant=_reject_constant)
    if not isinstance(data, dict) or "D" not in data or "T" not in data:
        raise InputError(
            f'{path}: expected an object {{"D": [[...]], "T": [[...]]}} with keys "D" and "T"'
        )
    extra = sorted(set(data) - {"D", "T"})
    if extra:
        raise InputError(f"{path}: unknown keys {extra} (expected D and T)")
    return data["D"], data["T"]


def read_csv_matrix(path: str, name: str) -> list[list[str]]:
    """A CSV file of numbers (no header), entries kept as text and read exactly later."""
    rows = [
        [c.strip() for c in r]
        for r in csv.reader(io.StringIO(read_text(path)))
        if r and any(c.strip() for c in r)
    ]
    if not rows:
        raise InputError(f"{name} file {path} is empty")
    return rows


def _cmd_optimum(args: argparse.Namespace) -> int:
    from ..sparse.optimum import number_text, optimum, relu_optimum
    from ..sparse.pattern import SupportPattern

    p = SupportPattern.parse(args.pattern)
    if args.data and (args.inputs or args.targets):
        raise InputError("give either --data FILE or --inputs/--targets, not both")
    if args.data:
        d, t = read_json_data(args.data)
    elif args.inputs and args.targets:
        d = read_csv_matrix(args.inputs, "--inputs")
        t = read_csv_matrix(args.targets, "--targets")
    else:
        raise InputError("give the data: --data FILE (JSON with D and T) or --inputs and --targets")
    solve = relu_optimum if args.relu else optimum
    res = solve(p, d, t, budget=args.budget)
    code = EXIT_UNKNOWN if res.attained == "unknown" else 0
    if args.json:
        out = {
            "infimum": res.infimum_json(),
            "attained": res.attained,
            "certificate": res.certificate,
            "method": res.method,
            "seconds": round(res.seconds, 6),
        }
        if res.reason:
            out["reason"] = res.reason
        print(json.dumps(out, indent=2))
        return code
    m, n = p.shape
    print(f"pattern   {p}  ({' x '.join(map(str, p.dims))}, product {m}x{n})")
    if args.relu:
        print("network   x -> W2 relu(W1 x + b1) + b2 (W2, W1 with the pattern's masks)")
    inf = "unknown" if res.infimum is None else number_text(res.infimum)
    print(f"infimum   {inf}")
    attained = {True: "yes", False: "no"}.get(res.attained, "unknown")  # type: ignore[arg-type]
    print(f"attained  {attained}")
    print(f"method    {res.method}")
    print(f"time      {res.seconds:.3f} s")
    if res.reason:
        print(f"reason    {res.reason}")
    cert = res.certificate
    qe_ev = cert.get("quantifier_elimination")
    if qe_ev and "eliminated" in qe_ev:
        lhs = qe_ev.get("formula", "E params [loss <= c]")
        print(f"evidence  {lhs}  <=>  {qe_ev['eliminated']}")
        if cert.get("lower_bound", "0") != "0":
            print(f"          infimum = ||T - T P||^2 = {cert['lower_bound']} + the least such c")
        if qe_ev.get("attained_by"):
            print(f"          {qe_ev['attained_by']}")
    if "factors" in cert:
        from ..sparse.laurent import matrix_from_json

        print("minimising sequence (the loss tends to the infimum as t -> 0):")
        for k, f in enumerate(cert["factors"]):
            rows = [[str(e) for e in r] for r in matrix_from_json(f)]
            width = max(len(v) for r in rows for v in r)
            print(f"  X{k + 1}(t) =")
            for r in rows:
                print("    [" + "  ".join(v.rjust(width) for v in r) + "]")
        if cert.get("sequence_loss"):
            from ..sparse.laurent import Laurent

            print(f"  loss(t) = {Laurent.from_json(cert['sequence_loss'])}")
    return code


def register(sub) -> None:
    from ..cli import positive_float

    p = sub.add_parser(
        "optimum",
        help="does min ||X1...XL D - T||^2 over sparse factors attain its infimum?",
        description="Compute exactly the infimum of the least-squares loss ||X1 ... XL D - T||^2 "
        "over factors with the pattern's supports, decide whether it is attained, and if not "
        "print a minimising sequence (Laurent-polynomial factors in t). PATTERN is the text form "
        'of the masks, e.g. \'10,11 11,01\'. The data is a JSON file {"D": [[...]], "T": '
        "[[...]]} (D: n x p inputs, one column per point; T: m x p targets; entries integers, "
        "decimals read exactly, or strings 'p/q'), or two CSV files. Exit code 0 when decided, "
        "2 on bad input, 3 when the budget runs out.",
    )
    p.add_argument("pattern", metavar="PATTERN", help="e.g. '10,11 11,01'")
    p.add_argument("--data", metavar="FILE", help='JSON file {"D": [[...]], "T": [[...]]}')
    p.add_argument("--inputs", metavar="CSV", help="D as a CSV file (n rows)")
    p.add_argument("--targets", metavar="CSV", help="T as a CSV file (m rows)")
    p.add_argument("--budget", type=positive_float, metavar="SECONDS", help="time budget")
    p.add_argument(
        "--relu",
        action="store_true",
        help="a one-hidden-layer ReLU network with biases, x -> W2 relu(W1 x + b1) + b2, "
        "instead of the linear product (PATTERN gives the masks of W2 and W1; tiny sizes only)",
    )
    p.add_argument(
        "--json",
        action="store_true",
        help="print JSON: infimum {exact, float}, attained, certificate, method, seconds",
    )
    p.set_defaults(func=_cmd_optimum)
