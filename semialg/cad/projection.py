"""Projection operators for cylindrical algebraic decomposition.

Variables are ordered x_1 < ... < x_n (the order of the :class:`~semialg.poly.PolyRing`); a
polynomial's *level* is the index of its main (highest occurring) variable. Projection eliminates
x_n, then x_{n-1}, and so on, producing for each level k the set of *projection factors*: primitive,
irreducible integer polynomials of level k.

Operators (for a set A of irreducible polynomials of level k, in main variable x_k):

- **Lazard** (default; Lazard 1994, proved by McCallum, Parusinski and Paunescu, "Validity proof of
  Lazard's method for CAD", J. Symb. Comp. 92, 2019): leading and trailing coefficients and
  discriminant of each f in A, and resultants of pairs. Valid for every input, provided lifting uses
  Lazard evaluation (see :meth:`semialg.algebraic.SamplePoint.lazard_evaluate`).

  With the Brown-McCallum reduction (Brown and McCallum, "Enhancements to Lazard's method for
  cylindrical algebraic decomposition", CASC 2020; stated as Theorem 2.1 and Definition 11 of
  Davenport, Nair, Sankaran, Uncu, "Lazard-style CAD and equational constraints", ISSAC 2023):
  f is Lazard analytic delineable, and lex-least invariant in its sections and sectors, over a
  connected analytic submanifold S on which its leading coefficient and discriminant are lex-least
  invariant and at no point of which f vanishes identically. So the trailing coefficient is only
  needed over cells where f may vanish identically. We leave it out

  * always, when some coefficient of f in x_k is a nonzero constant (f is never nullified);
  * otherwise until the lifting finds a cell of positive dimension on which f may vanish
    identically. Such f are listed in :attr:`Projection.unverified` with their *certifying*
    coefficients: those whose irreducible factors are all projection factors (lc(f) always is
    one). A certifying coefficient is sign-invariant on every cell, so if one is nonzero at a
    cell's sample point it is nonzero on the whole cell, and f vanishes identically nowhere on
    it. On a section of a factor linear in x_k, a coefficient restricted to the section can
    certify it too (:func:`~semialg.cad.lifting.build_stack`). When none does, the lifting
    raises :class:`~semialg.cad.lifting.TrailingCoefficientNeeded` and the caller projects
    again with the trailing coefficient of f (the ``trailing`` argument). Over 0-dimensional
    cells nullification is harmless: Lazard evaluation handles it (MPP 2019).

    Projecting another coefficient, nonzero at that sample point, instead of the trailing one
    would also certify the cell. It was measured worse: on the Kahan circle problem 12,496
    cells in 8.5 s against 8,652 cells in 5 s, and on the full Kahan problem 388 level-1
    factors of degree up to 134 instead of 539 of degree up to 108, neither within reach.

  The result is valid for every input, as Lazard's operator is.
- **McCallum** (McCallum 1988; with Brown's reduction, Brown 2001): all coefficients are replaced by
  the leading coefficient, plus discriminants and resultants. Valid only when the input is well
  oriented (no projection factor vanishes identically over a cell of positive dimension); the
  lifting phase checks this and the engine falls back to Lazard otherwise.
- **Equational constraint** (McCallum 1999 for the McCallum operator; Nair, Davenport, Sankaran,
  "On benefits of equality constraints in lex-least invariant CAD", SC-square 2019, for Lazard):
  when an equation f = 0 of level n is a conjunct of the formula, the first projection only needs
  the projection of f and the resultants res(f, g) for the other polynomials g. The resulting CAD
  is sign-invariant for all inputs only on the sections of f; the lifting phase checks that f is
  not nullified over any cell and otherwise falls back to the full operator.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Literal

from ..errors import InputError
from ..poly import Poly, PolyRing

ProjectionMethod = Literal["lazard", "mccallum"]


def _sort_key(p: Poly) -> tuple:
    return (p.level(), p.total_degree(), len(p.raw.to_dict()), str(p))


def irreducible_factors(
    polys: Iterable[Poly], check: Callable[[], None] = lambda: None
) -> list[Poly]:
    """The distinct non-constant irreducible factors of some polynomials, sorted canonically.

    ``check`` is called between factorisations (a budget's time check).
    """
    seen: dict[Poly, None] = {}
    for p in polys:
        if p.is_zero or p.is_constant():
            continue
        check()
        for f in p.irreducible_factors():
            seen.setdefault(f, None)
    return sorted(seen, key=_sort_key)


# Discriminants and resultants are the bulk of a projection's cost. A QE run may project the same
# factors several times (trailing coefficients learnt by the lifting, derivatives added for
# solution formulas, equational constraints dropped), so their irreducible factors are memoised.
_MEMO_SIZE = 4096


@functools.lru_cache(maxsize=_MEMO_SIZE)
def _discriminant_factors(f: Poly, var: str) -> tuple[Poly, ...]:
    return tuple(irreducible_factors([f.discriminant(var)]))


@functools.lru_cache(maxsize=_MEMO_SIZE)
def _resultant_factors(f: Poly, g: Poly, var: str) -> tuple[Poly, ...]:
    return tuple(irreducible_factors([f.resultant(g, var)]))


def never_nullified(f: Poly, var: str) -> bool:
    """True if ``f`` cannot vanish identically over any point: a coefficient in ``var`` is a
    nonzero constant."""
    return any(c.is_constant() and not c.is_zero for c in f.coeffs_in(var))


def _lazard_single(f: Poly, var: str, trailing: bool) -> list[Poly]:
    out = [f.leading_coeff(var)]
    if trailing and not never_nullified(f, var):  # Brown-McCallum: tc only where needed
        out.append(f.trailing_coeff(var))
    if f.degree(var) >= 2:
        out.extend(_discriminant_factors(f, var))
    return out


def _mccallum_single(f: Poly, var: str, trailing: bool = False) -> list[Poly]:
    # ``trailing`` is ignored (McCallum's operator projects no trailing coefficient); the
    # parameter keeps the signature of _lazard_single for project_once.
    out = [f.leading_coeff(var)]
    if f.degree(var) >= 2:
        out.extend(_discriminant_factors(f, var))
    return out


def project_once(
    factors: Sequence[Poly],
    var: str,
    method: ProjectionMethod = "lazard",
    equational: Sequence[Poly] = (),
    check: Callable[[], None] = lambda: None,
    trailing: Collection[Poly] = (),
) -> list[Poly]:
    """One projection step: eliminate ``var`` from irreducible polynomials with that main variable.

    Returns the irreducible factors of the projection set (polynomials in lower variables). With
    ``equational`` (a subset E of ``factors``: the factors of an equational constraint), apply the
    reduced operator P(E) + {res(e, g) : e in E, g not in E}. ``trailing``: the factors whose
    trailing coefficient Lazard's operator projects (see the module docstring).
    """
    single = _lazard_single if method == "lazard" else _mccallum_single
    raw: list[Poly] = []
    if equational:
        eqs = list(equational)
        if any(e not in factors for e in eqs):
            raise InputError("an equational constraint's factors must be projection factors")
        others = [g for g in factors if g not in eqs]
        for e in eqs:
            check()
            raw.extend(single(e, var, e in trailing))
        pairs = [*combinations(eqs, 2), *((e, g) for e in eqs for g in others)]
    else:
        for f in factors:
            check()
            raw.extend(single(f, var, f in trailing))
        pairs = list(combinations(factors, 2))
    for f, g in pairs:
        check()
        raw.extend(_resultant_factors(f, g, var))
    return irreducible_factors(raw, check)


@dataclass
class Projection:
    """The projection factors of every level, and how they were obtained.

    ``levels[k]`` (k = 1..n; index 0 unused) holds the irreducible projection factors of level k.
    ``equational`` holds the factors of the equational constraint used in the first step, if any.
    ``unverified`` maps the factors whose trailing coefficient Lazard's operator left out although
    they may vanish identically somewhere to their certifying coefficients (leading first; see
    the module docstring): over a cell of positive dimension the lifting must see one of them
    nonzero.
    """

    ring: PolyRing
    method: ProjectionMethod
    levels: list[list[Poly]] = field(default_factory=list)
    equational: tuple[Poly, ...] = ()
    unverified: dict[Poly, tuple[Poly, ...]] = field(default_factory=dict)
    _certifying: dict[Poly, tuple[Poly, ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @property
    def nvars(self) -> int:
        return self.ring.nvars

    def factors(self, level: int) -> list[Poly]:
        return self.levels[level]

    def all_factors(self) -> list[Poly]:
        return [p for level in self.levels[1:] for p in level]

    @functools.cached_property
    def factor_set(self) -> frozenset[Poly]:
        """All projection factors, for membership tests."""
        return frozenset(self.all_factors())

    def count(self) -> int:
        return sum(len(level) for level in self.levels[1:])

    def certifying(self, f: Poly) -> tuple[Poly, ...]:
        """The certifying coefficients of the factor ``f`` (see :func:`certifying_coefficients`):
        those recorded in :attr:`unverified`, else computed once and kept."""
        if f in self.unverified:
            return self.unverified[f]
        cached = self._certifying.get(f)
        if cached is None:
            var = f.main_variable()
            assert var is not None
            cached = self._certifying[f] = certifying_coefficients(f, var, self.factor_set)
        return cached


def project(
    polys: Iterable[Poly],
    ring: PolyRing,
    method: ProjectionMethod = "lazard",
    equational: Sequence[Poly] = (),
    extra: Iterable[Poly] = (),
    check: Callable[[], None] = lambda: None,
    trailing: Iterable[Poly] = (),
) -> Projection:
    """Complete projection of ``polys`` (plus ``extra`` polynomials) down to level 1.

    ``equational``: the irreducible factors (all of level n) of an equational constraint; they
    restrict the first projection step only (see the module docstring). ``trailing``: factors
    whose trailing coefficients Lazard's operator must project (learnt from
    :class:`~semialg.cad.lifting.TrailingCoefficientNeeded`).
    """
    keep = frozenset(trailing)
    n = ring.nvars
    levels: list[set[Poly]] = [set() for _ in range(n + 1)]
    for f in irreducible_factors([*polys, *extra], check):
        levels[f.level()].add(f)
    eqs = tuple(e.primitive_part() for e in equational)
    if any(e.level() != n or e not in levels[n] for e in eqs):
        raise InputError("an equational constraint's factors must be input factors of level n")
    for k in range(n, 1, -1):
        var = ring.names[k - 1]
        current = sorted(levels[k], key=_sort_key)
        for g in project_once(current, var, method, eqs if k == n else (), check, keep):
            levels[g.level()].add(g)
    projection = Projection(
        ring=ring,
        method=method,
        levels=[sorted(level, key=_sort_key) for level in levels],
        equational=eqs,
    )
    if method == "lazard":
        for k in range(2, n + 1):
            var = ring.names[k - 1]
            for f in eqs if k == n and eqs else levels[k]:  # only delineated factors matter
                if f not in keep and not never_nullified(f, var):
                    projection.unverified[f] = certifying_coefficients(
                        f, var, projection.factor_set
                    )
    return projection


def certifying_coefficients(f: Poly, var: str, factors: Collection[Poly]) -> tuple[Poly, ...]:
    """The nonzero coefficients of ``f`` in ``var``, leading first, whose irreducible factors are
    all in ``factors``: sign-invariant on every cell of a CAD for those factors."""
    coeffs = [c for c in reversed(f.coeffs_in(var)) if not c.is_zero]
    return tuple(c for c in coeffs if all(g in factors for g in coefficient_factors(c)))


@functools.lru_cache(maxsize=_MEMO_SIZE)
def coefficient_factors(c: Poly) -> tuple[Poly, ...]:
    """The irreducible factors of ``c``, normalised as projection factors (memoised)."""
    return tuple(irreducible_factors([c]))
