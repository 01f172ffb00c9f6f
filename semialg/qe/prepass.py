"""Cheap exact pre-passes for an existential block, applied before any projection.

For ``exists V . phi`` with ``phi`` quantifier-free in negation normal form:

- **Unused variables.** Variables of V that do not occur in phi are dropped.
- **Disjunctions.** ``exists V (A or B)`` is ``(exists V A) or (exists V B)``.
- **Independent parts.** Conjuncts free of V move outside; the rest splits into groups sharing no
  variable of V, ``exists V (A(V1) and B(V2)) = exists V1 A and exists V2 B``.
- **Linear equations (Gauss elimination by virtual substitution).** If a conjunct is
  ``a v + b = 0`` with v in V and a, b free of v (Weispfenning, "The complexity of linear problems
  in fields", J. Symb. Comp. 5, 1988; Loos and Weispfenning, "Applying linear quantifier
  elimination", Comput. J. 36, 1993):

      exists v (a v + b = 0 and psi)
          <=> (a != 0 and psi[v := -b/a]) or (a = 0 and b = 0 and exists v psi).

  An atom ``q ~ 0`` with ``q`` of degree d in v becomes ``a^e q(-b/a) ~ 0`` with e the least even
  integer >= d: a^e > 0 when a != 0, so the relation is unchanged, and a^e q(-b/a) is a
  polynomial. When a is a nonzero constant, the second disjunct is absent.

- **Powers.** If a variable v of V occurs only through v^k (k >= 2, the gcd of its exponents),
  then ``exists v phi(v^k)`` is ``exists w (w >= 0 and phi(w))`` for even k and
  ``exists w phi(w)`` for odd k (v -> v^k maps R onto [0, oo) resp. onto R). The new variable
  keeps the name v. This lowers degrees before projection and often exposes a linear equation.

- **Powers of free variables.** If a free variable u occurs only through u^k (k >= 2), the
  block is solved for w = u^k (with w >= 0 in the context for even k) and u^k is put back into
  the answer (:func:`deflate_free`). Conjuncts split off before, such as u > 0, do not count.
  On the x-axis ellipse problem (a and b occur as a^2 and b^2) this took the benchmark run from
  11.9 s, with the polishing CAD running out, to 0.97 s.

- **Virtual substitution** (:mod:`semialg.qe.vs`; Weispfenning 1997): when every remaining
  variable of the block occurs at most quadratically (after the steps above), the block is
  eliminated by test points instead of a CAD, provided the result stays below a size limit.

- **Generic answers** (from :data:`GENERIC_MIN_FREE` free variables on, where a CAD of free
  space is expensive): a block ``x, y`` with a conic conjunct ``E = 0`` through a point
  polynomial in the free variables is rewritten along the lines through that point
  (:mod:`semialg.qe.conic`), which Gauss elimination turns into one quantified variable; in a
  block of one variable whose atoms are all strict, conjuncts ``p != 0`` are dropped (they only
  exclude finitely many points) for "p is not identically zero"; and one atom of degree <= 4 in
  one variable is eliminated by instantiating the generic answer (:mod:`semialg.qe.univariate`).

- **Context.** The quantifier-free parts split off on the way (a disjunct free of V, a conjunct
  moved outside) are the context of the rest: ``exists V (phi or psi)`` with phi free of V only
  needs ``exists V psi`` where phi is false. Factors whose strict sign the context fixes are taken
  out of the atoms (:func:`assume`), and the CAD gets the context so that it does not lift free
  cells outside it.

What remains is handed to the CAD engine by the caller (``solve``).
"""

from __future__ import annotations

import math
from collections.abc import Callable

from ..cad.budget import check_current
from ..logic import FALSE, TRUE, And, Atom, BooleanConstant, Formula, Or, nnf
from ..poly import Poly

MAX_BRANCHES = 64
GENERIC_MIN_FREE = 3  # free variables from which the generic-answer rules are used

# solver(names, matrix, context): exists names. matrix, where only points satisfying the
# quantifier-free ``context`` (in the free variables) matter: elsewhere any answer will do.
Solver = Callable[[tuple[str, ...], Formula, Formula], Formula]


def map_atoms(f: Formula, fn: Callable[[Atom], Formula]) -> Formula:
    """Apply ``fn`` to every atom of a quantifier-free NNF formula."""
    if isinstance(f, Atom):
        return fn(f)
    if isinstance(f, BooleanConstant):
        return f
    if isinstance(f, And):
        return And(*(map_atoms(g, fn) for g in f.args))
    if isinstance(f, Or):
        return Or(*(map_atoms(g, fn) for g in f.args))
    raise TypeError(f"expected a quantifier-free NNF formula, got {type(f).__name__}")


