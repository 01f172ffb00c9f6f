"""Differential tests of decision and quantifier elimination against z3 and QEPCAD B.

* Random existential, universal and (small) alternating sentences, 2-4 variables, degree <= 4:
  :func:`semialg.qe.api.decide` (budget :data:`BUDGET`) and z3 must agree. Examples where the
  engine answers ``unknown`` are skipped but counted: at most :data:`MAX_UNKNOWN_FRACTION` of a
  campaign may be unknown. Examples where z3 answers unknown are skipped.
* Random ``exists y. phi(x, y)`` (1-2 free, 1-2 bound variables): the QE answer is evaluated
  exactly at rational points (random ones and rational points on its own boundary) and compared
  with z3's decision of the formula at those points, and a numeric witness search tries to
  refute it.
* A fixed list of QE problems (``benchmarks/problems/*.qepcad`` tagged ``diff``, shared with
  ``benchmarks/bench_qe.py``): semialg's answer must be equivalent to QEPCAD B's, decided
  exactly by semialg and checked at 20 random rational points. QEPCAD answers given with a
  McCallum validity warning are recorded (a ``UserWarning``), not used as ground truth.

Example counts scale with the hypothesis profile (``ci``: 40 examples per ``max_examples`` unit,
deterministic; ``soak``: 1000).
"""

from __future__ import annotations

import random
import warnings
from collections import Counter
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from semialg.logic import Formula, evaluate
from semialg.qe.api import decide_detailed, qe_detailed
from semialg.testing import (
    check_decision,
    check_qe_at_points,
    check_qe_numerically,
    equivalence_sentence,
    qepcad_available,
    qepcad_qe,
)
from semialg.testing.qepcad import read_problem_directory
from semialg.testing.strategies import formulas_with_free_variables, rational_points, sentences

#: Seconds the engine gets per random example.
BUDGET = 20.0
#: Seconds z3 gets per call.
Z3_TIMEOUT = 10.0
#: The largest tolerated fraction of engine ``unknown`` answers in a campaign.
MAX_UNKNOWN_FRACTION = 0.1

PROBLEMS = Path(__file__).resolve().parent.parent / "benchmarks" / "problems"

pytestmark = pytest.mark.oracle


