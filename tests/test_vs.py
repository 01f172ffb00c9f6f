"""Virtual substitution (semialg.qe.vs): known answers, CAD cross-checks and random formulas.

Every answer is checked against the CAD engine by deciding
``forall free (vs_answer <=> cad_answer)`` exactly, with
``cad_answer = qe(Exists([x], matrix), prepass=False)``; random formulas are checked pointwise
against an exact decision of the instantiated sentence.
"""

from __future__ import annotations

import itertools

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from semialg.logic import FALSE, TRUE, And, Atom, Equivalent, Exists, ForAll, Formula, Not, Or
from semialg.logic.formula import SIGNS
from semialg.poly import Poly, PolyRing
from semialg.qe.api import decide, qe
from semialg.qe.vs import (
    MinusInfinity,
    RootPoint,
    atom_test_points,
    candidate_points,
    count_atoms,
    eliminate_block,
    eliminate_exists,
    sqrt_sign_condition,
    substitute_test_point,
)

RING = PolyRing(("a", "b", "c", "x", "y", "z"))


def P(text: str) -> Poly:
    return RING.parse(text)


def A(text: str, rel: str) -> Formula:
    return Atom(P(text), rel)


def equivalent(f: Formula, g: Formula) -> bool:
    """Exact decision of ``forall free (f <=> g)``."""
    free = sorted(set(f.free_variables()) | set(g.free_variables()))
    return decide(ForAll(free, Equivalent(f, g))) is True


def check_against_cad(bound: tuple[str, ...], matrix: Formula) -> Formula:
    """Eliminate ``bound`` by VS and compare with the CAD answer (no pre-pass); return VS's."""
    if len(bound) == 1:
        found = eliminate_exists(bound[0], matrix)
        assert found is not None
    else:
        found, rest = eliminate_block(bound, matrix)
        assert rest == ()
    assert found.is_quantifier_free()
    assert not set(bound) & set(found.free_variables())
    cad = qe(Exists(list(bound), matrix), prepass=False)
    assert equivalent(found, cad), (str(found), str(cad))
    return found


# -- known answers --------------------------------------------------------------------------
def test_linear_equation():
    found = check_against_cad(("x",), A("a*x + b", "="))
    assert equivalent(found, Or(A("a", "!="), A("b", "=")))
    assert count_atoms(found) == 2


def test_monic_quadratic_equation_is_the_discriminant():
    found = check_against_cad(("x",), A("x^2 + b*x + c", "="))
    assert found == A("b^2 - 4*c", ">=")


def test_general_quadratic_equation_with_degenerate_cases():
    found = check_against_cad(("x",), A("a*x^2 + b*x + c", "="))
    expected = Or(
        And(A("a", "!="), A("b^2 - 4*a*c", ">=")),
        And(A("a", "="), Or(A("b", "!="), A("c", "="))),
    )
    assert equivalent(found, expected)
    # the degenerate cases matter: a = 0, b = 0, c = 1 has no root
    assert found.evaluate({"a": 0, "b": 0, "c": 1}) is False
    assert found.evaluate({"a": 0, "b": 0, "c": 0}) is True
    assert found.evaluate({"a": 0, "b": 2, "c": 7}) is True


def test_monic_quadratic_negative_somewhere():
    found = check_against_cad(("x",), A("x^2 + b*x + c", "<"))
    assert found == A("b^2 - 4*c", ">")


def test_general_quadratic_strict_inequality():
    found = check_against_cad(("x",), A("a*x^2 + b*x + c", "<"))
    expected = Or(
        A("a", "<"),
        And(A("a", "="), Or(A("b", "!="), A("c", "<"))),
        A("b^2 - 4*a*c", ">"),
    )
    assert equivalent(found, expected)


def test_open_interval_is_nonempty():
    found = check_against_cad(("x",), And(A("x - a", ">"), A("x - b", "<")))
    assert found == A("a - b", "<")


