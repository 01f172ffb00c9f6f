"""Virtual substitution: quantifier elimination for variables occurring at most quadratically.

References:

* V. Weispfenning, "Quantifier elimination for real algebra -- the quadratic case and beyond",
  AAECC 8 (1997) 85-101 (test points with square roots, the substitution rules below);
* R. Loos and V. Weispfenning, "Applying linear quantifier elimination", The Computer Journal
  36 (1993) 450-462 (``-infinity`` and ``+epsilon``, the "lower bounds only" choice);
* M. Košta, "New concepts for real quantifier elimination by virtual substitution", PhD thesis,
  Saarland University, 2016 (the presentation of test points and guards used here).

Let ``phi`` be quantifier-free in negation normal form and every atom ``p ~ 0`` of degree at most
2 in ``x``. The set of ``x`` satisfying ``phi`` (for fixed values of the other variables) is a
finite union of intervals. If it is not empty, it is unbounded below, or it has a leftmost point
``r`` of a connected component. Since ``phi`` is a positive combination of atoms, some atom
changes its truth value at ``r``: if ``r`` belongs to the set, an atom with ``=``, ``<=`` or
``>=`` that is true at ``r`` and false just left of it; otherwise an atom with ``<``, ``>`` or
``!=`` that is false at ``r`` and true just right of it. In both cases ``r`` is a real root of
the atom's polynomial (which is not identically zero in ``x``). So

    exists x. phi  <=>  OR_t  (guard_t  and  phi[x // t])

where ``t`` ranges over the *test points*: ``-infinity``; the real roots of the polynomials of
weak atoms; and ``r + epsilon`` for the real roots ``r`` of the polynomials of strict atoms.

Test points of an atom ``p ~ 0`` (``p`` of degree 1 or 2 in ``x``). ``p = g q`` with ``g`` the
content of ``p`` in ``x``. If ``q`` is reducible, its factors are linear and each gives the root
``-c/b`` of ``b x + c`` with guard ``b != 0``. If ``q = a x^2 + b x + c`` is irreducible, its
roots are ``(-b + s sqrt(D)) / (2a)`` with ``D = b^2 - 4ac``, ``s = +-1``, guard
``a != 0 and D >= 0``, and, when ``a`` is not a constant, ``-c/b`` with guard ``a = 0 and
b != 0``. Only roots where the atom can become true from the left are kept (when ``g`` is a
constant): since ``q'(root) = s sqrt(D)``, atoms ``q < 0`` and ``q <= 0`` need only ``s = -1``
(and ``b < 0`` in the degenerate case), ``q > 0`` and ``q >= 0`` only ``s = +1`` (and ``b > 0``).
A linear atom ``b x + c < 0`` with ``b`` a positive constant has no test point: it gives upper
bounds only. Eliminating over ``x`` and over ``-x`` (upper bounds, ``+infinity`` and ``-epsilon``)
are both valid; the one with fewer test points is used. A conjunct ``p = 0`` restricts the test
points to the roots of ``p`` plus the case that ``p`` vanishes identically in ``x``.

Substitution rules (``p = sum_i p_i x^i`` of degree ``n`` in ``x``):

* ``t = (A + B sqrt(C)) / D`` under ``D != 0, C >= 0``: with ``e = n + (n mod 2)``, exactly
  ``D^e p(t) = P + Q sqrt(C)`` for polynomials ``P, Q`` (computed in ``Z[...][sqrt(C)]``), and
  ``D^e > 0``. Then (``R = P^2 - Q^2 C``)

  - ``P + Q sqrt(C) = 0``  <=>  ``P Q <= 0 and R = 0``;
  - ``P + Q sqrt(C) != 0`` <=>  ``P Q > 0 or R != 0``;
  - ``P + Q sqrt(C) < 0``  <=>  ``(P < 0 and R > 0) or (Q <= 0 and (P < 0 or R < 0))``;
  - ``P + Q sqrt(C) <= 0`` <=>  ``(P <= 0 and R >= 0) or (Q <= 0 and R <= 0)``;
  - ``>`` and ``>=`` are ``<`` and ``<=`` for ``-P - Q sqrt(C)``.

  If ``Q = 0`` this is ``P ~ 0`` (for rational ``t`` it is :func:`substitute_quotient`); if
  ``P = 0`` it is the sign of ``Q`` unless ``C = 0``.
* ``t + epsilon``: ``p(t + eps) = 0`` iff all ``p_i = 0``, ``!=`` iff some ``p_i != 0``, and
  ``p(t + eps) < 0`` iff ``p(t) < 0 or (p(t) = 0 and p'(t + eps) < 0)``, recursively down to the
  ``x``-free derivative ``n! p_n < 0`` (``<=``: the same with ``n! p_n <= 0`` at the bottom).
* ``-infinity``: ``=`` iff all ``p_i = 0``, ``!=`` iff some ``p_i != 0``, and ``p(-inf) < 0`` iff
  ``(-1)^n p_n < 0 or (p_n = 0 and (p - p_n x^n)(-inf) < 0)``, down to ``p_0 < 0`` (``<=``:
  ``p_0 <= 0`` at the bottom).

Every new atom is reduced by its square-free decomposition (``c f^k g^2 < 0`` becomes
``c f < 0 and g != 0``), which also folds atoms such as ``-a^2 <= 0`` to ``TRUE``, and by the
sign of positive sums of even monomials (``a^2 + b^2 < 0`` is ``FALSE``, ``a^2 + b^2 = 0`` is
``a = 0 and b = 0``). The result is then simplified in context (:func:`simplify_in_context`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from math import gcd

from ..cad.budget import check_current
from ..errors import InputError
from ..logic import FALSE, TRUE, And, Atom, BooleanConstant, Formula, Or, nnf
from ..logic.formula import MIRRORED, SIGNS, Relation, relation_holds
from ..poly import Poly
from .prepass import map_atoms, substitute_quotient

#: Default bound on the number of atom occurrences produced by :func:`eliminate_block`.
DEFAULT_MAX_ATOMS = 2000

_STRICT: frozenset[str] = frozenset({"<", ">", "!="})
_DOWN: frozenset[str] = frozenset({"<", "<="})
_UP: frozenset[str] = frozenset({">", ">="})


# -- formula helpers -----------------------------------------------------------------------
def _and(*fs: Formula) -> Formula:
    """Conjunction with constant folding and flattening."""
    out: list[Formula] = []
    for f in fs:
        if f is FALSE:
            return FALSE
        if f is not TRUE:
            out.extend(f.args if isinstance(f, And) else (f,))
    return And(*dict.fromkeys(out))


def _or(*fs: Formula) -> Formula:
    """Disjunction with constant folding and flattening."""
    out: list[Formula] = []
    for f in fs:
        if f is TRUE:
            return TRUE
        if f is not FALSE:
            out.extend(f.args if isinstance(f, Or) else (f,))
    return Or(*dict.fromkeys(out))


def count_atoms(f: Formula) -> int:
    """Number of atom occurrences (leaves) of ``f``."""
    return sum(1 for g in f.walk() if isinstance(g, Atom))


def _orient(p: Poly, rel: Relation) -> Formula:
    """The atom ``p rel 0`` with the polynomial's leading coefficient made positive."""
    if not p.is_zero and p.raw.leading_coefficient() < 0:
        p, rel = -p, MIRRORED[rel]
    return Atom(p, rel)


