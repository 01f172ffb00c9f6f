"""Does a least-squares training problem on a sparse linear network attain its infimum?

Given a support pattern (masks of X_1, ..., X_L), inputs D (n x p) and targets T (m x p), all
exact rationals, :func:`optimum` computes

    inf { ||X_1 ... X_L D - T||_F^2 : supp X_l within mask l }

exactly (a ``Fraction`` or a :class:`~semialg.algebraic.RealAlgebraic`), decides whether it is
attained, and when it is not, returns a minimising sequence (Laurent-polynomial factors in t) as
the certificate. Methods, cheapest first (each is proved in ``docs/optimum.md``):

- ``zero-data`` / ``eckart-young``: D = 0, or a dense pattern (the image is {rank <= r}): the
  infimum is ||T||^2 minus the sum of the r largest eigenvalues of the rational symmetric matrix
  T P T^T (P the projector on the row space of D), an algebraic number; always attained.
- ``exact-fit``: the targets' projection T P is A D for some product A (exact membership):
  the infimum is ||T - T P||^2 and is attained.
- ``closed-image``: the image of the pattern restricted to the non-zero rows of D is closed and
  those rows are independent: the infimum is attained (compactness); its value by least squares
  (the image is a coordinate subspace) or by quantifier elimination.
- ``cancellation-curve``: the image is not closed and T P = A* D for the closedness certificate's
  limit A*: the infimum is ||T - T P||^2, not attained, and the certificate's Laurent factors are
  a minimising sequence.
- ``quantifier-elimination``: eliminate the parameters from ``E params [loss <= c]``; the infimum
  is the least point of the resulting set in c (a root of one of its polynomials), attained iff
  it belongs to the set.

A budget that runs out gives ``attained = "unknown"`` with the reason, never a guess; the
expensive exact calls run in a forked child process terminated when the budget is over.

:func:`relu_optimum` asks the same question of one-hidden-layer ReLU networks with biases on
finitely many points (normalised output weights, closed activation pieces, exact fit, then
elimination per piece); tiny sizes only.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

import flint

from ..deadline import Stopwatch
from ..errors import InputError, InputTypeError
from .pattern import SupportPattern

Number = Fraction  # or RealAlgebraic
Matrix = list[list[Fraction]]

ATTAINED_VALUES = (True, False, "unknown")


# -- result ------------------------------------------------------------------------------------
@dataclass
class OptimumResult:
    """The exact infimum (``Fraction``, ``RealAlgebraic`` or None if unknown), whether it is
    attained (True, False or ``"unknown"``), the method, the time in seconds, a JSON-serialisable
    certificate and, when something is unknown, the reason."""

    pattern: SupportPattern
    infimum: object
    attained: bool | str
    method: str
    seconds: float
    certificate: dict = field(default_factory=dict)
    reason: str | None = None

    def infimum_json(self) -> dict:
        if self.infimum is None:
            return {"exact": None, "float": None}
        return {"exact": number_text(self.infimum), "float": float(self.infimum)}

    def to_json(self) -> dict:
        return {
            "pattern": str(self.pattern),
            "infimum": self.infimum_json(),
            "attained": self.attained,
            "method": self.method,
            "seconds": round(self.seconds, 6),
            "reason": self.reason,
            "certificate": self.certificate,
        }

    def __str__(self) -> str:
        inf = "unknown" if self.infimum is None else number_text(self.infimum)
        extra = f" ({self.reason})" if self.reason else ""
        return (
            f"{self.pattern}: infimum {inf}, attained {self.attained} by {self.method} "
            f"in {self.seconds:.3f} s{extra}"
        )


def number_text(x: object) -> str:
    """Exact text: ``p/q`` for a rational, ``root of f in (lo, hi) ~ value`` otherwise."""
    if isinstance(x, Fraction):
        return str(x)
    if getattr(x, "is_rational", False):
        return str(x.as_fraction())  # type: ignore[union-attr]
    x = x.refine(Fraction(1, 10**12))  # type: ignore[union-attr]
    lo, hi = x.interval
    f = x.minpoly  # type: ignore[union-attr]
    return f"the root of {_poly_text(f)} in [{lo}, {hi}] (~{float(x):.15g})"  # type: ignore[arg-type]


def _poly_text(f: flint.fmpz_poly, var: str = "c") -> str:
    terms = []
    for k, c in reversed(list(enumerate(f.coeffs()))):
        c = int(c)
        if c == 0:
            continue
        mono = "" if k == 0 else (var if k == 1 else f"{var}^{k}")
        if mono and abs(c) == 1:
            s = ("-" if c < 0 else "+") + mono
        else:
            s = f"{'-' if c < 0 else '+'}{abs(c)}{'*' + mono if mono else ''}"
        terms.append(s)
    text = " ".join(terms) or "0"
    return text[1:] if text.startswith("+") else text


# -- exact input -------------------------------------------------------------------------------
def exact_number(v: object, where: str) -> Fraction:
    """An exact rational from an int, Fraction, Decimal, float (the rational it is) or a string
    ``"p/q"`` / ``"0.25"``."""
    if isinstance(v, bool) or v is None:
        raise InputTypeError(f"{where}: expected a number, got {v!r}")
    if isinstance(v, str):
        try:
            return Fraction(v.strip())
        except (ValueError, ZeroDivisionError):
            raise InputError(f"{where}: {v!r} is not a rational number") from None
    if isinstance(v, int | Fraction):
        return Fraction(v)
    if isinstance(v, Decimal | float):
        try:
            return Fraction(v)
        except (ValueError, OverflowError):
            raise InputError(f"{where}: {v!r} is not a finite number") from None
    try:
        from ..poly import to_fmpq

        q = to_fmpq(v)
        return Fraction(int(q.p), int(q.q))
    except Exception:
        raise InputTypeError(f"{where}: expected a number, got {v!r}") from None


def exact_matrix(obj: object, name: str) -> Matrix:
    """A rectangular matrix of exact rationals (rows of equal, positive length)."""
    try:
        import numpy as np

        if isinstance(obj, np.ndarray):
            obj = obj.tolist()
    except ImportError:  # pragma: no cover
        pass
    if not isinstance(obj, Sequence) or isinstance(obj, str | bytes):
        raise InputTypeError(f"{name} must be a matrix (a list of rows), got {obj!r}")
    rows = list(obj)
    if not rows:
        raise InputError(f"{name} is empty")
    out = []
    for i, r in enumerate(rows):
        if not isinstance(r, Sequence) or isinstance(r, str | bytes):
            raise InputTypeError(f"{name}: row {i + 1} is not a list, got {r!r}")
        out.append([exact_number(v, f"{name}[{i + 1}][{j + 1}]") for j, v in enumerate(r)])
    width = len(out[0])
    if width == 0:
        raise InputError(f"{name}: rows are empty")
    if any(len(r) != width for r in out):
        raise InputError(f"{name}: rows of different lengths {[len(r) for r in out]}")
    return out


def check_data(pattern: SupportPattern, d: object, t: object) -> tuple[Matrix, Matrix]:
    """Exact D and T with shapes checked against the pattern (InputError otherwise)."""
    m, n = pattern.shape
    dm = exact_matrix(d, "D")
    tm = exact_matrix(t, "T")
    if len(dm) != n:
        raise InputError(
            f"D must have n = {n} rows (the product X1...XL of pattern {pattern} is {m}x{n}), "
            f"got {len(dm)}x{len(dm[0])}"
        )
    p = len(dm[0])
    if len(tm) != m or len(tm[0]) != p:
        raise InputError(
            f"T must be {m}x{p} (rows of the product x columns of D), got {len(tm)}x{len(tm[0])}"
        )
    return dm, tm


# -- exact linear algebra ----------------------------------------------------------------------
def _q(x: Fraction) -> flint.fmpq:
    return flint.fmpq(x.numerator, x.denominator)


def _fr(x) -> Fraction:
    return Fraction(int(x.p), int(x.q))


def _qmat(a: Matrix) -> flint.fmpq_mat:
    return flint.fmpq_mat(len(a), len(a[0]), [_q(v) for r in a for v in r])


def _unq(a: flint.fmpq_mat) -> Matrix:
    return [[_fr(a[i, j]) for j in range(a.ncols())] for i in range(a.nrows())]


def _row_basis(d: Matrix) -> Matrix:
    """Non-zero rows of the reduced row echelon form of d (a basis of its row space)."""
    rref, rank = _qmat(d).rref()
    return [[_fr(rref[i, j]) for j in range(len(d[0]))] for i in range(rank)]


def row_space_projector(d: Matrix) -> Matrix | None:
    """P = B^T (B B^T)^-1 B for a row basis B of d (None when d = 0)."""
    b = _row_basis(d)
    if not b:
        return None
    bq = _qmat(b)
    return _unq(bq.transpose() * (bq * bq.transpose()).inv() * bq)


def _matmul(a: Matrix, b: Matrix) -> Matrix:
    return [
        [sum((a[i][k] * b[k][j] for k in range(len(b))), Fraction(0)) for j in range(len(b[0]))]
        for i in range(len(a))
    ]


def _sq_norm(a: Matrix) -> Fraction:
    return sum((v * v for r in a for v in r), Fraction(0))


def _sub(a: Matrix, b: Matrix) -> Matrix:
    return [[x - y for x, y in zip(ra, rb, strict=True)] for ra, rb in zip(a, b, strict=True)]


def _strs(a: Matrix) -> list[list[str]]:
    return [[str(v) for v in r] for r in a]


# -- Eckart-Young: sums of extreme eigenvalues ---------------------------------------------------
def _subset_sum_poly(chi: flint.fmpz_poly, k: int) -> flint.fmpz_poly:
    """prod over k-subsets I of the roots (with multiplicity) of the monic integer ``chi`` of
    (x - sum_I): integer coefficients (symmetric functions of algebraic integers), computed in
    ball arithmetic at increasing precision until every coefficient ball contains exactly one
    integer; the result is exact (the balls are rigorous)."""
    import itertools

    old = flint.ctx.prec
    prec = 128
    try:
        while prec <= 1 << 16:
            flint.ctx.prec = prec
            roots = [r for r, mult in chi.complex_roots() for _ in range(mult)]
            coeffs = [flint.acb(1)]  # low -> high
            for sub in itertools.combinations(range(len(roots)), k):
                s = sum((roots[i] for i in sub), flint.acb(0))
                new = [flint.acb(0)] * (len(coeffs) + 1)
                for i, c in enumerate(coeffs):
                    new[i + 1] += c
                    new[i] -= s * c
                coeffs = new
            ints = [c.real.unique_fmpz() for c in coeffs]
            if all(v is not None for v in ints):
                return flint.fmpz_poly(ints)
            prec *= 2
        raise ArithmeticError("subset-sum polynomial: precision limit reached")  # pragma: no cover
    finally:
        flint.ctx.prec = old


def _sum_extreme_eigenvalues(s: Matrix, k: int, largest: bool):
    """Exact sum of the k largest (or smallest) eigenvalues of the rational symmetric s, with
    evidence. Returns (value, evidence)."""
    from ..algebraic import RealAlgebraic, real_roots

    m = len(s)
    if k <= 0:
        return Fraction(0), {}
    if k >= m:
        return sum((s[i][i] for i in range(m)), Fraction(0)), {}
    den = 1
    for r in s:
        for v in r:
            den = den * v.denominator // _gcd(den, v.denominator)
    z = flint.fmpz_mat(m, m, [int(v * den) for r in s for v in r])
    chi = z.charpoly()
    q = chi if k == 1 else _subset_sum_poly(chi, k)
    roots = real_roots(q)
    root = roots[-1][0] if largest else roots[0][0]
    value = root / den if den != 1 else root
    if isinstance(value, RealAlgebraic) and value.is_rational:
        value = value.as_fraction()
    evidence = {
        "scale": str(den),
        "characteristic_polynomial": _poly_text(chi, "x"),
        "subset_sum_polynomial": _poly_text(q, "x"),
        "root": "largest" if largest else "smallest",
    }
    return value, evidence


def _gcd(a: int, b: int) -> int:
    import math

    return math.gcd(a, b)


def _dense_rank(pattern: SupportPattern) -> int | None:
    """min of the dims when every mask is all ones (the image is {rank <= r}), else None."""
    if all(all(all(v for v in row) for row in mask) for mask in pattern.masks):
        return min(pattern.dims)
    return None


def _eckart_young(pattern, r, tm, proj) -> tuple[object, dict]:
    from ..algebraic import RealAlgebraic

    m = len(tm)
    norm_t = _sq_norm(tm)
    if proj is None:
        return norm_t, {"note": "D = 0: the loss is the constant ||T||^2"}
    s = _matmul(_matmul(tm, proj), [list(col) for col in zip(*tm, strict=True)])
    trace = sum((s[i][i] for i in range(m)), Fraction(0))
    if r >= m:
        value: object = norm_t - trace
        ev: dict = {}
    elif r <= m - r:
        top, ev = _sum_extreme_eigenvalues(s, r, largest=True)
        value = norm_t - top
    else:
        low, ev = _sum_extreme_eigenvalues(s, m - r, largest=False)
        value = norm_t - trace + low
    if isinstance(value, RealAlgebraic) and value.is_rational:
        value = value.as_fraction()
    cert = {
        "theorem": "Eckart-Young for the weighted problem (docs/optimum.md, section b): the "
        "infimum is ||T||^2 minus the sum of the r largest eigenvalues of S = T P T^T",
        "rank_bound": r,
        "S": _strs(s),
        "norm_T_squared": str(norm_t),
        **ev,
    }
    return value, cert


# -- factors and Laurent sequences ---------------------------------------------------------------
def _loss_of_sequence(factors, dm: Matrix, tm: Matrix):
    """||X_1(t) ... X_L(t) D - T||^2 as a Laurent polynomial (exact)."""
    from .laurent import Laurent, matmul

    prod = factors[0]
    for f in factors[1:]:
        prod = matmul(prod, f)
    dl = [[Laurent.constant(v) for v in r] for r in dm]
    out = matmul(prod, dl)
    total = Laurent()
    for i, row in enumerate(out):
        for j, e in enumerate(row):
            diff = e - Laurent.constant(tm[i][j])
            total = total + diff * diff
    return total


# -- polynomial formulation ----------------------------------------------------------------------
def _loss_poly(pattern: SupportPattern, dm: Matrix, target: Matrix, extra: Sequence[str] = ()):
    from ..poly import PolyRing
    from .image import product_matrix

    params = [f"x{f}_{i}_{j}" for f, i, j in pattern.free_parameters()]
    ring = PolyRing([*extra, *params])
    prod = product_matrix(pattern, ring)
    ad = [
        [
            sum((prod[i][k] * _q(dm[k][j]) for k in range(len(dm))), ring.zero())
            for j in range(len(dm[0]))
        ]
        for i in range(len(prod))
    ]
    residual = [[ad[i][j] - _q(target[i][j]) for j in range(len(dm[0]))] for i in range(len(ad))]
    return ring, params, residual


def _fit_sentence(pattern: SupportPattern, dm: Matrix, target: Matrix):
    from ..logic import TRUE, And, Atom, Exists

    _, params, residual = _loss_poly(pattern, dm, target)
    atoms = [Atom(e, "=") for row in residual for e in row if not e.is_zero]
    if not atoms:
        return TRUE
    return Exists(params, And(*atoms))


def _univariate(poly, var: str) -> flint.fmpq_poly:
    deg = poly.degree(var)
    coeffs = [Fraction(0)] * (deg + 1)
    idx = poly.ring.index(var)
    for mono, c in poly.terms().items():
        coeffs[mono[idx]] += c
    return flint.fmpq_poly([_q(c) for c in coeffs])


def _least_point(formula, var: str):
    """The least point (infimum) of the set {c : formula(c)} in R and whether it is in the set.

    The truth value of a quantifier-free formula in one variable is constant between consecutive
    real roots of its polynomials, so the infimum of a non-empty set bounded below is one of
    those roots."""
    from ..algebraic import real_roots
    from ..algebraic.roots import rational_between
    from ..logic import evaluate

    polys = [a.poly for a in formula.atoms()]
    roots: list = []
    for p in polys:
        if p.is_constant():
            continue
        for r, _ in real_roots(_univariate(p, var)):
            if not any(r == s for s in roots):
                roots.append(r)
    roots.sort()

    def holds(x) -> bool:
        return bool(evaluate(formula, {var: x}))

    for idx, r in enumerate(roots):
        if holds(r):
            return r, True
        nxt = roots[idx + 1] if idx + 1 < len(roots) else None
        probe = _above(r) if nxt is None else rational_between(r, nxt)
        if holds(probe):
            return r, False
    return None, None


def _above(x) -> Fraction:
    return Fraction(x.interval[1]) + 1


# -- the decision --------------------------------------------------------------------------------
class _Clock(Stopwatch):
    def left(self, floor: float = 0.05) -> float | None:
        return super().left(floor)


def _limited(fn, seconds: float | None, *args, **kwargs):
    """``fn(*args, budget=seconds, **kwargs)`` with the budget enforced from outside.

    The CAD engine checks its budget between operations, so one long FLINT call (a resultant or
    discriminant) can overrun it. With a budget, the call runs in a forked child process that is
    killed shortly after ``seconds`` (:func:`semialg.deadline.run_hard_limited`) and the answer
    is then ``Unknown``."""
    from ..deadline import run_hard_limited
    from ..errors import BudgetExhausted
    from ..qe import Unknown

    if seconds is None:
        return fn(*args, budget=None, **kwargs)
    try:
        return run_hard_limited(fn, seconds, *args, budget=seconds, **kwargs)
    except BudgetExhausted as exc:
        return Unknown(exc.reason)


def optimum(pattern: object, D: object, T: object, budget: float | None = None) -> OptimumResult:
    """Decide whether min ||X_1 ... X_L D - T||_F^2 over the masked factors is attained.

    ``pattern``: a :class:`SupportPattern` or its text form (``"10,11 11,01"``); the product
    X_1 ... X_L is m x n. ``D`` (n x p, one column per data point) and ``T`` (m x p): matrices of
    exact rationals (ints, Fractions, Decimals, floats as the rationals they are, strings
    ``"p/q"`` or ``"0.25"``). ``budget``: seconds (None: no limit). Bad shapes or entries raise
    :class:`~semialg.errors.InputError`.
    """
    p = pattern if isinstance(pattern, SupportPattern) else SupportPattern(pattern)
    if budget is not None and not (isinstance(budget, int | float) and budget > 0):
        raise InputError(f"the budget must be a positive number of seconds, got {budget!r}")
    dm, tm = check_data(p, D, T)
    clock = _Clock(budget)
    res = _optimum(p, dm, tm, clock)
    res.seconds = clock.elapsed()
    return res


def _optimum(p: SupportPattern, dm: Matrix, tm: Matrix, clock: _Clock) -> OptimumResult:
    proj = row_space_projector(dm)
    norm_t = _sq_norm(tm)
    base = {"pattern": str(p), "D": _strs(dm), "T": _strs(tm)}
    if proj is None:
        return OptimumResult(
            p,
            norm_t,
            True,
            "zero-data",
            0.0,
            {**base, "why": "D = 0: the loss is the constant ||T||^2, attained by any factors"},
        )
    tp = _matmul(tm, proj)  # T P: the part of T that products can reach
    c0 = _sq_norm(_sub(tm, tp))  # ||T - T P||^2 <= loss, since rows of A D lie in rowspace(D)
    base["T_P"] = _strs(tp)
    base["lower_bound"] = str(c0)

    # (b) dense patterns: Eckart-Young
    r = _dense_rank(p)
    if r is not None:
        value, cert = _eckart_young(p, r, tm, proj)
        return OptimumResult(p, value, True, "eckart-young", 0.0, {**base, **cert})

    # exact fit: T P = A D for some product A  =>  infimum c0, attained
    fit, fit_ev = _exact_fit(p, dm, tp, clock)
    if fit is True:
        return OptimumResult(
            p, c0, True, "exact-fit", 0.0, {**base, "fit": fit_ev, "infimum_is": "||T - T P||^2"}
        )
    if fit is None and clock.out():
        return _unknown(p, base, "exact-fit", fit_ev.get("reason", "budget exhausted"))

    # (a) closedness of the image restricted to the non-zero rows of D
    closed_info = _closed_image(p, dm, tp, clock)
    kind = closed_info["kind"]
    if kind == "not_closed_sequence" and fit is False:
        cert = {**base, **closed_info["certificate"], "fit": fit_ev}
        seq_loss = _loss_of_sequence(closed_info["factors"], dm, tm)
        if (seq_loss.min_exponent or 0) < 0 or seq_loss.coefficient(0) != c0:  # pragma: no cover
            raise AssertionError(f"the sequence's loss {seq_loss} does not tend to {c0}")
        cert["sequence_loss"] = seq_loss.to_json()
        return OptimumResult(p, c0, False, "cancellation-curve", 0.0, cert)
    if kind == "closed" and closed_info.get("value") is not None:
        cert = {**base, **closed_info["certificate"]}
        return OptimumResult(p, c0 + closed_info["value"], True, "closed-image", 0.0, cert)

    # (c) quantifier elimination
    value, attained, qe_ev = _qe_infimum(p, dm, tp, clock, confirm=kind != "closed")
    cert = {**base, "quantifier_elimination": qe_ev}
    if kind == "closed":
        cert["closedness"] = closed_info["certificate"]
    if value is None:
        reason = qe_ev.get("reason", "quantifier elimination did not finish")
        if kind == "closed":
            return OptimumResult(
                p, None, True, "closed-image", 0.0, cert, reason=f"infimum unknown: {reason}"
            )
        return _unknown(p, base, "quantifier-elimination", reason, extra=cert)
    value = c0 + value if isinstance(value, Fraction) else value + c0
    if getattr(value, "is_rational", False) and not isinstance(value, Fraction):
        value = value.as_fraction()
    if kind == "closed" and attained is False:  # pragma: no cover - contradicts a proof
        raise AssertionError("closed image but the eliminated formula says not attained")
    method = "closed-image+quantifier-elimination" if kind == "closed" else "quantifier-elimination"
    if attained is False and kind.startswith("not_closed"):
        cert["closedness"] = closed_info.get("certificate", {})
    return OptimumResult(p, value, attained, method, 0.0, cert)


def _unknown(p, base, method, reason, extra=None) -> OptimumResult:
    return OptimumResult(p, None, "unknown", method, 0.0, extra or base, reason=reason)


def _exact_fit(p: SupportPattern, dm: Matrix, tp: Matrix, clock: _Clock):
    """(fits?, evidence): is T P = A D for a product A? None = unknown."""
    from ..qe import Unknown, decide

    n = len(dm)
    dq = _qmat(dm)
    if dq.rank() == n:  # A D = T P has the unique solution A0 = T P D^T (D D^T)^-1
        a0 = _unq(_qmat(tp) * dq.transpose() * (dq * dq.transpose()).inv())
        ans = _limited(p.contains, clock.left(), a0)
        ev = {"method": "membership of the unique A0 with A0 D = T P", "A0": _strs(a0)}
    else:
        sentence = _fit_sentence(p, dm, tp)
        ans = _limited(decide, clock.left(), sentence)
        ev = {"method": "decide E params [X1...XL D = T P]"}
    if isinstance(ans, Unknown):
        return None, {**ev, "reason": f"exact fit: {ans.reason}"}
    return bool(ans), {**ev, "fits": bool(ans)}


def _closed_image(p: SupportPattern, dm: Matrix, tp: Matrix, clock: _Clock) -> dict:
    """Method (a): closedness of pi_J(L) for the non-zero rows J of D when D_J has full row
    rank; the infimum value when the image is a coordinate subspace; the minimising sequence when
    the image is not closed and T P = A* D_J for the certificate's limit A*."""
    from ..qe import Unknown
    from .closedness import closedness
    from .laurent import Laurent

    rows = [i for i, r in enumerate(dm) if any(r)]
    dj = [dm[i] for i in rows]
    if _qmat(dj).rank() != len(rows):
        return {"kind": "not_applicable", "why": "the non-zero rows of D are dependent"}
    sub = p
    if len(rows) < len(dm):
        last = p.masks[-1]
        sub = SupportPattern([*p.masks[:-1], [[row[j] for j in rows] for row in last]])
    res = _limited(closedness, clock.left(), sub)
    if isinstance(res, Unknown):
        info = {"restricted_pattern": str(sub), "verdict": "unknown", "reason": res.reason}
        return {"kind": "unknown", "certificate": {"closedness": info}}
    cinfo = {
        "restricted_pattern": str(sub),
        "columns_kept": rows,
        "verdict": res.verdict,
        "method": res.method,
    }
    if res.verdict == "closed":
        cert = {
            "closedness": {**cinfo, "certificate": res.certificate},
            "theorem": "closed image + full row rank data: the sublevel sets are compact "
            "(docs/optimum.md, section a)",
        }
        value = _linear_image_value(sub, res.certificate, dj, tp)
        if value is not None:
            cert["value_by"] = "least squares over the coordinate subspace the image is"
        return {"kind": "closed", "value": value, "certificate": cert}
    if res.verdict == "not_closed" and "limit" in res.certificate:
        limit = [[Fraction(v) for v in r] for r in res.certificate["limit"]]
        from .laurent import matrix_from_json, matrix_to_json

        factors = [matrix_from_json(f) for f in res.certificate["factors"]]
        scaling = None
        if _matmul(limit, dj) != tp:
            djq = _qmat(dj)
            target = _unq(_qmat(tp) * djq.transpose() * (djq * djq.transpose()).inv())
            scaling = _diagonal_scaling(limit, target)
            if scaling is None:
                return {"kind": "not_closed", "certificate": {"closedness": cinfo}}
            rs, cs = scaling
            factors[0] = [
                [e * Laurent.constant(rs[i]) for e in row] for i, row in enumerate(factors[0])
            ]
            factors[-1] = [
                [e * Laurent.constant(cs[j]) for j, e in enumerate(row)] for row in factors[-1]
            ]
            limit = target
        if len(rows) < len(dm):  # put back the dropped columns of the last factor as zeros
            last = factors[-1]
            full = [[Laurent() for _ in range(len(dm))] for _ in range(len(last))]
            for i, row in enumerate(last):
                for jj, j in enumerate(rows):
                    full[i][j] = row[jj]
            factors[-1] = full
        return {
            "kind": "not_closed_sequence",
            "certificate": {
                "closedness": {**cinfo, "certificate": res.certificate},
                "limit": _strs(limit),
                "scaling": None
                if scaling is None
                else {
                    "rows": [str(v) for v in scaling[0]],
                    "columns": [str(v) for v in scaling[1]],
                },
                "factors": [matrix_to_json(f) for f in factors],
                "sequence_loss": None,  # filled below
                "why": "the limit A* of the Laurent curve satisfies A* D = T P, so the loss "
                "tends to ||T - T P||^2 = the lower bound; no product fits (exact fit: false)",
            },
            "factors": factors,
        }
    if res.verdict == "unknown":
        return {"kind": "unknown", "certificate": {"closedness": {**cinfo, "reason": res.reason}}}
    return {"kind": "not_closed", "certificate": {"closedness": cinfo}}


