"""One-hidden-layer sparse ReLU networks: the loss as an exact piecewise polynomial.

``L(X, Y) = ||X relu(Y D) - T||_F^2`` with masks on ``X`` and ``Y`` (as in
:class:`~semialg.landscape.network.LinearNetwork`). On the closed region of an *activation
pattern* ``A`` in ``{0, 1}^(h x N)`` (``(Y D)[k, s] >= 0`` where ``A[k, s] = 1``, ``<= 0`` where
it is 0) the loss is the polynomial ``||X (A o (Y D)) - T||^2``; the regions cover weight space
and the pieces agree on their intersections, so ``L`` is the continuous piecewise polynomial
described by :meth:`ReluNetwork.piece` and :meth:`ReluNetwork.region` (Lin, Sun, Zhang,
arXiv 2009.07439, section on one-hidden-layer networks).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from fractions import Fraction

from ..logic import And, Atom, Formula
from ..poly import Poly
from .network import LinearNetwork

Pattern = tuple[tuple[int, ...], ...]


@dataclass(frozen=True)
class ReluNetwork:
    """The ReLU network with the masks and data of ``linear`` (``X relu(Y D)``)."""

    linear: LinearNetwork

    @classmethod
    def from_pattern(cls, pattern: str, D: object, T: object) -> ReluNetwork:
        return cls(LinearNetwork.from_pattern(pattern, D, T))

    @property
    def names(self) -> tuple[str, ...]:
        return self.linear.names

    def preactivations(self) -> list[list[Poly]]:
        """``Y D`` (``h x N``) as polynomials, linear in the weights of ``Y``."""
        net = self.linear
        _, h, n = net.shape
        _, Y = net.factor_matrices()
        N = len(net.D[0])
        return [
            [sum((Y[k][j] * net.D[j][s] for j in range(n)), net.ring.zero()) for s in range(N)]
            for k in range(h)
        ]

    def patterns(self) -> Iterator[Pattern]:
        """All ``2^(h N)`` activation patterns (many regions are empty)."""
        _, h, _ = self.linear.shape
        N = len(self.linear.D[0])
        for bits in itertools.product((0, 1), repeat=h * N):
            yield tuple(tuple(bits[k * N : (k + 1) * N]) for k in range(h))

    def region(self, A: Pattern) -> Formula:
        """The closed region of the activation pattern ``A`` (a conjunction of linear atoms)."""
        Z = self.preactivations()
        return And(
            *(
                Atom(Z[k][s], ">=" if a else "<=")
                for k, row in enumerate(A)
                for s, a in enumerate(row)
                if not Z[k][s].is_zero
            )
        )

    def piece(self, A: Pattern) -> Poly:
        """The loss on the region of ``A``: ``||X (A o (Y D)) - T||^2``."""
        net = self.linear
        m, h, _ = net.shape
        X, _ = net.factor_matrices()
        Z = self.preactivations()
        N = len(net.D[0])
        total = net.ring.zero()
        for i in range(m):
            for s in range(N):
                out = sum((X[i][k] * Z[k][s] for k in range(h) if A[k][s]), net.ring.zero())
                r = out - net.T[i][s]
                total = total + r * r
        return total

    def pattern_at(self, point: Mapping[str, object]) -> Pattern:
        """The activation pattern at a rational point (``1`` where ``(Y D)[k, s] > 0``)."""
        values = {v: Fraction(point.get(v, 0)) for v in self.names}  # type: ignore[arg-type]
        Z = self.preactivations()
        return tuple(tuple(int(z.subs(values).constant_value() > 0) for z in row) for row in Z)

    def loss_at(self, point: Mapping[str, object]) -> Fraction:
        """The exact loss at a rational point."""
        values = {v: Fraction(point.get(v, 0)) for v in self.names}  # type: ignore[arg-type]
        return self.piece(self.pattern_at(values)).subs(values).constant_value()

    def gradient(self, A: Pattern) -> list[Poly]:
        """The gradient of the piece of ``A`` (the gradient of ``L`` inside the region)."""
        p = self.piece(A)
        return [p.diff(v) for v in self.names]

    def hessian(self, A: Pattern) -> list[list[Poly]]:
        return [[g.diff(v) for v in self.names] for g in self.gradient(A)]