def reduce_atom(a: Atom) -> Formula:
    """``a`` rewritten through the square-free decomposition ``p = c * prod f_i^{k_i}``.

    With ``O`` the product of the factors of odd multiplicity and ``E`` of those of even
    multiplicity: ``p = 0`` iff ``O E = 0``; ``p < 0`` iff ``c O < 0 and E != 0``;
    ``p <= 0`` iff ``c O <= 0 or E = 0`` (and likewise for ``>``, ``>=``, ``!=``).
    """
    c, facs = a.poly.sqf_list()
    if len(facs) == 1 and facs[0][1] == 1:
        oriented = _orient(a.poly, a.rel)
        return _sum_of_squares(oriented) if isinstance(oriented, Atom) else oriented
    ring = a.poly.ring
    odd, even = ring.one(), ring.one()
    for f, k in facs:
        if k % 2:
            odd = odd * f
        else:
            even = even * f
    if a.rel in ("=", "!="):
        return _orient(odd * even, a.rel)
    signed = _orient(odd * c, a.rel)
    if a.rel in _STRICT:
        return _and(signed, _orient(even, "!="))
    return _or(signed, _orient(even, "="))


def _sum_of_squares(a: Atom) -> Formula:
    """Fold ``a`` if its polynomial is a positive combination of even monomials ``m_i^2``.

    Such a ``p`` is ``>= 0``; it is ``> 0`` if it has a positive constant term, and otherwise
    ``p = 0`` iff every ``m_i = 0`` (expanded when there are at most 3 monomials).
    """
    terms = a.poly.terms()
    if any(c < 0 or any(e % 2 for e in exps) for exps, c in terms.items()):
        return a
    positive = any(not any(exps) for exps in terms)
    if a.rel in ("<", ">="):
        return FALSE if a.rel == "<" else TRUE
    if positive:
        return TRUE if a.rel in ("!=", ">") else FALSE
    if len(terms) > 3:
        return a
    ring = a.poly.ring
    monomials = []
    for exps in terms:
        m = ring.one()
        for name, e in zip(ring.names, exps, strict=True):
            if e:
                m = m * ring.gen(name)
        monomials.append(m)
    if a.rel in ("=", "<="):
        return _and(*(Atom(m, "=") for m in monomials))
    return _or(*(Atom(m, "!=") for m in monomials))


