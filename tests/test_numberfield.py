"""Tests for real number fields Q(theta), polynomials over them and primitive elements."""

from __future__ import annotations

import itertools
from fractions import Fraction

import flint
import mpmath
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from semialg.algebraic.numberfield import (
    IsolatedRoot,
    KPoly,
    NumberField,
    adjoin_root,
    rational_poly_real_roots,
    shifted_norm,
)
from semialg.errors import InputError

Q = flint.fmpq
P = flint.fmpq_poly
Z = flint.fmpz_poly


def real_root(coeffs: list[int], index: int) -> IsolatedRoot:
    """The index-th real root of the integer polynomial with these coefficients (low first)."""
    return rational_poly_real_roots(Z(coeffs))[index]


SQRT2 = NumberField(real_root([-2, 0, 1], 1))
CBRT2 = NumberField(real_root([-2, 0, 0, 1], 0))
# a totally real cubic with three real roots: take the middle one
CUBIC = NumberField(real_root([1, -3, 0, 1], 1))


def mp_value(root: IsolatedRoot, dps: int = 70) -> mpmath.mpf:
    root.ball(4 * dps)
    with mpmath.workdps(dps + 10):
        return (
            mpmath.mpf(int(root.lo.p)) / int(root.lo.q)
            + mpmath.mpf(int(root.hi.p)) / int(root.hi.q)
        ) / 2


def mp_element(field: NumberField, a: flint.fmpq_poly, dps: int = 70) -> mpmath.mpf:
    theta = mp_value(field.generator, dps)
    with mpmath.workdps(dps + 10):
        return sum((mpmath.mpf(int(c.p)) / int(c.q)) * theta**k for k, c in enumerate(a.coeffs()))


# ----------------------------------------------------------------------------------------------
# field arithmetic
# ----------------------------------------------------------------------------------------------
def test_sqrt2_arithmetic() -> None:
    K = SQRT2
    t = K.gen()
    assert K.mul(t, t) == P([2])
    inv = K.inv(t + 1)  # 1/(sqrt2 + 1) = sqrt2 - 1
    assert inv == P([-1, 1])
    assert K.div(P([2]), t) == t
    assert K.sign(t - Q(1414213562373095, 10**15)) == 1
    assert K.sign(t - Q(1414213562373096, 10**15)) == -1
    assert K.sign(K.mul(t, t) - 2) == 0
    assert K.sign(P([])) == 0
    with pytest.raises(ZeroDivisionError):
        K.inv(P([]))


def test_rationals_field() -> None:
    K = NumberField.rationals()
    assert K.degree == 1 and K.is_rational_field
    assert K.sign(K.element(Fraction(-3, 7))) == -1
    assert K.element_root(K.element(Fraction(5, 3))).value == Fraction(5, 3)
    assert NumberField.from_real_algebraic(Fraction(1, 2)) is K


def test_sign_of_tiny_nonzero_element() -> None:
    # (sqrt2 - 1)^40 ~ 5e-16 is tiny but positive; (1 - sqrt2)^41 is tiny negative.
    K = SQRT2
    u = P([-1, 1])
    a = P([1])
    for _ in range(40):
        a = K.mul(a, u)
    assert K.sign(a) == 1
    assert K.sign(K.mul(a, -u)) == -1
    # difference of two huge nearly equal numbers: (1+sqrt2)^60 - nearest integer
    w = P([1, 1])
    b = P([1])
    for _ in range(60):
        b = K.mul(b, w)
    with mpmath.workdps(60):
        big = int(mpmath.floor(int(b.coeffs()[0].p) + int(b.coeffs()[1].p) * mpmath.sqrt(2)))
    assert K.sign(b - Q(big)) == 1
    assert K.sign(b - Q(big + 1)) == -1


def test_element_root_minimal_polynomials() -> None:
    K = SQRT2
    r = K.element_root(P([1, 1]))  # 1 + sqrt2: y^2 - 2y - 1
    assert r.poly == Z([-1, -2, 1])
    assert 2.41 < float(r) < 2.42
    assert K.element_root(P([0, 0, 1])).value == 2  # reduced: t^2 = 2
    c = CBRT2
    r = c.element_root(P([0, 0, 1]))  # cbrt(4): y^3 - 4
    assert r.poly == Z([-4, 0, 0, 1])


