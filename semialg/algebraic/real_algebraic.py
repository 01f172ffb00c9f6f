"""Exact real algebraic numbers: an irreducible polynomial and an isolating interval.

A :class:`RealAlgebraic` is the pair (minimal polynomial, isolating interval). The minimal
polynomial is the irreducible, primitive integer polynomial with positive leading coefficient
(degree 1 for rationals, whose interval is the point itself), so it is a normal form: two numbers
are equal iff they have the same minimal polynomial and their intervals isolate the same root.

Everything is decided exactly. Ball arithmetic (``arb``) only speeds up sign evaluation; when a
ball contains zero, divisibility by the minimal polynomial decides whether the value is zero and
otherwise the interval is refined until the ball excludes zero (which terminates because the value
is a nonzero real number).
"""

from __future__ import annotations

from fractions import Fraction
from numbers import Rational

import flint

from ..errors import InputError, InputTypeError
from ..poly.ring import to_fmpq
from .roots import (
    PolyLike,
    _arb_to_fraction,
    _as_fraction,
    _exact_fmpz_poly,
    _fraction_to_arb,
    _interval_to_arb,
    _isolate,
    _log2_approx,
    _nonconstant,
    _primitive,
    _refine,
    _sign,
    _sign_at,
    _working_prec,
    count_real_roots,
)

__all__ = ["RealAlgebraic", "real_roots"]

_RationalLike = (int, Fraction, flint.fmpz, flint.fmpq, float, Rational)


def _poly_str(p: flint.fmpz_poly, var: str = "x") -> str:
    """``x^2 - 2`` style rendering of an integer polynomial."""
    terms = []
    for i, c in reversed(list(enumerate(int(c) for c in p.coeffs()))):
        if c == 0:
            continue
        mag = abs(c)
        mono = "" if i == 0 else (var if i == 1 else f"{var}^{i}")
        body = str(mag) if not mono else (mono if mag == 1 else f"{mag}*{mono}")
        if not terms:
            terms.append(("-" if c < 0 else "") + body)
        else:
            terms.append(("- " if c < 0 else "+ ") + body)
    return " ".join(terms) if terms else "0"


def _frac_str(q: Fraction) -> str:
    return str(q.numerator) if q.denominator == 1 else f"{q.numerator}/{q.denominator}"


