"""Tests of :mod:`semialg.sets`: the public surface of issue 4, known answers, properties."""

from __future__ import annotations

from fractions import Fraction

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from semialg import Exists, InputError
from semialg.algebraic.real_algebraic import RealAlgebraic
from semialg.qe import Unknown
from semialg.sets import SemialgebraicSet
from semialg.testing.strategies import quantifier_free_formulas

x, y, z, u, v, a, b, c, d = sympy.symbols("x y z u v a b c d", real=True)
R2 = SemialgebraicSet(sympy.true, [u, v])


# -- the public surface of the issue, exactly as written -----------------------------------
def test_issue_surface():
    S = SemialgebraicSet((x > 0) & (y > 0), [x, y])
    assert S.contains((0, 0)) is False
    assert S.closure().contains((0, 0)) is True
    assert (S.is_closed(), S.is_open(), S.is_empty()) == (False, True, False)
    T = SemialgebraicSet.image([u, u * v], SemialgebraicSet(sympy.true, [u, v]), [x, y])
    p = T.closure_minus_set().sample_point()
    assert p is not None and p[0] == 0 and p[1] != 0
    assert T.contains(p) is False and T.closure().contains(p) is True


def test_description():
    S = SemialgebraicSet(Exists([y], x**2 + y**2 < 1), [x])
    assert S.variables == ("x",) and S.dimension == 1
    assert "x" in repr(S) and S._repr_latex_().startswith("$")
    assert S.formula().is_quantifier_free()
    assert SemialgebraicSet(x**2 < 1, [x]) == S
    assert S.formula(simplify=False).is_quantifier_free()
    with pytest.raises(AttributeError):
        S._vars = ("y",)  # type: ignore[misc]


def test_bound_variable_clash_is_renamed():
    # y is a coordinate and also bound: the bound one is renamed, the set is {x in (-1,1)} x R
    S = SemialgebraicSet(Exists([y], x**2 + y**2 < 1), [x, y])
    assert S.contains((0, 5)) is True and S.contains((2, 0)) is False
    assert S.equals(SemialgebraicSet((x > -1) & (x < 1), [x, y])) is True


# -- membership ----------------------------------------------------------------------------
def test_contains_exact_numbers():
    disk = SemialgebraicSet(x**2 + y**2 <= 2, [x, y])
    assert disk.contains((sympy.sqrt(2), 0)) is True
    assert disk.contains((sympy.sqrt(2), Fraction(1, 10**9))) is False
    assert disk.contains({x: 1, y: sympy.Rational(1)}) is True
    r = RealAlgebraic.root_of([-2, 0, 1], 1)  # sqrt(2)
    assert disk.contains((r, 0)) is True
    quantified = SemialgebraicSet(Exists([z], sympy.Eq(z**2, x) & (y > 0)), [x, y])
    assert quantified.contains((r, 1)) is True
    assert quantified.contains((-r, 1)) is False
    assert quantified.contains((2, 1)) is True and quantified.contains((2, 0)) is False


def test_empty_and_sample():
    empty = SemialgebraicSet(x**2 + y**2 < 0, [x, y])
    assert empty.is_empty() is True and empty.sample_point() is None
    circle = SemialgebraicSet(sympy.Eq(x**2 + y**2, 2) & (x > y) & (y > 0), [x, y])
    p = circle.sample_point()
    assert p is not None and circle.contains(p) is True


# -- comparisons and algebra -----------------------------------------------------------------
def test_equality_inclusion():
    A = SemialgebraicSet(x**2 < 1, [x])
    B = SemialgebraicSet((x > -1) & (x < 1), [x])
    C = SemialgebraicSet(x < 1, [x])
    assert A == B and A <= C and not (C <= A) and A < C and A != C
    assert (A | C) == C and (A & C) == A and SemialgebraicSet(x <= -1, [x]) == (C - A)
    assert (~A).equals(SemialgebraicSet((x <= -1) | (x >= 1), [x])) is True


def test_bounded():
    assert SemialgebraicSet(x**2 + y**2 < 1, [x, y]).is_bounded() is True
    assert SemialgebraicSet(x * y > 1, [x, y]).is_bounded() is False