def _atom(p: Poly, rel: Relation) -> Formula:
    """The atom ``p rel 0``: constant-folded, reduced (:func:`reduce_atom`), oriented."""
    a = Atom(p, rel)
    return reduce_atom(a) if isinstance(a, Atom) else a


def _reduce_atoms(f: Formula) -> Formula:
    return map_atoms(f, reduce_atom)


# -- simplification in context -------------------------------------------------------------
_ALL_SIGNS: frozenset[int] = frozenset({-1, 0, 1})


class _Context:
    """Facts known at a node: one layer per enclosing ``And``/``Or``, innermost first.

    A layer holds, for each sibling index, the sign set of its (oriented) polynomial and, for
    equations ``k v + r = 0`` with ``k`` constant, the solution ``v = -r/k``. Entries are
    replaced as the siblings are simplified, so a lookup always reflects their current form.
    """

    def __init__(self, parent: _Context | None = None):
        self.parent = parent
        self.signs: dict[Poly, dict[int, frozenset[int]]] = {}
        self.solved: dict[str, dict[int, Poly]] = {}

    def put(self, i: int, fact: Formula) -> None:
        """Record that sibling ``i`` is the fact ``fact`` (only atoms give facts)."""
        if not isinstance(fact, Atom):
            return
        self.signs.setdefault(fact.poly, {})[i] = SIGNS[fact.rel]
        if fact.rel == "=":
            solution = _solved_form(fact.poly)
            if solution is not None:
                self.solved.setdefault(solution[0], {})[i] = solution[1]

    def drop(self, i: int, fact: Formula) -> None:
        """Forget the fact recorded for sibling ``i``."""
        if not isinstance(fact, Atom):
            return
        self.signs.get(fact.poly, {}).pop(i, None)
        if fact.rel == "=":
            solution = _solved_form(fact.poly)
            if solution is not None:
                self.solved.get(solution[0], {}).pop(i, None)

    def sign_set(self, p: Poly) -> frozenset[int]:
        out = _ALL_SIGNS
        layer: _Context | None = self
        while layer is not None:
            for s in layer.signs.get(p, {}).values():
                out = out & s
            layer = layer.parent
        return out

    def solution(self, var: str) -> Poly | None:
        layer: _Context | None = self
        while layer is not None:
            for value in layer.solved.get(var, {}).values():
                return value
            layer = layer.parent
        return None