class RealAlgebraic:
    """A real algebraic number, exact and hashable.

    Use the constructors :meth:`from_rational`, :meth:`root_of`, :meth:`from_interval`,
    :meth:`from_sympy` or the function :func:`real_roots`. The value never changes; the cached
    isolating interval may be tightened in place by refinement (it stays isolating).
    """

    __slots__ = ("_hi", "_lo", "_minpoly")

    _minpoly: flint.fmpz_poly
    _lo: Fraction
    _hi: Fraction

    def __init__(self, value: object = 0):
        """``RealAlgebraic(q)`` for a rational ``q`` (or a copy of another RealAlgebraic)."""
        if isinstance(value, RealAlgebraic):
            self._minpoly, self._lo, self._hi = value._minpoly, value._lo, value._hi
            return
        q = _as_fraction(value)
        self._minpoly = flint.fmpz_poly([-q.numerator, q.denominator])
        self._lo = self._hi = q

    @classmethod
    def _make(cls, minpoly: flint.fmpz_poly, lo: Fraction, hi: Fraction) -> RealAlgebraic:
        """Trusted constructor: irreducible primitive ``minpoly``, isolating interval."""
        if minpoly.degree() == 1:
            cs = minpoly.coeffs()
            return cls(Fraction(-int(cs[0]), int(cs[1])))
        obj = cls.__new__(cls)
        obj._minpoly, obj._lo, obj._hi = minpoly, lo, hi
        return obj

    # -- constructors ---------------------------------------------------------------------
    @classmethod
    def from_rational(cls, q: object) -> RealAlgebraic:
        """The rational number ``q`` (int, Fraction, fmpq, float converted exactly, ...)."""
        return cls(q)

    @classmethod
    def root_of(cls, f: PolyLike, index: int) -> RealAlgebraic:
        """The ``index``-th distinct real root of ``f`` in increasing order (0-based).

        Negative indices count from the largest root, as for Python sequences. Roots are counted
        *without* multiplicity (unlike SymPy's ``CRootOf``).
        """
        if not isinstance(index, int) or isinstance(index, bool):
            raise InputTypeError(f"root index must be an integer, got {index!r}")
        roots = real_roots(f)
        if not -len(roots) <= index < len(roots):
            raise InputError(
                f"root index {index} out of range: the polynomial has {len(roots)} distinct real "
                "root(s)"
            )
        return roots[index][0]

    @classmethod
    def from_interval(cls, f: PolyLike, lo: object, hi: object) -> RealAlgebraic:
        """The unique root of ``f`` in the closed interval [lo, hi] (checked exactly)."""
        g = _nonconstant(f)
        a, b = _as_fraction(lo), _as_fraction(hi)
        if a > b:
            raise InputError(f"from_interval needs lo <= hi, got [{a}, {b}]")
        n = count_real_roots(g, a, b)
        if n != 1:
            raise InputError(f"[{_frac_str(a)}, {_frac_str(b)}] contains {n} roots, expected 1")
        for x in (a, b):
            if _sign_at(g, x) == 0:
                return cls(x)
        _, facs = g.factor()
        for q, _ in facs:
            q = _primitive(q)
            if _sign_at(q, a) * _sign_at(q, b) < 0:
                return cls._make(q, a, b)
        raise AssertionError("no factor changes sign on an interval with one simple root")

    @classmethod
    def from_sympy(cls, expr: object) -> RealAlgebraic:
        """Convert a SymPy real algebraic number: Integer, Rational, real ``CRootOf``, or an
        expression in radicals such as ``sqrt(2) + sqrt(3)``.

        General expressions go through ``sympy.minimal_polynomial``; the right root is selected
        by evaluating the expression in certified complex ball arithmetic until its ball meets
        exactly one of the certified root balls of the minimal polynomial, and is then checked
        exactly by :meth:`from_interval`.
        """
        import sympy

        if isinstance(expr, RealAlgebraic):
            return expr
        if isinstance(expr, _RationalLike) and not isinstance(expr, bool):
            return cls(expr)
        if not isinstance(expr, sympy.Basic):
            raise InputTypeError(f"expected a SymPy number, got {type(expr).__name__}")
        expr = sympy.sympify(expr)
        if expr.free_symbols:
            raise InputError(
                f"{expr} is not a number (free symbols {sorted(map(str, expr.free_symbols))})"
            )
        if expr.is_Rational:
            return cls(Fraction(int(expr.p), int(expr.q)))
        if expr.is_Float:
            return cls(to_fmpq(expr))
        if isinstance(expr, sympy.CRootOf):
            if not expr.is_real:
                raise InputError(f"{expr} is not real")
            coeffs = [to_fmpq(c) for c in reversed(expr.poly.all_coeffs())]
            return _nth_root_with_multiplicity(flint.fmpq_poly(coeffs), int(expr.index))
        x = sympy.Dummy("x")
        try:
            mp = sympy.minimal_polynomial(expr, x, polys=True)
        except (NotImplementedError, sympy.polys.polyerrors.BasePolynomialError) as exc:
            raise InputError(f"cannot find a minimal polynomial of {expr}: {exc}") from None
        f = _primitive(flint.fmpz_poly([int(c) for c in reversed(mp.all_coeffs())]))
        return _select_root(f, expr)

    # -- inspection -----------------------------------------------------------------------
    @property
    def minpoly(self) -> flint.fmpz_poly:
        """Minimal polynomial: irreducible, primitive, positive leading coefficient."""
        return self._minpoly

    @property
    def degree(self) -> int:
        return int(self._minpoly.degree())

    @property
    def is_rational(self) -> bool:
        return self._minpoly.degree() == 1

    @property
    def interval(self) -> tuple[Fraction, Fraction]:
        """The current isolating interval ``(lo, hi)`` (``lo == hi`` for rationals)."""
        return self._lo, self._hi

    def as_fraction(self) -> Fraction:
        if not self.is_rational:
            raise InputError(f"{self!r} is irrational")
        return self._lo

    def refine(self, width: object) -> RealAlgebraic:
        """Tighten the cached isolating interval to width <= ``width``; returns ``self``."""
        w = _as_fraction(width)
        if w <= 0:
            raise InputError(f"refine needs a positive width, got {w}")
        if self._hi - self._lo > w:
            self._lo, self._hi = _refine(self._minpoly, self._lo, self._hi, w)
        return self

    def _scale_width(self, bits: int) -> Fraction:
        mag = max(abs(self._lo), abs(self._hi), Fraction(1))
        return Fraction(2) ** (_log2_approx(mag) - 1 - bits)

    def enclosure(self, prec: int = 53) -> flint.arb:
        """A certified ``arb`` ball containing the number, of relative radius about 2^-prec."""
        if self.is_rational:
            with _working_prec(prec + 10):
                return _fraction_to_arb(self._lo)
        self.refine(self._scale_width(prec))
        with _working_prec(prec + 10):
            return _interval_to_arb(self._lo, self._hi)

    def __float__(self) -> float:
        if self.is_rational:
            return float(self._lo)
        self.refine(self._scale_width(60))
        return float((self._lo + self._hi) / 2)

    def to_sympy(self):
        """SymPy ``Rational``, or ``CRootOf(minpoly, k)`` with k the index among real roots."""
        import sympy

        if self.is_rational:
            return sympy.Rational(self._lo.numerator, self._lo.denominator)
        x = sympy.Symbol("x")
        expr = sum(int(c) * x**i for i, c in enumerate(self._minpoly.coeffs()))
        for k, r in enumerate(_isolate(self._minpoly)):
            if _same_root(self._minpoly, self._lo, self._hi, r.lo, r.hi):
                return sympy.CRootOf(expr, k)
        raise AssertionError("root not found among the real roots of its minimal polynomial")

    def __repr__(self) -> str:
        if self.is_rational:
            return f"RealAlgebraic({_frac_str(self._lo)})"
        approx = float(RealAlgebraic(self))  # a copy: keep the displayed interval short
        return (
            f"RealAlgebraic({_poly_str(self._minpoly)}, "
            f"[{_frac_str(self._lo)}, {_frac_str(self._hi)}]) ~ {approx:.15g}"
        )

    def __str__(self) -> str:
        if self.is_rational:
            return _frac_str(self._lo)
        return f"{float(RealAlgebraic(self)):.15g}... (root of {_poly_str(self._minpoly)})"

    # -- exact sign of a polynomial at the number -------------------------------------------
    def sign_at(self, f: PolyLike) -> int:
        """Exact sign (-1, 0, 1) of ``f(self)`` for a univariate rational polynomial ``f``."""
        g = _exact_fmpz_poly(f)
        if g.is_zero():
            return 0
        if self.is_rational:
            return _sign_at(g, self._lo)
        reduced = False
        prec = 64
        while True:
            ball = self.enclosure(prec)
            with _working_prec(prec + 10):
                val = g(ball)
            if val > 0:
                return 1
            if val < 0:
                return -1
            if not reduced:
                reduced = True
                rem = flint.fmpq_poly(g) % flint.fmpq_poly(self._minpoly)
                if rem.is_zero():
                    return 0
                g = rem.numer()  # same sign as g(self): the denominator is positive
                if g.degree() == 0:
                    return _sign(g.coeffs()[0])
                continue
            prec *= 2

    # -- comparisons ----------------------------------------------------------------------
    def _cmp_rational(self, q: Fraction) -> int:
        if self.is_rational:
            return _sign(self._lo - q)
        if q <= self._lo:
            return 1
        if q >= self._hi:
            return -1
        sq = _sign_at(self._minpoly, q)  # nonzero: the root is irrational
        if sq != _sign_at(self._minpoly, self._lo):
            self._hi = q
            return -1
        self._lo = q
        return 1

    def _cmp(self, other: RealAlgebraic) -> int:
        if other.is_rational:
            return self._cmp_rational(other._lo)
        if self.is_rational:
            return -other._cmp_rational(self._lo)
        if self._minpoly == other._minpoly and _same_root(
            self._minpoly, self._lo, self._hi, other._lo, other._hi
        ):
            return 0
        while True:
            if self._hi < other._lo:
                return -1
            if other._hi < self._lo:
                return 1
            # distinct numbers: refine both until the intervals separate
            w = min(self._hi - self._lo, other._hi - other._lo) / 256
            self.refine(w)
            other.refine(w)

    def _coerce(self, other: object) -> RealAlgebraic | None:
        if isinstance(other, RealAlgebraic):
            return other
        if isinstance(other, _RationalLike) and not isinstance(other, bool):
            return RealAlgebraic(other)
        return None

    def __eq__(self, other: object) -> bool:
        o = self._coerce(other)
        if o is None:
            return NotImplemented
        if self._minpoly != o._minpoly:
            return False
        return self.is_rational or _same_root(self._minpoly, self._lo, self._hi, o._lo, o._hi)

    def __ne__(self, other: object) -> bool:
        r = self.__eq__(other)
        return r if r is NotImplemented else not r

    def __lt__(self, other: object) -> bool:
        o = self._coerce(other)
        return NotImplemented if o is None else self._cmp(o) < 0

    def __le__(self, other: object) -> bool:
        o = self._coerce(other)
        return NotImplemented if o is None else self._cmp(o) <= 0

    def __gt__(self, other: object) -> bool:
        o = self._coerce(other)
        return NotImplemented if o is None else self._cmp(o) > 0

    def __ge__(self, other: object) -> bool:
        o = self._coerce(other)
        return NotImplemented if o is None else self._cmp(o) >= 0

    def __hash__(self) -> int:
        if self.is_rational:
            return hash(self._lo)
        return hash(("RealAlgebraic", tuple(int(c) for c in self._minpoly.coeffs())))

    def __bool__(self) -> bool:
        return not (self.is_rational and self._lo == 0)

    def sign(self) -> int:
        """Sign of the number (-1, 0, 1)."""
        return self._cmp_rational(Fraction(0))

    # -- arithmetic with rationals ----------------------------------------------------------
    def _affine(self, scale: Fraction, shift: Fraction) -> RealAlgebraic:
        """The number scale * self + shift (scale != 0), with the transformed minimal polynomial."""
        if self.is_rational:
            return RealAlgebraic(scale * self._lo + shift)
        inv = flint.fmpq(1) / flint.fmpq(scale.numerator, scale.denominator)
        sh = flint.fmpq(shift.numerator, shift.denominator)
        # p((x - shift) / scale)
        image = flint.fmpq_poly(self._minpoly)(flint.fmpq_poly([-sh * inv, inv]))
        mp = _primitive(image.numer())
        a, b = scale * self._lo + shift, scale * self._hi + shift
        return RealAlgebraic._make(mp, min(a, b), max(a, b))

    def __neg__(self) -> RealAlgebraic:
        return self._affine(Fraction(-1), Fraction(0))

    def __pos__(self) -> RealAlgebraic:
        return self

    def __abs__(self) -> RealAlgebraic:
        return -self if self.sign() < 0 else self

    def _rational_operand(self, other: object) -> Fraction | None:
        if isinstance(other, RealAlgebraic):
            return other._lo if other.is_rational else None
        if isinstance(other, _RationalLike) and not isinstance(other, bool):
            return _as_fraction(other)
        return None

    def __add__(self, other: object) -> RealAlgebraic:
        q = self._rational_operand(other)
        if q is None:
            return NotImplemented
        return self._affine(Fraction(1), q)

    __radd__ = __add__

    def __sub__(self, other: object) -> RealAlgebraic:
        q = self._rational_operand(other)
        if q is None:
            return NotImplemented
        return self._affine(Fraction(1), -q)

    def __rsub__(self, other: object) -> RealAlgebraic:
        q = self._rational_operand(other)
        if q is None:
            return NotImplemented
        return self._affine(Fraction(-1), q)

    def __mul__(self, other: object) -> RealAlgebraic:
        q = self._rational_operand(other)
        if q is None:
            return NotImplemented
        if q == 0:
            return RealAlgebraic(0)
        return self._affine(q, Fraction(0))

    __rmul__ = __mul__

    def __truediv__(self, other: object) -> RealAlgebraic:
        q = self._rational_operand(other)
        if q is None:
            return NotImplemented
        if q == 0:
            raise ZeroDivisionError("division of a real algebraic number by zero")
        return self._affine(1 / q, Fraction(0))

    def __reduce__(self):
        return (_rebuild, ([int(c) for c in self._minpoly.coeffs()], self._lo, self._hi))


