"""CAD-based quantifier elimination for one prenex formula: partial CAD and solution formulas.

Given a prenex formula Q_{f+1} x_{f+1} ... Q_n x_n . phi(x_1, ..., x_n) with free variables
x_1, ..., x_f:

1. project the polynomials of phi (Lazard by default; an equation of level n that is a conjunct of
   phi is used as an equational constraint);
2. lift a *partial* CAD (Collins and Hong 1991): a cell whose truth value is already determined by
   the signs known on it is not lifted further; over a quantified level, an existential stack stops
   at its first true cell and a universal one at its first false cell;
3. read off the answer: for a sentence, the truth value of the root cell; otherwise construct a
   solution formula from the truth-valued cells of free-variable space
   (:mod:`semialg.qe.solution`), adding derivatives of projection factors when signatures do not
   separate true from false cells.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..cad.budget import Budget
from ..cad.cells import Cell
from ..cad.lifting import TrailingCoefficientNeeded, build_stack
from ..cad.plan import ProjectionPlan, lift_with_learning
from ..cad.projection import Projection, ProjectionMethod, coefficient_factors
from ..logic import TRUE, And, Atom, Formula
from ..poly import Poly, PolyRing
from .evaluation import FactoredMatrix
from .solution import Leaf, SeparationFailure, construct

MAX_DERIVATIVE_ROUNDS = 6


@dataclass
class PartialCAD:
    """One run of the partial CAD for a prenex formula over a fixed variable order."""

    ring: PolyRing
    num_free: int
    quantifiers: Sequence[str]  # for levels num_free+1 .. n: "exists" / "forall"
    matrix: FactoredMatrix
    projection: Projection
    budget: Budget
    strict: bool = False
    equational: tuple[Poly, ...] = ()
    context: FactoredMatrix | None = None  # free cells where it is false do not matter
    full_signatures: bool = True
    previous: PreviousRun | None = None  # a coarser truth-invariant CAD of free space
    cells: int = 0
    skipped: int = 0  # free cells outside the context
    inherited: int = 0  # free leaves whose truth value came from ``previous``
    leaves: list[Cell] = field(default_factory=list)  # filled by free_leaves
    root: Cell = field(init=False)

    def __post_init__(self) -> None:
        from ..algebraic.sample import SamplePoint

        self.root = Cell(index=(), sample=SamplePoint.origin())

    @property
    def n(self) -> int:
        return self.ring.nvars

    def _stack(self, cell: Cell) -> list[Cell]:
        k = cell.level + 1
        factors = self.projection.factors(k)
        section = list(self.equational) if (self.equational and k == self.n) else None
        children = build_stack(
            cell,
            factors,
            self.budget,
            strict=self.strict,
            section_factors=section,
            projection=self.projection,
        )
        self.cells += len(children)
        return children

    def _truth(self, cell: Cell) -> bool | None:
        return self.matrix.truth(cell.all_signs())

    def evaluate(self, cell: Cell) -> bool:
        """Truth value of the formula's quantified part over a cell of level >= num_free."""
        t = self._truth(cell)
        if t is None:
            if cell.level >= self.n:
                raise AssertionError("all signs are known on a cell of level n")
            children = self._stack(cell)
            ordered = [c for c in children if not c.is_section] + [
                c for c in children if c.is_section
            ]
            if self.quantifiers[cell.level - self.num_free] == "exists":
                t = any(self.evaluate(c) for c in ordered)
            else:
                t = all(self.evaluate(c) for c in ordered)
        cell.truth = t
        return t

    def free_leaves(self) -> list[Cell]:
        """Lift free-variable space until every cell's truth value is known; return the leaves."""
        self.leaves = []
        self._free(self.root, self.leaves, None, () if self.previous else None)
        return self.leaves

    def _free(
        self,
        cell: Cell,
        leaves: list[Cell],
        inherited: bool | None,
        old_index: tuple[int, ...] | None,
    ) -> None:
        """Lift ``cell`` through the free levels; ``old_index``: the index of the cell of
        ``previous`` that contains it (``None`` when unknown)."""
        if self.context is not None and self.context.truth(cell.all_signs()) is False:
            self.skipped += 1  # outside the context: any truth value will do
            return
        t = inherited if inherited is not None else self._truth(cell)
        if t is None and cell.level == self.num_free and old_index is not None:
            assert self.previous is not None
            t = self.previous.truth.get(old_index)
            self.inherited += t is not None
        if t is not None and (cell.level == self.num_free or not self.full_signatures):
            cell.truth = t
            leaves.append(cell)
            return
        if t is None and cell.level == self.num_free:
            self.evaluate(cell)
            leaves.append(cell)
            return
        # With full_signatures, a cell whose truth is already known is still lifted through the
        # free levels (its children inherit the truth value, no quantified level is touched):
        # leaves then carry the signs of all free-level factors, which lets the solution formula
        # use the simplest separating conditions.
        children = self._stack(cell)
        positions = self._old_positions(children) if old_index is not None else None
        for i, child in enumerate(children):
            self._free(child, leaves, t, (*old_index, positions[i]) if positions else None)

    def _old_positions(self, stack: list[Cell]) -> list[int] | None:
        """Positions, in the stacks of ``previous``, of the cells of a stack of free space.

        The projection factors of ``previous`` are among this run's, so each cell lies in one cell
        of ``previous``: count the sections on which some earlier factor vanishes.
        """
        assert self.previous is not None
        old = self.previous.factors[stack[0].level]
        out, pos = [], 1
        for child in stack:
            if any(f not in child.signs for f in old):
                return None
            if child.is_section and any(child.signs[f] == 0 for f in old):
                pos += 1  # onto a section of the earlier factors
            elif pos % 2 == 0:
                pos += 1  # off it, into the next sector
            out.append(pos)
        return out


