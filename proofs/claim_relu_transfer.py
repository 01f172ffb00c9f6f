"""Claim 2: non-closedness of the 2x2 LU pattern transfers to ReLU networks with biases.

Le, Riccietti, Gribonval, "Does a sparse ReLU network training problem always admit an optimum?"
(NeurIPS 2023, arXiv 2306.02666), abstract claims (a) and (b) and the section relating sparse ReLU
networks to their linear counterparts (digest: ``../shared/papers.md``, section 1).

The network: ``f(x) = W2 relu(W1 x + b1) + b2`` on R^2, hidden width 2, output R^2, with the first
layer ``W1`` *upper*-triangular and the second layer ``W2`` *lower*-triangular, so that its linear
counterpart ``W2 W1 = L U`` is the 2x2 LU product (lower times upper), which is not closed:
``[[t, 1], [1, 0]] -> J = [[0, 1], [1, 0]]`` but ``J`` is not ``L U``.

The training set: the three points ``(0, 0), (1, 0), (0, 1)`` with targets ``J x`` (the swapped
coordinates). Proved here:

(a) the squared loss has infimum 0: an explicit parameter family, exact in rational arithmetic,
    with loss exactly ``t^2`` for every ``t > 0`` (both hidden units active on the data), shown
    symbolically with SymPy and evaluated with :class:`fractions.Fraction` at ``t = 10^-k``;
(b) no parameters attain it: the sentence "there are weights (with the masks) and biases such that
    the network maps every data point to its target", with ``h = relu(z)`` written as
    ``(z >= 0 and h = z) or (z < 0 and h = 0)``, is decided ``False`` by :func:`semialg.decide`,
    and cross-checked by deciding each of the 2^6 activation patterns separately (all ``False``).
    A sanity check shows the encoding is not vacuous: with targets produced by one network of the
    family the same sentence is decided ``True``.
"""

from __future__ import annotations

import itertools
import time
from fractions import Fraction

import sympy

from semialg import And, Exists, Or, decide_detailed

CLAIM = (
    "Non-closedness transfers to ReLU networks: for the 2x2 LU pattern (one hidden layer of width "
    "2, ReLU, biases; first layer W1 upper-triangular, second layer W2 lower-triangular, so the "
    "linear counterpart W2 W1 = L U is the LU product), the training set x in {(0,0), (1,0), "
    "(0,1)} with targets J x, J = [[0,1],[1,0]], has squared loss with infimum 0 that no "
    "parameters attain. Source: Le, Riccietti, Gribonval, NeurIPS 2023 (arXiv 2306.02666), "
    "abstract claims (a)-(b) and the section relating F_I to its linear counterpart L_I."
)

POINTS: tuple[tuple[int, int], ...] = ((0, 0), (1, 0), (0, 1))
J = ((0, 1), (1, 0))
BUDGET_SECONDS = 120.0


def targets(points=POINTS) -> list[tuple[int, int]]:
    return [(J[0][0] * x + J[0][1] * y, J[1][0] * x + J[1][1] * y) for x, y in points]


def family(t):
    """The minimising family at ``t > 0`` (exact if ``t`` is a Fraction or a SymPy symbol).

    ``W1 = U = [[t, 1], [0, -1/t]]``, ``W2 = L = [[1, 0], [1/t, 1]]``
    (so ``L U = [[t, 1], [1, 0]]``),
    ``b1 = [2, 2/t]`` (large enough to keep both units active on the data) and ``b2 = -L b1``.
    """
    W1 = [[t, 1], [0, -1 / t]]
    b1 = [2, 2 / t]
    W2 = [[1, 0], [1 / t, 1]]
    b2 = [-(W2[0][0] * b1[0] + W2[0][1] * b1[1]), -(W2[1][0] * b1[0] + W2[1][1] * b1[1])]
    return W1, b1, W2, b2


def _relu(z):
    return z if z >= 0 else 0 * z


def forward(params, x, relu=_relu):
    W1, b1, W2, b2 = params
    z = [W1[i][0] * x[0] + W1[i][1] * x[1] + b1[i] for i in range(2)]
    h = [relu(zi) for zi in z]
    return z, [W2[i][0] * h[0] + W2[i][1] * h[1] + b2[i] for i in range(2)]