def _diagonal_scaling(limit: Matrix, target: Matrix):
    """Non-zero (r, s) with target = diag(r) limit diag(s), or None. Diagonal scalings of the
    first and last factors preserve the masks, so they map the image and its closure onto
    themselves (docs/optimum.md, cancellation curve)."""
    m, n = len(limit), len(limit[0])
    if any((limit[i][j] == 0) != (target[i][j] == 0) for i in range(m) for j in range(n)):
        return None
    r: list[Fraction | None] = [None] * m
    s: list[Fraction | None] = [None] * n
    for start in range(m):
        if r[start] is not None:
            continue
        r[start] = Fraction(1)
        stack = [("r", start)]
        while stack:
            kind, k = stack.pop()
            if kind == "r":
                for j in range(n):
                    if limit[k][j]:
                        v = target[k][j] / (limit[k][j] * r[k])  # type: ignore[operator]
                        if s[j] is None:
                            s[j] = v
                            stack.append(("c", j))
                        elif s[j] != v:
                            return None
            else:
                for i in range(m):
                    if limit[i][k]:
                        v = target[i][k] / (limit[i][k] * s[k])  # type: ignore[operator]
                        if r[i] is None:
                            r[i] = v
                            stack.append(("r", i))
                        elif r[i] != v:
                            return None
    rs = [v if v is not None else Fraction(1) for v in r]
    cs = [v if v is not None else Fraction(1) for v in s]
    return rs, cs


