"""The executable proofs (``proofs/``): each quick claim as a test, and the runner itself.

Slow claims run here in their small configuration (``run_quick()``) when they have one; their full
configuration runs with ``python -m proofs``.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from proofs import _runner  # noqa: E402

CLAIM_FILES = _runner.discover()


def _quick_runnable(path: Path) -> bool:
    module = _runner.load(path)
    return not getattr(module, "slow", False) or hasattr(module, "run_quick")


@pytest.mark.parametrize("path", CLAIM_FILES, ids=[p.stem for p in CLAIM_FILES])
def test_claim_holds(path: Path) -> None:
    if not _quick_runnable(path):
        pytest.skip("slow claim without a quick configuration (run by python -m proofs)")
    outcome = _runner.run_claim(path, use_quick_config=True)
    assert outcome.status == "holds", (outcome.summary, outcome.details, outcome.error)
    assert outcome.claim and outcome.summary and outcome.seconds >= 0


def test_claim_modules_found() -> None:
    names = {p.stem for p in CLAIM_FILES}
    assert {
        "claim_divergence",
        "claim_relu_transfer",
        "claim_lu_not_closed",
        "claim_scalar_output_closed",
        "claim_scalar_output_relu",
        "claim_dense_closed",
        "landscape_dense_no_spurious",
        "landscape_scalar_output",
        "landscape_sparse_spurious",
        "landscape_sparse_valley",
    } <= names


FAKE_PASS = """
    '''A fake claim that holds.'''
    def run():
        return {"claim": "1 + 1 = 2 (arithmetic)", "holds": 1 + 1 == 2,
                "summary": "computed", "seconds": 0.0, "details": {"value": 2}}
"""
FAKE_FAIL = """
    '''A fake claim that fails.'''
    def run():
        return {"claim": "1 + 1 = 3 (nowhere)", "holds": 1 + 1 == 3,
                "summary": "computed 2", "seconds": 0.0}
"""
FAKE_RAISE = """
    def run():
        raise RuntimeError("boom")
"""
FAKE_MALFORMED = """
    def run():
        return {"claim": "no verdict", "summary": "x", "seconds": 0.0}
"""
FAKE_SLOW_FAIL = """
    slow = True
    def run():
        return {"claim": "slow", "holds": False, "summary": "x", "seconds": 0.0}
"""


def _fake_dir(tmp_path: Path, **modules: str) -> Path:
    d = tmp_path / "fake"
    d.mkdir()
    for name, text in modules.items():
        (d / f"{name}.py").write_text(textwrap.dedent(text))
    return d


def test_runner_passing(tmp_path: Path, capsys) -> None:
    d = _fake_dir(tmp_path, claim_ok=FAKE_PASS, helper_not_a_claim=FAKE_FAIL)
    out = tmp_path / "report.md"
    assert _runner.main(["--dir", str(d), "--output", str(out)]) == 0
    text = out.read_text()
    assert "generated" in text.lower() and "python -m proofs" in text
    assert "## claim_ok" in text and "1 + 1 = 2 (arithmetic)" in text and "`value`: 2" in text
    assert "helper_not_a_claim" not in text
    assert "[PASS] claim_ok" in capsys.readouterr().out


@pytest.mark.parametrize("bad", [FAKE_FAIL, FAKE_RAISE, FAKE_MALFORMED])
def test_runner_failing_claim_gives_nonzero_exit(tmp_path: Path, bad: str) -> None:
    d = _fake_dir(tmp_path, claim_ok=FAKE_PASS, claim_bad=bad)
    out = tmp_path / "report.md"
    assert _runner.main(["--dir", str(d), "--output", str(out)]) == 1
    assert "## claim_bad" in out.read_text()


def test_runner_quick_skips_slow_and_only_filters(tmp_path: Path) -> None:
    d = _fake_dir(tmp_path, claim_ok=FAKE_PASS, landscape_slow=FAKE_SLOW_FAIL)
    assert _runner.main(["--dir", str(d), "--quick", "--no-write"]) == 0
    assert _runner.main(["--dir", str(d), "--no-write"]) == 1
    assert _runner.main(["--dir", str(d), "--only", "ok", "--no-write"]) == 0
    assert _runner.main(["--dir", str(d), "--only", "nothing", "--no-write"]) == 2


def test_python_m_proofs_exit_status(tmp_path: Path) -> None:
    """The real entry point, as a subprocess, on a fake failing claim."""
    d = _fake_dir(tmp_path, claim_bad=FAKE_FAIL)
    proc = subprocess.run(
        [sys.executable, "-m", "proofs", "--dir", str(d), "--no-write"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "[FAIL] claim_bad" in proc.stdout


def test_semialg_prove_cli(capsys) -> None:
    """``semialg prove`` in-process: passes the options through to the runner."""
    from semialg.cli import main

    assert main(["prove", "--only", "claim_dense_closed", "--no-write"]) == 0
    out = capsys.readouterr().out
    assert "[PASS] claim_dense_closed" in out and "1 run, 0 failed" in out
    assert main(["prove", "--only", "no_such_claim", "--no-write"]) == 2


def test_semialg_prove_subprocess_outside_the_repository(tmp_path: Path) -> None:
    """The console script finds proofs/ next to the installed package, from any directory."""
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from semialg.cli import main; sys.exit(main(sys.argv[1:]))",
            "prove",
            "--only",
            "claim_dense_closed",
            "--no-write",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "[PASS] claim_dense_closed" in proc.stdout


def test_semialg_prove_without_proofs_directory(monkeypatch, capsys) -> None:
    from semialg.cli import main
    from semialg.commands import prove

    monkeypatch.setattr(prove, "_runner", lambda: None)
    assert main(["prove", "--quick"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("semialg: error:") and len(err.strip().splitlines()) == 1