def substitute_quotient(f: Formula, var: str, num: Poly, den: Poly) -> Formula:
    """``f[var := num/den]`` with every atom multiplied by an even power of ``den``.

    Equivalent to the substitution wherever ``den != 0``.
    """

    def atom(a: Atom) -> Formula:
        d = a.poly.degree(var)
        if d <= 0:
            return a
        return Atom(a.poly.substitute_fraction(var, num, den, d + (d % 2)), a.rel)

    return map_atoms(f, atom)


def _key(p: Poly) -> frozenset:
    """A ring-independent key of a polynomial: its terms by variable name."""
    names = p.ring.names
    return frozenset(
        (tuple((n, e) for n, e in zip(names, exps, strict=True) if e), c)
        for exps, c in p.terms().items()
    )


def known_signs(context: Formula) -> dict[frozenset, int]:
    """Strict signs of irreducible polynomials that the context's top-level conjuncts fix."""
    known: dict[frozenset, int] = {}
    for c in top_conjuncts(context):
        if isinstance(c, Atom) and c.rel in (">", "<"):
            unit, facs = c.poly.factor_list()
            if len(facs) == 1 and facs[0][1] == 1:
                known[_key(facs[0][0])] = (1 if unit > 0 else -1) * (1 if c.rel == ">" else -1)
    return known


def assume(f: Formula, known: dict[frozenset, int]) -> Formula:
    """``f`` with the factors of known sign taken out of its atoms; equivalent where the signs
    hold (``p * g ~ 0`` with p > 0 becomes ``g ~ 0``, and ``p ~ 0`` becomes TRUE or FALSE)."""
    if not known:
        return f

    def atom(a: Atom) -> Formula:
        unit, facs = a.poly.factor_list()
        sign = 1 if unit > 0 else -1
        rest = []
        for g, e in facs:
            s = known.get(_key(g))
            if s is None:
                rest.append((g, e))
            else:
                sign *= s**e
        if len(rest) == len(facs):
            return a
        if not rest:
            return TRUE if a.holds_for_sign(sign) else FALSE
        poly = a.poly.ring.one()
        for g, e in rest:
            poly = poly * g**e
        return Atom(poly if sign > 0 else -poly, a.rel)

    return map_atoms(f, atom).simplify()


def top_conjuncts(f: Formula) -> tuple[Formula, ...]:
    """The top-level conjuncts of ``f``, without ``TRUE`` (none for ``TRUE`` itself)."""
    return tuple(c for c in (f.args if isinstance(f, And) else (f,)) if c is not TRUE)


def _occurs(f: Formula, names: set[str]) -> set[str]:
    return set(f.free_variables()) & names


def _linear_candidate(conjuncts, names: set[str]):
    """The best ``(index, var, a, b)`` with conjunct ``a var + b = 0``; constant ``a`` first."""
    best = None
    for i, c in enumerate(conjuncts):
        if not isinstance(c, Atom) or c.rel != "=":
            continue
        for v in sorted(_occurs(c, names)):
            if c.poly.degree(v) != 1:
                continue
            b, a = c.poly.coeffs_in(v)
            key = (not a.is_constant(), a.total_degree(), b.total_degree(), v)
            if best is None or key < best[0]:
                best = (key, (i, v, a, b))
    return best[1] if best else None


