"""One quantified variable in one atom: ``exists t. P(t) ~ 0`` by a generic answer.

Let P = g_n t^n + ... + g_0 with n <= :data:`MAX_DEGREE` and coefficients g_i polynomials in
the free variables. Where g_n != 0, the substitution t = (u - g_{n-1}) / (n g_n) gives

    (n g_n)^n P(t) = g_n M(u),   M = u^n + c_{n-2} u^{n-2} + ... + c_0,

with the c_i polynomials in the g_i, so that sign P(t) = sign(g_n)^(n+1) sign M(u) and t <-> u is
a bijection of R. The generic problem ``exists u. u^n + c_{n-2} u^{n-2} + ... + c_0 ~ 0``, with
the c_i as free variables, is solved once per process by the CAD engine itself
(:func:`generic_answer`: a small CAD in n - 1 free variables, Lazard's quartic for n = 4). Its
answer psi(c) holds for *every* real c, so psi(c(g)) is an answer for every value of the
free variables: quantifier elimination commutes with substituting polynomials for free
variables. Where g_n = 0 the same is done for the lower coefficients.

This is Lazard's solution of Kahan's problem ("Quantifier elimination: optimal solution for two
classical examples", J. Symb. Comp. 5, 1988: the ellipse-in-disk condition as the nonnegativity
of a quartic, read off the general quartic's answer), done by the engine instead of by hand. It
avoids the CAD of free-variable space, whose projection is built from the g_i and is often far
larger than that of the generic problem. The instantiated atoms are written through their
square-free factors (:func:`~semialg.qe.vs.reduce_atom`), which brings the answer down to the
few factors whose signs matter.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from ..errors import BudgetExhausted
from ..logic import FALSE, TRUE, And, Atom, Formula, Or, substitute
from ..poly import Poly, PolyRing
from .prepass import map_atoms
from .vs import reduce_atom

MAX_DEGREE = 4

_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "=", "!=": "!="}


def exists_atom(atom: Atom, var: str) -> Formula:
    """A quantifier-free formula equivalent to ``exists var. atom`` (degree <= MAX_DEGREE)."""
    coeffs = atom.poly.coeffs_in(var)
    if len(coeffs) - 1 > MAX_DEGREE:
        raise ValueError(f"degree {len(coeffs) - 1} in {var} exceeds {MAX_DEGREE}")
    return _exists(coeffs, atom.rel, var).simplify()


def _exists(coeffs: Sequence[Poly], rel: str, var: str) -> Formula:
    while coeffs and coeffs[-1].is_zero:
        coeffs = coeffs[:-1]
    if len(coeffs) <= 1:  # free of var: the atom itself (0 ~ 0 for the zero polynomial)
        return Atom(coeffs[0] if coeffs else 0, rel)
    n = len(coeffs) - 1
    lead = coeffs[-1]
    monic = _depressed(coeffs, var)
    if n % 2 == 1:  # sign P = sign M
        where_nonzero = _instantiate(generic_answer(n, rel), monic)
    elif lead.is_constant():  # sign P = sign(g_n) sign M, with g_n of known sign
        wanted = rel if lead.constant_value() > 0 else _FLIP[rel]
        where_nonzero = _instantiate(generic_answer(n, wanted), monic)
    else:
        same = _instantiate(generic_answer(n, rel), monic)
        flipped = _instantiate(generic_answer(n, _FLIP[rel]), monic)
        where_nonzero = Or(And(Atom(lead, ">"), same), And(Atom(lead, "<"), flipped))
    if lead.is_constant():
        return where_nonzero
    lower = _exists(coeffs[:-1], rel, var)
    return Or(And(Atom(lead, "!="), where_nonzero), And(Atom(lead, "="), lower))


def _depressed(coeffs: Sequence[Poly], var: str) -> list[Poly]:
    """c_0, ..., c_{n-2} of M = u^n + ... with (n g_n)^n P((u - g_{n-1}) / (n g_n)) = g_n M(u)."""
    n = len(coeffs) - 1
    ring = coeffs[0].ring
    t = ring.gen(var)
    p = sum((c * t**i for i, c in enumerate(coeffs)), ring.zero())
    scaled = p.substitute_fraction(var, t - coeffs[n - 1], coeffs[n] * n, n)
    m = scaled.exquo(coeffs[n]).coeffs_in(var)
    assert len(m) == n + 1 and m[n] == ring.one() and m[n - 1].is_zero, "not monic depressed"
    return m[: n - 1]


def _instantiate(psi: Formula, cs: Sequence[Poly]) -> Formula:
    """``psi(c_0, ..., c_{n-2})`` with the polynomials ``cs`` put in for the c_i, each atom then
    written through its square-free factors (:func:`~semialg.qe.vs.reduce_atom`)."""
    if psi is TRUE or psi is FALSE:
        return psi
    instance = substitute(psi, {f"c{i}": c for i, c in enumerate(cs)})
    return map_atoms(instance, reduce_atom)


@functools.cache
def generic_answer(n: int, rel: str) -> Formula:
    """``exists u. u^n + c_{n-2} u^{n-2} + ... + c_0 ~ 0`` in the free variables c_0, c_1, ...

    Computed by the CAD engine without pre-passes (the pre-pass would come back here), under
    what is left of the time budget of the computation in progress, and kept for the process.
    """
    from ..cad.budget import CURRENT, Budget
    from ..logic import Exists
    from .api import qe_detailed  # lazy: the API imports the pre-pass, which imports this
    from .result import Unknown

    ring = PolyRing([*(f"c{i}" for i in range(n - 1)), "u"])
    u = ring.gen("u")
    m = u**n + sum((ring.gen(f"c{i}") * u**i for i in range(n - 1)), ring.zero())
    outer = CURRENT.get()
    inner = Budget()
    if isinstance(outer, Budget):
        if outer.seconds is not None:
            inner.seconds = max(outer.seconds - outer.elapsed(), 1e-3)
        if outer.cells is not None:
            inner.cells = max(outer.cells - outer.used_cells, 0)
    result = qe_detailed(Exists(["u"], Atom(m, rel)), prepass=False, budget=inner)
    if isinstance(result.answer, Unknown):
        raise BudgetExhausted(f"generic answer for degree {n}: {result.answer.reason}")
    if isinstance(outer, Budget):
        outer.charge(result.cells)  # the caller's work, though it is done once per process
    answer = result.answer
    if answer is TRUE or answer is FALSE:
        return answer
    return answer.in_ring(PolyRing([f"c{i}" for i in range(n - 1)]))


__all__ = ["MAX_DEGREE", "exists_atom", "generic_answer"]