def _rebuild(coeffs: list[int], lo: Fraction, hi: Fraction) -> RealAlgebraic:
    return RealAlgebraic._make(flint.fmpz_poly(coeffs), lo, hi)


def _same_root(p: flint.fmpz_poly, a0: Fraction, b0: Fraction, a1: Fraction, b1: Fraction) -> bool:
    """Do two isolating intervals of the square-free ``p`` contain the same root?"""
    lo, hi = max(a0, a1), min(b0, b1)
    if lo > hi:
        return False
    if lo == hi:
        return _sign_at(p, lo) == 0
    return _sign_at(p, lo) * _sign_at(p, hi) < 0


def real_roots(f: PolyLike, method: str = "auto") -> list[tuple[RealAlgebraic, int]]:
    """The distinct real roots of ``f`` in increasing order, with multiplicities."""
    return [
        (RealAlgebraic._make(r.factor, r.lo, r.hi), r.multiplicity) for r in _isolate(f, method)
    ]


def _nth_root_with_multiplicity(f: flint.fmpq_poly, index: int) -> RealAlgebraic:
    """The index-th real root counted with multiplicity (SymPy ``CRootOf`` convention)."""
    k = 0
    for r, m in real_roots(f):
        k += m
        if index < k:
            return r
    raise InputError(f"CRootOf index {index} is not a real root")


