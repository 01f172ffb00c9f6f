"""Translation to z3 and decision of sentences with z3 (an independent oracle for tests).

z3 (``pip install z3-solver``) is a test/benchmark extra, not a runtime dependency: it is imported
only when these functions are called. z3's ``nlsat`` procedure is complete for existential (and so
universal) sentences of nonlinear real arithmetic (D. Jovanović, L. de Moura, "Solving non-linear
arithmetic", IJCAR 2012); alternating sentences go to the ``nlqsat`` tactic, which may answer
``unknown``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import InputError, InputTypeError
from ..poly import Poly
from .formula import (
    And,
    Atom,
    BooleanConstant,
    Equivalent,
    Formula,
    Implies,
    Not,
    Or,
    QuantifiedFormula,
)
from .normal_forms import prenex


def _z3():
    try:
        import z3
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "the z3 bridge needs z3-solver (pip install z3-solver, or semialg[test])"
        ) from exc
    return z3


def _poly_to_z3(z3: Any, p: Poly, env: Mapping[str, Any]) -> Any:
    names = p.ring.names
    terms = []
    for exps, c in p.terms().items():
        factors = [env[n] for n, e in zip(names, exps, strict=True) for _ in range(e)]
        coeff = z3.Q(c.numerator, c.denominator) if c.denominator != 1 else z3.RealVal(c.numerator)
        if not factors:
            terms.append(coeff)
        elif c == 1:
            terms.append(factors[0] if len(factors) == 1 else z3.Product(*factors))
        else:
            terms.append(z3.Product(coeff, *factors))
    if not terms:
        return z3.RealVal(0)
    return terms[0] if len(terms) == 1 else z3.Sum(*terms)


def to_z3(formula: Formula, variables: Mapping[str, Any] | None = None) -> Any:
    """``formula`` as a z3 ``BoolRef`` with exact rational coefficients.

    ``variables`` maps names of free variables to z3 real terms; by default each free variable
    ``v`` becomes ``z3.Real(v)``. Quantified variables become fresh z3 constants (no capture).
    """
    z3 = _z3()
    if not isinstance(formula, Formula):
        raise InputTypeError(f"expected a Formula, got {type(formula).__name__}")
    env: dict[str, Any] = {}
    for v in formula.free_variables():
        if variables is not None and v in variables:
            env[v] = variables[v]
        elif variables is not None and not isinstance(variables, dict | Mapping):
            raise InputTypeError("variables must map names to z3 terms")
        else:
            env[v] = z3.Real(v)

    def conv(f: Formula, env: dict[str, Any]) -> Any:
        if isinstance(f, BooleanConstant):
            return z3.BoolVal(f.value)
        if isinstance(f, Atom):
            lhs = _poly_to_z3(z3, f.poly, env)
            zero = z3.RealVal(0)
            return {
                "<": lambda: lhs < zero,
                "<=": lambda: lhs <= zero,
                "=": lambda: lhs == zero,
                "!=": lambda: lhs != zero,
                ">=": lambda: lhs >= zero,
                ">": lambda: lhs > zero,
            }[f.rel]()
        if isinstance(f, Not):
            return z3.Not(conv(f.arg, env))
        if isinstance(f, And):
            return z3.And(*(conv(a, env) for a in f.args))
        if isinstance(f, Or):
            return z3.Or(*(conv(a, env) for a in f.args))
        if isinstance(f, Implies):
            return z3.Implies(conv(f.left, env), conv(f.right, env))
        if isinstance(f, Equivalent):
            return conv(f.left, env) == conv(f.right, env)
        if isinstance(f, QuantifiedFormula):
            inner = dict(env)
            consts = []
            for v in f.vars:
                c = z3.FreshReal(v)
                inner[v] = c
                consts.append(c)
            body = conv(f.body, inner)
            return (z3.Exists if f.quantifier == "exists" else z3.ForAll)(consts, body)
        raise TypeError(f"not a formula: {f!r}")  # pragma: no cover

    return conv(formula, env)


def _check(z3: Any, solver: Any, expr: Any) -> Any:
    solver.add(expr)
    try:
        return solver.check()
    except z3.Z3Exception:  # pragma: no cover - tactic failure
        return z3.unknown


def _decide_expr(z3: Any, expr: Any, timeout_ms: int) -> bool | None:
    """Decide a closed z3 formula: ``simplify``, then the tactic ``simplify; nlqsat``."""
    simple = z3.simplify(expr)
    if z3.is_true(simple):
        return True
    if z3.is_false(simple):
        return False
    tactic = z3.Then(z3.Tactic("simplify"), z3.Tactic("nlqsat"))
    r = _check(z3, z3.TryFor(tactic, int(timeout_ms)).solver(), expr)
    if r == z3.unknown:
        return None
    return r == z3.sat


def z3_decide(sentence: Formula, timeout_ms: int = 10_000) -> bool | None:
    """Truth value of a sentence according to z3, or ``None`` if z3 answers ``unknown``.

    The sentence is translated as it is (no semialg normal form on this path) and given to z3's
    tactic ``simplify; nlqsat``, which is complete for existential sentences and usually decides
    small alternating ones. If it answers ``unknown``, a sentence with quantifiers of one kind
    has its prenex matrix (or its negation) checked by the ``QF_NRA`` solver, and any other by
    z3's default solver. ``timeout_ms`` bounds each z3 call; a timeout gives ``None``.
    """
    z3 = _z3()
    if not isinstance(sentence, Formula):
        raise InputTypeError(f"expected a Formula, got {type(sentence).__name__}")
    if not sentence.is_sentence():
        raise InputError(
            f"z3_decide needs a sentence; free variables {list(sentence.free_variables())}"
        )
    answer = _decide_expr(z3, to_z3(sentence), timeout_ms)
    if answer is not None:
        return answer
    pf = prenex(sentence)
    kinds = {q for q, _ in pf.prefix}
    if len(kinds) != 1:
        solver = z3.Solver()
        solver.set("timeout", int(timeout_ms))
        r = _check(z3, solver, to_z3(sentence))
        return None if r == z3.unknown else r == z3.sat
    universal = kinds == {"forall"}
    solver = z3.SolverFor("QF_NRA")
    solver.set("timeout", int(timeout_ms))
    r = _check(z3, solver, to_z3(Not(pf.matrix) if universal else pf.matrix))
    if r == z3.unknown:
        return None
    return (r == z3.unsat) if universal else (r == z3.sat)


def z3_evaluate(
    formula: Formula, point: Mapping[object, object], timeout_ms: int = 10_000
) -> bool | None:
    """z3's truth value of ``formula`` at a rational ``point`` (``None``: z3 answers unknown).

    The point is substituted by z3 (free variables become z3 rational constants), so this is
    independent of :meth:`Formula.substitute` and :func:`semialg.logic.evaluate`.
    """
    z3 = _z3()
    from ..poly import fmpq_to_fraction, to_fmpq

    values: dict[str, Any] = {}
    for k, v in point.items():
        name = k if isinstance(k, str) else getattr(k, "name", str(k))
        q = fmpq_to_fraction(to_fmpq(v))
        values[name] = z3.Q(q.numerator, q.denominator)
    missing = [v for v in formula.free_variables() if v not in values]
    if missing:
        raise InputError(f"the point gives no value for the free variable(s) {missing}")
    return _decide_expr(z3, to_z3(formula, values), timeout_ms)


__all__ = ["to_z3", "z3_decide", "z3_evaluate"]
