"""Cancellation witnesses: Laurent curves whose products converge outside the image.

For a residual group (see :mod:`semialg.sparse.reduce`) with parameters p (the entries of the
blocks U_b, V_b) the image is phi(p) = sum_b pi(U_b V_b^T) on the group's non-free entries E.
phi is quadratic; write B(p, q) = phi(p + q) - phi(p) - phi(q) for its polarisation. Along the
curve p(t) = z/t + w + w' t

    phi(p(t)) = phi(z)/t^2 + B(z, w)/t + [phi(w) + B(z, w')] + t B(w, w') + t^2 phi(w'),

so if phi(z) = 0 and B(z, w) = 0 the products converge to A = phi(w) + B(z, w') (docs/sparse.md,
Fact 6). :func:`search_group_witness` tries kernel points z built from cancelling pairs of terms
and from terms that vanish on the non-free entries (then sums of two such points), solves
B(z, w) = 0 exactly, draws w, w' with small integer coordinates and keeps A only when its
non-membership is proved (Groebner basis {1}).
:func:`lift_witness` turns a group witness into factors X(t), Y(t) of the whole pattern by letting
the free-entry terms absorb everything on the free entries (in the reverse order of their creation).
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass
from fractions import Fraction

import flint
import sympy

from .laurent import Laurent, LaurentMatrix, matmul, zeros
from .membership import groebner_infeasible
from .reduce import Entry, Group, Reduction

Param = tuple[str, int, int]  # ("x", row, hidden) or ("y", hidden, col)


def group_parameters(group: Group) -> list[Param]:
    params: list[Param] = []
    for t in group.terms:
        for h in t.hidden:
            params += [("x", i, h) for i in sorted(t.rows)]
            params += [("y", h, j) for j in sorted(t.cols)]
    return params


def _products(group: Group):
    """For each non-free entry e of the group: the list of parameter pairs (x, y) with x*y
    contributing to e."""
    out: dict[Entry, list[tuple[Param, Param]]] = {e: [] for e in sorted(group.entries)}
    for t in group.terms:
        for h in t.hidden:
            for i in t.rows:
                for j in t.cols:
                    if (i, j) in out:
                        out[(i, j)].append((("x", i, h), ("y", h, j)))
    return out


def phi(group: Group, p: dict[Param, Fraction]) -> dict[Entry, Fraction]:
    prods = _products(group)
    return {
        e: sum((p.get(a, Fraction(0)) * p.get(b, Fraction(0)) for a, b in pairs), Fraction(0))
        for e, pairs in prods.items()
    }


def _linear_map(group: Group, z: dict[Param, Fraction], params: list[Param]):
    """Rows: entries of E; columns: parameters; the matrix of w -> B(z, w)."""
    prods = _products(group)
    index = {p: k for k, p in enumerate(params)}
    entries = sorted(prods)
    mat = [[Fraction(0)] * len(params) for _ in entries]
    for r, e in enumerate(entries):
        for a, b in prods[e]:
            za, zb = z.get(a, Fraction(0)), z.get(b, Fraction(0))
            if zb:
                mat[r][index[a]] += zb
            if za:
                mat[r][index[b]] += za
    return entries, mat


def _nullspace(mat: list[list[Fraction]], ncols: int) -> list[list[Fraction]]:
    """A basis of the right kernel over Q (flint's exact reduced row echelon form)."""
    if not mat:
        return [[Fraction(int(i == k)) for i in range(ncols)] for k in range(ncols)]
    m = flint.fmpq_mat(
        len(mat), ncols, [flint.fmpq(c.numerator, c.denominator) for r in mat for c in r]
    )
    rref, rank = m.rref()
    pivots = []
    row = 0
    for col in range(ncols):
        if row < rank and rref[row, col] != 0:
            pivots.append(col)
            row += 1
    free_cols = [c for c in range(ncols) if c not in pivots]
    basis = []
    for fc in free_cols:
        v = [Fraction(0)] * ncols
        v[fc] = Fraction(1)
        for r, pc in enumerate(pivots):
            q = rref[r, fc]
            v[pc] = -Fraction(int(q.p), int(q.q))
        basis.append(v)
    return basis


def kernel_candidates(group: Group, rng: random.Random) -> list[dict[Param, Fraction]]:
    """Parameter vectors z != 0 with phi(z) = 0 on the non-free entries (cancellations)."""
    cands: list[dict[Param, Fraction]] = []
    # one parameter alone (phi is bilinear, so phi(z) = 0): one factor entry grows like 1/t
    for t in group.terms:
        for h in t.hidden[:1]:
            cands += [{("x", i, h): Fraction(1)} for i in sorted(t.rows)]
            cands += [{("y", h, j): Fraction(1)} for j in sorted(t.cols)]
    # a single term whose rank-one piece lies in the free entries
    for t in group.terms:
        for h in t.hidden[:1]:
            for i, j in sorted(t.entries() & group.free):
                cands.append({("x", i, h): Fraction(1), ("y", h, j): Fraction(1)})
    # two hidden units cancelling on their common rectangle
    units = [(t, h) for t in group.terms for h in t.hidden]
    for (t1, h1), (t2, h2) in itertools.combinations(units, 2):
        rows = sorted(t1.rows & t2.rows)
        cols = sorted(t1.cols & t2.cols)
        if not rows or not cols:
            continue
        for i, j in itertools.product(rows, cols):
            cands.append(
                {
                    ("x", i, h1): Fraction(1),
                    ("y", h1, j): Fraction(1),
                    ("x", i, h2): Fraction(-1),
                    ("y", h2, j): Fraction(1),
                }
            )
        if len(rows) > 1 or len(cols) > 1:
            a = {i: Fraction(rng.choice([1, 2, -1, 3])) for i in rows}
            c = {j: Fraction(rng.choice([1, 2, -1, 3])) for j in cols}
            z: dict[Param, Fraction] = {}
            for i in rows:
                z[("x", i, h1)] = a[i]
                z[("x", i, h2)] = -a[i]
            for j in cols:
                z[("y", h1, j)] = c[j]
                z[("y", h2, j)] = c[j]
            cands.append(z)
    out = []
    for z in cands:
        if all(v == 0 for v in phi(group, z).values()):
            out.append(z)
    # sums of two kernel points that stay in the kernel (several cancellations at once)
    seen = {tuple(sorted(z.items())) for z in out}
    for a, b in itertools.combinations(out[:MAX_COMBINED], 2):
        z = dict(a)
        for k, v in b.items():
            z[k] = z.get(k, Fraction(0)) + v
        z = {k: v for k, v in z.items() if v}
        key = tuple(sorted(z.items()))
        if z and key not in seen and all(v == 0 for v in phi(group, z).values()):
            seen.add(key)
            out.append(z)
    return out


#: How many single kernel points are combined pairwise (the pairs come after the singles).
MAX_COMBINED = 40


@dataclass
class GroupWitness:
    """p(t) = z/t + w + w' t with products converging to ``limit`` (on the group entries),
    and ``limit`` proved outside the group's image."""

    z: dict[Param, Fraction]
    w: dict[Param, Fraction]
    w1: dict[Param, Fraction]
    limit: dict[Entry, Fraction]

    def curve(self) -> dict[Param, Laurent]:
        keys = set(self.z) | set(self.w) | set(self.w1)
        return {
            k: Laurent({-1: self.z.get(k, 0), 0: self.w.get(k, 0), 1: self.w1.get(k, 0)})
            for k in keys
        }


def group_equations(group: Group, target: dict[Entry, Fraction]):
    params = group_parameters(group)
    sym = {p: sympy.Symbol("_".join(map(str, p))) for p in params}
    eqs = []
    for e, pairs in _products(group).items():
        expr = sum((sym[a] * sym[b] for a, b in pairs), sympy.Integer(0))
        v = target.get(e, Fraction(0))
        eqs.append(sympy.expand(expr - sympy.Rational(v.numerator, v.denominator)))
    return eqs, list(sym.values())


def numerically_in_image(
    group: Group, target: dict[Entry, Fraction], rng: random.Random, starts: int = 4
) -> bool:
    """A float filter (never a proof): Levenberg-Marquardt finds parameters of moderate size
    whose products match ``target`` to 1e-10. Used only to skip hopeless candidates before an
    exact Groebner computation."""
    import numpy as np

    params = group_parameters(group)
    index = {p: k for k, p in enumerate(params)}
    prods = _products(group)
    entries = sorted(prods)
    a = np.array([float(target.get(e, 0)) for e in entries])
    pairs = [[(index[x], index[y]) for x, y in prods[e]] for e in entries]
    nrng = np.random.default_rng(rng.randrange(2**32))
    old = np.seterr(all="ignore")
    try:
        return _lm(params, pairs, a, nrng, starts)
    finally:
        np.seterr(**old)


def _lm(params, pairs, a, nrng, starts: int) -> bool:
    import numpy as np

    for _ in range(starts):
        p = nrng.normal(size=len(params))
        lam = 1e-3
        for _ in range(200):
            r = np.array([sum(p[i] * p[j] for i, j in pr) for pr in pairs]) - a
            cost = float(r @ r)
            if cost < 1e-20:
                break
            jac = np.zeros((len(pairs), len(params)))
            for row, pr in enumerate(pairs):
                for i, j in pr:
                    jac[row, i] += p[j]
                    jac[row, j] += p[i]
            g = jac.T @ r
            h = jac.T @ jac
            try:
                step = np.linalg.solve(h + lam * np.eye(len(params)), -g)
            except np.linalg.LinAlgError:
                break
            if not np.all(np.isfinite(step)):
                break
            q = p + step
            rq = np.array([sum(q[i] * q[j] for i, j in pr) for pr in pairs]) - a
            if float(rq @ rq) < cost:
                p, lam = q, lam / 3
            else:
                lam *= 4
        r = np.array([sum(p[i] * p[j] for i, j in pr) for pr in pairs]) - a
        if float(r @ r) < 1e-16 and float(np.abs(p).max()) < 1e3:
            return True
    return False


def search_group_witness(
    group: Group, *, seed: int = 0, tries_per_kernel: int = 3, deadline=None
) -> GroupWitness | None:
    """Search p(t) = z/t + w + w' t whose limit is proved outside the image (or None)."""
    rng = random.Random(seed)
    params = group_parameters(group)
    for z in kernel_candidates(group, rng):
        entries, mat = _linear_map(group, z, params)
        basis = _nullspace(mat, len(params))
        for _ in range(tries_per_kernel):
            if deadline is not None and deadline():
                return None
            coeffs = [Fraction(rng.randint(-2, 2)) for _ in basis]
            w = {
                p: sum((c * v[k] for c, v in zip(coeffs, basis, strict=True)), Fraction(0))
                for k, p in enumerate(params)
            }
            w1 = {p: Fraction(rng.randint(-2, 2)) for p in params}
            lin = {
                e: sum((mat[r][k] * w1[p] for k, p in enumerate(params)), Fraction(0))
                for r, e in enumerate(entries)
            }
            base = phi(group, w)
            limit = {e: base[e] + lin[e] for e in entries}
            if numerically_in_image(group, limit, rng):
                continue
            eqs, gens = group_equations(group, limit)
            if groebner_infeasible(eqs, gens):
                w = {k: v for k, v in w.items() if v}
                w1 = {k: v for k, v in w1.items() if v}
                return GroupWitness(z, w, w1, limit)
    return None


def single_term_witness(group: Group) -> GroupWitness | None:
    """The induced-path witness for one rank-one term with holes (docs/sparse.md, Fact 7).

    Non-free entries (i1, j1), (i2, j1), (i2, j2) with (i1, j2) free: u_{i1} = 1/t, v_{j1} = t,
    u_{i2} = v_{j2} = 1 give limit 1 at (i1, j1) and (i2, j2), 0 elsewhere on E, and u_{i2} v_{j1}
    = 0 is forced by the limit but contradicts u_{i2} v_{j2} = 1.
    """
    (t,) = group.terms
    if t.rank != 1:
        return None
    h = t.hidden[0]
    live = group.entries
    for i1, j2 in sorted(t.entries() & group.free):
        for i2 in sorted(t.rows - {i1}):
            for j1 in sorted(t.cols - {j2}):
                if {(i1, j1), (i2, j1), (i2, j2)} <= live:
                    limit = {e: Fraction(0) for e in live}
                    limit[(i1, j1)] = Fraction(1)
                    limit[(i2, j2)] = Fraction(1)
                    return GroupWitness(
                        {("x", i1, h): Fraction(1)},
                        {("x", i2, h): Fraction(1), ("y", h, j2): Fraction(1)},
                        {("y", h, j1): Fraction(1)},
                        limit,
                    )
    return None


def lift_witness(reduction: Reduction, group: Group, witness: GroupWitness):
    """Factors X(t), Y(t) of the whole (two-factor) pattern from a group witness.

    The group's parameters follow the witness curve, every other parameter of the group and of
    other groups is 0, and the free-entry terms, last created first, make the product vanish
    exactly on the entries they made free. Returns (X, Y, limit matrix).
    """
    pattern = reduction.pattern
    m, r = pattern.dims[0], pattern.dims[1]
    n = pattern.dims[2]
    x: LaurentMatrix = zeros(m, r)
    y: LaurentMatrix = zeros(r, n)
    for (kind, a, b), val in witness.curve().items():
        if kind == "x":
            x[a][b] = val
        else:
            y[a][b] = val
    made_free_before: set[Entry] = set()
    order = []
    for src in reduction.sources:
        order.append((src, frozenset(made_free_before)))
        made_free_before |= src.entries
    for src, _older in reversed(order):
        prod = matmul(x, y)
        t = src.term
        rows, cols = sorted(t.rows), sorted(t.cols)
        # desired contribution of this source on its rectangle: cancel prod on its new entries
        target = {
            (i, j): (-prod[i][j] if (i, j) in src.entries else Laurent())
            for i in rows
            for j in cols
        }
        # the source's own parameters are still 0 here: sources and group terms use disjoint
        # (row, hidden unit) and (hidden unit, column) pairs (docs/sparse.md, Fact 5)
        hid = list(t.hidden)
        want = target
        if len(rows) <= len(hid):
            for a, i in enumerate(rows):
                h = hid[a]
                x[i][h] = Laurent.constant(1)
                for j in cols:
                    y[h][j] = want[(i, j)]
        else:
            for a, j in enumerate(cols):
                h = hid[a]
                y[h][j] = Laurent.constant(1)
                for i in rows:
                    x[i][h] = want[(i, j)]
    prod = matmul(x, y)
    limit = [[prod[i][j].coefficient(0) for j in range(n)] for i in range(m)]
    return x, y, limit
