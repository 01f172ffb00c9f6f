"""Public decision and quantifier elimination: :func:`decide`, :func:`qe` and their detailed forms.

Both accept SymPy Booleans (with :class:`semialg.Exists`/:class:`semialg.ForAll`) and
:mod:`semialg.logic` formulas. The answer is exact; when a caller-given budget runs out the answer
is :class:`~semialg.qe.result.Unknown` with the reason, never a guess.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from ..cad.budget import Budget, as_budget
from ..cad.projection import ProjectionMethod
from ..deadline import HARD_GRACE_SECONDS, hard_stop_available, run_hard_limited
from ..errors import BudgetExhausted, InputError
from ..logic import FALSE, TRUE, And, Atom, BooleanConstant, Formula, Or, nnf, prenex
from ..logic.formula import as_formula, relation_from_signs
from ..poly import PolyRing
from .engine import NullificationSplit, eliminate
from .ordering import order_block
from .prepass import (
    ExistentialPrepass,
    Solver,
    assume,
    known_signs,
    substitute_quotient,
    top_conjuncts,
)
from .result import QEResult, Unknown
from .solution import Implicant, SeparationFailure

MAX_SPLITS = 3  # nullification splits in a row (see _Run._split) before trailing coefficients


class _Run:
    """State shared by the pieces of one QE call: budget, options, statistics."""

    def __init__(self, budget: Budget, method: ProjectionMethod, order, equational: bool):
        self.budget = budget
        self.method = method
        self.order = tuple(order) if order is not None else None
        self.equational = equational
        self.cells = 0
        self.methods: set[str] = set()
        self.notes: list[str] = []
        self.variable_order: tuple[str, ...] = ()

    def cad(
        self,
        free: Sequence[str],
        prefix: Sequence[tuple[str, tuple[str, ...]]],
        matrix: Formula,
        context: Formula = TRUE,
        splits: int = 0,
    ) -> Formula:
        """Quantifier elimination of a prenex formula by partial CAD.

        The answer is only required to be correct where ``context`` holds (see
        :meth:`~semialg.qe.prepass.ExistentialPrepass.exists`); conjuncts of the context in
        variables other than ``free`` are ignored. ``splits``: how many nullification splits
        (:meth:`_split`) led here; at :data:`MAX_SPLITS` the engine projects trailing
        coefficients instead.
        """
        polys = [a.poly for a in matrix.atoms()]
        blocks = [list(free)] + [list(vs) for _, vs in prefix]
        order = self._order(blocks, polys)
        ring = PolyRing(order)
        quantifiers = [q for q, vs in prefix for _ in vs]
        if len(order) > len(self.variable_order):
            self.variable_order = tuple(order)
        usable = [c for c in top_conjuncts(context) if set(c.free_variables()) <= set(free)]
        try:
            result = eliminate(
                ring,
                len(free),
                quantifiers,
                matrix,
                self.budget,
                self.method,
                self.equational,
                context=And(*usable) if usable else TRUE,
                split=splits < MAX_SPLITS,
            )
        except NullificationSplit as split:
            return self._split(free, prefix, matrix.in_ring(ring), context, split, splits)
        self.cells += result.cells
        self.methods.add(result.method)
        self.notes.extend(result.notes)
        if not free:
            return TRUE if result.answer else FALSE
        return implicants_to_formula(result.answer)  # type: ignore[arg-type]

    def _split(
        self,
        free: Sequence[str],
        prefix: Sequence[tuple[str, tuple[str, ...]]],
        matrix: Formula,
        context: Formula,
        split: NullificationSplit,
        splits: int,
    ) -> Formula:
        """Solve on ``h != 0`` and on ``h = 0`` separately, for the factor h of ``split``.

        With h = c v + r (c a nonzero constant), the part on h = 0 is the problem with
        v := -r/c, in one free variable fewer; the part on h != 0 has ``h != 0`` in its context,
        so the free cells where a factor was found to vanish identically are not lifted. The
        answer is ``(h != 0 and outside) or (h = 0 and inside)``; no trailing coefficient is
        projected over the rest of free space. This is the nullification set handled locally
        (see docs/cad-qe.md, "Nullification split off").
        """
        h, v = split.factor, split.variable
        self.cells += split.cells
        self.notes.append(f"split on {h} = 0: {split.cause}")
        outside_context = And(*top_conjuncts(context), Atom(h, "!="))
        outside = self.cad(free, prefix, matrix, outside_context, splits + 1)
        r, c = h.coeffs_in(v)
        inside_matrix = substitute_quotient(matrix, v, -r, c)
        inside_context = substitute_quotient(context, v, -r, c)
        if len(prefix) == 1 and prefix[0][0] == "exists":
            prepass = ExistentialPrepass(self.block_solver(splits + 1), self.notes)
            inside = prepass.exists(prefix[0][1], nnf(inside_matrix), inside_context)
        else:
            rest = [u for u in free if u != v]
            inside = self.cad(rest, prefix, nnf(inside_matrix), inside_context, splits + 1)
        return Or(And(Atom(h, "!="), outside), And(Atom(h, "="), inside)).simplify()

    def block_solver(self, splits: int = 0) -> Solver:
        """The CAD as the pre-pass's solver for one existential block (``splits`` so far)."""

        def solver(vs: tuple[str, ...], m: Formula, context: Formula) -> Formula:
            inner_free = [v for v in m.free_variables() if v not in vs]
            return self.cad(inner_free, [("exists", vs)], m, context, splits)

        return solver

    def _order(self, blocks: list[list[str]], polys) -> list[str]:
        if self.order is None:
            return [v for block in blocks for v in order_block(block, polys)]
        wanted = [v for v in self.order if any(v in b for b in blocks)]
        out = []
        for block in blocks:
            mine = [v for v in wanted if v in block]
            if set(mine) != set(block):
                missing = sorted(set(block) - set(mine))
                raise InputError(f"the variable order {list(self.order)} misses {missing}")
            out.extend(mine)
        if out != wanted:
            raise InputError(
                f"the variable order {list(self.order)} mixes quantifier blocks; free variables "
                "come first, then each block in order"
            )
        return out


