"""First-order formulas of real arithmetic: the data types.

A formula is built from *atoms* ``p ~ 0`` (``p`` a :class:`~semialg.poly.Poly`, ``~`` one of
``< <= = != >= >``), the constants :data:`TRUE` and :data:`FALSE`, the connectives :class:`Not`,
:class:`And`, :class:`Or`, :class:`Implies`, :class:`Equivalent`, and the quantifiers
:class:`Exists` and :class:`ForAll` over blocks of variables.

Conventions (all documented in ``docs/logic.md``):

* Formulas are immutable and hashable. Equality is *structural* (same connectives, same argument
  order, same atoms) and independent of the order of the variables of the underlying ring.
* All polynomials of one formula live in one :class:`~semialg.poly.PolyRing`, ``formula.ring``.
  Combining formulas over different rings embeds them into the merged ring (names in order of
  first appearance, left to right). The constants live in the empty ring.
* Constructors normalise only cheaply: an atom over a constant polynomial *is* :data:`TRUE` or
  :data:`FALSE`; an atom's polynomial is divided by its positive rational content (so it is a
  primitive integer polynomial; the sign, hence the relation, is unchanged); ``And()`` is
  :data:`TRUE`, ``Or()`` is :data:`FALSE`, ``And(a)`` and ``Or(a)`` are ``a``; a quantifier over
  no variables is its body. Nothing else is rewritten: use :meth:`Formula.simplify`.
* Constructors accept SymPy relations and Boolean expressions wherever a formula is expected
  (see :func:`semialg.logic.from_sympy`); Python ``bool`` values are rejected, since they usually
  come from SymPy's structural ``==``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from fractions import Fraction
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from ..errors import InputError, InputTypeError
from ..poly import Poly, PolyRing, parse_polynomial

if TYPE_CHECKING:
    from .normal_forms import PrenexForm

Relation = Literal["<", "<=", "=", "!=", ">=", ">"]
Quantifier = Literal["exists", "forall"]

#: The six relations, in a fixed order.
RELATIONS: tuple[Relation, ...] = ("<", "<=", "=", "!=", ">=", ">")

_RELATION_ALIASES: dict[str, Relation] = {
    "==": "=",
    "/=": "!=",
    "<>": "!=",
    "≠": "!=",
    "≤": "<=",
    "≥": ">=",
}

#: The signs of ``p`` for which ``p ~ 0`` holds.
SIGNS: dict[Relation, frozenset[int]] = {
    "<": frozenset({-1}),
    "<=": frozenset({-1, 0}),
    "=": frozenset({0}),
    "!=": frozenset({-1, 1}),
    ">=": frozenset({0, 1}),
    ">": frozenset({1}),
}
_FROM_SIGNS: dict[frozenset[int], Relation] = {s: r for r, s in SIGNS.items()}

#: ``not (p ~ 0)`` is ``p NEGATED[~] 0`` (exact over the reals).
NEGATED: dict[Relation, Relation] = {
    "<": ">=",
    "<=": ">",
    "=": "!=",
    "!=": "=",
    ">=": "<",
    ">": "<=",
}
#: ``p ~ 0`` is ``-p MIRRORED[~] 0``.
MIRRORED: dict[Relation, Relation] = {
    "<": ">",
    "<=": ">=",
    "=": "=",
    "!=": "!=",
    ">=": "<=",
    ">": "<",
}

EMPTY_RING = PolyRing(())


def relation(rel: str) -> Relation:
    """Validate a relation symbol; accepts the aliases ``== /= <> ≠ ≤ ≥``."""
    if rel in SIGNS:
        return rel  # type: ignore[return-value]
    if isinstance(rel, str) and rel in _RELATION_ALIASES:
        return _RELATION_ALIASES[rel]
    raise InputError(f"unknown relation {rel!r}; expected one of {' '.join(RELATIONS)}")


def relation_holds(rel: Relation, sign: int) -> bool:
    """Whether ``p rel 0`` holds when ``p`` has the given sign (-1, 0 or 1)."""
    return sign in SIGNS[rel]


def relation_from_signs(signs: Iterable[int]) -> Relation | bool:
    """The relation true exactly for these signs; ``True``/``False`` for all or no signs."""
    s = frozenset(signs)
    if not s:
        return False
    if s == {-1, 0, 1}:
        return True
    return _FROM_SIGNS[s]


def merge_rings(*rings: PolyRing) -> PolyRing:
    """The ring whose variables are those of ``rings`` in order of first appearance."""
    nonempty = [r for r in rings if r.nvars]
    if not nonempty:
        return EMPTY_RING
    first = nonempty[0]
    if all(r is first for r in nonempty):
        return first
    names: dict[str, None] = {}
    for r in nonempty:
        names.update(dict.fromkeys(r.names))
    return PolyRing(tuple(names))


def variable_names(variables: object) -> tuple[str, ...]:
    """Names from a name, a SymPy symbol or a sequence of them (strings may list several)."""
    from ..poly import symbol_names

    if isinstance(variables, str):
        names = symbol_names(variables)
    elif hasattr(variables, "name") and not isinstance(variables, Iterable):
        names = symbol_names([variables])
    elif isinstance(variables, Iterable):
        names = symbol_names(list(variables))
    else:
        raise InputTypeError(f"expected variables (names or SymPy symbols), got {variables!r}")
    for n in names:
        if not n.isidentifier():
            raise InputError(f"invalid variable name {n!r}")
    return names


def as_formula(obj: object) -> Formula:
    """``obj`` as a :class:`Formula`: formulas pass through, SymPy Booleans are converted."""
    if isinstance(obj, Formula):
        return obj
    if isinstance(obj, bool):
        raise InputTypeError(
            f"expected a formula, got the Python bool {obj}; SymPy's '==' compares expressions "
            "structurally, write equations as sympy.Eq(lhs, rhs)"
        )
    from .sympy_io import from_sympy

    return from_sympy(obj)


class Formula:
    """Base class of all formulas. Subclasses are immutable; see the module docstring."""

    __slots__ = ("_free", "_hash", "ring")
    ring: PolyRing

    precedence: ClassVar[int] = 10  # for printing: higher binds tighter

    def _init(self, ring: PolyRing) -> None:
        object.__setattr__(self, "ring", ring)
        object.__setattr__(self, "_hash", None)
        object.__setattr__(self, "_free", None)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} objects are immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} objects are immutable")

    # -- structure --------------------------------------------------------------------------
    def children(self) -> tuple[Formula, ...]:
        """The immediate subformulas."""
        return ()

    def _key(self) -> tuple:
        raise NotImplementedError

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if not isinstance(other, Formula):
            return NotImplemented
        return (
            type(self) is type(other) and hash(self) == hash(other) and self._key() == other._key()
        )

    def __ne__(self, other: object) -> bool:
        eq = self.__eq__(other)
        return eq if eq is NotImplemented else not eq

    def __hash__(self) -> int:
        h = self._hash
        if h is None:
            h = hash((type(self).__name__, self._key()))
            object.__setattr__(self, "_hash", h)
        return h

    def __reduce__(self):
        raise NotImplementedError  # overridden by subclasses

    def walk(self) -> Iterator[Formula]:
        """All subformulas, in pre-order (the formula itself first)."""
        stack = [self]
        while stack:
            f = stack.pop()
            yield f
            stack.extend(reversed(f.children()))

    def in_ring(self, ring: PolyRing) -> Formula:
        """The same formula over another ring containing all its variables."""
        if ring is self.ring or not self.ring.nvars:
            return self
        return self._in_ring(ring)

    def _in_ring(self, ring: PolyRing) -> Formula:
        raise NotImplementedError

    # -- variables --------------------------------------------------------------------------
    def _free_set(self) -> frozenset[str]:
        fv = self._free
        if fv is None:
            fv = self._compute_free()
            object.__setattr__(self, "_free", fv)
        return fv

    def _compute_free(self) -> frozenset[str]:
        out: frozenset[str] = frozenset()
        for c in self.children():
            out |= c._free_set()
        return out

    def free_variables(self) -> tuple[str, ...]:
        """Variables with a free occurrence, in ring order."""
        fv = self._free_set()
        return tuple(n for n in self.ring.names if n in fv)

    def variables(self) -> tuple[str, ...]:
        """Variables occurring in an atom or bound by a quantifier, in ring order."""
        occ: set[str] = set()
        for f in self.walk():
            if isinstance(f, Atom):
                occ.update(f.poly.variables())
            elif isinstance(f, QuantifiedFormula):
                occ.update(f.vars)
        return tuple(n for n in self.ring.names if n in occ)

    def bound_variables(self) -> tuple[str, ...]:
        """Variables bound by some quantifier, in ring order."""
        occ = {v for f in self.walk() if isinstance(f, QuantifiedFormula) for v in f.vars}
        return tuple(n for n in self.ring.names if n in occ)

    def atoms(self) -> tuple[Atom, ...]:
        """The distinct atoms, in order of first appearance."""
        return tuple(dict.fromkeys(f for f in self.walk() if isinstance(f, Atom)))

    def polynomials(self) -> tuple[Poly, ...]:
        """The distinct polynomials of the atoms, in order of first appearance."""
        return tuple(dict.fromkeys(a.poly for a in self.atoms()))

    # -- predicates -------------------------------------------------------------------------
    def is_quantifier_free(self) -> bool:
        return not any(isinstance(f, QuantifiedFormula) for f in self.walk())

    def is_sentence(self) -> bool:
        """True if the formula has no free variables."""
        return not self._free_set()

    def is_prenex(self) -> bool:
        """True if all quantifiers form a prefix in front of a quantifier-free matrix."""
        f: Formula = self
        while isinstance(f, QuantifiedFormula):
            f = f.body
        return f.is_quantifier_free()

    # -- operations (implemented in sibling modules) ----------------------------------------
    def nnf(self) -> Formula:
        """Negation normal form; see :func:`semialg.logic.normal_forms.nnf`."""
        from .normal_forms import nnf

        return nnf(self)

    def prenex(self) -> PrenexForm:
        """Prenex form ``(prefix, matrix)``; see :func:`semialg.logic.normal_forms.prenex`."""
        from .normal_forms import prenex

        return prenex(self)

    def substitute(self, values: Mapping[object, object]) -> Formula:
        """Substitute for free variables; see :func:`semialg.logic.normal_forms.substitute`."""
        from .normal_forms import substitute

        return substitute(self, values)

    def simplify(self) -> Formula:
        """Cheap sound simplification; see :func:`semialg.logic.simplify.simplify`."""
        from .simplify import simplify

        return simplify(self)

    def evaluate(self, point: Mapping[object, object]) -> bool:
        """Truth value at a point; see :func:`semialg.logic.evaluate.evaluate`."""
        from .evaluate import evaluate

        return evaluate(self, point)

    def to_sympy(self, symbols: Mapping[str, object] | None = None) -> Any:
        """The formula as a SymPy Boolean; see :func:`semialg.logic.to_sympy`."""
        from .sympy_io import to_sympy

        return to_sympy(self, symbols)

    # -- operators --------------------------------------------------------------------------
    def __and__(self, other: object) -> Formula:
        o = as_formula(other)
        left = self.args if isinstance(self, And) else (self,)
        right = o.args if isinstance(o, And) else (o,)
        return And(*left, *right)

    def __rand__(self, other: object) -> Formula:
        return as_formula(other) & self

    def __or__(self, other: object) -> Formula:
        o = as_formula(other)
        left = self.args if isinstance(self, Or) else (self,)
        right = o.args if isinstance(o, Or) else (o,)
        return Or(*left, *right)

    def __ror__(self, other: object) -> Formula:
        return as_formula(other) | self

    def __invert__(self) -> Formula:
        return Not(self)

    def __rshift__(self, other: object) -> Formula:
        return Implies(self, other)

    def __rrshift__(self, other: object) -> Formula:
        return Implies(other, self)

    # -- printing ---------------------------------------------------------------------------
    def __str__(self) -> str:
        from .printing import to_text

        return to_text(self)


class BooleanConstant(Formula):
    """The constants :data:`TRUE` and :data:`FALSE` (two singletons)."""

    __slots__ = ("value",)
    value: bool
    _instances: ClassVar[dict[bool, BooleanConstant]] = {}

    def __new__(cls, value: bool) -> BooleanConstant:
        if not isinstance(value, bool):
            raise InputTypeError(f"a Boolean constant needs True or False, got {value!r}")
        inst = cls._instances.get(value)
        if inst is None:
            inst = super().__new__(cls)
            inst._init(EMPTY_RING)
            object.__setattr__(inst, "value", value)
            cls._instances[value] = inst
        return inst

    def _key(self) -> tuple:
        return (self.value,)

    def _compute_free(self) -> frozenset[str]:
        return frozenset()

    def _in_ring(self, ring: PolyRing) -> Formula:
        return self

    def __reduce__(self):
        return (BooleanConstant, (self.value,))

    def __repr__(self) -> str:
        return "TRUE" if self.value else "FALSE"


TRUE = BooleanConstant(True)
FALSE = BooleanConstant(False)


def _poly_key(p: Poly) -> tuple:
    """A ring-independent description of ``p``: sorted ((var, exp)..., coefficient) pairs."""
    names = p.ring.names
    return tuple(
        sorted(
            (tuple(sorted((n, e) for n, e in zip(names, exps, strict=True) if e)), c)
            for exps, c in p.terms().items()
        )
    )


class Atom(Formula):
    """The atomic formula ``poly rel 0``.

    ``Atom(p, rel)`` accepts a :class:`Poly`, polynomial text (``'x^2 + y - 1'``) or a SymPy
    polynomial expression. A constant polynomial gives :data:`TRUE` or :data:`FALSE`; otherwise
    the polynomial is divided by its positive rational content.
    """

    __slots__ = ("_pkey", "poly", "rel")
    poly: Poly
    rel: Relation
    precedence: ClassVar[int] = 20

    def __new__(cls, poly: object, rel: str) -> Formula:  # type: ignore[misc]
        rel = relation(rel)
        p = _as_poly(poly)
        if p.is_constant():
            return TRUE if relation_holds(rel, _sign(p.constant_value())) else FALSE
        c = p.content()
        if c != 1:
            p = p / c
        self = super().__new__(cls)
        self._init(p.ring)
        object.__setattr__(self, "poly", p)
        object.__setattr__(self, "rel", rel)
        object.__setattr__(self, "_pkey", None)
        return self

    def poly_key(self) -> tuple:
        k = self._pkey
        if k is None:
            k = _poly_key(self.poly)
            object.__setattr__(self, "_pkey", k)
        return k

    def _key(self) -> tuple:
        return (self.rel, self.poly_key())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Atom) and other.poly.ring is self.poly.ring:
            return self.rel == other.rel and self.poly == other.poly
        return super().__eq__(other)

    __hash__ = Formula.__hash__

    def _compute_free(self) -> frozenset[str]:
        return frozenset(self.poly.variables())

    def _in_ring(self, ring: PolyRing) -> Formula:
        return Atom(self.poly.in_ring(ring), self.rel)

    def negated(self) -> Atom:
        """The atom equivalent to the negation (``p < 0`` gives ``p >= 0``)."""
        return Atom(self.poly, NEGATED[self.rel])  # type: ignore[return-value]

    def holds_for_sign(self, sign: int) -> bool:
        return relation_holds(self.rel, sign)

    def __reduce__(self):
        # flint polynomials do not pickle: store the ring's names and the exact terms
        return (_atom_from_terms, (self.poly.ring.names, self.poly.terms(), self.rel))

    def __repr__(self) -> str:
        return f"Atom({str(self.poly)!r}, {self.rel!r})"


def _atom_from_terms(
    names: tuple[str, ...], terms: dict[tuple[int, ...], Fraction], rel: Relation
) -> Formula:
    return Atom(PolyRing(names).from_dict(terms), rel)


def _sign(x: Fraction) -> int:
    return (x > 0) - (x < 0)


def _as_poly(obj: object) -> Poly:
    if isinstance(obj, Poly):
        return obj
    if isinstance(obj, bool):
        raise InputTypeError(f"expected a polynomial, got the boolean {obj}")
    if isinstance(obj, str):
        return parse_polynomial(obj)
    from .sympy_io import poly_of_sympy

    return poly_of_sympy(obj)


def _coerce_children(args: Iterable[object]) -> tuple[tuple[Formula, ...], PolyRing]:
    fs = tuple(as_formula(a) for a in args)
    ring = merge_rings(*(f.ring for f in fs))
    return tuple(f.in_ring(ring) for f in fs), ring


class Not(Formula):
    """Negation."""

    __slots__ = ("arg",)
    arg: Formula
    precedence: ClassVar[int] = 15

    def __new__(cls, arg: object) -> Not:
        f = as_formula(arg)
        self = super().__new__(cls)
        self._init(f.ring)
        object.__setattr__(self, "arg", f)
        return self

    def children(self) -> tuple[Formula, ...]:
        return (self.arg,)

    def _key(self) -> tuple:
        return (self.arg,)

    def _in_ring(self, ring: PolyRing) -> Formula:
        return Not(self.arg.in_ring(ring))

    def __reduce__(self):
        return (Not, (self.arg,))

    def __repr__(self) -> str:
        return f"Not({self.arg!r})"


class _NAry(Formula):
    __slots__ = ("args",)
    args: tuple[Formula, ...]
    _empty: ClassVar[BooleanConstant]

    def __new__(cls, *args: object) -> Formula:  # type: ignore[misc]
        if len(args) == 1 and not isinstance(args[0], Formula) and _is_plain_iterable(args[0]):
            raise InputTypeError(
                f"{cls.__name__} takes formulas as separate arguments; "
                f"write {cls.__name__}(*formulas)"
            )
        if not args:
            return cls._empty
        fs, ring = _coerce_children(args)
        if len(fs) == 1:
            return fs[0]
        self = super().__new__(cls)
        self._init(ring)
        object.__setattr__(self, "args", fs)
        return self

    def children(self) -> tuple[Formula, ...]:
        return self.args

    def _key(self) -> tuple:
        return self.args

    def _in_ring(self, ring: PolyRing) -> Formula:
        return type(self)(*(a.in_ring(ring) for a in self.args))

    def __reduce__(self):
        return (type(self), self.args)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(map(repr, self.args))})"


def _is_plain_iterable(obj: object) -> bool:
    return isinstance(obj, list | tuple | set | frozenset) or (
        isinstance(obj, Iterator) and not isinstance(obj, str)
    )


class And(_NAry):
    """Conjunction of any number of formulas (``And()`` is :data:`TRUE`)."""

    __slots__ = ()
    _empty = TRUE
    precedence: ClassVar[int] = 12


class Or(_NAry):
    """Disjunction of any number of formulas (``Or()`` is :data:`FALSE`)."""

    __slots__ = ()
    _empty = FALSE
    precedence: ClassVar[int] = 11


class _Binary(Formula):
    __slots__ = ("left", "right")
    left: Formula
    right: Formula

    def __new__(cls, left: object, right: object) -> _Binary:
        (a, b), ring = _coerce_children((left, right))
        self = super().__new__(cls)
        self._init(ring)
        object.__setattr__(self, "left", a)
        object.__setattr__(self, "right", b)
        return self

    def children(self) -> tuple[Formula, ...]:
        return (self.left, self.right)

    def _key(self) -> tuple:
        return (self.left, self.right)

    def _in_ring(self, ring: PolyRing) -> Formula:
        return type(self)(self.left.in_ring(ring), self.right.in_ring(ring))

    def __reduce__(self):
        return (type(self), (self.left, self.right))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.left!r}, {self.right!r})"


class Implies(_Binary):
    """``left ==> right``."""

    __slots__ = ()
    precedence: ClassVar[int] = 4


class Equivalent(_Binary):
    """``left <==> right``."""

    __slots__ = ()
    precedence: ClassVar[int] = 3


class QuantifiedFormula(Formula):
    """Common base of :class:`Exists` and :class:`ForAll`: a block of variables and a body."""

    __slots__ = ("body", "vars")
    vars: tuple[str, ...]
    body: Formula
    quantifier: ClassVar[Quantifier]
    precedence: ClassVar[int] = 1

    def __new__(cls, variables: object, body: object) -> Formula:  # type: ignore[misc]
        names = variable_names(variables)
        f = as_formula(body)
        if not names:
            return f
        ring = merge_rings(f.ring, PolyRing(names))
        self = super().__new__(cls)
        self._init(ring)
        object.__setattr__(self, "vars", names)
        object.__setattr__(self, "body", f.in_ring(ring))
        return self

    def children(self) -> tuple[Formula, ...]:
        return (self.body,)

    def _key(self) -> tuple:
        return (self.vars, self.body)

    def _compute_free(self) -> frozenset[str]:
        return self.body._free_set() - set(self.vars)

    def _in_ring(self, ring: PolyRing) -> Formula:
        missing = [v for v in self.vars if v not in ring.names]
        if missing:
            raise InputError(f"bound variables {missing} are not in {ring}")
        return type(self)(self.vars, self.body.in_ring(ring))

    def __reduce__(self):
        return (type(self), (self.vars, self.body))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.vars!r}, {self.body!r})"


class Exists(QuantifiedFormula):
    """``Exists(vars, body)``: there are reals ``vars`` with ``body``.

    ``vars`` is a name, a SymPy symbol, or a sequence of them; ``body`` a formula or a SymPy
    Boolean (``Exists([y], x**2 + y**2 < 1)``).
    """

    __slots__ = ()
    quantifier: ClassVar[Quantifier] = "exists"


class ForAll(QuantifiedFormula):
    """``ForAll(vars, body)``: ``body`` holds for all reals ``vars``."""

    __slots__ = ()
    quantifier: ClassVar[Quantifier] = "forall"


QUANTIFIERS: dict[Quantifier, type[QuantifiedFormula]] = {"exists": Exists, "forall": ForAll}
DUAL: dict[Quantifier, Quantifier] = {"exists": "forall", "forall": "exists"}

__all__ = [
    "DUAL",
    "FALSE",
    "MIRRORED",
    "NEGATED",
    "QUANTIFIERS",
    "RELATIONS",
    "SIGNS",
    "TRUE",
    "And",
    "Atom",
    "BooleanConstant",
    "Equivalent",
    "Exists",
    "ForAll",
    "Formula",
    "Implies",
    "Not",
    "Or",
    "QuantifiedFormula",
    "Quantifier",
    "Relation",
    "as_formula",
    "merge_rings",
    "relation",
    "relation_from_signs",
    "relation_holds",
    "variable_names",
]
