"""Tests for exact real algebraic numbers (semialg.algebraic.real_algebraic)."""

from __future__ import annotations

import pickle
from fractions import Fraction

import flint
import mpmath
import pytest
import sympy
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from semialg.algebraic import RealAlgebraic, rational_between, real_roots
from semialg.errors import InputError, InputTypeError
from semialg.poly.ring import PolyRing

X = flint.fmpz_poly([0, 1])
sqrt = sympy.sqrt


def sqrt2() -> RealAlgebraic:
    return RealAlgebraic.root_of([-2, 0, 1], 1)


# ------------------------------------------------------------------------------------------
# construction and representation
# ------------------------------------------------------------------------------------------
def test_from_rational():
    q = RealAlgebraic.from_rational(Fraction(3, 4))
    assert q.is_rational and q.degree == 1 and q.as_fraction() == Fraction(3, 4)
    assert q.interval == (Fraction(3, 4), Fraction(3, 4))
    assert q.minpoly == flint.fmpz_poly([-3, 4])
    assert RealAlgebraic.from_rational(0.5) == Fraction(1, 2)
    assert RealAlgebraic.from_rational(flint.fmpq(2, 6)) == Fraction(1, 3)
    assert repr(q) == "RealAlgebraic(3/4)" and str(q) == "3/4"


def test_root_of_and_real_roots():
    f = (X**2 - 2) ** 2 * (X - 1)
    rts = real_roots(f)
    assert [m for _, m in rts] == [2, 1, 2]
    assert rts[1][0] == 1
    assert RealAlgebraic.root_of(f, 0) == -sqrt2()
    assert RealAlgebraic.root_of(f, -1) == sqrt2()
    assert RealAlgebraic.root_of(f, 2) == sqrt2()
    s = sqrt2()
    assert s.minpoly == flint.fmpz_poly([-2, 0, 1]) and s.degree == 2 and not s.is_rational
    lo, hi = s.interval
    assert lo < hi and lo * lo < 2 < hi * hi
    with pytest.raises(InputError, match="irrational"):
        s.as_fraction()


def test_repr_and_str():
    s = sqrt2()
    r = repr(s)
    assert r.startswith("RealAlgebraic(x^2 - 2, [") and "1.41421356237" in r
    assert "1.41421356237" in str(s) and "x^2 - 2" in str(s)


def test_from_interval():
    a = RealAlgebraic.from_interval([-2, 0, 1], 1, 2)
    assert a == sqrt2()
    assert RealAlgebraic.from_interval((X - 1) * (X**2 - 2), Fraction(1, 2), 1) == 1
    assert RealAlgebraic.from_interval(X - 3, 3, 3) == 3
    b = RealAlgebraic.from_interval((X**2 - 2) * (X**2 - 3), Fraction(3, 2), 2)
    assert b.minpoly == flint.fmpz_poly([-3, 0, 1])
    with pytest.raises(InputError, match="contains 2 roots"):
        RealAlgebraic.from_interval([-2, 0, 1], -2, 2)
    with pytest.raises(InputError, match="contains 0 roots"):
        RealAlgebraic.from_interval([-2, 0, 1], 2, 3)
    with pytest.raises(InputError, match="lo <= hi"):
        RealAlgebraic.from_interval([-2, 0, 1], 2, 1)


def test_sympy_roundtrip():
    for expr in [
        sympy.Integer(5),
        sympy.Rational(-7, 3),
        sqrt(2),
        -sqrt(2) / 3 + 1,
        sqrt(2) + sqrt(3),
        sympy.cbrt(2) - 1,
        sympy.CRootOf(sympy.Symbol("x") ** 5 - 3 * sympy.Symbol("x") + 1, 1),
        sqrt(5 + 2 * sqrt(6)),
    ]:
        a = RealAlgebraic.from_sympy(expr)
        back = a.to_sympy()
        assert abs(sympy.N(back - expr, 50)) < 1e-40
        assert RealAlgebraic.from_sympy(back) == a
        assert mpmath.almosteq(float(a), float(sympy.N(expr, 30)), 1e-14)


def test_nested_algebraic_numbers():
    rts = [r for r, _ in real_roots(X**4 - 10 * X**2 + 1)]
    expected = [
        -sqrt(2) - sqrt(3),
        sqrt(2) - sqrt(3),
        sqrt(3) - sqrt(2),
        sqrt(2) + sqrt(3),
    ]
    assert rts == [RealAlgebraic.from_sympy(e) for e in expected]
    assert RealAlgebraic.from_sympy(sqrt(5 + 2 * sqrt(6))) == rts[3]  # denesting
    assert RealAlgebraic.from_sympy(sqrt(3) - sqrt(2)) != rts[1]


