"""Tests for exact real root isolation (semialg.algebraic.roots)."""

from __future__ import annotations

import itertools
import math
import random
from fractions import Fraction

import flint
import mpmath
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from semialg.algebraic import (
    as_fmpz_poly,
    count_real_roots,
    descartes_bound,
    isolate_real_roots,
    isolate_real_roots_descartes,
    rational_between,
    refine_interval,
    root_bound,
)
from semialg.errors import InputError, InputTypeError
from semialg.poly.ring import PolyRing

X = flint.fmpz_poly([0, 1])
METHODS = ("auto", "balls", "cf", "descartes")


# ------------------------------------------------------------------------------------------
# independent oracles
# ------------------------------------------------------------------------------------------
def sturm_count(f: flint.fmpz_poly) -> int:
    """Number of distinct real roots by a Sturm sequence (independent exact oracle).

    Each remainder is replaced by its primitive part scaled by a *positive* number, which keeps
    the sign sequence valid and the coefficients small (primitive PRS).
    """

    def prim(p: flint.fmpq_poly) -> flint.fmpq_poly:
        z = p.numer()
        return flint.fmpq_poly(z) / abs(z.content())

    p0 = flint.fmpq_poly(f)
    p0 = prim(p0 / p0.gcd(p0.derivative()))
    seq = [p0, prim(p0.derivative())]
    while seq[-1].degree() > 0:
        r = seq[-2] % seq[-1]
        if r.is_zero():
            break
        seq.append(prim(-r))

    def var(at_plus: bool) -> int:
        signs = []
        for p in seq:
            lc = p.leading_coefficient()
            s = 1 if lc > 0 else -1
            if not at_plus and p.degree() % 2:
                s = -s
            signs.append(s)
        return sum(1 for a, b in itertools.pairwise(signs) if a != b)

    return var(False) - var(True)


