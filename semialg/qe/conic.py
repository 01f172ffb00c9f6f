"""Conics through a known point: ``exists x, y (E = 0 and phi)`` by lines through the point.

Let E have total degree 2 in the bound variables x, y, and let P = (x0, y0) have coordinates
that are polynomials in the free variables with E(P) = 0 identically. Every other point of the
plane is P + s (1, t) with s != 0 (if x != x0) or P + s (0, 1) with s != 0 (if x = x0), each in
exactly one way, and

    E(P + s (1, t)) = s (L(t) + s Q(t)),   L(t) = E_x(P) + t E_y(P),   Q(t) = E_2(1, t),

with E_2 the quadratic part of E (likewise in direction (0, 1)). So, for every value of the
free variables,

    exists x, y (E = 0 and phi)
        <=> phi(P)
            or exists s, t (s != 0 and L(t) + s Q(t) = 0 and phi(P + s (1, t)))
            or exists s (s != 0 and E_y(P) + s E_2(0, 1) = 0 and phi(x0, y0 + s)).

The equations are linear in s, so the pre-pass eliminates s by Gauss elimination, and for a
non-degenerate conic one quantified variable, t, remains: the rational parametrisation of the
conic from P (Hilbert and Hurwitz, "Über die diophantischen Gleichungen vom Geschlecht Null",
Acta Math. 14, 1890), here as an exact equivalence that also covers degenerate conics and the
parameter values where the line through P is tangent. Lazard reduced Kahan's ellipse-in-disk
problem to one quantified variable in the same way.

P is found by :func:`rational_point`: a root y0 of the discriminant of E in x that is linear in
y with a constant coefficient, where the double root x0 in x is a polynomial.
"""

from __future__ import annotations

from ..logic import And, Atom, Formula, substitute
from ..poly import Poly


def quadratic_degree(p: Poly, x: str, y: str) -> int:
    """The total degree of ``p`` in ``x`` and ``y`` together."""
    ix, iy = p.ring.index(x), p.ring.index(y)
    return max((e[ix] + e[iy] for e in p.terms()), default=-1)


def rational_point(e: Poly, x: str, y: str) -> tuple[Poly, Poly] | None:
    """A point (x0, y0), polynomial in the other variables, with ``e(x0, y0) = 0`` identically.

    Tried in both roles of x and y: a factor ``c y + r`` (c a nonzero constant) of the
    discriminant of ``e`` in x gives y0 = -r/c, where e has the double root
    x0 = -e_1(y0) / (2 e_2) in x; it is used if that division is exact.
    """
    for u, w in ((x, y), (y, x)):
        coeffs = e.coeffs_in(u)
        if len(coeffs) != 3:
            continue
        e0, e1, e2 = coeffs
        if e2.degree(w) > 0:
            continue
        disc = e1 * e1 - e2 * e0 * 4
        if disc.is_zero or disc.degree(w) <= 0:
            continue
        for f in sorted(disc.irreducible_factors(), key=str):
            if f.degree(w) != 1:
                continue
            r, c = f.coeffs_in(w)
            if not c.is_constant():
                continue
            w0 = -r / c.constant_value()
            num = -_at(e1, {w: w0})
            den = e2 * 2
            if not den.divides(num):
                continue
            u0 = num.exquo(den)
            if _at(e, {u: u0, w: w0}).is_zero:
                return (u0, w0) if u == x else (w0, u0)
    return None


def _at(p: Poly, values: dict[str, Poly]) -> Poly:
    """``p`` with the polynomials ``values`` (in ``p``'s ring) put in for some variables."""
    images = [values.get(name, g) for name, g in zip(p.ring.names, p.ring.gens, strict=True)]
    return p.compose(images)


def blow_up(
    e: Poly, phi: Formula, x: str, y: str, point: tuple[Poly, Poly], s: str, t: str
) -> tuple[Formula, Formula, Formula]:
    """The three parts of the equivalence in the module docstring.

    Returns ``phi(P)``, the matrix in (s, t) and the matrix in s alone (``s``, ``t``: fresh
    variable names).
    """
    ring = e.ring.extend(s, t)
    x0, y0 = (c.in_ring(ring) for c in point)
    gs, gt = ring.gen(s), ring.gen(t)
    e = e.in_ring(ring)
    on_lines = {x: x0 + gs, y: y0 + gt * gs}
    vertical = {x: x0, y: y0 + gs}
    nonzero = Atom(gs, "!=")
    return (
        substitute(phi, {x: x0, y: y0}),
        And(nonzero, Atom(_at(e, on_lines).exquo(gs), "="), substitute(phi, on_lines)),
        And(nonzero, Atom(_at(e, vertical).exquo(gs), "="), substitute(phi, vertical)),
    )


__all__ = ["blow_up", "quadratic_degree", "rational_point"]
