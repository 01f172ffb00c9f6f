"""Tests for sample points with algebraic coordinates (signs, evaluation, Lazard, lifting roots)."""

from __future__ import annotations

import itertools
from fractions import Fraction

import flint
import mpmath
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from semialg.algebraic.numberfield import KPoly
from semialg.algebraic.sample import Root, SamplePoint, root_values
from semialg.errors import InputError
from semialg.poly.ring import Poly, PolyRing

R = PolyRing(("x", "y", "z", "w"))
x, y, z, w = R.gens
P = flint.fmpq_poly
Z = flint.fmpz_poly
ORIGIN = SamplePoint.origin()
DPS = 70


def sqrt_point(*squares: int) -> SamplePoint:
    """The point (sqrt(a), sqrt(b), ...) built by lifting, as CAD does."""
    point = ORIGIN
    for k, a in enumerate(squares):
        v = R.gens[k]
        roots = point.real_roots([v**2 - a])
        point = point.extend_root(roots[-1])
    return point


def as_floats(roots: list[Root]) -> list[float]:
    return [float(r) for r in roots]


def mp_of(ball: flint.arb) -> mpmath.mpf:
    man, exp = ball.mid().man_exp()
    with mpmath.workdps(DPS + 20):
        return mpmath.ldexp(mpmath.mpf(int(man)), int(exp))


def mp_point(point: SamplePoint) -> list[mpmath.mpf]:
    return [mp_of(b) for b in point.enclosures(4 * DPS)]


def mp_eval(p: Poly, values: list[mpmath.mpf]) -> mpmath.mpf:
    total = mpmath.mpf(0)
    for exps, c in p.terms().items():
        term = mpmath.mpf(c.numerator) / c.denominator
        for v, e in zip(values, exps, strict=False):
            if e:
                term *= v ** int(e)
        total += term
    return total


# ----------------------------------------------------------------------------------------------
# known answers
# ----------------------------------------------------------------------------------------------
def test_origin_and_rational_points() -> None:
    assert ORIGIN.dim == 0 and ORIGIN.is_rational and ORIGIN.coordinates() == ()
    p = ORIGIN.extend_rational(Fraction(1, 2)).extend_rational(3)
    assert p.dim == 2 and p.is_rational
    assert p.coordinates() == (Fraction(1, 2), Fraction(3))
    assert p.sign_at(2 * x - 1) == 0 and p.sign_at(x - y) == -1
    assert p.approx() == (0.5, 3.0)
    assert ORIGIN.sign_at(R.constant(-3)) == -1


def test_sqrt2_sqrt3_signs() -> None:
    p = sqrt_point(2, 3)
    assert p.field.degree == 4 and p.dim == 2 and not p.is_rational
    assert p.sign_at(x**2 * y**2 - 6) == 0
    assert p.sign_at(x * y - Fraction(2449489742783178, 10**15)) == 1
    assert p.sign_at(x * y - Fraction(2449489742783179, 10**15)) == -1
    assert p.sign_at(x - y) == -1
    assert p.sign_at((x + y) ** 2 - 5 - 2 * x * y) == 0
    # (sqrt3 - sqrt2)^12 is tiny but positive: the ball filter fails at low precision
    assert p.sign_at((y - x) ** 12) == 1
    assert p.sign_at((y - x) ** 12 * (x**2 - 2)) == 0
    assert p.approx() == pytest.approx((2**0.5, 3**0.5))


def test_roots_of_y2_minus_x_over_rational_point() -> None:
    p = ORIGIN.extend_rational(2)
    roots = p.real_roots([y**2 - x])
    assert as_floats(roots) == pytest.approx([-(2**0.5), 2**0.5])
    assert all(r.indices == [0] and r.minpoly == Z([-2, 0, 1]) for r in roots)
    assert p.real_roots([y**2 + x]) == []
    roots = p.real_roots([y**2 - 2 * x, y - x, y * (y - 1)])
    assert [r.value for r in roots] == [-2, 0, 1, 2]
    assert [r.indices for r in roots] == [[0], [2], [2], [0, 1]]


