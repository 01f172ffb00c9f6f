"""Polynomials over Z and Q in named, ordered variables, on python-flint.

The public entry points are :class:`PolyRing` and :class:`Poly`; conversion from SymPy and from
text goes through :meth:`PolyRing.from_sympy` and :meth:`PolyRing.parse`.
"""

from .parse import parse_polynomial, variables_in
from .ring import Poly, PolyRing, common_ring, fmpq_to_fraction, to_fmpq
from .subresultants import principal_subresultant_coefficients
from .sympy_convert import poly_from_sympy, poly_to_sympy, symbol_names

__all__ = [
    "Poly",
    "PolyRing",
    "common_ring",
    "fmpq_to_fraction",
    "parse_polynomial",
    "poly_from_sympy",
    "poly_to_sympy",
    "principal_subresultant_coefficients",
    "symbol_names",
    "to_fmpq",
    "variables_in",
]
