"""Products of three or more factors (docs/sparse.md, "Deeper products").

- *Monomial absorption* (Fact 9): a factor whose mask has at most one 1 in every row and every
  column (a partial monomial pattern P) can be merged into a neighbour: {X P D} over diagonal D
  and X with mask I is exactly the set of matrices with mask I P (boolean product), because the
  columns of X P D are distinct columns of X, each scaled freely. So the image is unchanged when
  the two factors are replaced by one factor with mask I P (and likewise on the left).
- *Embedded witnesses* (Fact 10): if two adjacent factors (l, l+1) have a cancellation curve
  X(t), Y(t) -> A, then with constant factors elsewhere the whole product tends to
  P A Q; when a Groebner basis proves P A Q outside the deep image, the image is not closed.
"""

from __future__ import annotations

import random
from fractions import Fraction

from .laurent import Laurent, LaurentMatrix, matmul
from .membership import groebner_infeasible, product_equations
from .pattern import Mask, SupportPattern


def is_partial_monomial(mask: Mask) -> bool:
    return all(sum(r) <= 1 for r in mask) and all(sum(c) <= 1 for c in zip(*mask, strict=True))


def boolean_product(a: Mask, b: Mask) -> Mask:
    return tuple(
        tuple(int(any(a[i][k] and b[k][j] for k in range(len(b)))) for j in range(len(b[0])))
        for i in range(len(a))
    )


def absorb_monomials(pattern: SupportPattern) -> tuple[SupportPattern, list[dict]]:
    """Merge partial monomial factors into a neighbour until two factors remain or none is
    monomial; returns the reduced pattern and the steps (for the certificate and the lift)."""
    masks = list(pattern.masks)
    steps: list[dict] = []
    while len(masks) > 2:
        for k, m in enumerate(masks):
            if is_partial_monomial(m):
                if k + 1 < len(masks):  # merge into the left factor of the pair (k-1, k)?
                    if k > 0:
                        masks[k - 1 : k + 1] = [boolean_product(masks[k - 1], m)]
                        steps.append({"rule": "monomial", "factor": k, "into": "left"})
                    else:
                        masks[0:2] = [boolean_product(m, masks[1])]
                        steps.append({"rule": "monomial", "factor": 0, "into": "right"})
                else:
                    masks[k - 1 : k + 1] = [boolean_product(masks[k - 1], m)]
                    steps.append({"rule": "monomial", "factor": k, "into": "left"})
                break
        else:
            break
    return SupportPattern(masks), steps


def lift_monomial_factors(
    original: SupportPattern, steps: list[dict], factors: list[LaurentMatrix]
) -> list[LaurentMatrix]:
    """Factors of the original pattern from factors of the absorbed one (undo the steps in
    reverse order: the monomial factor becomes its 0/1 matrix, the neighbour takes the columns
    (rows) of the merged factor that the monomial pattern routes to it)."""
    masks_seq = [list(original.masks)]
    for st in steps:  # replay to know the masks before each step
        ms = list(masks_seq[-1])
        k = st["factor"]
        if st["into"] == "left":
            ms[k - 1 : k + 1] = [boolean_product(ms[k - 1], ms[k])]
        else:
            ms[0:2] = [boolean_product(ms[0], ms[1])]
        masks_seq.append(ms)
    facs = list(factors)
    for st, before in zip(reversed(steps), reversed(masks_seq[:-1]), strict=True):
        k = st["factor"]
        mono = before[k]
        pmat = [[Laurent.constant(1) if v else Laurent() for v in row] for row in mono]
        if st["into"] == "left":
            merged = facs[k - 1]  # rows x cols(mono)
            left = [[Laurent() for _ in range(len(mono))] for _ in range(len(merged))]
            for kk, row in enumerate(mono):
                for j, v in enumerate(row):
                    if v:
                        for i in range(len(merged)):
                            left[i][kk] = merged[i][j]
            facs[k - 1 : k] = [left, pmat]
        else:
            merged = facs[0]  # rows(mono) x cols
            right = [[Laurent() for _ in range(len(merged[0]))] for _ in range(len(mono[0]))]
            for i, row in enumerate(mono):
                for kk, v in enumerate(row):
                    if v:
                        right[kk] = list(merged[i])
            facs[0:1] = [pmat, right]
    return facs


def embedded_witness(pattern: SupportPattern, clock, seed: int = 0, tries: int = 4):
    """Fact 10: a two-factor witness of adjacent factors, padded with constant factors, whose
    limit is proved outside the deep image. Returns (factors, limit) or None. ``clock``: a
    :class:`~semialg.deadline.Stopwatch`; the pairs are decided within what is left of it."""
    from .closedness import closedness

    rng = random.Random(seed)
    masks = pattern.masks
    for left in range(len(masks) - 1):
        if clock.out():
            return None
        pair = SupportPattern([masks[left], masks[left + 1]])
        remaining = clock.left()
        res = closedness(pair, budget=None if remaining is None else max(remaining, 0.01))
        if res.verdict != "not_closed" or "factors" not in res.certificate:
            continue
        from .laurent import matrix_from_json

        x, y = (matrix_from_json(f) for f in res.certificate["factors"])
        for _ in range(tries):
            consts = []
            for f, mask in enumerate(masks):
                if f in (left, left + 1):
                    consts.append(None)
                    continue
                consts.append(
                    [
                        [
                            Laurent.constant(rng.choice([1, 1, 2, -1, 3])) if v else Laurent()
                            for v in row
                        ]
                        for row in mask
                    ]
                )
            facs: list[LaurentMatrix] = [
                x if f == left else y if f == left + 1 else consts[f]  # type: ignore[misc]
                for f in range(len(masks))
            ]
            prod = facs[0]
            for f in facs[1:]:
                prod = matmul(prod, f)
            if any(e.min_exponent is not None and e.min_exponent < 0 for row in prod for e in row):
                continue
            limit = [[e.coefficient(0) for e in row] for row in prod]
            eqs, gens = product_equations(pattern, limit)
            if groebner_infeasible(eqs, gens):
                return facs, [[Fraction(v) for v in row] for row in limit]
    return None
