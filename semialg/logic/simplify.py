"""Cheap, sound simplification of formulas (no polynomial arithmetic beyond sign flips).

Rules, applied bottom-up in one pass:

* constants fold through every connective and quantifier; ``~~a`` is ``a``; ``~(p < 0)`` is the
  atom ``p >= 0``;
* ``And``/``Or`` are flattened, duplicates removed, and ``a`` together with ``~a`` gives
  ``FALSE`` (in ``And``) or ``TRUE`` (in ``Or``);
* atoms over the same polynomial up to sign are merged through their sign sets: ``p < 0 /\\
  p > 0`` is ``FALSE``, ``p <= 0 /\\ -p <= 0`` is ``p = 0``, ``p < 0 \\/ p = 0`` is ``p <= 0``,
  ``p < 0 \\/ p >= 0`` is ``TRUE`` (each relation is the set of signs of ``p`` it allows);
* ``a ==> a`` and ``a <==> a`` are ``TRUE``, ``a <==> ~a`` is ``FALSE``;
* a quantifier drops the variables that are not free in its body (and disappears if none is
  left) and absorbs a directly nested quantifier of the same kind.

Each rule is an equivalence over the reals, so ``simplify(f)`` is equivalent to ``f``.
"""

from __future__ import annotations

from .formula import (
    FALSE,
    MIRRORED,
    SIGNS,
    TRUE,
    And,
    Atom,
    BooleanConstant,
    Equivalent,
    Formula,
    Implies,
    Not,
    Or,
    QuantifiedFormula,
    relation_from_signs,
)
from .normal_forms import _keep_ring


def simplify(f: Formula) -> Formula:
    """A simpler formula equivalent to ``f`` (see the module docstring for the rules)."""
    return _keep_ring(_simp(f), f.ring)


def negation(f: Formula) -> Formula:
    """A cheap formula for ``~f``: flips constants and atoms, strips a double negation."""
    if isinstance(f, BooleanConstant):
        return FALSE if f.value else TRUE
    if isinstance(f, Atom):
        return f.negated()
    if isinstance(f, Not):
        return f.arg
    return Not(f)


def _simp(f: Formula) -> Formula:
    if isinstance(f, BooleanConstant | Atom):
        return f
    if isinstance(f, Not):
        return negation(_simp(f.arg))
    if isinstance(f, And | Or):
        return _simp_nary(type(f), [_simp(a) for a in f.args])
    if isinstance(f, Implies):
        a, b = _simp(f.left), _simp(f.right)
        if a is TRUE:
            return b
        if a is FALSE or b is TRUE or a == b:
            return TRUE
        if b is FALSE:
            return negation(a)
        if negation(a) == b:
            return b
        return Implies(a, b)
    if isinstance(f, Equivalent):
        a, b = _simp(f.left), _simp(f.right)
        for x, y in ((a, b), (b, a)):
            if x is TRUE:
                return y
            if x is FALSE:
                return negation(y)
        if a == b:
            return TRUE
        if negation(a) == b:
            return FALSE
        return Equivalent(a, b)
    if isinstance(f, QuantifiedFormula):
        body = _simp(f.body)
        free = body._free_set()
        vs = tuple(v for v in f.vars if v in free)
        if not vs:
            return body
        if type(body) is type(f):
            return type(f)(vs + body.vars, body.body)  # type: ignore[attr-defined]
        return type(f)(vs, body)
    raise TypeError(f"not a formula: {f!r}")  # pragma: no cover


def _orientation(a: Atom) -> tuple[object, int]:
    """``(key, s)`` with ``s * a.poly`` having a positive leading coefficient."""
    p = a.poly
    s = 1 if p.raw.leading_coefficient() > 0 else -1
    q = p if s == 1 else -p
    return q, s


def _simp_nary(cls: type[And] | type[Or], args: list[Formula]) -> Formula:
    is_and = cls is And
    absorbing = FALSE if is_and else TRUE
    neutral = TRUE if is_and else FALSE
    flat: list[Formula] = []
    for a in args:
        flat.extend(a.args if isinstance(a, cls) else (a,))  # type: ignore[attr-defined]
    out: dict[Formula, None] = {}
    groups: dict[object, tuple[Atom, int, frozenset[int]]] = {}
    for a in flat:
        if a is absorbing:
            return absorbing
        if a is neutral:
            continue
        if isinstance(a, Atom):
            key, s = _orientation(a)
            signs = frozenset(s * x for x in SIGNS[a.rel])  # signs of the oriented polynomial
            if key in groups:
                first, s0, old = groups[key]
                groups[key] = (first, s0, (old & signs) if is_and else (old | signs))
                continue
            groups[key] = (a, s, signs)
        out[a] = None
    result: list[Formula] = []
    for a in out:
        if isinstance(a, Atom):
            key, _ = _orientation(a)
            first, s0, signs = groups[key]
            rel = relation_from_signs(s0 * x for x in signs)  # back to first's orientation
            if rel is (not is_and):  # empty set in And / all signs in Or
                return absorbing
            if rel is is_and:  # cannot happen for And (intersection of proper sets)
                continue  # pragma: no cover
            a = first if rel == first.rel else Atom(first.poly, rel)  # type: ignore[arg-type]
        result.append(a)
    seen = set(result)
    for a in result:
        if negation(a) in seen:
            return absorbing
    deduped = list(dict.fromkeys(result))
    if not deduped:
        return neutral
    return cls(*deduped)


__all__ = ["MIRRORED", "negation", "simplify"]