def _solved_form(p: Poly) -> tuple[str, Poly] | None:
    """``(v, value)`` if ``p = k v + r`` is linear with ``k`` a nonzero constant.

    Only linear equations are used, so that substituting never raises degrees.
    """
    if p.total_degree() != 1:
        return None
    v = p.variables()[-1]
    r, k = p.coeffs_in(v)
    return v, -r / k.constant_value()


def _simp_atom(a: Atom, ctx: _Context) -> Formula:
    """``a`` under the facts of ``ctx``: solved variables substituted, then sign sets checked.

    Substituting several context equations at once is sound: each holds wherever ``a`` is
    evaluated.
    """
    p = a.poly
    values = {v: ctx.solution(v) for v in p.variables()}
    if any(val is not None for val in values.values()):
        gens = [p.ring.gen(n) for n in p.ring.names]
        images = [
            v if (v := values.get(n)) is not None else g
            for n, g in zip(p.ring.names, gens, strict=True)
        ]
        f = _atom(p.compose(images, p.ring), a.rel)
        if not isinstance(f, Atom):
            return f
        a = f
    oriented = _orient(a.poly, a.rel)
    if not isinstance(oriented, Atom):
        return oriented
    known = ctx.sign_set(oriented.poly)
    allowed = SIGNS[oriented.rel]
    if known <= allowed:
        return TRUE
    if not known & allowed:
        return FALSE
    return a


def simplify_in_context(f: Formula, ctx: _Context | None = None) -> Formula:
    """Simplify an NNF formula using the sibling atoms of each ``And``/``Or`` as context.

    An atom is ``TRUE`` (``FALSE``) where the known sign set of its polynomial lies inside
    (outside) its relation's sign set; a known linear equation ``k v + r = 0`` substitutes
    ``v = -r/k``. In an ``And`` the siblings are known true, in an ``Or`` false.
    Siblings are simplified one after the other, each in the context of the others' current
    form, so every step is an equivalence (Dolzmann and Sturm, "Simplification of
    quantifier-free formulae over ordered fields", JSC 24, 1997). Linear in the size of ``f``
    times its depth.
    """
    ctx = ctx if ctx is not None else _Context()
    if isinstance(f, Atom):
        return _simp_atom(f, ctx)
    check_current()
    if not isinstance(f, And | Or):
        return f
    is_and = isinstance(f, And)
    absorbing = FALSE if is_and else TRUE

    def fact(g: Formula) -> Formula:
        g = g if is_and or not isinstance(g, Atom) else g.negated()
        return _orient(g.poly, g.rel) if isinstance(g, Atom) else g

    args = list(f.args)
    layer = _Context(ctx)
    for i, g in enumerate(args):
        layer.put(i, fact(g))
    for _ in range(2):
        changed = False
        for i in range(len(args)):
            old = args[i]
            layer.drop(i, fact(old))
            new = simplify_in_context(old, layer)
            if new is absorbing:
                return new
            layer.put(i, fact(new))
            if new != old:
                args[i], changed = new, True
        if not changed:
            break
    return _and(*args) if is_and else _or(*args)


# -- test points ---------------------------------------------------------------------------
@dataclass(frozen=True)
class RootPoint:
    """The test point ``(num + coef * sqrt(rad)) / den``, shifted by ``+epsilon`` if ``eps``.

    ``coef`` is zero for a rational point. ``zero_of`` is ``None`` or a polynomial in the
    eliminated variable that vanishes at the point whenever the point's guard holds.
    """

    num: Poly
    coef: Poly
    rad: Poly
    den: Poly
    eps: bool
    zero_of: Poly | None = None

    def key(self) -> tuple[Poly, Poly, Poly, Poly, bool]:
        return (self.num, self.coef, self.rad, self.den, self.eps)


@dataclass(frozen=True)
class MinusInfinity:
    """The test point ``-infinity`` (an arbitrarily small real)."""


VSPoint = RootPoint | MinusInfinity