def loss(params, points=POINTS, relu=_relu):
    total = 0
    for x, y in zip(points, targets(points), strict=True):
        _, out = forward(params, x, relu)
        total += sum((o - yi) ** 2 for o, yi in zip(out, y, strict=True))
    return total


def symbolic_loss() -> dict:
    """The loss of the family as a function of t > 0, exactly (SymPy).

    Every pre-activation times ``t`` is a non-zero polynomial in ``t`` with non-negative
    coefficients, hence positive for all ``t > 0``: both units are active on the data, the
    ReLU is the identity there, and the loss is the polynomial returned.
    """
    t = sympy.Symbol("t", positive=True)
    params = family(t)
    for x in POINTS:
        z, _ = forward(params, x, relu=lambda v: v)
        for zi in z:
            num = sympy.Poly(sympy.expand(sympy.cancel(zi * t)), t)
            coeffs = num.all_coeffs()
            if not (all(c >= 0 for c in coeffs) and any(c > 0 for c in coeffs)):
                raise AssertionError(f"pre-activation {zi} at {x} not provably positive for t > 0")
    expr = sympy.expand(sympy.cancel(loss(params, relu=lambda v: v)))
    poly = sympy.Poly(expr, t)
    return {"loss": str(expr), "constant_term": str(poly.eval(0)), "is_polynomial": True}


def fit_sentence(points=POINTS, target_values=None, pattern=None):
    """ "There are masked weights and biases fitting every target", or one activation pattern of it.

    ``pattern``: ``None`` for the full sentence (ReLU as a disjunction), or a tuple of 0/1 per
    (point, unit) fixing the unit inactive/active.
    """
    target_values = targets(points) if target_values is None else target_values
    u11, u12, u22, b1, b2, l11, l21, l22, c1, c2 = weights = sympy.symbols(
        "u11 u12 u22 b1 b2 l11 l21 l22 c1 c2", real=True
    )
    H = [[sympy.Symbol(f"h{j}_{i}", real=True) for i in range(len(points))] for j in range(2)]
    conj = []
    k = 0
    for i, (x1, x2) in enumerate(points):
        zs = (u11 * x1 + u12 * x2 + b1, u22 * x2 + b2)  # W1 = [[u11, u12], [0, u22]]
        for j, z in enumerate(zs):
            h = H[j][i]
            active, inactive = And(z >= 0, sympy.Eq(h, z)), And(z < 0, sympy.Eq(h, 0))
            conj.append(
                Or(active, inactive) if pattern is None else (active if pattern[k] else inactive)
            )
            k += 1
        y1, y2 = target_values[i]
        conj.append(sympy.Eq(l11 * H[0][i] + c1, y1))  # W2 = [[l11, 0], [l21, l22]], b2 = (c1, c2)
        conj.append(sympy.Eq(l21 * H[0][i] + l22 * H[1][i] + c2, y2))
    return Exists([*weights, *(h for row in H for h in row)], And(*conj))


def not_lu_sentence():
    """ "J is an LU product": exists L lower, U upper with L U = J (expected False)."""
    l11, l21, l22, u11, u12, u22 = v = sympy.symbols("l11 l21 l22 u11 u12 u22", real=True)
    prod = sympy.Matrix([[l11, 0], [l21, l22]]) * sympy.Matrix([[u11, u12], [0, u22]])
    return Exists(
        list(v), And(*(sympy.Eq(prod[i, j], J[i][j]) for i in range(2) for j in range(2)))
    )


def _decide(sentence, budget=BUDGET_SECONDS):
    r = decide_detailed(sentence, budget=budget)
    return r.answer, r


def _z3_cross_check(sentence) -> bool | str | None:
    """z3's answer on the same sentence (independent oracle), if z3 is installed."""
    try:
        from semialg.logic import z3_decide
    except ImportError:
        return "z3 not installed"
    try:
        return z3_decide(sentence, timeout_ms=20_000)
    except ImportError:
        return "z3 not installed"