def _linear_image_value(sub: SupportPattern, cert: dict, dj: Matrix, tp: Matrix):
    """When the (two-factor) image is the coordinate subspace R^F (no residual group), the
    infimum of ||B D_J - T P||^2 is a least-squares value, row by row."""
    red = cert.get("reductions")
    if sub.num_factors != 2 or red is None or red.get("groups"):
        return None
    free = {tuple(e) for e in red.get("free", [])}
    total = Fraction(0)
    for i, trow in enumerate(tp):
        cols = [j for j in range(len(dj)) if (i, j) in free]
        if not cols:
            total += sum((v * v for v in trow), Fraction(0))
            continue
        proj = row_space_projector([dj[j] for j in cols])
        if proj is None:
            total += sum((v * v for v in trow), Fraction(0))
            continue
        fitted = _matmul([trow], proj)[0]
        total += sum(((a - b) ** 2 for a, b in zip(trow, fitted, strict=True)), Fraction(0))
    return total


def _qe_infimum(p: SupportPattern, dm: Matrix, tp: Matrix, clock: _Clock, confirm: bool = True):
    """Method (c): infimum of ||X1...XL D - T P||^2 by eliminating the parameters from
    E params [loss <= c]; (value, attained, evidence); value None when the budget runs out."""
    from ..logic import Atom, Exists
    from ..qe import Unknown, qe

    ring, params, residual = _loss_poly(p, dm, tp, extra=("c",))
    loss = sum((e * e for row in residual for e in row), ring.zero())
    formula = Exists(params, Atom(loss - ring.gen("c"), "<="))
    start = time.perf_counter()
    ans = _limited(qe, clock.left(), formula)
    ev: dict = {"formula": "E params [||X1...XL D - T P||^2 <= c]"}
    if isinstance(ans, Unknown):
        return None, None, {**ev, "reason": f"quantifier elimination: {ans.reason}"}
    ev["eliminated"] = str(ans)
    ev["seconds"] = round(time.perf_counter() - start, 4)
    from ..logic import BooleanConstant

    if isinstance(ans, BooleanConstant):  # pragma: no cover - the set is [inf, oo) or (inf, oo)
        raise AssertionError(f"eliminated formula is constant: {ans}")
    value, attained = _least_point(ans, "c")
    if value is None:  # pragma: no cover
        raise AssertionError(f"no least point found in {ans}")
    ev["formula_at_infimum"] = attained
    qe_seconds = time.perf_counter() - start
    decided: bool | str | None = None
    if confirm:  # the independent decision gets at most twice the elimination's time
        left = clock.left()
        cap = max(2 * qe_seconds, 5.0) if left is None else min(left, max(2 * qe_seconds, 5.0))
        decided = _decide_attained(ring, params, loss, value, cap)
    if decided is not None:
        ev["decide_loss_equals_infimum"] = decided
    if isinstance(decided, bool) and decided != attained:  # pragma: no cover - two exact answers
        raise AssertionError("the eliminated formula and the decision disagree on attainment")
    ev["attained_by"] = (
        "E params [loss <= inf] holds: the eliminated formula is true at the infimum"
        + (" and decide(E params [loss = inf]) is true" if decided is True else "")
        if attained
        else "E params [loss <= inf] is false: the eliminated formula is false at the infimum"
        + (" and decide(E params [loss = inf]) is false" if decided is False else "")
    )
    return value, attained, ev


