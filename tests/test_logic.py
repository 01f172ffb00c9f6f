"""Tests of semialg.logic: data model, normal forms, simplification, evaluation, SymPy, z3."""

from __future__ import annotations

import itertools
import pickle
from fractions import Fraction

import pytest
import sympy
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from semialg.errors import InputError, InputTypeError
from semialg.logic import (
    FALSE,
    RELATIONS,
    TRUE,
    And,
    Atom,
    Equivalent,
    Exists,
    ForAll,
    Formula,
    Implies,
    Not,
    Or,
    QuantifiedFormula,
    evaluate,
    from_sympy,
    nnf,
    prenex,
    simplify,
    to_sympy,
)
from semialg.logic.normal_forms import rename_apart
from semialg.poly import Poly, PolyRing

x, y, z, w = sympy.symbols("x y z w", real=True)
R = PolyRing(("x", "y", "z", "w"))
X, Y, Z, W = R.gens


# -- strategies (to move to semialg.testing later) ---------------------------------------------
def coefficients(rational: bool = True) -> st.SearchStrategy[Fraction]:
    if rational:
        return st.fractions(min_value=-5, max_value=5, max_denominator=3)
    return st.integers(-5, 5).map(Fraction)


def polynomials(
    names: tuple[str, ...] = ("x", "y", "z", "w"),
    max_degree: int = 4,
    max_terms: int = 4,
    rational: bool = True,
) -> st.SearchStrategy[Poly]:
    """Random polynomials in ``names`` of total degree <= ``max_degree``."""
    ring = PolyRing(names)

    @st.composite
    def exponents(draw) -> tuple[int, ...]:
        budget = draw(st.integers(0, max_degree))
        out = []
        for _ in names:
            e = draw(st.integers(0, budget))
            budget -= e
            out.append(e)
        return tuple(out)

    terms = st.dictionaries(exponents(), coefficients(rational), max_size=max_terms)
    return terms.map(ring.from_dict)


@st.composite
def formulas(
    draw,
    names: tuple[str, ...] = ("x", "y", "z", "w"),
    max_depth: int = 4,
    quantifiers: bool = True,
    max_degree: int = 4,
) -> Formula:
    """Random formulas over ``names`` (depth <= ``max_depth``), with or without quantifiers."""
    polys = polynomials(names, max_degree=max_degree, max_terms=3)
    kinds = ["not", "and", "or", "implies", "equivalent"]
    if quantifiers:
        kinds += ["exists", "forall"]

    def go(depth: int) -> Formula:
        if depth == 0 or draw(st.integers(0, 3)) == 0:
            if draw(st.integers(0, 9)) == 0:
                return draw(st.sampled_from([TRUE, FALSE]))
            return Atom(draw(polys), draw(st.sampled_from(RELATIONS)))
        kind = draw(st.sampled_from(kinds))
        if kind == "not":
            return Not(go(depth - 1))
        if kind in ("and", "or"):
            n = draw(st.integers(2, 3))
            return (And if kind == "and" else Or)(*(go(depth - 1) for _ in range(n)))
        if kind in ("implies", "equivalent"):
            return (Implies if kind == "implies" else Equivalent)(go(depth - 1), go(depth - 1))
        vs = draw(st.lists(st.sampled_from(names), min_size=1, max_size=2, unique=True))
        return (Exists if kind == "exists" else ForAll)(vs, go(depth - 1))

    return go(max_depth)


def points(names: tuple[str, ...] = ("x", "y", "z", "w")) -> st.SearchStrategy[dict]:
    """Rational points; small integers are frequent so that atoms often sit on their boundary."""
    value = st.one_of(
        st.sampled_from([Fraction(-1), Fraction(0), Fraction(1)]),
        st.fractions(min_value=-3, max_value=3, max_denominator=4),
    )
    return st.fixed_dictionaries({n: value for n in names})


def _restrict(point: dict, f: Formula) -> dict:
    return {k: v for k, v in point.items() if k in f.ring.names}