# --------------------------------------------------------------------------------------------
# SymPy expressions: certified complex ball evaluation and root selection
# --------------------------------------------------------------------------------------------
def _acb_eval(expr, prec: int) -> flint.acb:
    """Certified ball for a SymPy algebraic expression (principal branches, like SymPy)."""
    import sympy

    if expr.is_Rational:
        return flint.acb(flint.arb(flint.fmpq(int(expr.p), int(expr.q))))
    if expr is sympy.I:
        return flint.acb(0, 1)
    if expr.is_Add:
        out = flint.acb(0)
        for a in expr.args:
            out += _acb_eval(a, prec)
        return out
    if expr.is_Mul:
        out = flint.acb(1)
        for a in expr.args:
            out *= _acb_eval(a, prec)
        return out
    if expr.is_Pow:
        base, e = expr.args
        b = _acb_eval(base, prec)
        if e.is_Integer:
            n = int(e)
            return b**n if n >= 0 else 1 / b ** (-n)
        if e.is_Rational:
            return b ** flint.acb(flint.arb(flint.fmpq(int(e.p), int(e.q))))
    if isinstance(expr, sympy.CRootOf) and expr.is_real:
        return flint.acb(RealAlgebraic.from_sympy(expr).enclosure(prec))
    raise InputError(
        f"cannot evaluate {expr} exactly: only radicals and real CRootOf are supported"
    )


