"""Loss landscapes of small sparse linear networks, exactly (issue 7).

``L(X, Y) = ||X Y D - T||_F^2`` with binary masks on ``X`` and ``Y``: the loss, gradient and
Hessian as exact polynomials (:class:`LinearNetwork`), gauge-fixed exact critical points with
algebraic coordinates, their classification by exact inertia modulo the symmetry, and the exact
global infimum (:func:`analyze`); the piecewise-polynomial loss of one-hidden-layer ReLU
networks (:class:`ReluNetwork`); spurious-valley certificates (:func:`certify_valley`) and
their independent checker (:func:`check_valley_certificate`). Method and limits:
``docs/landscape.md``.
"""

from .analysis import CriticalPoint, Landscape, analyze, exact_str, least_squares_bound
from .network import LinearNetwork, dense_masks, exact_matrix, format_pattern, parse_pattern
from .paths import PathCertificate, certify_path
from .relu import ReluNetwork
from .valley import ValleyCertificate, certify_valley
from .valley_check import check_valley_certificate

__all__ = [
    "CriticalPoint",
    "Landscape",
    "LinearNetwork",
    "PathCertificate",
    "ReluNetwork",
    "ValleyCertificate",
    "analyze",
    "certify_path",
    "certify_valley",
    "check_valley_certificate",
    "dense_masks",
    "exact_matrix",
    "exact_str",
    "format_pattern",
    "least_squares_bound",
    "parse_pattern",
]