# -- data model --------------------------------------------------------------------------------
def test_atom_normalisation_and_folding():
    assert Atom(2 * X - 4, "<") == Atom(X - 2, "<")
    assert Atom(X / 3 - Fraction(1, 2), ">=").poly == 2 * X - 3
    a = Atom(-2 * X, "<")
    assert a.poly == -X and a.rel == "<"  # only positive scaling: the sign is kept
    assert Atom(R.constant(0), "<=") is TRUE
    assert Atom(R.constant(-3), ">") is FALSE
    assert Atom(R.constant(Fraction(1, 2)), "!=") is TRUE
    assert Atom("x^2 - 1", "/=").rel == "!="
    with pytest.raises(InputError, match="unknown relation"):
        Atom(X, "=<>")


def test_structural_equality_is_ring_independent_and_hashable():
    f = Atom(PolyRing(("x", "y")).parse("x*y - 1"), "<")
    g = Atom(PolyRing(("y", "x")).parse("y*x - 1"), "<")
    assert f == g and hash(f) == hash(g)
    assert And(f, TRUE) != And(TRUE, f)  # argument order matters
    assert len({f, g, Not(f), Not(g)}) == 2
    with pytest.raises(AttributeError):
        f.rel = ">"  # type: ignore[misc]
    h = Exists("y", And(f, Atom("x + y", "=")))
    assert pickle.loads(pickle.dumps(h)) == h


def test_ring_merging_order_of_first_appearance():
    f = Atom(PolyRing(("y", "x")).parse("x - y"), "<")
    g = Atom(PolyRing(("x", "z")).parse("x*z"), ">")
    h = And(f, g)
    assert h.ring.names == ("y", "x", "z")
    assert all(a.poly.ring is h.ring for a in h.atoms())
    assert Or(g, f).ring.names == ("x", "z", "y")
    assert Exists("t", f).ring.names == ("y", "x", "t")


def test_constructors_with_sympy_and_degenerate_arity():
    f = Exists([y], x**2 + y**2 < 1)
    assert isinstance(f, Exists) and f.vars == ("y",)
    assert f.free_variables() == ("x",) and f.variables() == ("x", "y")
    assert And() is TRUE and Or() is FALSE and And(x > 0) == from_sympy(x > 0)
    assert Exists([], x > 0) == from_sympy(x > 0)
    assert (from_sympy(x > 0) & (y < 0)) == And(x > 0, y < 0)
    assert (from_sympy(x > 0) & (y < 0) & (z < 0)).args == And(x > 0, y < 0, z < 0).args
    assert (~from_sympy(x > 0)) == Not(x > 0)
    assert (from_sympy(x > 0) >> (y > 0)) == Implies(x > 0, y > 0)
    with pytest.raises(InputTypeError, match="separate arguments"):
        And([x > 0, y > 0])
    with pytest.raises(InputTypeError, match="Python bool"):
        And(x > 0, x == 0)  # SymPy's == is structural and gives False
    with pytest.raises(InputError, match="duplicated"):
        Exists([y, y], y > 0)


def test_variables_free_and_bound():
    f = And(Exists(y, x * y > 0), y > 1, ForAll(z, z**2 > 1))
    assert f.free_variables() == ("x", "y")
    assert f.bound_variables() == ("y", "z")
    assert f.variables() == ("x", "y", "z")
    assert not f.is_sentence() and not f.is_quantifier_free() and not f.is_prenex()
    assert ForAll([x, y], x * y > 0).is_sentence()
    assert Exists(y, And(x > 0, y > 0)).is_prenex()
    assert [str(p) for p in f.polynomials()] == ["x*y", "y - 1", "z^2 - 1"]
    assert len(And(x > 0, Or(x > 0, y < 0)).atoms()) == 2


def test_str_and_repr():
    f = Exists(y, And(x**2 + y**2 < 1, Not(x * y > 0)))
    assert str(f) == r"(E y)[x^2 + y^2 - 1 < 0 /\ [~ x y > 0]]"
    assert repr(Atom("2*x - 4", "<")) == "Atom('x - 2', '<')"
    ns = {"Atom": Atom, "And": And, "Not": Not, "Exists": Exists, "TRUE": TRUE}
    assert eval(repr(f), ns) == f
    assert str(ForAll(x, Exists(y, x < y))) == "(A x)(E y) x - y < 0"