@given(st.lists(st.integers(-9, 9), min_size=1, max_size=3))
def test_inverse_and_sign_cubic(coeffs: list[int]) -> None:
    K = CUBIC
    a = P(coeffs)
    assume(not a.is_zero())
    assert K.mul(a, K.inv(a)) == P([1])
    val = mp_element(K, a)
    s = K.sign(a)
    assert s == (1 if val > 0 else -1)
    r = K.element_root(a)
    assert abs(mp_value(r) - val) < mpmath.mpf(10) ** -50


# ----------------------------------------------------------------------------------------------
# polynomials over K
# ----------------------------------------------------------------------------------------------
def kp(field: NumberField, *coeffs: object) -> KPoly:
    return KPoly(field, [c if isinstance(c, flint.fmpq_poly) else P([c]) for c in coeffs])


def test_kpoly_division_gcd_sqf() -> None:
    K = SQRT2
    t = K.gen()
    f = kp(K, -t, 1) * kp(K, -t, 1) * kp(K, 3, 1)  # (y - sqrt2)^2 (y + 3)
    g = kp(K, -t, 1) * kp(K, 1, 0, 1)  # (y - sqrt2)(y^2 + 1)
    q, r = f.divmod(g)
    assert q * g + r == f and r.degree < g.degree
    assert f.gcd(g) == kp(K, -t, 1)
    assert f.sqf_part() == kp(K, -t, 1) * kp(K, 3, 1)
    assert f.derivative().degree == 2
    assert (f - f).is_zero and (f - f).degree == -1
    assert K.sign(f.eval_element(t)) == 0
    assert f.eval_rational(-3).is_zero()


def test_kpoly_real_roots_known() -> None:
    K = SQRT2
    t = K.gen()
    roots = kp(K, -t, 0, 1).real_roots()  # y^2 = sqrt2
    assert [r.poly for r in roots] == [Z([-2, 0, 0, 0, 1])] * 2
    assert float(roots[0]) == pytest.approx(-(2**0.25)) and float(roots[1]) == pytest.approx(
        2**0.25
    )
    assert kp(K, t, 0, 1).real_roots() == []  # y^2 = -sqrt2
    three = (kp(K, -t, 1) * kp(K, t, 1) * kp(K, -3, 1)).real_roots()
    assert [float(r) for r in three] == pytest.approx([-(2**0.5), 2**0.5, 3])
    assert three[2].is_rational and three[2].value == 3
    mixed = (kp(K, -t, 1) * kp(K, -t, 1) * kp(K, -1, 1)).real_roots()
    assert [float(r) for r in mixed] == pytest.approx([1, 2**0.5])
    # roots of y^2 - 2 over Q(sqrt2) are +-sqrt2 (rational coefficients: factor over Q)
    assert [float(r) for r in kp(K, -2, 0, 1).real_roots()] == pytest.approx([-(2**0.5), 2**0.5])
    # y - t*y^0 is linear: root theta
    (root,) = kp(K, -t, 1).real_roots()
    assert root.poly == Z([-2, 0, 1]) and float(root) > 0


def test_kpoly_real_roots_exact_sturm_path() -> None:
    # Over Q(cbrt2): y^3 - cbrt2 (one real root 2^(1/9)) times y^2 - cbrt4 (roots +-2^(1/3)).
    K = CBRT2
    t = K.gen()
    f = kp(K, -t, 0, 0, 1) * kp(K, K.mul(t, -t), 0, 1)
    roots = f.real_roots()
    expect = sorted([2 ** (1 / 9), 2 ** (1 / 3), -(2 ** (1 / 3))])
    assert [float(r) for r in roots] == pytest.approx(expect)
    assert f.count_real_roots() == 3
    assert f.count_real_roots(0, 2) == 2


def test_norm() -> None:
    K = SQRT2
    t = K.gen()
    assert kp(K, -t, 1).norm() == Z([-2, 0, 1])
    assert kp(K, -t, 0, 1).norm() == Z([-2, 0, 0, 0, 1])
    assert kp(K, -2, 0, 1).norm() == Z([-2, 0, 1]) ** 2


