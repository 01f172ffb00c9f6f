"""semialg: exact real algebraic geometry in Python, and closedness of sparse matrix products.

Layers, bottom to top: :mod:`semialg.poly` (polynomials on python-flint), :mod:`semialg.algebraic`
(real roots, real algebraic numbers, sample points), :mod:`semialg.logic` (first-order formulas and
their readers/writers), :mod:`semialg.cad` and :mod:`semialg.qe` (cylindrical algebraic
decomposition, decision and quantifier elimination). Lower layers never import higher ones.

The most used names are re-exported here::

    import sympy
    from semialg import Exists, ForAll, decide
    from semialg.qe import qe

    x, y = sympy.symbols("x y", real=True)
    qe(Exists([y], x**2 + y**2 < 1))        # x + 1 > 0 /\\ x - 1 < 0
"""

from ._version import __version__
from .errors import BudgetExhausted, InputError, InputTypeError
from .logic import And, Atom, Equivalent, Exists, ForAll, Formula, Implies, Not, Or
from .poly import Poly, PolyRing
from .qe import QEResult, Unknown, decide, decide_detailed, qe_detailed
from .sets import SemialgebraicSet

# ``qe`` (the function) is deliberately not re-exported: ``semialg.qe`` is the subpackage.

__all__ = [
    "And",
    "Atom",
    "BudgetExhausted",
    "Equivalent",
    "Exists",
    "ForAll",
    "Formula",
    "Implies",
    "InputError",
    "InputTypeError",
    "Not",
    "Or",
    "Poly",
    "PolyRing",
    "QEResult",
    "SemialgebraicSet",
    "Unknown",
    "__version__",
    "decide",
    "decide_detailed",
    "qe_detailed",
]
