"""Tests of :mod:`semialg.testing`: the strategies generate what they promise, and every oracle
rejects wrong answers (an oracle that cannot fail is worthless)."""

from __future__ import annotations

import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from semialg.logic import FALSE, TRUE, And, Atom, Exists, ForAll, Formula, Or, evaluate
from semialg.poly import Poly
from semialg.testing import (
    check_decision,
    check_qe_at_points,
    check_qe_numerically,
    equivalence_sentence,
    numeric_counterexample_search,
    qepcad_available,
    qepcad_qe,
    z3_decide,
)
from semialg.testing.qepcad import qepcad_input, read_problem_directory, read_problem_file
from semialg.testing.strategies import (
    formulas_with_free_variables,
    polynomials,
    quantifier_free_formulas,
    rational_points,
    sentences,
)

PROBLEMS = Path(__file__).resolve().parent.parent / "benchmarks" / "problems"
needs_qepcad = pytest.mark.skipif(
    not qepcad_available(), reason="QEPCAD B binary not found (pip install passagemath-qepcad)"
)


# -- import hygiene ----------------------------------------------------------------------------


def test_import_is_lazy() -> None:
    """Importing semialg.testing pulls in neither z3 nor hypothesis."""
    code = "import sys, semialg.testing; print('z3' in sys.modules, 'hypothesis' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


# -- strategies ---------------------------------------------------------------------------------


@given(polynomials(["x", "y", "z"], max_degree=3, max_terms=4))
def test_polynomials_respect_bounds(p: Poly) -> None:
    assert isinstance(p, Poly)
    assert p.ring.names == ("x", "y", "z")
    assert not p.is_constant()
    assert p.total_degree() <= 3
    assert len([e for e in p.terms() if any(e)]) <= 4


@given(polynomials(2, max_degree=2, coefficients=st.sampled_from([Fraction(1, 2), 3])))
def test_polynomials_custom_coefficients(p: Poly) -> None:
    assert set(p.ring.names) == {"x", "y"}
    assert all(c in (Fraction(1, 2), 3) for e, c in p.terms().items() if any(e))


@given(quantifier_free_formulas(["x", "y"], max_depth=2, max_atoms=3, max_degree=2))
def test_quantifier_free_formulas(f: Formula) -> None:
    assert f.is_quantifier_free()
    assert 1 <= len(f.atoms()) <= 3
    assert set(f.free_variables()) <= {"x", "y"}
    assert all(a.poly.total_degree() <= 2 for a in f.atoms())


@given(sentences(num_vars=(2, 4), max_degree=3, prefix="EA"))
def test_sentences_prefix(s: Formula) -> None:
    assert s.is_sentence()
    assert isinstance(s, Exists)
    assert s.is_prenex()
    assert isinstance(s.body, ForAll)
    assert all(a.poly.total_degree() <= 3 for a in s.atoms())


@given(sentences(num_vars=3))
def test_sentences_random_prefix(s: Formula) -> None:
    assert s.is_sentence() and s.is_prenex()
    assert isinstance(s, Exists | ForAll)


@given(formulas_with_free_variables(free=2, bound=2, prefix="E", max_degree=2))
def test_formulas_with_free_variables(f: Formula) -> None:
    assert isinstance(f, Exists)
    assert f.free_variables()
    assert set(f.free_variables()) <= {"a", "b"}
    assert set(f.vars) <= {"x", "y"}
    assert set(f.body.free_variables()) & {"x", "y"}


@given(rational_points(["a", "b"], bound=3, max_denominator=5))
def test_rational_points(p: dict) -> None:
    assert set(p) == {"a", "b"}
    assert all(isinstance(v, Fraction) and abs(v) <= 3 and v.denominator <= 5 for v in p.values())


def test_bad_prefix_rejected() -> None:
    @given(sentences(num_vars=2, prefix="EX"))
    def inner(s: Formula) -> None:
        pass

    with pytest.raises(ValueError, match="prefix"):
        inner()


# -- z3 oracles ----------------------------------------------------------------------------------

DISK_HYPERBOLA = Exists(["x", "y"], And(Atom("x^2 + y^2 - 1", "<"), Atom("2*x*y - 1", ">")))
HALF_DISK = Exists(["y"], And(Atom("x^2 + y^2 - 1", "<"), Atom("y - x", ">")))


@pytest.mark.oracle
def test_z3_decide() -> None:
    assert z3_decide(DISK_HYPERBOLA) is False
    assert z3_decide(ForAll(["x"], Atom("x^2 + 1", ">"))) is True
    assert z3_decide(Exists(["x"], Atom("x^2 - 2", "="))) is True


@pytest.mark.oracle
def test_check_decision_accepts_and_rejects() -> None:
    assert check_decision(DISK_HYPERBOLA, False) is False
    with pytest.raises(AssertionError, match="z3 decided False"):
        check_decision(DISK_HYPERBOLA, True)
    with pytest.raises(ValueError, match="unknown"):
        from semialg.qe.result import Unknown

        check_decision(DISK_HYPERBOLA, Unknown("test"))


