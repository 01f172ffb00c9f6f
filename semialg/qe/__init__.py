"""Decision and quantifier elimination over the reals (partial CAD, solution formulas, pre-passes).

Public entry points: :func:`decide`, :func:`qe` and their detailed forms returning
:class:`QEResult`; a budget that runs out yields :class:`Unknown`, never a guess.
"""

from .api import decide, decide_detailed, find_point, qe, qe_detailed
from .result import QEResult, Unknown

__all__ = ["QEResult", "Unknown", "decide", "decide_detailed", "find_point", "qe", "qe_detailed"]