def test_product_project_preimage_image():
    I1 = SemialgebraicSet((x >= 0) & (x <= 1), [x])
    J = SemialgebraicSet((y >= 0) & (y <= 1), [y])
    square = I1.product(J)
    assert square.variables == ("x", "y") and square.contains((1, 1)) is True
    disk = SemialgebraicSet(x**2 + y**2 < 1, [x, y])
    assert disk.project([x]) == SemialgebraicSet((x > -1) & (x < 1), [x])
    pre = disk.preimage([2 * u, v], [u, v])
    assert pre.contains((Fraction(1, 3), 0)) is True and pre.contains((Fraction(1, 2), 0)) is False
    parabola = SemialgebraicSet.image([u, u**2], SemialgebraicSet(sympy.true, [u]), [x, y])
    assert parabola == SemialgebraicSet(sympy.Eq(y, x**2), [x, y])
    # target names may reuse the domain's names
    swapped = SemialgebraicSet.image([y, x], SemialgebraicSet(x > 0, [x, y]), [x, y])
    assert swapped == SemialgebraicSet(y > 0, [x, y])


def test_bad_input():
    A = SemialgebraicSet(x > 0, [x])
    B = SemialgebraicSet(y > 0, [y])
    for op in (lambda: A | B, lambda: A & B, lambda: A - B, lambda: A <= B, lambda: A == B):
        with pytest.raises(InputError, match="different variable lists"):
            op()
    with pytest.raises(InputError, match="not coordinates"):
        SemialgebraicSet(x + y > 0, [x])
    with pytest.raises(InputError, match="duplicated"):
        SemialgebraicSet(x > 0, [x, x])
    with pytest.raises(InputError, match="polynomial"):
        SemialgebraicSet.image([1 / u, v], R2, [x, y])
    with pytest.raises(InputError, match="polynomial"):
        SemialgebraicSet.image([sympy.sin(u), v], R2, [x, y])
    with pytest.raises(InputError, match="polynomial"):
        SemialgebraicSet.image([sympy.sqrt(u), v], R2, [x, y])
    with pytest.raises(InputError, match="component"):
        SemialgebraicSet.image([u], R2, [x, y])
    with pytest.raises(InputError, match="disjoint"):
        A.product(A)
    with pytest.raises(InputError, match="coordinate"):
        A.contains((1, 2))
    with pytest.raises(InputError):
        A.contains(("1",))
    with pytest.raises(InputError, match="not coordinates"):
        A.project([y])
    with pytest.raises(InputError):
        SemialgebraicSet(True, [x])


# -- topology: known answers -----------------------------------------------------------------
def test_closure_quadrant_and_punctured_line():
    Q = SemialgebraicSet((x > 0) & (y > 0), [x, y])
    assert Q.closure() == SemialgebraicSet((x >= 0) & (y >= 0), [x, y])
    assert Q.closure_reference() == SemialgebraicSet((x >= 0) & (y >= 0), [x, y])
    L = SemialgebraicSet(sympy.Eq(y, 0) & sympy.Ne(x, 0), [x, y])
    assert L.closure() == SemialgebraicSet(sympy.Eq(y, 0), [x, y])
    assert L.closure_reference() == SemialgebraicSet(sympy.Eq(y, 0), [x, y])
    assert L.is_closed() is False and L.is_open() is False


def test_image_uv():
    T = SemialgebraicSet.image([u, u * v], R2, [x, y])
    assert T.is_closed() is False
    expected = SemialgebraicSet(sympy.Eq(x, 0) & sympy.Ne(y, 0), [x, y])
    assert T.closure_minus_set() == expected
    assert T.closure() == SemialgebraicSet(sympy.true, [x, y])
    assert T.closure_reference() == SemialgebraicSet(sympy.true, [x, y])


def test_rank_one_matrices_closed():
    R1 = SemialgebraicSet(sympy.Eq(a * d - b * c, 0), [a, b, c, d])
    assert R1.is_closed() is True
    assert R1.closure_minus_set().is_empty() is True