@pytest.mark.oracle
def test_check_qe_at_points() -> None:
    right = Or(And(Atom("x", "<="), Atom("x + 1", ">")), Atom("2*x^2 - 1", "<"))
    pts = [{"x": Fraction(k, 4)} for k in range(-6, 7)]
    report = check_qe_at_points(HALF_DISK, right, pts)
    assert report.checked == report.agreed == len(pts)
    wrong = And(Atom("x + 1", ">"), Atom("x - 1", "<"))  # the whole projection of the disk
    with pytest.raises(AssertionError, match="x = 3/4"):
        check_qe_at_points(HALF_DISK, wrong, pts)
    with pytest.raises(AssertionError, match="not free"):
        check_qe_at_points(HALF_DISK, Atom("x + z", ">"), pts)


def test_numeric_search_refutes_false_claims() -> None:
    # an existential sentence claimed false, with a rational witness
    s = Exists(["x", "y"], And(Atom("x^2 + y^2 - 1", "<"), Atom("x*y", ">")))
    found = numeric_counterexample_search(s, False)
    assert found is not None and evaluate(s.body, found.witness)
    # an equation: the witness must be solved for, random sampling alone would not hit it
    lu = Exists(["l", "u"], And(Atom("a - l*u", "="), Atom("b - l", "=")))
    found = numeric_counterexample_search(lu, Atom("b", "="))  # wrong: b = 0 only
    assert found is not None
    with pytest.raises(AssertionError, match="numeric counterexample"):
        check_qe_numerically(lu, Atom("b", "="))
    # a universal formula claimed true where it is false
    u = ForAll(["x"], Atom("x^2 + a*x + 1", ">"))
    with pytest.raises(AssertionError):
        check_qe_numerically(u, TRUE)


def test_numeric_search_accepts_correct_claims() -> None:
    assert numeric_counterexample_search(DISK_HYPERBOLA, FALSE) is None
    right = Or(And(Atom("x", "<="), Atom("x + 1", ">")), Atom("2*x^2 - 1", "<"))
    assert numeric_counterexample_search(HALF_DISK, right, samples=100) is None
    u = ForAll(["x"], Atom("x^2 + a*x + 1", ">"))
    assert numeric_counterexample_search(u, Atom("a^2 - 4", "<")) is None


def test_numeric_search_rejects_alternation() -> None:
    from semialg.errors import InputError

    with pytest.raises(InputError):
        numeric_counterexample_search(ForAll(["x"], Exists(["y"], Atom("x - y", "="))), TRUE)


@pytest.mark.oracle
def test_equivalence_sentence() -> None:
    s = equivalence_sentence(Atom("x^2 - 1", "<"), And(Atom("x - 1", "<"), Atom("x + 1", ">")))
    assert s.is_sentence() and z3_decide(s) is True
    s = equivalence_sentence(Atom("x^2 - 1", "<"), Atom("x - 1", "<"))
    assert z3_decide(s) is False


# -- QEPCAD runner ------------------------------------------------------------


def test_qepcad_input_from_formula() -> None:
    text, variables = qepcad_input(HALF_DISK)
    assert variables == ["x", "y"]
    assert text.splitlines()[2] == "1"
    assert text.rstrip().endswith("finish")


@needs_qepcad
@pytest.mark.oracle
def test_qepcad_qe_answer() -> None:
    a = qepcad_qe(HALF_DISK, timeout=30)
    assert a.ok and a.trusted and a.failed_reason is None
    assert a.formula is not None
    assert (
        z3_decide(
            equivalence_sentence(
                a.formula, Or(And(Atom("x", "<="), Atom("x + 1", ">")), Atom("2*x^2 - 1", "<"))
            )
        )
        is True
    )
    assert a.seconds > 0 and a.attempts


@needs_qepcad
@pytest.mark.oracle
def test_qepcad_sentence_and_text_input() -> None:
    a = qepcad_qe("[s]\n(x,y)\n0\n(E x)(E y)[x^2 + y^2 < 1 /\\ 2 x y > 1].\n", timeout=30)
    assert a.formula is FALSE


@needs_qepcad
@pytest.mark.oracle
def test_qepcad_records_mccallum_warning() -> None:
    pf = read_problem_file(PROBLEMS / "nullification_mccallum.qepcad")
    a = qepcad_qe(pf.text, timeout=30)
    assert a.ok and a.mccallum_warning and not a.trusted
    assert any("may not be valid" in w for w in a.warnings)


@needs_qepcad
@pytest.mark.oracle
def test_qepcad_timeout_and_errors() -> None:
    pf = read_problem_file(PROBLEMS / "ellipse_kahan.qepcad")
    a = qepcad_qe(pf.text, timeout=0.5)
    assert not a.ok and a.failed_reason is not None and "timeout" in a.failed_reason
    # an undeclared variable: QEPCAD prints an error and keeps asking for input
    bad = "[bad]\n(a,x)\n1\n(E x)[a x^2 + q = 0].\nfinish\n"
    with pytest.raises(Exception, match="q"):  # rejected by our reader before QEPCAD runs
        qepcad_qe(bad, timeout=5)


def test_problem_files() -> None:
    problems = read_problem_directory(PROBLEMS)
    assert len(problems) >= 20
    with_free = [p for p in problems if "diff" in p.tags and not p.is_sentence]
    assert len(with_free) >= 12
    for p in problems:
        assert p.text.rstrip().endswith("finish")
        if p.expected is not None:
            exp = p.expected_formula()
            assert set(exp.free_variables()) <= set(p.free_variables)