def implicants_to_formula(implicants: list[Implicant]) -> Formula:
    """A DNF of sign conditions on polynomials as a formula."""
    disjuncts = []
    for imp in implicants:
        atoms = []
        for p, signs in sorted(imp.items(), key=lambda kv: (kv[0].level(), str(kv[0]))):
            rel = relation_from_signs(signs)
            if rel is True:
                continue
            atoms.append(FALSE if rel is False else Atom(p, rel))
        disjuncts.append(And(*atoms))
    return Or(*disjuncts)


def _solve(run: _Run, formula: Formula, prepass: bool) -> Formula:
    pf = prenex(formula)
    matrix = nnf(pf.matrix)
    free = formula.free_variables()
    prefix = [(q, tuple(v for v in vs if v in matrix.variables())) for q, vs in pf.prefix]
    prefix = [(q, vs) for q, vs in prefix if vs]
    if prepass and len(prefix) == 1:
        q, names = prefix[0]
        body = matrix if q == "exists" else nnf(~matrix)
        result = ExistentialPrepass(run.block_solver(), run.notes)(names, body)
        if q == "forall":
            result = nnf(~result)
        return _within_own_conjuncts(result.simplify())
    return run.cad(list(free), prefix, matrix)


def _within_own_conjuncts(f: Formula) -> Formula:
    """``f`` with the strict signs its own top-level atoms fix taken out of its other parts.

    ``a > 0 and phi`` is ``a > 0 and phi'`` for any phi' equal to phi where a > 0
    (:func:`~semialg.qe.prepass.assume`).
    """
    conjuncts = top_conjuncts(f)
    signs = [c for c in conjuncts if isinstance(c, Atom) and c.rel in (">", "<")]
    if not signs or len(conjuncts) == len(signs):
        return f
    known = known_signs(And(*signs))
    rest = [c if c in signs else assume(c, known) for c in conjuncts]
    return And(*rest).simplify()


POLISH_SECONDS = 10.0


