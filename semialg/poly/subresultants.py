"""Principal subresultant coefficients.

For f of degree m and g of degree n in a variable x, the j-th principal subresultant coefficient
psc_j(f, g) is the determinant of the square matrix formed by the first m + n - 2j columns of the
j-th Sylvester-Habicht matrix (rows x^{n-j-1} f, ..., f, x^{m-j-1} g, ..., g; columns the
coefficients of x^{m+n-j-1}, ..., x^0). psc_0 is the resultant, and deg gcd(f, g) is the least j
with psc_j != 0 (Basu, Pollack, Roy, *Algorithms in Real Algebraic Geometry*, ch. 8; Collins 1975).

Determinants are computed by Bareiss' fraction-free elimination, every step an exact FLINT
multivariate multiplication or division.
"""

from __future__ import annotations

from .ring import Poly


def _bareiss_det(rows: list[list]) -> object:
    """Determinant of a square matrix of flint mpolys by fraction-free Gaussian elimination."""
    n = len(rows)
    if n == 0:
        return None
    m = [list(r) for r in rows]
    ctx = m[0][0].context()
    one = ctx.constant(1)
    sign = 1
    prev = one
    for k in range(n - 1):
        if m[k][k].is_zero():
            for r in range(k + 1, n):
                if not m[r][k].is_zero():
                    m[k], m[r] = m[r], m[k]
                    sign = -sign
                    break
            else:
                return ctx.constant(0)
        piv = m[k][k]
        for i in range(k + 1, n):
            mik = m[i][k]
            for j in range(k + 1, n):
                num = m[i][j] * piv - mik * m[k][j]
                m[i][j] = num if prev.is_one() else num / prev
            m[i][k] = ctx.constant(0)
        prev = piv
    det = m[n - 1][n - 1]
    return det if sign == 1 else -det


def principal_subresultant_coefficients(f: Poly, g: Poly, var: str | int) -> list[Poly]:
    """``[psc_0(f, g), ..., psc_{d-1}(f, g)]`` with respect to ``var``, d = min(deg f, deg g).

    Both polynomials must have positive degree in ``var``.
    """
    ring = f.ring
    i = ring.index(var)
    m, n = f.degree(i), g.degree(i)
    if m < 1 or n < 1:
        from ..errors import InputError

        raise InputError("principal subresultant coefficients need positive degrees")
    a, b = Poly._pair(f, g)
    ctx = a.context()
    zero = ctx.constant(0)
    gc = [c.raw for c in Poly(b, ring).coeffs_in(i)]
    fc = [c.raw for c in Poly(a, ring).coeffs_in(i)]
    out: list[Poly] = []
    for j in range(min(m, n)):
        width = m + n - j  # columns x^{m+n-j-1} .. x^0
        size = m + n - 2 * j
        rows = []
        for s in range(n - j - 1, -1, -1):  # x^s f
            row = [zero] * width
            for k, c in enumerate(fc):
                row[width - 1 - (k + s)] = c
            rows.append(row[:size])
        for s in range(m - j - 1, -1, -1):  # x^s g
            row = [zero] * width
            for k, c in enumerate(gc):
                row[width - 1 - (k + s)] = c
            rows.append(row[:size])
        out.append(Poly(_bareiss_det(rows), ring)._normalised())
    return out
