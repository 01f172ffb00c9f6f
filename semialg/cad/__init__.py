"""Cylindrical algebraic decomposition: projection, lifting, cells, and the public :func:`cad`.

``from semialg.cad import cad`` builds a sign-invariant CAD; :mod:`semialg.qe` builds partial CADs
for decision and quantifier elimination on the same machinery.
"""

from .budget import Budget
from .cells import Cell, RootRef
from .decomposition import CAD, cad
from .projection import Projection, project

__all__ = ["CAD", "Budget", "Cell", "Projection", "RootRef", "cad", "project"]