def _rational_gcd(values: Iterable[Fraction]) -> Fraction:
    num, den = 0, 1
    for v in values:
        num = gcd(num * v.denominator, v.numerator * den)
        den = den * v.denominator
        g = gcd(num, den)
        num, den = num // g, den // g
    return Fraction(num, den)


def _make_point(
    num: Poly, coef: Poly, rad: Poly, den: Poly, eps: bool, zero_of: Poly | None
) -> RootPoint:
    """A normalised point: common factors of ``num, coef, den`` removed, ``den`` positive lead.

    Dividing by a common factor is exact where ``den != 0`` (the guard), so the value is kept.
    """
    if coef.is_zero:
        rad = den.ring.one()
    g = den.gcd(num).gcd(coef)
    if not g.is_constant():
        num, coef, den = num.exquo(g), coef.exquo(g), den.exquo(g)
    c = _rational_gcd(p.content() for p in (num, coef, den) if not p.is_zero)
    if den.raw.leading_coefficient() < 0:
        c = -c
    if c != 1:
        num, coef, den = num / c, coef / c, den / c
    return RootPoint(num, coef, rad, den, eps, zero_of)


def _direction_guard(b: Poly, direction: str) -> Formula:
    """Sign condition on the slope ``b`` of a root where an atom may become true from the left."""
    return _atom(b, {"down": "<", "up": ">"}.get(direction, "!="))


def _linear_roots(f: Poly, var: str, direction: str, eps: bool) -> list[tuple[RootPoint, Formula]]:
    c, b = f.coeffs_in(var)
    guard = _direction_guard(b, direction)
    if guard is FALSE:
        return []
    one = f.ring.one()
    return [(_make_point(-c, f.ring.zero(), one, b, eps, f), guard)]


def _quadratic_roots(
    f: Poly, var: str, direction: str, eps: bool
) -> list[tuple[RootPoint, Formula]]:
    c, b, a = f.coeffs_in(var)
    disc = b * b - 4 * a * c
    out: list[tuple[RootPoint, Formula]] = []
    guard = _and(_atom(a, "!="), _atom(disc, ">="))
    if guard is not FALSE:
        signs = {"down": (-1,), "up": (1,)}.get(direction, (-1, 1))
        for s in signs:
            out.append((_make_point(-b, f.ring.constant(s), disc, 2 * a, eps, f), guard))
    if not a.is_constant():
        degenerate = _and(_atom(a, "="), _direction_guard(b, direction))
        if degenerate is not FALSE:
            one = f.ring.one()
            out.append((_make_point(-c, f.ring.zero(), one, b, eps, f), degenerate))
    return out


def _roots(f: Poly, var: str, direction: str, eps: bool) -> list[tuple[RootPoint, Formula]]:
    d = f.degree(var)
    if d == 1:
        return _linear_roots(f, var, direction, eps)
    if d == 2:
        return _quadratic_roots(f, var, direction, eps)
    raise InputError(f"virtual substitution needs degree <= 2 in {var}, got {f}")


def atom_test_points(atom: Atom, var: str) -> list[tuple[RootPoint, Formula]]:
    """The test points ``(point, guard)`` of one atom (none if ``var`` does not occur).

    Weak atoms give their roots, strict atoms their roots ``+ epsilon``; the roots are only
    those at which the atom can switch from false (left) to true (see the module docstring).
    """
    p = atom.poly
    if p.degree(var) < 1:
        return []
    eps = atom.rel in _STRICT
    direction = "down" if atom.rel in _DOWN else "up" if atom.rel in _UP else "any"
    g = p.content_in(var)
    q = p if g.is_constant() else p.exquo(g)
    if not g.is_constant():
        direction = "any"
    _, facs = q.factor_list()
    xfacs = [f for f, _ in facs if f.degree(var) >= 1]
    if len(facs) == 1 and facs[0][1] == 1 and len(xfacs) == 1:
        return _roots(q, var, direction, eps)
    return [pt for f in xfacs for pt in _roots(f, var, "any", eps)]


