"""Tests of semialg.landscape: exact critical points of sparse linear networks (issue 7)."""

from __future__ import annotations

import json
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from semialg.cli import main
from semialg.errors import InputError
from semialg.landscape import LinearNetwork, analyze, least_squares_bound, linalg, parse_pattern
from semialg.landscape.critical import critical_points
from semialg.landscape.solve import real_solutions
from semialg.poly import PolyRing

F = Fraction


# -- helpers ------------------------------------------------------------------------------------
def _float_eval(poly, values: dict[str, float]) -> float:
    names = poly.ring.names
    total = 0.0
    for exps, c in poly.qq_raw().to_dict().items():
        t = float(Fraction(int(c.p), int(c.q)))
        for v, e in zip(names, (int(e) for e in exps), strict=True):
            if e:
                t *= values[v] ** e
        total += t
    return total


def _float_loss(net: LinearNetwork, values: dict[str, float]) -> float:
    m, h, n = net.shape
    X = np.array([[values.get(f"x{i + 1}_{k + 1}", 0.0) for k in range(h)] for i in range(m)])
    Y = np.array([[values.get(f"y{k + 1}_{j + 1}", 0.0) for j in range(n)] for k in range(h)])
    D = np.array(net.D, dtype=float)
    T = np.array(net.T, dtype=float)
    return float(np.sum((X @ Y @ D - T) ** 2))


def _numeric_hessian(net: LinearNetwork, values: dict[str, float]) -> np.ndarray:
    hess = net.hessian()
    return np.array([[_float_eval(p, values) for p in row] for row in hess])


rational = st.builds(Fraction, st.integers(-6, 6), st.sampled_from([1, 1, 2, 3]))


def _matrix(rows: int, cols: int):
    return st.lists(st.lists(rational, min_size=cols, max_size=cols), min_size=rows, max_size=rows)


# -- the loss -----------------------------------------------------------------------------------
def test_parse_pattern():
    mx, my = parse_pattern("10,11 11,01")
    assert mx == ((True, False), (True, True)) and my == ((True, True), (False, True))
    for bad in ["10,11", "10,1 11,01", "12,11 11,01", "10,11 1,0,1", "", "10,11 11,01 1"]:
        with pytest.raises(InputError):
            parse_pattern(bad)


def test_scalar_loss_gradient_hessian():
    net = LinearNetwork.from_pattern("1 1", [[1]], [[1]])
    x, y = net.ring.gens
    assert net.loss() == (x * y - 1) ** 2
    assert net.gradient() == [2 * (x * y - 1) * y, 2 * (x * y - 1) * x]
    assert net.hessian()[0][1] == 4 * x * y - 2


def test_shapes_checked():
    with pytest.raises(InputError, match="D must have 2 rows"):
        LinearNetwork.from_pattern("10,11 11,01", [[1, 2]], [[1, 2], [3, 4]])
    with pytest.raises(InputError, match="T must have 2 rows"):
        LinearNetwork.from_pattern("10,11 11,01", [[1], [2]], [[1]])
    with pytest.raises(InputError, match="same number of columns"):
        LinearNetwork.from_pattern("1 1", [[1, 2]], [[1]])
    with pytest.raises(InputError, match="not a rational"):
        LinearNetwork.from_pattern("1 1", [["x"]], [[1]])


def test_exact_decimal_data():
    net = LinearNetwork.from_pattern("1 1", [[0.1]], [["1/3"]])
    assert net.D[0][0] == F(1, 10) and net.T[0][0] == F(1, 3)


# -- exact solving and inertia ------------------------------------------------------------------
def test_real_solutions_algebraic():
    r = PolyRing(["a", "b"])
    a, b = r.gens
    sols = real_solutions([a**2 - 2, b - a], ["a", "b"])
    assert len(sols) == 2
    for s in sols:
        assert float(s.field.ball(s.coords[0])) ** 2 == pytest.approx(2)
    assert real_solutions([a**2 + 1, b], ["a", "b"]) == []


def test_inertia():
    from semialg.algebraic import NumberField

    Q = NumberField.rationals()
    e = lambda v: Q.element(v)  # noqa: E731
    H = [[e(0), e(1), e(0)], [e(1), e(0), e(0)], [e(0), e(0), e(0)]]
    assert linalg.inertia(H, Q) == (1, 1, 1)
    H = [[e(2), e(1)], [e(1), e(2)]]
    assert linalg.inertia(H, Q) == (2, 0, 0)