@dataclass(frozen=True)
class PreviousRun:
    """A completed run's free leaves, for a run whose projection has more factors.

    Adding projection factors (derivatives, for the solution formula) refines the CAD of free
    space: every new cell lies in one earlier cell, whose truth value holds on all of it. So the
    new run reads truth values off the earlier leaves and lifts no quantified level.
    """

    truth: dict[tuple[int, ...], bool]
    factors: dict[int, frozenset[Poly]]  # the earlier run's factors by free level

    @classmethod
    def of(cls, run: PartialCAD) -> PreviousRun:
        return cls(
            {c.index: bool(c.truth) for c in run.leaves},
            {k: frozenset(run.projection.factors(k)) for k in range(1, run.num_free + 1)},
        )

    def refined_by(self, projection: Projection) -> bool:
        """Whether ``projection`` has every earlier factor at its level."""
        return all(fs <= set(projection.factors(k)) for k, fs in self.factors.items())


def choose_equational_constraint(matrix: Formula, ring: PolyRing) -> tuple[Poly, ...]:
    """Factors of an equation of level n that is a top-level conjunct of the NNF matrix.

    Only equations all of whose irreducible factors have level n qualify (a factor of lower level
    would make the equation hold on whole fibres). The one of least degree in x_n is chosen.
    """
    n = ring.nvars
    conjuncts = matrix.args if isinstance(matrix, And) else (matrix,)
    best: tuple[tuple, tuple[Poly, ...]] | None = None
    for a in conjuncts:
        if not isinstance(a, Atom) or a.rel != "=":
            continue
        p = a.poly.in_ring(ring)
        factors = tuple(p.irreducible_factors())
        if not factors or any(f.level() != n for f in factors):
            continue
        key = (p.degree(n - 1), p.total_degree(), len(factors), str(p))
        if best is None or key < best[0]:
            best = (key, factors)
    return best[1] if best else ()


def derivatives(factors: Sequence[Poly]) -> list[Poly]:
    """Non-constant derivatives of projection factors with respect to their main variables."""
    out = []
    for f in factors:
        mv = f.main_variable()
        if mv is None:
            continue
        d = f.diff(mv)
        if not d.is_constant():
            out.append(d)
    return out


def find_true_leaf(run: PartialCAD) -> Cell | None:
    """Lift free-variable space until a cell where the formula holds is found (or none exists).

    A leaf of level < num_free stands for its whole cylinder, which then lies in the set.
    """
    stack = [run.root]
    while stack:
        cell = stack.pop()
        t = run._truth(cell)
        if t is False:
            continue
        if t is True or cell.level == run.num_free:
            if t is True or run.evaluate(cell):
                return cell
            continue
        children = run._stack(cell)
        # prefer full-dimensional cells (rational sample points): push them last
        stack.extend(sorted(children, key=lambda c: c.is_section, reverse=True))
    return None


class NullificationSplit(Exception):
    """A factor may vanish identically over a free cell that lies on ``factor = 0``.

    Raised by :func:`eliminate` (with ``split=True``) instead of projecting the factor's trailing
    coefficient over all of free space. ``factor`` is a free projection factor c v + r with c a
    nonzero constant and v = ``variable``, zero on the cell where all certifying coefficients of
    the failing factor vanish. The caller solves the problem twice: where ``factor != 0`` (a
    context that leaves the cell out) and where ``factor = 0`` (with v := -r/c: one free
    variable fewer), and joins the answers.
    """

    def __init__(self, factor: Poly, variable: str, cause: TrailingCoefficientNeeded):
        self.factor = factor
        self.variable = variable
        self.cause = cause
        self.cells = 0  # cells lifted before the split (set by eliminate)
        super().__init__(f"{cause}; split on {factor} = 0")


