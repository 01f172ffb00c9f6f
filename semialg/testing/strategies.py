"""Hypothesis strategies for polynomials, formulas, sentences and rational points.

This is the only module of :mod:`semialg.testing` that imports ``hypothesis`` (a test extra).
The defaults generate problems that the CAD engine decides in well under a second (few atoms,
low degree, integer coefficients of absolute value at most 5); every size is a parameter, so
the same strategies scale up for soak runs.

Variable names: ``x, y, z, w, v, u`` for quantified variables and ``a, b, c, d`` for free ones
when a number of variables is given instead of names.

Example::

    from hypothesis import given
    from semialg.qe.api import decide
    from semialg.testing import check_decision
    from semialg.testing.strategies import sentences

    @given(sentences(num_vars=2, max_degree=2, prefix="E"))
    def test_existential(sentence):
        check_decision(sentence, decide(sentence, budget=20))
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from fractions import Fraction

from hypothesis import strategies as st

from ..logic import And, Atom, Exists, ForAll, Formula, Not, Or
from ..logic.formula import RELATIONS
from ..poly import Poly, PolyRing

#: Names used when a strategy is given a number of bound variables.
BOUND_NAMES: tuple[str, ...] = ("x", "y", "z", "w", "v", "u")
#: Names used when a strategy is given a number of free variables.
FREE_NAMES: tuple[str, ...] = ("a", "b", "c", "d", "e", "f")

_DEFAULT_COEFFICIENTS = st.integers(-5, 5).filter(bool)


def _names(variables: Sequence[str] | str | int, default: tuple[str, ...]) -> tuple[str, ...]:
    if isinstance(variables, int):
        if not 0 <= variables <= len(default):
            raise ValueError(f"at most {len(default)} generated variable names, got {variables}")
        return default[:variables]
    if isinstance(variables, str):
        return tuple(v for v in variables.replace(",", " ").split() if v)
    return tuple(variables)


def _monomials(nvars: int, max_degree: int) -> list[tuple[int, ...]]:
    """Exponent vectors of total degree 1..max_degree, low degrees first (they shrink better)."""
    out = [
        e
        for e in itertools.product(range(max_degree + 1), repeat=nvars)
        if 1 <= sum(e) <= max_degree
    ]
    out.sort(key=lambda e: (sum(e), tuple(-x for x in e)))
    return out


@st.composite
def polynomials(
    draw: st.DrawFn,
    variables: Sequence[str] | str | int,
    max_degree: int = 2,
    max_terms: int = 3,
    coefficients: st.SearchStrategy[int] | st.SearchStrategy[Fraction] | None = None,
    *,
    constant_term: bool = True,
) -> Poly:
    """A non-constant :class:`~semialg.poly.Poly` in ``variables`` (names or a count).

    At most ``max_terms`` non-constant monomials of total degree at most ``max_degree``, with
    nonzero coefficients from ``coefficients`` (default: integers in [-5, 5] without 0), plus
    possibly a constant term (``constant_term``). The ring is ``PolyRing(variables)``.
    """
    names = _names(variables, BOUND_NAMES)
    if not names:
        raise ValueError("polynomials() needs at least one variable")
    if max_degree < 1 or max_terms < 1:
        raise ValueError("max_degree and max_terms must be at least 1")
    ring = PolyRing(names)
    coeffs = coefficients if coefficients is not None else _DEFAULT_COEFFICIENTS
    monos = draw(
        st.lists(
            st.sampled_from(_monomials(len(names), max_degree)),
            min_size=1,
            max_size=max_terms,
            unique=True,
        )
    )
    terms: dict[tuple[int, ...], object] = {}
    for m in monos:
        c = draw(coeffs)
        if c != 0:
            terms[m] = c
    if not terms:  # a zero coefficient strategy was given: fall back to one monomial
        terms[monos[0]] = 1
    if constant_term and draw(st.booleans()):
        c = draw(coeffs)
        if c != 0:
            terms[(0,) * len(names)] = c
    return ring.from_dict(terms)


@st.composite
def sums_of_squares(
    draw: st.DrawFn,
    variables: Sequence[str] | str | int,
    max_degree: int = 2,
    max_terms: int = 2,
    coefficients: st.SearchStrategy | None = None,
) -> Poly:
    """``s * (q_1^2 + ... + q_k^2) + c``: k <= 2 polynomials of degree <= max_degree // 2, a sign
    ``s`` and a constant ``c`` in [-3, 3]. Atoms over such polynomials sit near the border
    between satisfiable and unsatisfiable, which random polynomials rarely do."""
    half = max(1, max_degree // 2)
    k = draw(st.integers(1, 2))
    parts = [draw(polynomials(variables, half, max_terms, coefficients)) for _ in range(k)]
    p = parts[0] ** 2
    for q in parts[1:]:
        p = p + q**2
    if draw(st.booleans()):
        p = -p
    return p + draw(st.integers(-3, 3))


@st.composite
def atoms(
    draw: st.DrawFn,
    variables: Sequence[str] | str | int,
    max_degree: int = 2,
    max_terms: int = 3,
    coefficients: st.SearchStrategy | None = None,
    relations: Sequence[str] = RELATIONS,
    square_bias: float = 0.0,
) -> Formula:
    """An atom ``p ~ 0`` with ``~`` from ``relations`` and ``p`` from :func:`polynomials`, or
    with probability ``square_bias`` from :func:`sums_of_squares` (when ``max_degree >= 2``)."""
    if max_degree >= 2 and square_bias > 0 and draw(st.integers(0, 99)) < 100 * square_bias:
        p = draw(sums_of_squares(variables, max_degree, min(max_terms, 2), coefficients))
        if p.is_constant():  # all squares cancelled: impossible, but keep atoms non-trivial
            p = p + p.ring.gen(p.ring.names[0])
    else:
        p = draw(polynomials(variables, max_degree, max_terms, coefficients))
    return Atom(p, draw(st.sampled_from(tuple(relations))))


def _combine(
    draw: st.DrawFn, parts: list[Formula], depth: int, connectives: Sequence[str]
) -> Formula:
    binary = [c for c in connectives if c in ("and", "or")] or ["and"]
    if len(parts) == 1:
        f = parts[0]
        if depth > 0 and "not" in connectives and draw(st.integers(0, 3)) == 0:
            return Not(f)
        return f
    if depth <= 1:
        cls = And if draw(st.sampled_from(binary)) == "and" else Or
        return cls(*parts)
    cut = draw(st.integers(1, len(parts) - 1))
    left = _combine(draw, parts[:cut], depth - 1, connectives)
    right = _combine(draw, parts[cut:], depth - 1, connectives)
    cls = And if draw(st.sampled_from(binary)) == "and" else Or
    f = cls(left, right)
    if "not" in connectives and draw(st.integers(0, 5)) == 0:
        return Not(f)
    return f


@st.composite
def quantifier_free_formulas(
    draw: st.DrawFn,
    variables: Sequence[str] | str | int,
    max_depth: int = 2,
    max_atoms: int = 3,
    max_degree: int = 2,
    max_terms: int = 3,
    coefficients: st.SearchStrategy | None = None,
    relations: Sequence[str] = RELATIONS,
    connectives: Sequence[str] = ("and", "or", "not"),
    square_bias: float = 0.0,
) -> Formula:
    """A quantifier-free formula with 1..``max_atoms`` atoms over ``variables``.

    The atoms (see :func:`atoms`, also for ``square_bias``) are combined by ``connectives`` (a
    subset of ``"and"``, ``"or"``, ``"not"``) into a tree of depth at most ``max_depth``.
    """
    n = draw(st.integers(1, max(1, max_atoms)))
    parts = [
        draw(atoms(variables, max_degree, max_terms, coefficients, relations, square_bias))
        for _ in range(n)
    ]
    return _combine(draw, parts, max_depth, connectives)


def _count(num: int | tuple[int, int]) -> st.SearchStrategy[int]:
    if isinstance(num, int):
        return st.just(num)
    lo, hi = num
    return st.integers(lo, hi)


def _split_blocks(draw: st.DrawFn, names: tuple[str, ...], k: int) -> list[tuple[str, ...]]:
    """``names`` cut into ``k`` non-empty consecutive blocks."""
    if k == 1:
        return [names]
    cuts = sorted(draw(st.sets(st.integers(1, len(names) - 1), min_size=k - 1, max_size=k - 1)))
    bounds = [0, *cuts, len(names)]
    return [names[bounds[i] : bounds[i + 1]] for i in range(k)]


def _quantify(prefix: str, blocks: list[tuple[str, ...]], matrix: Formula) -> Formula:
    f = matrix
    for q, block in reversed(list(zip(prefix, blocks, strict=True))):
        f = (Exists if q == "E" else ForAll)(block, f)
    return f


def _check_prefix(prefix: str) -> None:
    if not prefix or set(prefix) - {"E", "A"}:
        raise ValueError(f"a prefix is a string of 'E' and 'A' (one per block), got {prefix!r}")


@st.composite
def sentences(
    draw: st.DrawFn,
    num_vars: int | tuple[int, int] = (2, 4),
    max_degree: int = 2,
    prefix: str | None = None,
    max_atoms: int = 3,
    max_terms: int = 3,
    max_depth: int = 2,
    coefficients: st.SearchStrategy | None = None,
    relations: Sequence[str] = RELATIONS,
    connectives: Sequence[str] = ("and", "or", "not"),
    square_bias: float = 0.0,
) -> Formula:
    """A prenex sentence in ``num_vars`` variables (an int or an inclusive range).

    ``prefix``: one letter per quantifier block, ``"E"`` (exists) or ``"A"`` (for all), outer
    block first, e.g. ``"E"``, ``"A"``, ``"EA"``; the variables ``x, y, z, w, ...`` are cut into
    that many non-empty blocks. ``None`` draws ``"E"``, ``"A"``, ``"EA"`` or ``"AE"``. The matrix
    comes from :func:`quantifier_free_formulas` (``connectives`` as there: random existential
    sentences with ``or`` are nearly always true and universal ones with ``and`` nearly always
    false, so ``("and",)`` for ``"E"`` and ``("or",)`` for ``"A"`` give more balanced
    answers, and ``square_bias`` = 0.5 balances them further, see :func:`atoms`); a variable
    that ends up in no atom simply has no effect. Degree (``max_degree``, total degree of each
    polynomial) is kept at 2 by default; the CAD cost grows quickly with degree and number of
    variables.
    """
    n = draw(_count(num_vars))
    names = BOUND_NAMES[:n]
    if prefix is None:
        choices = ["E", "A"] + (["EA", "AE"] if n >= 2 else [])
        prefix = draw(st.sampled_from(choices))
    _check_prefix(prefix)
    if len(prefix) > n:
        raise ValueError(f"prefix {prefix!r} has more blocks than the {n} variables")
    blocks = _split_blocks(draw, names, len(prefix))
    matrix = draw(
        quantifier_free_formulas(
            names,
            max_depth,
            max_atoms,
            max_degree,
            max_terms,
            coefficients,
            relations,
            connectives,
            square_bias,
        )
    )
    return _quantify(prefix, blocks, matrix)


@st.composite
def formulas_with_free_variables(
    draw: st.DrawFn,
    free: Sequence[str] | str | int = 1,
    bound: Sequence[str] | str | int = 1,
    prefix: str = "E",
    max_degree: int = 2,
    max_atoms: int = 3,
    max_terms: int = 3,
    max_depth: int = 2,
    coefficients: st.SearchStrategy | None = None,
    relations: Sequence[str] = RELATIONS,
    connectives: Sequence[str] = ("and", "or", "not"),
    square_bias: float = 0.0,
) -> Formula:
    """A prenex formula ``Q bound. phi(free, bound)`` whose free variables are among ``free``.

    ``free``/``bound`` are names or counts (counts use ``a, b, ...`` and ``x, y, ...``);
    ``prefix``, ``connectives`` and ``square_bias`` as in :func:`sentences` (blocks cut from
    ``bound``). At least one atom involves
    a bound variable and at least one a free variable, so the problem is a genuine elimination.
    """
    fnames = _names(free, FREE_NAMES)
    bnames = _names(bound, BOUND_NAMES)
    if not fnames or not bnames:
        raise ValueError("formulas_with_free_variables needs free and bound variables")
    if set(fnames) & set(bnames):
        raise ValueError(f"free and bound variables overlap: {set(fnames) & set(bnames)}")
    _check_prefix(prefix)
    if len(prefix) > len(bnames):
        raise ValueError(f"prefix {prefix!r} has more blocks than the bound variables")
    names = fnames + bnames
    matrix = draw(
        quantifier_free_formulas(
            names,
            max_depth,
            max_atoms,
            max_degree,
            max_terms,
            coefficients,
            relations,
            connectives,
            square_bias,
        )
    )
    used = set(matrix.free_variables())
    if not used & set(bnames) or not used & set(fnames):
        # one more atom mixing both kinds of variables keeps the problem non-trivial
        p = draw(polynomials(names, max_degree, max_terms, coefficients))
        if not set(p.variables()) & set(fnames):
            p = p + p.ring.gen(fnames[0])
        if not set(p.variables()) & set(bnames):
            p = p + p.ring.gen(bnames[0])
        rel = draw(st.sampled_from(tuple(relations)))
        matrix = And(matrix, Atom(p, rel)) if draw(st.booleans()) else Or(matrix, Atom(p, rel))
    blocks = _split_blocks(draw, bnames, len(prefix))
    return _quantify(prefix, blocks, matrix)


def rationals(bound: int = 4, max_denominator: int = 4) -> st.SearchStrategy[Fraction]:
    """Rationals in ``[-bound, bound]`` with denominator at most ``max_denominator``."""
    return st.fractions(min_value=-bound, max_value=bound, max_denominator=max_denominator)


def rational_points(
    variables: Sequence[str] | str | int,
    bound: int = 4,
    max_denominator: int = 4,
) -> st.SearchStrategy[dict[str, Fraction]]:
    """Points ``{name: Fraction}`` with coordinates from :func:`rationals`."""
    names = _names(variables, FREE_NAMES)
    return st.fixed_dictionaries({n: rationals(bound, max_denominator) for n in names})


def support_patterns(
    max_dims: Sequence[int] = (3, 3, 3),
    factors: int = 2,
    density: float | None = None,
    families: bool = True,
) -> st.SearchStrategy:
    """Support patterns (:class:`semialg.sparse.SupportPattern`) with ``factors`` factors and
    each size in ``1..max_dims[k]`` (``max_dims`` has factors + 1 entries, or 3 entries reused
    for the inner sizes). ``density``: probability of a 1 (None: any mask). ``families``: mix in
    the named families lu, ul, dense and diagonal of fitting sizes."""
    from ..sparse import pattern as pat

    if len(max_dims) == 3 and factors != 2:
        max_dims = (max_dims[0], *([max_dims[1]] * (factors - 1)), max_dims[2])
    if len(max_dims) != factors + 1:
        raise ValueError(f"max_dims needs {factors + 1} sizes for {factors} factors")

    @st.composite
    def masks(draw):
        dims = [draw(st.integers(1, d)) for d in max_dims]
        out = []
        for a, b in itertools.pairwise(dims):
            if density is None:
                bits = st.integers(0, 1)
            else:
                bits = st.floats(0, 1).map(lambda u: int(u < density))
            out.append([[draw(bits) for _ in range(b)] for _ in range(a)])
        return pat.SupportPattern(out)

    strategy = masks()
    if families and factors == 2:
        n = min(max_dims)
        named = (
            st.sampled_from(
                [f(k) for k in range(2, n + 1) for f in (pat.lu, pat.ul, pat.diagonal)]
                + [pat.dense(*d) for d in itertools.product(*(range(1, m + 1) for m in max_dims))]
            )
            if n >= 2
            else st.nothing()
        )
        strategy = st.one_of(strategy, named)
    return strategy


__all__ = [
    "BOUND_NAMES",
    "FREE_NAMES",
    "atoms",
    "formulas_with_free_variables",
    "polynomials",
    "quantifier_free_formulas",
    "rational_points",
    "rationals",
    "sentences",
    "sums_of_squares",
    "support_patterns",
]