# -- normal forms ------------------------------------------------------------------------------
def test_nnf_known_answers():
    f = Not(Implies(x > 0, Exists(y, x * y > 1)))
    assert nnf(f) == And(x > 0, ForAll(y, x * y - 1 <= 0))
    g = Not(Equivalent(x > 0, y >= 0))
    assert nnf(g) == Or(And(x > 0, y < 0), And(x <= 0, y >= 0))
    assert nnf(Not(Not(x > 0))) == from_sympy(x > 0)
    assert nnf(Not(TRUE)) is FALSE
    assert nnf(Not(Or(x < 0, Not(y > 0)))) == And(x >= 0, y > 0)


def test_prenex_known_answers():
    f = And(x > 0, Exists(x, x < 0))
    pf = prenex(f)
    assert pf.prefix == [("exists", ("x1",))]
    assert pf.matrix == And(x > 0, Atom("x1", "<"))
    assert pf.to_formula().ring.names == ("x", "x1")
    # minimal interleaving: E a A b P  /\  A c Q  needs two blocks
    g = And(Exists(z, ForAll(w, z * w > x)), ForAll(y, x * y < 1))
    assert prenex(g).prefix == [("exists", ("z",)), ("forall", ("w", "y"))]
    # negation and implication premises dualise
    h = Implies(Exists(y, x * y > 1), Not(ForAll(z, z > x)))
    assert prenex(h).prefix == [("forall", ("y",)), ("exists", ("z",))]
    # an equivalence with a quantified side is expanded, copies renamed apart
    e = Equivalent(Exists(y, x * y > 1), x > 0)
    pe = prenex(e)
    assert pe.prefix == [("forall", ("y",)), ("exists", ("y1",))]
    assert pe.to_formula().is_prenex()
    assert prenex(Exists(y, x > y)).to_formula() == Exists(y, x > y)
    q = prenex(from_sympy(x > 0))
    assert q.prefix == [] and q.matrix == from_sympy(x > 0)


def test_rename_apart_is_deterministic():
    f = And(Exists(y, y > 0), Exists(y, y < 0), y > 2, Exists("y1", Atom("y1", "=")))
    g = rename_apart(f)
    assert str(g) == r"[(E y2) y2 > 0] /\ [(E y3) y3 < 0] /\ y - 2 > 0 /\ [(E y1) y1 = 0]"
    assert rename_apart(f) == g


def test_substitute():
    f = And(x**2 + y < 1, Exists(y, x * y > 1))
    assert f.substitute({x: 2}) == And(y + 3 < 0, Exists(y, 2 * y > 1))
    assert f.substitute({"x": Fraction(1, 2)}).substitute({y: 0}) == And(TRUE, Exists(y, y > 2))
    # capture avoidance: y in the value is free, so the bound y is renamed
    g = Exists(y, x < y).substitute({x: y + 1})
    assert g == Exists("y1", Atom("y + 1 - y1", "<"))
    # bound occurrences are left alone
    assert Exists(x, x > 0).substitute({x: 5}) == Exists(x, x > 0)
    # polynomial values from SymPy and Poly, exact floats
    assert from_sympy(x > y).substitute({x: z**2}) == from_sympy(z**2 > y)
    assert from_sympy(x > 0).substitute({x: 0.5}) is TRUE
    with pytest.raises(InputError, match="not a variable"):
        f.substitute({"q": 1})
    with pytest.raises(InputTypeError):
        f.substitute({x: True})
    with pytest.raises(InputError, match="non-polynomial"):
        f.substitute({x: sympy.sin(y)})