class ExistentialPrepass:
    """Eliminate ``exists V`` from a quantifier-free NNF formula, calling ``solver`` on the rest."""

    def __init__(
        self,
        solver: Solver,
        notes: list[str] | None = None,
        use_vs: bool = True,
        vs_max_atoms: int = 2000,
        use_generic: bool = True,
    ):
        self.solver = solver
        self.branches = 0
        self.notes: list[str] = notes if notes is not None else []
        self.use_vs = use_vs
        self.use_generic = use_generic
        self.vs_max_atoms = vs_max_atoms

    def __call__(self, names: tuple[str, ...], matrix: Formula) -> Formula:
        return self.exists(names, matrix)

    def exists(self, names: tuple[str, ...], matrix: Formula, context: Formula = TRUE) -> Formula:
        """``exists names. matrix``, correct at least where ``context`` holds.

        The context collects the quantifier-free parts met on the way: an answer R for one
        disjunct of ``phi or R`` only matters where phi is false, and for ``phi and R`` only where
        phi is true. The CAD does not lift the cells outside the context ("don't care").
        """
        check_current()
        known = known_signs(context)
        matrix = assume(matrix, known)
        used = _occurs(matrix, set(names))
        names = tuple(v for v in names if v in used)
        if not names or isinstance(matrix, BooleanConstant):
            return matrix
        if isinstance(matrix, Or):
            plain = [d for d in matrix.args if not _occurs(d, set(names))]
            parts = []
            for d in matrix.args:
                others = [nnf(~e) for e in plain if e is not d]
                parts.append(self.exists(names, d, And(context, *others)))
            return Or(*parts)
        conjuncts = top_conjuncts(matrix)
        outside = [c for c in conjuncts if not _occurs(c, set(names))]
        inside = [c for c in conjuncts if _occurs(c, set(names))]
        if outside:
            return And(*outside, self.exists(names, And(*inside), And(context, *outside)))
        groups = _independent_groups(inside, set(names))
        if len(groups) > 1:
            self.notes.append(f"split into {len(groups)} independent parts")
            parts = [
                self.exists(tuple(v for v in names if v in g_vars), And(*g), context)
                for g_vars, g in groups
            ]
            return And(*parts)
        gcds = exponent_gcds(matrix)  # one scan for the free and the bound variables
        if (
            self._generic_applies(matrix, names)
            and len(names) == 2
            and all(gcds.get(v) == 1 for v in names)
        ):
            through_point = self._conic(names, conjuncts, matrix, context)
            if through_point is not None:
                return through_point
        free_power = deflatable_free_variable(matrix, names, gcds)
        if free_power is not None:
            return self._deflate_free(names, matrix, context, *free_power)
        for v in names:
            k = gcds.get(v, 0)
            if k >= 2:
                self.notes.append(f"{v}^{k} replaced by {v}" + (" >= 0" if k % 2 == 0 else ""))
                reduced = _deflate_atoms(matrix, v, k)
                if k % 2 == 0:
                    reduced = reduced & Atom(a_gen(reduced, v), ">=")
                return self.exists(names, reduced, context)
        cand = _linear_candidate(conjuncts, set(names))
        if cand is not None and self.branches < MAX_BRANCHES:
            return self._gauss(names, conjuncts, *cand, context=context)
        if self.use_vs:
            from .vs import count_atoms, eliminate_block  # lazy: vs imports this module

            reduced, rest = eliminate_block(names, matrix, self.vs_max_atoms)
            # Virtual substitution is used when it eliminates the whole block; with variables
            # left over, the remaining CAD measured no faster than the CAD of the original.
            if not rest:
                reduced = assume(reduced, known)
                self.notes.append(
                    f"virtual substitution of {', '.join(names)} ({count_atoms(reduced)} atoms)"
                )
                return reduced
        if len(names) == 1 and self._generic_applies(matrix, names):
            from .univariate import MAX_DEGREE, exists_atom

            v = names[0]
            flat = _flat_conjuncts(matrix)
            nonzero = _open_inequations(flat, {v})
            if nonzero:
                self.notes.append(
                    f"open condition on {v}: "
                    + ", ".join(f"{a.poly} != 0" for a in nonzero)
                    + " exclude only finitely many points"
                )
                rest = And(*(c for c in flat if not any(c is a for a in nonzero)))
                not_null = [_not_identically_zero(a.poly, names) for a in nonzero]
                return And(*not_null, self.exists(names, rest, And(context, *not_null)))
            if isinstance(matrix, Atom) and matrix.poly.degree(v) <= MAX_DEGREE:
                self.notes.append(
                    f"generic answer instantiated for {v} of degree {matrix.poly.degree(v)} "
                    f"in {matrix}"
                )
                return assume(exists_atom(matrix, v), known)
        return self.solver(names, matrix, context)

    def _generic_applies(self, matrix: Formula, names) -> bool:
        """Whether to use the generic-answer rules (conics through a point, one atom in one
        variable): they avoid a CAD of free space, so they are used from
        :data:`GENERIC_MIN_FREE` free variables on; below that the CAD is cheap and its solution
        formula simpler."""
        return self.use_generic and len(set(matrix.free_variables()) - set(names)) >= (
            GENERIC_MIN_FREE
        )

    def _conic(self, names, conjuncts, matrix: Formula, context: Formula) -> Formula | None:
        """``exists x, y`` through a point of a conic conjunct (:mod:`semialg.qe.conic`).

        Used only where nothing cheaper applies: no linear equation, and virtual substitution
        does not eliminate the block (the free powers are not deflated first: that could make
        the point irrational).
        """
        from ..logic.normal_forms import fresh_name
        from .conic import blow_up, quadratic_degree, rational_point

        x, y = names
        if _linear_candidate(conjuncts, set(names)) is not None:
            return None
        for i, c in enumerate(conjuncts):
            if not (isinstance(c, Atom) and c.rel == "=" and quadratic_degree(c.poly, x, y) == 2):
                continue
            point = rational_point(c.poly, x, y)
            if point is None:
                continue
            if self.use_vs:
                from .vs import eliminate_block

                if not eliminate_block(names, matrix, self.vs_max_atoms)[1]:
                    return None
            used = set(matrix.ring.names)
            s, t = fresh_name("s", used), fresh_name("t", used)
            phi = And(*(d for j, d in enumerate(conjuncts) if j != i))
            at_point, lines, upward = blow_up(c.poly, phi, x, y, point, s, t)
            self.notes.append(
                f"conic {c.poly} = 0 through ({point[0]}, {point[1]}): "
                f"{x} = {point[0]} + {s}, {y} = {point[1]} + {t}*{s}"
            )
            return Or(
                at_point, self.exists((s, t), lines, context), self.exists((s,), upward, context)
            )
        return None

    def _deflate_free(self, names, matrix: Formula, context: Formula, u: str, k: int):
        """``exists names. matrix`` solved for w = u^k (see :func:`deflate_free`)."""
        self.notes.append(f"free {u}^{k} replaced by {u}" + (" >= 0" if k % 2 == 0 else ""))
        reduced, reduced_context = deflate_free(matrix, context, u, k)
        return inflate(self.exists(names, reduced, reduced_context), u, k)

    def _gauss(
        self, names, conjuncts, i: int, v: str, a: Poly, b: Poly, context: Formula = TRUE
    ) -> Formula:
        rest = And(*(c for j, c in enumerate(conjuncts) if j != i))
        remaining = tuple(w for w in names if w != v)
        self.notes.append(f"linear substitution {_quotient_text(v, -b, a)}")
        substituted = substitute_quotient(rest, v, -b, a)
        if a.is_constant():
            return self.exists(remaining, substituted, context)
        self.branches += 1
        first = self.exists(remaining, And(Atom(a, "!="), substituted), context)
        second = self.exists(names, And(Atom(a, "="), Atom(b, "="), rest), context)
        return Or(first, second)