@given(
    st.lists(
        st.lists(st.integers(-6, 6), min_size=1, max_size=3).map(tuple), min_size=2, max_size=4
    ),
    st.sampled_from(["sqrt2", "cbrt2", "cubic"]),
    st.integers(-2, 2),
)
def test_shifted_norm_is_the_resultant(coeffs: list[tuple[int, ...]], which: str, c: int) -> None:
    """The characteristic-polynomial norm agrees with SymPy's Res_t(m(t), P(t, z - c t))."""
    import sympy

    K = {"sqrt2": SQRT2, "cbrt2": CBRT2, "cubic": CUBIC}[which]
    f = KPoly(K, [P(list(cf)) for cf in coeffs])
    assume(f.degree >= 1)
    t, z = sympy.symbols("t z")
    m = sympy.Poly(list(reversed([int(a) for a in K.minpoly.coeffs()])), t).as_expr()
    big_p = sum(
        sympy.Poly(list(reversed([int(a.p) for a in cf])) or [0], t).as_expr() * (z - c * t) ** j
        for j, cf in enumerate(f.coeffs)
    )
    expected = sympy.Poly(sympy.resultant(m, sympy.expand(big_p), t), z)
    _, prim = expected.primitive()
    if prim.LC() < 0:
        prim = -prim
    assert shifted_norm(f, c) == Z(list(reversed([int(a) for a in prim.all_coeffs()])))


def _big_element(K: NumberField, seed: int) -> flint.fmpq_poly:
    """An element with large coefficients: inverses of sums of inverses (power-basis blow-up)."""
    a = K.element(P([seed, 1, 2]))
    for k in range(8):
        a = K.inv(a + K.element(P([k + 1, -seed, 1])))
    return a


def test_shifted_norm_of_elements_with_large_coefficients() -> None:
    """Norms of polynomials whose coefficients have large denominators (the case scaled by
    m'(theta)) agree with SymPy's resultant; the nodes where Res_t loses degree in t are
    normalised by lc(m)^deg (here P = y + 1/m'(t) over a non-monic m: scaled by m'(t) it is
    m'(t) y + 1, of degree 0 in t at the node z = 0 and of degree 1 elsewhere)."""
    import sympy

    K = NumberField(real_root([-2, 0, 3], 1))  # sqrt(2/3): minimal polynomial 3 t^2 - 2
    t, z = sympy.symbols("t z")
    m = sympy.Poly(list(reversed([int(a) for a in K.minpoly.coeffs()])), t).as_expr()

    def expected(f: KPoly, c: int) -> flint.fmpz_poly:
        big_p = sum(
            sum(sympy.Rational(int(a.p), int(a.q)) * t**i for i, a in enumerate(cf.coeffs()))
            * (z - c * t) ** j
            for j, cf in enumerate(f.coeffs)
        )
        res = sympy.Poly(sympy.resultant(m, sympy.expand(big_p), t), z)
        _, prim = res.clear_denoms()[1].primitive()
        if prim.LC() < 0:
            prim = -prim
        return Z(list(reversed([int(a) for a in prim.all_coeffs()])))

    cases = [
        KPoly(K, [K.inv(K.derivative_at_gen), P([1])]),  # y + 1/m'(t)
        KPoly(K, [P([1]), P([0, 1])]),  # t y + 1
        KPoly(K, [_big_element(K, 1), _big_element(K, 2), P([1]), _big_element(K, 3)]),
        KPoly(CUBIC, [_big_element(CUBIC, 5), P([0, 1]), _big_element(CUBIC, 7)]),
    ]
    assert max(a.denom().bit_length() for a in cases[2].coeffs) > 40
    for f in cases:
        if f.field is CUBIC:
            m = sympy.Poly(list(reversed([int(a) for a in CUBIC.minpoly.coeffs()])), t).as_expr()
        for c in (0, 1, -2):
            assert shifted_norm(f, c) == expected(f, c)


def test_inverse_of_large_elements() -> None:
    """Elements above the size threshold are inverted in Kronecker form; the result is exact."""
    for K in (SQRT2, CUBIC, CBRT2):
        a = _big_element(K, 3)
        assert a.numer().height_bits() + a.denom().bit_length() > K._kronecker_threshold
        assert K.mul(a, K.inv(a)) == P([1])
        assert K.inv(K.inv(a)) == a


def test_validated_real_roots() -> None:
    """Complex root isolation from coefficient balls proves square-freeness and counts the real
    roots; a repeated root makes it fail, and the exact path (gcd and Sturm) takes over."""
    t = SQRT2.gen()
    one = P([1])
    # (y - sqrt2)(y + 1)(y^2 + 1): two real roots, square-free
    sq = KPoly(SQRT2, [-t, one]) * KPoly(SQRT2, [one, one]) * KPoly(SQRT2, [one, P([0]), one])
    balls = sq.validated_real_roots()
    assert balls is not None and len(balls) == 2
    assert balls[0].contains(-1) and balls[1].contains(flint.arb(2).sqrt())
    assert sq.squarefree_and_count(False) == (sq, 2)
    assert [float(r) for r in sq.real_roots()] == pytest.approx([-1.0, 2**0.5])
    # (y - sqrt2)^2 (y + 1): not square-free
    rep = KPoly(SQRT2, [-t, one]) * KPoly(SQRT2, [-t, one]) * KPoly(SQRT2, [one, one])
    assert rep.validated_real_roots() is None
    q, count = rep.squarefree_and_count(False)
    assert count == 2 and q.degree == 2
    assert not rep.is_squarefree()
    assert [float(r) for r in rep.real_roots()] == pytest.approx([-1.0, 2**0.5])


