"""Second-order classification of critical points modulo the symmetry, with exact inertia.

At a critical point ``p`` the Hessian ``H`` vanishes on the tangent space ``V`` of the symmetry
orbit (``L`` is constant on the orbit, which consists of critical points), so
``n_zero(H) >= dim V``. If ``H`` has a positive and a negative eigenvalue, ``p`` is a saddle. If
``H`` is positive semidefinite with ``n_zero = dim V``, then ``H`` is positive definite on a
complement of ``V`` and ``p`` is a strict local minimum modulo the symmetry (Morse-Bott lemma:
the loss grows quadratically away from the orbit). Otherwise the test is inconclusive.

Higher order (:func:`_line_test`): along a null direction ``v`` of the positive semidefinite
Hessian, ``L(p + t v) - L(p) = a3 t^3 + a4 t^4`` exactly (the loss has degree 4); ``a3 != 0``
(the cubic changes sign) or ``a4 < 0`` shows that ``p`` is not a local minimum, so with a
positive eigenvalue (or ``a3 != 0``) ``p`` is a saddle.

A dead unit ``k`` (``X[:, k] = 0`` or ``Y[k, :] = 0``) with ``G_k = (R D^T)[S_k, T_k] != 0``
makes ``p`` a saddle: along ``(X[:, k], Y[k, :]) = (a, y) + eps (c, b)`` the second-order change
of the loss is ``|...|^2 + 2 c^T G_k b`` (or ``2 a^T G_k b`` for ``X[:, k] = 0``), which takes
both signs.
"""

from __future__ import annotations

from dataclasses import dataclass

import flint

from ..poly import Poly
from . import linalg
from .critical import RawCritical
from .network import LinearNetwork


@dataclass(frozen=True)
class Classification:
    kind: str  # local_min, local_max, saddle, unknown
    strict: bool
    inertia: tuple[int, int, int]
    orbit_dimension: int
    reason: str


def _unit_vars(net: LinearNetwork, k: int) -> list[str]:
    return [f"x{i + 1}_{k + 1}" for i in net.x_support(k)] + [
        f"y{k + 1}_{j + 1}" for j in net.y_support(k)
    ]


def orbit_tangent(
    net: LinearNetwork, raw: RawCritical, alive: list[int], var_pos: dict[str, int]
) -> list[list[flint.fmpq_poly]]:
    """Tangent vectors ``(X E_lk, -E_lk Y)`` of the symmetry orbit (coordinates ``var_pos``)."""
    index = {v: i for i, v in enumerate(net.names)}
    F = raw.field
    vecs = []
    for u, k in net.symmetry_pairs():
        if u not in alive or k not in alive:
            continue
        v = [F.element(0)] * len(var_pos)
        for i in net.x_support(u):
            v[var_pos[f"x{i + 1}_{k + 1}"]] = raw.coords[index[f"x{i + 1}_{u + 1}"]]
        for j in net.y_support(k):
            pos = var_pos[f"y{u + 1}_{j + 1}"]
            v[pos] = F.reduce(v[pos] - raw.coords[index[f"y{k + 1}_{j + 1}"]])
        vecs.append(v)
    return vecs


def _line_test(
    loss: Poly, raw: RawCritical, H: list[list[flint.fmpq_poly]], names: list[str], index: dict
) -> str | None:
    """A kernel direction ``v`` of ``H`` along which the loss drops: a reason, or None.

    ``L(p + t v) = L(p) + a3 t^3 + a4 t^4`` exactly for ``H v = 0`` (``L`` has degree 4), with
    ``a3 = (q(1) - q(-1)) / 2`` and ``a4 = (q(1) + q(-1)) / 2`` for ``q(t) = L(p + t v) - L(p)``.
    ``a3 != 0`` or ``a4 < 0`` shows that ``p`` is not a local minimum.
    """
    F = raw.field
    base = linalg.evaluate(loss, raw.coords, F)
    for v in linalg.nullspace(H, F):
        q = []
        for t in (1, -1):
            c = dict(raw.coords)
            for name, vi in zip(names, v, strict=True):
                c[index[name]] = F.reduce(c[index[name]] + t * vi)
            q.append(F.reduce(linalg.evaluate(loss, c, F) - base))
        a3, a4 = F.reduce((q[0] - q[1]) / 2), F.reduce((q[0] + q[1]) / 2)
        if not a3.is_zero():
            return "the loss has a nonzero cubic term along a null direction of the Hessian"
        if F.sign(a4) < 0:
            return "the loss decreases quartically along a null direction of the Hessian"
    return None


def classify(
    net: LinearNetwork, raw: RawCritical, hessian: list[list[Poly]], loss: Poly | None = None
) -> Classification:
    """Classify one critical point (see the module docstring)."""
    F = raw.field
    index = {v: i for i, v in enumerate(net.names)}
    alive = [k for k, c in enumerate(raw.case) if c.status == "alive"]
    dead = [k for k, c in enumerate(raw.case) if c.status in ("xdead", "ydead")]
    inert = [k for k, c in enumerate(raw.case) if c.status == "inert"]
    names = [v for k in alive for v in _unit_vars(net, k)]
    pos = {v: i for i, v in enumerate(names)}
    H = [
        [linalg.evaluate(hessian[index[a]][index[b]], raw.coords, F) for b in names] for a in names
    ]
    inert_ = linalg.inertia(H, F)
    if dead:  # report the inertia of the full Hessian at the representative point
        full = [v for k in alive + dead for v in _unit_vars(net, k)]
        inert_ = linalg.inertia(
            [
                [linalg.evaluate(hessian[index[a]][index[b]], raw.coords, F) for b in full]
                for a in full
            ],
            F,
        )
    tangent = orbit_tangent(net, raw, alive, pos)
    r = linalg.rank(tangent, F) if tangent else 0
    p, n, z = linalg.inertia(H, F) if dead else inert_
    if any(raw.dead_gradients.values()):
        k = next(k for k, v in raw.dead_gradients.items() if v)
        return Classification(
            "saddle",
            False,
            inert_,
            r,
            f"dead unit {k + 1} has a nonzero block of R D^T: the loss decreases along a "
            "second-order curve reviving it",
        )
    if p > 0 and n > 0:
        return Classification("saddle", False, inert_, r, "the Hessian is indefinite")
    if not dead and z == r and n == 0 and p > 0:
        strict = not inert and raw.family_dimension == 0
        why = "Hessian positive definite on a complement of the symmetry orbit"
        return Classification("local_min", strict, inert_, r, why)
    if not dead and z == r and p == 0 and n > 0:
        strict = not inert and raw.family_dimension == 0
        why = "Hessian negative definite on a complement of the symmetry orbit"
        return Classification("local_max", strict, inert_, r, why)
    if loss is not None and n == 0 and z > r:
        drop = _line_test(loss, raw, H, names, index)
        if drop is not None and (p > 0 or "cubic" in drop):
            return Classification("saddle", False, inert_, r, drop)
    if dead:
        why = "dead units with a zero gradient block: the second-order test is inconclusive"
    else:
        why = f"degenerate Hessian (nullity {z} > orbit dimension {r})"
    return Classification("unknown", False, inert_, r, why)
