"""An independent checker for spurious-valley certificates (JSON from :mod:`.valley`).

It shares no code with the producer: the pattern, the loss, the separator, the gauge slices and
the reduced loss condition of the final-layer method are rebuilt here with SymPy from the JSON
data alone, and the sentences are decided afresh by the CAD engine (:func:`semialg.qe.decide`).
The producer's recorded answers are not trusted; only its verdict is compared at the end.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import Any

import sympy

from ..errors import InputError
from ..logic import Exists, from_sympy
from ..qe import Unknown, decide


def _q(text: object, what: str) -> sympy.Rational:
    try:
        return sympy.Rational(str(text))
    except (TypeError, ValueError, sympy.SympifyError):
        raise InputError(f"{what}: not a rational number: {text!r}") from None


def _masks(pattern: object) -> tuple[list[list[int]], list[list[int]]]:
    if not isinstance(pattern, str) or len(pattern.split()) != 2:
        raise InputError(f"pattern: expected two masks separated by a space, got {pattern!r}")
    mx, my = ([[int(ch) for ch in row] for row in part.split(",")] for part in pattern.split())
    for M in (mx, my):
        if any(len(r) != len(M[0]) or set(r) - {0, 1} for r in M):
            raise InputError(f"pattern: malformed mask in {pattern!r}")
    if len(mx[0]) != len(my):
        raise InputError("pattern: X columns must match Y rows")
    return mx, my


class _Net:
    def __init__(self, cert: Mapping[str, Any]):
        self.mx, self.my = _masks(cert.get("pattern"))
        self.m, self.h, self.n = len(self.mx), len(self.my), len(self.my[0])
        self.X = sympy.Matrix(
            self.m,
            self.h,
            lambda i, k: sympy.Symbol(f"x{i + 1}_{k + 1}") if self.mx[i][k] else 0,
        )
        self.Y = sympy.Matrix(
            self.h,
            self.n,
            lambda k, j: sympy.Symbol(f"y{k + 1}_{j + 1}") if self.my[k][j] else 0,
        )
        try:
            self.D = sympy.Matrix([[_q(x, "D") for x in r] for r in cert["D"]])
            self.T = sympy.Matrix([[_q(x, "T") for x in r] for r in cert["T"]])
        except (KeyError, TypeError) as exc:
            raise InputError(f"certificate: missing or malformed data {exc}") from None
        if self.D.rows != self.n or self.T.rows != self.m or self.D.cols != self.T.cols:
            raise InputError("certificate: the shapes of D and T do not match the pattern")
        self.xs = [s for s in self.X if s != 0]
        self.ys = [s for s in self.Y if s != 0]
        self.symbols = {str(s): s for s in self.xs + self.ys}
        R = self.X * self.Y * self.D - self.T
        self.loss = sympy.expand(sum(e**2 for e in R))

    def point(self, data: object, what: str) -> dict[sympy.Symbol, sympy.Rational]:
        if not isinstance(data, Mapping) or set(data) - set(self.symbols):
            raise InputError(f"{what}: expected a map from weight names to numbers")
        return {s: _q(data.get(name, 0), f"{what}[{name}]") for name, s in self.symbols.items()}


def _separator(net: _Net, text: object) -> sympy.Expr:
    try:
        g = sympy.sympify(str(text), locals=dict(net.symbols))
    except (sympy.SympifyError, SyntaxError, TypeError) as exc:
        raise InputError(f"separator: cannot read {text!r}: {exc}") from None
    if g.free_symbols - set(net.symbols.values()) or not g.is_polynomial(*net.symbols.values()):
        raise InputError(f"separator: not a polynomial in the weights: {text!r}")
    return sympy.expand(g)


def _sign_invariant(net: _Net, g: sympy.Expr) -> bool:
    """Scaling unit k multiplies g by s_k^w with w even, for every unit."""
    s = sympy.Symbol("s_scale")
    for k in range(net.h):
        sub = {net.X[i, k]: s * net.X[i, k] for i in range(net.m) if net.mx[i][k]}
        sub |= {net.Y[k, j]: net.Y[k, j] / s for j in range(net.n) if net.my[k][j]}
        ratio = sympy.cancel(g.subs(sub, simultaneous=True) / g)
        if ratio.free_symbols - {s}:
            return False
        num, den = sympy.fraction(ratio)
        w = sympy.degree(num, s) - sympy.degree(den, s)
        if w % 2 or sympy.cancel(ratio - s**w) != 0:
            return False
    return True


def _reduced_below(net: _Net, level: sympy.Rational) -> sympy.Basic:
    """min over the (dense) first layer of the loss < level, as a condition on X."""
    basis = net.D.rowspace()
    tt = sum(x**2 for x in net.T)
    if not basis:
        return sympy.true if tt < level else sympy.false
    B = sympy.Matrix.vstack(*basis)
    P = B.T * (B * B.T).inv() * B
    S = net.T * P * net.T.T
    parts = [sympy.true if tt < level else sympy.false]
    alive = [k for k in range(net.h) if any(net.mx[i][k] for i in range(net.m))]
    for size in range(1, min(len(alive), net.m) + 1):
        for K in itertools.combinations(alive, size):
            XK = net.X[:, list(K)]
            G = XK.T * XK
            det = sympy.expand(G.det())
            tr = sympy.expand((G.adjugate() * XK.T * S * XK).trace())
            parts.append(sympy.And(det > 0, sympy.expand(tr - det * (tt - level)) > 0))
    return sympy.Or(*parts)


def _slices(net: _Net) -> list[dict[sympy.Symbol, int]]:
    options = []
    for k in range(net.h):
        col = [net.X[i, k] for i in range(net.m) if net.mx[i][k]]
        opts = [dict.fromkeys(col, 0)]
        for a in range(len(col)):
            opts.append({**dict.fromkeys(col[:a], 0), col[a]: 1})
        options.append(opts)
    out = []
    for combo in itertools.product(*options):
        sub: dict[sympy.Symbol, int] = {}
        for c in combo:
            sub |= c
        out.append(sub)
    return out


def _exists(condition: sympy.Basic, budget: float | None) -> bool | None:
    if condition in (sympy.true, sympy.false):
        return bool(condition)
    names = sorted(str(s) for s in condition.free_symbols)
    f = from_sympy(condition, names)
    answer = decide(Exists(names, f), budget=budget)
    return None if isinstance(answer, Unknown) else bool(answer)


def check_valley_certificate(
    cert: Mapping[str, Any], *, budget: float | None = 120.0
) -> tuple[bool, str]:
    """Re-verify a spurious-valley certificate; ``(True, why)`` or ``(False, what failed)``.

    Malformed certificates raise :class:`~semialg.errors.InputError`.
    """
    if not isinstance(cert, Mapping) or cert.get("kind") != "spurious-valley":
        raise InputError("not a spurious-valley certificate (kind must be 'spurious-valley')")
    net = _Net(cert)
    p = net.point(cert.get("point"), "point")
    q = net.point(cert.get("witness"), "witness")
    c, b = _q(cert.get("level"), "level"), _q(cert.get("floor"), "floor")
    g = _separator(net, cert.get("separator"))
    method = cert.get("method")
    if not b < c:
        return False, f"floor {b} is not below level {c}"
    if not net.loss.subs(p) < c:
        return False, f"L(point) = {net.loss.subs(p)} is not below the level {c}"
    if not g.subs(p) > 0:
        return False, f"g(point) = {g.subs(p)} is not positive"
    if not net.loss.subs(q) < b:
        return False, f"L(witness) = {net.loss.subs(q)} is not below the floor {b}"
    invariant = g != 0 and _sign_invariant(net, g)
    if method == "final-layer":
        if any(0 in r for r in net.my):
            return False, "final-layer method: the first layer is not dense"
        if g.free_symbols & set(net.ys):
            return False, "final-layer method: the separator uses first-layer weights"
        if not invariant:
            return False, "final-layer method: the scaling symmetry can change the sign of g"
        below = {"level": _reduced_below(net, c), "floor": _reduced_below(net, b)}
    elif method == "weights":
        below = {"level": net.loss < c, "floor": net.loss < b}
    else:
        raise InputError(f"certificate: unknown method {method!r}")
    slices = _slices(net) if invariant else [{}]
    for name, sep in (("level", sympy.Eq(g, 0)), ("floor", g > 0)):
        for sub in slices:
            cond = sympy.And(below[name], sep).subs(sub)
            answer = _exists(cond, budget)
            if answer is None:
                return False, f"could not re-decide the {name} sentence on slice {sub} in budget"
            if answer:
                return False, f"the {name} sentence holds on the slice {sub}"
    if cert.get("holds") is not True:
        return False, "the certificate does not claim a valley, but every check passed"
    return True, (
        f"re-verified: {len(slices)} gauge slices x 2 sentences decided false; "
        f"L(point) < {c}, g(point) > 0, L(witness) < {b}"
    )
