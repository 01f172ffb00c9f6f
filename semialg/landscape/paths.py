"""Exact sublevel paths: two points lie in one path component of ``{L < c}``.

A polygonal path ``w_0, w_1, ..., w_k`` with rational vertices lies in ``{L < c}`` iff on every
segment the univariate polynomial ``c - L((1 - s) w_i + s w_{i+1})`` has no real root in
``[0, 1]`` and is positive at ``s = 0``; both are checked exactly (real root isolation over Q).
Such a path shows that the component of ``w_0`` reaches the loss ``L(w_k)``: the converse of a
spurious-valley certificate (:mod:`.valley`), used for the dense controls of the proofs.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import flint

from ..algebraic import RealAlgebraic, rational_poly_real_roots
from ..errors import InputError
from ..poly import PolyRing, to_fmpq
from .network import LinearNetwork, exact_number


@dataclass
class PathCertificate:
    """``holds``: every vertex and segment of the path lies in ``{L < level}``."""

    pattern: str
    vertices: list[dict[str, Fraction]]
    level: Fraction
    holds: bool
    reason: str
    end_loss: Fraction
    seconds: float

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": "sublevel-path",
            "pattern": self.pattern,
            "level": str(self.level),
            "vertices": [{k: str(v) for k, v in p.items()} for p in self.vertices],
            "holds": self.holds,
            "reason": self.reason,
            "end_loss": str(self.end_loss),
            "seconds": round(self.seconds, 3),
        }


def _vertex(net: LinearNetwork, point: Mapping[str, object], k: int) -> dict[str, Fraction]:
    if not isinstance(point, Mapping) or set(point) - set(net.names):
        raise InputError(f"vertex {k}: expected a map from weight names to rationals")
    return {v: exact_number(point.get(v, 0), f"vertex {k}[{v}]") for v in net.names}


def segment_polynomial(
    net: LinearNetwork, a: Mapping[str, Fraction], b: Mapping[str, Fraction]
) -> flint.fmpq_poly:
    """``L((1 - s) a + s b)`` as a polynomial in ``s``."""
    ring = PolyRing(("s",))
    s = ring.gen("s")
    images = [ring.constant(a[v]) + (b[v] - a[v]) * s for v in net.names]
    Ls = net.loss().compose(images, ring)
    coeffs = [Fraction(0)] * (Ls.degree("s") + 1)
    for (k,), c in Ls.terms().items():
        coeffs[k] = c
    return flint.fmpq_poly([to_fmpq(c) for c in coeffs])


def _root_in_unit_interval(p: flint.fmpq_poly) -> bool:
    zero, one = RealAlgebraic.from_rational(0), RealAlgebraic.from_rational(1)
    for r in rational_poly_real_roots(p):
        x = r.to_real_algebraic()
        if zero <= x <= one:
            return True
    return False


def certify_path(
    net: LinearNetwork, vertices: Sequence[Mapping[str, object]], level: object
) -> PathCertificate:
    """Check exactly that the polygonal path through ``vertices`` stays in ``{L < level}``."""
    start = time.perf_counter()
    if len(vertices) < 1:
        raise InputError("a path needs at least one vertex")
    c = exact_number(level, "level")
    pts = [_vertex(net, p, k) for k, p in enumerate(vertices)]
    L = net.loss()
    end = L.subs(pts[-1]).constant_value()

    def done(holds: bool, reason: str) -> PathCertificate:
        return PathCertificate(net.pattern, pts, c, holds, reason, end, time.perf_counter() - start)

    for k, p in enumerate(pts):
        value = L.subs(p).constant_value()
        if not value < c:
            return done(False, f"vertex {k} has loss {value}, not below {c}")
    cq = to_fmpq(c)
    for k in range(len(pts) - 1):
        gap = cq - segment_polynomial(net, pts[k], pts[k + 1])
        if gap != 0 and _root_in_unit_interval(gap):
            return done(False, f"segment {k} -> {k + 1} reaches the level {c}")
    return done(
        True,
        f"{len(pts)} vertices, {len(pts) - 1} segments in {{L < {c}}}; the loss at the end is "
        f"~ {float(end):.3g} (exact value in end_loss)",
    )
