"""Critical points of a sparse linear network, exactly, modulo the mask-preserving symmetries.

Gauge fixing. ``X -> X A``, ``Y -> A^{-1} Y`` leaves ``X Y`` unchanged for every invertible
``A`` whose pattern lies in the symmetry algebra (:meth:`LinearNetwork.symmetry_pairs`; for a
sparse network usually only the diagonal scalings ``diag(d)``). Each hidden unit ``k`` is put in
one of the cases

- ``alive(i, j)``: ``X[i, k] = 1`` is the first nonzero free entry of column ``k`` and ``Y[k, j]``
  the first nonzero free entry of row ``k`` (``t_k Y[k, j] = 1``, Rabinowitsch);
- ``ydead(i)``: ``X[i, k] = 1`` is the first nonzero entry of column ``k`` and ``Y[k, :] = 0``;
- ``xdead``: ``X[:, k] = 0`` (``Y[k, :]`` then ranges over a linear space);
- ``inert``: the unit has no free entry in ``X`` or in ``Y`` and never influences the loss.

For alive units ``l != k`` related by a symmetry ``E_lk`` the column reduction of ``X`` is also
fixed (``X[i_l, k] = 0`` when ``i_l > i_k``; equal pivot rows do not occur), as in the reduced
column echelon form. Every orbit of the symmetry group meets the union of the slices; a critical
orbit may be listed in more than one case (a dead unit can be revived by a symmetry).

Dead units never enter the gradient of the other units, so the alive system is solved first
(:func:`~semialg.landscape.solve.real_solutions`), then the dead units' conditions are linear:
``G_k y = 0`` (``xdead``) and ``a^T G_k = 0`` (``ydead``) with ``G_k = (R D^T)[S_k, T_k]`` and
``R = X Y D - T``.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field

import flint

from ..algebraic import NumberField
from ..logic import And, Atom, Formula
from ..poly import Poly, PolyRing
from . import linalg
from .network import LinearNetwork
from .solve import (
    FieldPoint,
    GroebnerTimeout,
    PositiveDimensional,
    real_solutions,
    value_eliminant,
)


@dataclass(frozen=True)
class UnitCase:
    """The gauge case of one hidden unit (see the module docstring)."""

    status: str
    xpivot: int | None = None
    ypivot: int | None = None

    def __str__(self) -> str:
        if self.status == "alive" and self.ypivot is None:
            return f"alive(X[{self.xpivot + 1}]=1)"
        if self.status == "alive":
            return f"alive(X[{self.xpivot + 1}]=1, Y[{self.ypivot + 1}]!=0)"
        if self.status == "ydead":
            return f"ydead(X[{self.xpivot + 1}]=1, Y=0)"
        return self.status


@dataclass
class RawCritical:
    """A critical point of one gauge case, with its field and the data for classification."""

    case: tuple[UnitCase, ...]
    field: NumberField
    coords: dict[int, flint.fmpq_poly]
    dead_gradients: dict[int, bool] = field(default_factory=dict)
    family_dimension: int = 0


@dataclass
class UnresolvedCase:
    """A gauge case whose alive system has infinitely many complex solutions (or was not solved
    within the Groebner time limit: then ``note`` says so)."""

    case: tuple[UnitCase, ...]
    formula: Formula
    eliminant: flint.fmpq_poly | None = None
    note: str = ""


def unit_options(net: LinearNetwork, k: int) -> list[UnitCase]:
    S, T = net.x_support(k), net.y_support(k)
    if not S or not T:
        return [UnitCase("inert")]
    opts = [UnitCase("alive", i) for i in S]
    opts += [UnitCase("ydead", i) for i in S]
    opts.append(UnitCase("xdead"))
    return opts


def gauge_cases(net: LinearNetwork) -> Iterator[tuple[UnitCase, ...]]:
    """All gauge cases (products of unit cases), without redundant ones.

    Dropped: cases with two alive units related by a symmetry and equal pivot rows, and cases
    that are not sorted over identical units (units with equal masks; permuting them is a
    symmetry of the loss, so the critical points of a permuted case are permuted copies).
    """
    h = net.shape[1]
    pairs = {p for p in net.symmetry_pairs() if p[0] != p[1]}
    twins = [
        (a, b)
        for a in range(h)
        for b in range(a + 1, h)
        if all(r[a] == r[b] for r in net.mx) and net.my[a] == net.my[b]
    ]
    for case in itertools.product(*(unit_options(net, k) for k in range(h))):
        if any(_key(case[a]) > _key(case[b]) for a, b in twins):
            continue  # a permutation of identical units maps it to a listed case
        if any(
            case[u].status == case[k].status == "alive" and case[u].xpivot == case[k].xpivot
            for u, k in pairs
        ):
            continue
        yield case


_STATUS_ORDER = {"alive": 0, "ydead": 1, "xdead": 2, "inert": 3}


def _key(c: UnitCase) -> tuple[int, int, int]:
    return (
        _STATUS_ORDER[c.status],
        -1 if c.xpivot is None else c.xpivot,
        -1 if c.ypivot is None else c.ypivot,
    )


def _xn(i: int, k: int) -> str:
    return f"x{i + 1}_{k + 1}"


def _yn(k: int, j: int) -> str:
    return f"y{k + 1}_{j + 1}"


def case_constraints(
    net: LinearNetwork, case: tuple[UnitCase, ...]
) -> tuple[dict[str, int], list[tuple[str, str]]]:
    """Fixed values of variables, and the ``(variable, t)`` pairs with ``t * variable = 1``."""
    fixed: dict[str, int] = {}
    nonzero: list[tuple[str, str]] = []
    pairs = {p for p in net.symmetry_pairs() if p[0] != p[1]}
    for k, c in enumerate(case):
        S, T = net.x_support(k), net.y_support(k)
        if c.status in ("alive", "ydead"):
            for i in S:
                if i < c.xpivot:
                    fixed[_xn(i, k)] = 0
            fixed[_xn(c.xpivot, k)] = 1
        if c.status == "alive" and c.ypivot is not None:
            for j in T:
                if j < c.ypivot:
                    fixed[_yn(k, j)] = 0
            nonzero.append((_yn(k, c.ypivot), f"t{k + 1}"))
        if c.status == "ydead":
            for j in T:
                fixed[_yn(k, j)] = 0
        if c.status == "xdead":
            for i in S:
                fixed[_xn(i, k)] = 0
    for u, k in pairs:
        cl, ck = case[u], case[k]
        if cl.status == ck.status == "alive" and cl.xpivot > ck.xpivot:
            fixed[_xn(cl.xpivot, k)] = 0
    return fixed, nonzero


def _alive_names(net: LinearNetwork, case: tuple[UnitCase, ...]) -> list[str]:
    names = []
    for k, c in enumerate(case):
        if c.status == "alive":
            names += [_xn(i, k) for i in net.x_support(k)]
            names += [_yn(k, j) for j in net.y_support(k)]
    return names


def case_formula(net: LinearNetwork, case: tuple[UnitCase, ...], grad: list[Poly]) -> Formula:
    """The critical points of a case: ``grad L = 0`` and the gauge constraints (weights only)."""
    fixed, nonzero = case_constraints(net, case)
    r = net.ring
    atoms = [Atom(g, "=") for g in grad if not g.is_zero]
    atoms += [Atom(r.gen(v) - val, "=") for v, val in fixed.items()]
    atoms += [Atom(r.gen(v), "!=") for v, _ in nonzero]
    for k, c in enumerate(case):
        if c.status == "ydead":
            atoms += [Atom(r.gen(_xn(c.xpivot, k)) - 1, "=")]
    return And(*atoms)


def critical_points(
    net: LinearNetwork, grad: list[Poly] | None = None
) -> tuple[list[RawCritical], list[UnresolvedCase]]:
    """Critical points of every gauge case (isolated alive parts), and the unresolved cases."""
    grad = grad if grad is not None else net.gradient()
    index = {v: i for i, v in enumerate(net.names)}
    residual = net.residual()
    loss = net.loss()
    found: list[RawCritical] = []
    unresolved: list[UnresolvedCase] = []
    todo = list(gauge_cases(net))
    while todo:
        case = todo.pop(0)
        fixed, nonzero = case_constraints(net, case)
        alive = _alive_names(net, case)
        free = [v for v in alive if v not in fixed]
        tnames = [t for _, t in nonzero]
        free = list(_variable_order(free))
        ring = PolyRing(tuple(free) + tuple(tnames))
        sub = {v: 0 for v in net.names if v not in free}
        sub.update(fixed)
        eqs = []
        for v in alive:
            g = grad[index[v]].subs(sub)
            if not g.is_zero:
                eqs.append(g.in_ring(ring))
        eqs += [ring.gen(t) * ring.gen(v) - 1 for v, t in nonzero]
        try:
            sols = real_solutions(eqs, ring.names)
        except GroebnerTimeout as exc:
            unresolved.append(UnresolvedCase(case, case_formula(net, case, grad), None, str(exc)))
            continue
        except PositiveDimensional:
            split = _split_y_pivots(net, case)
            if split:  # exclude alive units with Y[k, :] = 0 (they are ydead cases)
                todo[:0] = split
                continue
            try:
                elim = value_eliminant(eqs, ring.names, loss.subs(sub).in_ring(ring))
            except (ValueError, GroebnerTimeout):
                elim = None
            unresolved.append(UnresolvedCase(case, case_formula(net, case, grad), elim))
            continue
        for sol in sols:
            if _some_alive_row_zero(net, case, free, sol):
                continue  # the same point is found in a ydead case
            raw = _complete(net, case, fixed, free, sol, residual, index)
            if raw is not None:
                found.append(raw)
    return found, unresolved


def _variable_order(free: list[str]) -> tuple[str, ...]:
    """Variables for the Groebner basis, greatest first: the factor with more free entries first,
    reversed, then the other factor. The loss is quadratic in each factor; this order made
    FLINT's Buchberger up to 2000 times faster than the natural one on 2x2x3 and 3x2x2 cases."""
    xs = [v for v in free if v.startswith("x")]
    ys = [v for v in free if v.startswith("y")]
    if len(ys) >= len(xs):
        return (*ys[::-1], *xs)
    return (*xs[::-1], *ys)