def numeric_real_roots(coeffs: list[int], dps: int = 60) -> list[mpmath.mpf] | None:
    """Real roots by mpmath.polyroots at high precision, or None if it does not converge."""
    with mpmath.workdps(dps):
        try:
            rts = mpmath.polyroots(coeffs[::-1], maxsteps=400, extraprec=4 * dps)
        except mpmath.libmp.libhyper.NoConvergence:
            return None
        tol = mpmath.mpf(10) ** (-dps // 3)
        return sorted(
            r.real if isinstance(r, mpmath.mpc) else r for r in rts if abs(mpmath.im(r)) < tol
        )


def check_isolation(f: flint.fmpz_poly, res: list[tuple[Fraction, Fraction, int]]) -> None:
    """The structural contract of isolate_real_roots, checked exactly."""
    g = f
    q = flint.fmpq_poly(f)
    sqf = (q / q.gcd(q.derivative())).numer()
    for lo, hi, m in res:
        assert m >= 1
        if lo == hi:
            assert g(flint.fmpq(lo.numerator, lo.denominator)) == 0
        else:
            assert lo < hi
            vlo = g(flint.fmpq(lo.numerator, lo.denominator))
            vhi = g(flint.fmpq(hi.numerator, hi.denominator))
            assert vlo != 0 and vhi != 0
            assert descartes_bound(sqf, lo, hi) == 1  # exactly one root in (lo, hi)
    for (_, hi0, _), (lo1, _, _) in itertools.pairwise(res):
        assert hi0 < lo1
    assert sum(m for *_, m in res) == count_real_roots(g, multiplicities=True)


def wilkinson(n: int) -> flint.fmpz_poly:
    f = flint.fmpz_poly([1])
    for k in range(1, n + 1):
        f *= X - k
    return f


# ------------------------------------------------------------------------------------------
# known answers
# ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("n", [10, 20, 50])
def test_wilkinson_exact_points(n):
    res = isolate_real_roots(wilkinson(n))
    assert res == [(Fraction(k), Fraction(k), 1) for k in range(1, n + 1)]


@pytest.mark.parametrize("method", METHODS)
def test_wilkinson_all_methods(method):
    res = isolate_real_roots(wilkinson(20) * (X**2 - 2), method)
    assert len(res) == 22
    assert [r[0] for r in res if r[0] == r[1]] == [Fraction(k) for k in range(1, 21)]


@pytest.mark.parametrize(("n", "a"), [(10, 10), (20, 30), (30, 100), (50, 10), (50, 100)])
@pytest.mark.parametrize("method", ["auto", "balls", "cf"])
def test_mignotte_close_roots(n, a, method):
    f = X**n - 2 * (a * X - 1) ** 2
    res = isolate_real_roots(f, method)
    expected = 4 if n % 2 == 0 else 3
    assert len(res) == expected == sturm_count(f)
    check_isolation(f, res)
    near = [
        r for r in res if r[0] < Fraction(1, a) + Fraction(1, a * a) and r[1] > Fraction(1, 2 * a)
    ]
    assert len(near) == 2
    assert near[0][1] < near[1][0]  # separated
    # both roots are within the theoretical distance of 1/a
    assert near[1][0] - near[0][1] < Fraction(1, a) ** (n // 2)


def test_mignotte_descartes_small():
    f = X**20 - 2 * (30 * X - 1) ** 2
    res = isolate_real_roots_descartes(f)
    assert len(res) == 4 == sturm_count(f)
    check_isolation(f, res)


def test_clustered_rational_roots():
    f = flint.fmpz_poly([1])
    for k in range(1000, 1010):
        f *= k * X - 1
    res = isolate_real_roots(f)
    assert [r[0] for r in res] == sorted(Fraction(1, k) for k in range(1000, 1010))
    assert all(lo == hi for lo, hi, _ in res)


def test_clustered_irrational_roots():
    f = flint.fmpz_poly([1])
    for k in range(1000, 1006):
        f *= (k * X - 1) ** 2 - 2  # roots (1 ± sqrt 2) / k
        f *= (k * X) ** 2 - 2  # roots ±sqrt(2) / k
    res = isolate_real_roots(f)
    check_isolation(f, res)
    assert len(res) == sturm_count(f)


@pytest.mark.parametrize("method", METHODS)
def test_multiplicities(method):
    f = (X**2 - 2) ** 3 * (X - 1) ** 2 * (X + 3)
    res = isolate_real_roots(f, method)
    assert [m for *_, m in res] == [1, 3, 2, 3]
    assert res[0][:2] == (Fraction(-3), Fraction(-3))
    check_isolation(f, res)


def test_descartes_variant_multiplicities():
    f = (X**2 - 2) ** 3 * (X - 1) ** 2 * (2 * X - 1) * X
    res = isolate_real_roots_descartes(f)
    assert [m for *_, m in res] == [3, 1, 1, 2, 3]
    check_isolation(f, res)


@pytest.mark.parametrize("n", [1, 2, 5, 17, 40, 100])
def test_chebyshev(n):
    f = flint.fmpz_poly.chebyshev_t(n)
    res = isolate_real_roots(f)
    assert len(res) == n
    check_isolation(f, res)
    assert count_real_roots(f, -1, 1) == n


def test_degree_one_and_constants():
    assert isolate_real_roots([3, 2]) == [(Fraction(-3, 2), Fraction(-3, 2), 1)]
    assert isolate_real_roots([5]) == []
    assert isolate_real_roots([Fraction(1, 3)]) == []
    assert isolate_real_roots([0, 0, 7]) == [(Fraction(0), Fraction(0), 2)]
    assert count_real_roots([5]) == 0


def test_x200_minus_2():
    f = X**200 - 2
    res = isolate_real_roots(f)
    assert len(res) == 2 == sturm_count(f)
    r = float(Fraction(2) ** Fraction(1, 200))
    assert res[1][0] < r < res[1][1]
    assert res[0][0] < -r < res[0][1]


def test_random_degree_200_against_sturm():
    rng = random.Random(2024)
    for bits in (8, 64):
        f = flint.fmpz_poly([rng.randint(-(2**bits), 2**bits) for _ in range(201)])
        res = isolate_real_roots(f)
        assert len(res) == sturm_count(f)
        check_isolation(f, res)


def test_input_conversions():
    ring = PolyRing(("x",))
    x = ring.gen("x")
    expected = flint.fmpz_poly([-2, 0, 1])
    assert as_fmpz_poly(x**2 - 2) == expected
    assert as_fmpz_poly(-(x**2) + 2) == expected
    assert as_fmpz_poly([Fraction(-1), 0, Fraction(1, 2)]) == expected
    assert as_fmpz_poly(flint.fmpq_poly([-1, 0, flint.fmpq(1, 2)])) == expected
    assert as_fmpz_poly([-1.0, 0, 0.5]) == expected
    assert as_fmpz_poly([6, 0, -3]) == expected
    assert isolate_real_roots(x**2 - 2) == isolate_real_roots(expected)


def test_bad_input():
    with pytest.raises(InputError, match="zero polynomial"):
        isolate_real_roots([0, 0])
    with pytest.raises(InputError, match="zero polynomial"):
        root_bound([])
    with pytest.raises(InputTypeError):
        isolate_real_roots("x^2 - 2")
    with pytest.raises(InputTypeError):
        isolate_real_roots([1, "a"])
    with pytest.raises(InputTypeError):
        isolate_real_roots([1, 2j])
    with pytest.raises(InputError, match="non-finite"):
        isolate_real_roots([1, float("nan")])
    with pytest.raises(InputError, match="method"):
        isolate_real_roots([1, 1], method="magic")
    ring = PolyRing(("x", "y"))
    with pytest.raises(InputError, match="not univariate"):
        isolate_real_roots(ring.gen("x") * ring.gen("y") - 1)
    with pytest.raises(InputError, match="isolating"):
        refine_interval([-2, 0, 1], -2, 2, Fraction(1, 10))
    with pytest.raises(InputError, match="width"):
        refine_interval([-2, 0, 1], 1, 2, 0)
    with pytest.raises(InputError, match="distinct"):
        rational_between(1, 1)
    with pytest.raises(InputError, match="lo < hi"):
        descartes_bound([-2, 0, 1], 2, 1)


def test_root_bound():
    for f in (X**2 - 2, wilkinson(20), 3 * X**5 - 1000 * X + 7, X**3, 1000000 * X - 1):
        b = root_bound(f)
        assert b > 0
        for c, _ in f.complex_roots():
            assert abs(c) < flint.arb(b.numerator) / b.denominator


def test_refine_interval():
    lo, hi = refine_interval(X**2 - 2, 1, 2, Fraction(1, 10**40))
    assert hi - lo <= Fraction(1, 10**40)
    assert lo * lo < 2 < hi * hi
    # double root: refinement works on the square-free part
    lo, hi = refine_interval((X**2 - 2) ** 2, 1, 2, Fraction(1, 2**100))
    assert lo * lo < 2 < hi * hi and hi - lo <= Fraction(1, 2**100)
    # rational root hit exactly
    assert refine_interval(2 * X - 1, 0, 1, Fraction(1, 8)) == (Fraction(1, 2), Fraction(1, 2))


def test_rational_between():
    assert rational_between(Fraction(1, 3), Fraction(1, 2)) == Fraction(2, 5)
    assert rational_between(Fraction(1, 2), Fraction(1, 3)) == Fraction(2, 5)
    assert rational_between(-5, 5) == 0
    assert rational_between(Fraction(7, 2), 6) == 4
    assert rational_between(-6, Fraction(-7, 2)) == -4
    assert rational_between(2, Fraction(5, 2)) == Fraction(7, 3)
    a, b = Fraction(10**30 + 1, 10**30), Fraction(10**30 + 2, 10**30)
    q = rational_between(a, b)
    assert a < q < b


def test_count_real_roots_closed_interval():
    f = (X - 1) * (X - 2) * (X**2 - 2)
    assert count_real_roots(f) == 4
    assert count_real_roots(f, 1, 2) == 3
    assert count_real_roots(f, Fraction(3, 2), None) == 1
    assert count_real_roots(f, None, 0) == 1
    assert count_real_roots(f, Fraction(1415, 1000), Fraction(1414, 1000)) == 0
    assert count_real_roots(f**2, multiplicities=True) == 8


def test_descartes_bound():
    assert descartes_bound(X**2 - 2, 0, 2) == 1
    assert descartes_bound(X**2 - 2, -2, 2) == 2
    assert descartes_bound(X**2 + 1, -1, 1) in (0, 2)


# ------------------------------------------------------------------------------------------
# properties
# ------------------------------------------------------------------------------------------
coeff = st.one_of(st.integers(-10, 10), st.integers(-(2**70), 2**70))


@st.composite
def int_polys(draw, min_degree: int = 1, max_degree: int = 30):
    n = draw(st.integers(min_degree, max_degree))
    cs = draw(st.lists(coeff, min_size=n + 1, max_size=n + 1))
    if cs[-1] == 0:
        cs[-1] = 1
    return cs


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(int_polys())
def test_isolation_matches_mpmath(cs):
    f = flint.fmpz_poly(cs)
    res = isolate_real_roots(f)
    assert len(res) == sturm_count(f)
    sqf = flint.fmpq_poly(f) / flint.fmpq_poly(f).gcd(flint.fmpq_poly(f).derivative())
    num = numeric_real_roots([int(c) for c in sqf.numer().coeffs()])
    if num is None:
        return
    assert len(num) == len(res)
    with mpmath.workdps(60):  # the endpoints at the precision of the roots (exact points!)
        eps = mpmath.mpf(10) ** -15
        for (lo, hi, _), r in zip(res, num, strict=True):
            lo_f = mpmath.mpf(lo.numerator) / lo.denominator
            hi_f = mpmath.mpf(hi.numerator) / hi.denominator
            assert lo_f - eps <= r <= hi_f + eps


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(int_polys(max_degree=20), st.sampled_from(["balls", "cf", "descartes"]))
def test_methods_agree(cs, method):
    f = flint.fmpz_poly(cs)
    ref = isolate_real_roots(f)
    res = isolate_real_roots(f, method)
    assert [m for *_, m in res] == [m for *_, m in ref]
    for (a0, b0, _), (a1, b1, _) in zip(ref, res, strict=True):
        assert max(a0, a1) <= min(b0, b1)  # the same root is in both


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.fractions(max_denominator=50), min_size=1, max_size=8), int_polys(0, 6))
def test_products_with_known_rational_roots(roots, cofactor):
    f = flint.fmpq_poly([1])
    for r in roots:
        f *= flint.fmpq_poly([-flint.fmpq(r.numerator, r.denominator), 1])
    f *= flint.fmpq_poly(cofactor)
    res = isolate_real_roots(f)
    check_isolation(as_fmpz_poly(f), res)
    points = {lo for lo, hi, _ in res if lo == hi}
    assert set(roots) <= points


