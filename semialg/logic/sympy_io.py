"""SymPy <-> :class:`~semialg.logic.formula.Formula`.

:func:`from_sympy` reads relations (``Lt Le Gt Ge Eq Ne``; ``lhs ~ rhs`` becomes the atom
``lhs - rhs ~ 0``), the connectives ``And Or Not Implies Equivalent`` and, expanded, ``Xor Nand
Nor Xnor ITE``, and ``true``/``false``. :func:`to_sympy` writes a quantifier-free formula back.

SymPy canonicalises Boolean expressions when it builds them: ``And``/``Or`` are flattened,
sorted and deduplicated, ``Not`` of a relation becomes the negated relation, relations that are
constant for real symbols (``x**2 >= 0``) may fold. So ``from_sympy(to_sympy(f))`` is equivalent to
``f`` and a fixed point of the round trip, but not always structurally equal to ``f``.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping

import sympy
from sympy.logic import boolalg

from ..errors import InputError, InputTypeError
from ..poly import Poly, PolyRing, poly_from_sympy, poly_to_sympy
from .formula import (
    FALSE,
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
    variable_names,
)

_REL_OPS = {"<": "<", "<=": "<=", ">": ">", ">=": ">=", "==": "=", "!=": "!="}
_SYMPY_RELATIONS = {
    "<": sympy.StrictLessThan,
    "<=": sympy.LessThan,
    "=": sympy.Equality,
    "!=": sympy.Unequality,
    ">=": sympy.GreaterThan,
    ">": sympy.StrictGreaterThan,
}


def _describe(e: object) -> str:
    return f"'{sympy.sstr(e)}'" if isinstance(e, sympy.Basic) else repr(e)


def natural_key(name: str) -> tuple:
    """Sort key putting ``x2`` before ``x10``."""
    return tuple(int(t) if t.isdigit() else t for t in re.split(r"(\d+)", name))


def default_variables(expr: sympy.Basic) -> tuple[str, ...]:
    """The symbols of ``expr`` sorted by name (naturally: ``x2`` before ``x10``)."""
    names = set()
    for s in expr.free_symbols:
        if not isinstance(s, sympy.Symbol):
            raise InputTypeError(f"{_describe(s)} is not a variable (only Symbols are supported)")
        names.add(s.name)
    return tuple(sorted(names, key=natural_key))


def _sympify(expr: object, what: str) -> sympy.Basic:
    if isinstance(expr, bool):
        raise InputTypeError(
            f"expected a {what}, got the Python bool {expr}; SymPy's '==' compares expressions "
            "structurally, write equations as sympy.Eq(lhs, rhs)"
        )
    if isinstance(expr, str):
        raise InputTypeError(
            f"expected a SymPy {what}, got the string {expr!r}; use sympy.sympify or "
            "semialg.logic.parse_qepcad_formula for text"
        )
    try:
        return sympy.sympify(expr, strict=True)
    except (sympy.SympifyError, TypeError, ValueError) as exc:
        raise InputTypeError(f"cannot read {expr!r} as a {what}: {exc}") from None


def poly_of_sympy(expr: object, ring: PolyRing | None = None) -> Poly:
    """A polynomial from a SymPy expression, by default over its symbols sorted by name."""
    if isinstance(expr, Poly):
        return expr if ring is None else expr.in_ring(ring)
    if isinstance(expr, bool):
        raise InputTypeError(f"expected a polynomial, got the boolean {expr}")
    if isinstance(expr, int | float) or ring is not None:
        return poly_from_sympy(expr, ring if ring is not None else PolyRing(()))
    e = _sympify(expr, "polynomial")
    return poly_from_sympy(e, PolyRing(default_variables(e)))


def from_sympy(expr: object, variables: object = None) -> Formula:
    """Convert a SymPy Boolean expression (relations between polynomials) to a formula.

    ``variables`` (names or symbols) fixes the ring and its order; by default it is the set of
    symbols of ``expr`` sorted by name. Symbols are identified by name. Raises
    :class:`InputError` (or :class:`InputTypeError`) naming the offending part: non-polynomial
    terms, irrational or complex coefficients, unknown or duplicated variables, Python bools,
    Boolean symbols. Floats are read as the rationals they are.
    """
    ring = PolyRing(variable_names(variables)) if variables is not None else None
    if isinstance(expr, Formula):
        return expr if ring is None else expr.in_ring(ring)
    e = _sympify(expr, "formula")
    if ring is None:
        ring = PolyRing(default_variables(e))
    return _convert(e, ring)


def _side(e: sympy.Basic, ring: PolyRing, rel: sympy.Basic) -> Poly:
    try:
        return poly_from_sympy(e, ring)
    except InputError as exc:
        raise type(exc)(f"in the relation {_describe(rel)}: {exc}") from None


def _convert(e: sympy.Basic, ring: PolyRing) -> Formula:
    if e is sympy.true:
        return TRUE
    if e is sympy.false:
        return FALSE
    if isinstance(e, sympy.core.relational.Relational):
        op = _REL_OPS.get(e.rel_op)
        if op is None:  # pragma: no cover - all SymPy relations are covered
            raise InputError(f"unsupported relation {_describe(e)}")
        lhs, rhs = e.args
        if _is_truth_valued(lhs) and _is_truth_valued(rhs):
            if op not in ("=", "!="):
                raise InputError(f"order relation between truth values in {_describe(e)}")
            eq = Equivalent(_convert(lhs, ring), _convert(rhs, ring))
            return eq if op == "=" else Not(eq)
        return Atom(_side(lhs, ring, e) - _side(rhs, ring, e), op)
    if isinstance(e, boolalg.And):
        return And(*(_convert(a, ring) for a in e.args))
    if isinstance(e, boolalg.Or):
        return Or(*(_convert(a, ring) for a in e.args))
    if isinstance(e, boolalg.Not):
        return Not(_convert(e.args[0], ring))
    if isinstance(e, boolalg.Implies):
        return Implies(_convert(e.args[0], ring), _convert(e.args[1], ring))
    if isinstance(e, boolalg.Equivalent):
        args = [_convert(a, ring) for a in e.args]
        if len(args) == 2:
            return Equivalent(*args)
        return And(*(Equivalent(a, b) for a, b in itertools.pairwise(args)))
    if isinstance(e, boolalg.Xnor):
        return Not(_xor([_convert(a, ring) for a in e.args]))
    if isinstance(e, boolalg.Xor):
        return _xor([_convert(a, ring) for a in e.args])
    if isinstance(e, boolalg.Nand):
        return Not(And(*(_convert(a, ring) for a in e.args)))
    if isinstance(e, boolalg.Nor):
        return Not(Or(*(_convert(a, ring) for a in e.args)))
    if isinstance(e, boolalg.ITE):
        c, a, b = (_convert(x, ring) for x in e.args)
        return Or(And(c, a), And(Not(c), b))
    if isinstance(e, sympy.Symbol):
        raise InputTypeError(
            f"the symbol {_describe(e)} is used as a formula; Boolean variables are not "
            "supported (write a relation such as x > 0)"
        )
    if isinstance(e, sympy.Expr):
        raise InputTypeError(
            f"{_describe(e)} is a term, not a formula; write a relation such as {sympy.sstr(e)} > 0"
        )
    raise InputTypeError(f"cannot read {_describe(e)} ({type(e).__name__}) as a formula")


def _is_truth_valued(e: sympy.Basic) -> bool:
    return isinstance(e, boolalg.BooleanFunction | boolalg.BooleanAtom) or e.is_Relational


def _xor(args: list[Formula]) -> Formula:
    acc = args[0]
    for a in args[1:]:
        acc = Not(Equivalent(acc, a))
    return acc


def to_sympy(formula: Formula, symbols: Mapping[str, object] | None = None) -> sympy.Basic:
    """A quantifier-free formula as a SymPy Boolean expression.

    Variables become ``symbols[name]`` or, by default, real ``Symbol``s. Atoms become unevaluated
    relations ``p ~ 0``; connectives are built by SymPy (see the module docstring for its
    canonicalisation). SymPy has no quantifiers: quantified formulas raise :class:`InputError`.
    """
    if not isinstance(formula, Formula):
        raise InputTypeError(f"expected a Formula, got {type(formula).__name__}")
    if not formula.is_quantifier_free():
        raise InputError(
            "SymPy has no quantifiers, so a quantified formula cannot be converted; convert "
            "the matrix of formula.prenex() or eliminate the quantifiers first"
        )
    syms = {n: (symbols or {}).get(n) or sympy.Symbol(n, real=True) for n in formula.ring.names}

    def conv(f: Formula) -> sympy.Basic:
        if isinstance(f, BooleanConstant):
            return sympy.true if f.value else sympy.false
        if isinstance(f, Atom):
            cls = _SYMPY_RELATIONS[f.rel]
            return cls(poly_to_sympy(f.poly, syms), sympy.Integer(0), evaluate=False)
        if isinstance(f, Not):
            return sympy.Not(conv(f.arg))
        if isinstance(f, And):
            return sympy.And(*(conv(a) for a in f.args))
        if isinstance(f, Or):
            return sympy.Or(*(conv(a) for a in f.args))
        if isinstance(f, Implies):
            return sympy.Implies(conv(f.left), conv(f.right))
        if isinstance(f, Equivalent):
            return sympy.Equivalent(conv(f.left), conv(f.right))
        if isinstance(f, QuantifiedFormula):  # pragma: no cover - excluded above
            raise InputError("quantified formula")
        raise TypeError(f"not a formula: {f!r}")  # pragma: no cover

    return conv(formula)


__all__ = ["default_variables", "from_sympy", "natural_key", "poly_of_sympy", "to_sympy"]
