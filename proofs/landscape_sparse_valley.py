"""A wide network with a sparse final layer has a spurious valley; the dense one does not.

Lin, Sun and Zhang (arXiv 2009.07439) state that with a sparse final layer spurious valleys can
exist even for wide networks, unlike wide dense networks. The instance (constructed, then
certified exactly; see ``docs/landscape.md``, "Spurious valleys"):

* one hidden layer of width 2, linear; the first layer ``Y`` (2 x 2) is dense, the final layer
  ``X`` (3 x 2) has the mask ``[[1,0],[1,1],[0,1]]`` (output 1 reads unit 1, output 3 reads unit 2,
  output 2 reads both): pattern ``"10,11,01 11,11"``;
* data ``D = I`` (two samples, two inputs), targets ``T = [[1,0],[0,1],[1,1]]``.

The width equals the number of inputs and of samples, so the dense network of the same width
represents every 3 x 2 matrix ("wide"). The columns of ``X`` span a plane with normal
``n(X) = (x21 x32, -x11 x32, x11 x22)``; planes with ``n_2 = 0`` other than ``x_1 = 0`` and
``x_3 = 0`` are not reachable, and the best loss on a plane is the Rayleigh quotient of
``T T^T`` at its normal. The separator is ``g = n_2 (n . n_T)`` with ``n_T`` the normal of the
column space of ``T`` (where the global minimum 0 is attained, on the side ``g < 0``).

Proved (exactly, :func:`semialg.landscape.valley.certify_valley`, method ``final-layer``, and
re-verified by the independent checker): the path component of ``{L < 1/2}`` through the point
``p`` below lies in ``{g > 0}`` and the loss is at least ``1/3`` on it, while ``L(q) = 0`` at the
witness ``q``: a spurious valley. Dense control (same data, same width): the same separator
fails (the engine finds weights with ``L < 1/2`` and ``g = 0``), the critical points are all
classified exactly with no spurious local minimum, and an exact sublevel path
(:func:`semialg.landscape.paths.certify_path`: vertices from gradient descent, rounded to
rationals, every segment checked by real root isolation) leads from ``p`` inside ``{L < 1/2}`` down
to a loss below ``1e-7``: in the dense network the component of ``p`` is no valley.

Wider: the same holds with four hidden units (as many as outputs; pattern
``1000,1100,0100,1011 11,11,11,11``, a fourth output reading units 1, 3 and 4, targets
``T + [[2, -1]]``): the valley is certified (96 sentences) and re-verified, and in the dense
4x4x2 network an exact sublevel path leads from ``p`` down to a loss below ``1e-19``.

Observed numerically (not part of the proof): gradient descent from ``p`` stays in the valley,
its loss creeping down towards ``(3 - sqrt 5)/2 ~ 0.382`` while ``n_2 -> 0`` (the infimum of the
valley is approached only as the weights diverge), and 8 of 20 random starts of the sparse network
end in the valley too; in the dense network gradient descent from ``p`` reaches a loss below
``1e-7`` and all 20 random starts a loss below ``1e-17``.
"""

from __future__ import annotations

import sys
import time
from fractions import Fraction

if __package__ in (None, ""):  # allow `python proofs/landscape_sparse_valley.py`
    sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parents[1]))

import sympy

from semialg.landscape import LinearNetwork, analyze, exact_str
from semialg.landscape.valley import certify_valley
from semialg.landscape.valley_check import check_valley_certificate

