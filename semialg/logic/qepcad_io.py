"""QEPCAD B input and output syntax.

A QEPCAD B problem is::

    [an informal title]
    (x,y)                      variables, free ones first
    1                          number of free variables
    (E y)[x^2 + y^2 < 1].      a prenex formula ending in '.'
    finish

Formulas use ``/\\ \\/ ~ ==> <== <==>``, relations ``= /= < > <= >=``, quantifiers ``(E x)`` and
``(A x)``, brackets ``[ ]`` around formulas and parentheses inside polynomials, products by
juxtaposition, ``^`` for powers, integer coefficients (C. W. Brown, *QEPCAD B: a program for
computing with semi-algebraic sets using CADs*, SIGSAM Bulletin 37(4), 2003, and the QEPCAD B
online manual).

The reader is a little more liberal than QEPCAD B: it also accepts ``*`` and ``**``, division by
constants, ``!=`` and ``==``, ``TRUE``/``FALSE`` (which QEPCAD prints but does not read), and
quantifiers inside brackets. Like QEPCAD B it requires brackets to mix different connectives
(``[a /\\ b] \\/ c``), binds ``~`` and a quantifier to the operand that follows, and rejects
QEPCAD's extra quantifiers ``(F x)`` (for infinitely many), ``(G x)``, ``(C x)``, ``(Xk x)`` and
extended Tarski atoms (``_root_``). The writer produces text that QEPCAD B reads: juxtaposition
for products, every compound operand in brackets, ``0 = 0``/``0 /= 0`` for the constants.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import InputError, InputTypeError
from ..poly import PolyRing
from ..poly.parse import Token, parse_polynomial_tokens
from .formula import (
    FALSE,
    QUANTIFIERS,
    TRUE,
    And,
    Atom,
    Equivalent,
    Formula,
    Implies,
    Not,
    Or,
    as_formula,
    relation,
)
from .normal_forms import prenex
from .printing import QEPCAD_QUANTIFIERS, to_text

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<sym><==>|==>|<==|/\\|\\/|/=|<=|>=|!=|==|=|<|>|~|\[|\]|\.)
  | (?P<num>\d+)
  | (?P<name>[A-Za-z_][A-Za-z_0-9]*)
  | (?P<op>\*\*|[-+*/^()])
    """,
    re.VERBOSE,
)
_RELATIONS = {"=", "/=", "<", ">", "<=", ">=", "!=", "=="}
_CONNECTIVES = {"/\\", "\\/", "==>", "<==", "<==>"}
_QUANTIFIER_LETTERS = {"E": "exists", "A": "forall"}
_UNSUPPORTED_QUANTIFIERS = {
    "F": "'for infinitely many'",
    "G": "'for all but finitely many'",
    "C": "'connected'",
}
_QEPCAD_NAME = re.compile(r"[A-Za-z][A-Za-z0-9]*\Z")
_OUTPUT_MARKER = "An equivalent quantifier-free formula:"


def _tokenize(text: str, start: int = 0, *, stop_at_dot: bool = False) -> tuple[list[Token], int]:
    """Tokens from ``start``; with ``stop_at_dot`` up to the first ``.`` (returns the position
    after it, or -1 if there is none)."""
    tokens: list[Token] = []
    pos = start
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            raise InputError(f"unexpected character {text[pos]!r} {_where(text, pos)}")
        kind = m.lastgroup
        assert kind is not None
        if kind != "ws":
            tok = m.group()
            if kind == "sym" and tok == ".":
                if stop_at_dot:
                    tokens.append(Token("end", "", pos))
                    return tokens, m.end()
                tokens.append(Token("end", "", pos))
                rest = text[m.end() :].strip()
                if rest:
                    raise InputError(f"unexpected text after '.' {_where(text, m.end())}")
                return tokens, m.end()
            tokens.append(Token(kind, "^" if tok == "**" else tok, pos))
        pos = m.end()
    tokens.append(Token("end", "", len(text)))
    return tokens, -1


