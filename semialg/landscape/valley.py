"""Certified spurious valleys of sparse linear networks.

A *spurious valley* at level ``c`` is a path component of the sublevel set ``{L < c}`` on which
the loss stays above its global infimum (Venturi, Bandeira, Bruna 2019; Lin, Sun, Zhang 2020,
arXiv 2009.07439). A certificate is ``(p, q, c, b, g)`` with points ``p``, ``q``, rational
levels ``b < c`` and a polynomial separator ``g`` such that

1. ``L(p) < c`` and ``g(p) > 0`` (exact evaluation);
2. ``L(q) < b``, so the global infimum is below ``b`` (exact evaluation);
3. no weights have ``L < c`` and ``g = 0`` (decided exactly);
4. no weights have ``L < b`` and ``g > 0`` (decided exactly).

By 3, ``{L < c, g > 0}`` is open and closed in ``{L < c}``, so it contains the path component
of ``p``; by 4 the loss is at least ``b`` there, and by 2 that is above the infimum.

The two sentences are decided by the CAD engine in one of two ways:

* ``weights``: over all weights, on a gauge slice of the scaling symmetry
  ``(X S, S^{-1} Y)`` when ``g`` keeps its sign under it (each hidden unit enters every monomial
  of ``g`` with the same even weight ``deg_X - deg_Y``);
* ``final-layer``: when the first layer is dense and ``g`` depends only on the final layer.
  Then ``min_Y L(X, Y) = ||T||^2 - tr(P_X S)`` with ``S = T P_D T^T`` (``P_D``, ``P_X``: the
  orthogonal projections on the row space of ``D`` and the column space of ``X``), the minimum
  is attained, and ``{Y : L(X, Y) < c}`` is convex; so sentence 3 holds over the weights iff
  ``no X has min_Y L < c and g = 0``, and the same for 4. Writing ``tr(P_X S)`` through the
  bases of the column space gives the polynomial condition (see ``docs/landscape.md``)

      min_Y L(X, Y) < c  <=>  ||T||^2 < c  or  OR_K [det G_K > 0 and
                                        tr(adj(G_K) X_K^T S X_K) > (||T||^2 - c) det G_K]

  over the nonempty sets ``K`` of columns (``X_K`` the columns in ``K``, ``G_K = X_K^T X_K``):
  a set ``K`` of independent columns gives ``tr(P_{X_K} S) <= tr(P_X S)``, with equality for a
  basis. The column scaling is then gauge-fixed (a column is zero, or its first nonzero entry
  is 1).
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import flint

from ..errors import InputError
from ..logic import FALSE, TRUE, And, Atom, Exists, Formula, Or
from ..poly import Poly, PolyRing, fmpq_to_fraction, to_fmpq
from ..qe import Unknown, decide
from .network import LinearNetwork, exact_number

Point = Mapping[str, object]


@dataclass
class Decision:
    """One exactly decided sentence of a certificate (on one gauge case)."""

    sentence: str
    case: str
    variables: tuple[str, ...]
    answer: bool | None
    seconds: float
    reason: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "sentence": self.sentence,
            "case": self.case,
            "variables": list(self.variables),
            "answer": self.answer,
            "seconds": round(self.seconds, 4),
            "reason": self.reason,
        }


@dataclass
class ValleyCertificate:
    """A spurious-valley certificate and its verdict (``holds``: True, False or None)."""

    network: LinearNetwork
    point: dict[str, Fraction]
    witness: dict[str, Fraction]
    level: Fraction
    floor: Fraction
    separator: Poly
    method: str
    holds: bool | None = None
    reason: str = ""
    loss_point: Fraction = Fraction(0)
    loss_witness: Fraction = Fraction(0)
    separator_at_point: Fraction = Fraction(0)
    decisions: list[Decision] = field(default_factory=list)
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        net = self.network
        return {
            "kind": "spurious-valley",
            "pattern": net.pattern,
            "D": [[str(x) for x in r] for r in net.D],
            "T": [[str(x) for x in r] for r in net.T],
            "point": {k: str(v) for k, v in self.point.items()},
            "witness": {k: str(v) for k, v in self.witness.items()},
            "level": str(self.level),
            "floor": str(self.floor),
            "separator": str(self.separator),
            "method": self.method,
            "holds": self.holds,
            "reason": self.reason,
            "loss_point": str(self.loss_point),
            "loss_witness": str(self.loss_witness),
            "separator_at_point": str(self.separator_at_point),
            "decisions": [d.to_json() for d in self.decisions],
            "seconds": round(self.seconds, 3),
        }


# -- input -----------------------------------------------------------------------------------


def _weights(net: LinearNetwork, point: Point, what: str) -> dict[str, Fraction]:
    if not isinstance(point, Mapping):
        raise InputError(f"{what} must map weight names to numbers")
    unknown = sorted(set(point) - set(net.names))
    if unknown:
        raise InputError(f"{what}: unknown weights {', '.join(map(str, unknown))}")
    return {v: exact_number(point.get(v, 0), f"{what}[{v}]") for v in net.names}


def _separator(net: LinearNetwork, g: object) -> Poly:
    if isinstance(g, Poly):
        if set(g.variables()) - set(net.names):
            raise InputError(f"separator uses unknown variables {g.variables()}")
        return g.in_ring(net.ring)
    if isinstance(g, str):
        return net.ring.parse(g)
    try:
        return net.ring.from_sympy(g)
    except Exception as exc:  # any failure to read it is bad input
        raise InputError(f"separator must be a polynomial in the weights: {exc}") from None


def _value(p: Poly, point: Mapping[str, Fraction]) -> Fraction:
    return p.subs({v: point[v] for v in p.variables()}).constant_value()


# -- symmetry and gauge ----------------------------------------------------------------------


def scaling_weights(net: LinearNetwork, g: Poly) -> list[int] | None:
    """Per unit ``k`` the weight ``w_k`` with ``g(X S, S^{-1} Y) = prod s_k^{w_k} g(X, Y)``.

    None when ``g`` is not homogeneous for some unit's scaling.
    """
    h = net.shape[1]
    names = net.names
    idx_x = [[names.index(f"x{i + 1}_{k + 1}") for i in net.x_support(k)] for k in range(h)]
    idx_y = [[names.index(f"y{k + 1}_{j + 1}") for j in net.y_support(k)] for k in range(h)]
    weights: list[int | None] = [None] * h
    for mono in g.terms():
        for k in range(h):
            w = sum(mono[i] for i in idx_x[k]) - sum(mono[i] for i in idx_y[k])
            if weights[k] is None:
                weights[k] = w
            elif weights[k] != w:
                return None
    return [w or 0 for w in weights]


def sign_invariant(net: LinearNetwork, g: Poly) -> bool:
    """Whether the scaling symmetry preserves the sign of ``g`` (all unit weights even)."""
    w = scaling_weights(net, g)
    return w is not None and all(x % 2 == 0 for x in w)


def column_gauges(net: LinearNetwork) -> Iterator[tuple[str, dict[str, int]]]:
    """Slices of the column scaling: each column of ``X`` is zero or has first nonzero entry 1.

    Every point is moved by a scaling ``X -> X S`` onto exactly one slice.
    """
    h = net.shape[1]
    options: list[list[tuple[str, dict[str, int]]]] = []
    for k in range(h):
        rows = net.x_support(k)
        opts = [(f"X[:,{k + 1}]=0", {f"x{i + 1}_{k + 1}": 0 for i in rows})]
        for a, i in enumerate(rows):
            sub = {f"x{r + 1}_{k + 1}": 0 for r in rows[:a]}
            sub[f"x{i + 1}_{k + 1}"] = 1
            opts.append((f"X[{i + 1},{k + 1}]=1", sub))
        options.append(opts)
    for combo in itertools.product(*options):
        label = ", ".join(c[0] for c in combo) or "-"
        sub: dict[str, int] = {}
        for c in combo:
            sub.update(c[1])
        yield label, sub


# -- the first layer eliminated ---------------------------------------------------------------


def _fmpq_mat(rows: Sequence[Sequence[Fraction]]) -> flint.fmpq_mat:
    return flint.fmpq_mat(len(rows), len(rows[0]), [to_fmpq(x) for row in rows for x in row])


def data_gram(net: LinearNetwork) -> list[list[Fraction]]:
    """``S = T P_D T^T``: ``P_D`` the orthogonal projection on the row space of ``D``."""
    D = _fmpq_mat(net.D)
    E, rank = D.rref()
    N = D.ncols()
    T = _fmpq_mat(net.T)
    if rank == 0:
        m = len(net.T)
        return [[Fraction(0)] * m for _ in range(m)]
    B = flint.fmpq_mat(rank, N, [E[i, j] for i in range(rank) for j in range(N)])
    P = B.transpose() * (B * B.transpose()).inv() * B
    S = T * P * T.transpose()
    return [[fmpq_to_fraction(S[i, j]) for j in range(S.ncols())] for i in range(S.nrows())]


def _det(M: list[list[Poly]], zero: Poly) -> Poly:
    n = len(M)
    if n == 0:
        return zero + 1
    if n == 1:
        return M[0][0]
    total = zero
    for j in range(n):
        if M[0][j].is_zero:
            continue
        minor = [row[:j] + row[j + 1 :] for row in M[1:]]
        term = M[0][j] * _det(minor, zero)
        total = total + term if j % 2 == 0 else total - term
    return total


def _adjugate(M: list[list[Poly]], zero: Poly) -> list[list[Poly]]:
    n = len(M)
    if n == 1:
        return [[zero + 1]]
    adj = [[zero] * n for _ in range(n)]
    for i in range(n):
        for j in range(n):
            minor = [row[:j] + row[j + 1 :] for r, row in enumerate(M) if r != i]
            c = _det(minor, zero)
            adj[j][i] = c if (i + j) % 2 == 0 else -c
    return adj


def reduced_loss_below(net: LinearNetwork, level: Fraction, ring: PolyRing) -> Formula:
    """``min_Y L(X, Y) < level`` as a quantifier-free formula in the final-layer weights.

    Valid when the first layer ``Y`` is dense (module docstring).
    """
    m, h, _ = net.shape
    zero = ring.zero()
    X = [
        [ring.gen(f"x{i + 1}_{k + 1}") if net.mx[i][k] else zero for k in range(h)]
        for i in range(m)
    ]
    S = data_gram(net)
    tt = sum((x * x for row in net.T for x in row), Fraction(0))
    parts: list[Formula] = [TRUE if tt < level else FALSE]
    alive = [k for k in range(h) if net.x_support(k)]
    for size in range(1, min(len(alive), m) + 1):
        for K in itertools.combinations(alive, size):
            XK = [[X[i][k] for k in K] for i in range(m)]
            G = [
                [sum((XK[i][a] * XK[i][b] for i in range(m)), zero) for b in range(size)]
                for a in range(size)
            ]
            SX = [
                [sum((XK[r][b] * S[i][r] for r in range(m) if S[i][r]), zero) for b in range(size)]
                for i in range(m)
            ]
            Q = [
                [sum((XK[i][a] * SX[i][b] for i in range(m)), zero) for b in range(size)]
                for a in range(size)
            ]
            adj = _adjugate(G, zero)
            trace = sum((adj[a][b] * Q[b][a] for a in range(size) for b in range(size)), zero)
            det = _det(G, zero)
            parts.append(And(Atom(det, ">"), Atom(trace - det * (tt - level), ">")))
    return Or(*parts)


# -- the certificate ---------------------------------------------------------------------------


def _decide(
    formula: Formula, variables: Sequence[str], budget: float | None
) -> tuple[bool | None, str]:
    sentence: Formula = Exists(list(variables), formula) if variables else formula
    answer = decide(sentence, budget=budget)
    if isinstance(answer, Unknown):
        return None, answer.reason
    return bool(answer), ""


def _final_layer_applies(net: LinearNetwork, g: Poly) -> bool:
    ynames = set(net.y_names())
    return (
        all(all(r) for r in net.my) and not (set(g.variables()) & ynames) and sign_invariant(net, g)
    )


def certify_valley(
    net: LinearNetwork,
    point: Point,
    level: object,
    separator: object,
    floor: object,
    witness: Point,
    *,
    method: str = "auto",
    budget: float | None = 60.0,
) -> ValleyCertificate:
    """Check a spurious-valley certificate ``(point, witness, level, floor, separator)``.

    ``method``: ``"final-layer"``, ``"weights"`` or ``"auto"`` (the first when it applies).
    ``budget``: seconds for all decisions together; when it runs out ``holds`` is None.
    """
    start = time.perf_counter()
    p = _weights(net, point, "point")
    q = _weights(net, witness, "witness")
    c = exact_number(level, "level")
    b = exact_number(floor, "floor")
    g = _separator(net, separator)
    if method not in ("auto", "final-layer", "weights"):
        raise InputError(f"method must be auto, final-layer or weights, got {method!r}")
    if method == "auto":
        method = "final-layer" if _final_layer_applies(net, g) else "weights"
    elif method == "final-layer" and not _final_layer_applies(net, g):
        raise InputError(
            "the final-layer method needs a dense first layer and a separator in the final-layer "
            "weights whose sign the scaling symmetry preserves"
        )
    L = net.loss()
    cert = ValleyCertificate(net, p, q, c, b, g, method)
    cert.loss_point, cert.loss_witness = _value(L, p), _value(L, q)
    cert.separator_at_point = _value(g, p)

    def fail(reason: str) -> ValleyCertificate:
        cert.holds, cert.reason = False, reason
        cert.seconds = time.perf_counter() - start
        return cert

    if not b < c:
        return fail(f"the floor {b} must be below the level {c}")
    if not cert.loss_point < c:
        return fail(f"L(point) = {cert.loss_point} is not below the level {c}")
    if not cert.separator_at_point > 0:
        return fail(f"g(point) = {cert.separator_at_point} is not positive")
    if not cert.loss_witness < b:
        return fail(f"L(witness) = {cert.loss_witness} is not below the floor {b}")

    if method == "final-layer":
        ring = PolyRing(net.x_names())
        gx = g.in_ring(ring)
        below = {k: reduced_loss_below(net, v, ring) for k, v in (("level", c), ("floor", b))}
        gauges = list(column_gauges(net))
    else:
        ring = net.ring
        gx = g
        below = {"level": Atom(L - c, "<"), "floor": Atom(L - b, "<")}
        gauges = list(column_gauges(net)) if sign_invariant(net, g) else [("no gauge", {})]

    deadline = None if budget is None else start + budget
    for name, rel in (("level", "="), ("floor", ">")):
        for label, sub in gauges:
            t0 = time.perf_counter()
            left = None if deadline is None else max(deadline - t0, 0.01)
            sub_in = {v: s for v, s in sub.items() if v in ring.names}
            formula = And(below[name], Atom(gx, rel)).substitute(sub_in)
            variables = tuple(v for v in ring.names if v not in sub_in)
            answer, why = _decide(formula, variables, left)
            text = (
                f"exists w: L(w) < {c} and g(w) = 0"
                if name == "level"
                else f"exists w: L(w) < {b} and g(w) > 0"
            )
            cert.decisions.append(
                Decision(text, label, variables, answer, time.perf_counter() - t0, why)
            )
            if answer is True:
                return fail(f"{text} holds on the gauge slice {label}")
            if answer is None:
                cert.holds = None
                cert.reason = f"undecided on the gauge slice {label}: {why}"
                cert.seconds = time.perf_counter() - start
                return cert
    cert.holds = True
    cert.reason = (
        f"the component of {{L < {c}}} through the point lies in {{g > 0}}, where L >= {b} > "
        f"L(witness) = {cert.loss_witness} >= inf L"
    )
    cert.seconds = time.perf_counter() - start
    return cert