def _decide_attained(ring, params, loss, value, seconds: float):
    """decide(E params [loss = inf]) with an algebraic infimum entered as
    E c [m(c) = 0 /\\ lo < c < hi /\\ E params [loss = c]] (as SemialgebraicSet.contains does);
    True/False, or ``"unknown"`` with the budget exhausted (the attainment is then read from the
    eliminated formula alone, which is equally exact)."""
    from ..logic import And, Atom, Exists
    from ..qe import Unknown, decide

    c = ring.gen("c")
    if isinstance(value, Fraction) or getattr(value, "is_rational", False):
        q = value if isinstance(value, Fraction) else value.as_fraction()
        sentence = Exists(params, Atom(loss.subs({"c": _q(q)}) - _q(q), "="))
    else:
        m = ring.zero()
        for i, coef in enumerate(value.minpoly.coeffs()):
            m = m + int(coef) * c**i
        lo, hi = value.interval
        sentence = Exists(
            ["c", *params],
            And(
                Atom(m, "="),
                Atom(c - _q(lo), ">"),
                Atom(c - _q(hi), "<"),
                Atom(loss - c, "="),
            ),
        )
    ans = _limited(decide, seconds, sentence)
    return "unknown" if isinstance(ans, Unknown) else bool(ans)


# -- one-hidden-layer ReLU networks ----------------------------------------------------------------
def _sign_patterns(xm: Matrix, inputs: list[int], seconds: float | None):
    """Strict sign patterns of z = w . x_s + b over the points (w on the unit's masked inputs)
    that some (w, b) realises: tuples of +1/-1, all-negative excluded (a unit that is inactive
    everywhere contributes nothing, like an output weight 0)."""
    import itertools

    from ..logic import And, Atom, Exists
    from ..poly import PolyRing
    from ..qe import Unknown, decide

    npts = len(xm[0])
    ring = PolyRing([*(f"w{j}" for j in inputs), "b"])
    zs = []
    for s in range(npts):
        z = ring.gen("b")
        for j in inputs:
            z = z + ring.gen(f"w{j}") * _q(xm[j][s])
        zs.append(z)
    out = []
    for sigma in itertools.product((1, -1), repeat=npts):
        if all(v < 0 for v in sigma):
            continue
        atoms = [Atom(z, ">" if v > 0 else "<") for z, v in zip(zs, sigma, strict=True)]
        ans = decide(Exists(ring.names, And(*atoms)), budget=seconds)
        if isinstance(ans, Unknown):
            return None
        if ans:
            out.append(sigma)
    return out