def deflatable_free_variable(
    f: Formula, bound=(), gcds: dict[str, int] | None = None
) -> tuple[str, int] | None:
    """A variable u of ``f`` not in ``bound`` with the gcd k >= 2 of its exponents, if any
    (``gcds``: :func:`exponent_gcds` of ``f``, if already computed)."""
    gcds = exponent_gcds(f) if gcds is None else gcds
    for u in f.free_variables():
        k = gcds.get(u, 0) if u not in bound else 0
        if k >= 2:
            return u, k
    return None


def exponent_gcds(f: Formula) -> dict[str, int]:
    """For every variable occurring in the atoms of ``f``, the gcd of its exponents."""
    gcds: dict[str, int] = {}
    for a in f.atoms():
        names = a.poly.ring.names
        for exps in a.poly.raw.to_dict():
            for name, e in zip(names, exps, strict=True):
                if e:
                    gcds[name] = math.gcd(gcds.get(name, 0), int(e))
    return gcds


def deflate_free(matrix: Formula, context: Formula, u: str, k: int) -> tuple[Formula, Formula]:
    """``matrix`` and ``context`` in w = u^k, for a variable u that occurs only through u^k.

    Let psi(w) be equivalent to a formula phi(w) wherever w lies in the image of u -> u^k and
    the returned context holds. Then psi(u^k) is equivalent to phi(u^k) wherever ``context``
    holds. The image is [0, oo) for even k, (0, oo) where the context makes u nonzero. The new
    variable keeps the name u; the conjuncts of ``context`` that are not polynomials in u^k are
    dropped (a weaker context is still a valid one). Redlog's degree decreasing (Dolzmann and
    Sturm, "Redlog: computer algebra meets computer logic", SIGSAM Bulletin 31, 1997) does the
    same.
    """
    gen = a_gen(matrix, u)
    sign = known_signs(context).get(_key(gen))
    kept = []
    for c in top_conjuncts(context):
        if u not in c.free_variables():
            kept.append(c)
        elif _exponent_gcd(c, u) % k == 0:
            kept.append(_deflate_atoms(c, u, k))
    if k % 2 == 0:
        kept.append(Atom(gen, ">" if sign else ">="))
    elif sign:
        kept.append(Atom(sign * gen, ">"))
    return _deflate_atoms(matrix, u, k), And(*kept)


