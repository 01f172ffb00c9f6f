"""Multivariate polynomials over Z and Q with an explicit variable order, on python-flint.

A :class:`PolyRing` is an ordered tuple of variable names; a :class:`Poly` is a thin wrapper around
a flint ``fmpz_mpoly`` (domain ``ZZ``) or ``fmpq_mpoly`` (domain ``QQ``) in that ring's variables.
All arithmetic, gcds, factorisations, resultants and discriminants are delegated to FLINT; this
module only adds the bookkeeping a computer algebra system needs (variable names, domains,
coefficients with respect to one variable, normalisation of signs and contents).

The variable order matters for cylindrical algebraic decomposition: the *last* variable of a ring
is the one eliminated first by projection (the usual convention x_1 < x_2 < ... < x_n).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from numbers import Rational
from typing import ClassVar, Union

import flint

from ..errors import InputError, InputTypeError

Scalar = Union[int, Fraction, "flint.fmpz", "flint.fmpq"]

_RAW_TYPES = (flint.fmpz_mpoly, flint.fmpq_mpoly)


def to_fmpq(value: object) -> flint.fmpq:
    """An exact rational scalar as ``fmpq``; floats are converted to the rational they are."""
    if isinstance(value, flint.fmpq):
        return value
    if isinstance(value, bool):
        raise InputTypeError(f"expected a rational number, got the boolean {value!r}")
    if isinstance(value, int | flint.fmpz):
        return flint.fmpq(value)
    if isinstance(value, Fraction):
        return flint.fmpq(value.numerator, value.denominator)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise InputError(f"cannot use the non-finite float {value!r} as an exact number")
        num, den = value.as_integer_ratio()
        return flint.fmpq(num, den)
    if isinstance(value, Rational):
        return flint.fmpq(int(value.numerator), int(value.denominator))
    try:
        import sympy

        if isinstance(value, sympy.Basic):
            if value.is_Rational:
                return flint.fmpq(int(value.p), int(value.q))
            if value.is_Float:
                return to_fmpq(sympy.Rational(value))
    except ImportError:  # pragma: no cover - sympy is a dependency
        pass
    raise InputTypeError(
        f"expected an exact rational number, got {value!r} ({type(value).__name__})"
    )


def fmpq_to_fraction(value: flint.fmpq | flint.fmpz) -> Fraction:
    """Convert a flint rational or integer to :class:`fractions.Fraction`."""
    if isinstance(value, flint.fmpz):
        return Fraction(int(value))
    return Fraction(int(value.p), int(value.q))


class PolyRing:
    """The polynomial ring Z[x_1, ..., x_n] (and Q[x_1, ..., x_n]) in named, ordered variables.

    Rings are interned: ``PolyRing(("x", "y")) is PolyRing(["x", "y"])``.
    """

    __slots__ = ("__weakref__", "_index", "names", "qctx", "zctx")
    _cache: ClassVar[dict[tuple[str, ...], PolyRing]] = {}

    def __new__(cls, names: Iterable[str]) -> PolyRing:
        key = tuple(names)
        ring = cls._cache.get(key)
        if ring is not None:
            return ring
        for name in key:
            if not isinstance(name, str) or not name.isidentifier():
                raise InputError(f"invalid variable name {name!r}")
        if len(set(key)) != len(key):
            dup = sorted({n for n in key if key.count(n) > 1})
            raise InputError(f"duplicated variable(s) {', '.join(dup)} in {list(key)}")
        ring = super().__new__(cls)
        ring.names = key
        ring._index = {n: i for i, n in enumerate(key)}
        ring.zctx = flint.fmpz_mpoly_ctx.get(key, "lex")
        ring.qctx = flint.fmpq_mpoly_ctx.get(key, "lex")
        cls._cache[key] = ring
        return ring

    # -- basic data -------------------------------------------------------------------------
    @property
    def nvars(self) -> int:
        return len(self.names)

    def index(self, var: str | int) -> int:
        """Position of a variable given by name or index."""
        if isinstance(var, int) and not isinstance(var, bool):
            if not -self.nvars <= var < self.nvars:
                raise InputError(f"variable index {var} out of range for {self}")
            return var % self.nvars
        try:
            return self._index[var]
        except (KeyError, TypeError):
            raise InputError(f"unknown variable {var!r}; the ring has {list(self.names)}") from None

    def name(self, var: str | int) -> str:
        return self.names[self.index(var)]

    def __repr__(self) -> str:
        return f"PolyRing({list(self.names)!r})"

    def __str__(self) -> str:
        return f"Z[{', '.join(self.names)}]"

    def __reduce__(self):
        return (PolyRing, (self.names,))

    # -- constructors -----------------------------------------------------------------------
    @property
    def gens(self) -> tuple[Poly, ...]:
        return tuple(Poly(g, self) for g in self.zctx.gens())

    def gen(self, var: str | int) -> Poly:
        return Poly(self.zctx.gen(self.index(var)), self)

    def zero(self) -> Poly:
        return Poly(self.zctx.constant(0), self)

    def one(self) -> Poly:
        return Poly(self.zctx.constant(1), self)

    def constant(self, value: Scalar) -> Poly:
        q = to_fmpq(value)
        if q.q == 1:
            return Poly(self.zctx.constant(q.p), self)
        return Poly(self.qctx.constant(q), self)

    def from_dict(self, terms: Mapping[tuple[int, ...], Scalar]) -> Poly:
        """A polynomial from ``{exponent tuple: coefficient}``; integer coefficients give ZZ."""
        coeffs = {}
        integral = True
        for exps, c in terms.items():
            if len(exps) != self.nvars:
                raise InputError(f"exponent vector {exps} does not have {self.nvars} entries")
            q = to_fmpq(c)
            if q == 0:
                continue
            integral = integral and q.q == 1
            coeffs[tuple(int(e) for e in exps)] = q
        if integral:
            return Poly(self.zctx.from_dict({e: c.p for e, c in coeffs.items()}), self)
        return Poly(self.qctx.from_dict(coeffs), self)

    def from_sympy(self, expr: object) -> Poly:
        """Convert a SymPy expression (polynomial with rational coefficients) to a :class:`Poly`."""
        from .sympy_convert import poly_from_sympy

        return poly_from_sympy(expr, self)

    def parse(self, text: str) -> Poly:
        """Parse a polynomial written in the usual infix notation (``^`` or ``**`` for powers)."""
        from .parse import parse_polynomial

        return parse_polynomial(text, self)

    def drop(self, var: str | int) -> PolyRing:
        """The ring without one variable."""
        i = self.index(var)
        return PolyRing(self.names[:i] + self.names[i + 1 :])

    def prefix(self, k: int) -> PolyRing:
        """The ring in the first ``k`` variables."""
        return PolyRing(self.names[:k])

    def extend(self, *names: str) -> PolyRing:
        return PolyRing(self.names + tuple(names))


class Poly:
    """A polynomial over ZZ or QQ in a :class:`PolyRing`.

    Immutable and hashable; equality compares value (a ZZ polynomial equals the same QQ one).
    """

    __slots__ = ("_hash", "_level", "_qraw", "raw", "ring")

    def __init__(self, raw: flint.fmpz_mpoly | flint.fmpq_mpoly, ring: PolyRing):
        self.raw = raw
        self.ring = ring
        self._hash: int | None = None
        self._level: int | None = None
        self._qraw: flint.fmpq_mpoly | None = None

    def qq_raw(self) -> flint.fmpq_mpoly:
        """The flint ``fmpq_mpoly`` form (cached): fast exact evaluation at rational points."""
        q = self._qraw
        if q is None:
            q = (
                self.raw
                if isinstance(self.raw, flint.fmpq_mpoly)
                else flint.fmpq_mpoly(self.raw, self.ring.qctx)
            )
            self._qraw = q
        return q

    # -- domain handling --------------------------------------------------------------------
    @property
    def domain(self) -> str:
        return "ZZ" if isinstance(self.raw, flint.fmpz_mpoly) else "QQ"

    def to_QQ(self) -> Poly:
        if isinstance(self.raw, flint.fmpq_mpoly):
            return self
        return Poly(flint.fmpq_mpoly(self.raw, self.ring.qctx), self.ring)

    def clear_denominators(self) -> tuple[Fraction, Poly]:
        """Return ``(c, p)`` with ``self == c * p`` and ``p`` an integer polynomial."""
        if isinstance(self.raw, flint.fmpz_mpoly):
            return Fraction(1), self
        den = math.lcm(*(int(c.q) for c in self.raw.coeffs())) if not self.raw.is_zero() else 1
        scaled = {e: int((c * den).p) for e, c in self.raw.to_dict().items()}
        return Fraction(1, den), Poly(self.ring.zctx.from_dict(scaled), self.ring)

    def to_ZZ(self) -> Poly:
        """The same polynomial over ZZ; raises if a coefficient is not an integer."""
        if isinstance(self.raw, flint.fmpz_mpoly):
            return self
        d = self.raw.to_dict()
        if any(c.q != 1 for c in d.values()):
            raise InputError(f"{self} has non-integer coefficients")
        return Poly(self.ring.zctx.from_dict({e: c.p for e, c in d.items()}), self.ring)

    def _normalised(self) -> Poly:
        """Demote a QQ polynomial with integer coefficients to ZZ."""
        if isinstance(self.raw, flint.fmpq_mpoly) and all(c.q == 1 for c in self.raw.coeffs()):
            return self.to_ZZ()
        return self

    def _coerce(self, other: object) -> Poly | None:
        if isinstance(other, Poly):
            if other.ring is not self.ring:
                raise InputError(
                    f"polynomials over different variable lists {list(self.ring.names)} and "
                    f"{list(other.ring.names)}; embed one with .in_ring() first"
                )
            return other
        try:
            return self.ring.constant(other)  # type: ignore[arg-type]
        except InputError:
            return None

    @staticmethod
    def _pair(a: Poly, b: Poly):
        if isinstance(a.raw, flint.fmpz_mpoly) and isinstance(b.raw, flint.fmpz_mpoly):
            return a.raw, b.raw
        return a.to_QQ().raw, b.to_QQ().raw

    # -- arithmetic -------------------------------------------------------------------------
    def __add__(self, other: object) -> Poly:
        o = self._coerce(other)
        if o is None:
            return NotImplemented
        a, b = self._pair(self, o)
        return Poly(a + b, self.ring)._normalised()

    __radd__ = __add__

    def __sub__(self, other: object) -> Poly:
        o = self._coerce(other)
        if o is None:
            return NotImplemented
        a, b = self._pair(self, o)
        return Poly(a - b, self.ring)._normalised()

    def __rsub__(self, other: object) -> Poly:
        o = self._coerce(other)
        if o is None:
            return NotImplemented
        return o - self

    def __mul__(self, other: object) -> Poly:
        o = self._coerce(other)
        if o is None:
            return NotImplemented
        a, b = self._pair(self, o)
        return Poly(a * b, self.ring)._normalised()

    __rmul__ = __mul__

    def __neg__(self) -> Poly:
        return Poly(-self.raw, self.ring)

    def __pos__(self) -> Poly:
        return self

    def __pow__(self, n: int) -> Poly:
        if not isinstance(n, int) or n < 0:
            raise InputError(f"polynomial powers need a non-negative integer exponent, got {n!r}")
        return Poly(self.raw**n, self.ring)

    def __truediv__(self, other: object) -> Poly:
        """Division by a nonzero rational constant, or exact division by a polynomial."""
        o = self._coerce(other)
        if o is None:
            return NotImplemented
        if o.is_zero:
            raise ZeroDivisionError("polynomial division by zero")
        if o.is_constant():
            return (self.to_QQ() * (1 / o.constant_value()))._normalised()
        return self.exquo(o)

    def exquo(self, other: Poly) -> Poly:
        """Exact quotient; raises :class:`ArithmeticError` if ``other`` does not divide ``self``."""
        o = self._coerce(other)
        assert o is not None
        a, b = self._pair(self, o)
        q, r = divmod(a, b)
        if not r.is_zero():
            raise ArithmeticError(f"{other} does not divide {self}")
        return Poly(q, self.ring)._normalised()

    def divides(self, other: Poly) -> bool:
        """True if ``self`` divides ``other``."""
        if self.is_zero:
            return other.is_zero
        a, b = self._pair(other, self)
        return divmod(a, b)[1].is_zero()

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Poly):
            if other.ring is not self.ring:
                return False
            if type(self.raw) is type(other.raw):
                return self.raw == other.raw
            a, b = self._pair(self, other)
            return a == b
        try:
            o = self.ring.constant(other)  # type: ignore[arg-type]
        except InputError:
            return NotImplemented
        return self == o

    def __hash__(self) -> int:
        h = self._hash
        if h is None:
            p = self._normalised()
            h = hash((self.ring.names, p.domain, tuple(sorted(p.raw.to_dict().items()))))
            self._hash = h
        return h

    def __bool__(self) -> bool:
        return not self.raw.is_zero()

    # -- inspection -------------------------------------------------------------------------
    @property
    def is_zero(self) -> bool:
        return self.raw.is_zero()

    def is_constant(self) -> bool:
        return self.raw.is_constant()

    def constant_value(self) -> Fraction:
        """The value of a constant polynomial."""
        if not self.is_constant():
            raise InputError(f"{self} is not a constant")
        c = self.raw.coefficient(0) if not self.raw.is_zero() else 0
        return fmpq_to_fraction(flint.fmpq(c)) if c != 0 else Fraction(0)

    def terms(self) -> dict[tuple[int, ...], Fraction]:
        """``{exponent tuple: coefficient}`` with exact rational coefficients."""
        return {
            tuple(int(k) for k in e): fmpq_to_fraction(c) for e, c in self.raw.to_dict().items()
        }

    def degree(self, var: str | int) -> int:
        """Degree in one variable (``-1`` for the zero polynomial, as in FLINT)."""
        if self.raw.is_zero():
            return -1
        return int(self.raw.degrees()[self.ring.index(var)])

    def degrees(self) -> tuple[int, ...]:
        return tuple(int(d) for d in self.raw.degrees())

    def total_degree(self) -> int:
        return -1 if self.raw.is_zero() else int(self.raw.total_degree())

    def variables(self) -> tuple[str, ...]:
        """Names of the variables that occur, in ring order."""
        if self.raw.is_zero():
            return ()
        return tuple(n for n, d in zip(self.ring.names, self.raw.degrees(), strict=True) if d > 0)

    def main_variable(self) -> str | None:
        """The highest variable (in ring order) that occurs, or ``None`` for a constant."""
        occurring = self.variables()
        return occurring[-1] if occurring else None

    def level(self) -> int:
        """1 + index of the main variable (0 for constants): the CAD level of the polynomial."""
        lv = self._level
        if lv is None:
            mv = self.main_variable()
            lv = 0 if mv is None else self.ring.index(mv) + 1
            self._level = lv
        return lv

    def coeffs_in(self, var: str | int) -> list[Poly]:
        """Coefficients with respect to one variable, by increasing degree."""
        i = self.ring.index(var)
        d = self.degree(i)
        if d < 0:
            return []
        buckets: list[dict[tuple[int, ...], object]] = [{} for _ in range(d + 1)]
        for e, c in self.raw.to_dict().items():
            k = e[i]
            buckets[k][(*e[:i], 0, *e[i + 1 :])] = c
        ctx = self.raw.context()
        return [Poly(ctx.from_dict(b), self.ring) for b in buckets]

    def leading_coeff(self, var: str | int) -> Poly:
        """Leading coefficient with respect to ``var``."""
        cs = self.coeffs_in(var)
        return cs[-1] if cs else self.ring.zero()

    def trailing_coeff(self, var: str | int) -> Poly:
        """Lowest-degree nonzero coefficient with respect to ``var``."""
        for c in self.coeffs_in(var):
            if not c.is_zero:
                return c
        return self.ring.zero()

    # -- calculus and evaluation ------------------------------------------------------------
    def diff(self, var: str | int) -> Poly:
        return Poly(self.raw.derivative(self.ring.index(var)), self.ring)._normalised()

    def subs(self, values: Mapping[str | int, Scalar]) -> Poly:
        """Substitute exact rationals for some variables (the result stays in the same ring)."""
        if not values:
            return self
        qs = {self.ring.index(k): to_fmpq(v) for k, v in values.items()}
        if all(q.q == 1 for q in qs.values()) and isinstance(self.raw, flint.fmpz_mpoly):
            return Poly(self.raw.subs({k: q.p for k, q in qs.items()}), self.ring)
        return Poly(self.to_QQ().raw.subs(qs), self.ring)._normalised()

    def __call__(self, *point: Scalar) -> Fraction:
        """Evaluate at a rational point given in ring order."""
        if len(point) != self.ring.nvars:
            raise InputError(f"expected {self.ring.nvars} coordinates, got {len(point)}")
        val = self.subs(dict(enumerate(point)))
        return val.constant_value()

    def substitute_fraction(self, var: str, num: Poly, den: Poly, power: int) -> Poly:
        """``den^power * self(var := num/den)``: a polynomial when ``power`` is at least the
        degree in ``var``, equal to the substitution times den^power wherever den != 0."""
        out = self.ring.zero()
        for i, c in enumerate(self.coeffs_in(var)):
            if not c.is_zero:
                out = out + c * num**i * den ** (power - i)
        return out

    def compose(self, images: Sequence[Poly], ring: PolyRing | None = None) -> Poly:
        """Substitute polynomials (all in ``ring``) for the variables of ``self``, in order."""
        if len(images) != self.ring.nvars:
            raise InputError(f"compose needs {self.ring.nvars} images, got {len(images)}")
        target = ring if ring is not None else (images[0].ring if images else self.ring)
        if any(q.ring is not target for q in images):
            raise InputError("all images in compose must lie in one ring")
        if self.ring.nvars == 0:
            return target.constant(self.constant_value())
        if isinstance(self.raw, flint.fmpz_mpoly) and all(q.domain == "ZZ" for q in images):
            return Poly(self.raw.compose(*(q.raw for q in images), ctx=target.zctx), target)
        raws = [q.to_QQ().raw for q in images]
        return Poly(self.to_QQ().raw.compose(*raws, ctx=target.qctx), target)._normalised()

    def in_ring(self, ring: PolyRing) -> Poly:
        """The same polynomial in another ring containing all variables that occur in it."""
        if ring is self.ring:
            return self
        missing = [v for v in self.variables() if v not in ring._index]
        if missing:
            raise InputError(f"variables {missing} of {self} are not in {ring}")
        ctx = ring.zctx if self.domain == "ZZ" else ring.qctx
        mapping = {n: n for n in self.ring.names if n in ring._index}
        # project_to_context maps unnamed generators to 0; only non-occurring ones are unnamed.
        return Poly(self.raw.project_to_context(ctx, mapping=mapping), ring)

    # -- contents, gcds, factorisation ------------------------------------------------------
    def content(self) -> Fraction:
        """The rational content: the positive rational c with self/c integral and primitive."""
        if self.is_zero:
            return Fraction(0)
        c, p = self.clear_denominators()
        return c * int(p.raw.content())

    def primitive(self) -> tuple[Fraction, Poly]:
        """``(c, p)``: ``self == c * p``, ``p`` integral, primitive, positive leading term."""
        if self.is_zero:
            return Fraction(0), self.ring.zero()
        c, p = self.clear_denominators()
        g, q = p.raw.primitive()
        c *= int(g)
        if q.leading_coefficient() < 0:
            c, q = -c, -q
        return c, Poly(q, self.ring)

    def primitive_part(self) -> Poly:
        return self.primitive()[1]

    def content_in(self, var: str | int) -> Poly:
        """gcd of the coefficients with respect to ``var`` (a primitive integer polynomial)."""
        g = self.ring.zero()
        for c in self.coeffs_in(var):
            g = g.gcd(c)
            if g.is_constant() and not g.is_zero:
                return self.ring.one()
        return g

    def primitive_part_in(self, var: str | int) -> Poly:
        """``self`` divided by its content with respect to ``var``, made primitive over Z."""
        c = self.content_in(var)
        p = self.primitive_part()
        if c.is_zero or c.is_constant():
            return p
        return p.exquo(c.primitive_part()).primitive_part()

    def gcd(self, other: Poly) -> Poly:
        """Greatest common divisor, as a primitive integer polynomial with positive leading term."""
        o = self._coerce(other)
        assert o is not None
        if self.is_zero:
            return o.primitive_part() if not o.is_zero else self.ring.zero()
        if o.is_zero:
            return self.primitive_part()
        a = self.primitive_part().raw
        b = o.primitive_part().raw
        return Poly(a.gcd(b), self.ring).primitive_part()

    def sqf_list(self) -> tuple[Fraction, list[tuple[Poly, int]]]:
        """Square-free decomposition ``c * prod p_i^i`` with primitive, pairwise coprime p_i."""
        c, p = self.primitive()
        if p.is_constant():
            return c, []
        unit, facs = _flint_factor(p.raw, squarefree=True)
        c *= int(unit)
        out = []
        for f, m in facs:
            fc, fp = Poly(f, self.ring).primitive()
            c *= fc ** int(m)
            out.append((fp, int(m)))
        return c, out

    def sqf_part(self) -> Poly:
        """Product of the distinct square-free factors (primitive integer polynomial)."""
        _, facs = self.sqf_list()
        r = self.ring.one()
        for f, _ in facs:
            r = r * f
        return r.primitive_part()

    def factor_list(self) -> tuple[Fraction, list[tuple[Poly, int]]]:
        """Irreducible factorisation over Q: ``c * prod p_i^{e_i}``, p_i primitive over Z."""
        c, p = self.primitive()
        if p.is_constant():
            return c, []
        unit, facs = _flint_factor(p.raw, squarefree=False)
        c *= int(unit)
        out = []
        for f, m in facs:
            fc, fp = Poly(f, self.ring).primitive()
            c *= fc ** int(m)
            out.append((fp, int(m)))
        out.sort(key=lambda fm: (fm[0].total_degree(), str(fm[0])))
        return c, out

    def irreducible_factors(self) -> list[Poly]:
        """The distinct non-constant irreducible factors (primitive, positive leading term)."""
        return [f for f, _ in self.factor_list()[1]]

    # -- elimination ------------------------------------------------------------------------
    def resultant(self, other: Poly, var: str | int) -> Poly:
        """Resultant with respect to ``var`` (Sylvester's, as FLINT computes it)."""
        o = self._coerce(other)
        assert o is not None
        i = self.ring.index(var)
        a, b = self._pair(self, o)
        return Poly(a.resultant(b, i), self.ring)._normalised()

    def discriminant(self, var: str | int) -> Poly:
        """Discriminant with respect to ``var``."""
        i = self.ring.index(var)
        if self.degree(i) < 1:
            raise InputError(f"{self} has degree < 1 in {self.ring.name(i)}; no discriminant")
        return Poly(self.raw.discriminant(i), self.ring)._normalised()

    def psc(self, other: Poly, var: str | int) -> list[Poly]:
        """Principal subresultant coefficients ``[psc_0, ..., psc_{k}]``, ``k = min(deg) ``.

        See :func:`semialg.poly.subresultants.principal_subresultant_coefficients`.
        """
        from .subresultants import principal_subresultant_coefficients

        return principal_subresultant_coefficients(self, other, var)

    # -- conversion -------------------------------------------------------------------------
    def to_univariate(self) -> flint.fmpz_poly | flint.fmpq_poly:
        """The polynomial as a flint univariate polynomial (it must have at most one variable)."""
        occ = self.variables()
        if len(occ) > 1:
            raise InputError(f"{self} is not univariate (variables {list(occ)})")
        if not occ:
            v = self.constant_value()
            if v.denominator == 1:
                return flint.fmpz_poly([v.numerator])
            return flint.fmpq_poly([flint.fmpq(v.numerator, v.denominator)])
        i = self.ring.index(occ[0])
        coeffs = [0] * (self.degree(i) + 1)
        for e, c in self.raw.to_dict().items():
            coeffs[e[i]] = c
        if self.domain == "ZZ":
            return flint.fmpz_poly(coeffs)
        return flint.fmpq_poly(coeffs)

    @classmethod
    def from_univariate(
        cls, f: flint.fmpz_poly | flint.fmpq_poly, ring: PolyRing, var: str | int
    ) -> Poly:
        i = ring.index(var)
        terms = {}
        for k, c in enumerate(f.coeffs()):
            if c != 0:
                e = [0] * ring.nvars
                e[i] = k
                terms[tuple(e)] = c
        return ring.from_dict(terms)

    def as_sympy(self, symbols: Mapping[str, object] | None = None):
        """The polynomial as a SymPy expression (variables become real ``Symbol``s by default)."""
        from .sympy_convert import poly_to_sympy

        return poly_to_sympy(self, symbols)

    def __str__(self) -> str:
        return str(self.raw) if self.ring.nvars else str(self.constant_value())

    def __repr__(self) -> str:
        return f"Poly({self}, {list(self.ring.names)})"


def _flint_factor(raw: flint.fmpz_mpoly, *, squarefree: bool):
    """FLINT's (square-free) factorisation of an integer polynomial.

    python-flint 0.9 sorts ``fmpz_mpoly`` factors with a key that overflows on coefficients of
    2^31 or more; its ``fmpq_mpoly`` factorisation does not, so that is the fall-back (the
    factors are made integral and primitive by the caller).
    """
    try:
        return raw.factor_squarefree() if squarefree else raw.factor()
    except OverflowError:
        q = flint.fmpq_mpoly(raw, flint.fmpq_mpoly_ctx.get(raw.context().names(), "lex"))
        unit, facs = q.factor_squarefree() if squarefree else q.factor()
        return unit, facs


def common_ring(polys: Iterable[Poly]) -> PolyRing:
    """The common ring of some polynomials (they must agree)."""
    rings = {p.ring for p in polys}
    if len(rings) != 1:
        raise InputError(f"polynomials live in different rings: {sorted(map(str, rings))}")
    return rings.pop()
