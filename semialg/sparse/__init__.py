"""Products of sparse factors with fixed supports: images, closedness, certificates, census.

Entry points::

    from semialg.sparse import SupportPattern, closedness, check_certificate, lu

    res = closedness(lu(2))                   # or closedness("10,11 11,01")
    res.verdict, res.method                   # 'not_closed', 'induced-path'
    check_certificate(res.certificate).ok     # True

See ``docs/sparse.md`` for the mathematics (every rule is proved there) and the certificate
format.
"""

from .census import canonical_patterns, run_census
from .checker import CheckReport, check_certificate
from .closedness import ClosednessResult, closedness
from .image import image
from .membership import contains
from .optimum import optimum
from .pattern import (
    SupportPattern,
    butterfly,
    dense,
    diagonal,
    kronecker,
    kronecker_chain,
    lu,
    random_pattern,
    ul,
)
from .reduce import reduce_pattern

__all__ = [
    "CheckReport",
    "ClosednessResult",
    "SupportPattern",
    "butterfly",
    "canonical_patterns",
    "check_certificate",
    "closedness",
    "contains",
    "dense",
    "diagonal",
    "image",
    "kronecker",
    "kronecker_chain",
    "lu",
    "optimum",
    "random_pattern",
    "reduce_pattern",
    "run_census",
    "ul",
]
