"""Regenerates docs/img/sets_plot.png (run from the repository root)."""

import sympy, time, matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from semialg.sets import SemialgebraicSet as S

x, y, u, v = sympy.symbols("x y u v", real=True)
fig, axs = plt.subplots(1, 3, figsize=(13, 4.6))
t = time.time()
slit = S((x**2 + y**2 < 1) & ~(sympy.Eq(y, 0) & (x >= 0)), [x, y])
slit.plot(axs[0], bounds=((-1.5, 1.5), (-1.5, 1.5)))
axs[0].set_title("open disk with a slit")
print(time.time() - t, flush=True)
T = S.image([u, u * v], S(sympy.true, [u, v]), [x, y])
T.plot(axs[1])
axs[1].set_title("image of (u, v) -> (u, uv)")
print(time.time() - t, flush=True)
Q = S(((x > 0) & (y > 0)) | (sympy.Eq(y, -1) & sympy.Ne(x, 0)), [x, y])
Q.plot(axs[2])
axs[2].set_title("{x > 0, y > 0} or {y = -1, x != 0}")
print(time.time() - t, flush=True)
fig.tight_layout()
fig.savefig("/work/main/docs/img/sets_plot.png", dpi=90)
print(time.time() - t)
