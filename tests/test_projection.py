"""Projection operators: known answers and structural properties."""

from __future__ import annotations

from fractions import Fraction

import pytest

from semialg.cad import cad
from semialg.cad.projection import irreducible_factors, never_nullified, project, project_once
from semialg.errors import InputError
from semialg.poly import PolyRing

R = PolyRing(["x", "y", "z"])
x, y, z = R.gens


def test_irreducible_factors_are_canonical():
    fs = irreducible_factors([2 * (x**2 - 1) * y, -(x + 1) * (y**2 + 1), R.constant(5)])
    assert fs == [x + 1, x - 1, y, y**2 + 1]
    assert all(f.primitive()[0] == 1 for f in fs)


def test_lazard_projection_of_circle():
    proj = project([x**2 + y**2 - 1], R)
    assert proj.factors(1) == [x + 1, x - 1]
    assert proj.factors(2) == [x**2 + y**2 - 1]
    assert proj.factors(3) == []


def test_lazard_includes_trailing_coefficients_mccallum_does_not():
    f = x * z**2 + y * z
    lazard = project_once([f], "z", "lazard", trailing=[f])
    mccallum = project_once([f], "z", "mccallum")
    # trailing coefficient (of z^1) is y; leading is x; discriminant y^2
    assert lazard == [x, y]
    assert mccallum == [x, y]  # y still appears through the discriminant y^2
    g = x * z**2 + y * z + x * y
    assert y in project_once([g], "z", "lazard", trailing=[g])


def test_lazard_trailing_coefficient_is_the_lowest_nonzero_one():
    f = y * z**3 + x * z**2
    assert f.trailing_coeff("z") == x
    assert x in project_once([f], "z", "lazard", trailing=[f])


def test_resultants_of_pairs():
    f, g = y * z - x, x * z - 1
    # Lazard: leading coefficients y, x, trailing coefficients x, 1, res = y*(-1) - (-x)*x
    assert project_once([f, g], "z", trailing=[f, g]) == [x, y, x**2 - y]
    # McCallum only the leading coefficients and the resultant
    assert project_once([f, g], "z", "mccallum") == [x, y, x**2 - y]
    # monic in z: no trailing coefficients (Brown-McCallum), only the resultant
    assert project_once([z - x, z - y], "z") == [x - y]


def test_never_nullified_needs_a_nonzero_constant_coefficient():
    assert never_nullified(z**2 + x * z + y - 3, "z")  # leading coefficient 1
    assert never_nullified(x * z**2 + y * z + 2, "z")  # constant term 2
    assert not never_nullified(x * z**2 + y * z, "z")  # constant term 0 does not count
    assert not never_nullified(x * z + y - 1, "z")  # vanishes identically at (0, 1)


def test_brown_mccallum_reduction_of_lazards_operator():
    # monic: the trailing coefficient y - 3 is never needed, only the discriminant
    f = z**2 + x * z + y - 3
    assert project_once([f], "z") == project_once([f], "z", trailing=[f]) == [x**2 - 4 * y + 12]
    # x*z + y - 1 vanishes identically at (0, 1): its trailing coefficient is projected once the
    # lifting asks for it (``trailing``); until then the factor is listed as unverified
    g = x * z + y - 1
    assert project_once([g], "z") == [x]
    assert project_once([g], "z", trailing=[g]) == [x, y - 1]
    assert project([g], R).unverified == {g: (x,)}  # certified where its leading coefficient x /= 0
    assert project([g], R, trailing=[g]).unverified == {}
    assert project([f], R).unverified == {}
    assert project([g], R, "mccallum").unverified == {}  # McCallum checks every factor