@settings(deadline=None)
@given(st.fractions(), st.fractions())
def test_rational_between_property(a, b):
    if a == b:
        return
    q = rational_between(a, b)
    assert min(a, b) < q < max(a, b)
    lo, hi = min(a, b), max(a, b)
    if q.denominator <= 200:  # no rational with a smaller denominator lies strictly between
        for d in range(1, q.denominator):
            n = math.floor(lo * d) + 1
            assert not Fraction(n, d) < hi


# ------------------------------------------------------------------------------------------
# exact rational roots without factorisation (p-adic lifting), deflation, separation
# ------------------------------------------------------------------------------------------
def rational_roots_by_factoring(f: flint.fmpz_poly) -> list[Fraction]:
    """Independent oracle: the linear factors of FLINT's factorisation over Q."""
    out = []
    for q, _ in f.factor()[1]:
        if q.degree() == 1:
            c0, c1 = (int(c) for c in q.coeffs())
            out.append(Fraction(-c0, c1))
    return sorted(out)


def linear_product(roots) -> flint.fmpz_poly:
    f = flint.fmpz_poly([1])
    for r in roots:
        f *= flint.fmpz_poly([-r.numerator, r.denominator])
    return f


def test_rational_reconstruction_known_values():
    from semialg.algebraic.roots import _rational_reconstruction

    m = 10007
    for p, q in [(1, 3), (-5, 7), (0, 1), (12, 1), (-1, 40)]:
        a = p * pow(q, -1, m) % m
        assert _rational_reconstruction(a, m, 50, 50) == Fraction(p, q)
    # no fraction with |p|, q <= 5 is congruent to 5000 mod 10007
    assert _rational_reconstruction(5000, m, 5, 5) is None