def test_simplify_known_answers():
    assert simplify(And(x < 0, x > 0)) is FALSE
    assert simplify(And(x < 0, -x < 0)) is FALSE
    assert simplify(Or(x < 0, x >= 0)) is TRUE
    assert simplify(And(x <= 0, -x <= 0)) == from_sympy(sympy.Eq(x, 0))
    assert simplify(Or(x < 0, sympy.Eq(x, 0))) == from_sympy(x <= 0)
    assert simplify(Or(x < 0, x > 0, y > 0)) == Or(sympy.Ne(x, 0), y > 0)
    assert simplify(And(x > 0, And(y > 0, x > 0), TRUE)) == And(x > 0, y > 0)
    assert simplify(Or(Exists(y, x * y > 1), Not(Exists(y, x * y > 1)))) is TRUE
    assert simplify(Implies(x > 0, x > 0)) is TRUE
    assert simplify(Implies(x > 0, FALSE)) == from_sympy(x <= 0)
    assert simplify(Equivalent(x > 0, x <= 0)) is FALSE
    assert simplify(Exists([x, y], Exists(z, x * z > 1))) == Exists((x, z), x * z > 1)
    assert simplify(ForAll(y, TRUE)) is TRUE
    assert simplify(Not(Not(x > 0))) == from_sympy(x > 0)


# -- evaluation --------------------------------------------------------------------------------
def test_evaluate_rational_points():
    f = And(x**2 + y**2 < 1, Or(x > y, sympy.Eq(x, 0)))
    assert evaluate(f, {x: Fraction(1, 2), y: 0})
    assert not evaluate(f, {"x": 0.75, "y": 0.75})
    assert evaluate(f, {"x": 0, "y": sympy.Rational(1, 2)})
    assert evaluate(Implies(x > 0, Equivalent(y > 0, x * y > 0)), {x: 3, y: -1})
    assert evaluate(TRUE, {})
    with pytest.raises(InputError, match="quantifier-free"):
        evaluate(Exists(y, x > y), {x: 1})
    with pytest.raises(InputError, match="no value for the free variable"):
        evaluate(f, {x: 1})
    assert evaluate(f, {x: 0, y: 0, "q": 2})  # other names are ignored
    with pytest.raises(InputError, match=r"no value for the free variable\(s\) \['y'\]"):
        evaluate(f, {x: 1, "yy": 1})  # a misspelt name leaves y without a value
    with pytest.raises(InputError, match="given twice"):
        evaluate(f, {x: 1, "x": 1, y: 0})
    with pytest.raises(InputTypeError, match="boolean"):
        evaluate(f, {x: True, y: 1})
    with pytest.raises(InputTypeError, match="not real"):
        evaluate(f, {x: sympy.I, y: 1})
    with pytest.raises(InputTypeError, match="RealAlgebraic"):
        evaluate(f, {x: [1], y: 1})
    with pytest.raises(InputTypeError, match="not an exact real number"):
        evaluate(f, {x: "1", y: 1})


class _DuckAlgebraic:
    """The minimal interface SamplePoint reads (minimal polynomial and isolating interval)."""

    def __init__(self, coeffs, lo, hi):
        import flint

        self.minpoly = flint.fmpz_poly(coeffs)
        self.interval = (Fraction(lo), Fraction(hi))


def _check_sqrt2(sqrt2) -> None:
    assert evaluate(And(sympy.Eq(x**2, 2), x > 0), {x: sqrt2})
    assert not evaluate(x**2 < 2, {x: sqrt2})
    assert not evaluate(x**2 - 2 * y**2 > 0, {x: sqrt2, y: 1})  # 2 - 2 = 0
    assert evaluate(x * y > 1, {x: sqrt2, y: 1})
    assert evaluate(sympy.Eq(x * x - y, 0), {x: sqrt2, y: 2})
    assert evaluate(x * z > 1, {x: sqrt2, z: sqrt2})  # 2 > 1, in Q(sqrt 2)
    assert not evaluate(x * z > 1, {x: sqrt2, z: Fraction(1, 2)})


def test_evaluate_algebraic_points_duck_typed():
    pytest.importorskip("semialg.algebraic.sample")
    _check_sqrt2(_DuckAlgebraic([-2, 0, 1], 1, 2))


def test_evaluate_algebraic_points():
    ra = pytest.importorskip("semialg.algebraic.real_algebraic")
    _check_sqrt2(ra.RealAlgebraic.root_of(R.parse("x^2 - 2"), 1))
    _check_sqrt2(sympy.sqrt(2))  # SymPy algebraic numbers are converted
    cbrt2 = ra.RealAlgebraic.root_of(R.parse("x^3 - 2"), 0)
    f = from_sympy(sympy.Eq(x**6, 4 * y**2))
    assert evaluate(f, {x: cbrt2, y: 1}) and not evaluate(f, {x: cbrt2, y: 2})
    assert evaluate(x**3 * y > 2 * y - 1, {x: cbrt2, y: sympy.sqrt(3)})