def test_certifying_coefficients_spare_a_trailing_coefficient():
    # f = x z^2 + y z + y^2 (order x < y < z): its discriminant y^2 (1 - 4 x) makes y a projection
    # factor, so y and y^2 are sign-invariant like the leading coefficient x. Over the cell
    # {x = 0, y > 0} (dimension 1) x vanishes but y does not, so f vanishes identically nowhere
    # there: no trailing coefficient is learnt (before, the vanishing x alone forced one).
    f = x * z**2 + y * z + y**2
    projection = project([f], R)
    assert projection.unverified == {f: (x, y, y**2)}
    decomposition = cad([f], ["x", "y", "z"])
    assert not any("trailing" in n for n in decomposition.notes), decomposition.notes
    # the decomposition is sign-invariant on the fibre x = 0, where f = y (z + y)
    checked = 0
    for cell in decomposition.cells(3):
        coords = cell.sample.coordinates()
        if coords[0] == 0 and coords[1] != 0 and all(isinstance(v, Fraction) for v in coords):
            value = f.subs({"x": 0, "y": coords[1], "z": coords[2]}).constant_value()
            assert cell.signs[f] == (value > 0) - (value < 0)
            checked += 1
    assert checked >= 4
    # the leading coefficient is certifying for every unverified factor of the full Kahan problem
    ring = PolyRing(["d", "c", "b", "a", "y", "x"])
    d_, c_, b_, a_, y_, x_ = ring.gens
    ellipse = b_ * (x_ - c_) ** 2 + a_ * (y_ - d_) ** 2 - a_ * b_
    kahan = project([ellipse, x_**2 + y_**2 - 1], ring, equational=[ellipse])
    for p, certifying in kahan.unverified.items():
        assert certifying[0] == p.leading_coeff(p.main_variable()), p


def test_a_coefficient_restricted_to_a_section_certifies_it():
    # f = (y - x)(z^3 + z) + y^2 + x y - x^2 (order x < y < z): lc y - x and the coefficient
    # y - x of z vanish on the sections y = x, and the trailing coefficient is not a projection
    # factor. Restricted to y = x it is x^2, whose factor x is one; so over the sections
    # {y = x, x /= 0} f vanishes identically nowhere and no trailing coefficient is learnt (f is
    # nullified only at the 0-dimensional cell x = y = 0, which Lazard evaluation handles).
    f = (y - x) * (z**3 + z) + y**2 + x * y - x**2
    [(g, certifying)] = project([f], R).unverified.items()
    assert g == -f and certifying == (x - y, x - y)  # the factor is stored as -f
    decomposition = cad([f], ["x", "y", "z"])
    assert not any("trailing" in n for n in decomposition.notes), decomposition.notes
    # over those sections f = x^2 > 0: a single cell, where g = -f is negative
    sections = [
        c
        for c in decomposition.cells(2)
        if c.signs.get(x - y) == 0 and c.sample.coordinates()[0] != 0
    ]
    assert len(sections) >= 2
    for c in sections:
        assert [child.signs[g] for child in c.children] == [-1]


def test_cad_learns_the_trailing_coefficients_it_needs():
    # over the cell {x = 0} x R (sample (0, 0)) the leading coefficient of x*z + y - 1 vanishes;
    # the CAD is rebuilt with the trailing coefficient y - 1, which makes (0, 1) a cell
    decomposition = cad(["x*z + y - 1"], ["x", "y", "z"])
    assert any("trailing coefficients projected" in n for n in decomposition.notes)
    assert y - 1 in decomposition.projection.factors(2)
    over_zero = [c for c in decomposition.cells(2) if c.sample.coordinates()[0] == 0]
    assert len(over_zero) == 3  # y < 1, y = 1, y > 1


def test_equational_constraint_restricts_first_projection():
    e = z**2 + x**2 + y**2 - 1
    g1, g2 = z - x, z - y
    full = project([e, g1, g2], R)
    reduced = project([e, g1, g2], R, equational=[e])
    # res(g1, g2) = x - y is dropped under the equational constraint
    assert x - y in full.factors(2)
    assert x - y not in reduced.factors(2)
    assert reduced.count() < full.count()
    with pytest.raises(InputError):
        project([e, g1], R, equational=[x**2 - y])


def test_projection_levels_are_consistent():
    proj = project([x * y * z - 1, x**2 + z**2 - y], R)
    for k in (1, 2, 3):
        assert all(p.level() == k for p in proj.factors(k))
    assert proj.count() == sum(len(proj.factors(k)) for k in (1, 2, 3))