def test_roots_equal_to_a_coordinate() -> None:
    p = sqrt_point(2)
    roots = p.real_roots([y**2 - 2])
    assert as_floats(roots) == pytest.approx([-(2**0.5), 2**0.5])
    q = p.extend_root(roots[1])
    assert q.field.degree == 2  # sqrt2 is already in Q(sqrt2)
    assert q.sign_at(x - y) == 0 and q.sign_at(x + y) == 1
    r = p.extend_root(roots[0])
    assert r.sign_at(x + y) == 0 and r.sign_at(y) == -1


def test_rational_roots_over_irrational_point() -> None:
    p = sqrt_point(2, 8)
    assert p.field.degree == 2
    roots = p.real_roots([z**2 - x * y])
    assert [r.value for r in roots] == [-2, 2]
    assert all(r.is_rational for r in roots)
    q = p.extend_root(roots[1])
    assert q.field is p.field and q.elements[2] == P([2])
    assert q.sign_at(z - 2) == 0


def test_three_level_tower() -> None:
    # (2^(1/2), 2^(1/4), 2^(1/8)) built by lifting y^2 - x, z^2 - y
    p1 = sqrt_point(2)
    p2 = p1.extend_root(p1.real_roots([y**2 - x])[1])
    roots = p2.real_roots([z**2 - y, z - 1])
    assert as_floats(roots) == pytest.approx([-(2**0.125), 1, 2**0.125])
    p3 = p2.extend_root(roots[2])
    assert p3.field.degree == 8
    assert p3.sign_at(z**8 - 2) == 0 and p3.sign_at(z**4 - x) == 0 and p3.sign_at(z**2 - y) == 0
    assert p3.sign_at(z - Fraction(10905077326652576, 10**16)) == 1
    assert p3.sign_at(z - Fraction(10905077326652577, 10**16)) == -1
    # one more level with a polynomial involving all coordinates: w^2 = x*y*z = 2^(7/8)
    roots4 = p3.real_roots([w**2 - x * y * z])
    assert as_floats(roots4) == pytest.approx([-(2 ** (7 / 16)), 2 ** (7 / 16)])
    p4 = p3.extend_root(roots4[1])
    assert p4.sign_at(w**16 - 2**7) == 0
    assert p4.approx() == pytest.approx((2**0.5, 2**0.25, 2**0.125, 2 ** (7 / 16)))


def test_tower_of_sqrt2_sqrt3_sqrt5() -> None:
    p = sqrt_point(2, 3, 5)
    assert p.field.degree == 8
    assert p.sign_at((x * y * z) ** 2 - 30) == 0
    assert p.sign_at(x + y - z) == 1  # 3.146 > 2.236
    roots = p.real_roots([w**2 - (x + y + z)])  # +-sqrt(sqrt2 + sqrt3 + sqrt5)
    assert as_floats(roots) == pytest.approx(
        [-((2**0.5 + 3**0.5 + 5**0.5) ** 0.5), (2**0.5 + 3**0.5 + 5**0.5) ** 0.5]
    )


# ----------------------------------------------------------------------------------------------
# evaluation and Lazard evaluation
# ----------------------------------------------------------------------------------------------
def test_evaluate() -> None:
    p = sqrt_point(2)
    q = p.evaluate(x * y**2 + x**2 * y - 1)
    t = P([0, 1])
    assert q == KPoly(p.field, [P([-1]), P([2]), t])
    assert p.evaluate(x**2).degree == 0
    assert p.evaluate(x**2 - 2).is_zero