def inflate(f: Formula, u: str, k: int) -> Formula:
    """``f`` with u replaced by u^k: back from :func:`deflate_free`."""
    return map_atoms(
        f, lambda a: Atom(_scale_exponent(a.poly, u, lambda e: e * k), a.rel)
    ).simplify()


def _deflate_atoms(f: Formula, v: str, k: int) -> Formula:
    """``f`` with every power v^(k j) replaced by v^j (k divides every exponent of v)."""
    return map_atoms(f, lambda a: Atom(_scale_exponent(a.poly, v, lambda e: e // k), a.rel))


def _exponent_gcd(f: Formula, v: str) -> int:
    """gcd of the exponents of ``v`` in the atoms of ``f`` (0 if ``v`` does not occur)."""
    g = 0
    for a in f.atoms():
        if v not in a.poly.ring.names:
            continue
        i = a.poly.ring.index(v)
        for exps in a.poly.raw.to_dict():
            g = math.gcd(g, int(exps[i]))
            if g == 1:
                return 1
    return g


def _scale_exponent(p: Poly, v: str, scale: Callable[[int], int]) -> Poly:
    """``p`` with the exponent e of ``v`` in every term replaced by ``scale(e)``."""
    if v not in p.ring.names:
        return p
    i = p.ring.index(v)
    terms = {}
    for exps, c in p.terms().items():
        e = list(exps)
        e[i] = scale(e[i])
        terms[tuple(e)] = c
    return p.ring.from_dict(terms)


def a_gen(f: Formula, v: str) -> Poly:
    """The variable ``v`` as a polynomial of the ring of ``f``."""
    return f.ring.gen(v)


def _quotient_text(v: str, num: Poly, den: Poly) -> str:
    """``v = num/den`` for the notes, with the sign moved to the numerator."""
    if den.is_constant():
        return f"{v} = {num / den.constant_value()}"
    if den.primitive()[0] < 0:
        num, den = -num, -den
    return f"{v} = ({num})/({den})"


def _open_inequations(conjuncts, names: set[str]) -> list[Atom]:
    """The conjuncts ``p != 0`` (p involving ``names``) that can be dropped from an open formula.

    If every atom of the conjunction has a strict relation (<, >, !=), the set it defines in the
    block's variables is open for every value of the free variables. An open set is empty or of
    full dimension, and then the zero set of a polynomial that is not identically zero in the
    block's variables cannot cover it. So ``exists V (O and p != 0)`` is
    ``(exists V O) and p is not identically zero in V``. Returns ``[]`` unless the conjunction is
    open and has such a conjunct.
    """
    if not all(a.rel in ("<", ">", "!=") for c in conjuncts for a in c.atoms()):
        return []
    return [c for c in conjuncts if isinstance(c, Atom) and c.rel == "!=" and _occurs(c, names)]


def _flat_conjuncts(f: Formula) -> list[Formula]:
    """The conjuncts of ``f``, with nested conjunctions flattened."""
    if isinstance(f, And):
        return [c for g in f.args for c in _flat_conjuncts(g)]
    return [] if f is TRUE else [f]


def _not_identically_zero(p: Poly, names) -> Formula:
    """``p`` is not the zero polynomial in the variables ``names``: some coefficient is nonzero."""
    coeffs = [p]
    for v in names:
        coeffs = [c for q in coeffs for c in q.coeffs_in(v) if not c.is_zero]
    return Or(*(Atom(c, "!=") for c in coeffs))


def _independent_groups(conjuncts, names: set[str]) -> list[tuple[set[str], list[Formula]]]:
    """Group conjuncts into classes connected by shared variables of ``names``."""
    groups: list[tuple[set[str], list[Formula]]] = []
    for c in conjuncts:
        vs = _occurs(c, names)
        merged_vars, merged = set(vs), [c]
        keep = []
        for g_vars, g in groups:
            if g_vars & merged_vars:
                merged_vars |= g_vars
                merged = g + merged
            else:
                keep.append((g_vars, g))
        groups = [*keep, (merged_vars, merged)]
    return groups


__all__ = ["FALSE", "TRUE", "ExistentialPrepass", "map_atoms", "substitute_quotient"]