@given(
    st.lists(st.lists(st.integers(-5, 5), min_size=1, max_size=3), min_size=1, max_size=3).map(
        lambda fs: [f for f in fs if any(f)] or [[1]]
    ),
    st.integers(0, 2),
    st.sampled_from(["sqrt2", "cbrt2", "cubic"]),
)
def test_validated_count_agrees_with_sturm(
    factors: list[list[int]], repeat: int, which: str
) -> None:
    """On products of random factors, some repeated: where validated numerics answer, the
    polynomial is square-free and the count is Sturm's on the exact square-free part."""
    K = {"sqrt2": SQRT2, "cbrt2": CBRT2, "cubic": CUBIC}[which]
    t = K.gen()
    f = KPoly(K, [P([1])])
    for i, cs in enumerate(factors):
        g = KPoly(K, [K.element(P([c])) + (t if j == i else P([])) for j, c in enumerate(cs)])
        g = g if g.degree >= 1 else KPoly(K, [-t, P([1])])
        f = f * g * (g if i < repeat else KPoly(K, [P([1])]))
    assume(f.degree >= 3)
    exact = f.sqf_part()
    balls = f.validated_real_roots()
    if balls is not None:
        assert exact.degree == f.degree
        assert len(balls) == exact.count_real_roots()
    assert len(f.real_roots()) == exact.count_real_roots()


@given(
    st.lists(st.tuples(st.integers(-4, 4), st.integers(-4, 4)), min_size=2, max_size=4),
    st.sampled_from(["sqrt2", "cubic"]),
)
def test_kpoly_real_roots_against_numerics(coeffs: list[tuple[int, int]], which: str) -> None:
    K = SQRT2 if which == "sqrt2" else CUBIC
    f = KPoly(K, [P(list(c)) for c in coeffs])
    assume(f.degree >= 1)
    roots = f.real_roots()
    mpmath.mp.dps = 60
    theta = mp_value(K.generator, 60)
    num = [c[0] + c[1] * theta for c in coeffs]
    while num and num[-1] == 0:
        num.pop()
    assume(len(num) >= 2 and abs(num[-1]) > 1e-30)
    nroots = mpmath.polyroots(list(reversed(num)), maxsteps=400, extraprec=400)
    assume(all(abs(mpmath.im(z)) < 1e-25 or abs(mpmath.im(z)) > 1e-8 for z in nroots))
    real = sorted(mpmath.re(z) for z in nroots if abs(mpmath.im(z)) < 1e-25)
    distinct: list[mpmath.mpf] = []
    for x in real:
        if not distinct or abs(x - distinct[-1]) > 1e-15:
            distinct.append(x)
    assert len(roots) == len(distinct)
    for r, x in zip(roots, distinct, strict=True):
        assert abs(mp_value(r, 60) - x) < 1e-12


# ----------------------------------------------------------------------------------------------
# isolated roots
# ----------------------------------------------------------------------------------------------
def test_isolated_root_comparisons() -> None:
    a = real_root([-2, 0, 1], 1)
    b = IsolatedRoot(Z([-2, 0, 1]), Q(1), Q(3, 2))
    c = real_root([-3, 0, 1], 1)
    assert a.same_as(b) and b.compare(a) == 0
    assert a.compare(c) == -1 and c.compare(a) == 1
    assert a.compare(IsolatedRoot.rational(Fraction(3, 2))) == -1
    with pytest.raises(ValueError):
        IsolatedRoot(Z([-2, 0, 1]), Q(2), Q(3))
    with pytest.raises(InputError):
        IsolatedRoot.from_real_algebraic("sqrt2")


def test_rational_poly_real_roots_disjoint() -> None:
    # (x^2 - 2)(x - 1.4142)(x^2 - 2.0001): close roots must get disjoint intervals
    f = Z([-2, 0, 1]) * Z([-7071, 5000]) * Z([-20001, 0, 10000])
    roots = rational_poly_real_roots(f)
    assert len(roots) == 5
    for a, b in itertools.pairwise(roots):
        assert a.hi < b.lo