def test_lazard_hand_examples() -> None:
    p00 = SamplePoint.from_coordinates([0, 0])
    one = p00.field.element(1)
    # x*z - y: after x = 0 it is -y, which vanishes at y = 0; d/dy gives -1
    assert p00.lazard_evaluate(x * z - y).coeffs == [-one]
    # x*y*z + x^2: x-order 1 gives y*z + 2x -> y*z; y-order 1 gives z
    assert p00.lazard_evaluate(x * y * z + x**2).coeffs == [P([]), one]
    assert p00.lazard_evaluate(x**2 * y**3 * (z**2 - 2)).coeffs == [-2 * one, P([]), one]
    # (x^2 + y^2) z + x y: x-order 0 gives y^2 z; at y = 0 the y-order is 2 -> z
    assert p00.lazard_evaluate((x**2 + y**2) * z + x * y).coeffs == [P([]), one]
    # the plain evaluation would vanish; real roots use the Lazard polynomial: root 0
    assert [r.value for r in p00.real_roots([x * y * z + x**2, x * z - y])] == [0]


def test_lazard_at_algebraic_point() -> None:
    p = sqrt_point(2)
    f = x**2 - 2
    # (x^2 - 2) y + (x^2 - 2)^2 y^2 vanishes at x = sqrt2; d/dx gives 2 sqrt2 y
    q = p.lazard_evaluate(f * y + f**2 * y**2)
    assert q == KPoly(p.field, [P([]), P([0, 2])])
    pp = sqrt_point(2, 2)
    # (x - y) z^2 + (x^2 - 2) z: at x = sqrt2: (sqrt2 - y) z^2; vanishes at y = sqrt2; -> -z^2
    q = pp.lazard_evaluate((x - y) * z**2 + f * z)
    assert q == KPoly(pp.field, [P([]), P([]), P([-1])])
    # nullified at second level by a factor (y^2 - x)^3 over (sqrt2, 2^(1/4))
    p2 = p.extend_root(p.real_roots([y**2 - x])[1])
    g = (y**2 - x) ** 3 * (z - x * y) + (x**2 - 2) * z**5
    q = p2.lazard_evaluate(g)
    # at x = sqrt2: (y^2 - sqrt2)^3 (z - sqrt2 y); y-order 3 at 2^(1/4): (2y)^3 (z - sqrt2 y)
    roots = p2.real_roots([g])
    assert q.degree == 1
    assert as_floats(roots) == pytest.approx([2**0.5 * 2**0.25])


def lex_least_coefficient(p: Poly, point: tuple[Fraction, ...]) -> dict[int, Fraction]:
    """Reference Lazard residue at a rational point: shift, take the lex-least monomial."""
    k = len(point)
    shifted = p.compose([g + a for g, a in zip(R.gens[:k], point, strict=True)] + list(R.gens[k:]))
    groups: dict[tuple[int, ...], dict[int, Fraction]] = {}
    for exps, c in shifted.terms().items():
        groups.setdefault(exps[:k], {})[exps[k]] = c
    return groups[min(groups)]


@given(
    st.lists(
        st.tuples(st.integers(0, 2), st.integers(0, 2), st.integers(0, 2), st.integers(-3, 3)),
        min_size=1,
        max_size=5,
    ),
    st.tuples(st.integers(-1, 1), st.integers(-1, 1)),
    st.integers(0, 2),
    st.integers(0, 2),
)
def test_lazard_matches_definition_at_rational_points(
    terms: list[tuple[int, int, int, int]], point: tuple[int, int], ex: int, ey: int
) -> None:
    base = R.from_dict({(a, b, c, 0): k for a, b, c, k in terms})
    assume(not base.is_zero)
    a, b = point
    # multiply by powers of vanishing factors so that nullification happens often
    p = base * (x - a) ** ex * (y - b + (x - a)) ** ey
    pt = SamplePoint.from_coordinates([a, b])
    q = pt.lazard_evaluate(p)
    expected = lex_least_coefficient(p, (Fraction(a), Fraction(b)))
    got = {j: pt.field.as_fraction(c) for j, c in enumerate(q.coeffs) if not c.is_zero()}
    assert got == expected