@pytest.mark.parametrize("n", [1, 2, 20, 100, 150])
def test_modular_rational_roots_wilkinson(n):
    from semialg.algebraic.roots import _rational_roots_modular

    assert _rational_roots_modular(wilkinson(n)) == [Fraction(k) for k in range(1, n + 1)]


def test_modular_rational_roots_denominators_and_big_numerators():
    from semialg.algebraic.roots import _rational_roots_modular, _strip_rational_roots

    roots = [Fraction(-(10**30) - 7, 3**20), Fraction(1, 1000), Fraction(999, 1000), Fraction(7)]
    cof = X**4 + 3 * X + 1  # irreducible, no rational root
    f = linear_product(roots) * cof
    assert _rational_roots_modular(f) == sorted(roots)
    rats, rest = _strip_rational_roots(f)
    assert rats == sorted(roots) and rest == cof
    # clustered rational roots
    g = linear_product([Fraction(1, k) for k in range(1000, 1020)]) * (X**2 - 2)
    assert _rational_roots_modular(g) == sorted(Fraction(1, k) for k in range(1000, 1020))


def test_modular_rational_roots_none_although_roots_mod_every_prime():
    from semialg.algebraic.roots import _rational_roots_modular

    # (x^2 - 2)(x^2 - 3)(x^2 - 6) has a root modulo every prime but no rational root
    f = (X**2 - 2) * (X**2 - 3) * (X**2 - 6)
    assert _rational_roots_modular(f) == []
    res = isolate_real_roots(f)
    assert len(res) == 6 and all(lo < hi for lo, hi, _ in res)
    check_isolation(f, res)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.fractions(max_denominator=10**6).filter(lambda r: r != 0), max_size=12),
    int_polys(0, 8),
)
def test_modular_rational_roots_match_factorisation(roots, cofactor):
    from semialg.algebraic.roots import _rational_roots_modular, _sqf_part

    f = _sqf_part(linear_product(set(roots)) * flint.fmpz_poly(cofactor))
    if f.degree() < 1 or f.coeffs()[0] == 0:
        return
    found = _rational_roots_modular(f)
    if found is not None:  # None only means "undecided": the caller then factors
        assert found == rational_roots_by_factoring(f)
    assert set(roots) <= {lo for lo, hi, _ in isolate_real_roots(f) if lo == hi}


