"""Exact isolation of the real roots of univariate integer polynomials.

Every result of this module is *proved* by exact integer/rational arithmetic on FLINT kernels.
Ball arithmetic (``arb``/``acb``) is only used to *guess* where the roots are; a guess is accepted
after exact checks (sign changes at rational endpoints and Descartes' rule of signs), and when a
check fails the exact Vincent–Collins–Akritas bisection takes over.

Algorithms and references:

* Descartes' rule of signs on an interval via the Möbius transform ``(1+x)^d f((lo + hi x)/(1+x))``
  and the Vincent–Collins–Akritas (VCA) bisection: G. E. Collins, A. G. Akritas, *Polynomial real
  root isolation using Descartes' rule of signs*, SYMSAC 1976; F. Rouillier, P. Zimmermann,
  *Efficient isolation of polynomial's real roots*, J. Comput. Appl. Math. 162 (2004).
* Certified complex root balls: F. Johansson's ``arb_fmpz_poly_complex_roots`` (Arb/FLINT), exposed
  as ``fmpz_poly.complex_roots``; real roots come back with an exactly zero imaginary part.
* Continued fractions (VAS): A. G. Akritas, A. W. Strzeboński, P. S. Vigklas, *Improving the
  performance of the continued fractions method using new bounds of positive roots*, Nonlinear
  Anal. Model. Control 13 (2008); long runs of shifts towards a far root are shortened by doubling
  the shift while Descartes' rule proves the skipped segment empty.
* Rational roots without factorisation: roots modulo a prime, Hensel lifting and rational
  reconstruction (J. von zur Gathen, J. Gerhard, *Modern Computer Algebra*, Thm 5.26), every
  candidate checked by exact division; the candidate list is complete (see
  :func:`_rational_roots_modular`).
* Root bound: Fujiwara's bound, rounded up to a power of two.
* Simplest rational in an interval: the Stern–Brocot tree / continued fractions.

Conventions: an *isolating interval* ``(lo, hi, m)`` has either ``lo == hi`` (the root is that
rational number) or ``lo < hi``, the root in the open interval, neither endpoint a root of ``f`` and
exactly one root of ``f`` in ``[lo, hi]``; ``m`` is the multiplicity.
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from fractions import Fraction
from typing import TYPE_CHECKING, NamedTuple

import flint

from ..errors import InputError, InputTypeError
from ..poly.ring import Poly, to_fmpq

if TYPE_CHECKING:
    from .real_algebraic import RealAlgebraic

PolyLike = flint.fmpz_poly | flint.fmpq_poly | Poly | Sequence[object]

__all__ = [
    "IsolatedRoot",
    "as_fmpz_poly",
    "count_real_roots",
    "descartes_bound",
    "isolate_real_roots",
    "isolate_real_roots_descartes",
    "rational_between",
    "refine_interval",
    "root_bound",
]

_SHIFT_ONE = flint.fmpz_poly([1, 1])


# --------------------------------------------------------------------------------------------
# conversion
# --------------------------------------------------------------------------------------------
def _exact_fmpq_poly(f: PolyLike) -> flint.fmpq_poly:
    """``f`` as an ``fmpq_poly`` with exactly the same value (no normalisation)."""
    if isinstance(f, flint.fmpq_poly):
        return f
    if isinstance(f, flint.fmpz_poly):
        return flint.fmpq_poly(f)
    if isinstance(f, Poly):
        u = f.to_univariate()
        return u if isinstance(u, flint.fmpq_poly) else flint.fmpq_poly(u)
    if isinstance(f, str | bytes) or not isinstance(f, Sequence):
        raise InputTypeError(
            "expected a univariate polynomial (fmpz_poly, fmpq_poly, univariate Poly or a "
            f"coefficient sequence), got {type(f).__name__}"
        )
    return flint.fmpq_poly([to_fmpq(c) for c in f])


def _exact_fmpz_poly(f: PolyLike) -> flint.fmpz_poly:
    """An integer polynomial that is a *positive* rational multiple of ``f`` (signs preserved)."""
    if isinstance(f, flint.fmpz_poly):
        return f
    return _exact_fmpq_poly(f).numer()


def _primitive(f: flint.fmpz_poly) -> flint.fmpz_poly:
    """Content removed and leading coefficient made positive."""
    if f.is_zero():
        return f
    c = f.content()
    if f.leading_coefficient() < 0:
        c = -c
    if c == 1:
        return f
    return flint.fmpz_poly([x // c for x in f.coeffs()])


def as_fmpz_poly(f: PolyLike) -> flint.fmpz_poly:
    """Primitive integer polynomial with positive leading coefficient and the same roots as ``f``.

    Accepts ``fmpz_poly``, ``fmpq_poly`` (denominators cleared), a univariate :class:`Poly` or a
    sequence of exact rational coefficients in increasing degree (floats are converted to the
    rational number they denote). The zero polynomial is returned as is.
    """
    return _primitive(_exact_fmpz_poly(f))


def _nonconstant(f: PolyLike, what: str = "real roots") -> flint.fmpz_poly:
    g = as_fmpz_poly(f)
    if g.is_zero():
        raise InputError(f"the zero polynomial has infinitely many {what}")
    return g


def _as_fraction(x: object) -> Fraction:
    q = to_fmpq(x)
    return Fraction(int(q.p), int(q.q))


def _fmpq(x: Fraction) -> flint.fmpq:
    return flint.fmpq(x.numerator, x.denominator)


# --------------------------------------------------------------------------------------------
# small exact kernels
# --------------------------------------------------------------------------------------------
def _sign(x: object) -> int:
    return (x > 0) - (x < 0)


def _sign_at(g: flint.fmpz_poly, x: Fraction) -> int:
    """Exact sign of ``g(x)`` at a rational point."""
    if x.denominator == 1:
        return _sign(g(x.numerator))
    return _sign(g(_fmpq(x)))


def _variations(coeffs: Sequence[object]) -> int:
    """Number of sign changes in a coefficient sequence (zeros skipped)."""
    count = 0
    last = 0
    for c in coeffs:
        if c:
            s = 1 if c > 0 else -1
            if s == -last:
                count += 1
            last = s
    return count


def _same_sign(coeffs: Sequence[object]) -> bool:
    nz = [c for c in coeffs if c]
    return all(c > 0 for c in nz) or all(c < 0 for c in nz)


def _descartes_unit(p: flint.fmpz_poly) -> int:
    """Descartes bound for the roots of ``p`` in (0, 1): sign variations of (1+x)^d p(1/(1+x))."""
    cs = p.coeffs()
    if _same_sign(cs):
        return 0
    return _variations(flint.fmpz_poly(cs[::-1])(_SHIFT_ONE).coeffs())


def _to_unit(g: flint.fmpz_poly, lo: Fraction, hi: Fraction) -> flint.fmpz_poly:
    """A positive multiple of ``g(lo + (hi - lo) x)`` with integer coefficients."""
    den = math.lcm(lo.denominator, hi.denominator)
    a = lo.numerator * (den // lo.denominator)
    b = hi.numerator * (den // hi.denominator)
    d = g.degree()
    cs = g.coeffs()
    if den != 1:
        powers = [1] * (d + 1)
        for i in range(1, d + 1):
            powers[i] = powers[i - 1] * den
        cs = [c * powers[d - i] for i, c in enumerate(cs)]
    return flint.fmpz_poly(cs)(flint.fmpz_poly([a, b - a]))


def descartes_bound(f: PolyLike, lo: object, hi: object) -> int:
    """Descartes' rule of signs on the open interval (lo, hi), lo < hi.

    Returns the number of sign variations of ``(1+x)^d f((lo + hi x)/(1+x))``: an upper bound for
    the number of roots of ``f`` in (lo, hi) counted with multiplicity, of the same parity; it is
    exact when it is 0 or 1.
    """
    g = _nonconstant(f)
    a, b = _as_fraction(lo), _as_fraction(hi)
    if not a < b:
        raise InputError(f"descartes_bound needs lo < hi, got [{a}, {b}]")
    return _descartes_interval(g, a, b)


def _descartes_interval(g: flint.fmpz_poly, lo: Fraction, hi: Fraction) -> int:
    return _descartes_unit(_to_unit(g, lo, hi))


def root_bound(f: PolyLike) -> Fraction:
    """A power of two ``B`` with every complex root of ``f`` of modulus < B (Fujiwara's bound)."""
    g = _nonconstant(f, "roots")
    cs = [abs(int(c)) for c in g.coeffs()]
    n = len(cs) - 1
    ln = cs[n].bit_length()
    best = None
    for i in range(1, n + 1):
        c = cs[n - i]
        if c:
            e = -((-(c.bit_length() - ln + 1)) // i)  # ceil((L_i - L_n + 1) / i)
            best = e if best is None else max(best, e)
    if best is None:  # f = a x^n: all roots are 0
        return Fraction(1)
    return Fraction(2) ** (best + 1)


def _sqf_part(g: flint.fmpz_poly) -> flint.fmpz_poly:
    if g.degree() <= 1:
        return g
    _, facs = g.factor_squarefree()
    out = flint.fmpz_poly([1])
    for h, _m in facs:
        out *= h
    return _primitive(out)


# --------------------------------------------------------------------------------------------
# rational roots by p-adic (Hensel) lifting, complete and exact
# --------------------------------------------------------------------------------------------
_PRIME_CACHE: dict[int, int] = {}


def _next_prime(n: int) -> int:
    """The smallest prime > n (cached; proved prime by FLINT's ``fmpz.is_prime``)."""
    p = _PRIME_CACHE.get(n)
    if p is None:
        p = n + 1
        while not flint.fmpz(p).is_prime():
            p += 1
        _PRIME_CACHE[n] = p
    return p


def _rational_reconstruction(a: int, m: int, n: int, d: int) -> Fraction | None:
    """The only possible fraction p/q with |p| <= n, 0 < q <= d and p = a q (mod m), or None.

    Requires m >= (n + 1) d. Extended Euclid on (m, a) stopped at the first remainder r <= n,
    with cofactor t (von zur Gathen and Gerhard, *Modern Computer Algebra*, Thm 5.26): every
    solution (p, q) is a multiple of (r, t), so a solution in lowest terms equals r/t. The result
    is only a candidate (callers check it exactly); None means that there is no solution.
    """
    r0, r1 = m, a % m
    t0, t1 = 0, 1
    while r1 > n:
        k = r0 // r1
        r0, r1 = r1, r0 - k * r1
        t0, t1 = t1, t0 - k * t1
    if t1 == 0 or abs(t1) > d:
        return None
    return Fraction(r1, t1)


def _linear_product(roots: Sequence[Fraction]) -> flint.fmpz_poly:
    """prod (q x - p) over the roots p/q, by a balanced product tree."""
    ps = [flint.fmpz_poly([-r.numerator, r.denominator]) for r in roots]
    if not ps:
        return flint.fmpz_poly([1])
    while len(ps) > 1:
        ps = [ps[i] * ps[i + 1] if i + 1 < len(ps) else ps[i] for i in range(0, len(ps), 2)]
    return ps[0]


def _lift_roots_mod(
    h: flint.fmpz_poly, ell: int, roots: list[int], target: int
) -> tuple[list, int]:
    """Hensel (Newton) lifting of simple roots of h mod ell to a modulus ell^e >= target.

    Returns the lifted roots and the modulus. The roots must be simple (h'(r) != 0 mod ell).
    """
    m = ell
    dh = h.derivative()
    hcs = [int(c) for c in h.coeffs()]
    dcs = [int(c) for c in dh.coeffs()]
    while m < target and roots:
        m = m * m
        ctx = flint.fmpz_mod_poly_ctx(m)
        vals = ctx(hcs).multipoint_evaluate(roots)
        dvals = ctx(dcs).multipoint_evaluate(roots)
        roots = [
            (r - int(v) * pow(int(dv), -1, m)) % m
            for r, v, dv in zip(roots, vals, dvals, strict=True)
        ]
    return roots, m


def _roots_mod_prime(hm: flint.nmod_poly, ell: int, enumerate_all: bool) -> list[int]:
    """The distinct roots in [0, ell) of ``hm`` modulo the prime ``ell``, sorted.

    Either by evaluating at every residue (cheap for small ell) or as the roots of
    gcd(hm, x^ell - x), computed by powering modulo hm; no root means a gcd of degree 0.
    """
    if enumerate_all:
        return [a for a in range(ell) if int(hm(a)) == 0]
    x = flint.nmod_poly([0, 1], ell)
    g = hm.gcd(x.pow_mod(ell, hm) - x)
    if g.degree() <= 0:
        return []
    return sorted(int(r) for r, _ in g.roots())


def _rational_roots_modular(h: flint.fmpz_poly, attempts: int = 12) -> list[Fraction] | None:
    """All rational roots of a square-free primitive ``h`` with h(0) != 0, or None if undecided.

    Method: a prime ell with ell not dividing lc(h) and h mod ell square-free; the roots of h mod
    ell (every residue, or the roots of gcd(h, x^ell - x)); each is lifted ell-adically to a
    modulus M > 2 N D, with D = lc(h) (denominators of rational roots divide it) and N =
    min(|h(0)|, B lc(h)) (numerators divide h(0) and |root| < B, the root bound); rational
    reconstruction gives the only candidate congruent to it. A rational root p/q is a simple root
    modulo ell (q is a unit and h mod ell is square-free), so it is among the candidates: the list
    is complete. Candidates are accepted only after exact division of h by their linear factors
    (or exact evaluation), so it is also correct.
    """
    d = h.degree()
    cs = [int(c) for c in h.coeffs()]
    lead, tail = abs(cs[-1]), abs(cs[0])
    bound = root_bound(h)
    n_bound = min(tail, math.ceil(bound * lead))
    target = 2 * n_bound * lead + 3
    ell = max(d, 16)
    for _ in range(attempts):
        ell = _next_prime(ell)
        if lead % ell == 0:
            continue
        hm = flint.nmod_poly([c % ell for c in cs], ell)
        if hm.gcd(hm.derivative()).degree() > 0:
            continue
        residues = _roots_mod_prime(hm, ell, ell <= 4 * d + 64)
        if not residues:
            return []
        lifted, m = _lift_roots_mod(h, ell, residues, target)
        cands = {_rational_reconstruction(a, m, n_bound, lead) for a in lifted}
        cands.discard(None)
        found = sorted(cands)
        if found:
            _, rem = divmod(h, _linear_product(found))
            if not rem.is_zero():
                found = [r for r in found if _sign_at(h, r) == 0]
        return found
    return None


def _strip_rational_roots(h: flint.fmpz_poly) -> tuple[list[Fraction], flint.fmpz_poly]:
    """``(rational roots, cofactor)`` of a square-free primitive ``h`` of positive degree.

    The cofactor is ``h`` divided by the linear factors of its rational roots, made primitive with
    positive leading coefficient; it has no rational root. Exact: the modular method of
    :func:`_rational_roots_modular`, with FLINT's factorisation over Q as the fallback.
    """
    rats: list[Fraction] = []
    if h.coeffs()[0] == 0:
        rats.append(Fraction(0))
        h = flint.fmpz_poly(h.coeffs()[1:])
    if h.degree() >= 1:
        found = _rational_roots_modular(h)
        if found is None:
            _, facs = h.factor()
            found = []
            for q, _m in facs:
                if q.degree() == 1:
                    c0, c1 = (int(c) for c in q.coeffs())
                    found.append(Fraction(-c0, c1))
        if len(found) == h.degree():
            h = flint.fmpz_poly([1])
        elif found:
            h, rem = divmod(h, _linear_product(found))
            assert rem.is_zero(), "rational roots do not divide the polynomial"
        rats.extend(found)
    return sorted(rats), _primitive(h)


@contextmanager
def _working_prec(bits: int) -> Iterator[None]:
    old = flint.ctx.prec
    flint.ctx.prec = bits
    try:
        yield
    finally:
        flint.ctx.prec = old


def _log2_approx(x: Fraction) -> int:
    """An integer within 1 of log2(x) for a positive rational (no float overflow)."""
    return x.numerator.bit_length() - x.denominator.bit_length()


def _arb_to_fraction(x: flint.arb) -> Fraction:
    """The exact value of an exact ``arb`` (a midpoint or a radius)."""
    m, e = x.man_exp()
    m, e = int(m), int(e)
    return Fraction(m << e) if e >= 0 else Fraction(m, 1 << -e)


def _fraction_to_arb(x: Fraction) -> flint.arb:
    """A ball containing ``x`` (exact when x is dyadic, rounded outward otherwise)."""
    d = x.denominator
    if d & (d - 1) == 0:
        return flint.arb((x.numerator, -(d.bit_length() - 1)))
    return flint.arb(_fmpq(x))


def _interval_to_arb(lo: Fraction, hi: Fraction) -> flint.arb:
    return _fraction_to_arb(lo).union(_fraction_to_arb(hi))


# --------------------------------------------------------------------------------------------
# Vincent–Collins–Akritas bisection (exact)
# --------------------------------------------------------------------------------------------
class _Budget(Exception):
    """Raised internally when a bounded VCA search gives up."""


def _scaled(g: flint.fmpz_poly, e: int, negate: bool) -> flint.fmpz_poly:
    """An integer multiple of g(±2^e x): maps the roots of g in (0, ±2^e) to (0, 1)."""
    cs = [int(c) for c in g.coeffs()]
    d = len(cs) - 1
    if negate:
        cs = [c if i % 2 == 0 else -c for i, c in enumerate(cs)]
    if e >= 0:
        cs = [c << (e * i) for i, c in enumerate(cs)]
    else:
        cs = [c << (-e * (d - i)) for i, c in enumerate(cs)]
    return flint.fmpz_poly(cs)


def _halve(p: flint.fmpz_poly) -> flint.fmpz_poly:
    """2^d p(x/2), with the common power of two removed."""
    cs = [int(c) for c in p.coeffs()]
    d = len(cs) - 1
    cs = [c << (d - i) for i, c in enumerate(cs)]
    tz = min((c & -c).bit_length() - 1 for c in cs if c)
    if tz:
        cs = [c >> tz for c in cs]
    return flint.fmpz_poly(cs)


def _vca_unit(p: flint.fmpz_poly, budget: int | None) -> tuple[list[tuple[int, int]], list]:
    """Isolate the roots of square-free ``p`` in the open unit interval (0, 1).

    Returns ``(intervals, points)``: ``intervals`` are pairs ``(c, k)`` standing for
    (c/2^k, (c+1)/2^k) with Descartes count 1; ``points`` are pairs ``(c, k)`` of exact roots c/2^k
    found at bisection midpoints.
    """
    intervals: list[tuple[int, int]] = []
    points: list[tuple[int, int]] = []
    stack = [(p, 0, 0)]
    nodes = 0
    while stack:
        q, c, k = stack.pop()
        nodes += 1
        if budget is not None and nodes > budget:
            raise _Budget
        v = _descartes_unit(q)
        if v == 0:
            continue
        if v == 1:
            intervals.append((c, k))
            continue
        left = _halve(q)
        right = left(_SHIFT_ONE)
        if right.coeffs()[0] == 0:
            points.append((2 * c + 1, k + 1))
            right = flint.fmpz_poly(right.coeffs()[1:])
        stack.append((right, 2 * c + 1, k + 1))
        stack.append((left, 2 * c, k + 1))
    return intervals, points


def _vca(g: flint.fmpz_poly, budget: int | None = None) -> tuple[list, list[Fraction]]:
    """VCA isolation of the real roots of a square-free integer polynomial.

    Returns ``(intervals, points)``: open isolating intervals ``(lo, hi)`` (endpoints may be exact
    roots; see :func:`_detach`) and exact dyadic roots.
    """
    points: list[Fraction] = []
    cs = g.coeffs()
    if cs[0] == 0:
        points.append(Fraction(0))
        g = flint.fmpz_poly(cs[1:])
    intervals: list[tuple[Fraction, Fraction]] = []
    if g.degree() < 1:
        return intervals, points
    bound = root_bound(g)
    e = bound.numerator.bit_length() - 1 if bound >= 1 else -(bound.denominator.bit_length() - 1)
    for negate in (False, True):
        ivs, pts = _vca_unit(_scaled(g, e, negate), budget)
        sgn = -1 if negate else 1
        for c, k in ivs:
            a, b = Fraction(c, 1 << k) * bound * sgn, Fraction(c + 1, 1 << k) * bound * sgn
            intervals.append((min(a, b), max(a, b)))
        points.extend(Fraction(c, 1 << k) * bound * sgn for c, k in pts)
    return intervals, points


def _lower_root_exponent(cs: Sequence[flint.fmpz]) -> int | None:
    """e with every positive root of sum cs[i] x^i above 2^-e (Kioustelidis), None if none exist.

    Kioustelidis' bound on the positive roots of the reversed polynomial: the maximum over the
    coefficients c_i (i >= 1) of sign opposite to c_0 of 2 (|c_i| / |c_0|)^(1/i), rounded up to a
    power of two with integer bit lengths. Works on FLINT integers directly (no conversion).
    """
    c0 = cs[0]
    neg = c0 < 0
    ln = c0.bit_length()
    best = None
    for i in range(1, len(cs)):
        c = cs[i]
        if c and ((c > 0) if neg else (c < 0)):
            e = -((ln - 1 - c.bit_length()) // i)  # ceil((L_i - L_0 + 1) / i)
            if best is None or e > best:
                best = e
    return None if best is None else best + 1


def _vas_positive(
    p: flint.fmpz_poly, budget: int | None
) -> tuple[list[tuple[int, int, int, int]], list[Fraction]]:
    """Continued-fraction (Vincent–Akritas–Strzeboński) isolation of the roots in (0, +oo).

    ``p`` is square-free with p(0) != 0. Returns the Möbius maps (a, b, c, d) of the leaves with
    one sign variation (the root lies between b/d and a/c, a/c = +oo when c = 0) and the exact
    rational roots met on the way. Reference: A. G. Akritas, A. W. Strzeboński, P. S. Vigklas,
    *Improving the performance of the continued fractions method using new bounds of positive
    roots*, Nonlinear Anal. Model. Control 13 (2008).
    """
    leaves: list[tuple[int, int, int, int]] = []
    points: list[Fraction] = []
    stack = [(p, 1, 0, 0, 1, 0)]
    nodes = 0
    while stack:
        q, a, b, c, d, streak = stack.pop()
        nodes += 1
        if budget is not None and nodes > budget:
            raise _Budget
        cs = q.coeffs()
        v = _variations(cs)
        if v == 0:
            continue
        if v == 1:
            leaves.append((a, b, c, d))
            continue
        e = _lower_root_exponent(cs)
        if e is not None and e <= 0:  # all positive roots are > 2^-e >= 1: shift past them
            sh = 1 << -e
            if streak >= 2:  # a long walk towards a far root: double the shift while proved safe
                for _ in range(64):
                    big = sh << 1
                    t = flint.fmpz_poly(q(flint.fmpz_poly([0, big])).coeffs()[::-1])(_SHIFT_ONE)
                    if _variations(t.coeffs()) != 0:  # Descartes: maybe a root in (0, big)
                        break
                    sh = big  # no root in (0, big); a root at big itself is caught below
            q = q(flint.fmpz_poly([sh, 1]))
            b, d = b + a * sh, d + c * sh
            if q[0] == 0:
                points.append(Fraction(b, d))
                q = flint.fmpz_poly(q.coeffs()[1:])
            stack.append((q, a, b, c, d, streak + 1))
            continue
        right = q(_SHIFT_ONE)  # roots > 1
        left = flint.fmpz_poly(cs[::-1])(_SHIFT_ONE)  # roots in (0, 1), x = 1/(1+y)
        if right[0] == 0:
            points.append(Fraction(a + b, c + d))
            right = flint.fmpz_poly(right.coeffs()[1:])
            left = flint.fmpz_poly(left.coeffs()[1:])
        stack.append((left, b, a + b, d, c + d, 0))
        stack.append((right, a, a + b, c, c + d, 0))
    return leaves, points


def _vas(g: flint.fmpz_poly, budget: int | None = None) -> tuple[list, list[Fraction]]:
    """Continued-fraction isolation of a square-free integer polynomial (interface of _vca)."""
    points: list[Fraction] = []
    cs = g.coeffs()
    if cs[0] == 0:
        points.append(Fraction(0))
        g = flint.fmpz_poly(cs[1:])
    intervals: list[tuple[Fraction, Fraction]] = []
    if g.degree() < 1:
        return intervals, points
    bound = root_bound(g)
    for sgn in (1, -1):
        h = (
            g
            if sgn == 1
            else flint.fmpz_poly([x if i % 2 == 0 else -x for i, x in enumerate(g.coeffs())])
        )
        leaves, pts = _vas_positive(h, budget)
        points.extend(sgn * r for r in pts)
        for a, b, c, d in leaves:
            x, y = Fraction(b, d), (Fraction(a, c) if c else bound)
            x, y = min(x, y), max(x, y)
            y = min(y, bound)
            intervals.append((-y, -x) if sgn < 0 else (x, y))
    return intervals, points


def _detach(g: flint.fmpz_poly, lo: Fraction, hi: Fraction) -> tuple[Fraction, Fraction]:
    """Shrink an interval with Descartes count 1 on (lo, hi) until no endpoint is a root of g.

    Returns ``(r, r)`` if a bisection point is the root itself.
    """
    while _sign_at(g, lo) == 0 or _sign_at(g, hi) == 0:
        m = (lo + hi) / 2
        if _sign_at(g, m) == 0:
            return m, m
        if _descartes_interval(g, lo, m) == 1:
            hi = m
        else:
            lo = m
    return lo, hi


# --------------------------------------------------------------------------------------------
# ball-guided isolation with exact verification
# --------------------------------------------------------------------------------------------
def _floor_log2(x: flint.arb) -> int | None:
    """floor(log2 x) for an exact positive arb, None if x <= 0."""
    if not x > 0:
        return None
    m, e = x.mid().man_exp()
    return int(e) + int(m).bit_length() - 1


def _ball_intervals(roots: list[flint.acb]) -> list[tuple[Fraction, Fraction]] | None:
    """Rational intervals with dyadic endpoints around the real roots among certified balls."""
    reals = sorted(
        (c.real for c in roots if c.imag.is_zero()), key=lambda r: _arb_to_fraction(r.mid())
    )
    upper = [c for c in roots if not c.imag.is_zero() and c.imag > 0]
    out = []
    for i, r in enumerate(reals):
        dists = []
        for j in (i - 1, i + 1):
            if 0 <= j < len(reals):
                dists.append(abs(reals[j] - r).lower())
        dists.extend(abs(z - r).lower() for z in upper)
        mid, rad = _arb_to_fraction(r.mid()), _arb_to_fraction(r.rad())
        if dists:
            e = _floor_log2(min(dists))
            if e is None:
                return None
            e -= 4
        else:
            e = _log2_approx(max(abs(mid), Fraction(1))) - 2
        step = Fraction(2) ** e
        lo = math.floor((mid - rad) / step) * step
        hi = math.ceil((mid + rad) / step) * step
        out.append((Fraction(lo), Fraction(hi)))
    return out


def _gap_is_empty(g: flint.fmpz_poly, lo: Fraction, hi: Fraction, depth: int = 48) -> bool:
    """Prove by Descartes' rule (with bisection) that g has no root in (lo, hi); False if unsure.

    ``g`` must have no rational roots (bisection points are then never roots).
    """
    stack = [(lo, hi, 0)]
    while stack:
        a, b, k = stack.pop()
        v = _descartes_interval(g, a, b)
        if v == 0:
            continue
        if v == 1 or k >= depth:
            return False
        m = (a + b) / 2
        stack.append((a, m, k + 1))
        stack.append((m, b, k + 1))
    return True


def _verify(g: flint.fmpz_poly, ivs: list[tuple[Fraction, Fraction]]) -> bool:
    """Exact proof that ``ivs`` isolate all real roots of ``g`` (square-free, no rational roots)."""
    bound = root_bound(g)
    for lo, hi in ivs:
        if not lo < hi or _sign_at(g, lo) * _sign_at(g, hi) >= 0:
            return False
    edges = [-bound] + [x for iv in ivs for x in iv] + [bound]
    if any(not a < b for a, b in itertools.pairwise(edges)):
        return False
    cuts = [-bound] + [hi for _, hi in ivs] + [bound]
    for k in range(len(cuts) - 1):
        a, b = cuts[k], cuts[k + 1]
        expected = 1 if k < len(ivs) else 0
        if _descartes_interval(g, a, b) == expected:
            continue
        if expected:  # split into the gap (a, lo_k) and the interval itself
            lo, hi = ivs[k]
            if _descartes_interval(g, lo, hi) != 1 or not _gap_is_empty(g, a, lo):
                return False
        elif not _gap_is_empty(g, a, b):
            return False
    return True


def _isolate_with_balls(g: flint.fmpz_poly) -> list[tuple[Fraction, Fraction]] | None:
    """Ball-guided isolation of an irreducible ``g`` of degree >= 2, verified exactly."""
    d = g.degree()
    for prec in (64, 256, 1024):
        with _working_prec(prec):
            roots = g.complex_roots()
        if len(roots) != d or any(m != 1 for _, m in roots):
            continue
        ivs = _ball_intervals([c for c, _ in roots])
        if ivs is not None and _verify(g, ivs):
            return ivs
    return None


# --------------------------------------------------------------------------------------------
# refinement
# --------------------------------------------------------------------------------------------
def _bisect(g: flint.fmpz_poly, lo: Fraction, hi: Fraction, slo: int) -> tuple[Fraction, Fraction]:
    m = (lo + hi) / 2
    sm = _sign_at(g, m)
    if sm == 0:
        return m, m
    return (lo, m) if sm != slo else (m, hi)


def _newton_guess(
    g: flint.fmpz_poly, lo: Fraction, hi: Fraction, width: Fraction
) -> Fraction | None:
    """A Newton approximation (in ball arithmetic, used only as a guess) of the root in (lo, hi)."""
    bits = max(64, 40 + _log2_approx(max(abs(lo), abs(hi), Fraction(1)) / width))
    dg = g.derivative()
    with _working_prec(bits):
        x = _fraction_to_arb((lo + hi) / 2).mid()
        for _ in range(2 * bits.bit_length() + 8):
            fx, dfx = g(x), dg(x)
            if not dfx.is_finite() or dfx.contains(0):
                return None
            step = (fx / dfx).mid()
            x = (x - step).mid()
            if abs(step) < _fraction_to_arb(width / 8):
                return _arb_to_fraction(x)
    return None


def _refine(
    g: flint.fmpz_poly, lo: Fraction, hi: Fraction, width: Fraction
) -> tuple[Fraction, Fraction]:
    """Shrink an isolating interval of square-free ``g`` (sign change on [lo, hi]) to ``width``."""
    if lo == hi:
        return lo, hi
    slo = _sign_at(g, lo)
    newton_ok = True
    while hi - lo > width:
        if newton_ok and (hi - lo) > width * 2**20:
            guess = _newton_guess(g, lo, hi, width)
            newton_ok = False
            if guess is not None and lo < guess < hi:
                e = _floor_log2(_fraction_to_arb(width)) - 2
                step = Fraction(2) ** e
                c = round(guess / step) * step
                a, b = max(lo, c - step), min(hi, c + step)
                sa, sb = _sign_at(g, a), _sign_at(g, b)
                if sa == 0:
                    return a, a
                if sb == 0:
                    return b, b
                if a < b and sa != sb:
                    lo, hi, slo = a, b, sa
                    newton_ok = True
                    continue
        lo, hi = _bisect(g, lo, hi, slo)
        if lo == hi:
            return lo, hi
    return lo, hi


def refine_interval(
    f: PolyLike, lo: object, hi: object, width: object
) -> tuple[Fraction, Fraction]:
    """Shrink an isolating interval ``[lo, hi]`` of a root of ``f`` until ``hi - lo <= width``.

    The interval must contain exactly one root of ``f`` in its interior and none at its endpoints
    (this is checked exactly). Uses bisection with exact signs, accelerated by Newton guesses in
    ball arithmetic that are accepted only after an exact sign-change check. Returns ``(r, r)`` when
    a rational root is hit exactly.
    """
    g = _sqf_part(_nonconstant(f))
    a, b, w = _as_fraction(lo), _as_fraction(hi), _as_fraction(width)
    if w <= 0:
        raise InputError(f"refine_interval needs a positive width, got {w}")
    if a == b:
        if _sign_at(g, a) != 0:
            raise InputError(f"{a} is not a root of the polynomial")
        return a, b
    if not a < b:
        raise InputError(f"refine_interval needs lo <= hi, got [{a}, {b}]")
    if _sign_at(g, a) * _sign_at(g, b) >= 0 or _descartes_interval(g, a, b) != 1:
        raise InputError(f"[{a}, {b}] is not an isolating interval of a root of the polynomial")
    return _refine(g, a, b, w)


# --------------------------------------------------------------------------------------------
# isolation
# --------------------------------------------------------------------------------------------
_METHODS = ("auto", "balls", "cf", "descartes")


class IsolatedRoot(NamedTuple):
    """A real root: interval ``[lo, hi]`` (``lo == hi`` for a rational root), multiplicity and
    a factor of ``f`` it is a simple root of (primitive, positive leading coefficient): the
    irreducible factor by default, see :func:`_isolate`."""

    lo: Fraction
    hi: Fraction
    multiplicity: int
    factor: flint.fmpz_poly


def _iroot(n: int, k: int) -> int:
    """floor(n^(1/k)) for integers n >= 0, k >= 1 (integer Newton iteration)."""
    if n < 2 or k == 1:
        return n
    if k == 2:
        return math.isqrt(n)
    x = 1 << -(-n.bit_length() // k)  # >= n^(1/k)
    while True:
        y = ((k - 1) * x + n // x ** (k - 1)) // k
        if y >= x:
            return x
        x = y


def _root_below(y: Fraction, k: int, bits: int) -> Fraction:
    """A dyadic rational <= y^(1/k) (y >= 0) within 2^-bits of it."""
    return Fraction(_iroot((y.numerator << (k * bits)) // y.denominator, k), 1 << bits)


def _root_above(y: Fraction, k: int, bits: int) -> Fraction:
    """A dyadic rational >= y^(1/k) (y >= 0) within 2^-bits of it."""
    n = -((-y.numerator << (k * bits)) // y.denominator)  # ceil(y 2^(k bits))
    r = _iroot(n, k)
    if r**k < n:
        r += 1
    return Fraction(r, 1 << bits)


def _kth_roots_of_intervals(
    ys: list[tuple[Fraction, Fraction]], k: int
) -> list[tuple[Fraction, Fraction]]:
    """Isolating intervals of the x > 0 with x^k in one of the sorted disjoint ``ys`` (>= 0).

    Each ``(a, b)`` (a point when a == b) contains exactly one root y > 0 of g, and the closed
    intervals are pairwise disjoint. The result ``(lo, hi)`` satisfies lo <= a^(1/k),
    hi >= b^(1/k) and lo^k > b_prev, hi^k < a_next, so (lo^k, hi^k) still contains only that root
    of g, and x -> x^k is increasing on x >= 0: (lo, hi) contains exactly one root of g(x^k).
    """
    out = []
    for i, (a, b) in enumerate(ys):
        prev = ys[i - 1][1] if i > 0 else None
        nxt = ys[i + 1][0] if i + 1 < len(ys) else None
        bits = 4
        while True:
            lo, hi = _root_below(a, k, bits), _root_above(b, k, bits)
            if (prev is None or lo**k > prev) and (nxt is None or hi**k < nxt):
                break
            bits *= 2
        out.append((lo, hi))
    return out


def _isolate_deflated(q: flint.fmpz_poly, g: flint.fmpz_poly, k: int) -> list:
    """Real roots of ``q(x) = g(x^k)`` (square-free, no rational roots, k >= 2) from those of g.

    g is square-free (a multiple root y != 0 of g gives multiple roots of q; g(0) = q(0) != 0),
    but may have rational roots; it is isolated by :func:`_isolate`. Positive roots y of g give
    x = y^(1/k) (and -x for even k); negative ones give x = -(-y)^(1/k) for odd k.
    """
    pos: list[tuple[Fraction, Fraction]] = []
    neg: list[tuple[Fraction, Fraction]] = []
    for r in _isolate(g, "auto", irreducible=False):
        a, b = r.lo, r.hi
        if a < 0 < b:  # the root is on the side of 0 where the factor's sign differs from at 0
            if _sign_at(r.factor, a) != _sign(r.factor[0]):
                b = Fraction(0)
            else:
                a = Fraction(0)
        if b <= 0:
            neg.append((-b, -a))
        else:
            pos.append((a, b))
    out = _kth_roots_of_intervals(pos, k)
    if k % 2 == 0:
        out += [(-hi, -lo) for lo, hi in out]
    else:
        neg.reverse()
        out += [(-hi, -lo) for lo, hi in _kth_roots_of_intervals(neg, k)]
    return sorted(out)


def _isolate_no_rational(q: flint.fmpz_poly, method: str) -> list[tuple[Fraction, Fraction]]:
    """Isolating intervals of the real roots of a square-free ``q`` without rational roots.

    ``q`` has degree >= 2 (for instance an irreducible factor); all roots are irrational, so no
    exact points occur and no rational is ever a root. With ``"auto"``, a polynomial in x^k
    (k >= 2) is reduced to its deflation first (:func:`_isolate_deflated`).
    """
    if method == "descartes":
        return sorted(_vca(q)[0])
    if method == "auto":
        g, k = q.deflation()
        if k >= 2:
            return _isolate_deflated(q, g, k)
    if method == "cf":
        return sorted(_vas(q)[0])
    if method == "auto":
        try:
            ivs, pts = _vas(q, 8 * q.degree() + 64)
        except _Budget:
            pass
        else:
            assert not pts, "irreducible polynomial of degree >= 2 with a rational root"
            return sorted(ivs)
    ivs_balls = _isolate_with_balls(q)
    if ivs_balls is not None:
        return ivs_balls
    return sorted(_vas(q)[0])


def _exclude(
    g: flint.fmpz_poly, lo: Fraction, hi: Fraction, q: Fraction
) -> tuple[Fraction, Fraction]:
    """Shrink an isolating interval of ``g`` (sign change, lo < hi) so that it avoids ``q``.

    ``q`` is a rational in [lo, hi] that is not a root of g. The new endpoint is found by an
    exponential search q ± (distance) / 2^(2^j), so a root extremely close to q costs only
    O(log log) exact evaluations instead of a long bisection.
    """
    slo = _sign_at(g, lo)
    sq = _sign_at(g, q)
    if q == lo or (q < hi and sq == slo):  # root in (q, hi): raise lo above q
        j = 1
        while True:
            x = q + (hi - q) / (1 << j)
            sx = _sign_at(g, x)
            if sx == sq:
                return x, hi
            hi = x
            j *= 2
    j = 1  # root in (lo, q): lower hi below q
    while True:
        x = q - (q - lo) / (1 << j)
        sx = _sign_at(g, x)
        if sx == sq:
            return lo, x
        lo = x
        j *= 2


def _separate(items: list[list]) -> list[IsolatedRoot]:
    """Sort roots of distinct factors and shrink their intervals until pairwise disjoint.

    ``items`` are lists ``[lo, hi, multiplicity, factor]``. Intervals only ever shrink, so the
    sorted, disjoint prefix stays valid and the two changed items are re-inserted in the suffix.
    """

    def key(it: list) -> tuple[Fraction, Fraction]:
        return (it[0], it[1])

    items.sort(key=key)
    i = 0
    while i < len(items) - 1:
        a, b = items[i], items[i + 1]
        if a[1] < b[0]:
            i += 1
            continue
        if a[0] == a[1] and b[0] == b[1]:
            raise AssertionError("two equal rational roots from distinct factors")
        if a[0] == a[1] or b[0] == b[1]:
            q = a[0] if a[0] == a[1] else b[0]
        else:
            q = (b[0] + min(a[1], b[1])) / 2
        for it in (a, b):
            if it[0] < it[1] and it[0] <= q <= it[1]:
                it[0], it[1] = _exclude(it[3], it[0], it[1], q)
                if a[1] < b[0] or b[1] < a[0]:  # one exclusion suffices (e.g. a shared endpoint)
                    break
        del items[i : i + 2]
        bisect.insort(items, a, lo=i, key=key)
        bisect.insort(items, b, lo=i, key=key)
    return [IsolatedRoot(lo, hi, m, g) for lo, hi, m, g in items]


def _isolate(f: PolyLike, method: str = "auto", irreducible: bool = True) -> list[IsolatedRoot]:
    """Isolated real roots with multiplicities and the factors they are roots of.

    Steps: square-free decomposition (multiplicities), exact rational roots of each square-free
    part (:func:`_strip_rational_roots`), isolation of the roots of the cofactor, which has no
    rational root, and :func:`_separate`. With ``irreducible=True`` the cofactor is factored over
    Q and each ``factor`` is the irreducible factor (minimal polynomial) of its root; otherwise
    the ``factor`` of an irrational root is a square-free polynomial without rational roots that
    changes sign on the interval (enough for isolation, counting and comparisons). The ``factor``
    of a rational root is its primitive linear polynomial in both cases.
    """
    if method not in _METHODS:
        raise InputError(f"unknown isolation method {method!r}; use one of {', '.join(_METHODS)}")
    g = _nonconstant(f)
    if g.degree() == 0:
        return []
    _, sqf = g.factor_squarefree()
    items: list[list] = []
    for h, m in sqf:
        m = int(m)
        rats, cof = _strip_rational_roots(_primitive(h))
        for r in rats:
            items.append([r, r, m, flint.fmpz_poly([-r.numerator, r.denominator])])
        if cof.degree() < 2:
            continue
        parts = [_primitive(q) for q, _ in cof.factor()[1]] if irreducible else [cof]
        for q in parts:
            for lo, hi in _isolate_no_rational(q, method):
                items.append([lo, hi, m, q])
    return _separate(items)


def isolate_real_roots(f: PolyLike, method: str = "auto") -> list[tuple[Fraction, Fraction, int]]:
    """Sorted, pairwise disjoint isolating intervals ``(lo, hi, multiplicity)`` of the real roots.

    ``lo == hi`` means the root is that rational number; otherwise the root lies in the open
    interval (lo, hi), lo and hi are not roots and ``[lo, hi]`` contains no other root of ``f``.

    Method: square-free decomposition (exact multiplicities); the rational roots of each
    square-free part are found exactly (roots modulo a prime, lifted p-adically, rational
    reconstruction, exact division; FLINT's factorisation over Q as the fallback) and come out as
    exact points; the cofactor, which has no rational root, is isolated by ``method``:

    * ``"auto"`` (default): continued fractions (VAS) with a node budget, then the ball-guided
      method, then unbounded VAS;
    * ``"balls"``: certified complex root balls (``arb_fmpz_poly_complex_roots``) turned into
      dyadic intervals, then proved by exact sign changes and Descartes counts on the intervals,
      the gaps between them and up to the root bound; unbounded VAS if the proof fails;
    * ``"cf"``: VAS only;
    * ``"descartes"``: VCA bisection only.

    No factorisation into irreducibles is needed (:func:`semialg.algebraic.real_roots`, which
    returns minimal polynomials, factors the cofactor).
    """
    return [(r.lo, r.hi, r.multiplicity) for r in _isolate(f, method, irreducible=False)]


def isolate_real_roots_descartes(f: PolyLike) -> list[tuple[Fraction, Fraction, int]]:
    """Pure Vincent–Collins–Akritas isolation (no factorisation, no balls).

    Uses only the square-free decomposition for multiplicities. Rational roots come out as exact
    points only when a bisection point hits them; otherwise they are isolated by an interval.
    """
    g = _nonconstant(f)
    if g.degree() == 0:
        return []
    _, facs = g.factor_squarefree()
    parts = [(_primitive(h), int(m)) for h, m in facs]
    prod = flint.fmpz_poly([1])
    for h, _ in parts:
        prod *= h
    prod = _primitive(prod)
    ivs, pts = _vca(prod)
    items: list[list] = []
    for r in pts:
        items.append([r, r, next(m for h, m in parts if _sign_at(h, r) == 0), prod])
    for lo, hi in ivs:
        lo, hi = _detach(prod, lo, hi)
        m = next(
            m
            for h, m in parts
            if (_sign_at(h, lo) == 0 if lo == hi else _sign_at(h, lo) * _sign_at(h, hi) < 0)
        )
        items.append([lo, hi, m, prod])
    return [(r.lo, r.hi, r.multiplicity) for r in _separate(items)]


def _compare_root(r: IsolatedRoot, q: Fraction) -> int:
    """Exact sign of (root - q) for an isolated root."""
    if r.lo == r.hi:
        return _sign(r.lo - q)
    if q <= r.lo:
        return 1
    if q >= r.hi:
        return -1
    sq = _sign_at(r.factor, q)
    if sq == 0:
        return 0
    return -1 if sq != _sign_at(r.factor, r.lo) else 1


def count_real_roots(
    f: PolyLike, lo: object = None, hi: object = None, *, multiplicities: bool = False
) -> int:
    """Exact number of distinct real roots of ``f`` in the closed interval [lo, hi].

    ``None`` bounds mean -oo / +oo. With ``multiplicities=True`` roots are counted with
    multiplicity.
    """
    a = None if lo is None else _as_fraction(lo)
    b = None if hi is None else _as_fraction(hi)
    if a is not None and b is not None and a > b:
        return 0
    total = 0
    for r in _isolate(f, irreducible=False):
        if a is not None and _compare_root(r, a) < 0:
            continue
        if b is not None and _compare_root(r, b) > 0:
            continue
        total += r.multiplicity if multiplicities else 1
    return total


# --------------------------------------------------------------------------------------------
# rational numbers between reals
# --------------------------------------------------------------------------------------------
def _simplest_open(x: Fraction, y: Fraction | None) -> Fraction:
    """The simplest rational in the open interval (x, y), 0 <= x < y (y None means +oo).

    Continued-fraction descent of the Stern–Brocot tree; iterative, so long expansions are fine.
    """
    # value = (h0 t + h1) / (k0 t + k1), t the remaining unknown
    h0, h1, k0, k1 = 1, 0, 0, 1
    while True:
        fl = math.floor(x)
        if y is None or fl + 1 < y:
            t = fl + 1
            return Fraction(h0 * t + h1, k0 * t + k1)
        x, y = x - fl, y - fl  # 0 <= x < y <= 1
        h0, h1 = h0 * fl + h1, h0
        k0, k1 = k0 * fl + k1, k0
        x, y = 1 / y, (1 / x if x else None)


def _simplest_between(x: Fraction, y: Fraction) -> Fraction:
    """The simplest rational in the open interval (x, y), x < y."""
    if x < 0 < y:
        return Fraction(0)
    if y <= 0:
        return -_simplest_open(-y, -x)
    return _simplest_open(x, y)


def rational_between(
    a: Fraction | int | RealAlgebraic, b: Fraction | int | RealAlgebraic
) -> Fraction:
    """A simple rational strictly between two distinct reals (in either order).

    For rational arguments this is the simplest rational (smallest denominator, then smallest
    absolute value) in the open interval; algebraic arguments are first replaced by rational
    bounds that lie strictly between them.
    """
    from .real_algebraic import RealAlgebraic, _rational_window

    if isinstance(a, RealAlgebraic) or isinstance(b, RealAlgebraic):
        x, y = _rational_window(a, b)
    else:
        x, y = _as_fraction(a), _as_fraction(b)
        if x == y:
            raise InputError(f"rational_between needs two distinct numbers, got {x} twice")
        if x > y:
            x, y = y, x
    return _simplest_between(x, y)