def test_lu_image():
    ls = sympy.symbols("l11 l21 l22 u11 u12 u22", real=True)
    l11, l21, l22, u11, u12, u22 = ls
    LU = SemialgebraicSet.image(
        [l11 * u11, l11 * u12, l21 * u11, l21 * u12 + l22 * u22],
        SemialgebraicSet(sympy.true, ls),
        [a, b, c, d],
    )
    assert SemialgebraicSet(sympy.Eq(b, 0) | sympy.Ne(a, 0) | sympy.Eq(c, 0), [a, b, c, d]) == LU
    assert LU.is_closed() is False
    assert LU.closure() == SemialgebraicSet(sympy.true, [a, b, c, d])
    p = LU.closure_minus_set().sample_point()
    assert p is not None and p[0] == 0 and p[1] != 0 and p[2] != 0


def test_whitney_umbrella():
    W = SemialgebraicSet.image([u * v, v, u**2], R2, [x, y, z])
    assert SemialgebraicSet(sympy.Eq(x**2, y**2 * z) & (z >= 0), [x, y, z]) == W
    assert W.is_closed() is True
    # the handle {x = y = 0, z < 0} of the umbrella variety is not in the image
    assert W.contains((0, 0, -1)) is False


def test_closure_shortcut_product_and_union():
    # {x != 0} x {y > 0}: closure R x {y >= 0} (Lemma 3); union with a closed set (Lemma 2)
    S = SemialgebraicSet((sympy.Ne(x, 0) & (y > 0)) | sympy.Eq(x + y, 3), [x, y])
    ref = SemialgebraicSet((y >= 0) | sympy.Eq(x + y, 3), [x, y])
    assert S.closure() == ref
    # against the reference definition in one variable (2-D references are slow, see docs)
    S1 = SemialgebraicSet((sympy.Ne(x, 0) & (x < 2)) | sympy.Eq(x, 3), [x])
    assert (
        S1.closure() == S1.closure_reference() == SemialgebraicSet((x <= 2) | sympy.Eq(x, 3), [x])
    )


def test_interior_boundary_of_half_closed_strip():
    S = SemialgebraicSet((x >= 0) & (x < 1), [x])
    assert S.interior() == SemialgebraicSet((x > 0) & (x < 1), [x])
    assert S.boundary() == SemialgebraicSet(sympy.Eq(x, 0) | sympy.Eq(x, 1), [x])
    assert S.is_open() is False and S.is_closed() is False
    assert S.is_bounded() is True


# -- properties on random small sets -------------------------------------------------------
SETS_1 = quantifier_free_formulas(["x"], max_atoms=2, max_degree=2, max_terms=2)
SETS_2 = quantifier_free_formulas(["x", "y"], max_atoms=2, max_degree=1, max_terms=2)
POINT = st.fractions(min_value=-3, max_value=3, max_denominator=3)


@settings(max_examples=25)
@given(f=SETS_1, data=st.data())
def test_closure_properties(f, data):
    names = ("x",)
    S = SemialgebraicSet(f, names)
    cl = S.closure(budget=10)
    inner = S.interior(budget=10)
    if not (
        cl.defining_formula.is_quantifier_free() and inner.defining_formula.is_quantifier_free()
    ):
        return  # budget exhausted: nothing claimed
    assert cl >= S
    assert inner <= S
    assert cl.is_closed() is True
    assert inner.is_open() is True
    p = S.sample_point()
    if p is not None:
        assert cl.contains(p) is True
    q = tuple(data.draw(POINT) for _ in names)
    if S.contains(q):
        assert cl.contains(q) is True


@settings(max_examples=15)
@given(f=SETS_1)
def test_closure_matches_reference_1d(f):
    S = SemialgebraicSet(f, ["x"])
    ref = S.closure_reference().formula(budget=30)
    if isinstance(ref, Unknown):
        return
    assert S.closure() == SemialgebraicSet(ref, ["x"])


@settings(max_examples=20)
@given(f=SETS_2, g=SETS_2)
def test_de_morgan(f, g):
    A = SemialgebraicSet(f, ["x", "y"])
    B = SemialgebraicSet(g, ["x", "y"])
    assert (A | B).complement() == (A.complement() & B.complement())
    assert (A & B).complement() == (A.complement() | B.complement())
    assert (A & B.complement()) == (A - B)