def test_fallback_to_factorisation(monkeypatch):
    import semialg.algebraic.roots as roots_mod

    f = wilkinson(12) * (X**2 - 2) ** 2 * (3 * X - 1) ** 3 * (X**5 - 3 * X + 1)
    expected = isolate_real_roots(f)
    monkeypatch.setattr(roots_mod, "_rational_roots_modular", lambda h, attempts=12: None)
    assert isolate_real_roots(f) == expected
    check_isolation(f, expected)
    assert [m for lo, hi, m in expected if lo == Fraction(1, 3)] == [3]


@pytest.mark.parametrize(
    "f",
    [
        X**4 - 10 * X**2 + 1,
        X**3 - 2,  # k = 3, deflation y - 2 has a rational root
        X**3 + 2,  # negative root of the deflation, odd k
        X**6 - 5 * X**3 + 1,
        X**9 + 7 * X**6 - 3 * X**3 - 1,
        X**12 - 3 * X**6 + 1,
        (X**2 - 2) * (X**2 - 3) * (X**2 - 6),
        flint.fmpz_poly.chebyshev_t(64),
        flint.fmpz_poly.chebyshev_t(30) - 1,  # (T_30 - 1) has double roots: square-free part
        (1000 * X**2 - 1) ** 2 - 2,  # roots clustered around +-1/sqrt(1000)
        X**40 - 2 * (100 * X**2 - 1) ** 2,  # Mignotte-like, even
    ],
)
def test_deflation_matches_plain_continued_fractions(f):
    res = isolate_real_roots(f)
    check_isolation(f, res)
    assert len(res) == sturm_count(f)
    ref = isolate_real_roots(f, "cf")  # no deflation
    assert [m for *_, m in res] == [m for *_, m in ref]
    for (a0, b0, _), (a1, b1, _) in zip(ref, res, strict=True):
        assert max(a0, a1) <= min(b0, b1)