def test_closed_and_half_open_intervals():
    assert check_against_cad(("x",), And(A("x - a", ">="), A("x - b", "<="))) == A("a - b", "<=")
    assert check_against_cad(("x",), And(A("x - a", ">"), A("x - b", "<="))) == A("a - b", "<")


def test_parametric_slopes():
    check_against_cad(("x",), And(A("a*x - 1", ">"), A("b*x - 1", "<")))
    check_against_cad(("x",), And(A("a*x + b", "<="), A("x - c", ">="), A("x + c", "<=")))


def test_linear_program_in_two_variables():
    matrix = And(
        A("x + y - a", "<="), A("x - y - b", ">="), A("x", ">="), A("y", ">="), A("x + 2*y", ">")
    )
    check_against_cad(("x", "y"), matrix)


def test_linear_program_in_three_variables():
    matrix = And(
        A("x + y + z - a", "<="),
        A("x - y", ">="),
        A("y - z", ">"),
        A("z", ">="),
        A("x - 1", "<"),
    )
    found, rest = eliminate_block(("x", "y", "z"), matrix)
    assert rest == ()
    expected = qe(Exists(["x", "y", "z"], matrix), prepass=False)
    assert equivalent(found, expected)
    assert equivalent(found, A("a", ">"))


def test_quadratic_with_not_equal():
    check_against_cad(("x",), And(A("x^2 - a", "<="), A("x^2 - a", "!="), A("x - b", "!=")))
    found = check_against_cad(("x",), And(A("x^2 + a*x + b", "="), A("x", "!=")))
    assert found.evaluate({"a": 1, "b": 0}) is True  # roots 0 and -1
    assert found.evaluate({"a": 0, "b": 0}) is False  # double root 0


def test_mixed_strict_and_weak():
    check_against_cad(("x",), And(A("x^2 - a", "<"), A("x - b", ">="), A("a*x - c", "<=")))
    check_against_cad(("x",), Or(And(A("x^2 + a", "<="), A("x - b", ">")), A("a*x^2 - c", "=")))


def test_unit_disk_projection():
    found = check_against_cad(("y",), A("x^2 + y^2 - 1", "<"))
    assert equivalent(found, And(A("x + 1", ">"), A("x - 1", "<")))


def test_circle_meets_line_and_half_plane():
    check_against_cad(("x",), And(A("x^2 + a^2 - 1", "="), A("x - b", ">")))
    check_against_cad(("x", "y"), And(A("x^2 + y^2 - 1", "<="), A("x + y - a", "="), A("x", ">")))


def test_parametric_line_meets_the_disk():
    # sums of squares appear: a^2 + b^2 = 0 means a = 0 and b = 0
    found = check_against_cad(("x", "y"), And(A("x^2 + y^2 - 1", "<="), A("a*x + b*y - c", "=")))
    assert found.evaluate({"a": 0, "b": 0, "c": 0}) is True
    assert found.evaluate({"a": 0, "b": 0, "c": 1}) is False
    assert found.evaluate({"a": 0, "b": 1, "c": 1}) is True


def test_sums_of_squares_in_substituted_atoms():
    found = check_against_cad(("x",), And(A("x - c", "="), A("a^2 + b^2 + x^2", "<=")))
    assert equivalent(found, And(A("a", "="), A("b", "="), A("c", "=")))
    found = check_against_cad(("x",), And(A("x - c", "="), A("a^2 + b^2 + x^2", ">")))
    assert equivalent(found, Or(A("a", "!="), A("b", "!="), A("c", "!=")))
    found = check_against_cad(("x",), And(A("x", "="), A("a^2 + b^2 + c^2 + 1 + x", "<=")))
    assert found is FALSE


def test_even_powers_in_substituted_atoms():
    # a^2 b < 0 must keep a != 0
    found = check_against_cad(("x",), And(A("x - b", "="), A("a^2*x", "<")))
    assert found.evaluate({"a": 0, "b": -1}) is False
    found = check_against_cad(("x",), And(A("x - b", "="), A("a^2*x", "<=")))
    assert found.evaluate({"a": 0, "b": 1}) is True
    found = check_against_cad(("x",), And(A("x - b", ">="), A("a^2*x^2 - c", "<=")))
    assert found.evaluate({"a": 0, "b": 0, "c": -1}) is False


