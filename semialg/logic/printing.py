"""Infix text for polynomials and formulas, in QEPCAD B's notation.

``str(formula)`` uses the operators of QEPCAD B (``/\\ \\/ ~ ==> <==> = /= < > <= >=``, quantifiers
``(E x)`` and ``(A x)``, products by juxtaposition, ``[ ]`` around every compound operand), so
that :func:`semialg.logic.parse_qepcad_formula` reads it back to an equal formula.
"""

from __future__ import annotations

from ..poly import Poly
from .formula import And as _And
from .formula import (
    Atom,
    BooleanConstant,
    Equivalent,
    Formula,
    Implies,
    Not,
    QuantifiedFormula,
    Relation,
    _NAry,
)

QEPCAD_RELATIONS: dict[Relation, str] = {
    "<": "<",
    "<=": "<=",
    "=": "=",
    "!=": "/=",
    ">=": ">=",
    ">": ">",
}
QEPCAD_QUANTIFIERS = {"exists": "E", "forall": "A"}


def poly_to_text(p: Poly) -> str:
    """``p`` with products by juxtaposition: ``2 x^2 y - 3 z + 1``; rationals as ``1/3 x``."""
    if p.is_zero:
        return "0"
    names = p.ring.names
    parts: list[str] = []
    for exps, c in p.terms().items():
        mono = " ".join(n if e == 1 else f"{n}^{e}" for n, e in zip(names, exps, strict=True) if e)
        neg = c < 0
        a = -c if neg else c
        if mono and a == 1:
            body = mono
        else:
            num = str(a.numerator) if a.denominator == 1 else f"{a.numerator}/{a.denominator}"
            body = f"{num} {mono}" if mono else num
        if not parts:
            parts.append(f"-{body}" if neg else body)
        else:
            parts.append(f"- {body}" if neg else f"+ {body}")
    return " ".join(parts)


def atom_to_text(a: Atom) -> str:
    return f"{poly_to_text(a.poly)} {QEPCAD_RELATIONS[a.rel]} 0"


def to_text(f: Formula, *, constants: tuple[str, str] = ("TRUE", "FALSE")) -> str:
    """``f`` in QEPCAD B notation (``constants`` gives the spelling of TRUE and FALSE)."""

    def operand(g: Formula) -> str:
        if isinstance(g, Atom | BooleanConstant):
            return text(g)
        return f"[{text(g)}]"

    def text(g: Formula) -> str:
        if isinstance(g, BooleanConstant):
            return constants[0] if g.value else constants[1]
        if isinstance(g, Atom):
            return atom_to_text(g)
        if isinstance(g, Not):
            return f"~ {operand(g.arg)}"
        if isinstance(g, _NAry):
            op = r" /\ " if isinstance(g, _And) else r" \/ "
            return op.join(operand(a) for a in g.args)
        if isinstance(g, Implies):
            return f"{operand(g.left)} ==> {operand(g.right)}"
        if isinstance(g, Equivalent):
            return f"{operand(g.left)} <==> {operand(g.right)}"
        if isinstance(g, QuantifiedFormula):
            q = QEPCAD_QUANTIFIERS[g.quantifier]
            prefix = "".join(f"({q} {v})" for v in g.vars)
            inner = g.body
            if isinstance(inner, QuantifiedFormula) and inner.quantifier != g.quantifier:
                body = text(inner)  # (E x)(A y)... is unambiguous
            else:
                body = operand(inner)
            return f"{prefix}{body}" if body.startswith(("[", "(")) else f"{prefix} {body}"
        raise TypeError(f"not a formula: {g!r}")  # pragma: no cover

    return text(f)


__all__ = ["QEPCAD_QUANTIFIERS", "QEPCAD_RELATIONS", "atom_to_text", "poly_to_text", "to_text"]
