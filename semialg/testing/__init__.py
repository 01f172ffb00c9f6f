"""Oracles and generators for regression tests of exact real algebra (public API).

* :mod:`semialg.testing.oracles`: :func:`z3_decide`, :func:`check_decision`,
  :func:`check_qe_at_points`, :func:`numeric_counterexample_search`,
  :func:`check_qe_numerically`, :func:`equivalence_sentence`;
* :mod:`semialg.testing.qepcad`: :func:`qepcad_qe`, :func:`qepcad_available`,
  :class:`QepcadAnswer` (QEPCAD B from the ``passagemath-qepcad`` wheel);
* :mod:`semialg.testing.strategies`: hypothesis strategies (import that module explicitly; it
  is the only one that needs ``hypothesis``).

z3 and QEPCAD B are test extras (``pip install semialg-sparse[test]``), used only when an oracle
is called. See ``docs/testing.md`` for what each oracle can and cannot establish.
"""

from __future__ import annotations

from .oracles import (
    Counterexample,
    PointCheck,
    check_decision,
    check_qe_at_points,
    check_qe_numerically,
    equivalence_sentence,
    numeric_counterexample_search,
    z3_decide,
)
from .qepcad import QepcadAnswer, qepcad_available, qepcad_binary, qepcad_qe

__all__ = [
    "Counterexample",
    "PointCheck",
    "QepcadAnswer",
    "check_decision",
    "check_qe_at_points",
    "check_qe_numerically",
    "equivalence_sentence",
    "numeric_counterexample_search",
    "qepcad_available",
    "qepcad_binary",
    "qepcad_qe",
    "z3_decide",
]