def test_factored_quadratic_uses_rational_roots():
    matrix = And(A("(x - a)*(x - b)", "<="), A("x - c", ">"))
    pts = [pt for pt, _ in candidate_points(matrix, "x") if isinstance(pt, RootPoint)]
    assert pts and all(pt.coef.is_zero for pt in pts)
    check_against_cad(("x",), matrix)


def test_content_in_the_variable():
    check_against_cad(("x",), A("a*x^2 - a", "<"))
    check_against_cad(("x",), And(A("(a - b)*(x^2 + c)", ">="), A("x + a", "<")))


def test_not_and_implications_are_normalised():
    check_against_cad(("x",), Not(And(A("x^2 - a", ">="), A("x - b", "<"))))


def test_degree_three_is_refused():
    assert eliminate_exists("x", A("x^3 + a", "<")) is None


def test_variable_not_occurring_and_constants():
    f = A("a - 1", ">")
    assert eliminate_exists("x", f) == f
    assert eliminate_exists("x", TRUE) is TRUE
    assert eliminate_exists("x", FALSE) is FALSE
    assert eliminate_exists("x", And(A("x^2 + 1", "<"), A("a", ">"))) is FALSE


def test_quantified_matrix_is_rejected():
    with pytest.raises(Exception, match="quantifier-free"):
        eliminate_exists("x", Exists(["y"], A("x + y", "=")))


# -- building blocks ------------------------------------------------------------------------
@pytest.mark.parametrize("rad", [0, 1, 2, 3, 4, 8, 9])
def test_sqrt_sign_condition_on_constants(rad):
    """All six relations for P + Q sqrt(C) with small integers, against SymPy's exact sign."""
    for big_p, big_q in itertools.product(range(-6, 7), range(-3, 4)):
        sign = int(sympy.sign(sympy.Integer(big_p) + big_q * sympy.sqrt(rad)))
        for rel in ("<", "<=", "=", "!=", ">=", ">"):
            got = sqrt_sign_condition(
                RING.constant(big_p), RING.constant(big_q), RING.constant(rad), rel
            )
            assert got is (TRUE if sign in SIGNS[rel] else FALSE), (big_p, big_q, rad, rel)


def test_sqrt_sign_condition_is_exact_symbolically():
    # forall a b z (z >= 0 ==> (formula[c := z^2] <=> a + b z ~ 0)): z plays sqrt(c)
    z = RING.gen("z")
    for rel in ("<", "<=", "=", "!=", ">=", ">"):
        cond = sqrt_sign_condition(P("a"), P("b"), P("c"), rel).substitute({"c": z * z})
        claim = Or(A("z", "<"), Equivalent(cond, Atom(P("a") + P("b") * z, rel)))
        assert decide(ForAll(["a", "b", "z"], claim)) is True, rel


def test_test_points_follow_the_direction_of_the_atom():
    # x - a < 0 only bounds x from above: no test point for it
    assert atom_test_points(A("x - a", "<"), "x") == []
    assert len(atom_test_points(A("x - a", ">"), "x")) == 1
    # an irreducible monic quadratic: one root for < and >, both for = and !=
    assert len(atom_test_points(A("x^2 - a", "<"), "x")) == 1
    assert len(atom_test_points(A("x^2 - a", "="), "x")) == 2
    # a non-constant leading coefficient adds the degenerate root
    assert len(atom_test_points(A("a*x^2 + b*x + c", ">="), "x")) == 2
    pts = candidate_points(And(A("x - a", "<"), A("x - b", "<")), "x")
    assert [pt for pt, _ in pts] == [MinusInfinity()]