def _polish(run: _Run, result: Formula) -> Formula:
    """Simplify a quantifier-free answer assembled by the pre-passes through one CAD.

    The polishing CAD gets at most :data:`POLISH_SECONDS` (and what is left of the caller's
    budget); if it runs out, the unpolished (equivalent) answer is returned.
    """
    if not (result.is_quantifier_free() and len(result.atoms()) > 1 and result.free_variables()):
        return result
    outer = run.budget
    remaining = None if outer.seconds is None else outer.seconds - outer.elapsed()
    seconds = POLISH_SECONDS if remaining is None else min(POLISH_SECONDS, remaining)
    if seconds <= 0:
        return result
    run.budget = Budget(seconds=seconds, cells=outer.cells)
    try:
        return run.cad(list(result.free_variables()), [], nnf(result))
    except (BudgetExhausted, SeparationFailure):
        run.notes.append("answer not simplified (polishing budget exhausted)")
        return result
    finally:
        run.budget = outer


def qe_detailed(
    formula: object,
    *,
    order: Sequence[str] | None = None,
    method: ProjectionMethod = "lazard",
    budget: Budget | float | None = None,
    equational: bool = True,
    prepass: bool = True,
    hard_budget: bool = False,
) -> QEResult:
    """Quantifier elimination with provenance (see :class:`~semialg.qe.result.QEResult`).

    ``order``: the variable order x_1 < ... < x_n to use (free variables first, then each quantifier
    block in order); by default Brown's heuristic chooses inside each block. ``method``:
    ``"lazard"`` or ``"mccallum"`` (used only where its validity condition holds). ``budget``:
    seconds or a :class:`~semialg.cad.budget.Budget`. ``equational``: use equational constraints.
    ``prepass``: splitting, even powers, linear substitution and virtual substitution before
    the CAD (see :mod:`semialg.qe.prepass`).

    ``hard_budget``: enforce the time budget from outside as well. The budget is checked
    cooperatively between operations, so one long FLINT call (a factorisation, discriminant or
    resultant) can overrun it; with ``hard_budget=True`` (and a time budget) the computation runs
    in a forked child process that is killed :data:`~semialg.deadline.HARD_GRACE_SECONDS` after
    the budget, and the answer is then :class:`~semialg.qe.result.Unknown` with a reason saying
    so. Where ``os.fork`` is missing only the cooperative budget applies.
    """
    f = as_formula(formula)
    if method not in ("lazard", "mccallum"):
        raise InputError(f"unknown projection method {method!r} (use 'lazard' or 'mccallum')")
    bud = as_budget(budget)
    if hard_budget and bud.seconds is not None and hard_stop_available():
        options = dict(order=order, method=method, equational=equational, prepass=prepass)
        return _hard_stopped(f, bud, options)
    run = _Run(bud, method, order, equational)
    if order is not None:  # validate the caller's order even if no CAD ends up being built
        pf = prenex(f)
        run._order([list(f.free_variables())] + [list(vs) for _, vs in pf.prefix], [])
    start = time.perf_counter()
    from ..cad.budget import CURRENT

    token = CURRENT.set(run.budget)
    try:
        answer: object = _solve(run, f, prepass)
        said = " ".join(run.notes)
        if "generic answer instantiated" in said:
            # The polishing CAD would be the CAD of free space that the generic answer avoided.
            run.notes.append("answer not simplified by a CAD (generic answer instantiated)")
        elif any(k in said for k in ("substitution", "split", "replaced")):
            answer = _polish(run, answer)  # type: ignore[arg-type]
        if f.free_variables() and not isinstance(answer, BooleanConstant):
            answer = answer.in_ring(PolyRing(f.free_variables()))  # type: ignore[union-attr]
    except BudgetExhausted as exc:
        answer = Unknown(exc.reason)
    except SeparationFailure as exc:
        answer = Unknown(f"no Tarski solution formula found: {exc}")
    finally:
        CURRENT.reset(token)
    if not run.variable_order:  # no CAD was built (pre-passes decided): the natural order
        bound = [v for _, vs in prenex(f).prefix for v in vs]
        run.variable_order = (*f.free_variables(), *bound)
    return QEResult(
        answer=answer,
        variable_order=run.variable_order,
        cells=run.cells,
        seconds=time.perf_counter() - start,
        method="+".join(sorted(run.methods)) or "pre-pass",
        notes=run.notes,
    )


