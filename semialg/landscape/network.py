"""Two-factor sparse linear networks ``X Y`` with fixed binary masks and their squared loss.

The weights are the free entries of ``X`` (``m x h``, mask ``MX``) and ``Y`` (``h x n``, mask
``MY``); on data ``D`` (``n x N``) and targets ``T`` (``m x N``) the loss is
``L(X, Y) = ||X Y D - T||_F^2``, a polynomial of degree 4 in the weights (Lin, Sun, Zhang,
"On the landscape of one-hidden-layer sparse networks and beyond", arXiv 2009.07439).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from ..errors import InputError, InputTypeError
from ..poly import Poly, PolyRing

Mask = tuple[tuple[bool, ...], ...]
Matrix = tuple[tuple[Fraction, ...], ...]


def parse_pattern(text: str) -> tuple[Mask, Mask]:
    """Masks from the text form ``"10,11 11,01"``: factors by spaces, rows by commas, 1 = free."""
    if not isinstance(text, str):
        raise InputTypeError(f"a pattern must be a string, got {type(text).__name__}")
    factors = text.split()
    if len(factors) != 2:
        raise InputError(
            f"pattern {text!r} must have exactly two factors separated by a space (X and Y)"
        )
    masks = []
    for f in factors:
        rows = f.split(",")
        if any(not r or set(r) - {"0", "1"} for r in rows):
            raise InputError(f"factor {f!r} of pattern {text!r}: rows must be nonempty 0/1 strings")
        if len({len(r) for r in rows}) != 1:
            raise InputError(f"factor {f!r} of pattern {text!r}: rows of different lengths")
        masks.append(tuple(tuple(c == "1" for c in r) for r in rows))
    mx, my = masks
    if len(mx[0]) != len(my):
        raise InputError(f"pattern {text!r}: X has {len(mx[0])} columns but Y has {len(my)} rows")
    return mx, my


def format_pattern(mx: Mask, my: Mask) -> str:
    """The text form of a pair of masks (inverse of :func:`parse_pattern`)."""
    return " ".join(",".join("".join("1" if b else "0" for b in r) for r in m) for m in (mx, my))


def dense_masks(m: int, h: int, n: int) -> tuple[Mask, Mask]:
    """All-ones masks for an ``m x h`` times ``h x n`` product."""
    return tuple((True,) * h for _ in range(m)), tuple((True,) * n for _ in range(h))


def exact_matrix(rows: object, name: str) -> Matrix:
    """A rectangular matrix of exact rationals (ints, Fractions, decimal or ``p/q`` strings)."""
    if not isinstance(rows, Sequence) or isinstance(rows, str) or not rows:
        raise InputError(f"{name} must be a nonempty list of rows")
    out = []
    for r in rows:
        if not isinstance(r, Sequence) or isinstance(r, str) or not r:
            raise InputError(f"{name} must be a nonempty list of nonempty rows, got row {r!r}")
        out.append(tuple(exact_number(v, name) for v in r))
    if len({len(r) for r in out}) != 1:
        raise InputError(f"{name} has rows of different lengths")
    return tuple(out)


def exact_number(v: object, name: str) -> Fraction:
    """An exact rational from an int, Fraction, Decimal, float (as written) or ``p/q`` string."""
    if isinstance(v, bool):
        raise InputTypeError(f"{name}: expected a number, got {v!r}")
    if isinstance(v, int | Fraction | Decimal):
        if isinstance(v, Decimal) and not v.is_finite():
            raise InputError(f"{name}: non-finite entry {v!r}")
        return Fraction(v)
    if isinstance(v, float):
        if v != v or v in (float("inf"), float("-inf")):
            raise InputError(f"{name}: non-finite entry {v!r}")
        return Fraction(repr(v))  # the decimal as written, not its binary approximation
    if isinstance(v, str):
        try:
            return Fraction(v.strip())
        except (ValueError, ZeroDivisionError):
            raise InputTypeError(f"{name}: {v!r} is not a rational number") from None
    raise InputTypeError(f"{name}: expected a number, got {v!r} ({type(v).__name__})")


@dataclass(frozen=True)
class LinearNetwork:
    """A sparse two-factor linear network with exact data; the loss is ``||X Y D - T||_F^2``."""

    mx: Mask
    my: Mask
    D: Matrix
    T: Matrix
    ring: PolyRing = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        m, h, n = len(self.mx), len(self.my), len(self.my[0]) if self.my else 0
        if not self.mx or not self.my or len(self.mx[0]) != h:
            raise InputError("masks must be nonempty with X columns = Y rows")
        if len(self.D) != n:
            raise InputError(f"D must have {n} rows (the columns of Y), got {len(self.D)}")
        if len(self.T) != m:
            raise InputError(f"T must have {m} rows (the rows of X), got {len(self.T)}")
        if len(self.D[0]) != len(self.T[0]):
            raise InputError(
                f"D and T must have the same number of columns (samples): "
                f"{len(self.D[0])} != {len(self.T[0])}"
            )
        object.__setattr__(self, "ring", PolyRing(self.x_names() + self.y_names()))

    @classmethod
    def from_pattern(cls, pattern: str, D: object, T: object) -> LinearNetwork:
        mx, my = parse_pattern(pattern)
        return cls(mx, my, exact_matrix(D, "D"), exact_matrix(T, "T"))

    @classmethod
    def dense(cls, m: int, h: int, n: int, D: object, T: object) -> LinearNetwork:
        mx, my = dense_masks(m, h, n)
        return cls(mx, my, exact_matrix(D, "D"), exact_matrix(T, "T"))

    # -- shapes and variables -----------------------------------------------------------------
    @property
    def shape(self) -> tuple[int, int, int]:
        """``(m, h, n)``: X is ``m x h``, Y is ``h x n``."""
        return len(self.mx), len(self.my), len(self.my[0])

    @property
    def pattern(self) -> str:
        return format_pattern(self.mx, self.my)

    @property
    def is_dense(self) -> bool:
        return all(all(r) for r in self.mx) and all(all(r) for r in self.my)

    def x_names(self) -> tuple[str, ...]:
        m, h, _ = self.shape
        return tuple(f"x{i + 1}_{k + 1}" for i in range(m) for k in range(h) if self.mx[i][k])

    def y_names(self) -> tuple[str, ...]:
        _, h, n = self.shape
        return tuple(f"y{k + 1}_{j + 1}" for k in range(h) for j in range(n) if self.my[k][j])

    @property
    def names(self) -> tuple[str, ...]:
        return self.ring.names

    def x_support(self, k: int) -> tuple[int, ...]:
        """Rows ``i`` with ``X[i, k]`` free."""
        return tuple(i for i in range(self.shape[0]) if self.mx[i][k])

    def y_support(self, k: int) -> tuple[int, ...]:
        """Columns ``j`` with ``Y[k, j]`` free."""
        return tuple(j for j in range(self.shape[2]) if self.my[k][j])

    # -- the loss -------------------------------------------------------------------------------
    def factor_matrices(self) -> tuple[list[list[Poly]], list[list[Poly]]]:
        """``X`` and ``Y`` as matrices of polynomials (generators or zero)."""
        m, h, n = self.shape
        r = self.ring
        X = [
            [r.gen(f"x{i + 1}_{k + 1}") if self.mx[i][k] else r.zero() for k in range(h)]
            for i in range(m)
        ]
        Y = [
            [r.gen(f"y{k + 1}_{j + 1}") if self.my[k][j] else r.zero() for j in range(n)]
            for k in range(h)
        ]
        return X, Y

    def residual(self) -> list[list[Poly]]:
        """``X Y D - T`` as a matrix of polynomials."""
        m, h, n = self.shape
        X, Y = self.factor_matrices()
        W = [
            [sum((X[i][k] * Y[k][j] for k in range(h)), self.ring.zero()) for j in range(n)]
            for i in range(m)
        ]
        N = len(self.D[0])
        return [
            [
                sum((W[i][j] * self.D[j][s] for j in range(n)), self.ring.zero()) - self.T[i][s]
                for s in range(N)
            ]
            for i in range(m)
        ]

    def loss(self) -> Poly:
        """The loss ``||X Y D - T||_F^2`` as an exact polynomial in :attr:`names`."""
        return sum((e * e for row in self.residual() for e in row), self.ring.zero())

    def gradient(self) -> list[Poly]:
        L = self.loss()
        return [L.diff(v) for v in self.names]

    def hessian(self) -> list[list[Poly]]:
        g = self.gradient()
        return [[gi.diff(v) for v in self.names] for gi in g]

    def product_at(self, point: dict[str, Fraction]) -> list[list[Fraction]]:
        """``X Y`` at a rational point (names to values; missing names are zero)."""
        m, h, n = self.shape
        X = [
            [
                point.get(f"x{i + 1}_{k + 1}", Fraction(0)) if self.mx[i][k] else Fraction(0)
                for k in range(h)
            ]
            for i in range(m)
        ]
        Y = [
            [
                point.get(f"y{k + 1}_{j + 1}", Fraction(0)) if self.my[k][j] else Fraction(0)
                for j in range(n)
            ]
            for k in range(h)
        ]
        return [
            [sum((X[i][k] * Y[k][j] for k in range(h)), Fraction(0)) for j in range(n)]
            for i in range(m)
        ]

    # -- the symmetry ---------------------------------------------------------------------------
    def symmetry_pairs(self) -> list[tuple[int, int]]:
        """Pairs ``(l, k)`` with ``E_lk`` in the Lie algebra of the mask-preserving symmetries.

        ``X -> X A``, ``Y -> A^{-1} Y`` preserves both masks for ``A = I + a E_lk`` iff
        ``supp X[:, l]`` is in ``supp X[:, k]`` and ``supp Y[k, :]`` is in ``supp Y[l, :]``;
        the diagonal pairs ``(k, k)`` (the scalings) are always included.
        """
        h = self.shape[1]
        out = []
        for u in range(h):
            for k in range(h):
                if u == k or (
                    set(self.x_support(u)) <= set(self.x_support(k))
                    and set(self.y_support(k)) <= set(self.y_support(u))
                ):
                    out.append((u, k))
        return out