def _examples(per_40: int) -> int:
    """``per_40`` examples under the ci profile (40), scaled for other profiles."""
    return max(3, settings.default.max_examples * per_40 // 40)


def _campaign(strategy: st.SearchStrategy, examples: int, check: Callable) -> Counter:
    """Run ``check(example, stats)`` over ``examples`` examples; return the statistics."""
    stats: Counter = Counter()

    @settings(max_examples=examples)
    @given(strategy)
    def run(example: Formula) -> None:
        stats["examples"] += 1
        check(example, stats)

    run()
    return stats


def _assert_few_unknown(stats: Counter) -> None:
    total = stats["examples"]
    assert total > 0
    assert stats["engine unknown"] <= max(1, MAX_UNKNOWN_FRACTION * total), (
        f"the engine answered unknown on {stats['engine unknown']} of {total} examples "
        f"(budget {BUDGET} s): {dict(stats)}"
    )


def _check_sentence(sentence: Formula, stats: Counter) -> None:
    result = decide_detailed(sentence, budget=BUDGET)
    if result.is_unknown:
        stats["engine unknown"] += 1
        return
    verdict = check_decision(sentence, result.answer, timeout=Z3_TIMEOUT)
    stats["z3 unknown" if verdict is None else "agreed"] += 1
    stats[f"answer {result.answer}"] += 1


# -- random sentences against z3 ------------------------------------------------------------------

# Existential matrices are conjunctions and universal ones disjunctions, with half of the atoms
# over +-(sums of squares) + c: random sentences are otherwise almost always true (E) or false
# (A), which tests little. The alternating campaign uses all connectives.
_E = {"prefix": "E", "connectives": ("and", "not"), "square_bias": 0.5}
_A = {"prefix": "A", "connectives": ("or", "not"), "square_bias": 0.5}
SENTENCE_CAMPAIGNS = {
    # name: (strategy, examples per 40 of the profile)
    "E-2vars-deg4": (sentences(num_vars=2, max_degree=4, max_atoms=3, **_E), 60),
    "A-2vars-deg4": (sentences(num_vars=2, max_degree=4, max_atoms=3, **_A), 60),
    "E-3vars-deg3": (sentences(num_vars=3, max_degree=3, max_atoms=3, **_E), 40),
    "A-3vars-deg2": (sentences(num_vars=3, max_degree=2, max_atoms=3, **_A), 40),
    "E-4vars-deg2": (sentences(num_vars=4, max_degree=2, max_atoms=3, **_E), 30),
    "A-4vars-deg2": (sentences(num_vars=4, max_degree=2, max_atoms=3, **_A), 30),
    "alternating-2-3vars-deg2": (
        sentences(num_vars=(2, 3), max_degree=2, max_atoms=2, square_bias=0.3),
        40,
    ),
}


@pytest.mark.parametrize("name", list(SENTENCE_CAMPAIGNS))
def test_decide_agrees_with_z3(name: str) -> None:
    strategy, per_40 = SENTENCE_CAMPAIGNS[name]
    stats = _campaign(strategy, _examples(per_40), _check_sentence)
    _assert_few_unknown(stats)
    assert stats["agreed"] >= stats["examples"] // 2, f"z3 rarely had an opinion: {dict(stats)}"
    # both truth values occur, so the campaign is not a constant test
    assert stats["answer True"] and stats["answer False"], dict(stats)
    print(name, dict(stats))


# -- random QE problems at rational points ---------------------------------------------------------


def _boundary_points(psi: Formula, free: tuple[str, ...], rng: random.Random) -> list[dict]:
    """Rational points on or next to the zero sets of the answer's polynomials (1 free var:
    their rational roots; otherwise roots along a random rational line in the first variable)."""
    from semialg.testing.oracles import _rational_roots

    points = []
    for atom in psi.atoms():
        p = atom.poly
        fixed = {v: Fraction(rng.randint(-3, 3), rng.randint(1, 3)) for v in free[1:]}
        q = p.subs({k: v for k, v in fixed.items() if k in p.variables()})
        if q.is_constant() or q.variables() != (free[0],):
            continue
        for r in _rational_roots(q):
            for delta in (0, Fraction(1, 97), -Fraction(1, 97)):
                points.append({free[0]: r + delta, **fixed})
    return points


@st.composite
def _qe_problems(draw: st.DrawFn) -> tuple[Formula, list[dict]]:
    nfree = draw(st.integers(1, 2))
    nbound = draw(st.integers(1, 2))
    f = draw(
        formulas_with_free_variables(
            free=nfree, bound=nbound, prefix="E", max_degree=2 if nbound == 2 else 3, max_atoms=3
        )
    )
    names = [v for v in ("a", "b")[:nfree]]
    pts = draw(st.lists(rational_points(names, bound=3, max_denominator=3), min_size=6, max_size=6))
    return f, pts


def _check_qe(problem: tuple[Formula, list[dict]], stats: Counter) -> None:
    formula, points = problem
    result = qe_detailed(formula, budget=BUDGET)
    if result.is_unknown:
        stats["engine unknown"] += 1
        return
    psi = result.answer
    free = tuple(v for v in ("a", "b") if v in formula.free_variables()) or ("a",)
    points = [{k: v for k, v in p.items() if k in free} for p in points]
    rng = random.Random(len(str(formula)))
    points += _boundary_points(psi, free, rng)[:12]
    report = check_qe_at_points(formula, psi, points, timeout=Z3_TIMEOUT)
    stats["points"] += report.checked
    stats["z3 unknown points"] += report.unknown
    check_qe_numerically(formula, psi, samples=30, witnesses=10, seed=1)
    stats["agreed"] += 1


def test_qe_agrees_with_z3_at_points() -> None:
    stats = _campaign(_qe_problems(), _examples(40), _check_qe)
    _assert_few_unknown(stats)
    assert stats["z3 unknown points"] <= stats["points"] // 4, dict(stats)


@st.composite
def _qe_problems_with_a_free_power(draw: st.DrawFn) -> tuple[Formula, list[dict]]:
    """A random QE problem with the free variable a replaced by a^2 or a^3, so that the
    pre-pass solves it for w = a^k and puts a^k back (:func:`semialg.qe.prepass.deflate_free`)."""
    f, pts = draw(_qe_problems())
    k = draw(st.sampled_from([2, 3]))
    return f.substitute({"a": f"a^{k}"}), pts


def test_qe_with_a_free_power_agrees_with_z3_at_points() -> None:
    stats = _campaign(_qe_problems_with_a_free_power(), _examples(20), _check_qe)
    _assert_few_unknown(stats)
    assert stats["z3 unknown points"] <= stats["points"] // 4, dict(stats)


# -- fixed problems against QEPCAD B ---------------------------------------------------------------

DIFF_PROBLEMS = [p for p in read_problem_directory(PROBLEMS) if "diff" in p.tags]
QEPCAD_TIMEOUT = 60.0
ENGINE_BUDGET = 60.0
#: QEPCAD answers with a McCallum validity warning met in this session (problem name, text).
MCCALLUM_WARNED: list[tuple[str, str]] = []


def _random_points(names: list[str], count: int, seed: int) -> list[dict[str, Fraction]]:
    rng = random.Random(seed)
    return [
        {n: Fraction(rng.randint(-10, 10), rng.choice([1, 2, 3])) for n in names}
        for _ in range(count)
    ]


def test_enough_qepcad_problems() -> None:
    assert len([p for p in DIFF_PROBLEMS if not p.is_sentence]) >= 12


@pytest.mark.skipif(
    not qepcad_available(), reason="QEPCAD B binary not found (pip install passagemath-qepcad)"
)
@pytest.mark.parametrize("pf", DIFF_PROBLEMS, ids=[p.name for p in DIFF_PROBLEMS])
def test_qe_agrees_with_qepcad(pf) -> None:
    ours = qe_detailed(pf.formula, budget=ENGINE_BUDGET)
    assert not ours.is_unknown, f"semialg gave up on {pf.name}: {ours.answer} ({ours.notes})"
    theirs = qepcad_qe(pf.text, timeout=QEPCAD_TIMEOUT)
    if not theirs.ok:
        pytest.skip(f"QEPCAD B failed on {pf.name}: {theirs.failed_reason}")
    points = _random_points(pf.free_variables, 20, seed=sum(map(ord, pf.name)))
    # ours against z3 at the points (independent of QEPCAD's validity)
    check_qe_at_points(pf.formula, ours.answer, points, timeout=Z3_TIMEOUT)
    if theirs.mccallum_warning:
        MCCALLUM_WARNED.append((pf.name, str(theirs.formula)))
        warnings.warn(
            f"{pf.name}: QEPCAD B warned that McCallum's projection may not be valid; its answer "
            f"{theirs.formula} is recorded, not used as ground truth",
            UserWarning,
            stacklevel=1,
        )
        return
    # exact equivalence, decided by semialg
    sentence = equivalence_sentence(ours.answer, theirs.formula, pf.free_variables)
    verdict = decide_detailed(sentence, budget=ENGINE_BUDGET)
    assert verdict.answer is True, (
        f"{pf.name}: semialg's answer\n  {ours.answer}\nand QEPCAD's\n  {theirs.formula}\n"
        f"are not proved equivalent (decision: {verdict.answer})"
    )
    # and exact evaluation of both at the 20 points
    for p in points:
        mine = evaluate(ours.answer, {k: v for k, v in p.items() if k in ours.answer.ring.names})
        peer = evaluate(
            theirs.formula, {k: v for k, v in p.items() if k in theirs.formula.ring.names}
        )
        assert mine == peer, f"{pf.name}: answers differ at {p}"


# -- regressions: engine bugs found by these tests ----------------------------------------------


# python-flint 0.9 fmpz_mpoly.factor() overflowed while sorting factors with coefficients
# >= 2^31; Poly.factor_list now falls back to fmpq_mpoly factorisation.
def test_factor_list_large_coefficients() -> None:
    from semialg.poly import PolyRing

    p = PolyRing(["x"]).parse("(2147483648*x + 1)*(2147483648*x - 1)")
    _, factors = p.factor_list()
    assert sorted(str(f) for f, _ in factors) == ["2147483648*x + 1", "2147483648*x - 1"]


def test_decide_large_projection_factors() -> None:
    from semialg.logic import And, Atom, Exists

    s = Exists(
        ("x", "y", "z"),
        And(
            Atom("x^2 - 4*x*y + 2*x + 5*y^2 + 2*y*z - 2*y + z^2 + 2*z + 3", "<"),
            Atom("x*z^2 - x + 2*y^2", "<"),
            Atom("2*x^2 + 2*x*y + y^2 - 2*y + 2", "<"),
        ),
    )
    check_decision(s, decide_detailed(s, budget=BUDGET), timeout=Z3_TIMEOUT)