CLAIM = (
    "With a sparse final layer a wide network can have a spurious valley, unlike the dense "
    "network of the same width (Lin, Sun, Zhang, arXiv 2009.07439): certified on the linear "
    "3x2x2 network 10,11,01 / 11,11 (dense first layer), with the dense 3x2x2 network as control"
)
SPARSE = "10,11,01 11,11"
DENSE = "11,11,11 11,11"
D = [[1, 0], [0, 1]]
T = [[1, 0], [0, 1], [1, 1]]
LEVEL = Fraction(1, 2)
FLOOR = Fraction(1, 3)
# The valley point: X = [[1, 0], [20, -31/50], [0, 1/20]], Y the least-squares fit for this X.
X_POINT = {"x1_1": 1, "x2_1": 20, "x2_2": Fraction(-31, 50), "x3_2": Fraction(1, 20)}
# The global minimum: X = [[1, 0], [-1, 1], [0, 1]] spans the columns of T.
X_WITNESS = {"x1_1": 1, "x2_1": -1, "x2_2": 1, "x3_2": 1}
# Wider: four hidden units (as many as outputs, twice the inputs and samples); output 4 reads
# units 1, 3 and 4, so the final layer stays sparse and unit 1 is shared with outputs 1 and 2.
WIDE_SPARSE = "1000,1100,0100,1011 11,11,11,11"
WIDE_DENSE = "1111,1111,1111,1111 11,11,11,11"
T_WIDE = [*T, [2, -1]]


def separator() -> str:
    """``n_2(X) * (n(X) . n_T)``: which side of the unreachable planes ``n_2 = 0`` we are on."""
    n = ("x2_1*x3_2", "(-x1_1*x3_2)", "x1_1*x2_2")
    t1, t2 = sympy.Matrix([r[0] for r in T]), sympy.Matrix([r[1] for r in T])
    nT = t1.cross(t2)
    dot = " + ".join(f"({nT[i]})*{n[i]}" for i in range(3))
    return f"{n[1]}*({dot})"


def _with_least_squares_y(xs: dict) -> dict[str, Fraction]:
    X = sympy.Matrix([[xs["x1_1"], 0], [xs["x2_1"], xs["x2_2"]], [0, xs["x3_2"]]]).applyfunc(
        sympy.Rational
    )
    Y = (X.T * X).inv() * X.T * sympy.Matrix(T)
    point = {k: Fraction(v) for k, v in xs.items()}
    for k in range(2):
        for j in range(2):
            y = Y[k, j]
            point[f"y{k + 1}_{j + 1}"] = Fraction(int(y.p), int(y.q))
    return point


def _normal_tilt(w: dict) -> float:
    """``|n_2| / |n|`` for the column-space normal ``n`` of the sparse final layer."""
    n = (w["x2_1"] * w["x3_2"], -w["x1_1"] * w["x3_2"], w["x1_1"] * w["x2_2"])
    return abs(n[1]) / sum(v * v for v in n) ** 0.5


def _descend(net: LinearNetwork, point: dict, steps: int) -> tuple[float, dict]:
    """Gradient descent (:func:`~semialg.landscape.numeric.descend`): final loss and weights."""
    from semialg.landscape.numeric import descend

    w, loss = descend(net, [float(point.get(v, 0)) for v in net.names], steps=steps)
    return loss, dict(zip(net.names, map(float, w), strict=True))


def _random_starts(net: LinearNetwork, runs: int, steps: int) -> list[float]:
    import numpy as np

    from semialg.landscape.numeric import descend

    rng = np.random.default_rng(7)
    return [descend(net, rng.standard_normal(len(net.names)), steps=steps)[1] for _ in range(runs)]


def _descent_path(net: LinearNetwork, point: dict, steps: int, vertices: int = 40):
    """An exact sublevel path along gradient descent from ``point`` (vertices rounded to Q)."""
    import numpy as np

    from semialg.landscape.numeric import descend
    from semialg.landscape.paths import certify_path

    trace: list = []
    descend(net, [float(point.get(v, 0)) for v in net.names], steps=steps, trace=trace)
    picks = sorted({int(i) for i in np.geomspace(1, len(trace), vertices)})
    path = [point] + [
        {
            v: Fraction(float(trace[i - 1][j])).limit_denominator(10**8)
            for j, v in enumerate(net.names)
        }
        for i in picks
    ]
    return certify_path(net, path, LEVEL)


