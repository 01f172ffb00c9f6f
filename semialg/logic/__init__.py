"""First-order formulas over the reals: data types, normal forms, evaluation, readers/writers.

Modules: :mod:`.formula` (atoms, connectives, quantifiers), :mod:`.normal_forms` (NNF, prenex
form, substitution), :mod:`.simplify`, :mod:`.evaluate`, :mod:`.printing` (infix text),
:mod:`.sympy_io`, :mod:`.qepcad_io` (QEPCAD B), :mod:`.smtlib_io` (SMT-LIB 2) and
:mod:`.z3_bridge` (needs z3-solver; imported lazily). See ``docs/logic.md``.
"""

from .evaluate import evaluate
from .formula import (
    FALSE,
    RELATIONS,
    TRUE,
    And,
    Atom,
    BooleanConstant,
    Equivalent,
    Exists,
    ForAll,
    Formula,
    Implies,
    Not,
    Or,
    QuantifiedFormula,
    merge_rings,
)
from .normal_forms import PrenexForm, nnf, prenex, substitute
from .qepcad_io import (
    QepcadProblem,
    parse_qepcad,
    parse_qepcad_formula,
    parse_qepcad_output,
    write_qepcad,
)
from .simplify import simplify
from .smtlib_io import SmtProblem, parse_smtlib, write_smtlib
from .sympy_io import from_sympy, to_sympy


def __getattr__(name: str):
    """Lazy access to the z3 bridge (``to_z3``, ``z3_decide``, ``z3_evaluate``)."""
    if name in ("to_z3", "z3_decide", "z3_evaluate"):
        from . import z3_bridge

        return getattr(z3_bridge, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "FALSE",
    "RELATIONS",
    "TRUE",
    "And",
    "Atom",
    "BooleanConstant",
    "Equivalent",
    "Exists",
    "ForAll",
    "Formula",
    "Implies",
    "Not",
    "Or",
    "PrenexForm",
    "QepcadProblem",
    "QuantifiedFormula",
    "SmtProblem",
    "evaluate",
    "from_sympy",
    "merge_rings",
    "nnf",
    "parse_qepcad",
    "parse_qepcad_formula",
    "parse_qepcad_output",
    "parse_smtlib",
    "prenex",
    "simplify",
    "substitute",
    "to_sympy",
    "write_qepcad",
    "write_smtlib",
]