# -- SymPy -------------------------------------------------------------------------------------
def test_from_sympy_connectives():
    assert from_sympy(sympy.Xor(x > 0, y > 0)) == Not(Equivalent(x > 0, y > 0))
    ite = from_sympy(sympy.ITE(x > 0, y > 0, y < 0))
    assert ite == Or(And(x > 0, y > 0), And(Not(x > 0), y < 0))
    assert from_sympy(sympy.true) is TRUE and from_sympy(sympy.false) is FALSE
    assert from_sympy(sympy.Eq(x > 0, y > 0, evaluate=False)) == Equivalent(x > 0, y > 0)
    assert from_sympy(sympy.Nor(x > 0, y > 0)) == Not(Or(x > 0, y > 0))
    lt = from_sympy(sympy.Lt(x**2, y + 1))
    assert isinstance(lt, Atom) and lt.rel == "<" and str(lt.poly) == "x^2 - y - 1"
    assert from_sympy(x < y, variables=[y, x]).ring.names == ("y", "x")
    assert from_sympy(sympy.Symbol("x10") > sympy.Symbol("x2")).ring.names == ("x2", "x10")
    f = from_sympy(0.1 * x < 1)  # floats are the rationals they are
    assert f == Atom(R.from_dict({(1, 0, 0, 0): Fraction(0.1), (0, 0, 0, 0): -1}), "<")


@pytest.mark.parametrize(
    ("expr", "match"),
    [
        (sympy.sin(x) > 0, "non-polynomial term 'sin"),
        (sympy.sqrt(x) > 1, "non-polynomial term"),
        (1 / x > 0, "division by a non-constant"),
        (sympy.I * x > 0, "non-real|Invalid comparison|complex"),
        (sympy.sqrt(2) * x > 0, "irrational"),
        (x + 1, "a term, not a formula"),
        (sympy.Symbol("p"), "Boolean variables"),
        (True, "Python bool"),
        ("x > 0", "string"),
    ],
)
def test_from_sympy_errors(expr, match):
    with pytest.raises(InputError, match=match):
        from_sympy(expr)


def test_from_sympy_unknown_and_duplicate_variables():
    with pytest.raises(InputError, match="unknown variable 'y'"):
        from_sympy(x < y, variables=[x])
    with pytest.raises(InputError, match="duplicated"):
        from_sympy(x < 1, variables=[x, x])


def test_to_sympy():
    f = And(x**2 < 2, Implies(x > 0, y < 0))
    s = to_sympy(f)
    assert s == sympy.And(sympy.Lt(x**2 - 2, 0), sympy.Implies(x > 0, y < 0))
    with pytest.raises(InputError, match="no quantifiers"):
        to_sympy(Exists(y, x < y))
    a, b = sympy.symbols("a b")
    assert to_sympy(from_sympy(x > y), {"x": a, "y": b}) == sympy.Gt(a - b, 0)


# -- properties --------------------------------------------------------------------------------
@given(formulas(quantifiers=False), points())
def test_sympy_round_trip_equivalent_and_fixed_point(f, pt):
    s = to_sympy(f)
    g = from_sympy(s, variables=f.ring.names)
    assert from_sympy(to_sympy(g), variables=f.ring.names) == g
    pt = _restrict(pt, f)
    expected = evaluate(f, pt)
    assert evaluate(g, _restrict(pt, g)) == expected
    # SymPy's own evaluation at the point is an independent oracle for evaluate()
    value = s.subs(
        {
            sympy.Symbol(k, real=True): sympy.Rational(v.numerator, v.denominator)
            for k, v in pt.items()
        }
    )
    assert bool(value) == expected


