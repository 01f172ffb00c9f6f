"""Cells of a cylindrical algebraic decomposition.

A cell of level k is described, as in QEPCAD B, by its *index* (i_1, ..., i_k): i_j is the position
of the cell in the stack over its parent, counting from 1; odd positions are sectors (open
intervals between consecutive roots), even positions are sections (graphs of roots). The cell's
dimension is the number of odd entries.

Each cell carries an exact sample point, the signs of the projection factors of its own level (the
signs of lower-level factors live on its ancestors), and the bounds that define it inside the
cylinder over its parent: a section ``x_k = root_j(p)`` or a sector
``root_i(p) < x_k < root_j(q)`` (either bound may be infinite), where ``root_j(p)`` is the j-th real
root (from 1, increasing) of p(sample of the parent, x_k) after Lazard evaluation. Together these
bounds form the cell's *defining formula* in the extended Tarski language used by QEPCAD B and by
Mathematica's ``CylindricalDecomposition``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..poly import Poly


@dataclass(frozen=True)
class RootRef:
    """The ``index``-th real root (1-based, increasing) of ``poly`` in its main variable."""

    poly: Poly
    index: int

    def __str__(self) -> str:
        return f"root({self.poly}, {self.index})"


@dataclass(eq=False)
class Cell:
    """One cell of a (partial) CAD; see the module docstring."""

    index: tuple[int, ...]
    sample: Any  # semialg.algebraic.SamplePoint
    parent: Cell | None = None
    signs: dict[Poly, int] = field(default_factory=dict)
    lower: RootRef | None = None
    upper: RootRef | None = None
    section: RootRef | None = None
    children: list[Cell] | None = None
    truth: bool | None = None

    @property
    def level(self) -> int:
        return len(self.index)

    @property
    def dimension(self) -> int:
        return sum(i % 2 for i in self.index)

    @property
    def is_section(self) -> bool:
        return bool(self.index) and self.index[-1] % 2 == 0

    def ancestors(self) -> Iterator[Cell]:
        """This cell and its ancestors, from the root (level 0) down to ``self``."""
        chain = []
        c: Cell | None = self
        while c is not None:
            chain.append(c)
            c = c.parent
        return reversed(chain)

    def all_signs(self) -> dict[Poly, int]:
        """Signs of the projection factors of all levels up to this cell's level."""
        out: dict[Poly, int] = {}
        for c in self.ancestors():
            out.update(c.signs)
        return out

    def sign_of(self, p: Poly) -> int:
        """The sign of a polynomial of level <= this cell's on the whole cell.

        Exact: evaluated at the sample point. It is constant on the cell when every irreducible
        factor of ``p`` is a projection factor (the CAD is sign-invariant for those).
        """
        return self.sample.sign_at(p)

    def bounds(self, var: str) -> str:
        """This level's condition, e.g. ``x = root(x^2 - 2, 2)`` or ``-oo < x < root(p, 1)``."""
        if self.section is not None:
            return f"{var} = {self.section}"
        lo = str(self.lower) if self.lower is not None else "-oo"
        hi = str(self.upper) if self.upper is not None else "+oo"
        return f"{lo} < {var} < {hi}"

    def defining_formula(self, variables: tuple[str, ...]) -> str:
        """The cell's description as a conjunction of root bounds (extended Tarski language)."""
        parts = [c.bounds(variables[c.level - 1]) for c in self.ancestors() if c.level > 0]
        return " /\\ ".join(parts) if parts else "true"

    def leaves(self) -> Iterator[Cell]:
        """The cells of the (partial) CAD below this one that have no children."""
        if not self.children:
            yield self
            return
        for ch in self.children:
            yield from ch.leaves()

    def __repr__(self) -> str:
        truth = "" if self.truth is None else f", truth={self.truth}"
        return f"Cell(index={self.index}, dim={self.dimension}{truth})"
