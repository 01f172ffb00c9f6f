"""Real number fields Q(theta) and univariate polynomials over them.

A :class:`NumberField` is ``K = Q(theta) = Q[t]/(m)`` for a *real* algebraic number ``theta`` given
by its irreducible primitive minimal polynomial ``m`` (an ``fmpz_poly``) and a rational isolating
interval.  Elements of ``K`` are plain ``fmpq_poly`` objects of degree ``< deg m`` (reduced modulo
``m``); since ``m`` is irreducible, ``Q[t]/(m)`` is a field and an element is zero exactly when its
reduced representative is the zero polynomial.  The field methods (``add``, ``mul``, ``inv``,
``sign``...) act on such representatives.  The real embedding ``t -> theta`` gives every element a
sign, decided with arb balls around ``theta`` (refined on demand): a nonzero reduced element never
vanishes at ``theta``, so the ball loop always terminates, and the zero test is exact.

:class:`KPoly` is a univariate polynomial over ``K`` (Euclidean division, gcd, square-free part,
Sturm sequences, norms, real roots).  :func:`adjoin_root` builds a primitive element for
``Q(theta, beta)`` for a real root ``beta`` of a square-free ``P`` in ``K[y]``.

:class:`IsolatedRoot` is the light-weight internal representation of a real algebraic number used
here (irreducible primitive integer polynomial and isolating interval with ``fmpq`` endpoints);
convert to the public :class:`~semialg.algebraic.real_algebraic.RealAlgebraic` with
:meth:`IsolatedRoot.to_real_algebraic`.

References: R. Loos, "Computing in algebraic extensions", in *Computer Algebra: Symbolic and
Algebraic Computation* (1982); B. Trager, "Algebraic factoring and rational function integration",
SYMSAC 1976; H. Cohen, *A Course in Computational Algebraic Number Theory*, sections 3.6 and 4.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence
from fractions import Fraction

import flint

from ..deadline import check_current
from ..errors import InputError

__all__ = [
    "IsolatedRoot",
    "KPoly",
    "NumberField",
    "adjoin_root",
    "rational_poly_real_roots",
    "shifted_norm",
]

_START_PREC = 64
_MAX_PREC = 1 << 22
_VALIDATION_PRECS = (64, 128, 256, 512, 1024)
_VALIDATION_MAX_PREC = 1 << 14


# ---------------------------------------------------------------------------------------------
# small conversions
# ---------------------------------------------------------------------------------------------
def _q(x: object) -> flint.fmpq:
    """An exact rational as ``fmpq``."""
    if isinstance(x, flint.fmpq):
        return x
    if isinstance(x, Fraction):
        return flint.fmpq(x.numerator, x.denominator)
    if isinstance(x, int | flint.fmpz) and not isinstance(x, bool):
        return flint.fmpq(x)
    raise InputError(f"expected an exact rational, got {x!r} ({type(x).__name__})")


def _frac(x: flint.fmpq | flint.fmpz) -> Fraction:
    if isinstance(x, flint.fmpz):
        return Fraction(int(x))
    return Fraction(int(x.p), int(x.q))


def _sgn(x: flint.fmpq | flint.fmpz | int) -> int:
    return (x > 0) - (x < 0)


def _arb_fmpq(x: flint.fmpq) -> flint.arb:
    """A ball containing the rational ``x`` at the current precision."""
    return flint.arb(x)


def _arb_interval(lo: flint.fmpq, hi: flint.fmpq) -> flint.arb:
    """A ball containing the closed interval ``[lo, hi]``."""
    if lo == hi:
        return flint.arb(lo)
    return flint.arb(lo).union(flint.arb(hi))


def _ball_sign(b: flint.arb) -> int | None:
    """The sign of every point of ``b`` if it is the same, else ``None``."""
    if b > 0:
        return 1
    if b < 0:
        return -1
    return None


def _primitive_zpoly(f: flint.fmpq_poly | flint.fmpz_poly) -> flint.fmpz_poly:
    """The primitive integer multiple of ``f`` with positive leading coefficient."""
    if isinstance(f, flint.fmpq_poly):
        f = f.numer()
    if f.is_zero():
        return f
    c = f.content()
    if f.leading_coefficient() < 0:
        c = -c
    return flint.fmpz_poly([x // c for x in f.coeffs()])


def _size(a: flint.fmpq_poly) -> int:
    """Bits of the largest numerator coefficient plus bits of the common denominator."""
    return 0 if a.is_zero() else a.numer().height_bits() + a.denom().bit_length()


def _fmpq_poly_ball(h: flint.fmpq_poly, x: flint.arb) -> flint.arb:
    """Ball enclosure of ``h(x)`` at the current precision."""
    return flint.arb_poly(h)(x)


# ---------------------------------------------------------------------------------------------
# real roots of integer polynomials
# ---------------------------------------------------------------------------------------------
class IsolatedRoot:
    """A real root of an irreducible primitive ``g`` in Z[y] with a rational isolating interval.

    Degree one: ``lo == hi`` is the (rational) root.  Degree at least two: the root is the unique
    root of ``g`` in the open interval ``(lo, hi)``; rational endpoints are never roots of ``g``,
    so ``g(lo)`` and ``g(hi)`` have opposite signs.  The interval is refined in place (bisection).
    """

    __slots__ = ("_slo", "hi", "lo", "poly")

    def __init__(self, poly: flint.fmpz_poly, lo: flint.fmpq, hi: flint.fmpq):
        self.poly = poly
        if poly.degree() == 1:
            c0, c1 = poly.coeffs()
            self.lo = self.hi = flint.fmpq(-c0) / c1
            self._slo = 0
            return
        self.lo, self.hi = _q(lo), _q(hi)
        self._slo = _sgn(poly(self.lo))
        if self._slo == 0 or self._slo == _sgn(poly(self.hi)):
            raise ValueError(f"({lo}, {hi}) does not isolate a root of irreducible {poly}")

    @classmethod
    def rational(cls, value: object) -> IsolatedRoot:
        v = _q(value)
        return cls(flint.fmpz_poly([-v.p, v.q]), v, v)

    @property
    def is_rational(self) -> bool:
        return self.lo == self.hi

    @property
    def value(self) -> Fraction:
        """The exact value of a rational root."""
        if not self.is_rational:
            raise ValueError("the root is irrational")
        return _frac(self.lo)

    def bisect(self) -> None:
        """Halve the isolating interval."""
        if self.lo == self.hi:
            return
        mid = (self.lo + self.hi) / 2
        if _sgn(self.poly(mid)) == self._slo:
            self.lo = mid
        else:
            self.hi = mid

    def refine(self, width: flint.fmpq | Fraction | int) -> None:
        """Refine the interval to width at most ``width`` (> 0).

        Bisection with exact signs, accelerated by Newton steps in ball arithmetic whose result
        is accepted only after an exact sign-change check (as in Abbott's quadratic interval
        refinement).
        """
        w = _q(width)
        newton_tries = 4
        while self.hi - self.lo > w:
            if newton_tries and self.hi - self.lo > w * (1 << 16):
                newton_tries -= 1
                if self._newton(w):
                    continue
                for _ in range(8):
                    self.bisect()
            else:
                self.bisect()

    def _newton(self, w: flint.fmpq) -> bool:
        """Try to jump to an interval of width ``<= w`` around a Newton approximation."""
        g, lo, hi = self.poly, self.lo, self.hi
        scale = max(abs(lo), abs(hi), flint.fmpq(1))
        bits = 40 + (scale / w).p.bit_length() - (scale / w).q.bit_length()
        dg = g.derivative()
        with flint.ctx.workprec(bits):
            x = flint.arb((lo + hi) / 2).mid()
            for _ in range(2 * bits.bit_length() + 8):
                fx, dfx = g(x), dg(x)
                if not dfx.is_finite() or dfx.contains(0):
                    return False
                step = (fx / dfx).mid()
                x = (x - step).mid()
                if abs(step) < flint.arb(w / 8):
                    break
            else:
                return False
            man, exp = x.man_exp()
        c = flint.fmpq(man) * flint.fmpq(2) ** int(exp)
        a, b = max(lo, c - w / 2), min(hi, c + w / 2)
        if not a < b:
            return False
        sa, sb = _sgn(g(a)), _sgn(g(b))
        if sa != self._slo or sb == self._slo or sb == 0 or sa == 0:
            return False
        self.lo, self.hi = a, b
        return True

    def ball(self, prec: int) -> flint.arb:
        """An arb ball of relative radius about ``2**-prec`` around the root (at precision prec)."""
        if not self.is_rational:
            scale = max(abs(self.lo), abs(self.hi), flint.fmpq(1, 1 << 16))
            self.refine(scale / (flint.fmpz(1) << prec))
        with flint.ctx.workprec(prec + 10):
            return _arb_interval(self.lo, self.hi)

    def __float__(self) -> float:
        return float(self.ball(60).mid())

    def same_as(self, other: IsolatedRoot) -> bool:
        """Exact equality."""
        if self.is_rational or other.is_rational:
            return self.is_rational and other.is_rational and self.lo == other.lo
        if self.poly != other.poly:
            return False  # both are minimal polynomials (primitive, positive leading coefficient)
        lo, hi = max(self.lo, other.lo), min(self.hi, other.hi)
        if lo >= hi:
            return False
        # (lo, hi) lies inside the isolating interval of self: it contains a root of g (that root,
        # and then the root of other, too) iff g changes sign on it.
        return _sgn(self.poly(lo)) != _sgn(self.poly(hi))

    def separate(self, other: IsolatedRoot) -> int:
        """Compare with a root known to be different: -1 if self < other, 1 if self > other."""
        while True:
            if self.hi < other.lo:
                return -1
            if other.hi < self.lo:
                return 1
            if self.is_rational and other.is_rational:
                raise ValueError("separate() called on equal roots")
            self.bisect()
            other.bisect()

    def compare(self, other: IsolatedRoot) -> int:
        """Exact comparison: -1, 0 or 1."""
        return 0 if self.same_as(other) else self.separate(other)

    def to_real_algebraic(self):
        """The root as a public :class:`RealAlgebraic`."""
        from .real_algebraic import RealAlgebraic

        if self.is_rational:
            return RealAlgebraic.from_rational(_frac(self.lo))
        return RealAlgebraic.from_interval(self.poly, _frac(self.lo), _frac(self.hi))

    @classmethod
    def from_real_algebraic(cls, value: object) -> IsolatedRoot:
        """Convert a ``RealAlgebraic`` (duck-typed: ``minpoly``, ``interval``), or a rational."""
        if isinstance(value, int | Fraction | flint.fmpq | flint.fmpz) and not isinstance(
            value, bool
        ):
            return cls.rational(value)
        try:
            poly = value.minpoly  # type: ignore[attr-defined]
            lo, hi = value.interval  # type: ignore[attr-defined]
        except AttributeError:
            raise InputError(
                f"expected a rational or a RealAlgebraic, got {value!r} ({type(value).__name__})"
            ) from None
        poly = _primitive_zpoly(flint.fmpz_poly(poly.coeffs()))
        if poly.degree() == 1:
            return cls(poly, flint.fmpq(0), flint.fmpq(0))
        return cls(poly, _q(lo), _q(hi))

    def __repr__(self) -> str:
        if self.is_rational:
            return f"IsolatedRoot({self.lo})"
        return f"IsolatedRoot({self.poly}, ({self.lo}, {self.hi}))"


def _isolate_irreducible(g: flint.fmpz_poly) -> list[IsolatedRoot]:
    """Real roots of an irreducible primitive ``g`` of degree >= 2, in increasing order."""
    from .roots import isolate_real_roots

    return [IsolatedRoot(g, _q(lo), _q(hi)) for lo, hi, _ in isolate_real_roots(g)]


def _make_disjoint(roots: list[IsolatedRoot]) -> list[IsolatedRoot]:
    """Sort pairwise distinct roots, refining until their closed intervals are disjoint."""
    while True:
        roots.sort(key=lambda r: (r.lo, r.hi))
        clash = False
        for a, b in itertools.pairwise(roots):
            if a.hi >= b.lo:
                clash = True
                a.bisect()
                b.bisect()
        if not clash:
            return roots


def rational_poly_real_roots(f: flint.fmpq_poly | flint.fmpz_poly) -> list[IsolatedRoot]:
    """The distinct real roots of a nonzero rational polynomial, sorted, with disjoint intervals.

    Each root carries its minimal polynomial (from FLINT's factorisation over Q).
    """
    f = _primitive_zpoly(f)
    if f.degree() <= 0:
        return []
    roots: list[IsolatedRoot] = []
    for g, _ in f.factor()[1]:
        g = _primitive_zpoly(g)
        if g.degree() == 1:
            roots.append(IsolatedRoot(g, flint.fmpq(0), flint.fmpq(0)))
        else:
            roots.extend(_isolate_irreducible(g))
    return _make_disjoint(roots)


def _locate(roots: Sequence[IsolatedRoot], ball: Callable[[int], flint.arb]) -> IsolatedRoot:
    """The root among ``roots`` (disjoint intervals) equal to the number enclosed by ``ball(prec)``.

    The caller guarantees that the number is one of ``roots``; balls are tightened until exactly
    one interval meets the ball.
    """
    if len(roots) == 1:
        return roots[0]
    prec = _START_PREC
    while prec <= _MAX_PREC:
        b = ball(prec)
        with flint.ctx.workprec(prec + 10):
            hits = [r for r in roots if not (b < _arb_fmpq(r.lo) or b > _arb_fmpq(r.hi))]
        if len(hits) == 1:
            return hits[0]
        if not hits:
            raise ArithmeticError("number not among the candidate roots")  # pragma: no cover
        prec *= 2
    raise ArithmeticError("could not locate a root (precision limit)")  # pragma: no cover


# ---------------------------------------------------------------------------------------------
# number fields
# ---------------------------------------------------------------------------------------------
class NumberField:
    """The real number field ``Q(theta) = Q[t]/(m)`` with the embedding ``t -> theta``.

    ``NumberField.rationals()`` is ``Q`` itself (``m = t``, ``theta = 0``, degree 1).  Elements are
    ``fmpq_poly`` of degree ``< degree``; use :meth:`element` to convert rationals / polynomials.
    """

    __slots__ = (
        "_kronecker_threshold",
        "degree",
        "derivative_at_gen",
        "generator",
        "minpoly",
        "modulus",
    )
    _rationals: NumberField | None = None

    def __init__(self, generator: IsolatedRoot):
        self.generator = generator
        self.minpoly: flint.fmpz_poly = generator.poly
        self.degree: int = self.minpoly.degree()
        lc = self.minpoly.leading_coefficient()
        self.modulus = flint.fmpq_poly(self.minpoly) / lc
        # m'(theta), nonzero as m is square-free; elements larger than the threshold (bits, see
        # _size) are tried in Kronecker form (see kronecker_form)
        self.derivative_at_gen = self.reduce(flint.fmpq_poly(self.minpoly.derivative()))
        self._kronecker_threshold = 4 * (self.minpoly.height_bits() + self.degree)

    @classmethod
    def rationals(cls) -> NumberField:
        if cls._rationals is None:
            cls._rationals = cls(IsolatedRoot.rational(0))
        return cls._rationals

    @classmethod
    def from_real_algebraic(cls, theta: object) -> NumberField:
        """``Q(theta)`` for a ``RealAlgebraic`` (or rational) ``theta``."""
        root = IsolatedRoot.from_real_algebraic(theta)
        return cls.rationals() if root.is_rational else cls(root)

    @property
    def is_rational_field(self) -> bool:
        return self.degree == 1

    def __repr__(self) -> str:
        if self.degree == 1:
            return "NumberField(QQ)"
        g = self.generator
        return f"NumberField({self.minpoly}, ({g.lo}, {g.hi}))"

    # -- elements ---------------------------------------------------------------------------
    def element(self, x: object) -> flint.fmpq_poly:
        """Convert a rational or a polynomial in the generator to a reduced element."""
        if isinstance(x, flint.fmpq_poly | flint.fmpz_poly):
            return self.reduce(flint.fmpq_poly(x))
        return flint.fmpq_poly([_q(x)])

    def reduce(self, h: flint.fmpq_poly) -> flint.fmpq_poly:
        if h.degree() < self.degree:
            return h
        return h % self.modulus

    def compose(self, e: flint.fmpq_poly, a: flint.fmpq_poly) -> flint.fmpq_poly:
        """The element ``e(a)``, reduced: Horner's rule with a reduction after every step.

        Intermediate degrees stay below ``2 * degree``; composing first and reducing once builds
        a polynomial of degree ``deg e * deg a`` (15x slower on the fields of the Kahan problems).
        """
        acc = flint.fmpq_poly([])
        for c in reversed(e.coeffs()):
            acc = self.reduce(acc * a + c)
        return acc

    def gen(self) -> flint.fmpq_poly:
        """The generator ``theta`` as an element."""
        if self.degree == 1:
            return flint.fmpq_poly([self.generator.lo])
        return flint.fmpq_poly([0, 1])

    def mul(self, a: flint.fmpq_poly, b: flint.fmpq_poly) -> flint.fmpq_poly:
        return self.reduce(a * b)

    def inv(self, a: flint.fmpq_poly) -> flint.fmpq_poly:
        """Multiplicative inverse (extended Euclid modulo the minimal polynomial).

        An element with large coefficients is inverted as ``(a m'(theta))^-1 m'(theta)``
        (:meth:`kronecker_form`): Euclid's cost grows with the size (on the Kahan problem's
        fields of degree 16: 6 ms instead of 60 ms).
        """
        if a.is_zero():
            raise ZeroDivisionError("inverse of zero in a number field")
        if a.degree() == 0:
            return flint.fmpq_poly([1 / a.coeffs()[0]])
        scaled = self.kronecker_form([a])
        if scaled is not None:
            return self.mul(self._xgcd_inverse(scaled[0]), self.derivative_at_gen)
        return self._xgcd_inverse(a)

    def kronecker_form(self, elements: Sequence[flint.fmpq_poly]) -> list[flint.fmpq_poly] | None:
        """``m'(theta)`` times the elements, when they are large and that makes them smaller.

        Written in the power basis, elements carry denominators of the size of the discriminant
        of m, which ``m'(theta)`` mostly cancels (the "Kronecker form"; on the Kahan problem's
        fields of degree 16, about 300 bits instead of 1,700). ``None`` otherwise.
        """
        if self.degree <= 1:
            return None
        largest = max(map(_size, elements), default=0)
        if largest <= self._kronecker_threshold:
            return None
        scaled = [self.mul(e, self.derivative_at_gen) for e in elements]
        return scaled if max(map(_size, scaled)) < largest else None

    def _xgcd_inverse(self, a: flint.fmpq_poly) -> flint.fmpq_poly:
        g, s, _ = a.xgcd(self.modulus)
        if g != 1:  # pragma: no cover - the minimal polynomial is irreducible
            raise ArithmeticError(f"{a} is not invertible modulo {self.modulus}")
        return s

    def div(self, a: flint.fmpq_poly, b: flint.fmpq_poly) -> flint.fmpq_poly:
        return self.mul(a, self.inv(b))

    @staticmethod
    def is_rational(a: flint.fmpq_poly) -> bool:
        return a.degree() <= 0

    @staticmethod
    def as_fraction(a: flint.fmpq_poly) -> Fraction:
        if a.degree() > 0:
            raise ValueError(f"{a} is not a rational element")
        return _frac(a.coeffs()[0]) if not a.is_zero() else Fraction(0)

    # -- real embedding ---------------------------------------------------------------------
    def generator_ball(self, prec: int) -> flint.arb:
        return self.generator.ball(prec)

    def ball(self, a: flint.fmpq_poly, prec: int = _START_PREC) -> flint.arb:
        """Ball enclosure of the real number ``a(theta)``."""
        if a.degree() <= 0:
            with flint.ctx.workprec(prec):
                return flint.arb(a.coeffs()[0]) if not a.is_zero() else flint.arb(0)
        tb = self.generator_ball(prec)
        with flint.ctx.workprec(prec):
            return _fmpq_poly_ball(a, tb)

    def sign(self, a: flint.fmpq_poly) -> int:
        """Exact sign of ``a(theta)``: zero iff ``a`` is zero; otherwise balls until decided."""
        if a.degree() <= 0:
            return _sgn(a.coeffs()[0]) if not a.is_zero() else 0
        prec = _START_PREC
        while prec <= _MAX_PREC:
            s = _ball_sign(self.ball(a, prec))
            if s is not None:
                return s
            prec *= 2
        raise ArithmeticError("sign undecided at the precision limit")  # pragma: no cover

    def compare(self, a: flint.fmpq_poly, b: flint.fmpq_poly) -> int:
        return self.sign(a - b)

    def element_root(self, a: flint.fmpq_poly) -> IsolatedRoot:
        """``a(theta)`` as an :class:`IsolatedRoot` (minimal polynomial from the charpoly).

        The characteristic polynomial of multiplication by ``a`` on K is factored over Q; its factor
        vanishing at ``a(theta)`` is selected by certified balls (:func:`_locate`).
        """
        if a.degree() <= 0:
            return IsolatedRoot.rational(self.as_fraction(a))
        linear = KPoly._raw(self, [-a, flint.fmpq_poly([1])])  # y - a: its norm is the charpoly
        cands = rational_poly_real_roots(shifted_norm(linear, 0))
        return _locate(cands, lambda prec: self.ball(a, prec))

    def to_real_algebraic(self, a: flint.fmpq_poly):
        """``a(theta)`` as a :class:`RealAlgebraic`."""
        return self.element_root(a).to_real_algebraic()


def _to_mpoly(h: flint.fmpq_poly, ctx: flint.fmpq_mpoly_ctx, var: int) -> flint.fmpq_mpoly:
    """The univariate ``h`` as a polynomial in variable ``var`` of ``ctx``."""
    n = ctx.nvars()
    terms = {}
    for k, c in enumerate(h.coeffs()):
        if c != 0:
            e = [0] * n
            e[var] = k
            terms[tuple(e)] = c
    return ctx.from_dict(terms)


# ---------------------------------------------------------------------------------------------
# univariate polynomials over a number field
# ---------------------------------------------------------------------------------------------
class KPoly:
    """A univariate polynomial ``sum c_j y^j`` over a :class:`NumberField` (coefficients low first).

    Coefficients are reduced elements; trailing zeros are dropped exactly, so ``degree`` is exact.
    """

    __slots__ = ("_balls", "_deflated", "_norm", "_sturm", "coeffs", "field")

    def __init__(self, field: NumberField, coeffs: Iterable[flint.fmpq_poly]):
        cs = [field.reduce(flint.fmpq_poly(c)) for c in coeffs]
        while cs and cs[-1].is_zero():
            cs.pop()
        self.field = field
        self.coeffs: list[flint.fmpq_poly] = cs
        self._sturm: list[KPoly] | None = None
        self._norm: flint.fmpz_poly | None = None
        self._deflated: KPoly | None = None
        self._balls: list[flint.arb] | bool | None = None

    @classmethod
    def _raw(cls, field: NumberField, coeffs: list[flint.fmpq_poly]) -> KPoly:
        """Build from already reduced coefficients."""
        while coeffs and coeffs[-1].is_zero():
            coeffs.pop()
        obj = cls.__new__(cls)
        obj.field, obj.coeffs = field, coeffs
        obj._sturm = obj._norm = obj._deflated = obj._balls = None
        return obj

    @classmethod
    def from_rational_poly(cls, field: NumberField, f: flint.fmpq_poly | flint.fmpz_poly) -> KPoly:
        return cls._raw(field, [flint.fmpq_poly([c]) for c in flint.fmpq_poly(f).coeffs()])

    # -- inspection -------------------------------------------------------------------------
    @property
    def degree(self) -> int:
        """Degree (``-1`` for the zero polynomial)."""
        return len(self.coeffs) - 1

    @property
    def is_zero(self) -> bool:
        return not self.coeffs

    def leading(self) -> flint.fmpq_poly:
        return self.coeffs[-1]

    def is_rational(self) -> bool:
        """True if all coefficients are rational."""
        return all(c.degree() <= 0 for c in self.coeffs)

    def to_rational_poly(self) -> flint.fmpq_poly:
        if not self.is_rational():
            raise ValueError("polynomial has irrational coefficients")
        return flint.fmpq_poly([c.coeffs()[0] if not c.is_zero() else 0 for c in self.coeffs])

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, KPoly):
            return NotImplemented
        return self.field is other.field and self.coeffs == other.coeffs

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        terms = [f"({c})*y^{j}" for j, c in enumerate(self.coeffs) if not c.is_zero()]
        return f"KPoly({' + '.join(terms) or '0'} over {self.field})"

    # -- arithmetic -------------------------------------------------------------------------
    def _binary(self, other: KPoly, sign: int) -> KPoly:
        a, b = self.coeffs, other.coeffs
        n = max(len(a), len(b))
        zero = flint.fmpq_poly([])
        out = []
        for j in range(n):
            x = a[j] if j < len(a) else zero
            y = b[j] if j < len(b) else zero
            out.append(x + y if sign > 0 else x - y)
        return KPoly._raw(self.field, out)

    def __add__(self, other: KPoly) -> KPoly:
        return self._binary(other, 1)

    def __sub__(self, other: KPoly) -> KPoly:
        return self._binary(other, -1)

    def __neg__(self) -> KPoly:
        return KPoly._raw(self.field, [-c for c in self.coeffs])

    def __mul__(self, other: KPoly) -> KPoly:
        if self.is_zero or other.is_zero:
            return KPoly._raw(self.field, [])
        K = self.field
        out = [flint.fmpq_poly([])] * (len(self.coeffs) + len(other.coeffs) - 1)
        for i, a in enumerate(self.coeffs):
            if a.is_zero():
                continue
            for j, b in enumerate(other.coeffs):
                out[i + j] = out[i + j] + a * b
        return KPoly._raw(K, [K.reduce(c) for c in out])

    def scale(self, c: flint.fmpq_poly) -> KPoly:
        K = self.field
        return KPoly._raw(K, [K.mul(a, c) for a in self.coeffs])

    def monic(self) -> KPoly:
        if self.is_zero:
            return self
        return self.scale(self.field.inv(self.leading()))

    def derivative(self) -> KPoly:
        return KPoly._raw(self.field, [c * j for j, c in enumerate(self.coeffs)][1:])

    def divmod(self, other: KPoly) -> tuple[KPoly, KPoly]:
        """Euclidean division over the field."""
        if other.is_zero:
            raise ZeroDivisionError("polynomial division by zero")
        K = self.field
        r = list(self.coeffs)
        d = other.degree
        if len(r) - 1 < d:
            return KPoly._raw(K, []), self
        inv_lc = K.inv(other.leading())
        q = [flint.fmpq_poly([])] * (len(r) - d)
        for k in range(len(r) - 1 - d, -1, -1):
            c = K.mul(r[k + d], inv_lc)
            q[k] = c
            if c.is_zero():
                continue
            for j, b in enumerate(other.coeffs):
                r[k + j] = K.reduce(r[k + j] - c * b)
        return KPoly._raw(K, q), KPoly._raw(K, r[:d])

    def __mod__(self, other: KPoly) -> KPoly:
        return self.divmod(other)[1]

    def gcd(self, other: KPoly) -> KPoly:
        """Monic gcd (Euclid over the field; the zero polynomial for gcd(0, 0))."""
        a, b = self, other
        while not b.is_zero:
            check_current()  # coefficient growth can make one step long: honour the budget
            a, b = b, a % b
        return a.monic()

    def sqf_part(self) -> KPoly:
        """``self / gcd(self, self')``, monic."""
        if self.degree <= 0:
            return self.monic()
        g = self.gcd(self.derivative())
        if g.degree == 0:
            return self.monic()
        return self.divmod(g)[0].monic()

    # -- evaluation -------------------------------------------------------------------------
    def eval_rational(self, x: object) -> flint.fmpq_poly:
        """Exact value at a rational ``x`` (an element of the field)."""
        xq = _q(x)
        acc = flint.fmpq_poly([])
        for c in reversed(self.coeffs):
            acc = acc * xq + c
        return acc

    def eval_element(self, x: flint.fmpq_poly) -> flint.fmpq_poly:
        """Exact value at an element of the field."""
        K = self.field
        acc = flint.fmpq_poly([])
        for c in reversed(self.coeffs):
            acc = K.mul(acc, x) + c
        return acc

    def ball(self, x: flint.arb, prec: int) -> flint.arb:
        """Ball enclosure of the value at the real number enclosed by ``x``."""
        K = self.field
        with flint.ctx.workprec(prec):
            acc = flint.arb(0)
            for c in reversed(self.coeffs):
                acc = acc * x + K.ball(c, prec)
        return acc

    # -- real roots -------------------------------------------------------------------------
    def sturm_sequence(self) -> list[KPoly]:
        """Sturm sequence ``f, f', -rem(...), ...`` (cached)."""
        if self._sturm is None:
            seq = [self, self.derivative()]
            while not seq[-1].is_zero:
                check_current()
                seq.append(-(seq[-2] % seq[-1]))
            seq.pop()
            self._sturm = seq
        return self._sturm

    def _variations(self, signs: Iterable[int]) -> int:
        nz = [s for s in signs if s != 0]
        return sum(1 for a, b in itertools.pairwise(nz) if a != b)

    def _signs_at(self, x: flint.fmpq | None, side: int = 1) -> list[int]:
        K = self.field
        if x is None:
            return [K.sign(p.leading()) * (side ** (p.degree % 2)) for p in self.sturm_sequence()]
        return [K.sign(p.eval_rational(x)) for p in self.sturm_sequence()]

    def count_real_roots(self, lo: object = None, hi: object = None) -> int:
        """Number of distinct real roots in ``(lo, hi)`` (``None`` = infinite endpoint).

        Sturm's theorem over the real field K; finite endpoints must not be roots.
        """
        if self.degree <= 0:
            return 0
        va = self._variations(self._signs_at(None if lo is None else _q(lo), -1))
        vb = self._variations(self._signs_at(None if hi is None else _q(hi), 1))
        return va - vb

    def norm(self) -> flint.fmpz_poly:
        """``N(y) = Res_t(m(t), P(t, y))``: vanishes at every root of every conjugate of P.

        Returned as a primitive integer polynomial with positive leading coefficient.
        """
        if self.field.degree == 1:
            return _primitive_zpoly(self.to_rational_poly())
        if self._norm is None:
            self._norm = shifted_norm(self, 0)
        return self._norm

    def deflated(self) -> KPoly:
        """``self / y^k`` for the multiplicity k of the root 0 (cached; ``self`` when k = 0).

        Root isolation and primitive elements take norms of this smaller polynomial.
        """
        if self._deflated is None:
            k = next((k for k, c in enumerate(self.coeffs) if not c.is_zero()), 0)
            self._deflated = KPoly._raw(self.field, self.coeffs[k:]) if k else self
        return self._deflated

    def squarefree_and_count(self, squarefree: bool) -> tuple[KPoly, int]:
        """A square-free polynomial with the same real roots, and their number.

        Degrees 1 and 2 in closed form (the sign of the discriminant, exact in K), which avoids
        the inversions in K of a gcd and a Sturm sequence. Higher degrees: validated complex root
        isolation (:meth:`validated_real_roots`) proves square-freeness and counts the real roots;
        only where it fails, ``sqf_part`` and Sturm.
        """
        if self.degree == 1:
            return self, 1
        if self.degree == 2:
            K = self.field
            sign = K.sign(self._discriminant2())
            if sign < 0:
                return self, 0
            if sign == 0:  # a double root -c1 / (2 c2)
                return KPoly._raw(K, [self.coeffs[1], 2 * self.coeffs[2]]), 1
            return self, 2
        balls = self.validated_real_roots()
        if balls is not None:
            return self, len(balls)
        q = self if squarefree else self.sqf_part()
        return q, q.count_real_roots()

    def _discriminant2(self) -> flint.fmpq_poly:
        c0, c1, c2 = self.coeffs
        return self.field.reduce(c1 * c1 - 4 * c0 * c2)

    def is_squarefree(self) -> bool:
        """No repeated factor (degree <= 2: a nonzero discriminant; otherwise validated complex
        roots, or a gcd)."""
        if self.degree <= 1:
            return self.degree == 1
        if self.degree == 2:
            return not self._discriminant2().is_zero()
        if self.validated_real_roots() is not None:
            return True
        return self.gcd(self.derivative()).degree == 0

    def validated_real_roots(self) -> list[flint.arb] | None:
        """Disjoint balls, sorted, each holding one real root; ``None`` where numerics fail.

        The coefficients are enclosed in balls around their values at theta, and FLINT isolates
        all complex roots of every polynomial inside those balls (``acb_poly.roots``: each
        validated disk holds at least one root, and there are ``degree`` disjoint disks, so each
        holds exactly one, and every root is simple). A disk meeting the real axis holds a real
        root when no other disk meets its mirror image: the conjugate of its root is a root too
        (real coefficients) and can only lie in the same disk. This proves square-freeness and
        counts the real roots without arithmetic in K (Strzebonski 2006, section 3). It fails
        (``None``, cached) on a repeated root, and when the precision limit is reached first.
        """
        if self._balls is None:
            self._balls = self._isolate_numerically() or False
        return self._balls if self._balls is not False else None  # type: ignore[return-value]

    def _isolate_numerically(self) -> list[flint.arb] | None:
        """Two attempts: at the precision giving every coefficient ball 48 correct bits, and at
        twice that. A repeated root makes both fail; trying longer costs more than the exact
        path (tens of milliseconds on the quartics of Lazard's problem)."""
        K = self.field
        prec = _START_PREC
        while True:
            balls = [K.ball(c, prec) for c in self.coeffs]
            if all(b.rel_accuracy_bits() >= 48 for b in balls):
                break
            if prec >= _VALIDATION_MAX_PREC:
                return None
            prec *= 2
        for attempt in (prec, 2 * prec):
            with flint.ctx.workprec(attempt):
                if attempt != prec:
                    balls = [K.ball(c, attempt) for c in self.coeffs]
                try:
                    disks = flint.acb_poly([flint.acb(b) for b in balls]).roots(maxprec=attempt)
                except ValueError:
                    continue
            real: list[flint.arb] = []
            for i, z in enumerate(disks):
                if not z.imag.contains(0):
                    continue
                mirror = z.conjugate()
                if any(w.overlaps(mirror) for j, w in enumerate(disks) if j != i):
                    break  # the disk and its mirror image are not told apart yet
                real.append(z.real)
            else:
                return sorted(real, key=lambda b: b.mid())
        return None

    def real_roots(self, squarefree: bool = False) -> list[IsolatedRoot]:
        """The distinct real roots, sorted (disjoint intervals), each with its minimal polynomial.

        Rational coefficients: factor over Q and isolate.  Otherwise the candidates are the real
        roots of the norm; ball evaluation discards most non-roots, and when the remaining count
        does not match the Sturm count over K each candidate is decided by an exact Sturm count on
        its isolating interval (which contains no other root of the norm).
        """
        if self.degree <= 0:
            return []
        if self.is_rational():
            return rational_poly_real_roots(self.to_rational_poly())
        rest = self.deflated()
        if rest is not self:  # y^k r(y): the root 0, and a norm of r of smaller size
            return _make_disjoint([IsolatedRoot.rational(0), *rest.real_roots(squarefree)])
        q, total = self.squarefree_and_count(squarefree)
        if total == 0:
            return []
        if q.is_rational():
            return rational_poly_real_roots(q.to_rational_poly())
        balls = q.validated_real_roots() if q.degree > 2 else None
        if balls is not None:
            matched = _match_balls(q, balls)
            if matched is not None:
                return matched
        found: list[IsolatedRoot] = []
        open_: list[IsolatedRoot] = []
        for r in rational_poly_real_roots(q.norm()):
            if r.is_rational:
                if q.eval_rational(r.lo).is_zero():
                    found.append(r)
            elif not _excluded(q, r):
                open_.append(r)
        if len(found) + len(open_) != total:
            open_ = [r for r in open_ if q.count_real_roots(r.lo, r.hi) == 1]
        found.extend(open_)
        if len(found) != total:  # pragma: no cover - would be a bug
            raise ArithmeticError("root count mismatch in KPoly.real_roots")
        return _make_disjoint(found)


def _match_balls(q: KPoly, balls: Sequence[flint.arb]) -> list[IsolatedRoot] | None:
    """The real roots of ``q`` as roots of its norm, one for each validated ball of ``q``.

    A root beta in a ball is a real root of the norm, so some candidate's interval meets the ball
    and balls never exclude it. Candidates are refined, and excluded by balls proving
    ``q(r) != 0``, until exactly one meets the ball. ``None`` (the caller decides exactly) if
    that takes too long.
    """
    candidates = rational_poly_real_roots(q.norm())
    found: list[IsolatedRoot] = []
    for ball in balls:
        hits = [r for r in candidates if _meets(r, ball)]
        for prec in _VALIDATION_PRECS:
            if len(hits) == 1:
                break
            check_current()
            for r in hits:
                r.refine(flint.fmpq(1, 1 << (prec // 4)))
            hits = [r for r in hits if _meets(r, ball) and not _excluded(q, r, (prec,))]
        if len(hits) != 1:
            return None
        found.append(hits[0])
    return _make_disjoint(found)


def _meets(r: IsolatedRoot, ball: flint.arb) -> bool:
    """Whether the closed isolating interval of ``r`` meets ``ball``."""
    return _arb_interval(r.lo, r.hi).overlaps(ball)


def _excluded(q: KPoly, r: IsolatedRoot, precs: Sequence[int] = (64, 192)) -> bool:
    """True if balls prove ``q(beta) != 0`` at the root ``beta`` (a cheap filter)."""
    return any(_ball_sign(q.ball(r.ball(prec), prec)) is not None for prec in precs)


def shifted_norm(p: KPoly, c: int) -> flint.fmpz_poly:
    """``N(z) = Res_t(m(t), P(t, z - c t))`` up to a constant factor, primitive with positive lead.

    Its roots are ``beta + c theta'`` for the roots ``beta`` of every conjugate of P over its
    conjugate ``theta'``. Computed by evaluation and interpolation: N has degree
    ``n = deg K * deg P`` (the leading coefficient of P is a nonzero element), and at each of the
    n + 1 integers ``z_i`` around 0, ``N(z_i) = Res_t(m(t), Q_i(t)) / lc(m)^deg Q_i`` with
    ``Q_i(t) = P(t, z_i - c t)`` is one univariate integer resultant, which FLINT computes
    multimodularly (Collins 1971; Cohen 1993, 3.3.7); Newton's divided differences interpolate.

    Before that, P is scaled by ``m'(theta)`` where that makes it smaller, which changes N by a
    constant factor only: elements of K written in the power basis carry denominators of the size
    of the discriminant of m, and ``m'(theta)`` times them is much smaller (the "Kronecker form";
    on the Kahan problem's fields of degree 16, from about 1,700 to about 300 bits). On those
    fields this is ten times faster than the characteristic polynomial of multiplication by y on
    ``K[y]/(P)`` used before.
    """
    K, d = p.field, p.degree
    if d < 1:
        raise InputError("the norm needs a polynomial of positive degree")
    m = K.minpoly
    coeffs = K.kronecker_form(p.coeffs) or list(p.coeffs)  # a constant factor of N only
    den = flint.fmpz(1)
    for e in coeffs:
        if not e.is_zero():
            den = den.lcm(e.denom())
    ints = [(e * den).numer() for e in coeffs]  # P(t, y) = sum_j ints[j](t) y^j, up to den
    lc_m = flint.fmpq(m.leading_coefficient())
    n = K.degree * d
    nodes = [i - n // 2 for i in range(n + 1)]
    values = []
    for z in nodes:
        check_current()
        shift = flint.fmpz_poly([z, -c])  # z - c t
        q = flint.fmpz_poly([])
        for e in reversed(ints):
            q = q * shift + e
        values.append(
            flint.fmpq(0) if q.is_zero() else flint.fmpq(m.resultant(q)) / lc_m ** q.degree()
        )
    return _primitive_zpoly(_interpolate(nodes, values))


def _interpolate(nodes: Sequence[int], values: Sequence[flint.fmpq]) -> flint.fmpq_poly:
    """The polynomial of degree < len(nodes) through the points (Newton's divided differences)."""
    diffs = list(values)
    for j in range(1, len(nodes)):
        for i in range(len(nodes) - 1, j - 1, -1):
            diffs[i] = (diffs[i] - diffs[i - 1]) / (nodes[i] - nodes[i - j])
    f = flint.fmpq_poly([diffs[-1]])
    for i in range(len(nodes) - 2, -1, -1):
        f = f * flint.fmpq_poly([-nodes[i], 1]) + diffs[i]
    return f


# ---------------------------------------------------------------------------------------------
# primitive elements
# ---------------------------------------------------------------------------------------------
def _shifts() -> Iterable[int]:
    yield 0
    for k in itertools.count(1):
        yield k
        yield -k


def adjoin_root(
    field: NumberField, p: KPoly, beta: IsolatedRoot
) -> tuple[NumberField, flint.fmpq_poly, flint.fmpq_poly]:
    """A primitive element for ``Q(theta, beta)``, ``beta`` a real root of a square-free ``p``.

    Returns ``(L, a, b)`` with ``L = Q(gamma)`` and ``theta = a(gamma)``, ``beta = b(gamma)``.

    ``gamma = beta + c*theta`` for the first of c = 0, 1, -1, 2, ... making the norm
    ``N(z) = Res_t(m(t), p(t, z - c t))`` square-free; the minimal polynomial ``mu`` of gamma is the
    factor of N whose certified isolating interval contains the ball of gamma.  Then
    ``h = gcd_K(p(y), mu(y + c theta))`` is the minimal polynomial of beta over K (Trager 1976).
    If ``deg h = 1``, beta lies in K and the field is kept (``L is field``, ``a = t``).
    Otherwise ``theta`` is written in the power basis of gamma by solving a linear system in the
    tower basis ``theta^i beta^j`` of ``K[y]/(h)`` (Loos 1982; Cohen 1993, 3.6).
    Rational ``beta`` and ``field = Q`` are handled directly.
    """
    if beta.is_rational:
        return field, field.gen(), flint.fmpq_poly([beta.lo])
    if field.degree == 1:
        return NumberField(beta), flint.fmpq_poly([field.generator.lo]), flint.fmpq_poly([0, 1])
    if p.field is not field:
        raise InputError("adjoin_root: polynomial is over a different field")
    if not p.is_squarefree():
        raise InputError("adjoin_root needs a square-free polynomial of positive degree")
    p = p.deflated()  # beta is irrational, so a root of p / y^k
    for c in _shifts():  # c = 0 first: its norm is usually cached from root isolation
        norm = p.norm() if c == 0 else shifted_norm(p, c)
        if norm.gcd(norm.derivative()).degree() == 0:
            break
    theta = field.generator

    def gamma_ball(prec: int) -> flint.arb:
        bb, tb = beta.ball(prec), theta.ball(prec)
        with flint.ctx.workprec(prec):
            return bb + c * tb

    gamma = _locate(rational_poly_real_roots(norm), gamma_ball)
    h = p.gcd(_shifted_mod(gamma.poly, c, p))  # minimal polynomial of beta over K
    if h.degree == 1:
        return field, field.gen(), -h.coeffs[0]
    new = NumberField(gamma)
    a = _theta_in_gamma(field, h, c, new.degree)
    return new, a, new.reduce(flint.fmpq_poly([0, 1]) - c * a)


def _shifted_mod(mu: flint.fmpz_poly, c: int, p: KPoly) -> KPoly:
    """``mu(y + c theta) mod p(y)`` over K (Horner in ``K[y]/(p)``)."""
    K = p.field
    lin = KPoly._raw(K, [K.reduce(c * K.gen()), flint.fmpq_poly([1])])
    acc = KPoly._raw(K, [])
    for coeff in reversed(mu.coeffs()):
        acc = (acc * lin + KPoly._raw(K, [flint.fmpq_poly([coeff])])) % p
    return acc


def _theta_in_gamma(field: NumberField, h: KPoly, c: int, n: int) -> flint.fmpq_poly:
    """``a`` with ``theta = a(gamma)``, ``gamma = y + c theta`` in ``K[y]/(h)`` of degree n over Q.

    Column k of the n x n system holds the coordinates of ``gamma^k`` in the basis
    ``theta^i y^j`` (i < deg K, j < deg h); the right-hand side is ``theta``.
    """
    K, D, d = field, field.degree, h.degree
    if D * d != n:  # pragma: no cover - degrees multiply in a tower
        raise ArithmeticError("primitive element: degree mismatch")
    lin = KPoly._raw(K, [K.reduce(c * K.gen()), flint.fmpq_poly([1])])
    power = KPoly._raw(K, [flint.fmpq_poly([1])])
    mat = flint.fmpq_mat(n, n)
    for k in range(n):
        check_current()  # on fields of degree 192 building the system alone took 15 s
        for j, coeff in enumerate(power.coeffs):
            for i, q in enumerate(coeff.coeffs()):
                mat[j * D + i, k] = q
        power = (power * lin) % h
    rhs = flint.fmpq_mat(n, 1)
    rhs[1, 0] = 1  # theta = theta^1 y^0
    sol = mat.solve(rhs)
    return flint.fmpq_poly([sol[k, 0] for k in range(n)])
