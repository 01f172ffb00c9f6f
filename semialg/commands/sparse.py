"""``semialg closedness``, ``semialg check-certificate`` and ``semialg census``."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ..errors import InputError
from .common import EXIT_UNKNOWN, read_json


def _pattern(args: argparse.Namespace):
    from ..sparse import pattern as pat

    if args.family:
        if args.pattern:
            raise InputError("give either a PATTERN or --family, not both")
        n = args.n if args.n is not None else 2
        return pat.FAMILIES[args.family](n)
    if not args.pattern:
        return pat.lu(2)
    return pat.SupportPattern.parse(args.pattern)


def _show_matrix(m) -> str:
    rows = [[str(v) for v in r] for r in m]
    width = max((len(v) for r in rows for v in r), default=1)
    return "\n".join("    [" + "  ".join(v.rjust(width) for v in r) + "]" for r in rows)


def _show_laurent_matrix(m) -> str:
    from ..sparse.laurent import matrix_from_json

    mat = matrix_from_json(m)
    return _show_matrix([[str(e) for e in r] for r in mat])


def _cmd_closedness(args: argparse.Namespace) -> int:
    from ..sparse import closedness

    p = _pattern(args)
    res = closedness(p, budget=args.budget)
    if args.json:
        print(json.dumps(res.to_json(), indent=2))
        return EXIT_UNKNOWN if res.verdict == "unknown" else 0
    m, n = p.shape
    print(f"pattern   {p}  ({' x '.join(map(str, p.dims))}, product {m}x{n})")
    print(f"verdict   {res.verdict.replace('_', ' ')}")
    print(f"method    {res.method}")
    print(f"time      {res.seconds:.3f} s")
    cert = res.certificate
    if res.verdict == "unknown":
        print(f"reason    {res.reason}")
        return EXIT_UNKNOWN
    if res.verdict == "not_closed" and "limit" in cert:
        print("limit A (a limit of products that is not a product):")
        print(_show_matrix(cert["limit"]))
        for k, f in enumerate(cert["factors"]):
            print(f"factor X{k + 1}(t) (the product tends to A as t -> 0):")
            print(_show_laurent_matrix(f))
        print("A is not a product: the Groebner basis of X1 X2 = A over Q is {1}")
    elif res.verdict == "not_closed":
        print("the exact two-stage decision found the image not closed:")
        print(f"    image {cert['exact_decision'].get('image')}")
    else:
        steps = cert.get("reductions", {}).get("steps", [])
        if steps:
            print("reductions:")
            for s in steps:
                print(f"  - {s['rule']}: {s['why']}")
        for g in cert.get("groups", []):
            terms = "; ".join(
                f"rank <= {len(t['hidden'])} on rows {t['rows']} x cols {t['cols']}"
                for t in g["terms"]
            )
            print(f"  group [{terms}] closed by {g['closed_by']['rule']}")
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    from ..sparse import check_certificate

    data = read_json(args.file)
    try:
        report = check_certificate(data)
    except (KeyError, TypeError, IndexError) as exc:
        raise InputError(f"malformed certificate: missing or wrong field {exc}") from None
    print(report)
    return 0 if report.ok else 1


def _cmd_census(args: argparse.Namespace) -> int:
    from ..sparse.census import load_resume, markdown, progress_bar, run_census

    out_json = Path(args.output).with_suffix(".json")
    out_md = Path(args.output).with_suffix(".md")
    resume = load_resume(out_json) if not args.fresh else None
    if resume and list(resume.get("max_size", [])) != list(args.max_size):
        resume = None

    def checkpoint(table: dict) -> None:
        out_json.write_text(json.dumps(table, indent=1))

    table = run_census(
        tuple(args.max_size),
        budget=args.budget,
        processes=args.processes,
        resume=resume,
        progress=None if args.quiet else progress_bar(),
        checkpoint=checkpoint,
        retry_unknown=args.retry_unknown,
    )
    out_json.parent.mkdir(parents=True, exist_ok=True)
    out_json.write_text(json.dumps(table, indent=1))
    out_md.write_text(markdown(table))
    tot = {
        k: sum(s[k] for s in table["shapes"])
        for k in ("patterns", "closed", "not_closed", "unknown")
    }
    print(
        f"{tot['patterns']} patterns: {tot['closed']} closed, {tot['not_closed']} not closed, "
        f"{tot['unknown']} unknown ({table['seconds']} s); wrote {out_md} and {out_json}"
    )
    return 0


def _max_size(text: str) -> int:
    from ..cli import positive_int

    v = positive_int(text)
    if v > 4:
        raise argparse.ArgumentTypeError(f"sizes above 4 are out of reach of a census, got {v}")
    return v


def register(sub) -> None:
    from ..cli import positive_float, positive_int
    from ..sparse.pattern import FAMILIES

    p = sub.add_parser(
        "closedness",
        help="decide whether the set of products of a sparse pattern is closed",
        description="Decide whether the set of products X1 X2 (... XL) with fixed supports is "
        "closed, and print the verdict, the method, the time and a certificate. PATTERN is the "
        "text form of the masks, rows separated by commas and factors by spaces, e.g. "
        "'10,11 11,01' (2x2 lower times upper); without a pattern, the 2x2 LU pattern.",
    )
    p.add_argument("pattern", metavar="PATTERN", nargs="?", help="e.g. '10,11 11,01'")
    p.add_argument("--family", choices=sorted(FAMILIES), help="a named family instead")
    p.add_argument("--n", type=positive_int, help="size for --family (default 2)")
    p.add_argument("--budget", type=positive_float, metavar="SECONDS", help="time budget")
    p.add_argument(
        "--json", action="store_true", help="print JSON: verdict, method, seconds, certificate"
    )
    p.set_defaults(func=_cmd_closedness)

    c = sub.add_parser(
        "check-certificate",
        help="re-verify a closedness certificate (exit 0 if it holds, 1 if not)",
        description="Re-verify a certificate printed by 'semialg closedness --json' (the whole "
        "output or its certificate object) with exact arithmetic, independently of the code that "
        "produced it. Exit code 0 if it holds, 1 if it does not, 2 on malformed input.",
    )
    c.add_argument("file", metavar="FILE", help="JSON file, or - for standard input")
    c.set_defaults(func=_cmd_check)

    s = sub.add_parser(
        "census",
        help="decide every two-factor pattern up to symmetry with bounded shapes",
        description="Enumerate every two-factor pattern (m x r times r x n, all sizes up to "
        "--max-size) up to row, column and hidden permutations and transposition, decide each, "
        "and write a Markdown table and a JSON file (the JSON is also the resume file).",
    )
    s.add_argument(
        "--max-size", nargs=3, type=_max_size, metavar=("M", "R", "N"), default=[2, 2, 2]
    )
    s.add_argument(
        "--budget",
        type=positive_float,
        default=20.0,
        metavar="SECONDS",
        help="time budget per pattern (20)",
    )
    s.add_argument("--processes", type=positive_int, help="worker processes (default: CPUs)")
    s.add_argument("--output", default="docs/census", help="output path without suffix")
    s.add_argument("--fresh", action="store_true", help="ignore an existing JSON output")
    s.add_argument(
        "--retry-unknown",
        action="store_true",
        help="decide again the patterns recorded as unknown (e.g. with a larger --budget)",
    )
    s.add_argument("--quiet", action="store_true", help="no progress bar")
    s.set_defaults(func=_cmd_census)