# ----------------------------------------------------------------------------------------------
# bad input and misc API
# ----------------------------------------------------------------------------------------------
def test_bad_input() -> None:
    p = sqrt_point(2)
    with pytest.raises(InputError):
        p.sign_at(x * y)
    with pytest.raises(InputError):
        p.evaluate(x * z)
    with pytest.raises(InputError):
        p.lazard_evaluate(R.zero())
    with pytest.raises(InputError):
        p.real_roots([z - x])
    with pytest.raises(InputError):
        p.sign_at("x")  # type: ignore[arg-type]
    with pytest.raises(InputError):
        ORIGIN.extend_rational(0.5)
    with pytest.raises(InputError):
        SamplePoint.from_coordinates(["sqrt2"])
    with pytest.raises(InputError):
        sqrt_point(2, 3).sign_at(PolyRing(("x",)).gen(0))


def test_sample_between() -> None:
    p = ORIGIN.extend_rational(2)
    roots = p.real_roots([y**2 - x, y - 1])
    gaps = [p.sample_between(a, b) for a, b in itertools.pairwise([None, *roots, None])]
    assert gaps[0] < -(2**0.5) and gaps[-1] > 2**0.5
    assert -(2**0.5) < gaps[1] < 1 < gaps[2] < 2**0.5
    assert gaps[1] == 0 and gaps[0] == -2 and gaps[-1] == 2
    assert p.sample_between(None, None) == 0
    with pytest.raises(InputError):
        p.sample_between(roots[1], roots[0])


def test_coordinates_and_root_values() -> None:
    p = sqrt_point(2, 3)
    a, b = p.coordinates()
    assert float(a) == pytest.approx(2**0.5) and float(b) == pytest.approx(3**0.5)
    roots = p.real_roots([z**2 - x * y])
    vals = root_values(roots)
    assert [float(v) for v in vals] == pytest.approx([-(6**0.25), 6**0.25])
    q = SamplePoint.from_coordinates([a, Fraction(1, 3), b])
    assert q.sign_at(x**2 * z**2 - 6) == 0 and q.coordinates()[1] == Fraction(1, 3)
    assert "SamplePoint" in repr(q) and "Root" in repr(roots[0])


# ----------------------------------------------------------------------------------------------
# random points against high-precision numerics
# ----------------------------------------------------------------------------------------------
small_coeff = st.integers(-3, 3)


@st.composite
def algebraic_points(draw: st.DrawFn) -> SamplePoint:
    """Sample points of dimension 1 or 2 reached by lifting random small polynomials."""
    point = ORIGIN
    dim = draw(st.integers(1, 2))
    for level in range(dim):
        v = R.gens[level]
        deg = draw(st.integers(1, 3))
        terms = {}
        for d in range(deg + 1):
            e = [0, 0, 0, 0]
            e[level] = d
            terms[tuple(e)] = draw(small_coeff) if d < deg else draw(st.sampled_from([1, 2, -1]))
        f = R.from_dict(terms)
        if level == 1:
            f = f + draw(small_coeff) * x * v + draw(small_coeff) * x
        roots = point.real_roots([f])
        assume(roots)
        point = point.extend_root(roots[draw(st.integers(0, len(roots) - 1))])
    return point


def random_poly(draw: st.DrawFn, nvars: int, max_terms: int = 5) -> Poly:
    terms = draw(
        st.lists(
            st.tuples(*[st.integers(0, 2)] * nvars, small_coeff), min_size=1, max_size=max_terms
        )
    )
    return R.from_dict({tuple(t[:nvars]) + (0,) * (4 - nvars): t[-1] for t in terms})


@given(algebraic_points(), st.data())
def test_signs_against_numerics(point: SamplePoint, data: st.DataObject) -> None:
    k = point.dim
    p = random_poly(data.draw, k)
    vals = mp_point(point)
    with mpmath.workdps(DPS):
        v = mp_eval(p, vals)
        s = point.sign_at(p)
        if abs(v) > mpmath.mpf(10) ** -40:
            assert s == (1 if v > 0 else -1)
        else:  # small integer data: a value this small is exactly zero
            assert s == 0
    # exact zeros: multiply by the minimal polynomial of the last coordinate
    last = point.coordinates()[-1]
    minpoly = Z([-last.numerator, last.denominator]) if isinstance(last, Fraction) else last.minpoly
    rel = Poly.from_univariate(Z(minpoly.coeffs()), R, k - 1)
    assert point.sign_at(rel * p) == 0
    assert point.sign_at(rel * p + 1) == 1