def _collect(pairs: Iterable[tuple[RootPoint, Formula]]) -> dict[tuple, tuple[RootPoint, Formula]]:
    """Deduplicate test points; equal points get the disjunction of their guards."""
    out: dict[tuple, tuple[RootPoint, Formula]] = {}
    for pt, guard in pairs:
        k = pt.key()
        if k in out:
            old, g = out[k]
            zero = old.zero_of if old.zero_of == pt.zero_of else None
            out[k] = (RootPoint(*k, zero_of=zero), _or(g, guard))
        else:
            out[k] = (pt, guard)
    return out


def candidate_points(matrix: Formula, var: str) -> list[tuple[VSPoint, Formula]]:
    """All test points ``(point, guard)`` of ``matrix`` for ``var``: ``-infinity`` first."""
    pairs = [pt for a in matrix.atoms() for pt in atom_test_points(a, var)]
    return [(MinusInfinity(), TRUE), *_collect(pairs).values()]


# -- substitution --------------------------------------------------------------------------
def _sqrt_value(p: Poly, var: str, t: RootPoint) -> tuple[Poly, Poly]:
    """``(P, Q)`` with ``den^e p(t) = P + Q sqrt(rad)`` exactly, ``e`` = deg p made even."""
    coeffs = p.coeffs_in(var)
    n = len(coeffs) - 1
    e = n + n % 2
    zero = p.ring.zero()
    big_p, big_q = zero, zero
    pow_p, pow_q = p.ring.one(), zero  # (num + coef sqrt(rad))^i
    for i, c in enumerate(coeffs):
        if not c.is_zero:
            scale = c * t.den ** (e - i)
            big_p = big_p + scale * pow_p
            big_q = big_q + scale * pow_q
        pow_p, pow_q = pow_p * t.num + pow_q * t.coef * t.rad, pow_p * t.coef + pow_q * t.num
    return big_p, big_q


def sqrt_sign_condition(big_p: Poly, big_q: Poly, rad: Poly, rel: Relation) -> Formula:
    """A quantifier-free formula for ``P + Q sqrt(C) rel 0``, valid wherever ``C >= 0``."""
    if big_q.is_zero:
        return _atom(big_p, rel)
    if rel in _UP:
        return sqrt_sign_condition(-big_p, -big_q, rad, MIRRORED[rel])
    if big_p.is_zero:  # Q sqrt(C)
        if rel in _STRICT:
            return _and(_atom(big_q, rel), _atom(rad, ">"))
        return _or(_atom(big_q, rel), _atom(rad, "="))
    r = big_p * big_p - big_q * big_q * rad
    if rel == "=":
        return _and(_atom(big_p * big_q, "<="), _atom(r, "="))
    if rel == "!=":
        return _or(_atom(big_p * big_q, ">"), _atom(r, "!="))
    if rel == "<":
        return _or(
            _and(_atom(big_p, "<"), _atom(r, ">")),
            _and(_atom(big_q, "<="), _or(_atom(big_p, "<"), _atom(r, "<"))),
        )
    return _or(  # <=
        _and(_atom(big_p, "<="), _atom(r, ">=")),
        _and(_atom(big_q, "<="), _atom(r, "<=")),
    )


def _sub_point(p: Poly, rel: Relation, var: str, t: RootPoint) -> Formula:
    """``p(t) rel 0`` for an unshifted root point ``t`` (under its guard)."""
    if p.degree(var) < 1:
        return _atom(p, rel)
    if t.zero_of is not None and t.zero_of.divides(p):
        return TRUE if relation_holds(rel, 0) else FALSE
    if t.coef.is_zero:
        return _reduce_atoms(substitute_quotient(Atom(p, rel), var, t.num, t.den))
    big_p, big_q = _sqrt_value(p, var, t)
    return sqrt_sign_condition(big_p, big_q, t.rad, rel)