def _widen(point: dict) -> dict:
    """The point of the wide network: unit 3 fits output 4, units 3-4 otherwise silent."""
    return {**point, "x4_1": 0, "x4_3": 1, "x4_4": 0, "y3_1": 2, "y3_2": -1}


def _wide(p: dict, q: dict, g: str, steps: int) -> dict:
    """The same valley in the wider network (4 hidden units, output 4 also reads unit 1)."""
    sparse = LinearNetwork.from_pattern(WIDE_SPARSE, D, T_WIDE)
    dense = LinearNetwork.from_pattern(WIDE_DENSE, D, T_WIDE)
    pw, qw = _widen(p), _widen(q)
    cert = certify_valley(sparse, pw, LEVEL, g, FLOOR, qw, budget=300)
    rechecked, why = check_valley_certificate(cert.to_json(), budget=300)
    dense_path = _descent_path(dense, pw, steps)
    random_sparse = _random_starts(sparse, 10, steps)
    random_dense = _random_starts(dense, 10, steps)
    return {
        "holds": bool(
            cert.holds is True and rechecked and dense_path.holds and dense_path.end_loss < FLOOR
        ),
        "sparse_pattern": WIDE_SPARSE,
        "dense_pattern": WIDE_DENSE,
        "T": T_WIDE,
        "certificate": cert.to_json(),
        "certificate_seconds": cert.seconds,
        "independent_check": why,
        "dense_path": dense_path.reason,
        "dense_path_end_loss": float(dense_path.end_loss),
        "observed_sparse_descent_from_p": _descend(sparse, pw, steps)[0],
        "observed_dense_descent_from_p": _descend(dense, pw, steps)[0],
        "observed_sparse_random_starts_losses": sorted(round(x, 6) for x in random_sparse),
        "observed_dense_random_starts_max_loss": max(random_dense),
    }


def run(steps: int = 20_000) -> dict:
    start = time.perf_counter()
    sparse = LinearNetwork.from_pattern(SPARSE, D, T)
    dense = LinearNetwork.from_pattern(DENSE, D, T)
    p = _with_least_squares_y(X_POINT)
    q = _with_least_squares_y(X_WITNESS)
    g = separator()
    cert = certify_valley(sparse, p, LEVEL, g, FLOOR, q, budget=120)
    rechecked, recheck_reason = check_valley_certificate(cert.to_json(), budget=120)
    control = certify_valley(dense, p, LEVEL, g, FLOOR, q, budget=120)
    land = analyze(dense, budget=20)
    dense_ok = land.attained is True and not land.spurious_minima and not land.unresolved
    dense_path = _descent_path(dense, p, steps)
    sparse_path = _descent_path(sparse, p, steps)

    sparse_end, sparse_w = _descend(sparse, p, steps)
    dense_end, _ = _descend(dense, p, steps)
    random_dense = _random_starts(dense, 20, steps)
    random_sparse = _random_starts(sparse, 20, steps)
    wide = _wide(p, q, g, steps)
    holds = bool(
        cert.holds is True
        and rechecked
        and control.holds is False
        and dense_ok
        and dense_path.holds
        and dense_path.end_loss < FLOOR
        and wide["holds"]
    )
    details = {
        "sparse_pattern": SPARSE,
        "dense_pattern": DENSE,
        "D": D,
        "T": T,
        "separator": g,
        "level": str(LEVEL),
        "floor": str(FLOOR),
        "point": {k: str(v) for k, v in p.items()},
        "loss_point": exact_str(cert.loss_point),
        "loss_point_approx": float(cert.loss_point),
        "witness_loss": exact_str(cert.loss_witness),
        "certificate": cert.to_json(),
        "certificate_seconds": cert.seconds,
        "independent_check": recheck_reason,
        "dense_control_certificate": control.reason,
        "dense_path": dense_path.reason,
        "dense_path_end_loss": float(dense_path.end_loss),
        "sparse_path": sparse_path.reason,
        "dense_critical_points": len(land.critical_points),
        "dense_spurious_minima": len(land.spurious_minima),
        "dense_infimum": exact_str(land.infimum) if land.infimum is not None else None,
        "observed_sparse_descent": {
            "steps": steps,
            "final_loss": sparse_end,
            "tilt_start": _normal_tilt({k: float(v) for k, v in p.items()}),
            "tilt_end": _normal_tilt(sparse_w),
            "largest_weight_start": max(abs(float(v)) for v in p.values()),
            "largest_weight_end": max(abs(v) for v in sparse_w.values()),
        },
        "observed_dense_descent_from_p": dense_end,
        "observed_dense_random_starts_max_loss": max(random_dense),
        "observed_sparse_random_starts_losses": sorted(round(x, 6) for x in random_sparse),
        "wide": wide,
    }
    summary = (
        f"sparse: valley certified (L(p) = {float(cert.loss_point):.4f} < {LEVEL}, loss >= "
        f"{FLOOR} on the component, global minimum 0; {len(cert.decisions)} sentences decided "
        f"in {cert.seconds:.2f} s, re-verified independently); dense control: the separator "
        f"fails, {len(land.critical_points)} critical points, no spurious minimum, and an exact "
        f"path in {{L < {LEVEL}}} from p down to loss {float(dense_path.end_loss):.1e}; observed: "
        f"descent from p ends at {sparse_end:.4f} (sparse) vs {dense_end:.1e} (dense); "
        f"width 4 (4 outputs, output 4 also reads unit 1): valley certified "
        f"({len(wide['certificate']['decisions'])} sentences, "
        f"{wide['certificate_seconds']:.1f} s, re-verified), dense 4x4x2 control: exact path "
        f"from p down to loss {wide['dense_path_end_loss']:.1e}"
    )
    return {
        "claim": CLAIM,
        "holds": holds,
        "summary": summary,
        "seconds": time.perf_counter() - start,
        "details": details,
    }


