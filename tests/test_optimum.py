"""Exact optimum of least squares over sparse products (semialg.sparse.optimum, semialg optimum)."""

from __future__ import annotations

import itertools
import json
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from semialg.cli import main
from semialg.errors import InputError
from semialg.sparse import SupportPattern, check_certificate, dense, lu
from semialg.sparse.laurent import matrix_from_json
from semialg.sparse.optimum import optimum, relu_optimum

small = st.integers(-3, 3)


def matrices(rows: int, cols: int):
    return st.lists(st.lists(small, min_size=cols, max_size=cols), min_size=rows, max_size=rows)


def truncated_svd_error(d, t, r) -> float:
    """||T - T P||^2 + sum_{i > r} sigma_i(T P)^2 with P the projector on the row space of D."""
    d = np.array(d, dtype=float)
    t = np.array(t, dtype=float)
    tp = t @ np.linalg.pinv(d) @ d
    s = np.linalg.svd(tp, compute_uv=False)
    return float(np.sum((t - tp) ** 2) + np.sum(s[r:] ** 2))


@st.composite
def dense_problems(draw):
    m, r, n, p = (draw(st.integers(1, 3)) for _ in range(4))
    return m, r, n, draw(matrices(n, p)), draw(matrices(m, p))


@settings(max_examples=30)
@given(dense_problems())
def test_dense_attained_and_equals_truncated_svd(problem):
    m, r, n, d, t = problem
    res = optimum(dense(m, r, n), d, t)
    assert res.attained is True
    assert res.method in ("eckart-young", "zero-data")
    expected = truncated_svd_error(d, t, min(m, r, n))
    assert abs(float(res.infimum) - expected) <= 1e-8 * max(1.0, abs(expected))
    json.dumps(res.to_json())


def lu_factors(rng: np.random.Generator, n: int):
    x = np.tril(rng.integers(-3, 4, size=(n, n)))
    y = np.triu(rng.integers(-3, 4, size=(n, n)))
    return x, y


@settings(max_examples=12)
@given(st.integers(0, 10**6), st.integers(2, 3), st.integers(1, 4))
def test_lu_targets_in_image_have_infimum_zero_attained(seed, n, p):
    rng = np.random.default_rng(seed)
    x, y = lu_factors(rng, n)
    d = rng.integers(-2, 3, size=(n, p))
    t = (x @ y @ d).tolist()
    res = optimum(lu(n), d.tolist(), t, budget=60)
    assert res.infimum == 0
    assert res.attained is True, res


def _eval_laurent_matrix(m, t: Fraction):
    return [[e(t) for e in row] for row in m]


def _mul(a, b):
    return [
        [sum(a[i][k] * b[k][j] for k in range(len(b))) for j in range(len(b[0]))]
        for i in range(len(a))
    ]


def test_lu_anti_identity_not_attained_with_minimising_sequence():
    j = [[0, 1], [1, 0]]
    ident = [[1, 0], [0, 1]]
    res = optimum("10,11 11,01", ident, j)
    assert res.infimum == 0
    assert res.attained is False
    assert res.method == "cancellation-curve"
    cert = json.loads(json.dumps(res.to_json()))["certificate"]
    assert check_certificate(cert["closedness"]["certificate"]).ok
    factors = [matrix_from_json(f) for f in cert["factors"]]
    pattern = SupportPattern.parse("10,11 11,01")
    losses = []
    for k in range(1, 7):
        t = Fraction(1, 10**k)
        xs = [_eval_laurent_matrix(f, t) for f in factors]
        for x, mask in zip(xs, pattern.masks, strict=True):  # the factors respect the masks
            assert all(x[i][jj] == 0 for i, r in enumerate(mask) for jj, v in enumerate(r) if not v)
        a = _mul(_mul(xs[0], xs[1]), ident)
        losses.append(sum((a[i][jj] - j[i][jj]) ** 2 for i in range(2) for jj in range(2)))
    assert all(x > 0 for x in losses)  # no parameters attain the infimum 0
    assert all(b < a for a, b in itertools.pairwise(losses))
    assert losses[-1] < Fraction(1, 10**10)


def test_lu_anti_identity_with_redundant_data_columns():
    d = [[1, 0, 2], [0, 1, 3]]  # full row rank, three points
    jd = [[0, 1, 3], [1, 0, 2]]  # J D
    res = optimum(lu(2), d, jd)
    assert (res.infimum, res.attained, res.method) == (0, False, "cancellation-curve")
    assert res.certificate["sequence_loss"].get("0", "0") == "0"


