"""The hard budget: a computation stuck in one long FLINT call is killed and answers ``unknown``."""

from __future__ import annotations

import multiprocessing as mp
import os
import time

import flint
import pytest
import sympy as sp

from semialg import Exists, ForAll
from semialg.deadline import hard_stop_available, run_hard_limited
from semialg.errors import BudgetExhausted
from semialg.qe import Unknown
from semialg.qe.api import decide_detailed, qe, qe_detailed

pytestmark = pytest.mark.skipif(not hard_stop_available(), reason="needs os.fork")

a, b, c, x, y = sp.symbols("a b c x y")

#: A product of two 33/34-digit primes: FLINT's quadratic sieve needs ~40 s to split it, in one
#: call that no cooperative deadline can interrupt.
SEMIPRIME = flint.fmpz(100000000000000000000000000000049) * flint.fmpz(
    3000000000000000000000000000000149
)


@pytest.fixture
def stuck_factorisation(monkeypatch):
    """Every multivariate factorisation first spends ~40 s inside one FLINT call."""
    import semialg.poly.ring as ring

    original = ring._flint_factor

    def slow(raw, *, squarefree):
        SEMIPRIME.factor()
        return original(raw, squarefree=squarefree)

    monkeypatch.setattr(ring, "_flint_factor", slow)


def test_stuck_flint_call_gives_unknown_within_budget(stuck_factorisation):
    formula = Exists([x], a * x**2 + b * x + c < 0)
    start = time.perf_counter()
    result = qe_detailed(formula, budget=1.0, hard_budget=True)
    elapsed = time.perf_counter() - start
    assert elapsed < 1.0 + 2.0
    assert isinstance(result.answer, Unknown)
    assert "hard stop" in result.answer.reason and "1 s" in result.answer.reason
    assert result.is_unknown and result.method == "unknown"
    with pytest.raises(TypeError):
        bool(result.answer)


def test_stuck_decide_gives_unknown(stuck_factorisation):
    start = time.perf_counter()
    result = decide_detailed(
        ForAll([x, y], x**4 * y**2 + x**2 * y**4 + 1 > 0), budget=0.5, hard_budget=True
    )
    assert time.perf_counter() - start < 0.5 + 2.0
    assert result.is_unknown and "hard stop" in result.answer.reason


PROBLEMS = [
    Exists([x], a * x**2 + b * x + c < 0),
    Exists([x], sp.And(x**2 + a * x + 1 <= 0, x > b)),
    ForAll([x], sp.Implies(x**2 - a <= 0, x - b <= 0)),
    ForAll([x, y], x**4 * y**2 + x**2 * y**4 - 3 * x**2 * y**2 + 1 >= 0),
    Exists([x, y], sp.And(x**2 + y**2 < 1, x * y > 1)),
]


@pytest.mark.parametrize("formula", PROBLEMS)
def test_same_answer_with_and_without_hard_stop(formula):
    soft = qe_detailed(formula, budget=30.0)
    hard = qe_detailed(formula, budget=30.0, hard_budget=True)
    assert not soft.is_unknown and not hard.is_unknown
    assert hard.answer == soft.answer  # the formula comes back intact through the pipe
    assert str(hard.answer) == str(soft.answer)
    assert hard.variable_order == soft.variable_order
    assert hard.cells == soft.cells and hard.method == soft.method and hard.notes == soft.notes


def test_decide_answer_is_a_bool_through_the_hard_stop():
    sentence = ForAll([x], x**2 - 2 * x + 1 >= 0)
    assert decide_detailed(sentence, budget=10, hard_budget=True).answer is True


def test_without_a_time_budget_the_hard_stop_is_not_used(monkeypatch):
    import semialg.qe.api as api

    def forbidden(*args, **kwargs):  # pragma: no cover - must not be reached
        raise AssertionError("forked without a time budget")

    monkeypatch.setattr(api, "run_hard_limited", forbidden)
    assert qe(Exists([x], x**2 < a), hard_budget=True) == qe(Exists([x], x**2 < a))


def test_exceptions_come_back():
    with pytest.raises(ZeroDivisionError):
        run_hard_limited(lambda: 1 // 0, 5.0)
    from semialg.errors import InputError

    with pytest.raises(InputError):
        qe_detailed(Exists([x], x**2 < a), order=["x"], budget=5, hard_budget=True)


def _nested_qe_in_worker(conn, budget: float) -> None:  # runs in a daemonic worker
    try:
        start = time.perf_counter()
        r = qe_detailed(Exists([x], a * x**2 + b * x + c < 0), budget=budget, hard_budget=True)
        conn.send((str(r.answer), r.is_unknown, time.perf_counter() - start))
    finally:
        conn.close()


@pytest.mark.parametrize("stuck", [False, True])
def test_nested_inside_a_daemonic_worker(request, stuck):
    """As in the sparse census: a hard-budget call inside a forked (daemonic) worker process."""
    if stuck:
        request.getfixturevalue("stuck_factorisation")
    ctx = mp.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_nested_qe_in_worker, args=(send, 1.0), daemon=True)
    proc.start()
    send.close()
    try:
        assert recv.poll(10.0), "the worker deadlocked"
        text, unknown, seconds = recv.recv()
    finally:
        proc.kill()
        proc.join()
    assert unknown is stuck
    assert seconds < 3.0
    if not stuck:
        assert text == str(qe(Exists([x], a * x**2 + b * x + c < 0)))


def test_nested_hard_stops():
    formula = Exists([x], a * x**2 + b * x + c < 0)
    inner = run_hard_limited(lambda: qe(formula, budget=5.0, hard_budget=True), 10.0)
    assert inner == qe(formula)


def test_killing_the_outer_child_ends_the_inner_one(tmp_path):
    """A nested child still stuck when the outer one is killed does not outlive it."""
    pidfile = tmp_path / "inner.pid"

    def inner():
        pidfile.write_text(str(os.getpid()))
        time.sleep(60)

    start = time.perf_counter()
    with pytest.raises(BudgetExhausted):
        run_hard_limited(lambda: run_hard_limited(inner, 30.0), 0.5, grace=0.5)
    assert time.perf_counter() - start < 3.0
    pid = int(pidfile.read_text())
    for _ in range(50):  # the kill is asynchronous; give it a moment
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    else:
        pytest.fail(f"the inner child {pid} survived")


def test_command_line_budget_is_hard(stuck_factorisation, tmp_path, capsys):
    import json

    from semialg.cli import main

    path = tmp_path / "q.qepcad"
    path.write_text("[ q ]\n(a,b,c,x)\n3\n(E x)[a x^2 + b x + c < 0].\nfinish\n")
    start = time.perf_counter()
    code = main(["qe", str(path), "--budget", "0.5", "--json"])
    assert time.perf_counter() - start < 0.5 + 2.0
    out = json.loads(capsys.readouterr().out)
    assert code == 3 and out["answer"] == "unknown" and "hard stop" in out["reason"]


def test_command_line_budget_answers(tmp_path, capsys):
    from semialg.cli import main

    path = tmp_path / "q.qepcad"
    path.write_text("[ q ]\n(x)\n0\n(A x)[x^2 - 2 x + 1 >= 0].\nfinish\n")
    assert main(["decide", str(path), "--budget", "5"]) == 0
    assert capsys.readouterr().out.strip() == "true"
