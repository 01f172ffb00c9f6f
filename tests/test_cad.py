"""Cylindrical algebraic decomposition: known answers and sign-invariance properties."""

from __future__ import annotations

from fractions import Fraction

import pytest
import sympy
from hypothesis import given
from hypothesis import strategies as st

from semialg.cad.budget import Budget
from semialg.cad.decomposition import cad
from semialg.errors import BudgetExhausted, InputError
from semialg.poly import PolyRing

x, y, z = sympy.symbols("x y z", real=True)


def test_circle_has_thirteen_cells():
    C = cad([x**2 + y**2 - 1], [x, y])
    assert C.cell_count == 13
    assert len(C.cells(1)) == 5
    dims = sorted(c.dimension for c in C.cells())
    assert dims == [0, 0, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2]
    inside = [c for c in C.cells() if C.input_signs(c) == (-1,)]
    assert [c.index for c in inside] == [(3, 3)]
    assert inside[0].defining_formula(C.variables) == (
        "root(x + 1, 1) < x < root(x - 1, 1) /\\ "
        "root(x^2 + y^2 - 1, 1) < y < root(x^2 + y^2 - 1, 2)"
    )


def test_univariate_cad_counts_roots():
    C = cad(["x^3 - 2*x"], ["x"])
    assert C.cell_count == 7
    sections = [c for c in C.cells() if c.dimension == 0]
    assert [C.input_signs(c) for c in sections] == [(0,), (0,), (0,)]
    # sector samples are simple rationals
    assert all(c.sample.is_rational for c in C.cells() if c.dimension == 1)


def test_algebraic_sample_points_are_exact():
    C = cad([x**2 - 2, y**2 - x], [x, y])
    # level 1: roots -sqrt2, 0, sqrt2 (x from Lazard's trailing coefficient); over x = sqrt2
    # (index 6) the roots of y^2 - x are +-2^(1/4)
    over = [c for c in C.cells() if c.index[0] == 6 and c.is_section]
    assert len(over) == 2
    for c in over:
        assert c.sample.sign_at(PolyRing(["x", "y"]).parse("y^4 - 2")) == 0


def test_mccallum_falls_back_to_lazard_when_nullified():
    C = cad([x * z - y], [x, y, z], method="mccallum")
    assert C.method == "lazard"
    assert any("McCallum" in n for n in C.notes)
    _check_sign_invariance(C, [(0, 0, 1), (0, 0, -3), (0, 1, 0), (1, 2, 2), (0, Fraction(1, 2), 5)])


def test_mccallum_is_used_when_valid():
    C = cad([x**2 + y**2 - 1, x - y], [x, y], method="mccallum")
    assert C.method == "mccallum" and not C.notes


def test_cell_budget_is_enforced():
    with pytest.raises(BudgetExhausted, match="cell budget"):
        cad([x**2 + y**2 + z**2 - 1, x * y * z - 1], [x, y, z], budget=Budget(cells=10))


def test_bad_input():
    with pytest.raises(InputError, match="unknown variable"):
        cad([x + z], [x, y])
    with pytest.raises(InputError, match="duplicated"):
        cad([x], [x, x])
    with pytest.raises(InputError, match="projection method"):
        cad([x], [x], method="collins")
    with pytest.raises(InputError, match="non-polynomial"):
        cad([sympy.sin(x)], [x])


def _check_sign_invariance(C, points):
    for pt in points:
        cell = C.locate(pt)
        exact = tuple((lambda v: (v > 0) - (v < 0))(p(*pt)) for p in C.polynomials)
        assert C.input_signs(cell) == exact, (pt, cell)


@st.composite
def small_polys(draw, names, max_deg=2):
    R = PolyRing(names)
    terms = draw(
        st.dictionaries(
            st.tuples(*[st.integers(0, max_deg)] * len(names)),
            st.integers(-3, 3),
            min_size=1,
            max_size=4,
        )
    )
    return R.from_dict(terms)


coords = st.fractions(min_value=-3, max_value=3, max_denominator=4)


@given(
    st.lists(small_polys(("x", "y")), min_size=1, max_size=2),
    st.lists(st.tuples(coords, coords), min_size=1, max_size=6),
)
def test_points_fall_in_a_cell_with_their_signs_2d(polys, points):
    polys = [p for p in polys if not p.is_constant()]
    if not polys:
        return
    C = cad(polys, ["x", "y"])
    _check_sign_invariance(C, points)


@given(
    small_polys(("x", "y", "z"), max_deg=1),
    st.lists(st.tuples(coords, coords, coords), min_size=1, max_size=4),
)
def test_points_fall_in_a_cell_with_their_signs_3d(poly, points):
    if poly.is_constant():
        return
    C = cad([poly, PolyRing(["x", "y", "z"]).parse("x^2 + y^2 + z^2 - 4")], ["x", "y", "z"])
    _check_sign_invariance(C, points)


@given(
    small_polys(("x", "y", "z"), max_deg=1),
    small_polys(("x", "y", "z"), max_deg=1),
    st.integers(-1, 1),
    st.lists(coords, min_size=1, max_size=3),
)
def test_sign_invariance_where_a_factor_vanishes_identically(a, b, k, zs):
    # f = x a + (y - k) b vanishes identically on the fibre over (0, k); Lazard's operator leaves
    # out trailing coefficients until the lifting asks for them (Brown-McCallum reduction), so
    # the points on and next to that fibre test the lifting's check
    R = PolyRing(["x", "y", "z"])
    x, y, _ = R.gens
    f = x * a + (y - k) * b
    if f.degree("z") < 1:
        return
    C = cad([f], ["x", "y", "z"])
    near = [(0, k), (0, k + Fraction(1, 3)), (0, k - Fraction(1, 2)), (Fraction(1, 4), k)]
    _check_sign_invariance(C, [(u, v, w) for u, v in near for w in zs])


@given(st.lists(small_polys(("x", "y")), min_size=1, max_size=2))
def test_sample_point_signs_agree_with_numerics(polys):
    polys = [p for p in polys if not p.is_constant()]
    if not polys:
        return
    C = cad(polys, ["x", "y"])
    for cell in C.cells():
        ax, ay = cell.sample.approx(30)
        for p, s in zip(C.polynomials, C.input_signs(cell), strict=True):
            val = sum(float(c) * ax ** e[0] * ay ** e[1] for e, c in p.terms().items())
            if abs(val) > 1e-6:
                assert s == (1 if val > 0 else -1), (p, cell, val)
            else:
                assert abs(val) < 1e-6 or s != 0