# -- known answers ------------------------------------------------------------------------------
def test_scalar_network():
    net = LinearNetwork.from_pattern("1 1", [[1]], [[1]])
    land = analyze(net)
    kinds = {(c.kind, c.loss) for c in land.critical_points}
    assert kinds == {("saddle", 1), ("local_min", 0)}
    (m,) = [c for c in land.critical_points if c.kind == "local_min"]
    assert m.strict and not m.spurious and m.orbit_dimension == 1
    assert land.infimum == 0 and land.attained is True
    # the minimum set is the positive-dimensional hyperbola xy = 1, reported as a set
    S = land.critical_level_set(F(0))
    assert S.contains((F(3), F(1, 3))) and not S.contains((F(1), F(2)))


DENSE_D = [[1, 2, F(-1, 2)], [0, 1, 3]]
DENSE_T = [[2, -1, 1], [1, 1, F(1, 3)]]


def test_dense_2x2x2_no_spurious_minima():
    net = LinearNetwork.dense(2, 2, 2, DENSE_D, DENSE_T)
    land = analyze(net)
    assert land.attained is True and land.infimum == least_squares_bound(net)
    assert not land.unresolved
    assert any(c.kind == "local_min" for c in land.critical_points)
    assert all(c.kind in ("local_min", "saddle") for c in land.critical_points)
    assert not land.spurious_minima
    for c in land.critical_points:
        if c.kind == "local_min":
            assert c.loss == land.infimum


def test_dense_rank_one_saddles():
    # 2x1x2: rank-one approximation; the second singular direction gives a saddle
    net = LinearNetwork.dense(2, 1, 2, [[1, 0], [0, 1]], [[3, 0], [0, 1]])
    land = analyze(net)
    vals = sorted((c.loss, c.kind) for c in land.critical_points)
    assert vals == [(1, "local_min"), (9, "saddle"), (10, "saddle")]
    assert land.infimum == 1 and land.attained is True and not land.spurious_minima


# -- properties (hypothesis) -------------------------------------------------------------------
PATTERNS = [
    "1 1",
    "1,1 11",
    "11 1,1",
    "10,11 11,01",
    "11,01 10,11",
    "11,11 11,11",
    "10,11 011,100",
    "11 110,011",
]


@st.composite
def networks(draw):
    pattern = draw(st.sampled_from(PATTERNS))
    mx, my = parse_pattern(pattern)
    m, n = len(mx), len(my[0])
    N = draw(st.integers(1, 3))
    return LinearNetwork.from_pattern(pattern, draw(_matrix(n, N)), draw(_matrix(m, N)))


@settings(max_examples=30)
@given(networks())
def test_critical_points_are_exact_zeros_of_the_gradient(net):
    grad = net.gradient()
    raws, _ = critical_points(net, grad)
    assert raws  # the origin is always critical
    for raw in raws:
        for g in grad:
            assert linalg.evaluate(g, raw.coords, raw.field).is_zero()


@settings(max_examples=30)
@given(networks())
def test_classification_matches_numeric_eigenvalues(net):
    land = analyze(net, budget=2.0)
    for c in land.critical_points:
        values = {v: float(x) for v, x in c.point.items()}
        # loss values at certified points agree with float evaluation
        assert float(c.loss) == pytest.approx(_float_loss(net, values), rel=1e-9, abs=1e-9)
        eig = np.linalg.eigvalsh(_numeric_hessian(net, values))
        scale = max(1.0, float(np.max(np.abs(eig))))
        tol = 1e-7 * scale
        if np.any(np.abs(eig[np.abs(eig) < 1e-3 * scale]) > tol):
            continue  # eigenvalues too close to zero to compare numerically
        p, n, _z = c.inertia
        assert (int(np.sum(eig > tol)), int(np.sum(eig < -tol))) == (p, n)
        if c.kind == "saddle":
            assert eig[0] < -tol and eig[-1] > tol
        if c.kind == "local_min":
            assert eig[0] > -tol
        if c.kind == "local_min" and c.strict:
            assert int(np.sum(np.abs(eig) <= tol)) == c.orbit_dimension


@pytest.mark.parametrize(
    "pattern, D, T",
    [
        ("10,11 11,01", DENSE_D, DENSE_T),
        ("10,11 011,100", [[-3, 2, 3], [1, 1, 3], [-2, 2, 3]], [[2, -3, -3], [0, -2, 3]]),
    ],
)
def test_optimizer_returns_to_strict_minimum(pattern, D, T):
    from semialg.landscape.numeric import descend, float_loss

    net = LinearNetwork.from_pattern(pattern, D, T)
    land = analyze(net)
    names = net.names
    rng = np.random.default_rng(0)
    checked = 0
    for c in land.critical_points:
        if c.kind != "local_min" or not c.strict:
            continue
        w0 = np.array([float(c.point[v]) for v in names]) + 1e-3 * rng.standard_normal(len(names))
        assert float_loss(net, w0) > float(c.loss)
        _, f = descend(net, w0)
        assert f == pytest.approx(float(c.loss), abs=1e-8)
        checked += 1
    assert checked


