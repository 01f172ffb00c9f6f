"""The `semialg` command line: output, JSON, exit codes, bad input."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from semialg.cli import main


def run(args, capsys, stdin: str | None = None, monkeypatch=None):
    if stdin is not None:
        import io

        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


DISK = "[ disk ]\n(x,y)\n1\n(E y)[x^2 + y^2 < 1].\nfinish\n"
SENTENCE = "[ s ]\n(x,y)\n0\n(A x)(E y)[y^2 > x].\nfinish\n"
SMT = """(set-logic NRA)
(declare-const x Real)
(declare-const y Real)
(assert (exists ((z Real)) (and (< (+ (* x x) (* z z)) 1) (> y z))))
(check-sat)
"""


@pytest.fixture
def files(tmp_path):
    (tmp_path / "disk.qepcad").write_text(DISK)
    (tmp_path / "s.qepcad").write_text(SENTENCE)
    (tmp_path / "p.smt2").write_text(SMT)
    (tmp_path / "bad.smt2").write_text("(declare-const x Int)(assert (> x 0))")
    return tmp_path


def test_roots(capsys):
    code, out, _ = run(["roots", "x^3 - 2*x + 1/1000", "--digits", "12"], capsys)
    assert code == 0
    assert "3 distinct real root(s)" in out
    assert "0.000500000062500" in out
    code, out, _ = run(["roots", "(x - 1)^2*(x^2 - 2)", "--json"], capsys)
    data = json.loads(out)
    assert [r["multiplicity"] for r in data] == [1, 2, 1]
    assert data[1]["exact"] == "1"


def test_decide_and_qe_qepcad(files, capsys):
    code, out, _ = run(["decide", str(files / "s.qepcad")], capsys)
    assert (code, out.strip()) == (0, "true")
    code, out, _ = run(["qe", str(files / "disk.qepcad")], capsys)
    assert code == 0
    from semialg.logic import parse_qepcad_output

    answer = parse_qepcad_output(out)
    assert [answer.evaluate({"x": v}) for v in (-2, -1, 0, 1, 2)] == [
        False,
        False,
        True,
        False,
        False,
    ]
    code, out, _ = run(["qe", str(files / "disk.qepcad"), "--json"], capsys)
    data = json.loads(out)
    assert set(data) >= {"answer", "variable_order", "cells", "seconds"}
    assert data["variable_order"] == ["x", "y"] and data["cells"] >= 0


def test_smtlib_input_answers_in_smtlib(files, capsys):
    code, out, _ = run(["decide", str(files / "p.smt2")], capsys)
    assert (code, out.strip()) == (0, "true")
    code, out, _ = run(["qe", str(files / "p.smt2")], capsys)
    assert code == 0 and out.startswith("(")
    from semialg.logic import parse_smtlib

    script = "(declare-const x Real)(declare-const y Real)(assert " + out.strip() + ")"
    assert parse_smtlib(script).formula.evaluate({"x": 0, "y": 0}) is True


def test_stdin_and_format_sniffing(capsys, monkeypatch):
    code, out, _ = run(["decide", "-"], capsys, stdin=SENTENCE, monkeypatch=monkeypatch)
    assert (code, out.strip()) == (0, "true")


def test_budget_gives_unknown_with_exit_code_3(files, capsys):
    (files / "q.qepcad").write_text(
        "[ q ]\n(p,q,r,x)\n3\n(A x)[x^4 + p x^2 + q x + r >= 0 \\/ x > p].\nfinish\n"
    )
    code, out, err = run(["qe", str(files / "q.qepcad"), "--cells", "5"], capsys)
    assert code == 3 and out.strip() == "unknown" and "budget" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["roots", "x*y"], "not univariate"),
        (["roots", "sin(x)"], "non-polynomial"),
        (["roots", "0"], "zero polynomial"),
        (["qe", "does-not-exist.qepcad"], "cannot read"),
        (["decide", "{disk}"], "free variables"),
        (["decide", "{bad}"], "Int"),
        (["roots", "x", "--digits", "-3"], "positive integer"),
        (["nonsense"], "invalid choice"),
    ],
)
def test_bad_input_exits_2_with_one_line(args, message, files, capsys):
    args = [a.format(disk=files / "disk.qepcad", bad=files / "bad.smt2") for a in args]
    try:
        code = main(args)
    except SystemExit as exc:  # argparse usage errors
        code = exc.code
    _, err = capsys.readouterr()
    assert code == 2
    assert err.startswith("semialg: error:") and message in err
    assert err.count("\n") == 1


def test_help_on_every_subcommand():
    from semialg.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name in sub.choices:
        proc = subprocess.run(
            [sys.executable, "-m", "semialg.cli", name, "--help"], capture_output=True, text=True
        )
        assert proc.returncode == 0 and "usage: semialg" in proc.stdout, name


def test_demo_runs(capsys):
    code, out, _ = run(["demo"], capsys)
    assert code == 0
    assert "Real roots of x^5 - 3*x + 1" in out
    assert "  true" in out
    assert "a /= 0" in out


def test_version(capsys):
    code, out, _ = run(["version"], capsys)
    assert code == 0 and out.startswith("semialg ")
