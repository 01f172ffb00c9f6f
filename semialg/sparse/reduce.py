"""Exact reductions of a two-factor pattern to independent residual groups.

The image of X Y (masks I, J) is ``L = sum_k K(C_k x R_k)``, K(S) the rank-<=1 matrices supported
in the rectangle S (``docs/sparse.md``, Fact 0). The reductions below keep track of a set F of
*free entries*: L = L' + R^F, and L is closed iff the projection pi_F(L') that forgets the entries
in F is closed (Fact 3). Each rule is proved in ``docs/sparse.md``; :func:`reduce_pattern` records
which rule fired where, so that a certificate can list the chain of reductions.

- *empty*: a hidden unit with an empty column of X or an empty row of Y contributes nothing;
- *merge*: equal rectangles form one block ``K_c(S)`` of matrices of rank <= c (Fact 4);
- *split*: pi_F(K_c(C x R)) is the sum of pi_F(K_c(B)) over the connected components B of the
  bipartite graph of non-free entries of C x R (Fact 5);
- *subspace*: a block with c >= min(#rows, #cols) projects onto all of R^(non-free entries):
  its entries become free (Fact 3; single-row and single-column rectangles are the case c = 1);
- *groups*: terms that share no non-free entry act on disjoint coordinates, and the image is
  closed iff each group's image is closed (Fact 2).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field

from .pattern import SupportPattern

Entry = tuple[int, int]


@dataclass(frozen=True)
class Term:
    """The block ``K_c(rows x cols)``: matrices of rank <= c = len(hidden) supported in the
    rectangle, realised by the hidden units ``hidden`` of the original pattern."""

    rows: frozenset[int]
    cols: frozenset[int]
    hidden: tuple[int, ...]

    @property
    def rank(self) -> int:
        return len(self.hidden)

    def entries(self) -> frozenset[Entry]:
        return frozenset(itertools.product(self.rows, self.cols))

    def to_json(self) -> dict:
        return {"rows": sorted(self.rows), "cols": sorted(self.cols), "hidden": list(self.hidden)}


@dataclass(frozen=True)
class FreeSource:
    """A term whose projection is a whole coordinate subspace: it made ``entries`` free."""

    term: Term
    entries: frozenset[Entry]


@dataclass
class Group:
    """Terms acting on a common set of non-free entries (a residual block of the pattern)."""

    terms: list[Term]
    entries: frozenset[Entry]
    free: frozenset[Entry]

    def holes(self, term: Term) -> frozenset[Entry]:
        return term.entries() & self.free

    def is_single_complete(self) -> bool:
        return len(self.terms) == 1 and not self.holes(self.terms[0])

    def canonical_key(self) -> tuple:
        """Invariant of the group under row/column relabelling and transposition."""
        rows = sorted(set().union(*(t.rows for t in self.terms)))
        cols = sorted(set().union(*(t.cols for t in self.terms)))
        fr = {e for e in self.free if e[0] in rows and e[1] in cols}
        best = None
        for transpose in (False, True):
            rs, cs = (cols, rows) if transpose else (rows, cols)
            for pr in itertools.permutations(range(len(rs))):
                rmap = dict(zip(rs, pr, strict=True))
                for pc in itertools.permutations(range(len(cs))):
                    cmap = dict(zip(cs, pc, strict=True))
                    ts = []
                    for t in self.terms:
                        a, b = (t.cols, t.rows) if transpose else (t.rows, t.cols)
                        ts.append(
                            (
                                tuple(sorted(rmap[i] for i in a)),
                                tuple(sorted(cmap[j] for j in b)),
                                t.rank,
                            )
                        )
                    f = tuple(
                        sorted(
                            (rmap[j], cmap[i]) if transpose else (rmap[i], cmap[j]) for i, j in fr
                        )
                    )
                    key = (len(rs), len(cs), tuple(sorted(ts)), f)
                    if best is None or key < best:
                        best = key
        assert best is not None
        return best

    def to_json(self) -> dict:
        return {
            "terms": [t.to_json() for t in self.terms],
            "entries": sorted(map(list, self.entries)),
            "free": sorted(map(list, self.free)),
        }


@dataclass
class Reduction:
    """The result of :func:`reduce_pattern`."""

    pattern: SupportPattern
    free: frozenset[Entry]
    sources: list[FreeSource]
    groups: list[Group]
    steps: list[dict] = field(default_factory=list)


def _components(entries: Iterable[Entry]) -> list[tuple[frozenset[int], frozenset[int]]]:
    """Connected components (rows, cols) of the bipartite graph with the given edges."""
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def find(a):
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for i, j in entries:
        r, c = ("r", i), ("c", j)
        parent.setdefault(r, r)
        parent.setdefault(c, c)
        ra, rb = find(r), find(c)
        if ra != rb:
            parent[ra] = rb
    comps: dict[tuple[str, int], tuple[set[int], set[int]]] = {}
    for v in parent:
        root = find(v)
        rows, cols = comps.setdefault(root, (set(), set()))
        (rows if v[0] == "r" else cols).add(v[1])
    return sorted(
        ((frozenset(r), frozenset(c)) for r, c in comps.values()),
        key=lambda rc: (sorted(rc[0]), sorted(rc[1])),
    )


def _fmt(rows: Iterable[int], cols: Iterable[int]) -> str:
    return f"rows {sorted(rows)} x cols {sorted(cols)}"


def reduce_pattern(pattern: SupportPattern) -> Reduction:
    """Apply the reductions of the module docstring until none applies."""
    steps: list[dict] = []
    terms: list[Term] = []
    for k, (c, r) in enumerate(pattern.rank_one_supports()):
        if c and r:
            terms.append(Term(c, r, (k,)))
        else:
            steps.append({"rule": "empty", "hidden": [k], "why": "empty column of X or row of Y"})
    free: set[Entry] = set()
    sources: list[FreeSource] = []
    changed = True
    while changed:
        changed = False
        # merge equal rectangles into blocks of higher rank
        merged: dict[tuple[frozenset[int], frozenset[int]], list[int]] = {}
        for t in terms:
            merged.setdefault((t.rows, t.cols), []).extend(t.hidden)
        if len(merged) < len(terms):
            changed = True
            for (rows, cols), hid in merged.items():
                count = sum(1 for t in terms if (t.rows, t.cols) == (rows, cols))
                if count > 1:
                    steps.append(
                        {
                            "rule": "merge",
                            "hidden": sorted(hid),
                            "why": f"equal rectangles {_fmt(rows, cols)}: a block of rank <= "
                            f"{len(hid)}",
                        }
                    )
        terms = [Term(rows, cols, tuple(sorted(h))) for (rows, cols), h in merged.items()]
        # split along components of the non-free entries; drop terms inside F
        new_terms: list[Term] = []
        for t in terms:
            live = t.entries() - free
            if not live:
                changed = True
                steps.append(
                    {
                        "rule": "absorbed",
                        "hidden": list(t.hidden),
                        "why": f"{_fmt(t.rows, t.cols)} lies in the free entries",
                    }
                )
                continue
            comps = _components(live)
            if len(comps) == 1 and comps[0] == (t.rows, t.cols):
                new_terms.append(t)
                continue
            changed = True
            parts = [Term(rows, cols, t.hidden) for rows, cols in comps]
            steps.append(
                {
                    "rule": "split",
                    "hidden": list(t.hidden),
                    "why": f"non-free entries of {_fmt(t.rows, t.cols)} have components "
                    + "; ".join(_fmt(p.rows, p.cols) for p in parts),
                }
            )
            new_terms.extend(parts)
        terms = new_terms
        # subspaces become free entries
        kept: list[Term] = []
        for t in terms:
            if t.rank >= min(len(t.rows), len(t.cols)):
                live = t.entries() - free
                sources.append(FreeSource(t, frozenset(live)))
                free |= live
                changed = True
                steps.append(
                    {
                        "rule": "subspace",
                        "hidden": list(t.hidden),
                        "why": f"rank <= {t.rank} on {_fmt(t.rows, t.cols)} covers every matrix "
                        "there: its entries become free",
                        "entries": sorted(map(list, live)),
                    }
                )
            else:
                kept.append(t)
        terms = kept
    groups = _groups(terms, frozenset(free))
    if len(groups) > 1:
        steps.append(
            {
                "rule": "groups",
                "why": f"{len(groups)} groups of terms on disjoint non-free entries",
            }
        )
    return Reduction(pattern, frozenset(free), sources, groups, steps)


def _groups(terms: list[Term], free: frozenset[Entry]) -> list[Group]:
    live = [t.entries() - free for t in terms]
    parent = list(range(len(terms)))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for a, b in itertools.combinations(range(len(terms)), 2):
        if live[a] & live[b]:
            parent[find(a)] = find(b)
    by_root: dict[int, list[int]] = {}
    for a in range(len(terms)):
        by_root.setdefault(find(a), []).append(a)
    groups = []
    for idx in by_root.values():
        ts = [terms[a] for a in idx]
        entries = frozenset().union(*(live[a] for a in idx))
        region = frozenset().union(*(t.entries() for t in ts))
        groups.append(Group(ts, entries, frozenset(region & free)))
    groups.sort(key=lambda g: sorted(g.entries))
    return groups