def test_targets_off_the_row_space_shift_the_infimum():
    # D = [1 1]: A D has equal columns; T = [[0, 2]] is at squared distance 2 from them
    res = optimum("1 1", [[1, 1]], [[0, 2]])
    assert res.infimum == 2 and res.attained is True


def test_closed_sparse_image_least_squares():
    res = optimum("10,01 10,01", [[1, 0], [0, 1]], [[1, 2], [3, 4]])  # diagonal matrices
    assert (res.infimum, res.attained, res.method) == (13, True, "closed-image")


def test_zero_row_of_d():
    # rows of A D are multiples of (1, 2); T's second row (0, 5) is at squared distance 5
    res = optimum(lu(2), [[1, 2], [0, 0]], [[1, 2], [0, 5]])
    assert (res.infimum, res.attained) == (5, True)


def test_not_attained_by_quantifier_elimination():
    # [[0, 1], [1, 1]] is in the closure of the LU products (all 2x2 matrices) but not a product
    res = optimum(lu(2), [[1, 0], [0, 1]], [[0, 1], [1, 1]], budget=60)
    assert (res.infimum, res.attained, res.method) == (0, False, "quantifier-elimination")


def test_budget_exhaustion_is_unknown():
    res = optimum(lu(2), [[1, 0], [0, 1]], [[0, 1], [1, 1]], budget=0.05)
    assert res.attained == "unknown" and res.reason


