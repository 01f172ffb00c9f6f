"""Independent oracles that check answers of :func:`semialg.qe.api.decide` and ``qe``.

What each oracle establishes (and what it cannot):

* :func:`z3_decide` / :func:`check_decision`: z3's ``nlsat`` is a complete decision procedure
  for existential and universal sentences of nonlinear real arithmetic, so a definite z3
  answer that *disagrees* is strong evidence of a bug (in one of the two tools). z3 often
  answers ``unknown`` on alternating sentences and on hard inputs; ``unknown`` carries no
  information and the check passes silently. Agreement is not a proof of correctness.
* :func:`check_qe_at_points`: compares a quantifier-free answer ``psi(x)`` with z3's decision of
  the original formula at finitely many rational points ``x0`` (``psi(x0)`` is evaluated
  exactly). It can refute ``psi`` but only ever tests finitely many points: boundaries of
  lower dimension (where most QE bugs live) are hit only if the points are chosen on them.
* :func:`numeric_counterexample_search` / :func:`check_qe_numerically`: random rational points,
  with equations solved for one variable where they have rational solutions. A witness found
  is checked exactly, so it *refutes* a claim; finding none proves nothing.
* QEPCAD B (:mod:`semialg.testing.qepcad`) is a second CAD implementation; see its docstring.

z3 is imported only when a z3 oracle is called (``pip install z3-solver``).
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from ..errors import InputError
from ..logic import (
    FALSE,
    TRUE,
    Formula,
    Not,
    evaluate,
    nnf,
    prenex,
)
from ..logic.formula import as_formula


def _result_answer(answer: object) -> object:
    """Accept a :class:`~semialg.qe.result.QEResult` or a bare answer."""
    return getattr(answer, "answer", answer) if hasattr(answer, "variable_order") else answer


def _is_unknown(answer: object) -> bool:
    return type(answer).__name__ == "Unknown" and hasattr(answer, "reason")


def z3_decide(sentence: object, timeout: float = 10.0) -> bool | None:
    """z3's truth value of a sentence, or ``None`` if z3 answers unknown or times out.

    ``timeout`` is in seconds (per z3 call). Uses :func:`semialg.logic.z3_bridge.z3_decide`
    (tactic ``simplify; nlqsat``, then ``QF_NRA`` on the matrix of one-block sentences).
    Exceptions raised inside z3 are reported as ``None``.
    """
    from ..logic import z3_bridge

    f = as_formula(sentence)
    try:
        return z3_bridge.z3_decide(f, timeout_ms=max(1, int(timeout * 1000)))
    except InputError:
        raise
    except Exception as exc:  # z3 raises Z3Exception for resource limits and tactic failures
        if type(exc).__name__ == "Z3Exception":
            return None
        raise


def check_decision(sentence: object, answer: object, timeout: float = 10.0) -> bool | None:
    """Raise :class:`AssertionError` if z3 decides ``sentence`` and disagrees with ``answer``.

    ``answer`` is ``True``/``False`` (or a :class:`~semialg.qe.result.QEResult` holding one).
    Returns z3's verdict (``None`` when z3 answered unknown; the check then passes), so callers
    can count how often the oracle had an opinion. An ``Unknown`` answer is rejected with
    :class:`ValueError`: there is nothing to check.
    """
    ans = _result_answer(answer)
    if _is_unknown(ans):
        raise ValueError(f"check_decision got an unknown answer ({ans}); nothing to check")
    if ans is TRUE or ans is FALSE:
        ans = ans is TRUE
    if not isinstance(ans, bool):
        raise TypeError(f"check_decision needs True or False, got {ans!r}")
    f = as_formula(sentence)
    verdict = z3_decide(f, timeout)
    if verdict is not None and verdict != ans:
        raise AssertionError(
            f"semialg decided {ans} but z3 decided {verdict} for the sentence\n  {f}"
        )
    return verdict


@dataclass
class PointCheck:
    """Counts from :func:`check_qe_at_points`: points checked, agreed, z3 unknown."""

    checked: int = 0
    agreed: int = 0
    unknown: int = 0
    points: list[dict[str, Fraction]] = field(default_factory=list)


def _point_fractions(point: Mapping[object, object]) -> dict[str, Fraction]:
    from ..poly import fmpq_to_fraction, to_fmpq

    out = {}
    for k, v in point.items():
        name = k if isinstance(k, str) else getattr(k, "name", str(k))
        out[name] = fmpq_to_fraction(to_fmpq(v))
    return out


def check_qe_at_points(
    formula: object,
    qe_result: object,
    points: Iterable[Mapping[object, object]],
    timeout: float = 10.0,
) -> PointCheck:
    """Compare a QE answer with z3 at rational points of the free variables.

    ``formula``: the quantified formula ``Q y. phi(x, y)`` (free variables ``x``);
    ``qe_result``: its claimed quantifier-free equivalent ``psi(x)`` (a formula or a
    :class:`~semialg.qe.result.QEResult`). At each point ``x0`` (a mapping giving every free
    variable of ``formula`` a rational value), ``psi(x0)`` is evaluated exactly and
    ``Q y. phi(x0, y)`` is decided by z3 (z3 substitutes the point itself). A definite
    disagreement raises :class:`AssertionError` naming the point; z3 ``unknown`` is counted and
    skipped. Proves nothing beyond the points checked.
    """
    from ..logic import z3_bridge

    f = as_formula(formula)
    psi = _result_answer(qe_result)
    if _is_unknown(psi):
        raise ValueError(f"check_qe_at_points got an unknown answer ({psi}); nothing to check")
    psi = as_formula(psi)
    extra = [v for v in psi.free_variables() if v not in f.free_variables()]
    if extra:
        raise AssertionError(
            f"the QE answer mentions {extra}, which are not free in the formula: {psi}"
        )
    report = PointCheck()
    for raw in points:
        point = _point_fractions(raw)
        missing = [v for v in f.free_variables() if v not in point]
        if missing:
            raise InputError(f"the point {point} gives no value for {missing}")
        ours = evaluate(psi, {k: v for k, v in point.items() if k in psi.ring.names})
        try:
            theirs = z3_bridge.z3_evaluate(
                f,
                {k: v for k, v in point.items() if k in f.free_variables()},
                timeout_ms=max(1, int(timeout * 1000)),
            )
        except Exception as exc:
            if type(exc).__name__ != "Z3Exception":
                raise
            theirs = None
        report.checked += 1
        report.points.append(point)
        if theirs is None:
            report.unknown += 1
            continue
        if ours != theirs:
            shown = ", ".join(f"{k} = {v}" for k, v in point.items())
            raise AssertionError(
                f"QE answer is {ours} but z3 decides the formula {theirs} at {shown}\n"
                f"  formula: {f}\n  answer:  {psi}"
            )
        report.agreed += 1
    return report


# -- numeric (sampling) oracle ---------------------------------------------------------------


@dataclass(frozen=True)
class Counterexample:
    """A point refuting a claim: ``free`` values, the ``witness`` values of the bound block,
    and what was refuted (``claimed`` is the claim's truth value at ``free``)."""

    free: dict[str, Fraction]
    witness: dict[str, Fraction]
    claimed: bool
    message: str

    def __str__(self) -> str:
        return self.message


def _show(point: Mapping[str, object]) -> str:
    return "{" + ", ".join(f"{k} = {v}" for k, v in point.items()) + "}" if point else "{}"


def _random_rational(rng: random.Random, bound: int, max_denominator: int) -> Fraction:
    """A random rational in [-bound, bound]; half of the draws lie in [-1, 1]."""
    den = rng.randint(1, max_denominator)
    scale = bound if rng.random() < 0.5 else 1
    return Fraction(rng.randint(-scale * den, scale * den), den)


def _rational_roots(p: object) -> list[Fraction]:
    """Rational roots of a univariate :class:`Poly` (from its linear factors over Q)."""
    _, factors = p.factor_list()  # type: ignore[attr-defined]
    out = []
    for f, _ in factors:
        if f.total_degree() == 1:
            (var,) = f.variables()
            c1 = f.coeffs_in(var)
            lo, hi = c1[0].constant_value(), c1[1].constant_value()
            out.append(-lo / hi)
    return out


def _approximate_real_roots(p: object) -> list[Fraction]:
    """Rational approximations (to about 1e-12) of the real roots of a univariate ``Poly``."""
    import flint

    u = p.to_univariate()  # type: ignore[attr-defined]
    if isinstance(u, flint.fmpq_poly):
        u = flint.fmpz_poly([int(c * u.denom()) for c in u.coeffs()])
    if u.degree() < 1:
        return []
    out = []
    try:
        roots = u.complex_roots()
    except Exception:  # pragma: no cover - flint failure on pathological input
        return []
    for r, _ in roots:
        if r.imag.contains(0) and abs(float(r.imag.mid())) < 1e-9:
            out.append(Fraction(float(r.real.mid())).limit_denominator(10**12))
    return out


def _sample_witness(
    rng: random.Random,
    matrix: Formula,
    point: dict[str, Fraction],
    bound: Sequence[str],
    value_bound: int,
    max_denominator: int,
) -> dict[str, Fraction]:
    """Values for ``bound``: equations are solved for one of their variables where possible."""
    values: dict[str, Fraction] = {}
    targets = [a for a in matrix.atoms() if a.rel in ("=", "<=", ">=")]
    rng.shuffle(targets)
    for atom in targets:
        if rng.random() < 0.15:  # sometimes leave a boundary unsolved
            continue
        known = {**point, **values}
        p = atom.poly.subs({k: v for k, v in known.items() if k in atom.poly.variables()})
        open_vars = [v for v in bound if v in p.variables() and v not in values]
        if not open_vars:
            continue
        target = rng.choice(open_vars)
        others = {v: _random_rational(rng, value_bound, max_denominator) for v in open_vars}
        del others[target]
        q = p.subs(others)
        if q.is_constant():
            continue
        roots = _rational_roots(q) or (_approximate_real_roots(q) if rng.random() < 0.5 else [])
        if not roots:
            continue
        values.update(others)
        values[target] = rng.choice(roots)
    for v in bound:
        if v not in values:
            values[v] = _random_rational(rng, value_bound, max_denominator)
    return values


def numeric_counterexample_search(
    formula: object,
    claim: object,
    *,
    samples: int = 200,
    witnesses: int = 20,
    seed: int = 0,
    bound: int = 4,
    max_denominator: int = 8,
    free_points: Iterable[Mapping[object, object]] | None = None,
) -> Counterexample | None:
    """Look for a rational point that refutes ``claim`` as an equivalent of ``formula``.

    ``formula`` is ``exists y. phi(x, y)`` or ``forall y. phi(x, y)`` (one quantifier kind;
    nested blocks of the same kind are fine) with free variables ``x`` (possibly none);
    ``claim`` is the claimed quantifier-free equivalent ``psi(x)`` (``TRUE``/``FALSE`` or a
    bool for sentences; a :class:`~semialg.qe.result.QEResult` is accepted). For each sampled
    ``x0`` (``samples`` random rationals, or ``free_points``) where the claim says *false* for
    an existential formula, up to ``witnesses`` candidate ``y0`` are tried (``samples *
    witnesses`` for a sentence); ``phi(x0, y0)``
    exactly true refutes the claim. Dually for a universal formula where the claim says true.
    Candidate ``y0`` come from random rationals with equations (and non-strict inequalities)
    solved for one of their variables when they have rational roots.

    Returns the first :class:`Counterexample`, or ``None``. Only refutes: ``None`` proves
    nothing (the search never checks the other direction, which needs a decision procedure).
    """
    f = as_formula(formula)
    claimed = _result_answer(claim)
    if _is_unknown(claimed):
        raise ValueError(f"the claim is unknown ({claimed}); nothing to refute")
    if isinstance(claimed, bool):
        claimed = TRUE if claimed else FALSE
    psi = as_formula(claimed)
    pf = prenex(f)
    kinds = {q for q, _ in pf.prefix}
    if len(kinds) > 1:
        raise InputError("numeric_counterexample_search needs one kind of quantifier")
    universal = kinds == {"forall"}
    bound_vars = [v for _, vs in pf.prefix for v in vs]
    # exists y. phi  is refuted by a witness of phi; forall y. phi by a witness of ~phi.
    matrix = nnf(Not(pf.matrix)) if universal else nnf(pf.matrix)
    free = list(f.free_variables())
    rng = random.Random(seed)
    if free_points is None:
        pts: Iterable[dict[str, Fraction]] = (
            {v: _random_rational(rng, bound, max_denominator) for v in free}
            for _ in range(samples if free else 1)
        )
    else:
        pts = (_point_fractions(p) for p in free_points)
    for x0 in pts:
        claim_value = evaluate(psi, {k: v for k, v in x0.items() if k in psi.ring.names})
        # existential: refutable where psi(x0) is false; universal: where psi(x0) is true
        if claim_value != universal:
            continue
        for _ in range(witnesses if free else witnesses * samples):
            y0 = _sample_witness(rng, matrix, x0, bound_vars, bound, max_denominator)
            full = {**x0, **y0}
            if evaluate(matrix, {k: v for k, v in full.items() if k in matrix.ring.names}):
                what = "true" if not universal else "false"
                message = (
                    f"the claim {psi} is {claim_value} at {_show(x0)}, but the matrix is "
                    f"{'false' if universal else 'true'} at {_show(y0)}, so the formula is "
                    f"{what} there\n  formula: {f}"
                )
                return Counterexample(dict(x0), y0, claim_value, message)
    return None


def check_qe_numerically(formula: object, claim: object, **options: object) -> None:
    """Raise :class:`AssertionError` if :func:`numeric_counterexample_search` refutes ``claim``.

    Same arguments as :func:`numeric_counterexample_search`. Passing means only that no
    counterexample was found.
    """
    found = numeric_counterexample_search(formula, claim, **options)  # type: ignore[arg-type]
    if found is not None:
        raise AssertionError(f"numeric counterexample: {found}")


def equivalence_sentence(
    left: object, right: object, variables: Sequence[str] | None = None
) -> Formula:
    """``forall variables. left <==> right`` (default: all free variables of both)."""
    from ..logic import Equivalent, ForAll

    a, b = as_formula(left), as_formula(right)
    present = set(a.free_variables()) | set(b.free_variables())
    if variables is None:
        names = list(dict.fromkeys(a.free_variables() + b.free_variables()))
    else:
        names = [n for n in variables if n in present]
    return ForAll(names, Equivalent(a, b)) if names else Equivalent(a, b)


__all__ = [
    "Counterexample",
    "PointCheck",
    "check_decision",
    "check_qe_at_points",
    "check_qe_numerically",
    "equivalence_sentence",
    "numeric_counterexample_search",
    "z3_decide",
]
