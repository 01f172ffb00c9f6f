"""Normal forms and substitution: negation normal form, prenex normal form, bound renaming.

The transformations are the textbook ones (e.g. Enderton, *A Mathematical Introduction to Logic*,
2nd ed., section 2.6 for prenex form; Harrison, *Handbook of Practical Logic and Automated
Reasoning*, sections 2.5 and 3.5). Quantifier blocks of independent subformulas are interleaved so
that the prefix has as few alternations as the subformulas allow.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import NamedTuple

from ..errors import InputError, InputTypeError
from ..poly import Poly, PolyRing, to_fmpq
from .formula import (
    DUAL,
    FALSE,
    NEGATED,
    QUANTIFIERS,
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
    Quantifier,
    merge_rings,
)

Block = tuple[Quantifier, tuple[str, ...]]


def _keep_ring(result: Formula, ring: PolyRing) -> Formula:
    """Put ``result`` back into ``ring`` when its own ring is a sub-list of it."""
    if result.ring is ring or not result.ring.nvars:
        return result
    if all(n in ring.names for n in result.ring.names):
        return result.in_ring(ring)
    return result


# -- negation normal form -------------------------------------------------------------------
def nnf(f: Formula) -> Formula:
    """Negation normal form: only ``And``, ``Or``, quantifiers over atoms and constants.

    ``Implies(a, b)`` becomes ``~a \\/ b``, ``Equivalent(a, b)`` becomes
    ``[a /\\ b] \\/ [~a /\\ ~b]``, and negations are pushed through connectives and quantifiers
    (De Morgan, ``~ E x. f = A x. ~f``) until they reach atoms, where they flip the relation
    (``~ p < 0`` is ``p >= 0``; exact over the reals). Nothing else changes.
    """
    return _keep_ring(_nnf(f, False), f.ring)


def _nnf(f: Formula, neg: bool) -> Formula:
    if isinstance(f, BooleanConstant):
        return (FALSE if f.value else TRUE) if neg else f
    if isinstance(f, Atom):
        return Atom(f.poly, NEGATED[f.rel]) if neg else f
    if isinstance(f, Not):
        return _nnf(f.arg, not neg)
    if isinstance(f, And):
        args = tuple(_nnf(a, neg) for a in f.args)
        return Or(*args) if neg else And(*args)
    if isinstance(f, Or):
        args = tuple(_nnf(a, neg) for a in f.args)
        return And(*args) if neg else Or(*args)
    if isinstance(f, Implies):
        if neg:
            return And(_nnf(f.left, False), _nnf(f.right, True))
        return Or(_nnf(f.left, True), _nnf(f.right, False))
    if isinstance(f, Equivalent):
        a, b = f.left, f.right
        if neg:
            return Or(And(_nnf(a, False), _nnf(b, True)), And(_nnf(a, True), _nnf(b, False)))
        return Or(And(_nnf(a, False), _nnf(b, False)), And(_nnf(a, True), _nnf(b, True)))
    if isinstance(f, QuantifiedFormula):
        q = DUAL[f.quantifier] if neg else f.quantifier
        return QUANTIFIERS[q](f.vars, _nnf(f.body, neg))
    raise TypeError(f"not a formula: {f!r}")  # pragma: no cover


# -- renaming of bound variables -------------------------------------------------------------
def fresh_name(base: str, used: set[str]) -> str:
    """The first of ``stem1, stem2, ...`` not in ``used`` (``stem`` is ``base`` without trailing
    digits); the name is added to ``used``."""
    stem = base.rstrip("0123456789") or base
    k = 1
    while f"{stem}{k}" in used:
        k += 1
    name = f"{stem}{k}"
    used.add(name)
    return name


def rename_bound(
    f: Formula,
    should_rename: Callable[[str, set[str]], bool],
    avoid: set[str] = frozenset(),  # type: ignore[assignment]
) -> Formula:
    """Rename bound variables, deterministically, in pre-order.

    At each quantifier, a bound variable ``v`` gets a fresh name when
    ``should_rename(v, seen)`` holds, ``seen`` being the variables bound so far (after renaming).
    Fresh names avoid every name of the ring, ``avoid`` and each other; they are appended to the
    ring.
    """
    used = set(f.ring.names) | set(avoid)
    fresh: list[str] = []

    def plan(g: Formula, seen: set[str]) -> None:
        # first pass: decide names (same traversal as the build pass)
        if isinstance(g, QuantifiedFormula):
            for v in g.vars:
                new = fresh_name(v, used) if should_rename(v, seen) else v
                if new != v:
                    fresh.append(new)
                seen.add(new)
        for c in g.children():
            plan(c, seen)

    plan(f, set())
    if not fresh:
        return f
    ring = f.ring.extend(*fresh)
    names = iter(fresh)
    gens = {n: ring.gen(n) for n in ring.names}
    seen: set[str] = set()

    def build(g: Formula, env: dict[str, str]) -> Formula:
        if isinstance(g, BooleanConstant):
            return g
        if isinstance(g, Atom):
            if not any(v in env for v in g.poly.variables()):
                return g.in_ring(ring)
            images = [gens[env.get(n, n)] for n in g.poly.ring.names]
            return Atom(g.poly.compose(images, ring), g.rel)
        if isinstance(g, QuantifiedFormula):
            new_vars = []
            inner = dict(env)
            for v in g.vars:
                new = next(names) if should_rename(v, seen) else v
                seen.add(new)
                new_vars.append(new)
                if new != v:
                    inner[v] = new
                else:
                    inner.pop(v, None)
            return type(g)(tuple(new_vars), build(g.body, inner))
        if isinstance(g, Not):
            return Not(build(g.arg, env))
        if isinstance(g, And | Or):
            return type(g)(*(build(a, env) for a in g.args))
        if isinstance(g, Implies | Equivalent):
            return type(g)(build(g.left, env), build(g.right, env))
        raise TypeError(f"not a formula: {g!r}")  # pragma: no cover

    return _keep_ring(build(f, {}), ring)


def rename_apart(f: Formula) -> Formula:
    """Make every quantifier bind variables that are free nowhere and bound nowhere else."""
    free = set(f.free_variables())
    return rename_bound(f, lambda v, seen: v in free or v in seen)


# -- prenex normal form ----------------------------------------------------------------------
class PrenexForm(NamedTuple):
    """A prenex formula: ``prefix`` (quantifier blocks, outermost first) and a matrix."""

    prefix: list[Block]
    matrix: Formula

    def to_formula(self) -> Formula:
        """The prenex formula itself (one quantifier node per block)."""
        f = self.matrix
        for q, vs in reversed(self.prefix):
            f = QUANTIFIERS[q](vs, f)
        return f

    def bound_variables(self) -> tuple[str, ...]:
        return tuple(v for _, vs in self.prefix for v in vs)


def prenex(f: Formula) -> PrenexForm:
    """Prenex normal form of ``f``: an equivalent ``prefix`` of quantifier blocks and a matrix.

    Steps: (1) ``Equivalent`` nodes with a quantified side are expanded into two implications;
    (2) bound variables are renamed apart (:func:`rename_apart`; fresh names ``y1, y2, ...``
    are appended to the ring); (3) quantifiers are pulled out, dualised under ``Not`` and in the
    premise of ``Implies``. The blocks of the operands of ``And``/``Or``/``Implies`` are
    interleaved greedily, which yields the minimum number of blocks for that node (ties keep the
    quantifiers of the left operand outermost). Adjacent
    blocks of one quantifier are merged. The matrix keeps its connectives (no NNF).
    """
    if f.is_quantifier_free():
        return PrenexForm([], f)
    g = rename_apart(_expand_quantified_equivalences(f))
    blocks, matrix = _pull(g)
    return PrenexForm(blocks, _keep_ring(matrix, g.ring))


def _expand_quantified_equivalences(f: Formula) -> Formula:
    if f.is_quantifier_free():
        return f
    if isinstance(f, Equivalent):
        a = _expand_quantified_equivalences(f.left)
        b = _expand_quantified_equivalences(f.right)
        return And(Implies(a, b), Implies(b, a))
    if isinstance(f, Not):
        return Not(_expand_quantified_equivalences(f.arg))
    if isinstance(f, And | Or):
        return type(f)(*(_expand_quantified_equivalences(a) for a in f.args))
    if isinstance(f, Implies):
        return Implies(
            _expand_quantified_equivalences(f.left), _expand_quantified_equivalences(f.right)
        )
    if isinstance(f, QuantifiedFormula):
        return type(f)(f.vars, _expand_quantified_equivalences(f.body))
    return f  # pragma: no cover


def _dual(blocks: list[Block]) -> list[Block]:
    return [(DUAL[q], vs) for q, vs in blocks]


def _push_block(blocks: list[Block], q: Quantifier, vs: tuple[str, ...]) -> None:
    if blocks and blocks[-1][0] == q:
        blocks[-1] = (q, blocks[-1][1] + vs)
    else:
        blocks.append((q, vs))


def _interleave(prefixes: list[list[Block]]) -> list[Block]:
    """Shuffle independent prefixes (each keeps its order) into as few blocks as possible."""
    prefixes = [p for p in prefixes if p]
    if len(prefixes) <= 1:
        return list(prefixes[0]) if prefixes else []
    best: list[Block] | None = None
    first: Quantifier = prefixes[0][0][0]
    for start in (first, DUAL[first]):  # ties: the left operand's quantifiers go outside
        queues = [list(p) for p in prefixes]
        out: list[Block] = []
        q: Quantifier = start  # type: ignore[assignment]
        while any(queues):
            for queue in queues:
                while queue and queue[0][0] == q:
                    _push_block(out, q, queue.pop(0)[1])
            q = DUAL[q]
        if best is None or len(out) < len(best):
            best = out
    assert best is not None
    return best


def _pull(f: Formula) -> tuple[list[Block], Formula]:
    if f.is_quantifier_free():
        return [], f
    if isinstance(f, QuantifiedFormula):
        inner, m = _pull(f.body)
        blocks: list[Block] = [(f.quantifier, f.vars)]
        for q, vs in inner:
            _push_block(blocks, q, vs)
        return blocks, m
    if isinstance(f, Not):
        inner, m = _pull(f.arg)
        return _dual(inner), Not(m)
    if isinstance(f, And | Or):
        parts = [_pull(a) for a in f.args]
        return _interleave([p for p, _ in parts]), type(f)(*(m for _, m in parts))
    if isinstance(f, Implies):
        pa, ma = _pull(f.left)
        pb, mb = _pull(f.right)
        return _interleave([_dual(pa), pb]), Implies(ma, mb)
    raise TypeError(f"cannot pull quantifiers out of {type(f).__name__}")  # pragma: no cover


# -- substitution ----------------------------------------------------------------------------
def _key_name(key: object, ring: PolyRing) -> str:
    name = key if isinstance(key, str) else getattr(key, "name", None)
    if not isinstance(name, str):
        raise InputTypeError(f"substitution keys must be variable names or symbols, got {key!r}")
    if name not in ring.names:
        raise InputError(f"cannot substitute for {name!r}: not a variable of {list(ring.names)}")
    return name


def _value_poly(value: object) -> Poly | None:
    """A Poly value, or None for a rational scalar (validated)."""
    if isinstance(value, Poly):
        return value
    try:
        to_fmpq(value)
        return None
    except InputTypeError:
        pass
    if isinstance(value, str):
        from ..poly import parse_polynomial

        return parse_polynomial(value)
    from .sympy_io import poly_of_sympy

    return poly_of_sympy(value)


def substitute(f: Formula, values: Mapping[object, object]) -> Formula:
    """Substitute exact rationals or polynomials for *free* occurrences of variables.

    Keys are names or SymPy symbols of variables of ``f.ring`` (others raise
    :class:`InputError`); values are exact rationals (``int``, ``Fraction``, SymPy ``Rational``,
    floats as the rationals they are) or polynomials (:class:`Poly`, polynomial text, SymPy
    expressions). Occurrences bound by a quantifier are left alone: a key that is bound in some
    subformula is ignored there. The substitution is capture-avoiding: bound variables that occur
    in a substituted polynomial are renamed first (see :func:`rename_bound`). Atoms that become
    constant fold to ``TRUE``/``FALSE``; nothing else is simplified.
    """
    if not values:
        return f
    names = {_key_name(k, f.ring): v for k, v in values.items()}
    polys = {n: _value_poly(v) for n, v in names.items()}
    value_vars = {x for p in polys.values() if p is not None for x in p.variables()}
    g = rename_bound(f, lambda v, seen: v in value_vars, avoid=value_vars) if value_vars else f
    ring = merge_rings(g.ring, *(p.ring for p in polys.values() if p is not None))
    images: dict[str, Poly] = {}
    for n, v in names.items():
        p = polys[n]
        images[n] = ring.constant(v) if p is None else p.in_ring(ring)  # type: ignore[arg-type]
    gens = {n: ring.gen(n) for n in g.ring.names}

    def sub(h: Formula, env: dict[str, Poly]) -> Formula:
        if not env or not (h._free_set() & env.keys()):
            return h.in_ring(ring)
        if isinstance(h, Atom):
            imgs = [env.get(n, gens[n]) for n in h.poly.ring.names]
            return Atom(h.poly.compose(imgs, ring), h.rel)
        if isinstance(h, QuantifiedFormula):
            inner = {k: v for k, v in env.items() if k not in h.vars}
            return type(h)(h.vars, sub(h.body, inner))
        if isinstance(h, Not):
            return Not(sub(h.arg, env))
        if isinstance(h, And | Or):
            return type(h)(*(sub(a, env) for a in h.args))
        if isinstance(h, Implies | Equivalent):
            return type(h)(sub(h.left, env), sub(h.right, env))
        return h  # pragma: no cover

    return _keep_ring(sub(g, images), ring)


__all__ = [
    "Block",
    "PrenexForm",
    "fresh_name",
    "nnf",
    "prenex",
    "rename_apart",
    "rename_bound",
    "substitute",
]
