"""semialg: exact real algebraic geometry in Python, and closedness of sparse matrix products.

Layers, bottom to top: :mod:`semialg.poly` (polynomials on python-flint), :mod:`semialg.algebraic`
(real roots, real algebraic numbers, sample points), :mod:`semialg.logic` (first-order formulas and
their readers/writers), :mod:`semialg.cad` and :mod:`semialg.qe` (cylindrical algebraic
decomposition, decision and quantifier elimination). Lower layers never import higher ones.
"""

from ._version import __version__
from .errors import BudgetExhausted, InputError, InputTypeError
from .poly import Poly, PolyRing

__all__ = ["BudgetExhausted", "InputError", "InputTypeError", "Poly", "PolyRing", "__version__"]
