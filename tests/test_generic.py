"""Generic-answer rules of the pre-pass: one atom in one variable, conics through a point.

Both rules are checked against z3's decisions at rational points, on hypothesis-generated
problems in which the rules are forced (``GENERIC_MIN_FREE = 0``), against the CAD without any
pre-pass on a problem with vanishing leading coefficients, and on Kahan's full ellipse-in-disk
problem, which only they solve.
"""

from __future__ import annotations

import contextlib
import itertools
from fractions import Fraction

import pytest
import sympy
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from test_qe import KAHAN_INSTANCES, kahan

from semialg.logic import And, Atom, Exists, Or
from semialg.logic.formula import as_formula
from semialg.poly import PolyRing
from semialg.qe import prepass
from semialg.qe.api import qe_detailed
from semialg.qe.conic import rational_point
from semialg.qe.result import Unknown
from semialg.qe.univariate import exists_atom
from semialg.qe.vs import reduce_atom

RING = PolyRing(["a", "b", "x", "y"])
A, B, X, Y = RING.gens
VALUES = (-2, -1, Fraction(-1, 2), 0, Fraction(1, 3), 1, 2)


def agree_at_points(found, reference, free, values=VALUES):
    """``found`` and ``reference`` agree at every point of a grid of the free variables."""
    for point in itertools.product(values, repeat=len(free)):
        env = dict(zip(free, point, strict=True))
        got = found.evaluate({k: v for k, v in env.items() if k in found.ring.names})
        ref = reference.evaluate({k: v for k, v in env.items() if k in reference.ring.names})
        assert got == ref, (env, str(found), str(reference))


def agree_with_z3(formula, answer, free, values=(-2, Fraction(-1, 2), 0, 1, 2)):
    """z3's decisions of ``formula`` at a grid of the free variables match ``answer``."""
    pytest.importorskip("z3")
    from semialg.testing.oracles import check_qe_at_points

    points = [dict(zip(free, pt, strict=True)) for pt in itertools.product(values, repeat=2)]
    report = check_qe_at_points(formula, answer, points, timeout=5)
    assert report.agreed >= report.checked - 2, report


def reference_answer(formula, seconds=3.0):
    """The CAD's answer without pre-passes, or skip the example if it runs out of time."""
    res = qe_detailed(formula, prepass=False, budget=seconds)
    assume(not isinstance(res.answer, Unknown))
    return as_formula(res.answer) if not isinstance(res.answer, bool) else res.answer


linear_in_ab = st.tuples(*(st.integers(-2, 2) for _ in range(3))).map(
    lambda c: A * c[0] + B * c[1] + c[2]
)
RELATIONS = ("<", "<=", ">", ">=", "=", "!=")


@settings(
    max_examples=20, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]
)
@given(st.lists(linear_in_ab, min_size=2, max_size=5), st.sampled_from(RELATIONS))
def test_one_atom_in_one_variable_matches_z3(coeffs, rel):
    # The CAD without pre-passes often needs more than 3 s for a quartic in x whose coefficients
    # are linear in a, b; z3 decides each instance at once.
    poly = sum((g * X**i for i, g in enumerate(coeffs)), RING.zero())
    assume(poly.degree("x") >= 1)
    atom = Atom(poly, rel)
    agree_with_z3(Exists(["x"], atom), exists_atom(atom, "x"), ["a", "b"])


def test_one_atom_with_vanishing_leading_coefficients():
    # (a - 1) x^4 + a x^3 - x + b > 0: at a = 1 the quartic drops to a cubic
    atom = Atom((A - 1) * X**4 + A * X**3 - X + B, ">")
    found = exists_atom(atom, "x")
    assert found.evaluate({"a": 1, "b": 0}) is True
    assert found.evaluate({"a": 2, "b": -5}) is True  # leading coefficient positive
    # a = 0: the maximum of -x^4 - x is 3 / 4^(4/3) = 0.4724..., so b > -0.4724... decides
    assert found.evaluate({"a": 0, "b": Fraction(-47, 100)}) is True
    assert found.evaluate({"a": 0, "b": Fraction(-48, 100)}) is False
    reference = qe_detailed(Exists(["x"], atom), prepass=False, budget=60).answer
    agree_at_points(found, as_formula(reference), ["a", "b"])