def _where(text: str, pos: int) -> str:
    line = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    snippet = text[pos : pos + 20].split("\n")[0]
    return f"at line {line}, column {col} ({snippet!r})" if snippet else f"at line {line}, end"


class _FormulaParser:
    """Recursive descent over QEPCAD formula tokens."""

    def __init__(self, text: str, tokens: list[Token], ring: PolyRing):
        self.text = text
        self.tokens = tokens
        self.ring = ring
        self.i = 0

    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def error(self, msg: str, tok: Token | None = None) -> InputError:
        t = tok or self.tok
        if t.kind == "end":
            return InputError(f"{msg} at the end of the formula")
        return InputError(f"{msg} {_where(self.text, t.pos)}")

    def is_sym(self, text: str, k: int = 0) -> bool:
        t = self.tokens[min(self.i + k, len(self.tokens) - 1)]
        return t.kind == "sym" and t.text == text

    def expect(self, text: str) -> None:
        if not self.is_sym(text):
            raise self.error(f"expected {text!r}")
        self.i += 1

    def parse_all(self) -> Formula:
        if self.tok.kind == "end":
            raise self.error("empty formula")
        f = self.formula()
        if self.tok.kind != "end":
            raise self.error("unexpected token")
        return f

    def formula(self) -> Formula:
        first = self.unary()
        ops: list[Token] = []
        operands = [first]
        while self.tok.kind == "sym" and self.tok.text in _CONNECTIVES:
            ops.append(self.tok)
            self.i += 1
            operands.append(self.unary())
        if not ops:
            return first
        kinds = {t.text for t in ops}
        if len(kinds) > 1:
            other = next(t for t in ops if t.text != ops[0].text)
            raise self.error(
                f"connectives {ops[0].text!r} and {other.text!r} mixed without brackets", other
            )
        op = ops[0].text
        if op == "/\\":
            return And(*operands)
        if op == "\\/":
            return Or(*operands)
        if len(ops) > 1:
            raise self.error(f"a chain of {op!r} needs brackets", ops[1])
        a, b = operands
        if op == "==>":
            return Implies(a, b)
        if op == "<==":
            return Implies(b, a)
        return Equivalent(a, b)

    def _quantifier_at(self) -> str | None:
        """The quantifier letter if the tokens at ``i`` read ``( Q x )``."""
        t = self.tokens
        i = self.i
        if not (t[i].kind == "op" and t[i].text == "(" and i + 3 < len(t)):
            return None
        q, v, close = t[i + 1], t[i + 2], t[i + 3]
        if q.kind != "name" or v.kind != "name" or close.kind != "op" or close.text != ")":
            return None
        letter = q.text
        if letter in _QUANTIFIER_LETTERS:
            return letter
        if letter in _UNSUPPORTED_QUANTIFIERS or re.fullmatch(r"X\d+", letter):
            what = _UNSUPPORTED_QUANTIFIERS.get(letter, "'there exist exactly k'")
            raise self.error(
                f"QEPCAD's ({letter} {v.text}) quantifier ({what}) is not supported; only "
                "(E x) and (A x) are",
                q,
            )
        return None

    def unary(self) -> Formula:
        t = self.tok
        if t.kind == "sym" and t.text == "~":
            self.i += 1
            return Not(self.unary())
        if t.kind == "sym" and t.text == "[":
            self.i += 1
            f = self.formula()
            self.expect("]")
            return f
        letter = self._quantifier_at()
        if letter is not None:
            names: list[str] = []
            while self._quantifier_at() == letter:
                var = self.tokens[self.i + 2]
                if var.text not in self.ring.names:
                    raise self.error(
                        f"quantified variable {var.text!r} is not among the variables "
                        f"{list(self.ring.names)}",
                        var,
                    )
                if var.text in names:
                    raise self.error(f"variable {var.text!r} quantified twice in a row", var)
                names.append(var.text)
                self.i += 4
            return QUANTIFIERS[_QUANTIFIER_LETTERS[letter]](tuple(names), self.unary())
        if t.kind == "name" and t.text in ("TRUE", "FALSE") and t.text not in self.ring.names:
            self.i += 1
            return TRUE if t.text == "TRUE" else FALSE
        return self.atom()

    def atom(self) -> Formula:
        start = self.tok
        if start.kind == "end" or (start.kind == "sym" and start.text not in ("~",)):
            raise self.error("expected a formula")
        lhs, self.i = self._poly()
        rel_tok = self.tok
        if not (rel_tok.kind == "sym" and rel_tok.text in _RELATIONS):
            raise self.error("expected a relation (= /= < > <= >=)")
        self.i += 1
        rhs, self.i = self._poly()
        if self.tok.kind == "sym" and self.tok.text in _RELATIONS:
            raise self.error("chained relations are not supported; use /\\")
        return Atom(lhs - rhs, relation(rel_tok.text))

    def _poly(self):
        for t in self.tokens[self.i :]:
            if t.kind == "name" and t.text.startswith("_root_"):
                raise self.error(
                    "extended Tarski atoms (_root_) are not supported; run QEPCAD B without "
                    "the extended language for solution formulas",
                    t,
                )
            if t.kind not in ("name", "num", "op"):
                break
        return parse_polynomial_tokens(
            self.text, self.tokens, self.i, self.ring, implicit_multiplication=True
        )