def _hard_stopped(f: Formula, bud: Budget, options: dict) -> QEResult:
    """:func:`qe_detailed` in a forked child killed shortly after the budget's time is up."""
    start = time.perf_counter()
    left = bud.seconds - bud.elapsed()  # type: ignore[operator]
    try:
        return run_hard_limited(qe_detailed, left, f, budget=bud, **options)
    except BudgetExhausted:
        reason = (
            f"time budget of {bud.seconds:g} s exhausted (hard stop: the computation was still "
            f"inside a call that cannot see the budget {HARD_GRACE_SECONDS:g} s later and was "
            "killed)"
        )
        bound = [v for _, vs in prenex(f).prefix for v in vs]
        return QEResult(
            answer=Unknown(reason),
            variable_order=(*f.free_variables(), *bound),
            cells=bud.used_cells,
            seconds=time.perf_counter() - start,
            method="unknown",
            notes=["stopped by the hard budget"],
        )


def decide_detailed(sentence: object, **options) -> QEResult:
    """Decide a sentence (no free variables), with provenance."""
    f = as_formula(sentence)
    if f.free_variables():
        raise InputError(
            f"decide needs a sentence; free variables {list(f.free_variables())} (use qe)"
        )
    result = qe_detailed(f, **options)
    if not result.is_unknown:
        ans = result.answer
        assert ans is TRUE or ans is FALSE, ans
        result.answer = ans is TRUE
    return result


def find_point(
    formula: object,
    variables: Sequence[str] | None = None,
    *,
    budget: Budget | float | None = None,
) -> tuple | Unknown | None:
    """An exact point satisfying ``formula`` (its free variables in ``variables`` order), or None.

    Coordinates are ``Fraction`` or :class:`~semialg.algebraic.RealAlgebraic`. The search is a
    partial CAD of free-variable space that stops at the first cell where the formula holds
    (rational sample points are tried first); quantified variables are decided on the way.
    """
    from ..algebraic.sample import SamplePoint
    from ..cad.cells import Cell
    from ..cad.plan import ProjectionPlan, lift_with_learning
    from ..cad.projection import Projection
    from .engine import PartialCAD, find_true_leaf
    from .evaluation import FactoredMatrix

    f = as_formula(formula)
    free = list(variables) if variables is not None else list(f.free_variables())
    missing = [v for v in f.free_variables() if v not in free]
    if missing:
        raise InputError(f"free variables {missing} are missing from {free}")
    bud = as_budget(budget)
    pf = prenex(f)
    matrix = nnf(pf.matrix)
    run_ = _Run(bud, "lazard", None, False)
    order = run_._order(
        [free] + [list(vs) for _, vs in pf.prefix], [a.poly for a in matrix.atoms()]
    )
    ring = PolyRing(order)
    quantifiers = [q for q, vs in pf.prefix for _ in vs]
    fm = FactoredMatrix(matrix.in_ring(ring))
    plan = ProjectionPlan(fm.polynomials(), ring)

    def search(projection: Projection) -> Cell | None:
        return find_true_leaf(PartialCAD(ring, len(free), quantifiers, fm, projection, bud))

    try:
        leaf = lift_with_learning(plan, bud, search)
    except BudgetExhausted as exc:
        return Unknown(exc.reason)
    if leaf is None:
        return None
    point: SamplePoint = leaf.sample
    while point.dim < len(free):
        point = point.extend_rational(0)
    coords = dict(zip(order, point.coordinates(), strict=False))
    return tuple(coords[v] for v in free)


def qe(formula: object, **options) -> Formula | Unknown:
    """A quantifier-free formula equivalent to ``formula`` (or :class:`Unknown`)."""
    return qe_detailed(formula, **options).answer


def decide(sentence: object, **options) -> bool | Unknown:
    """``True`` or ``False`` for a sentence (or :class:`Unknown` if the budget runs out)."""
    return decide_detailed(sentence, **options).answer
