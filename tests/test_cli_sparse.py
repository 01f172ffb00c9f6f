"""`semialg closedness`, `check-certificate` and `census`: output, JSON, exit codes, bad input."""

from __future__ import annotations

import json

import pytest

from semialg.cli import main


def run(args, capsys):
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_closedness_default_is_lu(capsys):
    code, out, _ = run(["closedness"], capsys)
    assert code == 0
    assert "10,11 11,01" in out and "not closed" in out and "Groebner basis" in out


def test_closedness_json_and_check(tmp_path, capsys):
    code, out, _ = run(["closedness", "--family", "ul", "--n", "3", "--json"], capsys)
    assert code == 0
    data = json.loads(out)
    assert set(data) >= {"verdict", "method", "seconds", "certificate"}
    assert data["verdict"] == "not_closed"
    f = tmp_path / "cert.json"
    f.write_text(out)
    code, out, _ = run(["check-certificate", str(f)], capsys)
    assert code == 0 and "certificate holds" in out
    data["certificate"]["limit"][0][0] = "7"
    f.write_text(json.dumps(data["certificate"]))
    code, out, _ = run(["check-certificate", str(f)], capsys)
    assert code == 1 and "REJECTED" in out


def test_closedness_closed_pattern(capsys):
    code, out, _ = run(["closedness", "11,11,11 111,111"], capsys)
    assert code == 0 and "verdict   closed" in out and "determinantal" in out


@pytest.mark.parametrize(
    "args",
    [
        ["closedness", "10,11 1,01"],
        ["closedness", "10,21 11,01"],
        ["closedness", "10,11 111,011,001"],
        ["closedness", "10,11 11,01", "--family", "lu"],
        ["closedness", "--budget", "-1"],
        ["check-certificate", "/nonexistent/cert.json"],
        ["census", "--max-size", "2", "2"],
        ["census", "--max-size", "5", "2", "2"],
    ],
)
def test_bad_input_exit_2(args, capsys):
    with pytest.raises(SystemExit) as exc:
        raise SystemExit(main(args))
    assert exc.value.code == 2
    _, err = capsys.readouterr()
    assert err.startswith("semialg: error:") and err.count("\n") == 1


def test_check_certificate_malformed(tmp_path, capsys):
    f = tmp_path / "c.json"
    f.write_text("{not json")
    assert main(["check-certificate", str(f)]) == 2
    f.write_text(json.dumps({"pattern": "10,11 11,01", "verdict": "not_closed"}))
    assert main(["check-certificate", str(f)]) == 1  # no evidence: the certificate does not hold


def test_census_writes_tables(tmp_path, capsys):
    out = tmp_path / "census"
    code, text, _ = run(
        [
            "census",
            "--max-size",
            "1",
            "2",
            "2",
            "--output",
            str(out),
            "--processes",
            "1",
            "--quiet",
        ],
        capsys,
    )
    assert code == 0 and "patterns" in text
    table = json.loads(out.with_suffix(".json").read_text())
    assert all(s["unknown"] == 0 for s in table["shapes"])
    md = out.with_suffix(".md").read_text()
    assert md.startswith("# Census") and "| 1 x 2 x 2 |" in md


@pytest.mark.parametrize("cmd", ["closedness", "check-certificate", "census"])
def test_help(cmd, capsys):
    with pytest.raises(SystemExit) as exc:
        main([cmd, "--help"])
    assert exc.value.code == 0
    assert "usage: semialg " + cmd in capsys.readouterr().out