def _sub_epsilon(p: Poly, rel: Relation, var: str, t: RootPoint) -> Formula:
    """``p(t + epsilon) rel 0`` by the lexicographic sign of ``(p, p', p'', ...)`` at ``t``."""
    if p.degree(var) < 1:
        return _atom(p, rel)
    if rel == "=":
        return _and(*(_atom(c, "=") for c in p.coeffs_in(var)))
    if rel == "!=":
        return _or(*(_atom(c, "!=") for c in p.coeffs_in(var)))
    strict: Relation = "<" if rel in _DOWN else ">"
    return _or(
        _sub_point(p, strict, var, t),
        _and(_sub_point(p, "=", var, t), _sub_epsilon(p.diff(var), rel, var, t)),
    )


def _sub_minus_infinity(p: Poly, rel: Relation, var: str) -> Formula:
    """``p(-infinity) rel 0``: the sign of the leading coefficient with parity, recursively."""
    coeffs = p.coeffs_in(var)
    if len(coeffs) <= 1:
        return _atom(p, rel)
    if rel == "=":
        return _and(*(_atom(c, "=") for c in coeffs))
    if rel == "!=":
        return _or(*(_atom(c, "!=") for c in coeffs))
    strict: Relation = "<" if rel in _DOWN else ">"
    result = _atom(coeffs[0], rel)
    for i in range(1, len(coeffs)):
        c = coeffs[i]
        signed = c if i % 2 == 0 else -c
        result = _or(_atom(signed, strict), _and(_atom(c, "="), result))
    return result


def substitute_test_point(matrix: Formula, var: str, point: VSPoint) -> Formula:
    """``matrix[var // point]``: the virtual substitution into every atom (NNF matrix)."""
    cache: dict[Atom, Formula] = {}

    def atom(a: Atom) -> Formula:
        if a not in cache:
            if isinstance(point, MinusInfinity):
                cache[a] = _sub_minus_infinity(a.poly, a.rel, var)
            elif point.eps:
                cache[a] = _sub_epsilon(a.poly, a.rel, var, point)
            else:
                cache[a] = _sub_point(a.poly, a.rel, var, point)
        return cache[a]

    return _fold(map_atoms(matrix, atom))


def _fold(f: Formula) -> Formula:
    """Constant folding and flattening of an NNF formula (no other rewriting)."""
    if isinstance(f, And):
        return _and(*(_fold(g) for g in f.args))
    if isinstance(f, Or):
        return _or(*(_fold(g) for g in f.args))
    return f


# -- elimination ---------------------------------------------------------------------------
def _occurs(f: Formula, var: str) -> bool:
    return var in f._free_set()


def _reflect(f: Formula, var: str) -> Formula:
    """``f[var := -var]`` (turns upper bounds into lower bounds)."""

    def atom(a: Atom) -> Formula:
        coeffs = a.poly.coeffs_in(var)
        x = a.poly.ring.gen(var)
        q = a.poly.ring.zero()
        for i, c in enumerate(coeffs):
            q = q + (c if i % 2 == 0 else -c) * x**i
        return Atom(q, a.rel)

    return map_atoms(f, atom)


def _disjunction_over(matrix: Formula, var: str, points) -> Formula:
    parts = []
    for pt, guard in points:
        if guard is FALSE:
            continue
        body = substitute_test_point(matrix, var, pt)
        parts.append(simplify_in_context(_and(guard, body)).simplify())
        if parts[-1] is TRUE:
            return TRUE
    return _or(*parts)


def _pick_equation(conjuncts: tuple[Formula, ...], var: str) -> Atom | None:
    """The equation conjunct in ``var`` with the fewest test points (constant leading coeff.)."""
    best, best_key = None, None
    for c in conjuncts:
        if isinstance(c, Atom) and c.rel == "=" and c.poly.degree(var) >= 1:
            lead = c.poly.leading_coeff(var)
            key = (c.poly.degree(var), not lead.is_constant(), len(c.poly.terms()))
            if best_key is None or key < best_key:
                best, best_key = c, key
    return best


def _exists_with_equation(var: str, eq: Atom, rest: Formula) -> Formula:
    """``exists var (eq and rest)``: the roots of ``eq``, or ``eq`` vanishing identically."""
    points = _collect(atom_test_points(eq, var)).values()
    found = _disjunction_over(rest, var, points)
    vanish = _and(*(_atom(c, "=") for c in eq.poly.coeffs_in(var)))
    if vanish is FALSE:
        return found
    return _or(found, _and(vanish, _exists(var, rest)))


