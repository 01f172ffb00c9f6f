"""Exact truth values of quantifier-free formulas at points with rational or algebraic coordinates.

Rational coordinates are substituted exactly (:meth:`Poly.subs`). When some coordinate is a real
algebraic number, the signs of the atoms are decided by
:meth:`semialg.algebraic.sample.SamplePoint.sign_at` (ball arithmetic filter, exact number field
arithmetic otherwise); that module is imported only then.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

import sympy

from ..errors import InputError, InputTypeError
from ..poly import Poly, PolyRing, to_fmpq
from .formula import (
    And,
    Atom,
    BooleanConstant,
    Equivalent,
    Formula,
    Implies,
    Not,
    Or,
    QuantifiedFormula,
    as_formula,
)


def _point_names(formula: Formula, point: Mapping[object, object]) -> dict[str, object]:
    if not isinstance(point, Mapping):
        raise InputTypeError(
            f"a point must map variables to values (a dict), got {type(point).__name__}"
        )
    out: dict[str, object] = {}
    seen: set[str] = set()
    for k, v in point.items():
        name = k if isinstance(k, str) else getattr(k, "name", None)
        if not isinstance(name, str):
            raise InputTypeError(f"point keys must be variable names or symbols, got {k!r}")
        if name in seen:
            raise InputError(f"variable {name!r} is given twice in the point")
        seen.add(name)
        if name in formula.ring.names:
            out[name] = v
    return out


def _split_values(values: dict[str, object]) -> tuple[dict[str, Fraction], dict[str, object]]:
    rational: dict[str, Fraction] = {}
    algebraic: dict[str, object] = {}
    for name, v in values.items():
        if isinstance(v, bool):
            raise InputTypeError(f"the value of {name!r} is the boolean {v}, not a number")
        if isinstance(v, str | complex):
            raise InputTypeError(f"the value of {name!r} is {v!r}, not an exact real number")
        try:
            q = to_fmpq(v)
        except InputTypeError:
            algebraic[name] = _algebraic_value(name, v)
        else:
            rational[name] = Fraction(int(q.p), int(q.q))
    return rational, algebraic


def _algebraic_value(name: str, v: object) -> object:
    """A real algebraic value: a ``RealAlgebraic`` (duck-typed) or a SymPy algebraic number."""
    if hasattr(v, "minpoly") and hasattr(v, "interval"):
        return v
    if isinstance(v, sympy.Basic) and v.is_number:
        if v.is_real is False:
            raise InputTypeError(f"the value of {name!r} is not real: {v}")
        from ..algebraic.real_algebraic import RealAlgebraic

        try:
            return RealAlgebraic.from_sympy(v)
        except InputError as exc:
            raise InputError(f"the value of {name!r}, {v}, is not usable: {exc}") from None
    raise InputTypeError(
        f"the value of {name!r} must be an exact rational, a real algebraic number "
        f"(RealAlgebraic) or a SymPy algebraic number, got {v!r} ({type(v).__name__})"
    )


class _Signs:
    """Memoised exact signs of polynomials at the point."""

    def __init__(self, ring: PolyRing, rational: dict[str, Fraction], algebraic: dict[str, object]):
        self.rational = {ring.index(n): v for n, v in rational.items()}
        self.alg_names = tuple(n for n in ring.names if n in algebraic)
        self.cache: dict[Poly, int] = {}
        self.point = None
        if self.alg_names:
            from ..algebraic.sample import SamplePoint

            self.alg_ring = PolyRing(self.alg_names)
            self.point = SamplePoint.from_coordinates([algebraic[n] for n in self.alg_names])

    def sign(self, p: Poly) -> int:
        s = self.cache.get(p)
        if s is None:
            q = p.subs({i: v for i, v in self.rational.items() if p.degree(i) > 0})
            if q.is_constant():
                c = q.constant_value()
                s = (c > 0) - (c < 0)
            else:
                assert self.point is not None
                s = self.point.sign_at(q.in_ring(self.alg_ring))
            self.cache[p] = s
        return s


def evaluate(formula: Formula, point: Mapping[object, object]) -> bool:
    """Truth value of a quantifier-free ``formula`` (or SymPy Boolean) at ``point``.

    ``point`` maps names (or SymPy symbols) of variables to exact reals: ``int``, ``Fraction``,
    SymPy ``Rational``, flint ``fmpq``, floats (as the rationals they are) or real algebraic
    numbers (``RealAlgebraic``, or SymPy numbers such as ``sqrt(2)``, converted with
    ``RealAlgebraic.from_sympy``). Every free variable needs a value; other names are ignored
    (so one point serves formulas over different rings; a misspelt name still fails, since the
    variable it should name is then missing). Raises :class:`InputError` for quantified formulas
    (deciding them is the job of the CAD engine), missing values and bad values.
    """
    formula = as_formula(formula)
    if not formula.is_quantifier_free():
        raise InputError(
            "evaluate() needs a quantifier-free formula; deciding quantified formulas at a point "
            "is the job of the CAD engine (substitute the point and decide the sentence)"
        )
    values = _point_names(formula, point)
    missing = [v for v in formula.free_variables() if v not in values]
    if missing:
        raise InputError(f"the point gives no value for the free variable(s) {missing}")
    rational, algebraic = _split_values(values)
    signs = _Signs(formula.ring, rational, algebraic)
    return _eval(formula, signs)


def _eval(f: Formula, signs: _Signs) -> bool:
    if isinstance(f, BooleanConstant):
        return f.value
    if isinstance(f, Atom):
        return f.holds_for_sign(signs.sign(f.poly))
    if isinstance(f, Not):
        return not _eval(f.arg, signs)
    if isinstance(f, And):
        return all(_eval(a, signs) for a in f.args)
    if isinstance(f, Or):
        return any(_eval(a, signs) for a in f.args)
    if isinstance(f, Implies):
        return (not _eval(f.left, signs)) or _eval(f.right, signs)
    if isinstance(f, Equivalent):
        return _eval(f.left, signs) == _eval(f.right, signs)
    if isinstance(f, QuantifiedFormula):  # pragma: no cover - excluded above
        raise InputError("quantified formula")
    raise TypeError(f"not a formula: {f!r}")  # pragma: no cover


__all__ = ["evaluate"]
