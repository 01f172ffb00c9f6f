"""Three-valued evaluation of a quantifier-free formula from the signs known on a cell.

Each atom ``p ~ 0`` is pre-factored into the CAD's projection factors, ``p = c * prod f_i^e_i``;
its sign on a cell is known as soon as one factor is known to vanish there or all factors' signs
are known. Connectives propagate ``None`` (unknown) in the usual Kleene way, which is what truth
propagation in a partial CAD needs (Collins and Hong, "Partial cylindrical algebraic decomposition
for quantifier elimination", J. Symb. Comp. 12, 1991).
"""

from __future__ import annotations

from collections.abc import Mapping

from ..logic import FALSE, TRUE, And, Atom, Formula, Or
from ..poly import Poly


class FactoredMatrix:
    """A quantifier-free formula in negation normal form with factored atoms."""

    def __init__(self, matrix: Formula):
        self.matrix = matrix
        self._factors: dict[Atom, tuple[int, list[tuple[Poly, int]]]] = {}
        for a in matrix.atoms():
            if a not in self._factors:
                c, facs = a.poly.factor_list()
                self._factors[a] = ((c > 0) - (c < 0), facs)

    def polynomials(self) -> list[Poly]:
        return [a.poly for a in self._factors]

    def atom_sign(self, atom: Atom, signs: Mapping[Poly, int]) -> int | None:
        unit, facs = self._factors[atom]
        result = unit
        unknown = False
        for f, e in facs:
            s = signs.get(f)
            if s is None:
                unknown = True
            elif s == 0:
                return 0
            else:
                result *= s**e
        return None if unknown else result

    def truth(self, signs: Mapping[Poly, int]) -> bool | None:
        return self._eval(self.matrix, signs)

    def _eval(self, f: Formula, signs: Mapping[Poly, int]) -> bool | None:
        if f is TRUE:
            return True
        if f is FALSE:
            return False
        if isinstance(f, Atom):
            s = self.atom_sign(f, signs)
            return None if s is None else f.holds_for_sign(s)
        if isinstance(f, And):
            unknown = False
            for g in f.args:
                v = self._eval(g, signs)
                if v is False:
                    return False
                unknown = unknown or v is None
            return None if unknown else True
        if isinstance(f, Or):
            unknown = False
            for g in f.args:
                v = self._eval(g, signs)
                if v is True:
                    return True
                unknown = unknown or v is None
            return None if unknown else False
        raise TypeError(f"expected a formula in negation normal form, got {type(f).__name__}")