def _exists_general(var: str, matrix: Formula) -> Formula:
    """``exists var matrix`` over all test points, lower or upper bounds, whichever are fewer."""
    lower = candidate_points(matrix, var)
    reflected = _reflect(matrix, var)
    upper = candidate_points(reflected, var)
    if len(upper) < len(lower):
        return _disjunction_over(reflected, var, upper)
    return _disjunction_over(matrix, var, lower)


def _exists(var: str, matrix: Formula) -> Formula:
    if not _occurs(matrix, var):
        return matrix
    if isinstance(matrix, Or):
        return _or(*(_exists(var, d) for d in matrix.args))
    conjuncts = matrix.args if isinstance(matrix, And) else (matrix,)
    outside = [c for c in conjuncts if not _occurs(c, var)]
    inside = tuple(c for c in conjuncts if _occurs(c, var))
    if outside:
        return _and(*outside, _exists(var, _and(*inside)))
    eq = _pick_equation(inside, var)
    if eq is not None:
        rest = _and(*(c for c in inside if c is not eq))
        return _exists_with_equation(var, eq, rest)
    return _exists_general(var, matrix)


def max_degree(matrix: Formula, var: str) -> int:
    """The largest degree of ``var`` in an atom of ``matrix`` (``-1`` if it does not occur)."""
    return max((a.poly.degree(var) for a in matrix.atoms() if var in a.poly.ring.names), default=-1)


def eliminate_exists(var: str, matrix: Formula) -> Formula | None:
    """A quantifier-free formula equivalent over the reals to ``exists var. matrix``.

    ``matrix`` is quantifier-free (it is put in negation normal form first). Returns ``None``
    when virtual substitution does not apply: ``var`` has degree > 2 in some atom. The answer
    is exact for all values of the other variables (degenerate coefficients are handled by the
    guards); it is built over the ring of ``matrix`` and ``var`` no longer occurs in it.
    """
    if not matrix.is_quantifier_free():
        raise InputError("eliminate_exists needs a quantifier-free matrix")
    m = nnf(matrix)
    if isinstance(m, BooleanConstant) or not _occurs(m, var):
        return m
    if max_degree(m, var) > 2:
        return None
    return simplify_in_context(_exists(var, _fold(m)).simplify()).simplify()


def eliminate_block(
    vars: tuple[str, ...], matrix: Formula, max_atoms: int = DEFAULT_MAX_ATOMS
) -> tuple[Formula, tuple[str, ...]]:
    """Eliminate by virtual substitution as many variables of ``exists vars. matrix`` as it can.

    Greedy order: among the variables of degree <= 2 in every atom, the one of lowest degree,
    then occurring in the fewest atoms. A step whose result has more than ``max_atoms`` atom
    occurrences is discarded and that variable is left for the caller. Returns the new matrix
    and the variables still to eliminate (in their original order); variables not occurring in
    the matrix are dropped.
    """
    m = nnf(matrix)
    remaining = [v for v in vars if _occurs(m, v)]
    refused: set[str] = set()
    while True:
        candidates = []
        for v in remaining:
            d = max_degree(m, v)
            if v not in refused and d <= 2:
                n = sum(1 for a in m.atoms() if a.poly.degree(v) > 0)
                candidates.append(((d, n, v), v))
        if not candidates:
            break
        v = min(candidates)[1]
        check_current()
        new = eliminate_exists(v, m)
        if new is None or count_atoms(new) > max_atoms:
            refused.add(v)
            continue
        m = new
        remaining = [w for w in remaining if w != v and _occurs(m, w)]
    return m, tuple(remaining)


__all__ = [
    "DEFAULT_MAX_ATOMS",
    "MinusInfinity",
    "RootPoint",
    "atom_test_points",
    "candidate_points",
    "count_atoms",
    "eliminate_block",
    "eliminate_exists",
    "sqrt_sign_condition",
    "substitute_test_point",
]