if __name__ == "__main__":
    result = run()
    d = result["details"]
    print(f"separator g = {d['separator']}")
    print(
        f"L(p) = {d['loss_point']} ~ {d['loss_point_approx']:.6f}; witness loss {d['witness_loss']}"
    )
    for dec in d["certificate"]["decisions"]:
        print(f"  {dec['sentence']:40s} on {dec['case']:28s}: {dec['answer']}")
    print(f"independent check: {d['independent_check']}")
    print(f"dense control: {d['dense_control_certificate']}")
    w = d["wide"]
    print(
        f"wide {w['sparse_pattern']}: {w['certificate']['reason']} "
        f"({w['certificate_seconds']:.1f} s); independent check: {w['independent_check']}"
    )
    print(f"dense path from p: {d['dense_path']}; sparse path from p: {d['sparse_path']}")
    print(f"wide dense path from p: {w['dense_path']}")
    print(
        f"observed (wide): descent from p {w['observed_sparse_descent_from_p']:.6f} (sparse) vs "
        f"{w['observed_dense_descent_from_p']:.2e} (dense); random starts sparse "
        f"{w['observed_sparse_random_starts_losses']}, dense max "
        f"{w['observed_dense_random_starts_max_loss']:.2e}"
    )
    obs = d["observed_sparse_descent"]
    print(
        f"observed: sparse descent from p: final loss {obs['final_loss']:.6f}, |n_2|/|n| "
        f"{obs['tilt_start']:.4f} -> {obs['tilt_end']:.4f}, largest weight "
        f"{obs['largest_weight_start']:.2f} -> {obs['largest_weight_end']:.2f}; dense from p: "
        f"{d['observed_dense_descent_from_p']:.2e}; dense random starts: max loss "
        f"{d['observed_dense_random_starts_max_loss']:.2e}"
    )
    verdict = "HOLDS" if result["holds"] else "FAILS"
    print(f"{verdict}: {result['summary']} [{result['seconds']:.1f} s]")
    sys.exit(0 if result["holds"] else 1)