def test_bad_shapes_and_entries_raise_input_error():
    with pytest.raises(InputError, match="D must have n = 2 rows"):
        optimum(lu(2), [[1, 0]], [[0, 1], [1, 0]])
    with pytest.raises(InputError, match="T must be 2x3"):
        optimum(lu(2), [[1, 0, 1], [0, 1, 1]], [[0, 1], [1, 0]])
    with pytest.raises(InputError, match="not a rational"):
        optimum(lu(2), [[1, "x"], [0, 1]], [[0, 1], [1, 0]])
    with pytest.raises(InputError):
        optimum(lu(2), [[1, None], [0, 1]], [[0, 1], [1, 0]])
    with pytest.raises(InputError, match="different lengths"):
        optimum(lu(2), [[1, 0], [0]], [[0, 1], [1, 0]])


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_cli_json(tmp_path, capsys):
    f = _write(tmp_path, "j.json", '{"D": [[1, 0], [0, 1.0]], "T": [[0, "1/1"], [1, 0]]}')
    assert main(["optimum", "10,11 11,01", "--data", f, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["infimum"] == {"exact": "0", "float": 0.0}
    assert out["attained"] is False
    assert out["method"] == "cancellation-curve"
    assert set(out) >= {"infimum", "attained", "certificate", "method", "seconds"}
    assert out["certificate"]["factors"]


def test_cli_csv_and_text(tmp_path, capsys):
    d = _write(tmp_path, "d.csv", "1,0\n0,1\n")
    t = _write(tmp_path, "t.csv", "1,2\n3,0.5\n")
    assert main(["optimum", "1,1 11", "--inputs", d, "--targets", t]) == 0
    out = capsys.readouterr().out
    assert "attained  yes" in out and "eckart-young" in out


@pytest.mark.parametrize(
    "data",
    [
        '{"D": [[1, 0]], "T": [[0, 1], [1, 0]]}',  # D has 1 row, the pattern needs 2
        '{"D": [[1, 0], [0, 1]], "T": [[0, 1, 2], [1, 0, 2]]}',  # T has 3 columns, D has 2
        '{"D": [[1, "a"], [0, 1]], "T": [[0, 1], [1, 0]]}',  # non-numeric entry
        '{"D": [[1, true], [0, 1]], "T": [[0, 1], [1, 0]]}',  # a boolean
        '{"D": [[1, NaN], [0, 1]], "T": [[0, 1], [1, 0]]}',  # not a finite number
        '{"D": [[1, 0], [0, 1]]}',  # no targets
        "not json",
    ],
)
def test_cli_bad_input_exit_2(tmp_path, capsys, data):
    f = _write(tmp_path, "bad.json", data)
    assert main(["optimum", "10,11 11,01", "--data", f]) == 2
    assert "semialg: error:" in capsys.readouterr().err


def test_cli_bad_csv_and_missing_data(tmp_path, capsys):
    d = _write(tmp_path, "d.csv", "1,0\n0,x\n")
    t = _write(tmp_path, "t.csv", "1,2\n3,4\n")
    assert main(["optimum", "10,11 11,01", "--inputs", d, "--targets", t]) == 2
    assert main(["optimum", "10,11 11,01"]) == 2
    assert (
        main(["optimum", "10,11 11,01", "--inputs", str(tmp_path / "none.csv"), "--targets", t])
        == 2
    )


def test_closed_sparse_image_with_mixing_data():
    d = [[1, 0, 1], [0, 1, 1]]  # full row rank, not the identity
    res = optimum("10,01 10,01", d, [[1, 2, 3], [4, 5, 6]])
    assert (res.infimum, res.attained, res.method) == (Fraction(45, 2), True, "closed-image")


def test_closed_image_value_by_elimination_matches_numerics():
    # a rank-one 2x2 block plus a free entry: closed, not a subspace; the value needs QE
    d = [[1, 0, 1], [0, 1, 1], [1, 1, 0]]
    t = [[1, 2, 3], [4, 5, 6], [1, 1, 1]]
    res = optimum("10,10,01 110,001", d, t, budget=120)
    assert res.attained is True and res.method == "closed-image+quantifier-elimination"
    assert res.infimum.minpoly.degree() == 2
    assert abs(float(res.infimum) - 4.136575601077384) < 1e-9


# -- ReLU networks -------------------------------------------------------------------------------
def test_relu_width_one_cannot_fit_abs_but_attains():
    # |x| on {-1, 0, 1} needs two units; one unit's best is (1/2, 1/2, 1) up to symmetry
    res = relu_optimum(1, [[-1, 0, 1]], [[1, 0, 1]], budget=60)
    assert (res.infimum, res.attained) == (Fraction(1, 2), True)
    res = relu_optimum(2, [[-1, 0, 1]], [[1, 0, 1]], budget=60)
    assert (res.infimum, res.attained, res.method) == (0, True, "relu-exact-fit")


def _relu_numeric(width, x, y, rng) -> float:
    from scipy.optimize import minimize

    x = np.array(x[0], dtype=float)
    y = np.array(y[0], dtype=float)

    def loss(th):
        w, b, v, c = th[:width], th[width : 2 * width], th[2 * width : 3 * width], th[-1]
        out = v @ np.maximum(np.outer(w, x) + b[:, None], 0) + c
        return float(np.sum((out - y) ** 2))

    opts = {"maxiter": 20000, "xatol": 1e-12, "fatol": 1e-14}
    return min(
        minimize(loss, rng.normal(size=3 * width + 1) * 2, method="Nelder-Mead", options=opts).fun
        for _ in range(30)
    )


@settings(max_examples=4)
@given(st.lists(small, min_size=3, max_size=3), st.lists(small, min_size=3, max_size=3))
def test_relu_one_output_attained_and_matches_numerics(xs, ys):
    res = relu_optimum(2, [xs], [ys], budget=60)
    assert res.attained is True  # one output: a finite union of convex QPs (docs/optimum.md)
    num = _relu_numeric(2, [xs], [ys], np.random.default_rng(0))
    assert float(res.infimum) <= num + 1e-9
    assert num <= float(res.infimum) + 1e-6


def test_relu_budget_and_bad_input():
    with pytest.raises(InputError, match="D must have n = 1 rows"):
        relu_optimum(2, [[1, 2], [3, 4]], [[1, 2]])
    with pytest.raises(InputError, match="width must be positive"):
        relu_optimum(0, [[1]], [[1]])
    res = relu_optimum("10,11 11,01", [[1, 0, 0], [0, 1, 0]], [[0, 1, 0], [1, 0, 0]], budget=1)
    assert res.attained in ("unknown", True, False)
    if res.attained == "unknown":
        assert res.reason and res.infimum is None


def test_cli_relu(tmp_path, capsys):
    f = _write(tmp_path, "r.json", '{"D": [[-1, 0, 1]], "T": [[1, 0, 1]]}')
    assert main(["optimum", "1 1", "--data", f, "--relu", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["infimum"]["exact"] == "1/2" and out["attained"] is True


def test_scaled_limit_gets_a_scaled_sequence():
    # diag(1, 1) J diag(3, 2) = [[0, 2], [3, 0]]: the certificate's curve, rescaled
    res = optimum(lu(2), [[1, 0], [0, 1]], [[0, 2], [3, 0]])
    assert (res.infimum, res.attained, res.method) == (0, False, "cancellation-curve")
    assert res.certificate["scaling"] is not None
    loss = res.certificate["sequence_loss"]
    assert all(int(k) > 0 for k in loss)  # no negative powers, constant term 0