# -- command line -------------------------------------------------------------------------------
def _write(tmp_path, data) -> str:
    p = tmp_path / "data.json"
    p.write_text(json.dumps(data))
    return str(p)


def test_cli_json(tmp_path, capsys):
    path = _write(tmp_path, {"D": [[1]], "T": [["1"]]})
    assert main(["landscape", "1 1", "--data", path, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["infimum"] == "0" and out["attained"] is True
    kinds = sorted(c["kind"] for c in out["critical_points"])
    assert kinds == ["local_min", "saddle"]
    for c in out["critical_points"]:
        assert set(c) >= {"point", "loss", "kind", "strict", "spurious"}
        assert isinstance(c["strict"], bool) and isinstance(c["spurious"], bool)


def test_cli_text(tmp_path, capsys):
    path = _write(tmp_path, {"D": [[1, 2, -0.5], [0, 1, 3]], "T": [[2, -1, 1], [1, 1, "1/3"]]})
    assert main(["landscape", "10,11 11,01", "--data", path]) == 0
    out = capsys.readouterr().out
    assert "infimum" in out and "spurious local minima: 0" in out


@pytest.mark.parametrize(
    "pattern, data, message",
    [
        ("10,11 11,01", {"D": [[1]], "T": [[1]]}, "D must have 2 rows"),
        ("10,1 11,01", {"D": [[1]], "T": [[1]]}, "rows of different lengths"),
        ("1 1", {"D": [["a"]], "T": [[1]]}, "not a rational"),
        ("1 1", {"D": [[1]]}, 'keys "D" and "T"'),
        ("1 1", {"D": [[True]], "T": [[1]]}, "expected a number"),
        ("12 1", {"D": [[1]], "T": [[1]]}, "0/1 strings"),
    ],
)
def test_cli_bad_input(tmp_path, capsys, pattern, data, message):
    path = _write(tmp_path, data)
    assert main(["landscape", pattern, "--data", path]) == 2
    err = capsys.readouterr().err
    assert err.startswith("semialg: error:") and message in err


def test_cli_unreadable(tmp_path, capsys):
    assert main(["landscape", "1 1", "--data", str(tmp_path / "missing.json")]) == 2
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    assert main(["landscape", "1 1", "--data", str(bad)]) == 2
    assert "not valid JSON" in capsys.readouterr().err


# -- a certified spurious strict local minimum (found by a numeric search, certified exactly) ----
SPURIOUS_PATTERN = "10,11 011,100"
SPURIOUS_D = [[-3, 2, 3], [1, 1, 3], [-2, 2, 3]]
SPURIOUS_T = [[2, -3, -3], [0, -2, 3]]


def test_sparse_network_with_spurious_strict_minimum():
    net = LinearNetwork.from_pattern(SPURIOUS_PATTERN, SPURIOUS_D, SPURIOUS_T)
    land = analyze(net, budget=2.0)
    assert land.attained is True and not land.unresolved
    minima = sorted(
        (c for c in land.critical_points if c.kind == "local_min"), key=lambda c: float(c.loss)
    )
    assert len(minima) == 2 and all(c.strict for c in minima)
    assert minima[0].loss == land.infimum and not minima[0].spurious
    assert minima[1].spurious and float(minima[1].loss) == pytest.approx(11.2040785077, rel=1e-9)
    assert minima[1].inertia == (4, 0, 2) and minima[1].orbit_dimension == 2


def test_positive_dimensional_critical_set(tmp_path, capsys):
    # scalar output with overlapping supports: the global minima form a curve modulo scaling
    D = [[1, 2, 0, 1], [0, 1, 1, -1], [2, 0, 1, 1]]
    T = [[1, -2, 3, F(1, 2)]]
    net = LinearNetwork.from_pattern("11 110,011", D, T)
    land = analyze(net, budget=5.0)
    assert land.attained is True and land.infimum == least_squares_bound(net)
    assert land.unresolved and all(cs.kind == "local_min" for cs in land.unresolved)
    assert not land.spurious_minima
    path = _write(tmp_path, {"D": D, "T": [["1", -2, 3, "1/2"]]})
    assert main(["landscape", "11 110,011", "--data", path]) == 0
    assert "positive-dimensional critical set, local_min" in capsys.readouterr().out
    assert main(["landscape", "11 110,011", "--data", path, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["critical_sets"][0]["kind"] == "local_min"


# -- ReLU networks: the loss as a piecewise polynomial -----------------------------------------
@settings(max_examples=20)
@given(
    st.sampled_from(["10,11 011,100", "11,11 11,11", "1 1"]),
    st.data(),
)
def test_relu_piecewise_loss_matches_float(pattern, data):
    from semialg.landscape import ReluNetwork
    from semialg.logic import evaluate

    mx, my = parse_pattern(pattern)
    m, n = len(mx), len(my[0])
    net = ReluNetwork.from_pattern(pattern, data.draw(_matrix(n, 2)), data.draw(_matrix(m, 2)))
    point = {v: data.draw(rational) for v in net.names}
    lin = net.linear
    h = lin.shape[1]
    X = np.array([[float(point.get(f"x{i + 1}_{k + 1}", 0)) for k in range(h)] for i in range(m)])
    Y = np.array([[float(point.get(f"y{k + 1}_{j + 1}", 0)) for j in range(n)] for k in range(h)])
    X, Y = X * np.array(lin.mx), Y * np.array(lin.my)
    D, T = np.array(lin.D, dtype=float), np.array(lin.T, dtype=float)
    expected = float(np.sum((X @ np.maximum(Y @ D, 0) - T) ** 2))
    assert float(net.loss_at(point)) == pytest.approx(expected, rel=1e-12, abs=1e-12)
    A = net.pattern_at(point)
    assert evaluate(net.region(A), point)
    # inside the region the gradient of the piece is the gradient of the loss
    assert len(net.gradient(A)) == len(net.names)


def test_relu_pieces_agree_where_preactivations_vanish():
    from semialg.landscape import ReluNetwork

    net = ReluNetwork.from_pattern("11,11 11,11", [[1, 2], [3, -1]], [[1, 0], [F(1, 2), 2]])
    at_zero = {v: (0 if v.startswith("y") else 1) for v in net.names}
    values = {net.piece(A).subs(at_zero).constant_value() for A in net.patterns()}
    assert values == {F(1) + F(1, 4) + 4}


def test_line_test_mechanics():
    # L(p + t v) - L(p) = 4 t^2 + 4 t^3 + t^4 along v = (1, 1) at p = (1, 1) for (xy - 1)^2; with
    # a matrix whose kernel is spanned by v, the test reports the cubic term
    from semialg.algebraic import NumberField
    from semialg.landscape.classify import _line_test
    from semialg.landscape.critical import RawCritical, UnitCase

    net = LinearNetwork.from_pattern("1 1", [[1]], [[1]])
    Q = NumberField.rationals()
    raw = RawCritical((UnitCase("alive", 0),), Q, {0: Q.element(1), 1: Q.element(1)})
    H = [[Q.element(1), Q.element(-1)], [Q.element(-1), Q.element(1)]]
    index = {v: i for i, v in enumerate(net.names)}
    assert "cubic" in _line_test(net.loss(), raw, H, list(net.names), index)
    H = [[Q.element(1), Q.element(1)], [Q.element(1), Q.element(1)]]  # kernel (1, -1)
    # L(1 + t, 1 - t) - L(1, 1) = t^4: no drop
    assert _line_test(net.loss(), raw, H, list(net.names), index) is None


def test_groebner_limit_runs_in_a_killable_child(monkeypatch):
    import time

    from semialg.landscape import solve

    n = 6  # cyclic-6: minutes of Buchberger, far above the limit below
    names = tuple("abcdef")

    def monomial(vars_):
        return tuple(1 if i in vars_ else 0 for i in range(n))

    polys = [{monomial({(i + k) % n for k in range(d)}): 1 for i in range(n)} for d in range(1, n)]
    polys.append({monomial(set(range(n))): 1, (0,) * n: -1})
    monkeypatch.setattr(solve, "GROEBNER_SECONDS", 0.05)
    start = time.perf_counter()
    with pytest.raises(solve.GroebnerTimeout, match="6 variables"):
        solve._buchberger_limited(polys, names, "degrevlex")
    assert time.perf_counter() - start < 5
    small = [{(1, 0, 0, 0, 0, 0): 1, (0, 1, 0, 0, 0, 0): -1}, {(0, 1, 0, 0, 0, 0): 1}]
    monkeypatch.setattr(solve, "GROEBNER_SECONDS", 30.0)
    assert solve._buchberger_limited(small, names, "degrevlex") == solve._buchberger(
        small, names, "degrevlex"
    )