# -- the disk with a slit (Lemmas 4 and 5 of docs/sets.md) -----------------------------------
CIRCLE_AND_SLIT = sympy.Eq(x**2 + y**2, 1) | (sympy.Eq(y, 0) & (x >= 0) & (x <= 1))
HALF = Fraction(1, 2)


def test_open_disk_with_slit():
    S = SemialgebraicSet((x**2 + y**2 < 1) & ~(sympy.Eq(y, 0) & (x >= 0)), [x, y])
    assert S.closure() == SemialgebraicSet(x**2 + y**2 <= 1, [x, y])
    assert S.interior() == S and S.is_open() is True and S.is_closed() is False
    bd = S.boundary()
    assert bd == SemialgebraicSet(CIRCLE_AND_SLIT, [x, y])
    for p, in_s, on_bd in [
        ((HALF, 0), False, True),
        ((0, 0), False, True),
        ((1, 0), False, True),
        ((-HALF, 0), True, False),
        ((0, HALF), True, False),
        ((sympy.sqrt(2) / 2, sympy.sqrt(2) / 2), False, True),
        ((2, 0), False, False),
    ]:
        assert S.contains(p) is in_s and bd.contains(p) is on_bd, p
    assert S.closure_minus_set() == bd


def test_closed_disk_with_slit():
    S = SemialgebraicSet((x**2 + y**2 <= 1) & ~(sympy.Eq(y, 0) & (x > 0)), [x, y])
    assert S.closure() == SemialgebraicSet(x**2 + y**2 <= 1, [x, y])
    inner = S.interior()
    assert inner == SemialgebraicSet((x**2 + y**2 < 1) & ~(sympy.Eq(y, 0) & (x >= 0)), [x, y])
    assert S.boundary() == SemialgebraicSet(CIRCLE_AND_SLIT, [x, y])
    assert S.closure_minus_set() == SemialgebraicSet(sympy.Eq(y, 0) & (x > 0) & (x <= 1), [x, y])
    assert S.is_closed() is False and S.is_open() is False
    assert S.contains((0, 0)) is True and inner.contains((0, 0)) is False
    assert inner.contains((-HALF, 0)) is True


# -- Lemma 4 (dense open subsets) and Lemma 5 (Fritz John points) against the reference -------
@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        ((x > -1) & (x < 1) & sympy.Ne(x, 0) & sympy.Ne(2 * x, 1), (x >= -1) & (x <= 1)),
        (x**2 * (x - 1) > 0, x >= 1),  # Fritz John point x = 0 is not in the closure
        (-(x**2) > 0, sympy.false),
        ((x**2 * (x - 1) >= 0) & sympy.Ne(x, 2), (x >= 1) | sympy.Eq(x, 0)),
        ((x * (x - 1) ** 2 > 0) & (x < 3), (x >= 0) & (x <= 3)),  # x = 1 is a FJ point
    ],
)
def test_closure_rules_match_reference_1d(formula, expected):
    S = SemialgebraicSet(formula, [x])
    E = SemialgebraicSet(expected, [x])
    assert S.closure() == E
    assert S.closure_reference() == E


