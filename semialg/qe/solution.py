"""Solution formula construction from a truth-invariant partial CAD of free-variable space.

Input: the *leaves* of the free-variable part of a partial CAD (cells of level <= f whose truth
value is known; a leaf of level j < f stands for the whole cylinder above it), each with its
*signature*: the signs of the projection factors of levels <= its level.

If no true leaf and false leaf have compatible signatures (they agree on every factor both know),
then the disjunction of the true leaves' sign conditions is a quantifier-free formula equivalent
to the input (Hong, "Simple solution formula construction in CAD based quantifier elimination",
ISSAC 1992; Brown, "Guaranteed solution formula construction", ISSAC 1999): a point lies in
exactly one leaf, and a false leaf's points cannot satisfy a true leaf's conditions without the two
signatures agreeing on all common factors. Otherwise the caller adds derivatives of projection
factors (which, by Thom's lemma, eventually separate the cells) and recomputes.

The formula is then simplified, soundly, by (1) choosing a small set of factors that still
separates every true/false pair (greedy set cover), (2) merging implicants that differ in the sign
of one factor (Quine-McCluskey style over the three signs), (3) dropping literals whose removal
covers no false leaf, and (4) removing implicants that cover no true leaf on their own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..poly import Poly

ALL_SIGNS = frozenset((-1, 0, 1))

Signature = dict[Poly, int]
Implicant = dict[Poly, frozenset[int]]


@dataclass
class Leaf:
    """A truth-valued leaf of the free-variable part of a partial CAD."""

    signature: Signature
    truth: bool


class SeparationFailure(Exception):
    """Some true and false leaves have compatible signatures: more polynomials are needed.

    ``levels`` lists the levels of the factors involved (where derivatives should be added).
    """

    def __init__(self, levels: set[int]):
        super().__init__(f"signatures do not separate true from false cells (levels {levels})")
        self.levels = levels


def _separates(p: Poly, a: Signature, b: Signature) -> bool:
    return p in a and p in b and a[p] != b[p]


def _compatible(a: Signature, b: Signature) -> bool:
    return all(b[p] == s for p, s in a.items() if p in b)


def _covers(imp: Implicant, sig: Signature) -> bool:
    """Can a point of the leaf with signature ``sig`` satisfy ``imp``? (Unknown sign: maybe.)"""
    return all(p not in sig or sig[p] in allowed for p, allowed in imp.items())


def _certainly_covers(imp: Implicant, sig: Signature) -> bool:
    return all(p in sig and sig[p] in allowed for p, allowed in imp.items())


def check_separation(leaves: Sequence[Leaf]) -> None:
    """Raise :class:`SeparationFailure` if a true and a false leaf have compatible signatures."""
    trues = [lf for lf in leaves if lf.truth]
    falses = [lf for lf in leaves if not lf.truth]
    bad: set[int] = set()
    for t in trues:
        for f in falses:
            if _compatible(t.signature, f.signature):
                common = [p for p in t.signature if p in f.signature]
                bad.update(p.level() for p in common)
                bad.add(max((p.level() for p in t.signature), default=1))
    if bad:
        raise SeparationFailure(bad)


def select_factors(leaves: Sequence[Leaf]) -> list[Poly]:
    """A small set of factors separating every true leaf from every false leaf (greedy cover).

    Each factor's separated (true, false) pairs are a bit set over the pairs; the greedy step
    picks the factor covering most uncovered pairs.
    """
    trues = [lf.signature for lf in leaves if lf.truth]
    falses = [lf.signature for lf in leaves if not lf.truth]
    factors = sorted(
        {p for lf in leaves for p in lf.signature},
        key=lambda p: (p.level(), p.total_degree(), str(p)),
    )
    nf = len(falses)
    masks: dict[Poly, int] = {}
    for p in factors:
        # bit (i * nf + j) is set when p separates trues[i] from falses[j]
        by_sign: dict[int, int] = {}
        for j, f in enumerate(falses):
            if p in f:
                by_sign[f[p]] = by_sign.get(f[p], 0) | (1 << j)
        known = 0
        for bits in by_sign.values():
            known |= bits
        mask = 0
        for i, t in enumerate(trues):
            if p in t:
                mask |= (known & ~by_sign.get(t[p], 0)) << (i * nf)
        masks[p] = mask
    uncovered = (1 << (len(trues) * nf)) - 1
    chosen: list[Poly] = []
    while uncovered:
        best = max(factors, key=lambda p: (masks[p] & uncovered).bit_count())
        if not masks[best] & uncovered:  # pragma: no cover - excluded by check_separation
            raise SeparationFailure({best.level()})
        chosen.append(best)
        uncovered &= ~masks[best]
    return chosen


def construct(leaves: Sequence[Leaf]) -> list[Implicant]:
    """A simplified DNF (list of implicants) equivalent to the leaves' truth values.

    An empty list means FALSE; a list containing the empty implicant means TRUE.
    """
    check_separation(leaves)
    trues = [lf.signature for lf in leaves if lf.truth]
    falses = [lf.signature for lf in leaves if not lf.truth]
    if not trues:
        return []
    if not falses:
        return [{}]
    chosen = select_factors(leaves)
    implicants: list[Implicant] = []
    for sig in trues:
        imp = {p: frozenset((sig[p],)) for p in chosen if p in sig}
        if imp not in implicants:
            implicants.append(imp)
    implicants = _merge(implicants)
    implicants = [_expand(imp, falses) for imp in implicants]
    return _irredundant(implicants, trues)


def _merge(implicants: list[Implicant]) -> list[Implicant]:
    """Merge implicants on the same factors that differ in the allowed signs of one factor."""
    changed = True
    while changed:
        changed = False
        for i in range(len(implicants)):
            for j in range(i + 1, len(implicants)):
                a, b = implicants[i], implicants[j]
                if a.keys() != b.keys():
                    continue
                diff = [p for p in a if a[p] != b[p]]
                if len(diff) != 1:
                    continue
                p = diff[0]
                merged = dict(a)
                merged[p] = a[p] | b[p]
                if merged[p] == ALL_SIGNS:
                    del merged[p]
                implicants = [m for k, m in enumerate(implicants) if k not in (i, j)]
                if merged not in implicants:
                    implicants.append(merged)
                changed = True
                break
            if changed:
                break
    return implicants


def _expand(imp: Implicant, falses: Sequence[Signature]) -> Implicant:
    """Drop or widen literals while the implicant still covers no false leaf."""
    current = dict(imp)
    for p in sorted(current, key=lambda q: (-q.level(), -q.total_degree(), str(q))):
        trial = {q: s for q, s in current.items() if q != p}
        if not any(_covers(trial, f) for f in falses):
            current = trial
            continue
        for wider in _widenings(current[p]):
            trial = dict(current)
            trial[p] = wider
            if not any(_covers(trial, f) for f in falses):
                current = trial
                break
    return current


def _widenings(signs: frozenset[int]) -> list[frozenset[int]]:
    if len(signs) != 1:
        return []
    (s,) = signs
    return [frozenset((s, t)) for t in (-1, 0, 1) if t != s]


def _irredundant(implicants: list[Implicant], trues: Sequence[Signature]) -> list[Implicant]:
    """Remove implicants whose true leaves are all covered by the others."""
    kept = list(implicants)
    for imp in sorted(implicants, key=lambda m: -len(m)):
        others = [m for m in kept if m is not imp]
        if not others:
            break
        if all(
            any(_certainly_covers(m, t) for m in others)
            for t in trues
            if _certainly_covers(imp, t)
        ):
            kept = others
    return kept
