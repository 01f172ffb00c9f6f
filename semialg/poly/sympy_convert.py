"""Lossless conversion between SymPy expressions and :class:`~semialg.poly.ring.Poly`.

SymPy is the user-facing front end. Conversion walks the expression tree itself (rather than
calling ``sympy.Poly``) so that every rejected part can be named precisely: non-polynomial
functions, division by a variable, non-integer powers, non-real or irrational coefficients,
symbols that are not variables of the ring. Floats are converted to the rational they are.
"""

from __future__ import annotations

from collections.abc import Mapping

import sympy

from ..errors import InputError, InputTypeError
from .ring import Poly, PolyRing, fmpq_to_fraction, to_fmpq


def _describe(expr: sympy.Basic) -> str:
    return f"'{sympy.sstr(expr)}'"


def poly_from_sympy(expr: object, ring: PolyRing) -> Poly:
    """Convert ``expr`` to a polynomial of ``ring``; raise :class:`InputError` naming bad parts."""
    if isinstance(expr, Poly):
        return expr.in_ring(ring)
    if isinstance(expr, bool):
        raise InputTypeError(f"expected a polynomial, got the boolean {expr}")
    if isinstance(expr, int | float):
        return ring.constant(expr)
    try:
        expr = sympy.sympify(expr, strict=True)
    except (sympy.SympifyError, TypeError) as exc:
        raise InputTypeError(f"cannot read {expr!r} as a polynomial: {exc}") from None
    return _convert(expr, ring)


def _convert(e: sympy.Basic, ring: PolyRing) -> Poly:
    if e.is_Number:
        if e.is_Rational or e.is_Float:
            return ring.constant(to_fmpq(e))
        raise InputTypeError(f"non-real or non-finite coefficient {_describe(e)}")
    if e.is_Symbol:
        if e.name not in ring.names:
            raise InputError(f"unknown variable {e.name!r} (the variables are {list(ring.names)})")
        return ring.gen(e.name)
    if e.is_Add:
        out = ring.zero()
        for a in e.args:
            out = out + _convert(a, ring)
        return out
    if e.is_Mul:
        out = ring.one()
        for a in e.args:
            out = out * _convert(a, ring)
        return out
    if e.is_Pow:
        base, exp = e.args
        if exp.is_Integer and int(exp) >= 0:
            return _convert(base, ring) ** int(exp)
        if exp.is_Integer:
            b = _convert(base, ring)
            if not b.is_constant():
                raise InputError(f"division by a non-constant polynomial in {_describe(e)}")
            if b.is_zero:
                raise InputError(f"division by zero in {_describe(e)}")
            return ring.constant(1 / b.constant_value()) ** (-int(exp))
        if not e.is_number:
            raise InputError(
                f"non-polynomial term {_describe(e)} (exponents must be natural numbers)"
            )
    if e in (sympy.I,) or (e.is_number and e.is_real is False):
        raise InputTypeError(f"non-real coefficient {_describe(e)}")
    if e.is_number:
        raise InputTypeError(f"irrational or non-exact coefficient {_describe(e)} is not supported")
    if isinstance(e, sympy.Function) or e.is_Function:
        raise InputError(f"non-polynomial term {_describe(e)}")
    raise InputError(f"cannot read {_describe(e)} as a polynomial")


def poly_to_sympy(p: Poly, symbols: Mapping[str, object] | None = None) -> sympy.Expr:
    """Return ``p`` as a SymPy expression; variables map to ``symbols[name]`` or real Symbols."""
    syms = [(symbols or {}).get(n) or sympy.Symbol(n, real=True) for n in p.ring.names]
    terms = []
    for exps, c in p.raw.to_dict().items():
        coeff = fmpq_to_fraction(c)
        t = sympy.Rational(coeff.numerator, coeff.denominator)
        for s, k in zip(syms, exps, strict=True):
            if k:
                t = t * s**k
        terms.append(t)
    return sympy.Add(*terms)


def symbol_names(symbols: object) -> tuple[str, ...]:
    """Variable names from a list of SymPy symbols or strings (no duplicates)."""
    if isinstance(symbols, str):
        symbols = symbols.replace(",", " ").split()
    names: list[str] = []
    for s in symbols:  # type: ignore[union-attr]
        if isinstance(s, str):
            names.append(s)
        elif isinstance(s, sympy.Symbol):
            names.append(s.name)
        else:
            raise InputTypeError(f"expected a variable (Symbol or name), got {s!r}")
    if len(set(names)) != len(names):
        dup = sorted({n for n in names if names.count(n) > 1})
        raise InputError(f"duplicated variable(s) {', '.join(dup)}")
    return tuple(names)


__all__ = ["fmpq_to_fraction", "poly_from_sympy", "poly_to_sympy", "symbol_names"]