def _split_y_pivots(net: LinearNetwork, case: tuple[UnitCase, ...]) -> list[tuple[UnitCase, ...]]:
    """The cases with a Y pivot for every alive unit that has none (empty if there is none)."""
    opts = []
    for k, c in enumerate(case):
        if c.status == "alive" and c.ypivot is None:
            opts.append([UnitCase("alive", c.xpivot, j) for j in net.y_support(k)])
        else:
            opts.append([c])
    if all(len(o) == 1 and o[0] == c for o, c in zip(opts, case, strict=True)):
        return []
    return [tuple(x) for x in itertools.product(*opts)]


def _some_alive_row_zero(
    net: LinearNetwork, case: tuple[UnitCase, ...], free: list[str], sol: FieldPoint
) -> bool:
    """Whether an alive unit without a Y pivot has ``Y[k, :] = 0`` at the solution."""
    val = dict(zip(free, sol.coords, strict=False))
    for k, c in enumerate(case):
        if c.status == "alive" and c.ypivot is None:
            ys = [val.get(_yn(k, j)) for j in net.y_support(k)]
            if all(y is None or y.is_zero() for y in ys):
                return True
    return False


def _complete(
    net: LinearNetwork,
    case: tuple[UnitCase, ...],
    fixed: dict[str, int],
    free: list[str],
    sol: FieldPoint,
    residual: list[list[Poly]],
    index: dict[str, int],
) -> RawCritical | None:
    """Extend an alive solution by the dead units (linear conditions); None if inconsistent."""
    F = sol.field
    coords: dict[int, flint.fmpq_poly] = {}
    for v, val in fixed.items():
        coords[index[v]] = F.element(val)
    for v, c in zip(free, sol.coords, strict=False):
        coords[index[v]] = c
    for v in net.names:
        coords.setdefault(index[v], F.element(0))
    m, _h, n = net.shape
    N = len(net.D[0])
    R = [[linalg.evaluate(residual[i][s], coords, F) for s in range(N)] for i in range(m)]
    Dq = [[flint.fmpq(d.numerator, d.denominator) for d in row] for row in net.D]
    G = [
        [
            F.reduce(sum((R[i][s] * Dq[j][s] for s in range(N)), flint.fmpq_poly([])))
            for j in range(n)
        ]
        for i in range(m)
    ]
    raw = RawCritical(case, F, coords)
    for k, c in enumerate(case):
        S, T = net.x_support(k), net.y_support(k)
        if c.status == "inert":
            raw.family_dimension += len(S) + len(T)
            continue
        if c.status not in ("xdead", "ydead"):
            continue
        Gk = [[G[i][j] for j in T] for i in S]
        raw.dead_gradients[k] = any(not e.is_zero() for row in Gk for e in row)
        if c.status == "xdead":
            raw.family_dimension += len(T) - linalg.rank(Gk, F)
            continue
        rest = [i for i in S if i > c.xpivot]
        M = [[G[i][j] for i in rest] for j in T]
        rhs = [-G[c.xpivot][j] for j in T]
        if rest:
            sol_a = linalg.solve_one(M, rhs, F)
            if sol_a is None:
                return None
            for i, a in zip(rest, sol_a, strict=True):
                coords[index[_xn(i, k)]] = a
            raw.family_dimension += len(rest) - linalg.rank(M, F)
        elif any(not e.is_zero() for e in rhs):
            return None
    return raw