def test_substitution_of_minus_infinity_and_epsilon():
    m = A("a*x^2 + b*x + c", "<")
    at_minus_inf = substitute_test_point(m, "x", MinusInfinity())
    expected = Or(
        A("a", "<"),
        And(A("a", "="), A("b", ">")),
        And(A("a", "="), A("b", "="), A("c", "<")),
    )
    assert equivalent(at_minus_inf, expected)
    # x^2 - 1 just right of its root -1 is negative, just right of 1 positive
    q = A("x^2 - 1", "<")
    one, zero = RING.one(), RING.zero()
    left = RootPoint(-one, zero, one, one, True)
    right = RootPoint(one, zero, one, one, True)
    assert substitute_test_point(q, "x", left) is TRUE
    assert substitute_test_point(q, "x", right) is FALSE


def test_block_leaves_high_degree_variables():
    matrix = And(A("y^3 - x", "<"), A("x - a", ">"), A("x + y", "<="))
    found, rest = eliminate_block(("x", "y"), matrix)
    assert rest == ("y",)
    assert "x" not in found.free_variables()
    assert equivalent(
        qe(Exists(["y"], found), prepass=False), qe(Exists(["x", "y"], matrix), prepass=False)
    )


def test_block_respects_the_atom_limit():
    matrix = And(A("x^2 + y^2 - a", "<"), A("x*y - b", ">"), A("x - y - c", "!="))
    found, rest = eliminate_block(("x", "y"), matrix, max_atoms=1)
    assert rest == ("x", "y") and found == matrix


def test_output_sizes_stay_small():
    sizes = {
        "lin": count_atoms(eliminate_exists("x", A("a*x + b", "="))),
        "quad": count_atoms(eliminate_exists("x", A("a*x^2 + b*x + c", "="))),
        "quad<": count_atoms(eliminate_exists("x", A("a*x^2 + b*x + c", "<"))),
    }
    assert sizes["lin"] <= 3 and sizes["quad"] <= 8 and sizes["quad<"] <= 10, sizes


# -- random formulas ------------------------------------------------------------------------
SMALL = st.integers(-3, 3)


@st.composite
def coefficient_polys(draw, free: tuple[str, ...]) -> Poly:
    """A polynomial of degree <= 1 in the free variables with small integer coefficients."""
    ring = RING
    p = ring.constant(draw(SMALL))
    for v in free:
        p = p + draw(SMALL) * ring.gen(v)
    return p


@st.composite
def quadratic_atoms(draw, free: tuple[str, ...], bound: tuple[str, ...]) -> Formula:
    """``p ~ 0`` with ``p`` of degree <= 2 in each bound variable (all six relations).

    Shapes: a general quadratic with coefficients linear in the free variables; a product of
    two linear factors (reducible case); a quadratic times a free-variable content; plus,
    with two bound variables, terms in the second one.
    """
    x = RING.gen(draw(st.sampled_from(bound)))
    shape = draw(st.sampled_from(["general", "general", "product", "content"]))
    if shape == "product":
        p = (draw(coefficient_polys(free)) * x + draw(coefficient_polys(free))) * (
            draw(st.integers(-2, 2)) * x + draw(coefficient_polys(free))
        )
    else:
        p = sum((draw(coefficient_polys(free)) * x**i for i in range(3)), RING.zero())
        if shape == "content":
            p = p * draw(coefficient_polys(free)) ** draw(st.integers(1, 2))
    if len(bound) > 1 and draw(st.booleans()):
        y = RING.gen(next(v for v in bound if RING.gen(v) != x))
        p = p + draw(SMALL) * y + draw(st.integers(0, 1)) * draw(SMALL) * x * y
    if p.is_constant():
        p = p + x
    return Atom(p, draw(st.sampled_from(["<", "<=", "=", "!=", ">=", ">"])))


@st.composite
def matrices(draw, free: tuple[str, ...], bound: tuple[str, ...]) -> Formula:
    parts = draw(st.lists(quadratic_atoms(free, bound), min_size=1, max_size=3))
    f = parts[0]
    for g in parts[1:]:
        f = And(f, g) if draw(st.booleans()) else Or(f, g)
    if draw(st.integers(0, 4)) == 0:
        f = Not(f)
    return f


