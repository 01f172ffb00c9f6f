"""Re-verification of closedness certificates, independently of the code that produced them.

:func:`check_certificate` reads a certificate (the ``certificate`` object of
:class:`~semialg.sparse.closedness.ClosednessResult`, or the whole ``--json`` output of
``semialg closedness``) and re-checks it with its own exact arithmetic:

- ``not_closed``: the factors respect the masks; their product, expanded with SymPy in the
  variable t, has no negative power of t and constant term equal to the limit A; and a fresh
  Groebner basis of the equations X Y = A over Q is {1} (or, for a real-decision proof, the
  membership sentence is decided false by the CAD engine);
- ``closed``: the chain of reductions is replayed by an independent implementation of the rules
  (docs/sparse.md) and must produce the certificate's free entries and groups; each group's
  closing rule is checked (a determinantal group is one rank-c block without free entries inside
  its rectangle; an exact decision is decided again by the CAD engine).

It returns a :class:`CheckReport` whose ``ok`` is True only if every check holds.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from fractions import Fraction

import sympy

from ..errors import InputError

T = sympy.Symbol("t")


@dataclass
class CheckReport:
    ok: bool
    checks: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def fail(self, why: str) -> None:
        self.ok = False
        self.failures.append(why)

    def passed(self, what: str) -> None:
        self.checks.append(what)

    def __bool__(self) -> bool:
        return self.ok

    def __str__(self) -> str:
        lines = [("certificate holds" if self.ok else "certificate REJECTED")]
        lines += [f"  ok: {c}" for c in self.checks]
        lines += [f"  FAILED: {f}" for f in self.failures]
        return "\n".join(lines)


def _masks(text: object) -> list[list[list[int]]]:
    if not isinstance(text, str) or not text.split():
        raise InputError("the certificate has no pattern text")
    masks = []
    for factor in text.split():
        rows = factor.split(",")
        if any(not r or set(r) - {"0", "1"} for r in rows):
            raise InputError(f"malformed mask {factor!r} in the certificate")
        masks.append([[int(c) for c in r] for r in rows])
    for a, b in itertools.pairwise(masks):
        if len(a[0]) != len(b) or any(len(r) != len(a[0]) for r in a):
            raise InputError("the certificate's masks do not chain")
    return masks


def _rational(v: object) -> Fraction:
    if isinstance(v, bool) or not isinstance(v, int | str):
        raise InputError(f"expected an exact rational (integer or 'p/q' string), got {v!r}")
    try:
        return Fraction(v)
    except (ValueError, ZeroDivisionError):
        raise InputError(f"{v!r} is not a rational number") from None


def _laurent(entry: object) -> sympy.Expr:
    if isinstance(entry, int | str) and not isinstance(entry, bool):
        q = _rational(entry)
        return sympy.Rational(q.numerator, q.denominator)
    if not isinstance(entry, dict):
        raise InputError(f"a Laurent entry is an object {{exponent: coefficient}}, got {entry!r}")
    expr = sympy.Integer(0)
    for k, c in entry.items():
        try:
            e = int(k)
        except ValueError:
            raise InputError(f"non-integer exponent {k!r}") from None
        q = _rational(c)
        expr += sympy.Rational(q.numerator, q.denominator) * T**e
    return expr


def check_certificate(cert: object) -> CheckReport:
    """Re-verify a closedness certificate (see the module docstring)."""
    if isinstance(cert, dict) and "certificate" in cert and "verdict" in cert:
        cert = cert["certificate"]
    if not isinstance(cert, dict):
        raise InputError("a certificate is a JSON object")
    report = CheckReport(ok=True)
    masks = _masks(cert.get("pattern"))
    verdict = cert.get("verdict")
    if verdict == "not_closed":
        if "factors" in cert:
            _check_not_closed(masks, cert, report)
        elif "exact_decision" in cert and "group" in cert and len(masks) == 2:
            _check_group_not_closed(masks, cert, report)
        elif "exact_decision" in cert:
            _check_exact(masks, cert, report, expect_closed=False)
        else:
            report.fail("a not_closed certificate needs factors and a limit, or an exact decision")
    elif verdict == "closed" and "absorbed" in cert:
        _check_absorbed(masks, cert, report)
    elif verdict == "closed":
        if "reductions" in cert:
            _check_closed(masks, cert, report)
        elif "exact_decision" in cert:
            _check_exact(masks, cert, report, expect_closed=True)
        else:
            report.fail("a closed certificate needs reductions or an exact decision")
    else:
        report.fail(f"unknown verdict {verdict!r}: only closed / not_closed carry certificates")
    return report


# -- not closed --------------------------------------------------------------------------------
def _check_not_closed(masks, cert: dict, report: CheckReport) -> None:
    factors = cert["factors"]
    if not isinstance(factors, list) or len(factors) != len(masks):
        report.fail(f"expected {len(masks)} factors")
        return
    mats = []
    for f, (fm, mask) in enumerate(zip(factors, masks, strict=True)):
        if len(fm) != len(mask) or any(len(r) != len(mask[0]) for r in fm):
            report.fail(f"factor {f + 1} has the wrong shape")
            return
        m = sympy.zeros(len(mask), len(mask[0]))
        for i, row in enumerate(fm):
            for j, e in enumerate(row):
                v = _laurent(e)
                if v != 0 and not mask[i][j]:
                    report.fail(f"factor {f + 1} has a nonzero entry ({i}, {j}) outside its mask")
                m[i, j] = v
        mats.append(m)
    report.passed("factors respect the masks")
    prod = mats[0]
    for m in mats[1:]:
        prod = prod * m
    limit = cert["limit"]
    rows, cols = prod.shape
    if len(limit) != rows or any(len(r) != cols for r in limit):
        report.fail("the limit has the wrong shape")
        return
    for i in range(rows):
        for j in range(cols):
            e = sympy.expand(prod[i, j])
            terms = sympy.Poly(sympy.expand(e * T**200), T) if e != 0 else None
            if terms is not None and terms.degree() >= 0:
                low = min(mon[0] for mon in terms.monoms()) - 200
                if low < 0:
                    report.fail(f"product entry ({i}, {j}) has the negative power t^{low}")
                    return
            const = e.subs(T, 0) if e != 0 else 0
            q = _rational(limit[i][j])
            if sympy.Rational(q.numerator, q.denominator) != const:
                report.fail(f"product entry ({i}, {j}) tends to {const}, not {limit[i][j]}")
                return
    report.passed("the product has no negative powers of t and its constant term is the limit")
    # A is not a product
    syms = []
    mats = []
    for f, mask in enumerate(masks):
        m = sympy.zeros(len(mask), len(mask[0]))
        for i, row in enumerate(mask):
            for j, v in enumerate(row):
                if v:
                    s = sympy.Symbol(f"p{f}_{i}_{j}")
                    syms.append(s)
                    m[i, j] = s
        mats.append(m)
    prod = mats[0]
    for m in mats[1:]:
        prod = prod * m
    eqs = []
    for i in range(rows):
        for j in range(cols):
            q = _rational(limit[i][j])
            eqs.append(sympy.expand(prod[i, j] - sympy.Rational(q.numerator, q.denominator)))
    method = cert.get("non_membership", {}).get("method")
    if method == "groebner":
        if any(e.is_number and e != 0 for e in eqs):
            report.passed("X Y = A is inconsistent (a nonzero constant equation)")
            return
        basis = sympy.groebner([e for e in eqs if e != 0], *syms, order="grevlex", domain="QQ")
        if list(basis.exprs) == [1]:
            report.passed("the Groebner basis of X Y = A over Q is {1}: A is not a product")
        else:
            report.fail("the Groebner basis of X Y = A is not {1}")
    elif method == "real-decision":
        from ..logic import And, Atom, Exists
        from ..poly import PolyRing
        from ..qe import decide

        ring = PolyRing([s.name for s in syms])
        body = And(*(Atom(ring.from_sympy(e), "=") for e in eqs))
        if decide(Exists([s.name for s in syms], body)) is False:
            report.passed("E params [X Y = A] decided false: A is not a product")
        else:
            report.fail("the membership sentence is not false")
    else:
        report.fail(f"unknown non-membership method {method!r}")


# -- closed ------------------------------------------------------------------------------------
def _check_absorbed(masks, cert: dict, report: CheckReport) -> None:
    """Replay the merging of partial monomial factors (docs/sparse.md, Fact 9), then check the
    certificate of the reduced pattern."""
    ms = [m for m in masks]
    for st in cert["absorbed"]:
        k = st["factor"]
        mono = ms[k]
        if any(sum(r) > 1 for r in mono) or any(sum(c) > 1 for c in zip(*mono, strict=True)):
            report.fail(f"factor {k + 1} is not a partial monomial mask")
            return
        a, b = (ms[k - 1], mono) if st["into"] == "left" else (mono, ms[k + 1])
        merged = [
            [int(any(a[i][q] and b[q][j] for q in range(len(b)))) for j in range(len(b[0]))]
            for i in range(len(a))
        ]
        if st["into"] == "left":
            ms[k - 1 : k + 1] = [merged]
        else:
            ms[k : k + 2] = [merged]
    text = " ".join(",".join("".join(map(str, r)) for r in m) for m in ms)
    if text != cert["reduced_pattern"]:
        report.fail("the merged masks differ from the certificate's reduced pattern")
        return
    report.passed(f"merged {len(cert['absorbed'])} partial monomial factor(s) into {text}")
    inner = check_certificate(cert["reduced_certificate"])
    report.checks += [f"reduced pattern: {c}" for c in inner.checks]
    for f in inner.failures:
        report.fail(f"reduced pattern: {f}")
    if inner.ok and cert["reduced_certificate"].get("pattern") != text:
        report.fail("the reduced certificate is for another pattern")


def _replay(masks) -> tuple[set, list[tuple[frozenset, frozenset, int]]]:
    """An independent implementation of the reduction rules of docs/sparse.md:
    returns the free entries and the residual terms (rows, cols, rank)."""
    x, y = masks
    rects: dict[tuple[frozenset, frozenset], int] = {}
    for k in range(len(y)):
        c = frozenset(i for i in range(len(x)) if x[i][k])
        r = frozenset(j for j in range(len(y[0])) if y[k][j])
        if c and r:
            rects[(c, r)] = rects.get((c, r), 0) + 1
    free: set = set()
    while True:
        before = (dict(rects), set(free))
        nxt: dict[tuple[frozenset, frozenset], int] = {}
        for (c, r), rank in rects.items():
            live = {(i, j) for i in c for j in r} - free
            # connected components of the bipartite graph of live entries
            remaining = set(live)
            while remaining:
                comp = {remaining.pop()}
                grow = True
                while grow:
                    grow = False
                    for e in list(remaining):
                        if any(e[0] == f[0] or e[1] == f[1] for f in comp):
                            comp.add(e)
                            remaining.discard(e)
                            grow = True
                cr = frozenset(e[0] for e in comp), frozenset(e[1] for e in comp)
                nxt[cr] = nxt.get(cr, 0) + rank
        rects = {}
        for (c, r), rank in nxt.items():
            if rank >= min(len(c), len(r)):
                free |= {(i, j) for i in c for j in r}
            else:
                rects[(c, r)] = rank
        if (rects, free) == before:
            break
    return free, [(c, r, k) for (c, r), k in rects.items()]


def _check_closed(masks, cert: dict, report: CheckReport) -> None:
    if len(masks) != 2:
        report.fail("reduction certificates are for two factors")
        return
    free, terms = _replay(masks)
    red = cert["reductions"]
    claimed_free = {tuple(e) for e in red.get("free", [])}
    if claimed_free != free:
        report.fail(f"free entries {sorted(claimed_free)} differ from the replay {sorted(free)}")
        return
    report.passed(f"replayed the reductions: {len(free)} free entries")
    claimed = {}
    for g in cert.get("groups", []):
        for t in g["terms"]:
            key = (frozenset(t["rows"]), frozenset(t["cols"]))
            claimed[key] = claimed.get(key, 0) + len(t["hidden"])
    replayed = {(c, r): k for c, r, k in terms}
    if claimed != replayed:
        report.fail("the residual terms differ from the replay")
        return
    report.passed(f"replayed the residual terms: {len(terms)} block(s)")
    # groups: terms sharing a non-free entry must be in the same group
    owner = {}
    for gi, g in enumerate(cert["groups"]):
        for t in g["terms"]:
            for i in t["rows"]:
                for j in t["cols"]:
                    if (i, j) in free:
                        continue
                    if owner.setdefault((i, j), gi) != gi:
                        report.fail(f"entry ({i}, {j}) is shared by two groups")
                        return
    report.passed("groups act on disjoint non-free entries")
    for gi, g in enumerate(cert["groups"]):
        rule = g.get("closed_by", {}).get("rule")
        if rule == "exact-decision":
            if _redecide_group(g, free):
                report.passed(f"group {gi}: closedness decided again by the CAD engine")
            else:
                report.fail(f"group {gi}: the exact decision did not confirm closedness")
        elif rule == "surjective-subset":
            why = _check_surjective_subset(g, free)
            if why is None:
                report.passed(f"group {gi}: a surjective subset and a closed remainder (closed)")
            else:
                report.fail(f"group {gi}: surjective-subset: {why}")
        elif rule in STRUCTURAL_RULES:
            holds, what = STRUCTURAL_RULES[rule]
            if holds(g["terms"], free):
                report.passed(f"group {gi}: {what} (closed)")
            else:
                report.fail(f"group {gi}: the {rule} hypotheses do not hold")
        else:
            report.fail(f"group {gi}: unknown rule {rule!r}")


# -- hypotheses of the structural closing rules (docs/sparse.md), on JSON terms ----------------
def _determinantal(ts: list[dict], free: set) -> bool:
    """Fact 4: one block with no free entry in its rectangle."""
    return len(ts) == 1 and not _holes(ts, free)


def _nested_chain(ts: list[dict], free: set) -> bool:
    """Fact 11: no free entries, one shared column (row) set, nested row (column) sets."""
    return not _holes(ts, free) and any(
        len({frozenset(t[a]) for t in ts}) == 1
        and all(
            x <= y for x, y in itertools.pairwise(sorted((frozenset(t[b]) for t in ts), key=len))
        )
        for a, b in (("cols", "rows"), ("rows", "cols"))
    )


def _crossing(ts: list[dict], free: set) -> bool:
    """Fact 12: two rank-one terms, no free entries, C_1 <= C_2 and R_2 <= R_1."""
    return (
        len(ts) == 2
        and not _holes(ts, free)
        and all(len(t["hidden"]) == 1 for t in ts)
        and any(
            set(s["rows"]) <= set(t["rows"]) and set(t["cols"]) <= set(s["cols"])
            for s, t in ((ts[0], ts[1]), (ts[1], ts[0]))
        )
    )


def _corank_one_fill(ts: list[dict], free: set) -> bool:
    """Fact 13: a rank n-1 block on n x n containing every term, and a rank-one term on
    C' x R' with |C'| + |R'| > n; no free entries."""
    return not _holes(ts, free) and any(
        len(b["rows"]) == len(b["cols"]) == len(b["hidden"]) + 1
        and all(set(t["rows"]) <= set(b["rows"]) and set(t["cols"]) <= set(b["cols"]) for t in ts)
        and any(
            t is not b
            and len(t["hidden"]) == 1
            and len(t["rows"]) + len(t["cols"]) > len(b["rows"])
            for t in ts
        )
        for b in ts
    )


def _full_matching(ts: list[dict], free: set) -> bool:
    """Fact 14: one shared column (row) set; rows (columns) matched to distinct hidden units."""
    for side, other in (("cols", "rows"), ("rows", "cols")):
        if len({frozenset(t[side]) for t in ts}) != 1:
            continue
        lines = sorted({i for t in ts for i in t[other]})
        slots = [set(t[other]) for t in ts for _ in t["hidden"]]
        # Hall's condition, checked directly: every set of lines meets enough slots
        if len(lines) <= 12 and all(
            sum(1 for s in slots if s & set(sub)) >= len(sub)
            for k in range(1, len(lines) + 1)
            for sub in itertools.combinations(lines, k)
        ):
            return True
    return False


def _dimension_count_entries(ts: list[dict]) -> set | None:
    """Fact 15: one shared row (column) set S; with d = min(|S|, |L|), the d largest supports on
    the other side L (one per hidden unit) have sizes m_k >= |L| - d + k. Returns S x L."""
    for side, other in (("rows", "cols"), ("cols", "rows")):
        shared = {frozenset(t[side]) for t in ts}
        if len(shared) != 1:
            continue
        S = set(next(iter(shared)))
        L = {x for t in ts for x in t[other]}
        d = min(len(S), len(L))
        sizes = sorted((len(t[other]) for t in ts for _ in t["hidden"]), reverse=True)[:d]
        if len(sizes) < d:
            continue
        # the k-th smallest of the d largest is sizes[d - k]
        if all(sizes[d - k] >= len(L) - d + k for k in range(1, d + 1)):
            if side == "rows":
                return {(i, j) for i in S for j in L}
            return {(i, j) for i in L for j in S}
    return None


def _dimension_count(ts: list[dict], free: set) -> bool:
    return _dimension_count_entries(ts) is not None


def _unit_supports(masks) -> list[tuple[frozenset, frozenset]]:
    X, Y = masks
    out = []
    for k in range(len(Y)):
        rows = frozenset(i for i in range(len(X)) if X[i][k])
        cols = frozenset(j for j in range(len(Y[k])) if Y[k][j])
        if rows and cols:
            out.append((rows, cols))
    return sorted(out, key=lambda rc: (sorted(rc[0]), sorted(rc[1])))


def _check_surjective_subset(g: dict, free: set) -> str | None:
    """Fact 16: the subset's hypotheses, the remainder pattern, and its own certificate."""
    info = g.get("closed_by", {})
    ts = g["terms"]
    J = info.get("subset")
    if not isinstance(J, list) or not J or len(set(J)) != len(J):
        return "no subset of terms"
    if any(not isinstance(i, int) or not 0 <= i < len(ts) for i in J) or len(J) >= len(ts):
        return "the subset is not a proper subset of the group's terms"
    sub_terms = [ts[i] for i in J]
    if info.get("subset_rule") == "full-matching" and _full_matching(sub_terms, free):
        E = {(i, j) for t in sub_terms for i in t["rows"] for j in t["cols"]}
    elif info.get("subset_rule") == "dimension-count":
        E = _dimension_count_entries(sub_terms)
        if E is None:
            return "the dimension-count hypotheses do not hold for the subset"
    else:
        return "the subset's rule does not hold"
    rest = [t for i, t in enumerate(ts) if i not in J]
    covered = {(i, j) for t in rest for i in t["rows"] for j in t["cols"]}
    expected = [(frozenset(t["rows"]), frozenset(t["cols"])) for t in rest for _ in t["hidden"]]
    expected += [(frozenset({i}), frozenset({j})) for i, j in (E | free) & covered]
    expected.sort(key=lambda rc: (sorted(rc[0]), sorted(rc[1])))
    sub = info.get("sub_certificate")
    if not isinstance(sub, dict):
        return "no certificate for the remaining terms"
    sub_masks = _masks(sub.get("pattern"))
    if len(sub_masks) != 2 or _unit_supports(sub_masks) != expected:
        return "the remainder pattern is not the other terms with E and the free entries freed"
    if sub.get("verdict") != "closed":
        return "the remainder is not certified closed"
    inner = check_certificate(sub)
    if not inner.ok:
        return "the remainder's certificate fails: " + "; ".join(inner.failures)
    return None