def _output_cases(w2_mask, k: int) -> list[dict[int, object]]:
    """Normal forms of column k of W2 under the positive rescaling of unit k: the first non-zero
    masked entry is +1 or -1 and the later ones are free; or the whole column is 0 ({})."""
    rows = [i for i in range(len(w2_mask)) if w2_mask[i][k]]
    cases: list[dict[int, object]] = []
    for idx, i in enumerate(rows):
        for sgn in (1, -1):
            case: dict[int, object] = {r: 0 for r in rows[:idx]}
            case[i] = sgn
            case.update({r: "free" for r in rows[idx + 1 :]})
            cases.append(case)
    return cases


def _relu_pieces(p: SupportPattern, xm: Matrix, ym: Matrix, clock: _Clock):
    """The pieces of the normalised parameter space: each is (names, closed constraints,
    residual polynomials) in a ring with "c" first. None if the budget ran out."""
    import itertools

    from ..logic import Atom
    from ..poly import PolyRing

    w2_mask, w1_mask = p.masks
    out_dim, width = len(w2_mask), len(w1_mask)
    npts = len(xm[0])
    unit_inputs = [[j for j in range(len(w1_mask[0])) if w1_mask[k][j]] for k in range(width)]
    options: list[list[tuple]] = []
    for k in range(width):
        sigmas = _sign_patterns(xm, unit_inputs[k], clock.left())
        if sigmas is None:
            return None
        opts: list[tuple] = [("off",)]
        for case in _output_cases(w2_mask, k):
            for sigma in sigmas:
                opts.append(("on", tuple(sorted(case.items())), sigma))
        options.append(opts)
    # units with the same masks are interchangeable: combinations with repetition suffice
    groups: dict[tuple, list[int]] = {}
    for k in range(width):
        key = (tuple(w2_mask[i][k] for i in range(out_dim)), tuple(w1_mask[k]))
        groups.setdefault(key, []).append(k)
    per_group = [
        list(itertools.combinations_with_replacement(range(len(options[ks[0]])), len(ks)))
        for ks in groups.values()
    ]
    pieces = []
    for choice in itertools.product(*per_group):
        unit_opt: dict[int, tuple] = {}
        for ks, picks in zip(groups.values(), choice, strict=True):
            for k, o in zip(ks, picks, strict=True):
                unit_opt[k] = options[k][o]
        names = [f"c{i}" for i in range(out_dim)]
        for k in range(width):
            opt = unit_opt[k]
            if opt[0] == "off":
                continue
            names += [f"w{k}_{j}" for j in unit_inputs[k]] + [f"b{k}"]
            names += [f"v{i}_{k}" for i, v in opt[1] if v == "free"]
        ring = PolyRing(["c", *names])
        g = ring.gen
        constraints = []
        outputs = [[g(f"c{i}") for _ in range(npts)] for i in range(out_dim)]
        for k in range(width):
            opt = unit_opt[k]
            if opt[0] == "off":
                continue
            case, sigma = dict(opt[1]), opt[2]
            for s in range(npts):
                z = g(f"b{k}")
                for j in unit_inputs[k]:
                    z = z + g(f"w{k}_{j}") * _q(xm[j][s])
                constraints.append(Atom(z, ">=" if sigma[s] > 0 else "<="))
                if sigma[s] < 0:
                    continue  # h = 0 on the closed piece z <= 0
                for i, v in case.items():
                    coef = g(f"v{i}_{k}") if v == "free" else v
                    if coef != 0:
                        outputs[i][s] = outputs[i][s] + coef * z
        residual = [outputs[i][s] - _q(ym[i][s]) for i in range(out_dim) for s in range(npts)]
        pieces.append((ring, names, constraints, residual))
    return pieces