def test_deflation_known_values():
    res = isolate_real_roots(X**3 + 2)
    assert len(res) == 1
    lo, hi, m = res[0]
    assert lo**3 < -2 < hi**3 and m == 1
    res = isolate_real_roots((X**4 - 2) ** 2)
    assert [m for *_, m in res] == [2, 2]
    assert res[1][0] ** 4 < 2 < res[1][1] ** 4
    assert res[0][0] ** 4 > 2 > res[0][1] ** 4


def test_kth_root_bounds():
    from semialg.algebraic.roots import _iroot, _root_above, _root_below

    for n in [0, 1, 2, 7, 8, 9, 10**40, 2**200 - 1, 2**200, 3**150 + 1]:
        for k in (2, 3, 5, 7):
            r = _iroot(n, k)
            assert r**k <= n < (r + 1) ** k
    for y in [Fraction(2), Fraction(1, 3), Fraction(10**20, 7), Fraction(0)]:
        for k in (2, 3, 10):
            lo, hi = _root_below(y, k, 20), _root_above(y, k, 20)
            assert lo**k <= y <= hi**k and hi - lo <= Fraction(2, 2**20)


@pytest.mark.parametrize("n", [50, 100])
def test_wilkinson_large_and_real_roots(n):
    from semialg.algebraic import real_roots

    f = wilkinson(n)
    assert isolate_real_roots(f) == [(Fraction(k), Fraction(k), 1) for k in range(1, n + 1)]
    assert count_real_roots(f, Fraction(1, 2), Fraction(21, 2)) == 10
    rr = real_roots(f * (X**2 - 2))
    assert len(rr) == n + 2
    assert [r.is_rational for r, _ in rr].count(True) == n


def test_perturbed_wilkinson():
    f = wilkinson(20) + X**19  # the classic: only 10 real roots survive... count exactly
    res = isolate_real_roots(f)
    assert len(res) == sturm_count(f)
    check_isolation(f, res)


def test_multiple_and_clustered_roots_mixed():
    f = (
        (X - 1) ** 4
        * (1000 * X - 1001) ** 2
        * (X**2 - 2) ** 3
        * ((10**6 * X - 10**6) ** 2 - 2)  # roots 1 +- sqrt(2)/10^6, next to the root 1
        * (X**3 - 2) ** 2
    )
    res = isolate_real_roots(f)
    check_isolation(f, res)
    assert [m for *_, m in res] == [3, 1, 4, 1, 2, 2, 3]
    assert (Fraction(1), Fraction(1), 4) in res
    assert (Fraction(1001, 1000), Fraction(1001, 1000), 2) in res


@pytest.mark.parametrize("ell", [17, 101, 1009])
def test_roots_mod_prime_both_paths(ell):
    from semialg.algebraic.roots import _roots_mod_prime

    rng = random.Random(ell)
    for _ in range(20):
        cs = [rng.randint(-(10**6), 10**6) for _ in range(rng.randint(1, 12))] + [1]
        hm = flint.nmod_poly([c % ell for c in cs], ell)
        expected = [a for a in range(ell) if sum(c * a**i for i, c in enumerate(cs)) % ell == 0]
        assert _roots_mod_prime(hm, ell, True) == expected
        assert _roots_mod_prime(hm, ell, False) == expected
    # a polynomial splitting completely modulo ell (Wilkinson, ell > n)
    hm = flint.nmod_poly([int(c) % ell for c in wilkinson(16).coeffs()], ell)
    assert _roots_mod_prime(hm, ell, False) == list(range(1, 17))