#: rule name -> (hypotheses on the group's terms and the free entries, what it establishes)
STRUCTURAL_RULES = {
    "determinantal": (_determinantal, "one block of bounded rank without free entries"),
    "nested-chain": (_nested_chain, "nested chain of blocks without free entries"),
    "crossing": (_crossing, "two crossing rank-one terms"),
    "corank-one-fill": (_corank_one_fill, "a corank-one block filled by a rank-one term"),
    "full-matching": (_full_matching, "a shared side whose lines match distinct hidden units"),
    "dimension-count": (_dimension_count, "a shared side with enough large supports"),
}


def _holes(terms: list[dict], free: set) -> list[tuple[int, int]]:
    """Free entries inside the rectangles of the given terms."""
    return [(i, j) for t in terms for i in t["rows"] for j in t["cols"] if (i, j) in free]


def _check_group_not_closed(masks, cert: dict, report: CheckReport) -> None:
    """A group found not closed by the exact decision: replay the reductions (so that the
    group's non-closedness is the pattern's, Facts 2 and 3) and decide the group again."""
    free, terms = _replay(masks)
    g = cert["group"]
    mine = {(frozenset(t["rows"]), frozenset(t["cols"])): len(t["hidden"]) for t in g["terms"]}
    replayed = {(c, r): k for c, r, k in terms}
    if any(replayed.get(key) != k for key, k in mine.items()):
        report.fail("the group is not among the residual blocks of the replayed reductions")
        return
    entries = {(i, j) for t in g["terms"] for i in t["rows"] for j in t["cols"]} - free
    for (c, r), _k in replayed.items():
        if (c, r) not in mine and ({(i, j) for i in c for j in r} - free) & entries:
            report.fail("a residual block outside the group shares its entries")
            return
    report.passed("replayed the reductions: the group is a residual group of the pattern")
    if _redecide_group(g, free, expect=False):
        report.passed("the group's image decided not closed again by the CAD engine")
    else:
        report.fail("the exact decision did not confirm that the group is not closed")