def relu_optimum(
    pattern: object, X: object, Y: object, budget: float | None = None
) -> OptimumResult:
    """Infimum and attainment of the squared loss of a one-hidden-layer ReLU network with biases,
    x -> W2 relu(W1 x + b1) + b2, on finitely many points (exact; docs/optimum.md, "ReLU").

    ``pattern``: two masks in product order, W2 (outputs x width) then W1 (width x inputs); an
    ``int`` is the width of a dense network with one input and one output. ``X``: inputs x
    points; ``Y``: outputs x points. Meant for tiny sizes (width <= 2, <= 3 points); a budget
    that runs out gives ``attained = "unknown"``.
    """
    from ..logic import FALSE, TRUE, And, Atom, Exists, Or
    from ..qe import Unknown, decide, qe

    if isinstance(pattern, int) and not isinstance(pattern, bool):
        if pattern < 1:
            raise InputError(f"the width must be positive, got {pattern}")
        pattern = SupportPattern([[[1] * pattern], [[1]] * pattern])
    p = pattern if isinstance(pattern, SupportPattern) else SupportPattern(pattern)
    if p.num_factors != 2:
        raise InputError("a one-hidden-layer network has two weight matrices (two masks)")
    if budget is not None and not (isinstance(budget, int | float) and budget > 0):
        raise InputError(f"the budget must be a positive number of seconds, got {budget!r}")
    xm, ym = check_data(p, X, Y)
    clock = _Clock(budget)
    base: dict = {"network": "x -> W2 relu(W1 x + b1) + b2", "pattern": str(p)}
    base.update({"X": _strs(xm), "Y": _strs(ym)})

    def done(res: OptimumResult) -> OptimumResult:
        res.seconds = clock.elapsed()
        return res

    pieces = _relu_pieces(p, xm, ym, clock)
    if pieces is None:
        return done(_unknown(p, base, "relu-pieces", "budget exhausted enumerating the pieces"))
    base["pieces"] = len(pieces)

    # exact fit: the infimum is 0 and attained iff some piece interpolates the data
    for _ring, names, constraints, residual in pieces:
        if clock.out():
            return done(_unknown(p, base, "relu-exact-fit", "time budget exhausted"))
        eqs = [Atom(r, "=") for r in residual if not r.is_zero]
        fit = decide(Exists(names, And(*constraints, *eqs)), budget=clock.left())
        if isinstance(fit, Unknown):
            return done(_unknown(p, base, "relu-exact-fit", f"exact fit: {fit.reason}"))
        if fit:
            cert = {**base, "fit": "a piece interpolates the data: decide(E params [...]) true"}
            return done(OptimumResult(p, Fraction(0), True, "relu-exact-fit", 0.0, cert))

    parts = []
    for ring, names, constraints, residual in pieces:
        if clock.out():
            reason = "time budget exhausted before every piece was eliminated"
            return done(_unknown(p, base, "relu-quantifier-elimination", reason))
        loss = sum((r * r for r in residual), ring.zero())
        piece = Exists(names, And(*constraints, Atom(loss - ring.gen("c"), "<=")))
        if any(n.startswith("v") for n in names):  # quartic loss: enforce the budget hard
            ans = _limited(qe, clock.left(), piece)
        else:  # a quadratic loss under linear constraints: virtual substitution, fast
            ans = qe(piece, budget=clock.left())
        if isinstance(ans, Unknown):
            reason = f"quantifier elimination of a piece: {ans.reason}"
            return done(_unknown(p, base, "relu-quantifier-elimination", reason))
        if ans is TRUE:  # pragma: no cover - the loss is >= 0
            raise AssertionError("a piece's loss is unbounded below")
        if ans is not FALSE:
            parts.append(ans)
    union = Or(*parts)
    value, attained = _least_point(union, "c")
    if value is None:  # pragma: no cover - the set is a non-empty up-ray
        raise AssertionError(f"no least point found in {union}")
    if getattr(value, "is_rational", False):
        value = value.as_fraction()
    if p.shape[0] == 1 and attained is not True:  # pragma: no cover - contradicts Frank-Wolfe
        raise AssertionError("one output: every piece is a convex QP, the minimum is attained")
    cert = {
        **base,
        "fit": "no piece interpolates the data (every exact-fit decision is false)",
        "quantifier_elimination": {
            "formula": "OR over pieces of E params [closed sign conditions /\\ loss <= c]",
            "eliminated": str(union.simplify()) if hasattr(union, "simplify") else str(union),
            "formula_at_infimum": attained,
        },
    }
    return done(OptimumResult(p, value, attained, "relu-quantifier-elimination", 0.0, cert))