@given(formulas(), points())
def test_nnf_prenex_simplify_structure(f, pt):
    n = nnf(f)
    assert not any(isinstance(g, Not | Implies | Equivalent) for g in n.walk())
    pf = prenex(f)
    assert pf.matrix.is_quantifier_free()
    assert pf.to_formula().is_prenex()
    assert set(pf.to_formula().free_variables()) == set(f.free_variables())
    blocks = [q for q, _ in pf.prefix]
    assert all(a != b for a, b in itertools.pairwise(blocks))
    s = simplify(f)
    assert set(s.free_variables()) <= set(f.free_variables())


@given(formulas(quantifiers=False), points())
def test_normal_forms_preserve_truth_quantifier_free(f, pt):
    pt = _restrict(pt, f)
    v = evaluate(f, pt)
    assert evaluate(nnf(f), pt) == v
    assert evaluate(prenex(f).matrix, pt) == v
    s = simplify(f)
    assert evaluate(s, _restrict(pt, s)) == v


@given(formulas(quantifiers=False), points(), polynomials(("y", "z"), max_degree=2))
def test_substitution_agrees_with_evaluation(f, pt, q):
    pt = _restrict(pt, f)
    assume("x" in pt)
    g = f.substitute({"x": pt["x"]})
    assert evaluate(g, _restrict(pt, g)) == evaluate(f, pt)
    h = f.substitute({"x": q})
    full = dict(pt)
    full.update({n: pt.get(n, Fraction(0)) for n in ("y", "z")})
    full["x"] = q.subs({"y": full["y"], "z": full["z"]}).constant_value()
    assert evaluate(h, _restrict(full, h)) == evaluate(f, _restrict(full, f))


# -- z3 as an independent referee ----------------------------------------------------------------
z3 = pytest.importorskip("z3")
from semialg.logic.z3_bridge import to_z3, z3_decide, z3_evaluate  # noqa: E402

_z3_settings = settings(
    deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)


def test_z3_decide_known_sentences():
    assert z3_decide(ForAll(x, x**2 >= 0)) is True
    assert z3_decide(Exists([x, y], And(x**2 + y**2 < 1, x * y > 1))) is False
    assert z3_decide(ForAll(x, Exists(y, x * y > 1))) is False
    assert z3_decide(ForAll(x, Or(sympy.Eq(x, 0), Exists(y, sympy.Eq(x * y, 1))))) is True
    assert z3_decide(TRUE) is True
    with pytest.raises(InputError, match="needs a sentence"):
        z3_decide(Exists(y, x < y))


def test_to_z3_rational_coefficients_and_no_capture():
    f = from_sympy(sympy.Rational(1, 3) * x > y)
    e = to_z3(f)
    s = z3.Solver()
    s.add(e, z3.Real("x") == 1, z3.Real("y") == z3.Q(1, 3))
    assert s.check() == z3.unsat
    g = Exists(y, x < y)
    e2 = to_z3(g, {"x": z3.Real("y")})  # the bound y must not capture the free "y"
    s = z3.Solver()
    s.add(z3.Not(e2))
    assert s.check() == z3.unsat


@_z3_settings
@given(formulas(quantifiers=False), points())
def test_evaluate_agrees_with_z3(f, pt):
    pt = _restrict(pt, f)
    answer = z3_evaluate(f, pt)
    assume(answer is not None)
    assert evaluate(f, pt) == answer


@_z3_settings
@given(formulas(("x", "y", "z"), max_depth=3, max_degree=2), points(("x", "y", "z")))
def test_nnf_prenex_preserve_truth_z3(f, pt):
    assume(not f.is_quantifier_free())
    pt = {k: v for k, v in pt.items() if k in f.free_variables()}
    reference = z3_decide(f.substitute(pt), timeout_ms=2000)
    assume(reference is not None)
    for g in (nnf(f), prenex(f).to_formula(), simplify(f)):
        h = g.substitute({k: v for k, v in pt.items() if k in g.ring.names})
        answer = z3_decide(h, timeout_ms=2000)
        if answer is not None:
            assert answer == reference, g


def test_quantified_classes():
    assert issubclass(Exists, QuantifiedFormula) and Exists(y, y > 0).quantifier == "exists"
    assert ForAll(y, y > 0).quantifier == "forall"