def test_closure_rules_2d():
    # Lemma 4 in the plane: punctured disk minus two axes
    S = SemialgebraicSet((x**2 + y**2 < 1) & sympy.Ne(x * y, 0), [x, y])
    assert S.closure() == SemialgebraicSet(x**2 + y**2 <= 1, [x, y])
    # Lemma 5 with a Fritz John point (the origin, where the two lines cross)
    cone = SemialgebraicSet(x**2 - y**2 > 0, [x, y])
    assert cone.closure() == SemialgebraicSet(x**2 - y**2 >= 0, [x, y])
    quadrants = SemialgebraicSet(x * y > 0, [x, y])
    expected = SemialgebraicSet(x * y >= 0, [x, y])
    assert quadrants.closure() == expected and quadrants.closure_reference() == expected
    # an empty set with a Fritz John point: its closure is empty
    E = SemialgebraicSet((y >= x**2) & (y <= -(x**2)) & sympy.Ne(x, 0), [x, y])
    assert E.closure().is_empty() is True
    # a triangle: no Fritz John point, closure by one existential sentence per active set
    T = SemialgebraicSet((x > 0) & (y > 0) & (x + y < 1), [x, y])
    assert T.closure() == SemialgebraicSet((x >= 0) & (y >= 0) & (x + y <= 1), [x, y])
    assert T.boundary().contains((HALF, HALF)) is True
    # Fritz John points decided one by one (Lemma 7): a cusp, a tangency, an isolated point
    cusp = SemialgebraicSet((y > 0) & (y < x**3), [x, y])
    assert cusp.closure() == SemialgebraicSet((y >= 0) & (y <= x**3) & (x >= 0), [x, y])
    horn = SemialgebraicSet((y >= 0) & (y <= x**2) & (x <= 0) & sympy.Ne(y, x**2), [x, y])
    assert horn.closure() == SemialgebraicSet((y >= 0) & (y <= x**2) & (x <= 0), [x, y])
    outside = SemialgebraicSet((x**2 + y**2) * (x**2 + y**2 - 1) > 0, [x, y])
    cl = outside.closure()
    assert cl == SemialgebraicSet(x**2 + y**2 >= 1, [x, y]) and cl.contains((0, 0)) is False
    # Lemma 6: on the graph y = 1 - x^2 the closure is taken in the x coordinate
    P = SemialgebraicSet(sympy.Eq(x**2 + y, 1) & (x > 0) & sympy.Ne(x, 1), [x, y])
    assert P.closure() == SemialgebraicSet(sympy.Eq(x**2 + y, 1) & (x >= 0), [x, y])
    D = SemialgebraicSet(sympy.Eq(x + y, 1) & (x > 0) & (y > 0), [x, y])
    assert D.closure() == SemialgebraicSet(sympy.Eq(x + y, 1) & (x >= 0) & (y >= 0), [x, y])
    assert D.closure_minus_set() == SemialgebraicSet(
        (sympy.Eq(x, 0) & sympy.Eq(y, 1)) | (sympy.Eq(x, 1) & sympy.Eq(y, 0)), [x, y]
    )


def test_budget_is_one_deadline():
    S = SemialgebraicSet((x**2 + y**2 < 1) & ~(sympy.Eq(y, 0) & (x >= 0)), [x, y])
    assert S.closure(budget=60) == SemialgebraicSet(x**2 + y**2 <= 1, [x, y])
    with pytest.raises(InputError):
        S.closure(budget=-1)


# -- more properties: numeric sampling and exact identities --------------------------------
SETS_2_LIN = quantifier_free_formulas(["x", "y"], max_atoms=3, max_degree=1, max_terms=2)
GRID = [Fraction(i, 2) for i in range(-4, 5)]


def _exact(s: SemialgebraicSet) -> bool:
    return s.defining_formula.is_quantifier_free()


@settings(max_examples=12, deadline=None, derandomize=True)
@given(f=SETS_2_LIN)
def test_random_points_of_s_are_in_closure_2d(f):
    S = SemialgebraicSet(f, ["x", "y"])
    cl = S.closure(budget=10)
    if not _exact(cl):
        return
    inside = [(p, q) for p in GRID for q in GRID if S.contains((p, q))]
    for pt in inside[:: max(1, len(inside) // 12)]:
        assert cl.contains(pt) is True
    inner = S.interior(budget=10)
    if not _exact(inner):
        return
    assert inner <= S
    pt = inner.sample_point()
    if pt is not None and all(isinstance(c, Fraction) for c in pt):
        h = Fraction(1, 10**6)
        for dx, dy in [(h, 0), (-h, 0), (0, h), (0, -h), (h, h), (-h, -h), (h, -h), (-h, h)]:
            assert S.contains((pt[0] + dx, pt[1] + dy)) is True


@settings(max_examples=10, deadline=None, derandomize=True)
@given(f=SETS_2_LIN)
def test_points_near_boundary_have_boundary_neighbours(f):
    S = SemialgebraicSet(f, ["x", "y"])
    p, q = S.sample_point(), S.complement().sample_point()
    if p is None or q is None or not all(isinstance(c, Fraction) for c in (*p, *q)):
        return
    for _ in range(10):  # bisect: p stays in S, q stays outside
        m = ((p[0] + q[0]) / 2, (p[1] + q[1]) / 2)
        if S.contains(m):
            p = m
        else:
            q = m
    bd = S.boundary(budget=10)
    if not _exact(bd):
        return
    t = sympy.Symbol("t", real=True)
    segment = bd.preimage([p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])], [t])
    on_segment = segment & SemialgebraicSet((t >= 0) & (t <= 1), [t])
    assert on_segment.is_empty() is False