def _select_root(f: flint.fmpz_poly, expr) -> RealAlgebraic:
    """The real root of the irreducible ``f`` equal to the algebraic expression ``expr``."""
    d = f.degree()
    if d == 1:
        cs = f.coeffs()
        return RealAlgebraic(Fraction(-int(cs[0]), int(cs[1])))
    prec = 64
    for _ in range(12):
        with _working_prec(prec):
            val = _acb_eval(expr, prec)
            roots = [c for c, _ in f.complex_roots()]
            hits = [c for c in roots if c.overlaps(val)]
        if len(hits) == 1 and len(roots) == d:
            c = hits[0]
            if not c.imag.is_zero():
                raise InputError(f"{expr} is not real")
            lo = _arb_to_fraction(c.real.lower())
            hi = _arb_to_fraction(c.real.upper())
            return RealAlgebraic.from_interval(f, lo, hi)
        prec *= 2
    raise InputError(f"could not identify {expr} among the roots of its minimal polynomial")


def _rational_window(a: object, b: object) -> tuple[Fraction, Fraction]:
    """Rationals x < y with min(a, b) <= x and y <= max(a, b), a and b distinct reals."""
    ra = a if isinstance(a, RealAlgebraic) else RealAlgebraic(a)
    rb = b if isinstance(b, RealAlgebraic) else RealAlgebraic(b)
    c = ra._cmp(rb)
    if c == 0:
        raise InputError(f"rational_between needs two distinct numbers, got {ra!r} twice")
    if c > 0:
        ra, rb = rb, ra
    # now ra < rb; refine until rational bounds ra <= x < y <= rb exist, then a bit more
    while True:
        x, y = ra._hi, rb._lo
        if x < y:
            break
        for r in (ra, rb):
            if not r.is_rational:
                r.refine((r._hi - r._lo) / 2)
    for r in (ra, rb):
        if not r.is_rational:
            r.refine((y - x) / 4)
    return ra._hi, rb._lo
