"""Support patterns: the binary masks of a product of sparse factors X_1 X_2 ... X_L.

A :class:`SupportPattern` is a tuple of 0/1 masks in *product order* (the left factor first), with
chained shapes ``m x r_1, r_1 x r_2, ..., r_{L-1} x n``. It is immutable and hashable. Patterns are
read from nested lists, numpy arrays or the text form ``"10,11 11,01"`` (rows separated by commas,
factors by spaces; that example is 2x2 lower times upper), and built from named families
(:func:`lu`, :func:`ul`, :func:`dense`, :func:`diagonal`, :func:`butterfly`,
:func:`random_pattern`).

For two factors the image only depends on the *rank-one supports* ``S_k = C_k x R_k`` (column k of
X1 lives on rows C_k, row k of X2 on columns R_k), see :meth:`SupportPattern.rank_one_supports`.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..errors import InputError, InputTypeError

Mask = tuple[tuple[int, ...], ...]
Rectangle = tuple[frozenset[int], frozenset[int]]


def _as_mask(obj: object, index: int) -> Mask:
    """A 0/1 mask from nested lists, a numpy array or a string of rows ``"10,11"``."""
    if isinstance(obj, str):
        rows = [r.strip() for r in obj.split(",")]
        if not rows or any(not r for r in rows):
            raise InputError(f"factor {index + 1}: empty row in mask text {obj!r}")
        bad = sorted({c for r in rows for c in r if c not in "01"})
        if bad:
            raise InputError(f"factor {index + 1}: mask text {obj!r} has characters {bad}; use 0/1")
        table = [[int(c) for c in r] for r in rows]
    else:
        try:
            import numpy as np

            if isinstance(obj, np.ndarray):
                if obj.ndim != 2:
                    raise InputError(f"factor {index + 1}: a mask must be 2-dimensional")
                obj = obj.tolist()
        except ImportError:  # pragma: no cover - numpy is a dependency
            pass
        if not isinstance(obj, Sequence) or isinstance(obj, bytes):
            raise InputTypeError(f"factor {index + 1}: a mask is a list of rows, got {obj!r}")
        table = []
        for row in obj:
            if not isinstance(row, Sequence) or isinstance(row, str | bytes):
                raise InputTypeError(
                    f"factor {index + 1}: mask rows must be sequences, got {row!r}"
                )
            out_row = []
            for v in row:
                if isinstance(v, bool):
                    v = int(v)
                if not (isinstance(v, int) or hasattr(v, "__index__")) or int(v) not in (0, 1):
                    raise InputError(f"factor {index + 1}: mask entries must be 0 or 1, got {v!r}")
                out_row.append(int(v))
            table.append(out_row)
    if not table or not table[0]:
        raise InputError(f"factor {index + 1}: empty mask")
    width = len(table[0])
    if any(len(r) != width for r in table):
        raise InputError(f"factor {index + 1}: rows of different lengths {[len(r) for r in table]}")
    return tuple(tuple(r) for r in table)


@dataclass(frozen=True)
class SupportPattern:
    """Binary masks of the factors of a product, in product order (left factor first)."""

    masks: tuple[Mask, ...]

    def __init__(self, masks: object):
        if isinstance(masks, SupportPattern):
            object.__setattr__(self, "masks", masks.masks)
            return
        if isinstance(masks, str):
            masks = masks.split()
        try:
            import numpy as np

            if isinstance(masks, np.ndarray):
                if masks.ndim != 3:
                    raise InputError("a stack of masks must be a 3-dimensional array")
                masks = list(masks)
        except ImportError:  # pragma: no cover
            pass
        if not isinstance(masks, Iterable):
            raise InputTypeError(f"a pattern is a sequence of masks, got {masks!r}")
        ms = tuple(_as_mask(m, i) for i, m in enumerate(masks))
        if len(ms) < 2:
            raise InputError(f"a pattern needs at least two factors, got {len(ms)}")
        for i in range(len(ms) - 1):
            a, b = ms[i], ms[i + 1]
            if len(a[0]) != len(b):
                raise InputError(
                    f"factors {i + 1} and {i + 2} do not chain: {len(a)}x{len(a[0])} times "
                    f"{len(b)}x{len(b[0])}"
                )
        object.__setattr__(self, "masks", ms)

    # -- text form and shapes ------------------------------------------------------------------
    @classmethod
    def parse(cls, text: str) -> SupportPattern:
        """Read the text form ``"10,11 11,01"`` (rows by commas, factors by spaces)."""
        if not isinstance(text, str):
            raise InputTypeError(f"expected the text form of a pattern, got {text!r}")
        if not text.split():
            raise InputError("empty pattern text")
        return cls(text.split())

    def __str__(self) -> str:
        return " ".join(",".join("".join(map(str, r)) for r in m) for m in self.masks)

    def __repr__(self) -> str:
        return f"SupportPattern({str(self)!r})"

    @property
    def num_factors(self) -> int:
        return len(self.masks)

    @property
    def dims(self) -> tuple[int, ...]:
        """``(m, r_1, ..., r_{L-1}, n)``."""
        return (len(self.masks[0]), *(len(m[0]) for m in self.masks))

    @property
    def shape(self) -> tuple[int, int]:
        """The shape ``(m, n)`` of the product."""
        d = self.dims
        return d[0], d[-1]

    def to_lists(self) -> list[list[list[int]]]:
        return [[list(r) for r in m] for m in self.masks]

    def free_parameters(self) -> list[tuple[int, int, int]]:
        """The masked entries ``(factor, row, column)`` that carry a parameter."""
        return [
            (f, i, j)
            for f, m in enumerate(self.masks)
            for i, row in enumerate(m)
            for j, v in enumerate(row)
            if v
        ]

    # -- two factors ---------------------------------------------------------------------------
    def rank_one_supports(self) -> list[Rectangle]:
        """For two factors: ``[(C_k, R_k)]``, C_k the rows of column k of X1 and R_k the columns
        of row k of X2 (the image is the sum over k of the rank-one matrices supported in
        C_k x R_k)."""
        if self.num_factors != 2:
            raise InputError("rank-one supports are defined for two factors")
        x, y = self.masks
        r = len(y)
        return [
            (
                frozenset(i for i, row in enumerate(x) if row[k]),
                frozenset(j for j, v in enumerate(y[k]) if v),
            )
            for k in range(r)
        ]

    @classmethod
    def from_rank_one_supports(
        cls, supports: Sequence[tuple[Iterable[int], Iterable[int]]], m: int, n: int
    ) -> SupportPattern:
        """The two-factor pattern whose hidden unit k has rank-one support ``C_k x R_k``."""
        sup = [(frozenset(c), frozenset(r)) for c, r in supports]
        if not sup:
            raise InputError("at least one rank-one support is needed")
        for c, r in sup:
            if any(not 0 <= i < m for i in c) or any(not 0 <= j < n for j in r):
                raise InputError(f"rank-one support {sorted(c)} x {sorted(r)} outside {m}x{n}")
        x = [[int(i in c) for c, _ in sup] for i in range(m)]
        y = [[int(j in r) for j in range(n)] for _, r in sup]
        return cls([x, y])

    # -- symmetries ----------------------------------------------------------------------------
    def transpose(self) -> SupportPattern:
        """The pattern of the transposed product X_L^T ... X_1^T."""
        return SupportPattern([tuple(zip(*m, strict=True)) for m in reversed(self.masks)])

    def permute(
        self,
        rows: Sequence[int] | None = None,
        cols: Sequence[int] | None = None,
        hidden: Sequence[Sequence[int] | None] | None = None,
    ) -> SupportPattern:
        """Relabel rows of the product (``rows[i]`` is the new index of row i), columns, and the
        hidden indices between factors (one permutation or None per inner dimension)."""
        ms = [list(map(list, m)) for m in self.masks]
        dims = self.dims
        perms: list[Sequence[int] | None] = [rows, *(hidden or [None] * (len(dims) - 2)), cols]
        if len(perms) != len(dims):
            raise InputError(f"expected {len(dims) - 2} hidden permutations")
        for level, p in enumerate(perms):
            if p is None:
                continue
            if sorted(p) != list(range(dims[level])):
                raise InputError(f"{list(p)} is not a permutation of range({dims[level]})")
            if level > 0:  # columns of factor level-1
                m = ms[level - 1]
                new = [[0] * len(m[0]) for _ in m]
                for i, row in enumerate(m):
                    for j, v in enumerate(row):
                        new[i][p[j]] = v
                ms[level - 1] = new
            if level < len(ms):  # rows of factor level
                m = ms[level]
                new = [None] * len(m)
                for i, row in enumerate(m):
                    new[p[i]] = row
                ms[level] = new  # type: ignore[assignment]
        return SupportPattern(ms)

    # -- the image ---------------------------------------------------------------------------
    def image(self):
        """The set of products as a :class:`~semialg.sets.SemialgebraicSet` (lazy)."""
        from .image import image

        return image(self)

    def contains(self, matrix: object, budget: float | None = None):
        """Exact membership of a rational matrix in the image (True/False/Unknown)."""
        from .membership import contains

        return contains(self, matrix, budget)

    def canonical(self) -> SupportPattern:
        """A canonical representative under row, column and hidden permutations and
        transposition (brute force over the outer permutations; hidden units are sorted)."""
        return _canonical(self)

    def is_equivalent(self, other: SupportPattern) -> bool:
        return self.canonical() == other.canonical()


def _canonical(p: SupportPattern) -> SupportPattern:
    if p.num_factors == 2:
        best = None
        for q in (p, p.transpose()):
            m, n = q.shape
            sup = q.rank_one_supports()
            for pr in itertools.permutations(range(m)):
                for pc in itertools.permutations(range(n)):
                    key = tuple(
                        sorted(
                            (
                                tuple(sorted(pr[i] for i in c)),
                                tuple(sorted(pc[j] for j in r)),
                            )
                            for c, r in sup
                        )
                    )
                    cand = ((m, n), key)
                    if best is None or cand < best:
                        best = cand
        assert best is not None
        (m, n), key = best
        return SupportPattern.from_rank_one_supports(list(key), m, n)
    # deeper products: brute force over all permutations (small patterns only)
    best_p = None
    for q in (p, p.transpose()):
        dims = q.dims
        ranges = [itertools.permutations(range(d)) for d in dims]
        for perms in itertools.product(*ranges):
            cand = q.permute(perms[0], perms[-1], list(perms[1:-1]))
            key = (cand.dims, cand.masks)
            if best_p is None or key < best_p[0]:
                best_p = (key, cand)
    assert best_p is not None
    return best_p[1]


# -- named families ----------------------------------------------------------------------------
def _square(n: int, name: str) -> None:
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise InputError(f"{name}(n) needs a positive integer n, got {n!r}")


def lower(n: int) -> Mask:
    _square(n, "lower")
    return tuple(tuple(int(j <= i) for j in range(n)) for i in range(n))


def upper(n: int) -> Mask:
    _square(n, "upper")
    return tuple(tuple(int(j >= i) for j in range(n)) for i in range(n))


def identity(n: int) -> Mask:
    _square(n, "identity")
    return tuple(tuple(int(i == j) for j in range(n)) for i in range(n))


def full(m: int, n: int) -> Mask:
    if m < 1 or n < 1:
        raise InputError(f"a dense mask needs positive sizes, got {m}x{n}")
    return tuple(tuple(1 for _ in range(n)) for _ in range(m))


def lu(n: int) -> SupportPattern:
    """Lower-triangular times upper-triangular n x n."""
    return SupportPattern([lower(n), upper(n)])


def ul(n: int) -> SupportPattern:
    """Upper-triangular times lower-triangular n x n."""
    return SupportPattern([upper(n), lower(n)])


def dense(*dims: int) -> SupportPattern:
    """Full masks with the given chain of sizes, e.g. ``dense(m, r, n)``."""
    if len(dims) < 3 or any(not isinstance(d, int) or d < 1 for d in dims):
        raise InputError(f"dense(m, r, ..., n) needs at least three positive sizes, got {dims}")
    return SupportPattern([full(a, b) for a, b in itertools.pairwise(dims)])


def diagonal(n: int, factors: int = 2) -> SupportPattern:
    """``factors`` diagonal n x n masks."""
    _square(n, "diagonal")
    if factors < 2:
        raise InputError("a pattern needs at least two factors")
    return SupportPattern([identity(n)] * factors)


def butterfly(k: int) -> SupportPattern:
    """The butterfly supports of size 2^k: factor i is I_{2^i} (x) [[1,1],[1,1]] (x) I_{2^(k-i-1)}
    (Kronecker products), k >= 2 factors."""
    if not isinstance(k, int) or k < 2:
        raise InputError(f"butterfly(k) needs k >= 2 factors, got {k!r}")
    return kronecker_chain(
        [[identity(2**i), full(2, 2), identity(2 ** (k - i - 1))] for i in range(k)]
    )


def kronecker(*masks: Mask) -> Mask:
    """The Kronecker product of 0/1 masks."""
    out: list[list[int]] = [[1]]
    for m in masks:
        out = [[a * b for a in ra for b in rb] for ra in out for rb in m]
    return tuple(tuple(r) for r in out)


def kronecker_chain(factors: Sequence[Sequence[Mask]]) -> SupportPattern:
    """A pattern whose factor i is the Kronecker product of the masks ``factors[i]``."""
    return SupportPattern([kronecker(*fs) for fs in factors])


def random_pattern(dims: Sequence[int], density: float = 0.5, seed: int = 0) -> SupportPattern:
    """Random masks with chained sizes ``dims`` (each entry 1 with probability ``density``)."""
    if len(dims) < 3:
        raise InputError("random_pattern needs at least three sizes (two factors)")
    if not 0.0 <= density <= 1.0:
        raise InputError(f"density must lie in [0, 1], got {density}")
    rng = random.Random(seed)
    return SupportPattern(
        [
            [[int(rng.random() < density) for _ in range(b)] for _ in range(a)]
            for a, b in itertools.pairwise(dims)
        ]
    )


FAMILIES = {
    "lu": lambda n: lu(n),
    "ul": lambda n: ul(n),
    "dense": lambda n: dense(n, n, n),
    "diagonal": lambda n: diagonal(n),
    "butterfly": lambda n: butterfly(n),
}
