"""Sampling oracles for products of sparse factors (no hypothesis needed).

- :func:`random_factors` / :func:`sample_product`: factors with the pattern's supports and small
  random rational entries, and their exact product (a member of the image by construction);
- :func:`check_members`: every sampled product is reported a member by ``pattern.contains``;
- :func:`check_limit_numerically`: a not-closed certificate's factors, evaluated at small t in
  floating point, approach its limit matrix (an independent sanity check of the Laurent algebra);
- :func:`z3_member`: z3's decision of ``E factors [X_1 ... X_L = A]`` (True/False/None=unknown).
"""

from __future__ import annotations

import itertools
import random
from fractions import Fraction

from ..sparse.laurent import matrix_from_json
from ..sparse.pattern import SupportPattern


def random_factors(
    pattern: SupportPattern, rng: random.Random, bound: int = 3, denominator: int = 2
) -> list[list[list[Fraction]]]:
    """Factors with the pattern's supports, entries in [-bound, bound], small denominators."""
    out = []
    for mask in pattern.masks:
        out.append(
            [
                [
                    Fraction(
                        rng.randint(-bound * denominator, bound * denominator),
                        rng.randint(1, denominator),
                    )
                    if v
                    else Fraction(0)
                    for v in row
                ]
                for row in mask
            ]
        )
    return out


def multiply(factors: list[list[list[Fraction]]]) -> list[list[Fraction]]:
    prod = factors[0]
    for f in factors[1:]:
        prod = [
            [sum((row[k] * f[k][j] for k in range(len(f))), Fraction(0)) for j in range(len(f[0]))]
            for row in prod
        ]
    return prod


def sample_product(pattern: SupportPattern, rng: random.Random, **kw) -> list[list[Fraction]]:
    """The product of :func:`random_factors`: a member of the image."""
    return multiply(random_factors(pattern, rng, **kw))


def check_members(
    pattern: SupportPattern, samples: int = 5, seed: int = 0, budget: float = 30
) -> None:
    """Assert that sampled products are members (exact membership, ``pattern.contains``)."""
    rng = random.Random(seed)
    for _ in range(samples):
        a = sample_product(pattern, rng)
        ans = pattern.contains(a, budget=budget)
        if ans is not True and not (hasattr(ans, "reason")):
            raise AssertionError(f"{pattern}: the product {a} of sampled factors is reported {ans}")


def check_limit_numerically(certificate: dict, ts=(1e-2, 1e-3, 1e-4)) -> list[float]:
    """Distances (max norm) from X(t) Y(t) to the limit at the given t, in floating point;
    asserts they decrease to below 1e-2 * max(1, |limit|)."""
    factors = [matrix_from_json(f) for f in certificate["factors"]]
    limit = [[float(Fraction(v)) for v in row] for row in certificate["limit"]]
    dists = []
    for t in ts:
        mats = [[[float(e(t)) for e in row] for row in f] for f in factors]
        prod = mats[0]
        for f in mats[1:]:
            prod = [
                [sum(row[k] * f[k][j] for k in range(len(f))) for j in range(len(f[0]))]
                for row in prod
            ]
        dists.append(
            max(
                abs(prod[i][j] - limit[i][j])
                for i in range(len(limit))
                for j in range(len(limit[0]))
            )
        )
    scale = max(1.0, max(abs(v) for row in limit for v in row))
    if not dists[-1] < 1e-2 * scale or any(b > a + 1e-12 for a, b in itertools.pairwise(dists)):
        raise AssertionError(f"the certificate's products do not approach the limit: {dists}")
    return dists


def z3_member(pattern: SupportPattern, a, timeout: float = 10.0) -> bool | None:
    """z3's answer to 'is A a product?' (None when z3 says unknown)."""
    import z3

    vars_ = []
    mats = []
    for f, mask in enumerate(pattern.masks):
        mat = []
        for i, row in enumerate(mask):
            r = []
            for j, v in enumerate(row):
                if v:
                    x = z3.Real(f"x{f}_{i}_{j}")
                    vars_.append(x)
                    r.append(x)
                else:
                    r.append(z3.RealVal(0))
            mat.append(r)
        mats.append(mat)
    prod = mats[0]
    for f in mats[1:]:
        prod = [
            [z3.Sum([row[k] * f[k][j] for k in range(len(f))]) for j in range(len(f[0]))]
            for row in prod
        ]
    s = z3.Solver()
    s.set("timeout", int(timeout * 1000))
    for i, row in enumerate(prod):
        for j, e in enumerate(row):
            q = Fraction(a[i][j])
            s.add(e == z3.Q(q.numerator, q.denominator))
    res = s.check()
    if res == z3.sat:
        return True
    if res == z3.unsat:
        return False
    return None