def test_from_sympy_errors():
    x = sympy.Symbol("x")
    with pytest.raises(InputError, match="not real"):
        RealAlgebraic.from_sympy(sympy.I + 1)
    with pytest.raises(InputError, match="not a number"):
        RealAlgebraic.from_sympy(x + 1)
    with pytest.raises(InputError):
        RealAlgebraic.from_sympy(sympy.pi)
    with pytest.raises(InputTypeError):
        RealAlgebraic.from_sympy("sqrt(2)")
    with pytest.raises(InputError, match="not real"):
        RealAlgebraic.from_sympy(sympy.CRootOf(x**3 - 2, 1))
    assert RealAlgebraic.from_sympy(sympy.CRootOf((x - 1) ** 2 * (x - 2), 2)) == 2


def test_bad_input():
    with pytest.raises(InputError, match="zero polynomial"):
        RealAlgebraic.root_of([0], 0)
    with pytest.raises(InputError, match="out of range"):
        RealAlgebraic.root_of([-2, 0, 1], 2)
    with pytest.raises(InputTypeError):
        RealAlgebraic.root_of([-2, 0, 1], 1.0)
    with pytest.raises(InputTypeError):
        RealAlgebraic.from_rational("1/2")
    with pytest.raises(InputError, match="non-finite"):
        RealAlgebraic.from_rational(float("inf"))
    with pytest.raises(InputError, match="width"):
        sqrt2().refine(0)
    with pytest.raises(ZeroDivisionError):
        sqrt2() / 0
    with pytest.raises(TypeError):
        sqrt2() < "a"  # noqa: B015


# ------------------------------------------------------------------------------------------
# exact comparisons, hashing
# ------------------------------------------------------------------------------------------
def test_comparisons_with_rationals():
    s = sqrt2()
    assert 1 < s < 2 and s > Fraction(1414, 1000) and s < Fraction(1415, 1000)
    assert s != Fraction(1414213562373095, 10**15)
    assert s <= s and s >= s and not s < s
    assert s > 1.4142135623730
    assert RealAlgebraic(3) == 3 and hash(RealAlgebraic(3)) == hash(3)
    assert hash(RealAlgebraic(Fraction(1, 3))) == hash(Fraction(1, 3))
    assert len({RealAlgebraic(2), 2, Fraction(2)}) == 1


def test_close_algebraic_numbers():
    # two roots of a Mignotte polynomial, |a - b| ~ 1e-50, and a root of a different polynomial
    f = X**50 - 2 * (100 * X - 1) ** 2
    rts = [r for r, _ in real_roots(f)]
    a, b = rts[1], rts[2]
    assert a < b and a != b and b > a
    assert a < Fraction(1, 100) < b
    assert rational_between(a, b) == Fraction(1, 100)
    c = RealAlgebraic.root_of(X**2 - 2, 1) * Fraction(1, 141)  # sqrt2 / 141 ~ 0.01003
    assert c > b and c != b


def test_equality_same_minpoly_different_intervals():
    s1 = RealAlgebraic.from_interval([-2, 0, 1], 0, 10)
    s2 = RealAlgebraic.from_interval([-2, 0, 1], Fraction(7, 5), Fraction(3, 2))
    assert s1 == s2 and hash(s1) == hash(s2)
    assert s1 != -s2 and -s1 == RealAlgebraic.root_of([-2, 0, 1], 0)
    assert len({s1, s2, -s1}) == 2


def test_arithmetic_with_rationals():
    s = sqrt2()
    t = s + 1
    assert t.minpoly == flint.fmpz_poly([-1, -2, 1])
    assert t - 1 == s and 1 - s == -(s - 1)
    assert (s * 3).minpoly == flint.fmpz_poly([-18, 0, 1])
    assert s * Fraction(-1, 2) < 0 and s * 0 == 0
    assert s / 2 == s * Fraction(1, 2)
    assert abs(-s) == s
    assert s.sign() == 1 and (-s).sign() == -1
    assert RealAlgebraic(Fraction(1, 3)) + Fraction(2, 3) == 1
    assert s.__add__(sqrt2()) is NotImplemented


def test_refine_enclosure_float():
    s = sqrt2()
    s.refine(Fraction(1, 10**50))
    lo, hi = s.interval
    assert hi - lo <= Fraction(1, 10**50) and lo * lo < 2 < hi * hi
    ball = s.enclosure(200)
    with mpmath.workdps(70):
        assert ball.contains(flint.arb(2).sqrt()) or ball.overlaps(flint.arb(2).sqrt())
    assert ball.rad() < flint.arb(2) ** -190
    assert float(s) == 2**0.5
    assert pickle.loads(pickle.dumps(s)) == s


