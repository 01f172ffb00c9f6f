"""The landscape of a sparse linear network: critical points, classification, global infimum.

:func:`analyze` combines :mod:`.critical` (gauge-fixed exact critical points) and
:mod:`.classify` (exact inertia modulo the symmetry). The global infimum is the least critical
value ``c`` when one of these certificates holds, and then it is attained:

1. ``c`` equals the least-squares optimum over all ``W`` supported where ``X Y`` can be nonzero
   (a lower bound for the loss, exact rational linear algebra);
2. the network is dense (its image, the matrices of rank at most ``h``, is closed, so the loss
   attains its infimum at a critical point: Eckart-Young; Baldi and Hornik, 1989);
3. the CAD engine decides that ``exists w: L(w) < c`` is false (with a time budget).

A local minimum is *spurious* when its loss exceeds the infimum (Lin, Sun, Zhang 2020).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import flint

from ..algebraic import RealAlgebraic, rational_poly_real_roots
from ..logic import And, Atom, Exists
from ..poly import PolyRing
from ..qe import Unknown, decide
from ..sets import SemialgebraicSet
from .classify import classify
from .critical import critical_points
from .network import LinearNetwork
from .solve import field_value

Number = Fraction | RealAlgebraic


@dataclass
class CriticalPoint:
    """A certified critical point (a representative of its family modulo the symmetry)."""

    point: dict[str, Number]
    loss: Number
    kind: str
    strict: bool
    spurious: bool
    case: str
    family_dimension: int
    orbit_dimension: int
    inertia: tuple[int, int, int]
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {
            "point": {k: exact_str(v) for k, v in self.point.items()},
            "point_approx": {k: float(v) for k, v in self.point.items()},
            "loss": exact_str(self.loss),
            "loss_approx": float(self.loss),
            "kind": self.kind,
            "strict": self.strict,
            "spurious": self.spurious,
            "case": self.case,
            "family_dimension": self.family_dimension,
            "orbit_dimension": self.orbit_dimension,
            "inertia": list(self.inertia),
            "reason": self.reason,
        }


@dataclass
class CriticalSet:
    """A gauge case whose critical points form a positive-dimensional set (not sampled).

    ``values`` are the real roots of the eliminant of the loss on the case: every critical value
    taken on the set is among them. ``kind`` is ``local_min`` when every value equals the
    certified global infimum (then every point of the set is a global minimum), else ``unknown``.
    """

    case: str
    set: SemialgebraicSet
    values: list[Number] | None
    kind: str = "unknown"
    spurious: bool = False
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "case": self.case,
            "set": str(self.set.defining_formula),
            "loss_values": None if self.values is None else [exact_str(v) for v in self.values],
            "kind": self.kind,
            "spurious": self.spurious,
            "note": self.note,
        }


@dataclass
class Landscape:
    """The result of :func:`analyze`."""

    network: LinearNetwork
    critical_points: list[CriticalPoint]
    unresolved: list[CriticalSet]
    infimum: Number | None
    attained: bool | None
    infimum_reason: str
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def spurious_minima(self) -> list[CriticalPoint]:
        return [c for c in self.critical_points if c.spurious]

    def critical_level_set(self, value: Number) -> SemialgebraicSet:
        """The critical points with loss ``value``, as a set in all weights (exact, unsampled)."""
        return SemialgebraicSet(_level_formula(self.network, value), self.network.names)

    def to_json(self) -> dict[str, Any]:
        return {
            "pattern": self.network.pattern,
            "critical_points": [c.to_json() for c in self.critical_points],
            "infimum": None if self.infimum is None else exact_str(self.infimum),
            "infimum_approx": None if self.infimum is None else float(self.infimum),
            "attained": self.attained,
            "infimum_reason": self.infimum_reason,
            "critical_sets": [c.to_json() for c in self.unresolved],
            "seconds": round(self.seconds, 3),
            "notes": self.notes,
        }


def exact_str(v: Number) -> str:
    """``p/q`` for rationals, ``root of f in (lo, hi)`` for irrational algebraic numbers."""
    if isinstance(v, Fraction):
        return str(v)
    if v.is_rational:
        return str(v.as_fraction())
    lo, hi = v.refine(Fraction(1, 2**24)).interval
    return f"root of {v.minpoly} in ({lo}, {hi})"


def _as_real(v: Number) -> RealAlgebraic:
    return v if isinstance(v, RealAlgebraic) else RealAlgebraic.from_rational(v)


def _normal(v: object) -> Number:
    if isinstance(v, RealAlgebraic) and v.is_rational:
        return v.as_fraction()
    return v  # type: ignore[return-value]


def least_squares_bound(net: LinearNetwork) -> Fraction:
    """``min ||W D - T||^2`` over ``W`` supported on the boolean product of the masks (exact)."""
    return least_squares_solution(net)[0]


def least_squares_solution(net: LinearNetwork) -> tuple[Fraction, list[list[Fraction]]]:
    """The least-squares bound and one optimal ``W`` (supported where ``X Y`` can be nonzero)."""
    m, h, n = net.shape
    total = Fraction(0)
    N = len(net.D[0])
    Wopt = [[Fraction(0)] * n for _ in range(m)]
    for i in range(m):
        J = [j for j in range(n) if any(net.mx[i][k] and net.my[k][j] for k in range(h))]
        t = net.T[i]
        tt = sum((x * x for x in t), Fraction(0))
        if not J:
            total += tt
            continue
        A = [
            [sum((net.D[a][s] * net.D[b][s] for s in range(N)), Fraction(0)) for b in J] for a in J
        ]
        rhs = [sum((net.D[a][s] * t[s] for s in range(N)), Fraction(0)) for a in J]
        w = _solve_consistent(A, rhs)
        for j, wj in zip(J, w, strict=True):
            Wopt[i][j] = wj
        total += tt - sum((wi * bi for wi, bi in zip(w, rhs, strict=True)), Fraction(0))
    return total, Wopt


def _in_image(net: LinearNetwork, W: list[list[Fraction]], budget: float | None) -> bool | None:
    """Whether ``W = X Y`` for some weights (an exact point from the CAD engine), or None."""
    from ..qe import find_point

    X, Y = net.factor_matrices()
    m, h, n = net.shape
    atoms = []
    for i in range(m):
        for j in range(n):
            e = sum((X[i][k] * Y[k][j] for k in range(h)), net.ring.zero()) - W[i][j]
            atoms.append(Atom(e, "="))
    pt = find_point(And(*atoms), list(net.names), budget=budget)
    if isinstance(pt, Unknown):
        return None
    return pt is not None


def block_closed_image(net: LinearNetwork) -> bool:
    """Whether units with overlapping supports ``S_k x T_k`` of ``X Y`` have equal supports.

    Then the image of ``(X, Y) -> X Y`` is the product, over the groups of units with one
    support ``S x T``, of the matrices of rank at most the group size on ``S x T`` (zero
    elsewhere): a product of closed determinantal varieties on disjoint blocks, hence closed.
    """
    h = net.shape[1]
    sup = [(set(net.x_support(k)), set(net.y_support(k))) for k in range(h)]
    for a in range(h):
        for b in range(a + 1, h):
            (Sa, Ta), (Sb, Tb) = sup[a], sup[b]
            if not (Sa and Ta and Sb and Tb):
                continue
            overlap = (Sa & Sb) and (Ta & Tb)
            if overlap and (Sa != Sb or Ta != Tb):
                return False
    return True


def _full_row_rank(D) -> bool:
    n, N = len(D), len(D[0])
    M = flint.fmpq_mat(n, N, [flint.fmpq(x.numerator, x.denominator) for r in D for x in r])
    return M.rank() == n


def _solve_consistent(A: list[list[Fraction]], b: list[Fraction]) -> list[Fraction]:
    n = len(A)
    M = flint.fmpq_mat(
        n,
        n + 1,
        [
            flint.fmpq(x.numerator, x.denominator)
            for r, bi in zip(A, b, strict=True)
            for x in [*r, bi]
        ],
    )
    E, rk = M.rref()
    w = [Fraction(0)] * n
    row = 0
    for c in range(n):
        if row < rk and E[row, c] == 1 and all(E[row, cc] == 0 for cc in range(c)):
            q = E[row, n]
            w[c] = Fraction(int(q.p), int(q.q))
            row += 1
    return w


def _level_formula(net: LinearNetwork, c: Number):
    """``grad L = 0 and L = c`` (``c`` algebraic: ``exists c_ in its isolating interval``)."""
    L = net.loss()
    grad = [Atom(g, "=") for g in net.gradient() if not g.is_zero]
    if isinstance(c, Fraction) or c.is_rational:
        cq = c if isinstance(c, Fraction) else c.as_fraction()
        return And(*grad, Atom(L - cq, "="))
    ring = PolyRing((*net.names, "c_"))
    cv = ring.gen("c_")
    mp = sum((int(a) * cv**i for i, a in enumerate(c.minpoly.coeffs())), ring.zero())
    lo, hi = c.interval
    body = And(
        Atom(mp, "="), Atom(cv - lo, ">"), Atom(cv - hi, "<"), Atom(L.in_ring(ring) - cv, "=")
    )
    return And(*grad, Exists(["c_"], body))


def _lower_point_formula(net: LinearNetwork, c: Number):
    """``exists w: L(w) < c`` with one X entry per unit scaled to 1 (valid: the set is open)."""
    L = net.loss()
    sub = {}
    for k in range(net.shape[1]):
        S, T = net.x_support(k), net.y_support(k)
        if S and T:
            sub[f"x{S[0] + 1}_{k + 1}"] = 1
    L = L.subs(sub)
    names = [v for v in net.names if v not in sub]
    if isinstance(c, Fraction) or c.is_rational:
        cq = c if isinstance(c, Fraction) else c.as_fraction()
        return Exists(names, Atom(L - cq, "<")) if names else Atom(L - cq, "<")
    ring = PolyRing((*tuple(net.names), "c_"))
    Lc = L.in_ring(ring)
    cv = ring.gen("c_")
    mp = sum((int(a) * cv**i for i, a in enumerate(c.minpoly.coeffs())), ring.zero())
    lo, hi = c.interval
    body = And(Atom(mp, "="), Atom(cv - lo, ">"), Atom(cv - hi, "<"), Atom(Lc - cv, "<"))
    return Exists([*names, "c_"], body)


def analyze(net: LinearNetwork, *, budget: float | None = 10.0) -> Landscape:
    """Critical points, their classification, the global infimum and spurious minima."""
    start = time.perf_counter()
    grad = net.gradient()
    hess = [[g.diff(v) for v in net.names] for g in grad]
    raws, unresolved = critical_points(net, grad)
    L = net.loss()
    index = {v: i for i, v in enumerate(net.names)}
    pts: list[CriticalPoint] = []
    from . import linalg

    for raw in raws:
        cl = classify(net, raw, hess, L)
        F = raw.field
        point = {v: _normal(field_value(raw.coords[index[v]], F)) for v in net.names}
        loss = _normal(field_value(linalg.evaluate(L, raw.coords, F), F))
        pts.append(
            CriticalPoint(
                point,
                loss,
                cl.kind,
                cl.strict,
                False,
                ", ".join(f"unit {k + 1}: {c}" for k, c in enumerate(raw.case)),
                raw.family_dimension,
                cl.orbit_dimension,
                cl.inertia,
                cl.reason,
            )
        )
    sets = []
    for u in unresolved:
        vals = None
        if u.eliminant is not None:
            vals = [_normal(r.to_real_algebraic()) for r in rational_poly_real_roots(u.eliminant)]
        case = ", ".join(f"unit {k + 1}: {c}" for k, c in enumerate(u.case))
        sets.append(CriticalSet(case, SemialgebraicSet(u.formula, net.names), vals, note=u.note))
    land = Landscape(net, pts, sets, None, None, "")
    _infimum(land, budget)
    _spurious(land)
    land.seconds = time.perf_counter() - start
    return land


def _infimum(land: Landscape, budget: float | None) -> None:
    net = land.network
    c = min((p.loss for p in land.critical_points), key=_as_real)
    if land.unresolved:
        land.notes.append(
            "some gauge cases have positive-dimensional critical sets (critical_sets): reported "
            "as sets with their possible loss values, not sampled"
        )
    lb, Wopt = least_squares_solution(net)
    if _as_real(c) == lb:
        land.infimum, land.attained = c, True
        land.infimum_reason = "equals the least-squares bound over the support of X Y"
        return
    if land.unresolved and _in_image(net, Wopt, budget):
        land.infimum, land.attained = lb, True
        land.infimum_reason = (
            "equals the least-squares bound: an optimal W is a product X Y (exact point found "
            "by the CAD engine)"
        )
        return
    if net.is_dense and not land.unresolved:
        land.infimum, land.attained = c, True
        land.infimum_reason = (
            "dense network: the image (rank <= h) is closed, so the minimum "
            "is attained at a critical point"
        )
        return
    if not land.unresolved and block_closed_image(net) and _full_row_rank(net.D):
        land.infimum, land.attained = c, True
        land.infimum_reason = (
            "the image of (X, Y) -> X Y is a product of determinantal varieties on disjoint "
            "blocks (closed) and D has full row rank, so the minimum is attained at a critical "
            "point"
        )
        return
    answer = decide(_lower_point_formula(net, c), budget=budget)
    if answer is False:
        land.infimum, land.attained = c, True
        land.infimum_reason = "the CAD engine proved that no weights have a smaller loss"
    elif answer is True:
        if land.unresolved:
            land.infimum_reason = (
                f"some weights have loss below the least found critical value {exact_str(c)}"
            )
        else:
            land.attained = False
            land.infimum_reason = (
                f"not attained: some weights have loss below every critical value "
                f"(the least is {exact_str(c)})"
            )
    else:
        assert isinstance(answer, Unknown)
        land.infimum_reason = (
            f"undecided ({answer.reason}); the least critical value is {exact_str(c)}, the "
            f"least-squares lower bound is {lb}"
        )


def _spurious(land: Landscape) -> None:
    """Mark spurious minima: loss above the certified infimum, or above any critical value."""
    if land.infimum is None and land.attained is None and land.critical_points:
        least = min(_as_real(p.loss) for p in land.critical_points)
        for p in land.critical_points:
            p.spurious = p.kind == "local_min" and _as_real(p.loss) > least
    if land.infimum is not None:
        inf = _as_real(land.infimum)
        for cs in land.unresolved:
            if cs.values is not None and not cs.values:
                cs.kind = "empty"
            elif cs.values is not None and all(_as_real(v) == inf for v in cs.values):
                cs.kind = "local_min"
        for p in land.critical_points:
            if p.kind == "unknown" and p.inertia[1] == 0 and _as_real(p.loss) == inf:
                p.kind, p.reason = "local_min", "global minimum (loss equals the infimum)"
            p.spurious = p.kind == "local_min" and _as_real(p.loss) > inf
    elif land.attained is False:
        for p in land.critical_points:
            p.spurious = p.kind == "local_min"
