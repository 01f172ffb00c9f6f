"""Projection operators: known answers and structural properties."""

from __future__ import annotations

import pytest

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
    lazard = project_once([f], "z", "lazard")
    mccallum = project_once([f], "z", "mccallum")
    # trailing coefficient (of z^1) is y; leading is x; discriminant y^2
    assert lazard == [x, y]
    assert mccallum == [x, y]  # y still appears through the discriminant y^2
    g = x * z**2 + y * z + x * y
    assert y in project_once([g], "z", "lazard") or x * y in project_once([g], "z", "lazard")


def test_lazard_trailing_coefficient_is_the_lowest_nonzero_one():
    f = y * z**3 + x * z**2
    assert f.trailing_coeff("z") == x
    assert x in project_once([f], "z", "lazard")


def test_resultants_of_pairs():
    f, g = y * z - x, x * z - 1
    # Lazard: leading coefficients y, x, trailing coefficients x, 1, res = y*(-1) - (-x)*x
    assert project_once([f, g], "z") == [x, y, x**2 - y]
    # McCallum only the leading coefficients and the resultant
    assert project_once([f, g], "z", "mccallum") == [x, y, x**2 - y]
    # monic in z: no trailing coefficients (Brown-McCallum), only the resultant
    assert project_once([z - x, z - y], "z") == [x - y]


def test_never_nullified_needs_a_nonzero_constant_coefficient():
    assert never_nullified(z**2 + x * z + y - 3, "z")  # leading coefficient 1
    assert never_nullified(x * z**2 + y * z + 2, "z")  # constant term 2
    assert not never_nullified(x * z**2 + y * z, "z")  # constant term 0 does not count
    assert not never_nullified(x * z + y - 1, "z")  # vanishes identically at (0, 1)


def test_brown_mccallum_reduction_drops_only_impossible_trailing_coefficients():
    # monic: the trailing coefficient y - 3 is not needed, only the discriminant
    assert project_once([z**2 + x * z + y - 3], "z") == [x**2 - 4 * y + 12]
    # x*z + y - 1 vanishes identically over (0, 1): the trailing coefficient stays, so that the
    # point x = 0, y = 1 becomes a cell; McCallum's operator lacks it (its lifting check then
    # rejects the cell x = 0, where the leading coefficient vanishes)
    assert project_once([x * z + y - 1], "z") == [x, y - 1]
    assert project_once([x * z + y - 1], "z", "mccallum") == [x]


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