# ------------------------------------------------------------------------------------------
# sign_at
# ------------------------------------------------------------------------------------------
def test_sign_at_known():
    s = sqrt2()
    assert s.sign_at([-2, 0, 1]) == 0
    assert s.sign_at((X**2 - 2) * (X**7 + 5)) == 0
    assert s.sign_at([-3, 0, 2, 0, 0, 1]) == 1  # 4*sqrt2 + 1
    assert s.sign_at([Fraction(-1414213562373095, 10**15), 1]) == 1
    assert s.sign_at([Fraction(-1414213562373096, 10**15), 1]) == -1
    assert s.sign_at([0]) == 0 and s.sign_at([-5]) == -1
    ring = PolyRing(("t",))
    t = ring.gen("t")
    assert s.sign_at(t**2 - 3) == -1
    assert RealAlgebraic(Fraction(1, 2)).sign_at([1, -2]) == 0
    # near-zero value: (x - sqrt2) approximated to 1e-60 from below
    s.refine(Fraction(1, 10**70))
    lo, _ = s.interval
    assert s.sign_at([-lo, 1]) == 1


def test_sign_at_tiny_nonzero_value():
    # alpha the largest root of a Mignotte polynomial near 1/100, value p(alpha) ~ 1e-50
    f = X**30 - 2 * (100 * X - 1) ** 2
    rts = [r for r, _ in real_roots(f)]
    a = rts[2]
    assert a.sign_at([-1, 100]) == 1
    assert rts[1].sign_at([-1, 100]) == -1


# ------------------------------------------------------------------------------------------
# properties against high-precision numerics
# ------------------------------------------------------------------------------------------
small_poly = st.lists(st.integers(-20, 20), min_size=2, max_size=8).filter(lambda c: c[-1] != 0)


def _numeric(a: RealAlgebraic, dps: int = 60) -> mpmath.mpf:
    ball = a.enclosure(4 * dps)
    return mpmath.mpf(ball.mid().str(dps, radius=False))


@st.composite
def algebraic_numbers(draw):
    cs = draw(small_poly)
    rts = real_roots(cs)
    assume(rts)
    return draw(st.sampled_from(rts))[0]


def _horner(cs, x):
    acc = mpmath.mpf(0)
    for c in reversed(cs):
        acc = acc * x + c
    return acc


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(algebraic_numbers(), st.lists(st.integers(-(10**6), 10**6), min_size=1, max_size=10))
def test_sign_at_matches_numerics(a, cs):
    s = a.sign_at(cs)
    with mpmath.workdps(80):
        val = _horner(cs, _numeric(a, 80))
        if abs(val) > mpmath.mpf(10) ** -40:
            assert s == (1 if val > 0 else -1)
        elif s != 0:
            # tiny but exactly nonzero: then the minimal polynomial does not divide cs
            assert not (flint.fmpq_poly(cs) % flint.fmpq_poly(a.minpoly)).is_zero()


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(algebraic_numbers(), st.lists(st.integers(-50, 50), min_size=1, max_size=5))
def test_sign_at_multiple_of_minpoly_is_zero(a, cofactor):
    assume(any(cofactor))
    g = a.minpoly * flint.fmpz_poly(cofactor)
    assert a.sign_at(g) == 0
    assert a.sign_at(g + 1) != 0


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(algebraic_numbers(), algebraic_numbers(), algebraic_numbers())
def test_comparisons_consistent(a, b, c):
    with mpmath.workdps(80):
        na, nb = _numeric(a), _numeric(b)
        if abs(na - nb) > mpmath.mpf(10) ** -40:
            assert (a < b) == (na < nb)
            assert a != b and hash(a) == hash(a)
        else:
            assert a == b and hash(a) == hash(b)
    # total order laws
    assert (a < b) + (a == b) + (a > b) == 1
    assert (a <= b) == (a < b or a == b)
    if a <= b and b <= c:
        assert a <= c
    if a != b:
        q = rational_between(a, b)
        assert min(a, b) < q < max(a, b)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(algebraic_numbers(), st.fractions(max_denominator=1000))
def test_rational_arithmetic_matches_numerics(a, q):
    with mpmath.workdps(80):
        na = _numeric(a)
        nq = mpmath.mpf(q.numerator) / q.denominator
        assert abs(_numeric(a + q) - (na + nq)) < mpmath.mpf(10) ** -40
        assert abs(_numeric(a * q) - na * nq) < mpmath.mpf(10) ** -40
        assert abs(_numeric(-a) + na) < mpmath.mpf(10) ** -40
    assert (a + q) - q == a
    assert a.sign_at(a.minpoly) == 0