def _redecide_group(g: dict, free: set, expect: bool = True) -> bool:
    from ..logic import And, Atom, Exists
    from ..poly import PolyRing
    from ..qe import Unknown
    from ..sets import SemialgebraicSet

    entries = sorted({(i, j) for t in g["terms"] for i in t["rows"] for j in t["cols"]} - free)
    params = []
    contrib: dict = {e: [] for e in entries}
    for t in g["terms"]:
        for h in t["hidden"]:
            for i in t["rows"]:
                for j in t["cols"]:
                    if (i, j) in contrib:
                        contrib[(i, j)].append((f"u{i}_{h}", f"v{h}_{j}"))
            params += [f"u{i}_{h}" for i in t["rows"]] + [f"v{h}_{j}" for j in t["cols"]]
    coords = [f"c{i}_{j}" for i, j in entries]
    ring = PolyRing([*coords, *params])
    atoms = []
    for (i, j), pairs in contrib.items():
        s = ring.zero()
        for a, b in pairs:
            s = s + ring.gen(a) * ring.gen(b)
        atoms.append(Atom(ring.gen(f"c{i}_{j}") - s, "="))
    image = SemialgebraicSet(Exists(params, And(*atoms)), coords)
    ans = image.is_closed()
    return not isinstance(ans, Unknown) and ans is expect


