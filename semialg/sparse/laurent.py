"""Laurent polynomials in t with rational coefficients, and matrices of them (exact).

Used by the not-closed certificates: factors X(t), Y(t) whose product has no negative powers of t
and a prescribed constant term. JSON form of a Laurent polynomial: ``{"exponent": "p/q", ...}``
with exponents as decimal strings (JSON object keys are strings).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction

from ..errors import InputError


class Laurent:
    """An exact Laurent polynomial ``sum_k c_k t^k`` (finitely many nonzero rational c_k)."""

    __slots__ = ("terms",)

    def __init__(self, terms: Mapping[int, object] | None = None):
        out: dict[int, Fraction] = {}
        for k, c in (terms or {}).items():
            q = Fraction(c)  # type: ignore[arg-type]
            if q:
                out[int(k)] = out.get(int(k), Fraction(0)) + q
        self.terms = {k: c for k, c in out.items() if c}

    @classmethod
    def constant(cls, c: object) -> Laurent:
        return cls({0: c})

    @classmethod
    def monomial(cls, c: object, k: int) -> Laurent:
        return cls({k: c})

    def __add__(self, other: Laurent) -> Laurent:
        d = dict(self.terms)
        for k, c in other.terms.items():
            d[k] = d.get(k, Fraction(0)) + c
        return Laurent(d)

    def __neg__(self) -> Laurent:
        return Laurent({k: -c for k, c in self.terms.items()})

    def __sub__(self, other: Laurent) -> Laurent:
        return self + (-other)

    def __mul__(self, other: Laurent) -> Laurent:
        d: dict[int, Fraction] = {}
        for a, ca in self.terms.items():
            for b, cb in other.terms.items():
                d[a + b] = d.get(a + b, Fraction(0)) + ca * cb
        return Laurent(d)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Laurent) and self.terms == other.terms

    def __hash__(self) -> int:
        return hash(tuple(sorted(self.terms.items())))

    def __bool__(self) -> bool:
        return bool(self.terms)

    @property
    def min_exponent(self) -> int | None:
        return min(self.terms) if self.terms else None

    def coefficient(self, k: int) -> Fraction:
        return self.terms.get(k, Fraction(0))

    def __call__(self, t: object) -> object:
        """Evaluate at a number (exact for Fraction/int, float otherwise)."""
        return sum(
            (c * t**k for k, c in self.terms.items()),
            Fraction(0) if not isinstance(t, float) else 0.0,
        )

    def __str__(self) -> str:
        if not self.terms:
            return "0"
        parts = []
        for k in sorted(self.terms):
            c = self.terms[k]
            mono = "" if k == 0 else ("t" if k == 1 else f"t^{k}")
            if mono and abs(c) == 1:
                coef = "-" if c < 0 else ""
                parts.append(f"{coef}{mono}")
            else:
                parts.append(f"{c}{'*' + mono if mono else ''}")
        return " + ".join(parts).replace("+ -", "- ")

    def __repr__(self) -> str:
        return f"Laurent({self})"

    def to_json(self) -> dict[str, str]:
        return {str(k): str(c) for k, c in sorted(self.terms.items())}

    @classmethod
    def from_json(cls, data: object) -> Laurent:
        if isinstance(data, int | str) and not isinstance(data, bool):
            return cls.constant(_fraction(data))
        if not isinstance(data, Mapping):
            raise InputError(
                f"a Laurent polynomial is an object {{exponent: coefficient}}, got {data!r}"
            )
        terms = {}
        for k, c in data.items():
            try:
                e = int(k)
            except (TypeError, ValueError):
                raise InputError(f"Laurent exponent {k!r} is not an integer") from None
            terms[e] = _fraction(c)
        return cls(terms)


def _fraction(c: object) -> Fraction:
    if isinstance(c, bool) or not isinstance(c, int | str):
        raise InputError(f"expected an exact rational as an integer or a string 'p/q', got {c!r}")
    try:
        return Fraction(c)
    except (ValueError, ZeroDivisionError):
        raise InputError(f"{c!r} is not a rational number") from None


LaurentMatrix = list[list[Laurent]]


def zeros(m: int, n: int) -> LaurentMatrix:
    return [[Laurent() for _ in range(n)] for _ in range(m)]


def matmul(a: Sequence[Sequence[Laurent]], b: Sequence[Sequence[Laurent]]) -> LaurentMatrix:
    inner = len(b)
    n = len(b[0]) if b else 0
    out = zeros(len(a), n)
    for i, row in enumerate(a):
        for k in range(inner):
            if not row[k]:
                continue
            for j in range(n):
                if b[k][j]:
                    out[i][j] = out[i][j] + row[k] * b[k][j]
    return out


def matrix_to_json(m: Sequence[Sequence[Laurent]]) -> list[list[dict[str, str]]]:
    return [[e.to_json() for e in row] for row in m]


def matrix_from_json(data: object) -> LaurentMatrix:
    if not isinstance(data, list) or not all(isinstance(r, list) for r in data):
        raise InputError("a Laurent matrix is a list of rows")
    return [[Laurent.from_json(e) for e in row] for row in data]