def split_factor(
    exc: TrailingCoefficientNeeded, projection: Projection, num_free: int
) -> tuple[Poly, str] | None:
    """A factor to split free space on when lifting raised ``exc``, or ``None``.

    Splitting is only worth it if projecting the trailing coefficients of the failing factors
    would add projection factors. Candidates are the irreducible factors of the failing factors'
    certifying coefficients that vanish on the failing cell, have level <= ``num_free`` and are
    linear with a constant coefficient in one of their variables (so that their zero set can be
    substituted). The one of least total degree and fewest terms is chosen, and in it the
    variable of highest level.
    """
    known = projection.factor_set
    if all(
        set(coefficient_factors(f.trailing_coeff(f.main_variable()))) <= known for f in exc.polys
    ):
        return None  # projecting the trailing coefficients adds no factor: no need to split
    signs = exc.cell.all_signs()
    best: tuple[tuple, tuple[Poly, str]] | None = None
    for f in exc.polys:
        for c in projection.unverified.get(f, ()):
            for g in coefficient_factors(c):
                if signs.get(g) != 0 or g.level() > num_free:
                    continue
                for v in reversed(g.variables()):
                    if g.degree(v) == 1 and g.leading_coeff(v).is_constant():
                        key = (g.total_degree(), len(g.terms()), str(g))
                        if best is None or key < best[0]:
                            best = (key, (g, v))
                        break
    return best[1] if best else None


@dataclass
class EngineResult:
    answer: object  # bool for sentences, list of implicants otherwise
    cells: int
    method: str
    notes: list[str]


def eliminate(
    ring: PolyRing,
    num_free: int,
    quantifiers: Sequence[str],
    matrix: Formula,
    budget: Budget,
    method: ProjectionMethod = "lazard",
    use_equational: bool = True,
    context: Formula = TRUE,
    split: bool = False,
) -> EngineResult:
    """Run the partial CAD on a prenex formula whose matrix is in NNF over ``ring``.

    Returns the truth value (sentences) or a list of implicants over projection factors.
    Raises :class:`~semialg.errors.BudgetExhausted` when the budget runs out. ``context``: a
    quantifier-free formula in the free variables outside which the answer does not matter;
    free cells on which it is false are neither lifted nor constrained by the answer.
    ``split``: when a factor may vanish identically over a free cell, raise
    :class:`NullificationSplit` if :func:`split_factor` finds a factor to split on, instead of
    projecting trailing coefficients.
    """
    fm = FactoredMatrix(matrix.in_ring(ring))
    scope = FactoredMatrix(context.in_ring(ring)) if context is not TRUE and num_free else None
    eqs = choose_equational_constraint(fm.matrix, ring) if use_equational else ()
    if eqs and num_free == ring.nvars:
        eqs = ()
    plan = ProjectionPlan(fm.polynomials(), ring, method, equational=eqs)
    last: PartialCAD | None = None  # the run on the latest projection; earlier ones are freed
    earlier_cells = 0
    previous: PreviousRun | None = None  # the last completed run, before derivatives were added
    inherited = 0

    def lift(projection: Projection) -> object:
        nonlocal last, earlier_cells
        earlier_cells += last.cells if last is not None else 0
        last = run = PartialCAD(
            ring,
            num_free,
            quantifiers,
            fm,
            projection,
            budget,
            strict=plan.strict,
            equational=plan.equational,
            context=scope,
            previous=previous if previous and previous.refined_by(projection) else None,
        )
        if num_free == 0:
            return run.evaluate(run.root)
        try:
            leaves = run.free_leaves()
        except TrailingCoefficientNeeded as exc:
            chosen = split_factor(exc, projection, num_free) if split else None
            if chosen is not None:
                split_off = NullificationSplit(*chosen, exc)
                split_off.cells = earlier_cells + run.cells
                raise split_off from exc
            raise
        budget.check_time()
        return construct([Leaf(c.all_signs(), bool(c.truth)) for c in leaves])

    for rounds in itertools.count(1):
        try:
            answer = lift_with_learning(plan, budget, lift)
            break
        except SeparationFailure as exc:
            assert last is not None
            inherited += last.inherited
            previous = PreviousRun.of(last)
            levels = [k for k in sorted(exc.levels) if k <= num_free]
            new = [
                d
                for d in derivatives([f for k in levels for f in last.projection.factors(k)])
                if d not in plan.extra
            ]
            if not new or rounds > MAX_DERIVATIVE_ROUNDS:
                raise
            plan.notes.append(f"added {len(new)} derivative(s) to separate true and false cells")
            plan.extra.extend(new)
    assert last is not None
    notes = plan.notes
    if inherited + last.inherited:
        notes.append(
            f"truth values of {inherited + last.inherited} free cell(s) taken from the CAD "
            "before derivatives were added"
        )
    if plan.equational:
        notes.append(f"equational constraint {' * '.join(map(str, plan.equational))} = 0")
    if last.skipped:
        notes.append(f"{last.skipped} free cell(s) outside the context {context} not lifted")
    return EngineResult(answer, earlier_cells + last.cells, plan.method, notes)
