"""Regenerates docs/img/sets_plot.png: ``python docs/img/make_sets_plot.py`` (repository root)."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import sympy

from semialg.sets import SemialgebraicSet

x, y, u, v = sympy.symbols("x y u v", real=True)
fig, axs = plt.subplots(1, 3, figsize=(13, 4.6))
slit = SemialgebraicSet((x**2 + y**2 < 1) & ~(sympy.Eq(y, 0) & (x >= 0)), [x, y])
slit.plot(axs[0], bounds=((-1.5, 1.5), (-1.5, 1.5)))
axs[0].set_title("open disk with a slit")
T = SemialgebraicSet.image([u, u * v], SemialgebraicSet(sympy.true, [u, v]), [x, y])
T.plot(axs[1])
axs[1].set_title("image of (u, v) -> (u, uv)")
Q = SemialgebraicSet(
    ((x**2 + y**2 <= 1) & (sympy.Ne(x, 0) | sympy.Ne(y, 0)))
    | (sympy.Eq(2 * y, -3) & sympy.Ne(x, 0)),
    [x, y],
)
Q.plot(axs[2])
axs[2].set_title("punctured disk; {y = -3/2, x != 0}")
fig.tight_layout()
fig.savefig("docs/img/sets_plot.png", dpi=90)
