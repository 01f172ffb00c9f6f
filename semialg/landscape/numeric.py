"""Floating-point companions of the exact landscape (observations only, never certificates).

:func:`descend` is gradient descent with Barzilai-Borwein steps safeguarded by Armijo
backtracking (Nocedal and Wright, *Numerical Optimization*, section 3.1); it is used to observe
that a numeric local optimiser started near a certified strict local minimum returns to it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from .network import LinearNetwork


class FloatLoss:
    """``w -> ||X Y D - T||^2`` and its gradient in floats (``w`` in ``net.names`` order)."""

    def __init__(self, net: LinearNetwork):
        self.net = net
        self.xm = np.array(net.mx, dtype=bool)
        self.ym = np.array(net.my, dtype=bool)
        self.nx = int(self.xm.sum())
        self.D = np.array([[float(v) for v in r] for r in net.D])
        self.T = np.array([[float(v) for v in r] for r in net.T])

    def factors(self, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        X = np.zeros(self.xm.shape)
        Y = np.zeros(self.ym.shape)
        X[self.xm] = w[: self.nx]
        Y[self.ym] = w[self.nx :]
        return X, Y

    def __call__(self, w: np.ndarray) -> float:
        X, Y = self.factors(w)
        return float(np.sum((X @ Y @ self.D - self.T) ** 2))

    def gradient(self, w: np.ndarray) -> np.ndarray:
        X, Y = self.factors(w)
        G = 2 * (X @ Y @ self.D - self.T) @ self.D.T
        return np.concatenate([(G @ Y.T)[self.xm], (X.T @ G)[self.ym]])


def float_loss(net: LinearNetwork, w: Sequence[float] | Mapping[str, float]) -> float:
    """The loss at float weights (a sequence in :attr:`LinearNetwork.names` order, or a dict)."""
    if isinstance(w, Mapping):
        w = [float(w[v]) for v in net.names]
    return FloatLoss(net)(np.asarray(w, dtype=float))


def descend(
    net: LinearNetwork,
    w0: Sequence[float],
    *,
    steps: int = 20000,
    tol: float = 1e-9,
    trace: list[np.ndarray] | None = None,
) -> tuple[np.ndarray, float]:
    """Gradient descent from ``w0``: (final weights, final loss); the loss never increases.

    Stops when the gradient norm is below ``tol``, after ``steps`` steps, or when no step
    decreases the loss at float precision. ``trace``, if given, receives every iterate.
    """
    F = FloatLoss(net)
    w = np.array(w0, dtype=float)
    f, g = F(w), F.gradient(w)
    t = 1e-3
    for _ in range(steps):
        gg = float(g @ g)
        if gg < tol**2:
            break
        while True:
            w1 = w - t * g
            f1 = F(w1)
            if f1 <= f - 1e-4 * t * gg or t < 1e-18:
                break
            t /= 2
        if t < 1e-18 or f1 >= f:  # no decrease at float precision: stalled at a minimum
            break
        g1 = F.gradient(w1)
        s, y = w1 - w, g1 - g
        sy = float(s @ y)
        t = float(s @ s) / sy if sy > 0 else 2 * t
        w, f, g = w1, f1, g1
        if trace is not None:
            trace.append(w)
    return w, f