def run() -> dict:
    start = time.perf_counter()
    # (a) minimising sequence, exact
    sym = symbolic_loss()
    sequence = []
    for k in range(1, 7):
        t = Fraction(1, 10**k)
        params = family(t)
        value = loss(params)
        active = all(z >= 0 for x in POINTS for z in forward(params, x)[0])
        max_weight = max(abs(w) for m in (params[0], params[2]) for row in m for w in row)
        sequence.append(
            {
                "t": f"1e-{k}",
                "loss": str(value),
                "all_units_active": active,
                "max_abs_weight": str(max_weight),
            }
        )
    losses = [Fraction(s["loss"]) for s in sequence]
    decreasing = all(a > b for a, b in itertools.pairwise(losses)) and losses[-1] < Fraction(
        1, 10**10
    )
    symbolic_ok = sym["constant_term"] == "0"

    # (b) no exact fit: one sentence, then every activation pattern, then a sanity check
    t0 = time.perf_counter()
    answer, res = _decide(fit_sentence())
    full_seconds = time.perf_counter() - t0
    t0 = time.perf_counter()
    pattern_answers = {}
    for pat in itertools.product((0, 1), repeat=2 * len(POINTS)):
        a, _ = _decide(fit_sentence(pattern=pat))
        pattern_answers["".join(map(str, pat))] = a
    split_seconds = time.perf_counter() - t0
    reachable = [forward(family(Fraction(1, 10)), x)[1] for x in POINTS]
    reachable = [tuple(sympy.Rational(v.numerator, v.denominator) for v in y) for y in reachable]
    sanity, _ = _decide(fit_sentence(target_values=reachable))
    lu_answer, _ = _decide(not_lu_sentence())

    z3_answer = _z3_cross_check(fit_sentence())
    no_fit = answer is False and all(a is False for a in pattern_answers.values())
    no_fit = no_fit and z3_answer is not True  # an independent oracle must not contradict
    holds = bool(symbolic_ok and decreasing and no_fit and sanity is True and lu_answer is False)
    summary = (
        f"loss(t) = {sym['loss']} exactly for t > 0 (loss {sequence[-1]['loss']} at "
        f"t = {sequence[-1]['t']}, max |weight| {sequence[-1]['max_abs_weight']}); "
        f"exact-fit sentence decided {answer} ({res.method}, {full_seconds:.2f} s), "
        f"{sum(a is False for a in pattern_answers.values())}/{len(pattern_answers)} activation "
        f"patterns False, z3: {z3_answer}; sanity (reachable targets) {sanity}"
    )
    details = {
        "network": "f(x) = W2 relu(W1 x + b1) + b2, W1 = [[u11,u12],[0,u22]] (upper), "
        "W2 = [[l11,0],[l21,l22]] (lower), b1, b2 free; linear counterpart W2 W1 = L U",
        "data": [list(p) for p in POINTS],
        "targets": [list(y) for y in targets()],
        "family": "W1 = [[t,1],[0,-1/t]], b1 = [2, 2/t], W2 = [[1,0],[1/t,1]], b2 = -W2 b1 "
        "(W2 W1 = [[t,1],[1,0]] -> J)",
        "symbolic_loss": sym["loss"],
        "symbolic_constant_term": sym["constant_term"],
        "sequence_exact": sequence,
        "exact_fit_sentence": f"decided {answer} by semialg.decide ({res.method}, {res.cells} "
        f"cells, {full_seconds:.2f} s); notes: {'; '.join(res.notes)}",
        "activation_patterns": f"{len(pattern_answers)} patterns (point, unit) -> active/inactive, "
        f"all decided False: {all(a is False for a in pattern_answers.values())} "
        f"({split_seconds:.2f} s)",
        "sanity_reachable_targets": f"targets of the family at t = 1/10: sentence decided {sanity}",
        "z3_cross_check": f"z3 (nlqsat) on the exact-fit sentence: {z3_answer}",
        "J_is_LU_product": f"decided {lu_answer} (linear counterpart: J not in L_I)",
        "hand_argument": "If f fits, f1 = l11 h1 + c1 takes values 0, 0, 1 on the data, so "
        "l11 != 0 and h1 agrees on (0,0) and (1,0); h2 = relu(u22 x2 + b2) agrees there too "
        "(same x2). Then f2 = l21 h1 + l22 h2 + c2 agrees on (0,0) and (1,0), but its targets "
        "are 0 and 1.",
    }
    return {
        "claim": CLAIM,
        "holds": holds,
        "summary": summary,
        "seconds": time.perf_counter() - start,
        "details": details,
    }


if __name__ == "__main__":  # pragma: no cover
    import json

    print(json.dumps(run(), indent=1))