def test_reduced_atom_keeps_the_relation():
    f = (A - B) ** 2 * (A + 1) * (B - 2) ** 3
    for rel in RELATIONS:
        split = reduce_atom(Atom(f, rel))
        for a_, b_ in itertools.product(VALUES, repeat=2):
            env = {"a": a_, "b": b_}
            assert split.evaluate(env) == Atom(f, rel).evaluate(env), (rel, env, str(split))


def test_rational_point_of_kahans_ellipse():
    ring = PolyRing(["a", "b", "c", "d", "x", "y"])
    a, b, c, d, x, y = ring.gens
    e = b**2 * (x - c) ** 2 + a**2 * (y - d) ** 2 - a**2 * b**2
    x0, y0 = rational_point(e, "x", "y")
    images = [a, b, c, d, x0, y0]
    assert e.compose(images).is_zero
    assert rational_point(x**2 + y**2 - a, "x", "y") is None  # no polynomial point exists


# A conic with a vertical tangent at the point P = (x0, y0) (linear in a, b), in the shifted
# coordinates u = x - x0, v = y - y0: E = k1 u^2 + k2 u v + k3 v^2 + k5 v with k1 != 0 (no term in
# u alone). The discriminant of E in x then has the factor v, which is how the pre-pass finds P.
small = st.integers(-2, 2)


@st.composite
def conic_problems(draw):
    x0 = A * draw(small) + draw(small)
    y0 = B * draw(small) + draw(small)
    u, v = X - x0, Y - y0
    k1 = draw(st.sampled_from((-2, -1, 1, 2)))
    e = k1 * u**2 + draw(small) * u * v + draw(small) * v**2 + draw(linear_in_ab) * v
    # Strict relations: after the substitution the conditions s != 0 and Q(t) != 0 are then
    # dropped as open conditions and one atom in t is left (a CAD would be slow here).
    phis = [
        Atom(X**2 + Y**2 - 4, draw(st.sampled_from(("<", ">")))),
        Atom(X - Y + draw(small), draw(st.sampled_from(("<", ">", "!=")))),
        Atom(X * Y - A, draw(st.sampled_from((">", "<")))),
    ]
    phi = draw(st.sampled_from(phis))
    if draw(st.booleans()):
        phi = Or(phi, draw(st.sampled_from(phis)))
    return Exists(["x", "y"], And(Atom(e, "="), phi))


@contextlib.contextmanager
def generic_rules_forced():
    """Use the generic-answer rules whatever the number of free variables."""
    old = prepass.GENERIC_MIN_FREE
    prepass.GENERIC_MIN_FREE = 0
    try:
        yield
    finally:
        prepass.GENERIC_MIN_FREE = old


@settings(
    max_examples=20, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]
)
@given(conic_problems())
def test_conic_through_a_point_matches_z3(formula):
    with generic_rules_forced():
        res = qe_detailed(formula, budget=60)
    assume(any(n.startswith("conic") for n in res.notes))
    assert not isinstance(res.answer, Unknown), res.answer
    agree_with_z3(formula, res, ["a", "b"])


def test_kahan_full_problem():
    # Kahan's ellipse-in-disk problem with all four parameters free (QEPCAD B does not finish):
    # the conic rule parametrises the ellipse from its top point (c, d + b), and Lazard's quartic
    # answer, computed by the engine, is instantiated.
    a_, b_, c_, d_ = sympy.symbols("a b c d", real=True)
    res = qe_detailed(kahan(a_, b_, c_, d_), budget=120)
    assert not isinstance(res.answer, Unknown)
    assert any(n.startswith("conic") for n in res.notes)
    assert any("generic answer instantiated" in n for n in res.notes)
    answer = as_formula(res.answer)
    touching = [  # tangent circles of radius 1/4 (centre at distance 3/4) and near misses
        (Fraction(1, 4), Fraction(1, 4), Fraction(9, 20), Fraction(3, 5), True),
        (Fraction(1, 4), Fraction(1, 4), Fraction(9, 20), Fraction(601, 1000), False),
        (Fraction(1, 2), Fraction(1, 4), Fraction(-1, 2), 0, True),
    ]
    for a0, b0, c0, d0, inside in list(KAHAN_INSTANCES) + touching:
        env = {"a": a0, "b": b0, "c": c0, "d": d0}
        assert answer.evaluate(env) is inside, env