@given(algebraic_points(), st.data())
def test_real_roots_against_numerics(point: SamplePoint, data: st.DataObject) -> None:
    k = point.dim
    polys = [random_poly(data.draw, k + 1, 4) for _ in range(data.draw(st.integers(1, 2)))]
    nxt = R.gens[k]
    polys = [p + nxt * data.draw(small_coeff) for p in polys]
    assume(all(not p.is_zero for p in polys))
    roots = point.real_roots(polys)
    vals = mp_point(point)
    with mpmath.workdps(DPS):
        numeric: list[mpmath.mpf] = []
        for p in polys:
            coeffs = [mp_eval(c, vals) for c in p.coeffs_in(k)]
            while coeffs and abs(coeffs[-1]) < mpmath.mpf(10) ** -40:
                coeffs.pop()  # small integer data: such a coefficient is exactly zero
            assume(coeffs)  # nullified polynomials are covered by the Lazard tests
            if len(coeffs) < 2:
                continue
            zs = mpmath.polyroots(list(reversed(coeffs)), maxsteps=500, extraprec=600)
            assume(all(abs(mpmath.im(c)) < 1e-30 or abs(mpmath.im(c)) > 1e-10 for c in zs))
            numeric.extend(mpmath.re(c) for c in zs if abs(mpmath.im(c)) < 1e-30)
        numeric.sort()
        distinct: list[mpmath.mpf] = []
        for r in numeric:
            if not distinct or abs(r - distinct[-1]) > 1e-20:
                distinct.append(r)
        assume(all(b - a > 1e-10 for a, b in itertools.pairwise(distinct)))
        assert len(roots) == len(distinct)
        for r, n in zip(roots, distinct, strict=True):
            assert abs(mp_of(r.enclosure(4 * DPS)) - n) < 1e-18
            for i in r.indices:
                assert abs(mp_eval(polys[i], [*vals, mp_of(r.enclosure(4 * DPS))])) < 1e-30
    # lifting to a root keeps signs exact: the vanishing polynomials are zero there
    for r in roots[:2]:
        lifted = point.extend_root(r)
        for i in r.indices:
            assert lifted.sign_at(polys[i]) == 0


def test_primitive_element_degree_36() -> None:
    # (sqrt2, sqrt3, root of z^3 - x z - y) has degree 12; adjoining a cubic root over it needs
    # the tower-basis construction (Euclid over the degree-36 field would be far too slow).
    p = sqrt_point(2, 3)
    p3 = p.extend_root(p.real_roots([z**3 - x * z - y])[-1])
    assert p3.field.degree == 12
    f = w**3 - z * w - x - 1
    roots = p3.real_roots([f])
    assert len(roots) == 1
    p4 = p3.extend_root(roots[0])
    assert p4.field.degree == 36
    assert p4.sign_at(f) == 0 and p4.sign_at(z**3 - x * z - y) == 0
    assert p4.sign_at(x**2 - 2) == 0 and p4.sign_at(w) == 1


@given(algebraic_points(), st.data())
def test_lazard_is_multiplicative(point: SamplePoint, data: st.DataObject) -> None:
    # The Lazard residue is the lex-least Taylor coefficient, so it is multiplicative; multiplying
    # by powers of the coordinates' minimal polynomials forces nullification.
    k = point.dim
    f = random_poly(data.draw, k + 1, 4)
    g = random_poly(data.draw, k + 1, 3)
    assume(not f.is_zero and not g.is_zero)
    for i, c in enumerate(point.coordinates()):
        mp = Z([-c.numerator, c.denominator]) if isinstance(c, Fraction) else c.minpoly
        rel = Poly.from_univariate(Z(mp.coeffs()), R, i)
        g = g * rel ** data.draw(st.integers(0, 2))
    lf, lg = point.lazard_evaluate(f), point.lazard_evaluate(g)
    assert point.lazard_evaluate(f * g) == lf * lg
    assert not lg.is_zero