@settings(max_examples=15, deadline=None, derandomize=True)
@given(f=SETS_1, g=SETS_1)
def test_topological_identities_1d(f, g):
    A = SemialgebraicSet(f, ["x"])
    B = SemialgebraicSet(g, ["x"])
    assert (A | B).closure() == (A.closure() | B.closure())
    assert (A & B).interior() == (A.interior() & B.interior())
    assert A.boundary() == A.complement().boundary()
    assert A.closure() == (A | A.boundary())
    assert A.interior() == (A - A.boundary())
    assert A.closure().closure() == A.closure()


def test_bad_input_more():
    A = SemialgebraicSet(x > 0, [x, y])
    B = SemialgebraicSet(x > 0, [y, x])  # same names, different order: different spaces
    with pytest.raises(InputError, match="different variable lists"):
        A | B
    with pytest.raises(InputError, match="polynomial"):
        A.preimage([u / v, v], [u, v])
    with pytest.raises(InputError, match="polynomial"):
        A.preimage([sympy.exp(u), v], [u, v])
    with pytest.raises(InputError, match="component"):
        A.preimage([u], [u, v])
    with pytest.raises(InputError, match="SemialgebraicSet"):
        SemialgebraicSet.image([u, v], x > 0, [x, y])  # type: ignore[arg-type]
    with pytest.raises(InputError, match="target variable"):
        SemialgebraicSet.image([u, v], R2, [x])
    with pytest.raises(InputError, match="SemialgebraicSet"):
        A.union(x > 0)  # type: ignore[arg-type]


# -- plot ---------------------------------------------------------------------------------
def test_plot(tmp_path):
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    S = SemialgebraicSet((x**2 + y**2 < 1) & ~(sympy.Eq(y, 0) & (x >= 0)), [x, y])
    ax = S.plot(bounds=((-1.5, 1.5), (-1.5, 1.5)), resolution=120)
    assert ax.get_xlabel() == "x" and ax.get_xlim() == (-1.5, 1.5)
    # boundary (circle and slit) and the dashed closure-minus-set curves are drawn
    assert len(ax.lines) >= 3
    assert any(line.get_linestyle() == "--" for line in ax.lines)
    out = tmp_path / "slit.png"
    ax.figure.savefig(out)
    assert out.stat().st_size > 1000
    plt.close(ax.figure)
    # on given axes; a set with a lower-dimensional piece
    fig, ax2 = plt.subplots()
    T = SemialgebraicSet((x > 0) & (y > 0) | (sympy.Eq(y, -1) & sympy.Ne(x, 0)), [x, y])
    assert T.plot(ax2, resolution=80) is ax2
    plt.close(fig)


def test_plot_bad_input(monkeypatch):
    with pytest.raises(InputError, match="plane"):
        SemialgebraicSet(x > 0, [x]).plot()
    P = SemialgebraicSet(x > 0, [x, y])
    with pytest.raises(InputError, match="bounds"):
        P.plot(bounds=(1, 2))
    with pytest.raises(InputError):
        P.plot(bounds=((1, 0), (0, 1)))
    import sys

    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(ImportError, match="matplotlib"):
        P.plot()


SETS_3 = quantifier_free_formulas(["x", "y", "z"], max_atoms=2, max_degree=1, max_terms=2)


@settings(max_examples=8)
@given(f=SETS_3, g=SETS_3)
def test_identities_3d(f, g):
    """De Morgan, difference and absorption decided exactly on random sets in R^3."""
    A = SemialgebraicSet(f, ["x", "y", "z"])
    B = SemialgebraicSet(g, ["x", "y", "z"])
    assert (A | B).complement() == (A.complement() & B.complement())
    assert (A & B.complement()) == (A - B)
    assert (A | (A & B)) == A