def test_kahan_full_problem_against_z3():
    pytest.importorskip("z3")
    import random

    from semialg.testing.oracles import check_qe_at_points

    a_, b_, c_, d_ = sympy.symbols("a b c d", real=True)
    formula = kahan(a_, b_, c_, d_)
    res = qe_detailed(formula, budget=120)
    rng = random.Random(7)
    points = [
        {
            "a": Fraction(rng.randint(1, 12), 16),
            "b": Fraction(rng.randint(1, 12), 16),
            "c": Fraction(rng.randint(-12, 12), 16),
            "d": Fraction(rng.randint(-12, 12), 16),
        }
        for _ in range(40)
    ]
    report = check_qe_at_points(formula, res, points, timeout=20)
    assert report.agreed >= 35
    truths = {as_formula(res.answer).evaluate(p) for p in points}
    assert truths == {True, False}  # both outcomes are exercised


def test_generic_rules_wait_for_three_free_variables():
    # Kahan's problem with fixed semi-axes (two free variables) stays with the CAD, whose
    # solution formula is simpler.
    c_, d_ = sympy.symbols("c d", real=True)
    res = qe_detailed(kahan(sympy.Rational(1, 2), sympy.Rational(1, 4), c_, d_))
    assert not any(n.startswith("conic") for n in res.notes)


def test_conic_point_on_the_vertical_line_through_the_base_point():
    # The circle (x - a)^2 + (y - b)^2 = 1 is parametrised from a point (a, b +- 1); the only
    # point with (x - a)^2 <= 0 and y^3 < b^3 is (a, b - 1), on the vertical line through the
    # base point, which the lines P + s (1, t) miss. (The cube keeps virtual substitution out.)
    ring = PolyRing(["a", "b", "x", "y"])
    a, b, x, y = ring.gens
    circle = Atom((x - a) ** 2 + (y - b) ** 2 - 1, "=")
    f = Exists(["x", "y"], And(circle, Atom((x - a) ** 2, "<="), Atom(y**3 - b**3, "<")))
    with generic_rules_forced():
        res = qe_detailed(f, budget=60)
    assert any(n.startswith("conic") for n in res.notes)
    assert res.answer is True or str(res.answer) == "TRUE"


def test_open_conditions_keep_the_polynomial_not_identically_zero():
    # exists t (t^3 + t > a and a t != 0): the open part always has solutions, but a t is
    # identically zero in t where a = 0.
    ring = PolyRing(["a", "t"])
    a, t = ring.gens
    f = Exists(["t"], And(Atom(t**3 + t - a, ">"), Atom(a * t, "!=")))
    with generic_rules_forced():
        res = qe_detailed(f, budget=60)
    assert any(n.startswith("open condition") for n in res.notes)
    answer = as_formula(res.answer)
    assert answer.evaluate({"a": 0}) is False
    assert answer.evaluate({"a": 1}) is True and answer.evaluate({"a": -3}) is True


def test_generic_answer_counts_against_the_callers_budget():
    from semialg.cad.budget import Budget
    from semialg.qe.univariate import generic_answer

    ring = PolyRing(["p", "q", "r", "x"])
    p, q, r, x = ring.gens
    f = Exists(["x"], Atom(x**4 + p * x**2 + q * x + r, "<"))
    generic_answer.cache_clear()
    res = qe_detailed(f, budget=Budget(cells=5))
    assert isinstance(res.answer, Unknown) and "generic answer" in res.answer.reason
    res = qe_detailed(f)  # computed now, and kept for the process
    assert any("generic answer instantiated" in n for n in res.notes)
    assert as_formula(res.answer).evaluate({"p": 0, "q": 0, "r": -1}) is True
    assert as_formula(res.answer).evaluate({"p": 0, "q": 0, "r": 1}) is False
