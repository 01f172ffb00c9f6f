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


class _Table:
    """Signatures of a set of leaves as bit sets: bit i stands for the i-th leaf.

    ``sign[p][s]`` has the bits of the leaves on which p has sign s; ``unknown[p]`` those whose
    signature does not include p (leaves of lower level: p's sign varies over their cylinder).
    """

    def __init__(self, sigs: Sequence[Signature], factors: Sequence[Poly]):
        self.count = len(sigs)
        self.all = (1 << len(sigs)) - 1
        self.sign: dict[Poly, dict[int, int]] = {p: {-1: 0, 0: 0, 1: 0} for p in factors}
        self.unknown: dict[Poly, int] = dict.fromkeys(factors, 0)
        for i, sig in enumerate(sigs):
            bit = 1 << i
            for p in factors:
                s = sig.get(p)
                if s is None:
                    self.unknown[p] |= bit
                else:
                    self.sign[p][s] |= bit

    def maybe(self, imp: Implicant) -> int:
        """Leaves some point of which may satisfy ``imp`` (unknown signs count as possible)."""
        bits = self.all
        for p, allowed in imp.items():
            m = self.unknown[p]
            for s in allowed:
                m |= self.sign[p][s]
            bits &= m
            if not bits:
                break
        return bits

    def surely(self, imp: Implicant) -> int:
        """Leaves all of whose points satisfy ``imp`` (every sign involved is known)."""
        bits = self.all
        for p, allowed in imp.items():
            m = 0
            for s in allowed:
                m |= self.sign[p][s]
            bits &= m
            if not bits:
                break
        return bits


def _factors_of(sigs: Sequence[Signature]) -> list[Poly]:
    return sorted(
        {p for sig in sigs for p in sig}, key=lambda p: (p.level(), p.total_degree(), str(p))
    )


def _unique(sigs: Sequence[Signature]) -> list[Signature]:
    seen: dict[frozenset, Signature] = {}
    for sig in sigs:
        seen.setdefault(frozenset(sig.items()), sig)
    return list(seen.values())


def check_separation(leaves: Sequence[Leaf]) -> None:
    """Raise :class:`SeparationFailure` if a true and a false leaf have compatible signatures."""
    trues = _unique([lf.signature for lf in leaves if lf.truth])
    falses = _unique([lf.signature for lf in leaves if not lf.truth])
    table = _Table(falses, _factors_of([*trues, *falses]))
    bad: set[int] = set()
    for t in trues:
        clash = table.maybe({p: frozenset((s,)) for p, s in t.items()})
        if clash:
            f = falses[(clash & -clash).bit_length() - 1]
            common = [p for p in t if p in f]
            bad.update(p.level() for p in common)
            bad.add(max((p.level() for p in t), default=1))
    if bad:
        raise SeparationFailure(bad)


def select_factors(leaves: Sequence[Leaf]) -> list[Poly]:
    """A small set of factors separating every true leaf from every false leaf (greedy cover).

    Each factor's separated (true, false) pairs are a bit set over the pairs; the greedy step
    picks the factor covering most uncovered pairs.
    """
    trues = _unique([lf.signature for lf in leaves if lf.truth])
    falses = _unique([lf.signature for lf in leaves if not lf.truth])
    factors = _factors_of([*trues, *falses])
    table = _Table(falses, factors)
    nf = len(falses)
    masks: dict[Poly, int] = {}
    for p in factors:
        # bit (i * nf + j) is set when p separates trues[i] from falses[j]
        known = table.all & ~table.unknown[p]
        mask = 0
        for i, t in enumerate(trues):
            if p in t:
                mask |= (known & ~table.sign[p][t[p]]) << (i * nf)
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
    trues = _unique([lf.signature for lf in leaves if lf.truth])
    falses = _unique([lf.signature for lf in leaves if not lf.truth])
    if not trues:
        return []
    if not falses:
        return [{}]
    chosen = select_factors(leaves)
    implicants: list[Implicant] = []
    seen: set[frozenset] = set()
    for sig in trues:
        imp = {p: frozenset((sig[p],)) for p in chosen if p in sig}
        key = frozenset(imp.items())
        if key not in seen:
            seen.add(key)
            implicants.append(imp)
    implicants = _merge(implicants)
    false_table = _Table(falses, _factors_of([*trues, *falses]))
    implicants = [_expand(imp, false_table) for imp in implicants]
    return _irredundant(implicants, _Table(trues, _factors_of([*trues, *falses])))


def _merge(implicants: list[Implicant]) -> list[Implicant]:
    """Merge implicants on the same factors that differ only in the allowed signs of one factor.

    Implicants are bucketed by everything except one factor; a bucket merges into one implicant
    allowing the union of the signs (it covers exactly the union of what the bucket covered).
    """
    current = {frozenset(imp.items()): imp for imp in implicants}
    changed = True
    while changed:
        changed = False
        factors = {p for imp in current.values() for p in imp}
        for p in sorted(factors, key=lambda q: (-q.level(), str(q))):
            buckets: dict[frozenset, list[Implicant]] = {}
            for imp in current.values():
                if p in imp:
                    rest = frozenset((q, s) for q, s in imp.items() if q != p)
                    buckets.setdefault(rest, []).append(imp)
            for rest, group in buckets.items():
                if len(group) < 2:
                    continue
                union = frozenset().union(*(imp[p] for imp in group))
                merged = dict(rest)
                if union != ALL_SIGNS:
                    merged[p] = union
                for imp in group:
                    current.pop(frozenset(imp.items()), None)
                current[frozenset(merged.items())] = merged
                changed = True
    return list(current.values())


def _expand(imp: Implicant, falses: _Table) -> Implicant:
    """Drop or widen literals while the implicant still covers no false leaf."""
    current = dict(imp)
    for p in sorted(current, key=lambda q: (-q.level(), -q.total_degree(), str(q))):
        trial = {q: s for q, s in current.items() if q != p}
        if not falses.maybe(trial):
            current = trial
            continue
        for wider in _widenings(current[p]):
            trial = dict(current)
            trial[p] = wider
            if not falses.maybe(trial):
                current = trial
                break
    return current


def _widenings(signs: frozenset[int]) -> list[frozenset[int]]:
    if len(signs) != 1:
        return []
    (s,) = signs
    return [frozenset((s, t)) for t in (-1, 0, 1) if t != s]


def _irredundant(implicants: list[Implicant], trues: _Table) -> list[Implicant]:
    """Remove implicants whose true leaves are all covered by the others."""
    kept = list(implicants)
    covered = [trues.surely(m) for m in kept]
    for imp in sorted(implicants, key=lambda m: -len(m)):
        i = next(k for k, m in enumerate(kept) if m is imp)
        others = 0
        for k, bits in enumerate(covered):
            if k != i:
                others |= bits
        if len(kept) > 1 and covered[i] & ~others == 0:
            del kept[i], covered[i]
    return kept