# ----------------------------------------------------------------------------------------------
# primitive elements
# ----------------------------------------------------------------------------------------------
def test_adjoin_sqrt3_to_sqrt2() -> None:
    K = SQRT2
    beta = real_root([-3, 0, 1], 1)
    L, a, b = adjoin_root(K, KPoly.from_rational_poly(K, beta.poly), beta)
    assert L.degree == 4
    assert L.mul(a, a) == P([2]) and L.mul(b, b) == P([3])
    assert L.sign(a) == 1 and L.sign(b) == 1
    assert L.sign(L.mul(a, b) - Q(2449489742783178, 10**15)) == 1


def test_adjoin_negative_root_and_element_already_in_field() -> None:
    K = SQRT2
    beta = real_root([-2, 0, 1], 0)  # -sqrt2 lies in K: the field is kept
    L, a, b = adjoin_root(K, KPoly.from_rational_poly(K, beta.poly), beta)
    assert L is K and a == K.gen() and b == P([0, -1])
    beta = real_root([-8, 0, 1], 1)  # 2 sqrt2
    L, _, b = adjoin_root(K, KPoly.from_rational_poly(K, beta.poly), beta)
    assert L is K and b == P([0, 2])


def test_adjoin_over_k_coefficients() -> None:
    K = SQRT2
    t = K.gen()
    q = kp(K, -t, 0, 1)  # y^2 - sqrt2
    beta = q.real_roots()[0]  # -2^(1/4)
    L, a, b = adjoin_root(K, q, beta)
    assert L.degree == 4
    assert L.mul(b, b) == a
    assert L.sign(b) == -1
    assert abs(mp_element(L, b) + mpmath.mpf(2) ** 0.25) < 1e-40


def test_adjoin_to_rationals_and_rational_root() -> None:
    K = NumberField.rationals()
    beta = real_root([-5, 0, 1], 1)
    L, a, b = adjoin_root(K, KPoly.from_rational_poly(K, beta.poly), beta)
    assert L.degree == 2 and b == P([0, 1]) and a.is_zero()
    L2, _, b2 = adjoin_root(
        SQRT2, KPoly.from_rational_poly(SQRT2, Z([-3, 1])), real_root([-3, 1], 0)
    )
    assert L2 is SQRT2 and b2 == P([3])


def test_adjoin_root_rejects_non_squarefree() -> None:
    K = SQRT2
    beta = real_root([-3, 0, 1], 1)
    f = KPoly.from_rational_poly(K, beta.poly)
    with pytest.raises(InputError):
        adjoin_root(K, f * f, beta)


def test_quadratics_in_closed_form() -> None:
    """Degree <= 2 over K: root counts from the exact sign of the discriminant."""
    K = SQRT2
    t = K.gen()
    double = kp(K, 2, -2 * t, 1)  # (y - sqrt 2)^2
    q, count = double.squarefree_and_count(False)
    assert (q.degree, count) == (1, 1) and not double.is_squarefree()
    (root,) = double.real_roots()
    assert root.poly == Z([-2, 0, 1]) and root.compare(IsolatedRoot.rational(1)) > 0
    assert kp(K, 1, 0, 1).squarefree_and_count(False)[1] == 0
    assert kp(K, 1, 0, 1).real_roots() == []
    two = kp(K, -t, 0, 1)  # y^2 - sqrt 2: roots +-2^(1/4)
    assert two.squarefree_and_count(False) == (two, 2) and two.is_squarefree()
    assert [r.poly for r in two.real_roots()] == [Z([-2, 0, 0, 0, 1])] * 2
    assert kp(K, t, 1).squarefree_and_count(False)[1] == 1


def test_zero_roots_are_split_off() -> None:
    """y^k r(y): the root 0 comes out exactly, the others from the smaller norm of r."""
    K = SQRT2
    t = K.gen()
    for f in (kp(K, 0, -t, 1), kp(K, 0, 0, -t, 1), kp(K, 0, 2, -2 * t, 1)):  # y(y - s), y^2(y - s)
        roots = f.real_roots()
        assert roots[0].is_rational and roots[0].value == 0
        assert [r.poly for r in roots[1:]] == [Z([-2, 0, 1])]
    beta = real_root([-2, 0, 1], 1)
    L, _, b = adjoin_root(K, kp(K, 0, -t, 1), beta)  # sqrt 2 is already in K
    assert L is K and b == t
