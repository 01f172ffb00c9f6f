"""Real algebraic numbers and exact univariate real root isolation."""

from .real_algebraic import RealAlgebraic, real_roots
from .roots import (
    as_fmpz_poly,
    count_real_roots,
    descartes_bound,
    isolate_real_roots,
    isolate_real_roots_descartes,
    rational_between,
    refine_interval,
    root_bound,
)

__all__ = [
    "RealAlgebraic",
    "as_fmpz_poly",
    "count_real_roots",
    "descartes_bound",
    "isolate_real_roots",
    "isolate_real_roots_descartes",
    "rational_between",
    "real_roots",
    "refine_interval",
    "root_bound",
]

from .numberfield import IsolatedRoot, KPoly, NumberField, adjoin_root, rational_poly_real_roots
from .sample import Root, SamplePoint, root_values

__all__ += [
    "IsolatedRoot",
    "KPoly",
    "NumberField",
    "Root",
    "SamplePoint",
    "adjoin_root",
    "rational_poly_real_roots",
    "root_values",
]