def _check_exact(masks, cert: dict, report: CheckReport, expect_closed: bool) -> None:
    from ..logic import And, Atom, Exists
    from ..poly import PolyRing
    from ..qe import Unknown
    from ..sets import SemialgebraicSet

    m, n = len(masks[0]), len(masks[-1][0])
    coords = [f"c{i}_{j}" for i in range(m) for j in range(n)]
    params = []
    mats = []
    for f, mask in enumerate(masks):
        mat = []
        for i, row in enumerate(mask):
            mrow = []
            for j, v in enumerate(row):
                if v:
                    params.append(f"p{f}_{i}_{j}")
                    mrow.append(f"p{f}_{i}_{j}")
                else:
                    mrow.append(None)
            mat.append(mrow)
        mats.append(mat)
    ring = PolyRing([*coords, *params])

    def entry(name):
        return ring.zero() if name is None else ring.gen(name)

    prod = [[entry(v) for v in row] for row in mats[0]]
    for mat in mats[1:]:
        prod = [
            [
                sum((row[k] * entry(mat[k][j]) for k in range(len(mat))), ring.zero())
                for j in range(len(mat[0]))
            ]
            for row in prod
        ]
    atoms = [Atom(ring.gen(f"c{i}_{j}") - prod[i][j], "=") for i in range(m) for j in range(n)]
    ans = SemialgebraicSet(Exists(params, And(*atoms)), coords).is_closed()
    if isinstance(ans, Unknown):
        report.fail(f"the exact decision ran out: {ans.reason}")
    elif ans is expect_closed:
        report.passed("closedness of the image decided again by the CAD engine")
    else:
        report.fail("the exact decision disagrees with the verdict")
