"""``semialg landscape PATTERN --data FILE``: critical points of a sparse linear network.

The loss is ``||X Y D - T||_F^2`` with the masks of ``PATTERN`` (``"10,11 11,01"``: factors
separated by spaces, rows by commas, ``1`` = free entry) and ``FILE`` a JSON object
``{"D": [[...]], "T": [[...]]}`` whose entries are numbers or strings such as ``"1/3"`` (read
exactly; a decimal such as ``0.1`` is the decimal as written). See ``docs/landscape.md``.
"""

from __future__ import annotations

import argparse
import json

from ..errors import InputError
from .common import EXIT_UNKNOWN, read_json


def _cmd_landscape(args: argparse.Namespace) -> int:
    from ..landscape import LinearNetwork, analyze, exact_str
    from .optimum import read_json_data  # the data format is shared with `semialg optimum`

    D, T = read_json_data(args.data)
    net = LinearNetwork.from_pattern(args.pattern, D, T)
    if args.valley:
        return _valley(net, args)
    land = analyze(net, budget=args.budget)
    if args.json:
        print(json.dumps(land.to_json(), indent=2))
        return 0
    m, h, n = net.shape
    print(f"pattern   {net.pattern}  (X {m}x{h}, Y {h}x{n}, {len(net.names)} weights)")
    print(f"loss      ||X Y D - T||^2 on {len(net.D[0])} samples")
    print(f"critical points (one per gauge-fixed family, {len(land.critical_points)}):")
    for k, c in enumerate(land.critical_points, 1):
        tags = [c.kind] + (["strict"] if c.strict else []) + (["SPURIOUS"] if c.spurious else [])
        fam = f", family dim {c.family_dimension}" if c.family_dimension else ""
        print(
            f"  {k:3d}. {' '.join(tags):26s} loss {float(c.loss):.10g}  inertia "
            f"(+{c.inertia[0]}, -{c.inertia[1]}, 0:{c.inertia[2]}), orbit dim "
            f"{c.orbit_dimension}{fam}"
        )
        point = ", ".join(f"{v}={float(x):.6g}" for v, x in c.point.items())
        print(f"       {point}")
        if args.verbose:
            print(f"       case: {c.case}")
            print(f"       loss: {exact_str(c.loss)}")
            print(f"       why:  {c.reason}")
    for cs in land.unresolved:
        vals = "unknown" if cs.values is None else ", ".join(f"{float(v):.10g}" for v in cs.values)
        print(
            f"  positive-dimensional critical set, {cs.kind} (loss values {vals}; case {cs.case})"
        )
        if cs.note:
            print(f"       {cs.note}")
        if args.verbose:
            print(f"       {cs.set.defining_formula}")
    inf = "unknown" if land.infimum is None else f"{exact_str(land.infimum)}"
    if land.infimum is not None:
        inf += f" ~ {float(land.infimum):.10g}"
    print(f"infimum   {inf}")
    att = {True: "yes", False: "no", None: "unknown"}[land.attained]
    print(f"attained  {att}  ({land.infimum_reason})")
    print(f"spurious local minima: {len(land.spurious_minima)}")
    print(f"time      {land.seconds:.3f} s")
    for note in land.notes:
        print(f"note      {note}")
    return 0


def _valley(net, args: argparse.Namespace) -> int:
    """``--valley SPEC``: check a spurious-valley certificate for the network."""
    from ..landscape.valley import certify_valley

    spec = read_json(args.valley)
    keys = {"point", "witness", "level", "floor", "separator"}
    if not isinstance(spec, dict) or keys - set(spec):
        missing = sorted(keys - set(spec)) if isinstance(spec, dict) else sorted(keys)
        raise InputError(f"{args.valley}: the valley spec needs the keys {', '.join(missing)}")
    cert = certify_valley(
        net,
        spec["point"],
        spec["level"],
        spec["separator"],
        spec["floor"],
        spec["witness"],
        method=spec.get("method", "auto"),
        budget=args.budget,
    )
    if args.json:
        print(json.dumps(cert.to_json(), indent=2))
    else:
        verdict = {True: "spurious valley", False: "not certified", None: "unknown"}[cert.holds]
        print(f"pattern   {net.pattern}")
        print(f"verdict   {verdict}")
        print(f"reason    {cert.reason}")
        print(f"method    {cert.method}")
        print(f"L(point)  {cert.loss_point} ~ {float(cert.loss_point):.10g}  (level {cert.level})")
        print(f"g(point)  {cert.separator_at_point}")
        print(f"L(witness) {cert.loss_witness}  (floor {cert.floor})")
        for d in cert.decisions:
            ans = {True: "true", False: "false", None: "unknown"}[d.answer]
            print(f"  {d.sentence}  [{d.case}]: {ans} ({d.seconds:.3f} s)")
        print(f"time      {cert.seconds:.3f} s")
    return {True: 0, False: 1, None: EXIT_UNKNOWN}[cert.holds]


def _cmd_check_valley(args: argparse.Namespace) -> int:
    from ..landscape.valley_check import check_valley_certificate

    data = read_json(args.file)
    ok, reason = check_valley_certificate(data, budget=args.budget)  # type: ignore[arg-type]
    print(("valid: " if ok else "REJECTED: ") + reason)
    return 0 if ok else 1


def register(sub) -> None:
    from ..cli import positive_float

    p = sub.add_parser(
        "landscape",
        help="critical points and spurious minima of a sparse linear network",
        description="Exact critical points of the loss ||X Y D - T||^2 of a two-factor sparse "
        "linear network (masks from PATTERN, data from FILE), modulo the scaling symmetry, "
        "classified by exact inertia of the Hessian; the global infimum and the spurious local "
        "minima.",
    )
    p.add_argument(
        "pattern",
        metavar="PATTERN",
        help="masks of X and Y, e.g. '10,11 11,01' (rows by commas, factors by a space)",
    )
    p.add_argument(
        "--data",
        required=True,
        metavar="FILE",
        help='JSON {"D": [[...]], "T": [[...]]} (D: n x N inputs, T: m x N targets), or -',
    )
    p.add_argument(
        "--budget",
        type=positive_float,
        default=10.0,
        metavar="SECONDS",
        help="time budget of the CAD checks (infimum attained; valley sentences) (10)",
    )
    p.add_argument(
        "--valley",
        metavar="SPEC",
        help="check a spurious-valley certificate instead: JSON with point, witness, level, "
        "floor, separator (and optionally method); exit 0 certified, 1 not, 3 unknown",
    )
    p.add_argument("--verbose", "-v", action="store_true", help="print cases and exact values")
    p.add_argument(
        "--json",
        action="store_true",
        help="print JSON with keys critical_points, infimum, attained",
    )
    p.set_defaults(func=_cmd_landscape)

    c = sub.add_parser(
        "check-valley",
        help="re-verify a spurious-valley certificate independently",
        description="Re-verify a spurious-valley certificate (the JSON printed by "
        "'semialg landscape ... --valley SPEC --json') with code independent of the producer: "
        "exit 0 valid, 1 rejected, 2 malformed.",
    )
    c.add_argument("file", metavar="FILE", help="certificate JSON, or - for standard input")
    c.add_argument(
        "--budget",
        type=positive_float,
        default=120.0,
        metavar="SECONDS",
        help="time budget of each re-decided sentence (120)",
    )
    c.set_defaults(func=_cmd_check_valley)