POINT_VALUES = st.fractions(min_value=-3, max_value=3, max_denominator=3)


def _agrees_at(found: Formula, bound: tuple[str, ...], matrix: Formula, point) -> None:
    """``found`` (which may still quantify over ``bound``) agrees at ``point`` with the exact
    decision of ``exists bound. matrix`` instantiated there."""
    instance = matrix.substitute({k: v for k, v in point.items() if k in matrix.ring.names})
    expected = decide(Exists(list(bound), instance))
    ours = found.substitute({k: v for k, v in point.items() if k in found.ring.names})
    got = ours.evaluate({}) if ours.is_quantifier_free() else decide(ours)
    assert got is expected, (str(matrix), str(found), point)


MORE = settings(max_examples=3 * settings.default.max_examples)


@MORE
@given(free=st.sampled_from([("a",), ("a", "b")]), data=st.data())
def test_random_single_variable_against_exact_decision(free, data):
    matrix = data.draw(matrices(free, ("x",)))
    found = eliminate_exists("x", matrix)
    assert found is not None and "x" not in found.free_variables()
    for _ in range(3):
        point = {v: data.draw(POINT_VALUES) for v in free}
        _agrees_at(found, ("x",), matrix, point)


@given(data=st.data())
def test_random_two_variable_blocks_against_exact_decision(data):
    matrix = data.draw(matrices(("a",), ("x", "y")))
    found, rest = eliminate_block(("x", "y"), matrix)
    assert not set(found.free_variables()) - {"a", *rest}
    remainder = Exists(list(rest), found)  # VS may leave a variable whose degree grew: CAD
    for _ in range(2):
        _agrees_at(remainder, ("x", "y"), matrix, {"a": data.draw(POINT_VALUES)})


# ----------------------------------------------------------------------------------------------
# Known signs from the pre-pass context (semialg.qe.prepass.assume)
# ----------------------------------------------------------------------------------------------
def test_assume_takes_factors_of_known_sign_out_of_atoms():
    from semialg.qe.prepass import assume, known_signs

    known = known_signs(And(A("a", ">"), A("-b", ">"), A("c^2 + 1", ">=")))
    assert len(known) == 2  # a > 0 and b < 0; a non-strict atom fixes no sign
    assert assume(A("a^2", "="), known) is FALSE
    assert assume(A("a*b", "<"), known) is TRUE
    assert assume(A("a*b*c", ">"), known) == A("-c", ">")  # a b < 0, so a b c > 0 iff c < 0
    assert assume(A("a^3*(x - 1)", "<="), known) == A("x - 1", "<=")
    untouched = A("a + b", ">")
    assert assume(untouched, known) is untouched
    f = Or(A("a", "="), And(A("a*x", ">"), A("b*y", ">=")))
    assert assume(f, known) == And(A("x", ">"), A("-y", ">="))


def test_context_prunes_degenerate_branches_of_the_prepass():
    # exists x [a <= 0 \/ (a x^2 + b x + c = 0 /\ x > 1)]: the answer for the second disjunct is
    # only needed where a > 0, so the a = 0 branches of virtual substitution disappear
    from semialg.qe.prepass import ExistentialPrepass

    def no_cad(*args):
        raise AssertionError("virtual substitution eliminates x")

    body = And(A("a*x^2 + b*x + c", "="), A("x - 1", ">"))
    out = ExistentialPrepass(no_cad)(("x",), Or(A("a", "<="), body))
    alone = ExistentialPrepass(no_cad)(("x",), body)
    assert any(atom.poly == P("a") for atom in alone.atoms())
    assert not any(atom.poly == P("a") for atom in out.atoms() if atom.rel != "<=")
    assert len(out.atoms()) < len(alone.atoms())
    assert equivalent(out, Or(A("a", "<="), alone))
