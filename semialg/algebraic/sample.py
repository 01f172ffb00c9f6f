"""Sample points with real algebraic coordinates, as needed by CAD lifting.

A :class:`SamplePoint` ``(alpha_1, ..., alpha_k)`` stores one real number field
``K = Q(theta)`` (a primitive element of ``Q(alpha_1, ..., alpha_k)``, built incrementally with
:func:`~semialg.algebraic.numberfield.adjoin_root`; ``K = Q`` when every coordinate is rational)
and each coordinate as an element of ``K``.  Rational coordinates stay rational constants, so they
never enlarge the field.  Every coordinate also keeps its own exact univariate representation
(minimal polynomial and isolating interval) for display, comparison and tight balls.

Signs and evaluations use ball arithmetic as a filter and decide exactly in ``K`` otherwise.
:meth:`SamplePoint.lazard_evaluate` implements Lazard's evaluation (D. Lazard, "An improved
projection for cylindrical algebraic decomposition", 1994; S. McCallum, A. Parusiński,
L. Paunescu, "Validity proof of Lazard's method for CAD", J. Symbolic Comput. 92, 2019).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from fractions import Fraction

import flint

from ..deadline import check_current
from ..errors import InputError
from ..poly.ring import Poly
from .numberfield import (
    IsolatedRoot,
    KPoly,
    NumberField,
    _ball_sign,
    _frac,
    _q,
    _sgn,
    _to_mpoly,
    adjoin_root,
    rational_poly_real_roots,
)
from .roots import rational_between

__all__ = ["Root", "SamplePoint", "root_values"]

_BALL_PREC = 64


class Root:
    """A real root in the next coordinate over a :class:`SamplePoint`.

    ``indices`` lists the input polynomials (positions in the sequence given to
    :meth:`SamplePoint.real_roots`) whose Lazard-evaluated polynomial vanishes here.
    """

    __slots__ = ("_source", "_value", "indices", "root")

    def __init__(self, root: IsolatedRoot, source: KPoly | None, indices: list[int]):
        self.root = root
        self._source = source
        self.indices = indices
        self._value: Fraction | object | None = None

    @property
    def is_rational(self) -> bool:
        return self.root.is_rational

    @property
    def minpoly(self) -> flint.fmpz_poly:
        """Minimal polynomial over Q (primitive, positive leading coefficient)."""
        return self.root.poly

    @property
    def interval(self) -> tuple[Fraction, Fraction]:
        """Rational isolating interval (``lo == hi`` for a rational root, else open)."""
        return _frac(self.root.lo), _frac(self.root.hi)

    def enclosure(self, prec: int = 64) -> flint.arb:
        return self.root.ball(prec)

    @property
    def value(self) -> Fraction | object:
        """Exact value: a ``Fraction`` or a ``RealAlgebraic``."""
        if self._value is None:
            self._value = self.root.value if self.is_rational else self.root.to_real_algebraic()
        return self._value

    def to_real_algebraic(self):
        return self.root.to_real_algebraic()

    def __float__(self) -> float:
        return float(self.root)

    def __repr__(self) -> str:
        if self.is_rational:
            return f"Root({self.root.value}, indices={self.indices})"
        return f"Root({self.root.poly} ~ {float(self):.12g}, indices={self.indices})"


def root_values(roots: Sequence[Root]) -> list[Fraction | object]:
    """Exact values (``Fraction`` or ``RealAlgebraic``) of some roots."""
    return [r.value for r in roots]


class SamplePoint:
    """A point of R^k with rational or real algebraic coordinates, over one number field.

    Extending a point by an irrational root is *lazy*: the primitive element of the larger field
    is only computed when exact arithmetic needs it (lifting over the point, or a sign that balls
    cannot decide). Most section cells of a CAD are never lifted over, so this saves most
    primitive-element computations.
    """

    __slots__ = (
        "_coords",
        "_elems",
        "_evals",
        "_exact",
        "_field",
        "_pending",
        "_powers",
        "_qvals",
    )

    def __init__(
        self,
        field: NumberField | None,
        elems: tuple[flint.fmpq_poly, ...] | None,
        exact: tuple[IsolatedRoot, ...],
        pending: tuple[SamplePoint, IsolatedRoot, KPoly | None] | None = None,
    ):
        self._field = field
        self._elems = elems
        self._exact = exact
        self._pending = pending
        self._coords: tuple | None = None
        self._qvals: tuple[flint.fmpq, ...] | bool | None = None
        self._evals: dict[Poly, KPoly] = {}
        self._powers: dict[int, list[flint.fmpq_poly]] = {}

    def rational_values(self) -> tuple[flint.fmpq, ...] | None:
        """The coordinates as ``fmpq`` when all are rational (cached), else ``None``."""
        q = self._qvals
        if q is None:
            if self._pending is None and all(r.is_rational for r in self._exact):
                q = tuple(_q(r.lo) for r in self._exact)
            else:
                q = False
            self._qvals = q
        return q if q is not False else None  # type: ignore[return-value]

    def _force(self) -> None:
        """Compute the pending primitive element (see :meth:`extend_root`)."""
        parent, iso, source = self._pending  # type: ignore[misc]
        K = parent.field
        if source is None or source.field is not K or source.degree >= iso.poly.degree():
            source = KPoly.from_rational_poly(K, iso.poly)
        L, a, b = adjoin_root(K, source, iso)
        if L is K:
            elems = parent.elements
        else:
            elems = tuple(e if e.degree() <= 0 else L.compose(e, a) for e in parent.elements)
        self._field, self._elems, self._pending = L, (*elems, b), None

    @property
    def field(self) -> NumberField:
        """The number field K = Q(theta) containing every coordinate."""
        if self._pending is not None:
            self._force()
        return self._field  # type: ignore[return-value]

    # -- construction -----------------------------------------------------------------------
    @classmethod
    def origin(cls) -> SamplePoint:
        """The point of R^0."""
        return cls(NumberField.rationals(), (), ())

    @classmethod
    def from_coordinates(cls, values: Sequence[object]) -> SamplePoint:
        """A point from ints, Fractions and ``RealAlgebraic`` numbers (primitive element built
        incrementally)."""
        point = cls.origin()
        for v in values:
            point = point.extend_root(v)
        return point

    def extend_rational(self, q: object) -> SamplePoint:
        """The point with one more, rational, coordinate (the field does not change)."""
        if isinstance(q, float | bool):
            raise InputError(f"coordinates must be exact rationals, got {q!r}")
        value = _q(q)
        return SamplePoint(
            self.field,
            (*self.elements, flint.fmpq_poly([value])),
            (*self._exact, IsolatedRoot.rational(value)),
        )

    def extend_root(self, root: object) -> SamplePoint:
        """The point with one more coordinate: a :class:`Root`, a ``RealAlgebraic`` or a rational.

        An irrational coordinate ``beta`` is adjoined with a primitive element of ``K(beta)``;
        the field is kept when ``beta`` already lies in ``K``.
        """
        if isinstance(root, Root):
            iso, source = root.root, root._source
        else:
            iso, source = IsolatedRoot.from_real_algebraic(root), None
        if iso.is_rational:
            return self.extend_rational(iso.lo)
        return SamplePoint(None, None, (*self._exact, iso), pending=(self, iso, source))

    # -- inspection -------------------------------------------------------------------------
    @property
    def dim(self) -> int:
        return len(self._exact)

    @property
    def is_rational(self) -> bool:
        if self._pending is not None:  # a pending coordinate is irrational
            return False
        return self.field.degree == 1

    @property
    def elements(self) -> tuple[flint.fmpq_poly, ...]:
        """Coordinates as elements of :attr:`field`."""
        if self._pending is not None:
            self._force()
        return self._elems  # type: ignore[return-value]

    def coordinates(self) -> tuple[Fraction | object, ...]:
        """Exact coordinates: ``Fraction`` or ``RealAlgebraic`` (cached)."""
        if self._coords is None:
            self._coords = tuple(
                r.value if r.is_rational else r.to_real_algebraic() for r in self._exact
            )
        return self._coords

    def approx(self, digits: int = 15) -> tuple[float, ...]:
        """Floats of the coordinates (balls computed to about ``digits`` digits, then rounded)."""
        prec = max(53, int(digits * 3.33) + 10)
        return tuple(float(r.ball(prec).mid()) for r in self._exact)

    def enclosures(self, prec: int = 64) -> tuple[flint.arb, ...]:
        """Arb balls (relative radius about ``2**-prec``) around the coordinates."""
        return tuple(r.ball(prec) for r in self._exact)

    def __repr__(self) -> str:
        parts = []
        for r in self._exact:
            parts.append(str(r.value) if r.is_rational else f"{float(r):.10g}")
        deg = "pending" if self._pending is not None else self.field.degree
        return f"SamplePoint(({', '.join(parts)}), field degree {deg})"

    # -- checking input ---------------------------------------------------------------------
    def _check(self, p: Poly, extra: int) -> None:
        if not isinstance(p, Poly):
            raise InputError(f"expected a Poly, got {p!r} ({type(p).__name__})")
        if p.ring.nvars < self.dim:
            raise InputError(
                f"{p} lives in {p.ring}, which has fewer than the point's {self.dim} variables"
            )
        allowed = self.dim + extra
        if not p.is_zero:
            pairs = list(zip(p.ring.names, p.degrees(), strict=True))[allowed:]
            late = [n for n, d in pairs if d > 0]
            if late:
                raise InputError(
                    f"{p} involves {late}, beyond the first {allowed} variables "
                    f"{list(p.ring.names[:allowed])}"
                )

    # -- signs ------------------------------------------------------------------------------
    def _ball_value(self, p: Poly, prec: int) -> flint.arb:
        balls = [r.ball(prec) for r in self._exact]
        with flint.ctx.workprec(prec):
            total = flint.arb(0)
            for exps, c in p.raw.to_dict().items():
                term = flint.arb(c)
                for i, e in enumerate(exps[: self.dim]):
                    if e:
                        term *= balls[i] ** e
                total += term
        return total

    def _element(self, p: Poly) -> flint.fmpq_poly:
        """``p(alpha)`` exactly, as an element of the field (p in the first dim variables)."""
        elems = self.elements
        if self.is_rational or all(e.degree() <= 0 for e in elems):
            vals = {i: NumberField.as_fraction(e) for i, e in enumerate(elems)}
            return flint.fmpq_poly([_q(p.subs(vals).constant_value())])
        value = self.evaluate(p)  # constant in the next variable, which p does not involve
        return value.coeffs[0] if value.coeffs else flint.fmpq_poly([])

    def sign_at(self, p: Poly) -> int:
        """Exact sign of ``p(alpha)``; ``p`` may involve only the first ``dim`` variables."""
        if not isinstance(p, Poly) or p.level() > self.dim or p.ring.nvars < self.dim:
            self._check(p, 0)
        if p.is_constant():
            return _sgn(_q(p.constant_value()))
        qvals = self.rational_values()
        if qvals is not None:  # fast path: exact evaluation by FLINT at a rational point
            n = p.ring.nvars
            pad = (flint.fmpq(0),) * (n - len(qvals))
            return _sgn(p.qq_raw()(*qvals[:n], *pad))
        if self.is_rational:
            return self.field.sign(self._element(p))
        for prec in (_BALL_PREC, 4 * _BALL_PREC):
            s = _ball_sign(self._ball_value(p, prec))
            if s is not None:
                return s
        return self.field.sign(self._element(p))

    # -- evaluation -------------------------------------------------------------------------
    def evaluate(self, p: Poly) -> KPoly:
        """Substitute the point into the first ``dim`` variables of ``p``.

        ``p`` may also involve variable ``dim`` (0-based; the next coordinate).  The result is a
        univariate :class:`KPoly` over :attr:`field` in that variable (constant if it does not
        occur).
        """
        cached = self._evals.get(p)
        if cached is not None:
            return cached
        self._check(p, 1)
        qvals = self.rational_values()
        if qvals is not None:
            out = self._rational_evaluate(p, qvals)
        else:
            out = self._algebraic_evaluate(p)
        self._evals[p] = out
        return out

    def _algebraic_evaluate(self, p: Poly) -> KPoly:
        """``p(alpha, y)`` over K when some coordinates are irrational.

        The rational coordinates are substituted by FLINT. Then every term is a rational times a
        monomial in the irrational coordinates times a power of y; each such monomial is computed
        once, as a product of cached powers of the coordinates' elements of K (reduced modulo the
        minimal polynomial). This replaced a substitution into a multivariate polynomial followed
        by a multivariate division, which was 3-10 times slower on Kahan's problem.
        """
        field = self.field
        elems = self.elements
        n, dim = p.ring.nvars, self.dim
        q = p.qq_raw()
        rational = {
            i: (e.coeffs()[0] if not e.is_zero() else flint.fmpq(0))
            for i, e in enumerate(elems[:n])
            if e.degree() <= 0
        }
        if rational:
            q = q.subs(rational)
        irrational = [i for i, e in enumerate(elems[:n]) if e.degree() > 0]
        groups: dict[tuple[int, ...], list[tuple[int, flint.fmpq]]] = {}
        for exps, c in q.to_dict().items():
            key = tuple(int(exps[i]) for i in irrational)
            groups.setdefault(key, []).append((int(exps[dim]) if dim < n else 0, c))
        coeffs: dict[int, flint.fmpq_poly] = {}
        for key, terms in groups.items():
            monomial = self._monomial(irrational, key)
            for j, c in terms:
                coeffs[j] = coeffs[j] + c * monomial if j in coeffs else c * monomial
        if not coeffs:
            return KPoly._raw(field, [])
        zero = flint.fmpq_poly([])
        return KPoly._raw(field, [coeffs.get(j, zero) for j in range(max(coeffs) + 1)])

    def _monomial(self, indices: Sequence[int], exponents: Sequence[int]) -> flint.fmpq_poly:
        """The product of ``alpha_i ** e_i`` in K, from cached powers of the elements."""
        field = self.field
        out: flint.fmpq_poly | None = None
        for i, e in zip(indices, exponents, strict=True):
            if not e:
                continue
            powers = self._powers.setdefault(i, [flint.fmpq_poly([1])])
            while len(powers) <= e:
                powers.append(field.mul(powers[-1], self.elements[i]))
            out = powers[e] if out is None else field.mul(out, powers[e])
        return out if out is not None else flint.fmpq_poly([1])

    def _rational_evaluate(self, p: Poly, qvals: tuple[flint.fmpq, ...]) -> KPoly:
        """``p(alpha, y)`` for a rational point, by FLINT substitution."""
        k = len(qvals)
        q = p.qq_raw()
        if k:
            q = q.subs({i: v for i, v in enumerate(qvals) if i < p.ring.nvars})
        coeffs: dict[int, flint.fmpq] = {}
        for e, c in q.to_dict().items():
            coeffs[int(e[k]) if k < len(e) else 0] = c
        if not coeffs:
            return KPoly._raw(self.field, [])
        deg = max(coeffs)
        return KPoly.from_rational_poly(
            self.field, flint.fmpq_poly([coeffs.get(j, 0) for j in range(deg + 1)])
        )

    def lazard_evaluate(self, p: Poly) -> KPoly:
        """Lazard's evaluation of a nonzero ``p`` in the first ``dim + 1`` variables.

        For ``i = 1..dim`` in order: while ``p`` vanishes identically at ``x_i = alpha_i``,
        replace it by its next Taylor coefficient ``(d/dx_i)^v p / v!`` at ``alpha_i``; then
        substitute ``x_i = alpha_i``.  Returns a nonzero :class:`KPoly` in ``x_{dim+1}``
        (MPP 2019, Definition 2.6).
        """
        self._check(p, 1)
        if p.is_zero:
            raise InputError("Lazard evaluation of the zero polynomial")
        plain = self.evaluate(p)  # Lazard evaluation is plain evaluation unless that vanishes
        if not plain.is_zero:
            return plain
        work = _Work(self, p)
        for i in range(self.dim):
            work.substitute(i, lazard=True)
        return work.result()

    # -- roots ------------------------------------------------------------------------------
    def real_roots(self, polys: Sequence[Poly]) -> list[Root]:
        """Sorted distinct real roots in ``x_{dim+1}`` of the Lazard-evaluated ``polys``.

        Polynomials that evaluate to nonzero constants contribute nothing.  Each :class:`Root`
        records which inputs vanish there.
        """
        found: list[Root] = []
        for idx, p in enumerate(polys):
            check_current()
            q = self.lazard_evaluate(p)
            if q.degree <= 0:
                continue
            if q.is_rational():
                roots, source = rational_poly_real_roots(q.to_rational_poly()), None
            else:
                source, count = q.squarefree_and_count(False)
                roots = source.real_roots(squarefree=True) if count else []
            for r in roots:
                for old in found:
                    if old.root.same_as(r):
                        old.indices.append(idx)
                        if source is not None and (
                            old._source is None or old._source.degree > source.degree
                        ):
                            old._source = source
                        break
                else:
                    found.append(Root(r, source, [idx]))
        found.sort(key=functools.cmp_to_key(lambda a, b: a.root.separate(b.root)))
        return found

    def sample_between(self, below: Root | None, above: Root | None) -> Fraction:
        """A simple rational strictly between two consecutive roots (or beyond the extreme one)."""
        if below is None and above is None:
            return Fraction(0)
        if above is None:
            return Fraction(_floor(below.root) + 1)
        if below is None:
            r = above.root
            return Fraction(math.ceil(_frac(r.lo)) - 1 if r.is_rational else _floor(r))
        if below.root.separate(above.root) >= 0:
            raise InputError("sample_between: the first root must be below the second")
        a, b = below.root, above.root
        while 4 * max(a.hi - a.lo, b.hi - b.lo) > b.lo - a.hi:  # use most of the gap
            a.bisect()
            b.bisect()
        return Fraction(rational_between(_frac(a.hi), _frac(b.lo)))


def _floor(r: IsolatedRoot) -> int:
    """``floor`` of a real algebraic number (an irrational one is never an integer)."""
    if r.is_rational:
        return math.floor(_frac(r.lo))
    while math.floor(_frac(r.lo)) != math.floor(_frac(r.hi)):
        r.bisect()
    return math.floor(_frac(r.lo))


class _Work:
    """A polynomial with coefficients in K during substitution of the point's coordinates.

    Stored as an ``fmpq_mpoly`` in variables ``(v_0, ..., v_dim, t)`` reduced modulo ``m(t)``.
    """

    __slots__ = ("modulus", "point", "poly", "wctx")

    def __init__(self, point: SamplePoint, p: Poly):
        dim = point.dim
        names = (*(f"v{i}" for i in range(dim + 1)), "t")
        self.wctx = flint.fmpq_mpoly_ctx.get(names, "lex")
        gens = self.wctx.gens()
        zero = self.wctx.from_dict({})
        n = p.ring.nvars
        images = [gens[i] if i <= dim else zero for i in range(n)]
        self.point = point
        if n:
            self.poly = p.to_QQ().raw.compose(*images, ctx=self.wctx)
        else:
            self.poly = self.wctx.from_dict({(0,) * (dim + 2): _q(p.constant_value())})
        self.modulus = _to_mpoly(point.field.modulus, self.wctx, dim + 1)

    def _subst(self, poly: flint.fmpq_mpoly, i: int) -> flint.fmpq_mpoly:
        e = self.point.elements[i]
        if e.degree() <= 0:
            return poly.subs({i: e.coeffs()[0] if not e.is_zero() else flint.fmpq(0)})
        gens = list(self.wctx.gens())
        gens[i] = _to_mpoly(e, self.wctx, len(gens) - 1)
        out = poly.compose(*gens, ctx=self.wctx)
        if out.is_zero() or out.degrees()[-1] < self.point.field.degree:
            return out
        return divmod(out, self.modulus)[1]

    def substitute(self, i: int, lazard: bool = False) -> None:
        """Substitute ``x_i = alpha_i`` (with Lazard's Taylor-coefficient rule if ``lazard``)."""
        poly = self.poly
        out = self._subst(poly, i)
        v = 0
        while lazard and out.is_zero() and not poly.is_zero():
            v += 1
            poly = poly.derivative(i) / v
            out = self._subst(poly, i)
        self.poly = out

    def result(self) -> KPoly:
        field = self.point.field
        dim = self.point.dim
        by_y: dict[int, dict[int, flint.fmpq]] = {}
        for e, c in self.poly.to_dict().items():
            by_y.setdefault(e[dim], {})[e[dim + 1]] = c
        if not by_y:
            return KPoly._raw(field, [])
        coeffs = []
        for j in range(max(by_y) + 1):
            d = by_y.get(j)
            if not d:
                coeffs.append(flint.fmpq_poly([]))
            else:
                coeffs.append(flint.fmpq_poly([d.get(k, 0) for k in range(max(d) + 1)]))
        return KPoly._raw(field, coeffs)