def _names_in(tokens: list[Token]) -> list[str]:
    """Variable names in order of first appearance (not quantifier letters or TRUE/FALSE)."""
    seen: dict[str, None] = {}
    for k, t in enumerate(tokens):
        if t.kind != "name" or t.text in ("TRUE", "FALSE"):
            continue
        prev = tokens[k - 1] if k else None
        nxt = tokens[k + 1] if k + 1 < len(tokens) else None
        is_letter = (
            prev is not None
            and prev.kind == "op"
            and prev.text == "("
            and nxt is not None
            and nxt.kind == "name"
            and t.text in (*_QUANTIFIER_LETTERS, *_UNSUPPORTED_QUANTIFIERS)
        )
        if not is_letter:
            seen[t.text] = None
    return list(seen)


def _ring_for(variables: object, tokens: list[Token]) -> PolyRing:
    if variables is None:
        return PolyRing(_names_in(tokens))
    if isinstance(variables, PolyRing):
        return variables
    from .formula import variable_names

    return PolyRing(variable_names(variables))


def parse_qepcad_formula(text: str, variables: object = None) -> Formula:
    """Read one formula in QEPCAD B syntax (an optional final ``.`` is allowed).

    ``variables`` (names, symbols or a :class:`PolyRing`) fixes the ring; by default it holds the
    names of the formula in order of first appearance.
    """
    if not isinstance(text, str):
        raise InputTypeError(f"expected formula text, got {type(text).__name__}")
    tokens, _ = _tokenize(text)
    return _FormulaParser(text, tokens, _ring_for(variables, tokens)).parse_all()


def parse_qepcad_output(text: str, variables: object = None) -> Formula:
    """Read the quantifier-free formula QEPCAD B prints, e.g. ``b = 0 \\/ a /= 0``, ``TRUE``.

    ``text`` is either the formula or a whole QEPCAD B transcript; in the latter case the formula
    after ``An equivalent quantifier-free formula:`` is read.
    """
    if not isinstance(text, str):
        raise InputTypeError(f"expected QEPCAD B output text, got {type(text).__name__}")
    if _OUTPUT_MARKER in text:
        rest = text.split(_OUTPUT_MARKER, 1)[1]
        lines = []
        for line in rest.splitlines():
            if line.strip().startswith("====="):
                break
            lines.append(line)
        text = "\n".join(lines)
    elif "Error" in text and "formula" not in text.lower():  # pragma: no cover - defensive
        raise InputError(f"QEPCAD B reported an error: {text.strip()[:200]}")
    if not text.strip():
        raise InputError("no quantifier-free formula in the QEPCAD B output")
    return parse_qepcad_formula(text.strip(), variables)


