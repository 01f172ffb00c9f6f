"""Semialgebraic sets: exact membership, set algebra, images of polynomial maps and topology.

A :class:`SemialgebraicSet` is a first-order formula (quantifiers allowed) together with the
ordered list of ambient coordinates. Every yes/no answer comes from :func:`semialg.qe.decide` or
from exact evaluation; when a caller-given budget runs out the answer is
:class:`~semialg.qe.result.Unknown`, never a guess. Definitions and the proofs of the shortcuts
used by :meth:`SemialgebraicSet.closure` are in ``docs/sets.md``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Any

from .cad.budget import Budget
from .errors import InputError, InputTypeError
from .logic import (
    FALSE,
    TRUE,
    And,
    Atom,
    BooleanConstant,
    Exists,
    ForAll,
    Formula,
    Implies,
    Not,
    Or,
    evaluate,
    nnf,
    substitute,
)
from .logic.formula import QuantifiedFormula, as_formula, variable_names
from .logic.normal_forms import fresh_name, rename_bound
from .poly import Poly, PolyRing, poly_from_sympy, to_fmpq
from .qe import Unknown, decide, find_point, qe

__all__ = ["SemialgebraicSet"]

BudgetLike = Budget | float | None


# -- helpers ---------------------------------------------------------------------------------
def _names(variables: object, what: str = "variables") -> tuple[str, ...]:
    if isinstance(variables, Formula | bool) or variables is None:
        raise InputTypeError(f"expected {what} (names or SymPy symbols), got {variables!r}")
    names = variable_names(variables)
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise InputError(f"{what} list the variable(s) {dup} more than once")
    return names


def _avoid_bound(f: Formula, avoid: Iterable[str]) -> Formula:
    """``f`` with every bound variable that is in ``avoid`` (or bound twice) renamed apart."""
    av = set(avoid)
    if f.is_quantifier_free() or not (set(f.bound_variables()) & av):
        return f
    return rename_bound(f, lambda v, seen: v in av or v in seen, avoid=av)


def _fresh(base: str, used: set[str]) -> str:
    if base not in used:
        used.add(base)
        return base
    return fresh_name(base, used)


def _rename(f: Formula, mapping: Mapping[str, str]) -> Formula:
    """Simultaneous capture-avoiding renaming of free variables."""
    mapping = {k: v for k, v in mapping.items() if k != v and k in f.free_variables()}
    if not mapping:
        return f
    ring = PolyRing(tuple(dict.fromkeys(list(f.ring.names) + list(mapping.values()))))
    return substitute(f.in_ring(ring), {k: ring.gen(v) for k, v in mapping.items()})


def _as_poly(expr: object, names: tuple[str, ...], what: str) -> Poly:
    ring = PolyRing(names)
    try:
        if isinstance(expr, Poly):
            missing = [v for v in expr.variables() if v not in names]
            if missing:
                raise InputError(f"unknown variable(s) {missing}")
            return expr.in_ring(ring)
        if isinstance(expr, str):
            from .poly import parse_polynomial

            return parse_polynomial(expr).in_ring(ring)
        return poly_from_sympy(expr, ring)
    except InputError as exc:
        raise type(exc)(
            f"{what} must be a polynomial in {list(names)} with rational coefficients; "
            f"{expr!r}: {exc}"
        ) from None


def _map_polys(mapping: object, names: tuple[str, ...]) -> list[Poly]:
    if isinstance(mapping, str | bool) or not isinstance(mapping, Iterable):
        raise InputTypeError(f"a map is a sequence of polynomials, got {mapping!r}")
    comps = list(mapping)
    return [_as_poly(c, names, f"component {i} of the map") for i, c in enumerate(comps)]


def _coordinate(name: str, value: object) -> Fraction | Any:
    """An exact real: a ``Fraction`` or a ``RealAlgebraic``."""
    from .algebraic.real_algebraic import RealAlgebraic

    if isinstance(value, bool | str | complex):
        raise InputTypeError(f"the coordinate {name!r} is {value!r}, not an exact real number")
    if isinstance(value, RealAlgebraic):
        return value.as_fraction() if value.is_rational else value
    try:
        q = to_fmpq(value)
        return Fraction(int(q.p), int(q.q))
    except InputTypeError:
        pass
    import sympy

    if isinstance(value, sympy.Basic) and value.is_number:
        if value.is_real is False:
            raise InputTypeError(f"the coordinate {name!r} is not real: {value}")
        r = RealAlgebraic.from_sympy(value)
        return r.as_fraction() if r.is_rational else r
    raise InputTypeError(
        f"the coordinate {name!r} must be an exact rational or real algebraic number, "
        f"got {value!r} ({type(value).__name__})"
    )


def _syntactic(f: Formula) -> str | None:
    """``"closed"``/``"open"`` when the NNF of a quantifier-free ``f`` uses only non-strict /
    only strict atoms (see docs/sets.md, Lemma 1), ``"both"`` for constants, else None."""
    if not f.is_quantifier_free():
        return None
    g = nnf(f)
    rels = {a.rel for a in g.atoms()}
    if not rels:
        return "both"
    if rels <= {"<=", ">=", "="}:
        return "closed"
    if rels <= {"<", ">", "!="}:
        return "open"
    return None


def _components(f: Formula) -> list[Formula]:
    """The conjuncts of ``f`` grouped into classes that share no free variable."""
    conj = f.args if isinstance(f, And) else (f,)
    groups: list[tuple[set[str], list[Formula]]] = []
    for c in conj:
        vs = set(c.free_variables())
        merged: tuple[set[str], list[Formula]] = (vs, [c])
        rest = []
        for g in groups:
            if g[0] & vs:
                merged = (merged[0] | g[0], g[1] + merged[1])
            else:
                rest.append(g)
        groups = [*rest, merged]
    return [And(*fs) for _, fs in groups]


def _disjuncts(f: Formula, limit: int = 32) -> tuple[Formula, ...]:
    """The disjuncts of a disjunctive normal form of ``f`` (NNF, "and" distributed over
    "or") when it has at most ``limit`` disjuncts; otherwise the top-level disjuncts of the
    NNF. Either way the disjunction of the result is equivalent to ``f``."""
    g = nnf(f)
    top = g.args if isinstance(g, Or) else (g,)
    out: list[Formula] = []
    for d in top:
        terms = _dnf_terms(d, limit)
        if terms is None:
            return top
        out.extend(terms)
        if len(out) > limit:
            return top
    return tuple(dict.fromkeys(out))


def _dnf_terms(f: Formula, limit: int) -> list[Formula] | None:
    """DNF terms of an NNF formula (conjunctions of literals), or None beyond ``limit``."""
    if isinstance(f, Or):
        out: list[Formula] = []
        for a in f.args:
            t = _dnf_terms(a, limit)
            if t is None:
                return None
            out.extend(t)
            if len(out) > limit:
                return None
        return out
    if isinstance(f, And):
        acc: list[tuple[Formula, ...]] = [()]
        for a in f.args:
            t = _dnf_terms(a, limit)
            if t is None or len(acc) * len(t) > limit:
                return None
            acc = [(*p, *(q.args if isinstance(q, And) else (q,))) for p in acc for q in t]
        return [And(*p).simplify() if p else TRUE for p in acc]
    return [f]


def _linear_equation(lits: Sequence[Formula]) -> tuple[Atom, str, Poly] | None:
    """An equation ``h = 0`` among ``lits`` with ``h = c v + r``, c a nonzero rational and r
    free of v, as ``(atom, v, -r/c)`` (docs/sets.md, Lemma 6), or None."""
    for a in lits:
        if not (isinstance(a, Atom) and a.rel == "="):
            continue
        h = a.poly
        for v in h.variables():
            cs = h.coeffs_in(v)
            if len(cs) == 2 and cs[1].is_constant():
                return a, v, (-cs[0]) / cs[1].constant_value()
    return None


def _point_formula(names: Sequence[str], point: Sequence[Any]) -> Formula:
    """The formula ``x = point`` (an irrational coordinate a as ``m(x) = 0``, ``lo < x < hi``,
    m its minimal polynomial and (lo, hi) its isolating interval)."""
    ring = PolyRing(tuple(names))
    parts: list[Formula] = []
    for n, c in zip(names, point, strict=True):
        t = ring.gen(n)
        if isinstance(c, Fraction) or getattr(c, "is_rational", False):
            q = c if isinstance(c, Fraction) else c.as_fraction()
            parts.append(Atom(t - q, "="))
            continue
        m = ring.zero()
        for i, k in enumerate(c.minpoly.coeffs()):
            m = m + int(k) * t**i
        lo, hi = c.interval
        parts += [Atom(m, "="), Atom(t - lo, ">"), Atom(t - hi, "<")]
    return And(*parts)


def _absorb(disjuncts: Sequence[Formula]) -> Formula:
    """``Or(*disjuncts)`` without disjuncts whose conjuncts include all conjuncts of another
    (absorption: A or (A and B) is A)."""
    sets = [frozenset(d.args if isinstance(d, And) else (d,)) for d in disjuncts]
    keep = []
    for i, si in enumerate(sets):
        if any((sj < si) or (sj == si and j < i) for j, sj in enumerate(sets) if j != i):
            continue
        keep.append(disjuncts[i])
    return Or(*keep).simplify()


# -- the closure of a conjunction of inequalities (docs/sets.md, Lemmas 4 and 5) ------------
_MAX_INEQUALITIES = 6


def _fritz_john(fs: Sequence[Poly], names: Sequence[str], used: set[str]) -> list[Formula]:
    """Formulas B_J (one per nonempty J, |J| <= _MAX_INEQUALITIES) whose union, intersected
    with {f_i >= 0 for all i}, is the set of "bad" points of Lemma 5: the f_j, j in J, vanish
    and some lambda >= 0 on J with sum 1 has sum_j lambda_j grad f_j = 0."""
    from itertools import combinations

    grads = [[p.diff(v) for v in names] for p in fs]
    out: list[Formula] = []
    for k in range(1, len(fs) + 1):
        for J in combinations(range(len(fs)), k):
            zero = [Atom(fs[j], "=") for j in J]
            if k == 1:
                (j,) = J
                out.append(And(*zero, *(Atom(g, "=") for g in grads[j])))
            elif k == 2:
                a, b = J
                ga, gb = grads[a], grads[b]
                n = len(names)
                minors = [
                    Atom(ga[i] * gb[m] - ga[m] * gb[i], "=")
                    for i in range(n)
                    for m in range(i + 1, n)
                ]
                dot = ga[0] * gb[0]
                for i in range(1, n):
                    dot = dot + ga[i] * gb[i]
                out.append(And(*zero, *minors, Atom(dot, "<")))
            else:
                lams = [_fresh("l", used) for _ in J]
                ring = PolyRing((*fs[0].ring.names, *lams))
                ls = [ring.gen(m) for m in lams]
                total = ring.zero()
                for lm in ls:
                    total = total + lm
                eqs = []
                for i in range(len(names)):
                    comb = ring.zero()
                    for lm, j in zip(ls, J, strict=True):
                        comb = comb + lm * grads[j][i].in_ring(ring)
                    eqs.append(Atom(comb, "="))
                body = And(*(Atom(lm, ">=") for lm in ls), Atom(total - 1, "="), *eqs)
                out.append(And(*zero, Exists(tuple(lams), body)))
    return out


def _shared(budget: BudgetLike) -> Budget | None:
    """One :class:`Budget` (one deadline) for all the decisions of a compound operation."""
    from .cad.budget import as_budget

    return None if budget is None else as_budget(budget)


# -- the class -------------------------------------------------------------------------------
class SemialgebraicSet:
    """The set ``{x in R^n : formula(x)}`` for ordered coordinates ``variables = (x_1..x_n)``.

    ``formula``: a SymPy Boolean or a :mod:`semialg.logic` formula (quantifiers via
    :class:`semialg.Exists`/:class:`semialg.ForAll`); its free variables must be among
    ``variables``. Bound variables that clash with coordinates are renamed. Immutable.
    Equality ``==`` is *set* equality, decided exactly (it may return :class:`Unknown` only when
    a budget is set through :meth:`equals`).
    """

    __slots__ = ("_cache", "_formula", "_vars")

    _formula: Formula
    _vars: tuple[str, ...]

    def __init__(self, formula: object, variables: object):
        names = _names(variables)
        f = as_formula(formula)
        extra = [v for v in f.free_variables() if v not in names]
        if extra:
            raise InputError(
                f"the formula has free variable(s) {extra} that are not coordinates {list(names)}"
            )
        f = _avoid_bound(f, names)
        object.__setattr__(self, "_formula", f)
        object.__setattr__(self, "_vars", names)
        object.__setattr__(self, "_cache", {})

    @classmethod
    def _make(cls, formula: Formula, names: tuple[str, ...]) -> SemialgebraicSet:
        return cls(formula, names)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("SemialgebraicSet objects are immutable")

    def __reduce__(self):
        return (SemialgebraicSet, (self._formula, self._vars))

    # -- description ------------------------------------------------------------------------
    @property
    def variables(self) -> tuple[str, ...]:
        """The ordered ambient coordinates (names)."""
        return self._vars

    @property
    def dimension(self) -> int:
        """The ambient dimension n (not the dimension of the set)."""
        return len(self._vars)

    @property
    def defining_formula(self) -> Formula:
        """The formula as given (possibly quantified), after renaming of clashing bound names."""
        return self._formula

    def formula(self, simplify: bool = True, *, budget: BudgetLike = None) -> Formula | Unknown:
        """A quantifier-free formula for the set (via :func:`semialg.qe.qe`).

        With ``simplify=False`` a quantifier-free defining formula is returned unchanged;
        otherwise quantifier elimination / CAD solution-formula construction is run (cached).
        """
        f = self._formula
        if not simplify and f.is_quantifier_free():
            return f
        key = "qf"
        if key in self._cache:
            return self._cache[key]
        if isinstance(f, BooleanConstant):
            out: Formula | Unknown = f
        else:
            out = qe(f, budget=budget)
        if not isinstance(out, Unknown):
            self._cache[key] = out
        return out

    def _qf(self, budget: BudgetLike = None) -> Formula:
        """A quantifier-free description if one is cheap or cached, else the defining formula."""
        if self._formula.is_quantifier_free():
            return self._formula
        out = self.formula(budget=budget)
        return self._formula if isinstance(out, Unknown) else out

    def __repr__(self) -> str:
        return f"SemialgebraicSet({{({', '.join(self._vars)}) : {self._formula}}})"

    def _repr_latex_(self) -> str:
        f = self._formula
        body = _latex(f)
        coords = ", ".join(self._vars)
        space = rf"\mathbb{{R}}^{{{self.dimension}}}"
        return rf"$\left\{{ ({coords}) \in {space} : {body} \right\}}$"

    # -- membership and emptiness -------------------------------------------------------------
    def _point_dict(self, point: object) -> dict[str, Any]:
        if isinstance(point, Mapping):
            given = {
                (k if isinstance(k, str) else getattr(k, "name", k)): v for k, v in point.items()
            }
            if set(given) != set(self._vars):
                raise InputError(f"the point must give exactly the coordinates {list(self._vars)}")
            items = [(n, given[n]) for n in self._vars]
        else:
            if isinstance(point, str | bytes) or not isinstance(point, Iterable):
                point = (point,) if self.dimension == 1 else point
            if not isinstance(point, Iterable):
                raise InputTypeError(f"a point is a sequence of coordinates, got {point!r}")
            vals = list(point)
            if len(vals) != self.dimension:
                raise InputError(
                    f"the point has {len(vals)} coordinate(s); the set lives in "
                    f"R^{self.dimension} with coordinates {list(self._vars)}"
                )
            items = list(zip(self._vars, vals, strict=True))
        return {n: _coordinate(n, v) for n, v in items}

    def contains(self, point: object, *, budget: BudgetLike = None) -> bool | Unknown:
        """Exact membership of a point (sequence in coordinate order, or a dict by name).

        Coordinates: ints, ``Fraction``, SymPy rationals or algebraic numbers, ``RealAlgebraic``.
        Quantified formulas: the point is substituted and the sentence decided (an irrational
        coordinate ``a`` enters as ``E t [m(t) = 0 /\\ lo < t < hi /\\ ...]``, m its minimal
        polynomial and (lo, hi) its isolating interval).
        """
        values = self._point_dict(point)
        f = self._formula
        if f.is_quantifier_free():
            return evaluate(f, values)
        rational = {n: v for n, v in values.items() if isinstance(v, Fraction)}
        algebraic = {n: v for n, v in values.items() if not isinstance(v, Fraction)}
        g = substitute(f, {n: v for n, v in rational.items() if n in f.ring.names})
        if algebraic:
            conds: list[Formula] = []
            ring = PolyRing(tuple(algebraic))
            for n, a in algebraic.items():
                t = ring.gen(n)
                m = ring.zero()
                for i, c in enumerate(a.minpoly.coeffs()):
                    m = m + int(c) * t**i
                lo, hi = a.interval
                conds += [Atom(m, "="), Atom(t - lo, ">"), Atom(t - hi, "<")]
            g = Exists(tuple(algebraic), And(*conds, g))
        return decide(g, budget=budget)

    def __contains__(self, point: object) -> bool:
        ans = self.contains(point)
        return bool(ans)

    def is_empty(self, *, budget: BudgetLike = None) -> bool | Unknown:
        """Whether the set is empty (decided)."""
        ans = decide(Exists(self._vars, self._formula), budget=budget)
        return ans if isinstance(ans, Unknown) else not ans

    def sample_point(self, *, budget: BudgetLike = None) -> tuple | Unknown | None:
        """An exact point of the set (``Fraction``/``RealAlgebraic`` coordinates) or None."""
        if not self._vars:
            ans = decide(self._formula, budget=budget)
            return ans if isinstance(ans, Unknown) else (() if ans else None)
        f = self._qf(budget)
        if isinstance(f, BooleanConstant):
            return tuple(Fraction(0) for _ in self._vars) if f.value else None
        pt = find_point(f, self._vars, budget=budget)
        if isinstance(pt, tuple):
            return tuple(
                c.as_fraction() if hasattr(c, "is_rational") and c.is_rational else c for c in pt
            )
        return pt

    # -- comparisons --------------------------------------------------------------------------
    def _check_same(self, other: object, op: str) -> SemialgebraicSet:
        if not isinstance(other, SemialgebraicSet):
            raise InputTypeError(f"{op} needs a SemialgebraicSet, got {type(other).__name__}")
        if other._vars != self._vars:
            raise InputError(
                f"{op}: the sets live over different variable lists {list(self._vars)} and "
                f"{list(other._vars)}; use preimage/image with an explicit map, or project/product"
            )
        return other

    def issubset(self, other: SemialgebraicSet, *, budget: BudgetLike = None) -> bool | Unknown:
        """``self <= other``, decided: ``A x [self(x) ==> other(x)]``."""
        o = self._check_same(other, "issubset")
        if self._formula == o._formula:
            return True
        return decide(ForAll(self._vars, Implies(self._formula, o._formula)), budget=budget)

    def equals(self, other: SemialgebraicSet, *, budget: BudgetLike = None) -> bool | Unknown:
        """Set equality, decided: ``A x [self(x) <==> other(x)]``."""
        o = self._check_same(other, "equals")
        if self._formula == o._formula:
            return True
        a = self.issubset(o, budget=budget)
        if a is not True:
            return a
        return o.issubset(self, budget=budget)

    def __le__(self, other: object) -> bool | Unknown:
        return self.issubset(other)  # type: ignore[arg-type]

    def __ge__(self, other: object) -> bool | Unknown:
        return self._check_same(other, ">=").issubset(self)

    def __lt__(self, other: object) -> bool | Unknown:
        a = self.issubset(other)  # type: ignore[arg-type]
        if a is not True:
            return a
        b = other.issubset(self)  # type: ignore[union-attr]
        return b if isinstance(b, Unknown) else not b

    def __gt__(self, other: object) -> bool | Unknown:
        return self._check_same(other, ">").__lt__(self)

    def __eq__(self, other: object) -> bool | Unknown:  # type: ignore[override]
        if not isinstance(other, SemialgebraicSet):
            return NotImplemented
        return self.equals(other)

    def __ne__(self, other: object) -> bool | Unknown:  # type: ignore[override]
        if not isinstance(other, SemialgebraicSet):
            return NotImplemented
        a = self.equals(other)
        return a if isinstance(a, Unknown) else not a

    def __hash__(self) -> int:
        # consistent with set equality: equal sets have the same coordinates
        return hash(("SemialgebraicSet", self._vars))

    def is_bounded(self, *, budget: BudgetLike = None) -> bool | Unknown:
        """Whether the set is bounded: ``E R A x [self(x) ==> |x|^2 < R]``, decided."""
        if not self._vars:
            return True
        used = set(self._formula.ring.names) | set(self._vars)
        r = _fresh("R", used)
        ring = PolyRing((*self._vars, r))
        norm = ring.zero()
        for v in self._vars:
            norm = norm + ring.gen(v) ** 2
        body = Implies(self._formula, Atom(norm - ring.gen(r), "<"))
        return decide(Exists([r], ForAll(self._vars, body)), budget=budget)

    # -- set algebra ---------------------------------------------------------------------------
    def union(self, other: SemialgebraicSet) -> SemialgebraicSet:
        o = self._check_same(other, "union")
        return SemialgebraicSet(Or(self._formula, o._formula).simplify(), self._vars)

    def intersection(self, other: SemialgebraicSet) -> SemialgebraicSet:
        o = self._check_same(other, "intersection")
        return SemialgebraicSet(And(self._formula, o._formula).simplify(), self._vars)

    def difference(self, other: SemialgebraicSet) -> SemialgebraicSet:
        o = self._check_same(other, "difference")
        g = nnf(Not(o._formula))
        return SemialgebraicSet(And(self._formula, g).simplify(), self._vars)

    def complement(self) -> SemialgebraicSet:
        """R^n minus the set (negation normal form of the negated formula)."""
        return SemialgebraicSet(nnf(Not(self._formula)).simplify(), self._vars)

    __or__ = union
    __and__ = intersection
    __sub__ = difference

    def __invert__(self) -> SemialgebraicSet:
        return self.complement()

    def product(self, other: SemialgebraicSet) -> SemialgebraicSet:
        """The Cartesian product over the coordinates ``self.variables + other.variables``."""
        if not isinstance(other, SemialgebraicSet):
            raise InputTypeError(f"product needs a SemialgebraicSet, got {type(other).__name__}")
        common = sorted(set(self._vars) & set(other._vars))
        if common:
            raise InputError(f"product needs disjoint variables; both sets use {common}")
        names = self._vars + other._vars
        f = _avoid_bound(self._formula, names)
        g = _avoid_bound(other._formula, names)
        return SemialgebraicSet(And(f, g), names)

    def project(self, variables: object) -> SemialgebraicSet:
        """The projection onto the coordinates ``variables`` (a subset, in the order given):
        ``{x' : E x'' self(x', x'')}``."""
        names = _names(variables)
        bad = [v for v in names if v not in self._vars]
        if bad:
            raise InputError(f"project: {bad} are not coordinates of the set {list(self._vars)}")
        drop = tuple(v for v in self._vars if v not in names)
        return SemialgebraicSet(Exists(drop, self._formula) if drop else self._formula, names)

    def preimage(self, mapping: object, domain_variables: object) -> SemialgebraicSet:
        """``{z : mapping(z) in self}`` for a polynomial map given by components in
        ``domain_variables`` (one per coordinate of ``self``)."""
        dom = _names(domain_variables, "domain variables")
        polys = _map_polys(mapping, dom)
        if len(polys) != self.dimension:
            raise InputError(
                f"the map has {len(polys)} component(s); the set lives in R^{self.dimension}"
            )
        f = _avoid_bound(self._formula, dom)
        ring = PolyRing(tuple(dict.fromkeys((*f.ring.names, *self._vars, *dom))))
        f = f.in_ring(ring)
        g = substitute(f, {v: p.in_ring(ring) for v, p in zip(self._vars, polys, strict=True)})
        return SemialgebraicSet(g, dom)

    @classmethod
    def image(
        cls,
        mapping: object,
        domain: SemialgebraicSet,
        target_variables: object = None,
    ) -> SemialgebraicSet:
        """The image ``{y : E z in domain, y = mapping(z)}`` of a polynomial map.

        ``mapping``: polynomials in ``domain.variables``; ``target_variables``: the coordinates of
        the image (default: the domain's variables, when the map is R^n -> R^n).
        """
        if not isinstance(domain, SemialgebraicSet):
            raise InputTypeError(
                f"the domain must be a SemialgebraicSet, got {type(domain).__name__}"
            )
        polys = _map_polys(mapping, domain._vars)
        if target_variables is None:
            if len(polys) != domain.dimension:
                raise InputError(
                    "the map changes the dimension; give target_variables for the image"
                )
            target_variables = domain._vars
        tgt = _names(target_variables, "target variables")
        if len(tgt) != len(polys):
            raise InputError(
                f"the map has {len(polys)} component(s) but {len(tgt)} target variable(s)"
            )
        used = set(domain._formula.ring.names) | set(domain._vars) | set(tgt)
        fresh = {
            v: (_fresh(v, used) if v in tgt else v) for v in domain._vars
        }  # rename domain variables that clash with target names
        f = _avoid_bound(domain._formula, set(tgt) | set(fresh.values()))
        f = _rename(f, fresh)
        dnames = tuple(fresh[v] for v in domain._vars)
        ring = PolyRing((*tgt, *dnames))
        eqs = [
            Atom(ring.gen(t) - p.compose([ring.gen(d) for d in dnames], ring), "=")
            for t, p in zip(tgt, polys, strict=True)
        ]
        return cls(Exists(dnames, And(f, *eqs).simplify()), tgt)

    # -- topology ------------------------------------------------------------------------------
    def closure_reference(self) -> SemialgebraicSet:
        """The closure by its first-order definition
        ``{x : A e [e > 0 ==> E y (self(y) /\\ |x - y|^2 < e)]}`` (no shortcut)."""
        return SemialgebraicSet(self._closure_formula(self._formula), self._vars)

    def _closure_formula(self, f: Formula, variables: Sequence[str] | None = None) -> Formula:
        """The reference closure formula of ``{x : f}`` over ``variables`` (default: all)."""
        coords = tuple(self._vars if variables is None else variables)
        if not coords:
            return f
        used = set(f.ring.names) | set(self._vars)
        e = _fresh("e", used)
        ys = {v: fresh_name(v, used) for v in coords}
        fy = _rename(_avoid_bound(f, set(ys.values()) | {e}), ys)
        ring = PolyRing((*coords, *ys.values(), e))
        dist = ring.zero()
        for v, y in ys.items():
            dist = dist + (ring.gen(v) - ring.gen(y)) ** 2
        inner = Exists(tuple(ys.values()), And(fy, Atom(dist - ring.gen(e), "<")))
        return ForAll([e], Implies(Atom(ring.gen(e), ">"), inner))

    def _closure_qf(self, f: Formula, budget: BudgetLike = None) -> Formula:
        """Closure formula of a quantifier-free ``f`` using Lemmas 1-7 of docs/sets.md."""
        parts = []
        for d in _disjuncts(f):  # Lemma 2: closure of a finite union
            if _syntactic(d) in ("closed", "both"):  # Lemma 1
                parts.append(d)
                continue
            comps = []
            for c in _components(d):  # Lemma 3: closure of a product
                if _syntactic(c) in ("closed", "both"):
                    comps.append(c)
                else:
                    comps.append(self._closure_conj(c, budget))
            parts.append(And(*comps))
        return _absorb(parts)

    def _closure_conj(self, c: Formula, budget: BudgetLike = None) -> Formula:
        """Closure formula of one conjunction ``c`` (Lemmas 4 and 5 of docs/sets.md).

        For a conjunction of inequality literals (``>``, ``>=``, ``<``, ``<=``, ``!=``; no
        equation) write the inequalities as ``f_i > 0`` / ``f_i >= 0`` and let
        ``C = {f_i >= 0 for all i}``. Then ``cl(c) = (C minus B) union (B intersected with
        cl(c))`` where B is the Fritz John set of Lemma 5 (decided empty by one existential
        sentence per active set J); when B is empty, ``cl(c) = C``. Anything else (equations,
        nested disjunctions, more than a few inequalities) uses the reference definition.
        """
        names = c.free_variables()
        lits = c.args if isinstance(c, And) else (c,)
        graph = _linear_equation(lits)
        if graph is not None:  # Lemma 6: the set lies on a graph {v = g(other variables)}
            eq, v, value = graph
            rest = And(*(a for a in lits if a is not eq))
            sub = substitute(rest.in_ring(c.ring), {v: value}).simplify()
            if sub.is_quantifier_free():
                return And(eq, self._closure_qf(sub, budget)).simplify()
        if not all(isinstance(a, Atom) for a in lits) or any(a.rel == "=" for a in lits):
            return self._closure_formula(c, names)
        ring = c.ring
        fs: list[Poly] = []
        closed_atoms: list[Formula] = []  # {f_i >= 0}, written with the given polynomial
        for a in lits:
            if a.rel == "!=":
                continue
            q = a.poly.in_ring(ring)
            up = a.rel in (">", ">=")
            fs.append(q if up else -q)
            closed_atoms.append(Atom(q, ">=" if up else "<="))
        strict = all(a.rel in ("<", ">", "!=") for a in lits)
        # Lemma 4: for an open set U, cl(U /\ q != 0) = cl(U) (q a nonzero polynomial)
        target = And(*(Atom(q, ">") for q in fs)) if strict else c
        if not fs:
            return TRUE  # only "!=" atoms: a dense open set (Lemma 4 with U = R^n)
        if len(fs) > _MAX_INEQUALITIES:
            return self._closure_formula(target, target.free_variables())
        C = And(*closed_atoms)
        used = set(ring.names) | set(self._vars)
        bad: list[Formula] = []
        for bj in _fritz_john(fs, names, used):  # Lemma 5
            if bj is FALSE:
                continue
            ans = decide(Exists(names, And(C, bj)), budget=budget)
            if ans is not False:  # True or Unknown: keep it (sound either way)
                bad.append(bj)
        if not bad:
            return C
        if decide(Exists(names, c), budget=budget) is False:
            return FALSE  # the closure of the empty set
        B = Or(*bad)
        found = self._points_in_closure(And(C, B), target, names, budget)
        if found is not None:  # finitely many Fritz John points, each decided
            near, total = found
            if len(near) == total:
                return C  # all of them are in the closure: cl(c) = (C minus B) u (C n B) = C
            return Or(And(C, nnf(Not(B))), *near)
        ref = self._closure_formula(target, target.free_variables())
        return Or(And(C, nnf(Not(B))), And(C, B, ref))

    def _points_in_closure(
        self, F: Formula, target: Formula, names: Sequence[str], budget: BudgetLike, limit: int = 6
    ) -> tuple[list[Formula], int] | None:
        """If ``F`` (over ``names``) has at most ``limit`` points: the formulas ``x = p`` of
        those points p that lie in the closure of ``target`` (each decided by the reference
        definition at the point) and the number of points of F; None if F is infinite, too
        large, or a decision ran out of budget."""
        points: list[tuple] = []
        rest = F
        while True:
            p = find_point(rest, names, budget=budget)
            if p is None:
                break
            if isinstance(p, Unknown) or len(points) == limit:
                return None
            points.append(p)
            rest = And(rest, nnf(Not(_point_formula(names, p))))
        ref = SemialgebraicSet(self._closure_formula(target, names), names)
        out = []
        for p in points:
            ans = ref.contains(p, budget=budget)
            if isinstance(ans, Unknown):
                return None
            if ans:
                out.append(_point_formula(names, p))
        return out, len(points)

    def closure(self, *, budget: BudgetLike = None, eliminate: bool = True) -> SemialgebraicSet:
        """The topological closure.

        Shortcuts (proved in docs/sets.md): quantified formulas are first eliminated (closure
        depends on the set only); the closure of a finite union is the union of the closures
        (disjuncts of the negation normal form); the closure of a product is the product of the
        closures (conjuncts sharing no variable; unused coordinates are a factor R^k); a formula
        whose atoms are all non-strict defines a closed set; ``!= 0`` atoms of an open
        conjunction are dropped (their zero sets have empty interior); a conjunction of
        inequalities ``f_i > 0`` / ``f_i >= 0`` has closure ``{f_i >= 0}`` when no point of that
        set satisfies the Fritz John condition (decided by existential sentences). What remains
        uses the reference definition (restricted to the Fritz John points). With ``eliminate``
        the result is made quantifier-free by QE when that succeeds within ``budget`` (one
        deadline for the whole operation).
        """
        budget = _shared(budget)
        f = self._qf(budget)
        if not f.is_quantifier_free():
            return self._maybe_eliminate(self._closure_formula(f), budget, eliminate)
        return self._maybe_eliminate(self._closure_qf(f, budget), budget, eliminate)

    def _maybe_eliminate(self, f: Formula, budget: BudgetLike, eliminate: bool) -> SemialgebraicSet:
        if eliminate and not f.is_quantifier_free():
            g = qe(f, budget=budget)
            if not isinstance(g, Unknown):
                return SemialgebraicSet(g, self._vars)
        return SemialgebraicSet(f, self._vars)

    def interior(self, *, budget: BudgetLike = None) -> SemialgebraicSet:
        """The interior: the complement of the closure of the complement."""
        budget = _shared(budget)
        if _syntactic(self._formula) in ("open", "both"):
            return self
        return self.complement().closure(budget=budget).complement()

    def boundary(self, *, budget: BudgetLike = None) -> SemialgebraicSet:
        """The boundary: closure(S) /\\ closure(complement S) (= closure minus interior)."""
        budget = _shared(budget)
        return self.closure(budget=budget) & self.complement().closure(budget=budget)

    def closure_minus_set(self, *, budget: BudgetLike = None) -> SemialgebraicSet:
        """The points of the closure that are not in the set (its ``sample_point()`` is one)."""
        budget = _shared(budget)
        return self.closure(budget=budget) - SemialgebraicSet(self._qf(budget), self._vars)

    def is_closed(self, *, budget: BudgetLike = None) -> bool | Unknown:
        """Whether the set equals its closure (``closure <= S``, decided)."""
        budget = _shared(budget)
        f = self._qf(budget)
        if _syntactic(f) in ("closed", "both"):
            return True
        cl = self.closure(budget=budget, eliminate=False)
        return decide(ForAll(self._vars, Implies(cl._formula, f)), budget=budget)

    def is_open(self, *, budget: BudgetLike = None) -> bool | Unknown:
        """Whether the set is open (its complement is closed)."""
        budget = _shared(budget)
        f = self._qf(budget)
        if _syntactic(f) in ("open", "both"):
            return True
        return SemialgebraicSet(f, self._vars).complement().is_closed(budget=budget)

    # -- drawing -------------------------------------------------------------------------------
    def plot(
        self,
        ax: Any = None,
        *,
        bounds: Sequence[Sequence[float]] = ((-2, 2), (-2, 2)),
        resolution: int = 300,
        budget: BudgetLike = None,
        color: str = "C0",
        boundary_color: str = "black",
        missing_color: str = "red",
    ) -> Any:
        """Draw a set in the plane with matplotlib (optional dependency) and return the Axes.

        The set is filled (its quantifier-free formula evaluated in floating point on a grid;
        lower-dimensional pieces are drawn as lines along the zero curves of its polynomials),
        its boundary (computed exactly by :meth:`boundary`) is drawn in ``boundary_color``, and
        the points of the closure that are not in the set (:meth:`closure_minus_set`) are drawn
        dashed in ``missing_color``; its exact points are marked by hollow circles when it is
        finite (at most 8 points), otherwise one exact sample point is marked.
        Floating point is used for drawing only. ``bounds``: ((xmin, xmax), (ymin, ymax)) for
        the coordinates ``variables[0]``, ``variables[1]``.
        """
        from .errors import BudgetExhausted

        if self.dimension != 2:
            raise InputError(
                f"plot() draws sets in the plane; this set lives in R^{self.dimension}"
            )
        try:
            (x0, x1), (y0, y1) = ((float(a), float(b)) for a, b in bounds)
        except (TypeError, ValueError):
            raise InputError(
                f"bounds must be ((xmin, xmax), (ymin, ymax)), got {bounds!r}"
            ) from None
        if not (x0 < x1 and y0 < y1) or int(resolution) < 10:
            raise InputError("plot() needs xmin < xmax, ymin < ymax and resolution >= 10")
        try:
            import matplotlib.pyplot as plt
            import numpy as np
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError(
                "SemialgebraicSet.plot() needs matplotlib: pip install 'semialg[plot]' "
                "(or pip install matplotlib)"
            ) from exc
        budget = _shared(budget)
        f = self.formula(budget=budget)
        if isinstance(f, Unknown):
            raise BudgetExhausted(f"no quantifier-free formula for the set: {f.reason}")
        names = self._vars
        box = ((x0, x1), (y0, y1))
        if ax is None:
            _, ax = plt.subplots(figsize=(5, 5))
        n = int(resolution)
        X, Y = np.meshgrid(np.linspace(x0, x1, n), np.linspace(y0, y1, n))
        pts = np.column_stack([X.ravel(), Y.ravel()])
        mask = np.broadcast_to(np.asarray(_float_holds(f, _signs(f, names, pts))), (len(pts),))
        Z = mask.reshape(X.shape).astype(float)
        if Z.any():
            ax.contourf(X, Y, Z, levels=[0.5, 1.5], colors=[color], alpha=0.35)
        step = max((x1 - x0) / n, (y1 - y0) / n)
        for line in _curves(f, names, box, n, thin=step):  # lower-dimensional pieces
            ax.plot(line[:, 0], line[:, 1], color=color, lw=2.5, alpha=0.8)
        bd = self.boundary(budget=budget)
        if bd.defining_formula.is_quantifier_free():
            for line in _curves(bd.defining_formula, names, box, n):
                ax.plot(line[:, 0], line[:, 1], color=boundary_color, lw=1.2)
        missing = self.closure_minus_set(budget=budget)
        if missing.defining_formula.is_quantifier_free():
            for line in _curves(missing.defining_formula, names, box, n):
                ax.plot(line[:, 0], line[:, 1], color=missing_color, lw=1.5, ls="--")
            marks: list[tuple] = []  # all its points if it is finite (at most 8), else one
            rest = missing._qf(budget)
            for _ in range(9):
                p = find_point(rest, names, budget=budget)
                if not isinstance(p, tuple):
                    break
                marks.append(p)
                rest = And(rest, nnf(Not(_point_formula(names, p))))
            else:
                marks = marks[:1]
            if marks:
                ax.plot(
                    [float(m[0]) for m in marks],
                    [float(m[1]) for m in marks],
                    "o",
                    mfc="white",
                    mec=missing_color,
                    ms=7,
                    ls="none",
                    label="in the closure, not in the set",
                )
                ax.legend(loc="upper right", fontsize="small")
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        ax.set_aspect("equal")
        ax.set_xlabel(names[0])
        ax.set_ylabel(names[1])
        return ax


def _latex(f: Formula) -> str:
    from .logic.printing import poly_to_text

    rel = {"<": "<", "<=": r"\le", "=": "=", "!=": r"\ne", ">=": r"\ge", ">": ">"}

    def poly(p: Poly) -> str:
        import re

        s = poly_to_text(p)
        return re.sub(r"\^(\d+)", r"^{\1}", s)

    def op(g: Formula) -> str:
        return tex(g) if isinstance(g, Atom | BooleanConstant | Not) else rf"\left({tex(g)}\right)"

    def tex(g: Formula) -> str:
        if g is TRUE:
            return r"\mathrm{true}"
        if g is FALSE:
            return r"\mathrm{false}"
        if isinstance(g, Atom):
            return f"{poly(g.poly)} {rel[g.rel]} 0"
        if isinstance(g, Not):
            return rf"\neg {op(g.arg)}"
        if isinstance(g, And):
            return r" \wedge ".join(op(a) for a in g.args)
        if isinstance(g, Or):
            return r" \vee ".join(op(a) for a in g.args)
        if isinstance(g, Implies):
            return rf"{op(g.left)} \Rightarrow {op(g.right)}"
        if isinstance(g, QuantifiedFormula):
            q = r"\exists" if g.quantifier == "exists" else r"\forall"
            return rf"{q} {', '.join(g.vars)}\, {op(g.body)}"
        return rf"{op(g.left)} \Leftrightarrow {op(g.right)}"  # type: ignore[attr-defined]

    return tex(f)


# -- drawing (plot) ----------------------------------------------------------------------------
def _numeric(p: Poly, names: Sequence[str]):
    """A float evaluator of ``p`` on NumPy arrays given in the order ``names``."""
    idx = [names.index(n) for n in p.ring.names]
    terms = [(float(c), e) for e, c in p.terms().items()]

    def f(*xs):
        out = 0.0
        for c, e in terms:
            t = c
            for i, k in zip(idx, e, strict=True):
                if k:
                    t = t * xs[i] ** k
            out = out + t
        return out

    return f


def _float_holds(f: Formula, signs: Mapping[Atom, Any]):
    """Truth values (NumPy boolean arrays) of a quantifier-free formula from atom signs."""
    import numpy as np

    if isinstance(f, BooleanConstant):
        return f.value
    if isinstance(f, Atom):
        s = signs[f]
        return {
            "<": s < 0,
            "<=": s <= 0,
            "=": s == 0,
            "!=": s != 0,
            ">=": s >= 0,
            ">": s > 0,
        }[f.rel]
    if isinstance(f, Not):
        return np.logical_not(_float_holds(f.arg, signs))
    if isinstance(f, And):
        out: Any = True
        for a in f.args:
            out = np.logical_and(out, _float_holds(a, signs))
        return out
    if isinstance(f, Or):
        out = False
        for a in f.args:
            out = np.logical_or(out, _float_holds(a, signs))
        return out
    return _float_holds(nnf(f), signs)


def _signs(f: Formula, names: Sequence[str], pts, zero: Poly | None = None, tol: float = 1e-9):
    """Float signs of the atoms of ``f`` at points ``pts`` (an (m, 2) array); the polynomial
    ``zero`` (the curve being drawn) counts as 0, others within ``tol`` (relative) as 0."""
    import numpy as np

    out = {}
    xs = [pts[:, 0], pts[:, 1]]
    scale = 1.0 + np.abs(xs[0]) + np.abs(xs[1])
    for a in f.atoms():
        p = a.poly
        if zero is not None and _same_curve(p, zero):
            out[a] = np.zeros(len(pts))
            continue
        val = _numeric(p, names)(*xs)
        bound = tol * sum(abs(float(c)) for c in p.terms().values()) * scale ** p.total_degree()
        out[a] = np.where(np.abs(val) <= bound, 0.0, np.sign(val))
    return out


def _same_curve(p: Poly, q: Poly) -> bool:
    """Whether p and q are rational multiples of each other (same zero set, same atoms)."""
    return _poly_key_abs(p) == _poly_key_abs(q)


def _poly_key_abs(p: Poly) -> tuple:
    terms = {tuple(zip(p.ring.names, e, strict=True)): c for e, c in p.terms().items() if c}
    terms = {tuple((n, k) for n, k in key if k): c for key, c in terms.items()}
    lead = terms[max(terms)]
    return tuple(sorted((k, c / lead) for k, c in terms.items()))


def _curves(
    f: Formula, names: Sequence[str], bounds, resolution: int, thin: float | None = None
) -> list:
    """Polylines (arrays of points) on the zero curves of the polynomials of the quantifier-free
    ``f`` along which ``f`` holds (numerically; for drawing only). With ``thin``, only where
    ``f`` fails at distance ``thin`` on both sides of the curve (lower-dimensional pieces)."""
    import contourpy
    import numpy as np

    (x0, x1), (y0, y1) = bounds
    # a grid offset by an irrational fraction of a step, so that no node lies on a line x = c
    hx, hy = (x1 - x0) / resolution, (y1 - y0) / resolution
    gx = np.linspace(x0 - hx * 0.4142, x1 + hx * 0.5858, resolution + 2)
    gy = np.linspace(y0 - hy * 0.7321, y1 + hy * 0.2679, resolution + 2)
    X, Y = np.meshgrid(gx, gy)
    lines = []
    seen: list[Poly] = []
    for p in f.polynomials():
        if any(_same_curve(p, q) for q in seen):
            continue
        seen.append(p)
        Z = _numeric(p, names)(X, Y)
        if np.isscalar(Z):
            continue
        for seg in contourpy.contour_generator(X, Y, Z).lines(0.0):
            seg = np.asarray(seg)
            if len(seg) < 2:
                continue
            ok = np.asarray(_float_holds(f, _signs(f, names, seg, zero=p)), dtype=bool)
            ok = np.broadcast_to(ok, (len(seg),))
            if thin is not None:
                tangent = np.gradient(seg, axis=0)
                norm = np.hypot(tangent[:, 0], tangent[:, 1])
                norm[norm == 0] = 1.0
                normal = np.column_stack([-tangent[:, 1], tangent[:, 0]]) / norm[:, None]
                for side in (1.0, -1.0):
                    off = seg + side * thin * normal
                    held = np.asarray(_float_holds(f, _signs(f, names, off)), dtype=bool)
                    ok = ok & ~np.broadcast_to(held, (len(seg),))
            start = None
            for i in range(len(seg) + 1):
                if i < len(seg) and ok[i]:
                    start = i if start is None else start
                elif start is not None:
                    if i - start >= 2:
                        lines.append(seg[start:i])
                    start = None
    return lines