@dataclass
class QepcadProblem:
    """A QEPCAD B problem: title, variables (free ones first), number of free variables, formula.

    ``assumptions`` collects formulas given with QEPCAD's ``assume`` command (None if none);
    ``commands`` keeps the other commands after the formula (not ``finish``), verbatim.
    """

    title: str
    variables: list[str]
    num_free: int
    formula: Formula
    assumptions: Formula | None = None
    commands: list[str] = field(default_factory=list)

    @property
    def free_variables(self) -> list[str]:
        return self.variables[: self.num_free]

    @property
    def bound_variables(self) -> list[str]:
        return self.variables[self.num_free :]


def _skip_ws(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def parse_qepcad(text: str) -> QepcadProblem:
    """Read a QEPCAD B input (title, variable list, number of free variables, formula, commands).

    Checks what QEPCAD B checks: the formula is prenex, its quantified variables are exactly the
    non-free variables in list order, and its free variables are among the free ones.
    """
    if not isinstance(text, str):
        raise InputTypeError(f"expected QEPCAD B input text, got {type(text).__name__}")
    pos = _skip_ws(text, 0)
    if not text.startswith("[", pos):
        raise InputError(f"expected '[title]' {_where(text, pos)}")
    end = text.find("]", pos)
    if end < 0:
        raise InputError("the title is missing its closing ']'")
    title = text[pos + 1 : end].strip()
    pos = _skip_ws(text, end + 1)
    if not text.startswith("(", pos):
        raise InputError(f"expected the variable list '(x,y,...)' {_where(text, pos)}")
    end = text.find(")", pos)
    if end < 0:
        raise InputError("the variable list is missing its closing ')'")
    raw = [v.strip() for v in text[pos + 1 : end].split(",")]
    if raw == [""]:
        raise InputError("the variable list is empty")
    for v in raw:
        if not v.isidentifier():
            raise InputError(f"invalid variable name {v!r} in the variable list")
    if len(set(raw)) != len(raw):
        dup = sorted({v for v in raw if raw.count(v) > 1})
        raise InputError(f"duplicated variable(s) {', '.join(dup)} in the variable list")
    pos = _skip_ws(text, end + 1)
    m = re.compile(r"\d+").match(text, pos)
    if m is None:
        raise InputError(f"expected the number of free variables {_where(text, pos)}")
    num_free = int(m.group())
    if num_free > len(raw):
        raise InputError(f"{num_free} free variables, but only {len(raw)} variables are listed")
    ring = PolyRing(raw)
    tokens, pos = _tokenize(text, m.end(), stop_at_dot=True)
    if pos < 0:
        raise InputError("the formula must end with '.'")
    formula = _FormulaParser(text, tokens, ring).parse_all()
    _check_problem(formula, raw, num_free)
    assumptions, commands = _parse_commands(text, pos, ring)
    return QepcadProblem(title, raw, num_free, formula, assumptions, commands)


def _check_problem(formula: Formula, variables: list[str], num_free: int) -> None:
    if not formula.is_prenex():
        raise InputError("QEPCAD B needs a prenex formula (all quantifiers in front)")
    bound: list[str] = []
    f = formula
    while hasattr(f, "vars") and hasattr(f, "body"):
        bound.extend(f.vars)  # type: ignore[attr-defined]
        f = f.body  # type: ignore[attr-defined]
    if bound != variables[num_free:]:
        raise InputError(
            f"the quantified variables {bound} must be the non-free variables "
            f"{variables[num_free:]}, in the order of the variable list"
        )
    extra = [v for v in formula.free_variables() if v not in variables[:num_free]]
    if extra:  # pragma: no cover - implied by the check above
        raise InputError(f"variables {extra} occur free but are not free variables")


def _parse_commands(text: str, pos: int, ring: PolyRing) -> tuple[Formula | None, list[str]]:
    assumptions: list[Formula] = []
    commands: list[str] = []
    while True:
        pos = _skip_ws(text, pos)
        if pos >= len(text):
            break
        m = re.compile(r"[A-Za-z][-A-Za-z_0-9]*").match(text, pos)
        if m is None:
            raise InputError(f"expected a command {_where(text, pos)}")
        word = m.group()
        if word in ("finish", "quit"):
            break
        if word == "assume":
            start = _skip_ws(text, m.end())
            if not text.startswith("[", start):
                raise InputError(f"'assume' needs a bracketed formula {_where(text, start)}")
            depth, k = 0, start
            while k < len(text):
                depth += {"[": 1, "]": -1}.get(text[k], 0)
                k += 1
                if depth == 0:
                    break
            if depth:
                raise InputError("unbalanced brackets in 'assume'")
            tokens, _ = _tokenize(text[:k], start)
            assumptions.append(_FormulaParser(text, tokens, ring).parse_all())
            pos = k
            continue
        eol = text.find("\n", pos)
        eol = len(text) if eol < 0 else eol
        commands.append(text[pos:eol].strip())
        pos = eol
    assumption = None if not assumptions else And(*assumptions)
    return assumption, commands


def _check_name(name: str) -> None:
    if not _QEPCAD_NAME.match(name):
        raise InputError(
            f"QEPCAD B variable names consist of letters and digits, starting with a letter; "
            f"rename {name!r}"
        )


def write_qepcad(
    problem: QepcadProblem | Formula | object,
    *,
    title: str | None = None,
    free_variables: object = None,
    commands: tuple[str, ...] | list[str] | None = None,
) -> str:
    """QEPCAD B input text for a problem or a formula.

    A formula is put in prenex form first (:func:`~semialg.logic.prenex`). ``free_variables``
    (default: the free variables of the formula, in ring order) lists the free variables; it may
    include variables that do not occur. The quantified variables follow in prefix order. Atoms
    are written with integer coefficients (they are primitive integer polynomials by
    construction; denominators would be cleared by a positive factor). ``commands`` are written
    after the formula (default: the problem's commands, or none) and followed by ``finish``.
    """
    assumptions = None
    if isinstance(problem, QepcadProblem):
        formula = problem.formula
        if free_variables is None:
            free_variables = problem.free_variables
        title = problem.title if title is None else title
        commands = problem.commands if commands is None else commands
        assumptions = problem.assumptions
    else:
        formula = as_formula(problem)
    title = "semialg" if title is None else title
    if "]" in title or "[" in title:
        raise InputError(f"a QEPCAD B title cannot contain brackets: {title!r}")
    pf = prenex(formula)
    if free_variables is None:
        free = list(formula.free_variables())
    else:
        from .formula import variable_names

        free = list(variable_names(free_variables))
        missing = [v for v in formula.free_variables() if v not in free]
        if missing:
            raise InputError(f"the free variables {missing} are missing from free_variables")
    bound = list(pf.bound_variables())
    clash = [v for v in bound if v in free]
    if clash:  # pragma: no cover - prenex renames bound variables apart
        raise InputError(f"variables {clash} are both free and bound")
    variables = free + bound
    if not variables:
        raise InputError("QEPCAD B needs at least one variable")
    for v in variables:
        _check_name(v)
    prefix = "".join(f"({QEPCAD_QUANTIFIERS[q]} {v})" for q, vs in pf.prefix for v in vs)
    matrix = to_text(pf.matrix, constants=("0 = 0", "0 /= 0"))
    lines = [f"[{title}]", f"({','.join(variables)})", str(len(free)), f"{prefix}[{matrix}]."]
    if assumptions is not None:
        lines.append(f"assume [{to_text(assumptions, constants=('0 = 0', '0 /= 0'))}]")
    lines.extend(commands or ())
    lines.append("finish")
    return "\n".join(lines) + "\n"


__all__ = [
    "QepcadProblem",
    "parse_qepcad",
    "parse_qepcad_formula",
    "parse_qepcad_output",
    "write_qepcad",
]
