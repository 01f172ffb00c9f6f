"""SMT-LIB 2 scripts in (quantified) nonlinear real arithmetic: reader and writer.

Supported (SMT-LIB 2.6 standard, theory ``Reals``, logics ``QF_NRA``/``NRA`` and below):
commands ``set-logic set-info set-option declare-fun declare-const define-fun`` (without
arguments) ``assert check-sat exit`` and the ``get-*``/``echo`` commands (ignored); terms
``+ - * /`` (division by a nonzero constant only), ``^`` with a natural exponent (as z3 accepts),
``to_real``, numerals, exact decimals (``0.5`` is 1/2), ``(/ 1 3)``, ``(- 5)``; formulas
``and or not => xor = distinct < <= > >= ite`` (``ite`` on formulas), ``true false``,
``exists``/``forall`` over ``Real`` variables, ``let`` and ``!`` annotations. Everything else
(``Int`` sorts, functions with arguments, Boolean variables, ``push``/``pop``) is rejected with a
message naming the construct and its line.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from fractions import Fraction

from ..errors import InputError, InputTypeError
from ..poly import Poly, PolyRing
from .formula import (
    FALSE,
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
    as_formula,
)

# -- s-expressions -------------------------------------------------------------------------

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>;[^\n]*)
  | (?P<lp>\()
  | (?P<rp>\))
  | (?P<quoted>\|[^|]*\|)
  | (?P<string>"(?:[^"]|"")*")
  | (?P<atom>[^\s()|";]+)
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class SAtom:
    text: str
    pos: int
    quoted: bool = False


@dataclass(frozen=True)
class SList:
    items: tuple[SAtom | SList, ...]
    pos: int


SExpr = SAtom | SList


def _where(text: str, pos: int) -> str:
    line = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return f"line {line}, column {col}"


def read_sexprs(text: str) -> list[SExpr]:
    """Parse the s-expressions of a script (comments, quoted symbols and strings allowed)."""
    stack: list[list[SExpr]] = [[]]
    opens: list[int] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            raise InputError(f"unexpected character {text[pos]!r} at {_where(text, pos)}")
        kind = m.lastgroup
        if kind == "lp":
            stack.append([])
            opens.append(pos)
        elif kind == "rp":
            if len(stack) == 1:
                raise InputError(f"unbalanced ')' at {_where(text, pos)}")
            items = stack.pop()
            stack[-1].append(SList(tuple(items), opens.pop()))
        elif kind == "quoted":
            stack[-1].append(SAtom(m.group()[1:-1], pos, quoted=True))
        elif kind in ("atom", "string"):
            stack[-1].append(SAtom(m.group(), pos))
        pos = m.end()
    if len(stack) != 1:
        raise InputError(f"unbalanced '(' opened at {_where(text, opens[-1])}")
    return stack[0]


# -- problems --------------------------------------------------------------------------------


@dataclass
class SmtProblem:
    """An SMT-LIB script: declared real constants (in order), assertions, their conjunction."""

    declared: list[str]
    assertions: list[Formula]
    formula: Formula
    logic: str | None = None


_IGNORED = {
    "set-info",
    "set-option",
    "check-sat",
    "get-model",
    "get-value",
    "get-info",
    "get-option",
    "get-assertions",
    "get-assignment",
    "get-unsat-core",
    "get-unsat-assumptions",
    "get-proof",
    "echo",
}
_REJECTED = {
    "push": "incremental scripts (push/pop) are not supported",
    "pop": "incremental scripts (push/pop) are not supported",
    "reset": "'reset' is not supported",
    "reset-assertions": "'reset-assertions' is not supported",
    "check-sat-assuming": "'check-sat-assuming' is not supported",
    "declare-sort": "user-declared sorts are not supported",
    "define-sort": "user-defined sorts are not supported",
    "define-fun-rec": "recursive functions are not supported",
    "define-funs-rec": "recursive functions are not supported",
    "declare-datatype": "datatypes are not supported",
    "declare-datatypes": "datatypes are not supported",
}
_INT_OPS = {"div", "mod", "abs", "to_int", "is_int", "divisible"}
_NUMERAL = re.compile(r"\d+\Z")
_DECIMAL = re.compile(r"\d+\.\d+\Z")


class _Reader:
    def __init__(self, text: str):
        self.text = text
        self.declared: list[str] = []
        self.macros: dict[str, Poly | Formula] = {}
        self.ring: PolyRing = PolyRing(())

    def error(self, msg: str, at: SExpr) -> InputError:
        return InputError(f"{msg} (at {_where(self.text, at.pos)})")

    # -- commands -----------------------------------------------------------------------------
    def run(self) -> SmtProblem:
        commands = read_sexprs(self.text)
        self.ring = self._ring(commands)
        assertions: list[Formula] = []
        logic: str | None = None
        for cmd in commands:
            if not isinstance(cmd, SList) or not cmd.items or not isinstance(cmd.items[0], SAtom):
                raise self.error("expected a command '(name ...)'", cmd)
            name = cmd.items[0].text
            args = cmd.items[1:]
            if name == "exit":
                break
            if name == "set-logic":
                logic = self._symbol(args[0]) if args else None
            elif name in _IGNORED:
                continue
            elif name in _REJECTED:
                raise self.error(_REJECTED[name], cmd)
            elif name in ("declare-fun", "declare-const"):
                self._declare(name, args, cmd)
            elif name == "define-fun":
                self._define(args, cmd)
            elif name == "assert":
                if len(args) != 1:
                    raise self.error("'assert' takes one formula", cmd)
                assertions.append(self._formula(args[0], {}))
            else:
                raise self.error(f"unknown or unsupported command {name!r}", cmd)
        formula = And(*assertions) if assertions else TRUE
        if assertions and len(assertions) == 1:
            formula = assertions[0]
        return SmtProblem(list(self.declared), assertions, formula.in_ring(self.ring), logic)

    def _symbol(self, s: SExpr) -> str:
        if not isinstance(s, SAtom):
            raise self.error("expected a symbol", s)
        return s.text

    def _ring(self, commands: list[SExpr]) -> PolyRing:
        """Declared names, then names bound by quantifiers, in order of first appearance."""
        names: dict[str, None] = {}
        for cmd in commands:
            if (
                isinstance(cmd, SList)
                and len(cmd.items) >= 2
                and isinstance(cmd.items[0], SAtom)
                and cmd.items[0].text in ("declare-fun", "declare-const")
            ):
                names[self._symbol(cmd.items[1])] = None
        for cmd in commands:
            for name in self._bound_names(cmd):
                names[name] = None
        bad = [n for n in names if not n.isidentifier()]
        if bad:
            raise InputError(f"variable names must be identifiers (letters, digits, _): {bad}")
        return PolyRing(tuple(names))

    def _bound_names(self, s: SExpr):
        if isinstance(s, SList):
            head = s.items[0] if s.items else None
            if isinstance(head, SAtom) and head.text in ("exists", "forall") and len(s.items) > 1:
                binders = s.items[1]
                if isinstance(binders, SList):
                    for b in binders.items:
                        if isinstance(b, SList) and b.items and isinstance(b.items[0], SAtom):
                            yield b.items[0].text
            for item in s.items:
                yield from self._bound_names(item)

    def _check_sort(self, sort: SExpr, what: str) -> None:
        if isinstance(sort, SAtom) and sort.text == "Real":
            return
        text = sort.text if isinstance(sort, SAtom) else "a compound sort"
        if text == "Int":
            raise self.error(f"{what} has sort Int; only Real is supported", sort)
        if text == "Bool":
            raise self.error(f"{what} has sort Bool; Boolean variables are not supported", sort)
        raise self.error(f"{what} has sort {text}; only Real is supported", sort)

    def _declare(self, name: str, args: tuple[SExpr, ...], cmd: SExpr) -> None:
        if name == "declare-fun":
            if len(args) != 3:
                raise self.error("'declare-fun' needs a name, an argument list and a sort", cmd)
            var, params, sort = args
            if not isinstance(params, SList) or params.items:
                raise self.error(
                    f"uninterpreted function {self._symbol(var)!r} with arguments is not "
                    "supported (only real constants)",
                    cmd,
                )
        else:
            if len(args) != 2:
                raise self.error("'declare-const' needs a name and a sort", cmd)
            var, sort = args
        v = self._symbol(var)
        self._check_sort(sort, f"variable {v!r}")
        if v in self.declared or v in self.macros:
            raise self.error(f"{v!r} is declared twice", cmd)
        self.declared.append(v)

    def _define(self, args: tuple[SExpr, ...], cmd: SExpr) -> None:
        if len(args) != 4:
            raise self.error("'define-fun' needs a name, parameters, a sort and a body", cmd)
        var, params, sort, body = args
        v = self._symbol(var)
        if not isinstance(params, SList) or params.items:
            raise self.error(f"define-fun {v!r} with parameters is not supported", cmd)
        if v in self.declared or v in self.macros:
            raise self.error(f"{v!r} is defined twice", cmd)
        if isinstance(sort, SAtom) and sort.text == "Bool":
            self.macros[v] = self._formula(body, {})
        else:
            self._check_sort(sort, f"definition {v!r}")
            self.macros[v] = self._poly(body, {})

    # -- terms --------------------------------------------------------------------------------
    def _formula(self, s: SExpr, env: dict[str, Poly | Formula]) -> Formula:
        v = self._term(s, env)
        if not isinstance(v, Formula):
            raise self.error("expected a formula, got a real term", s)
        return v

    def _poly(self, s: SExpr, env: dict[str, Poly | Formula]) -> Poly:
        v = self._term(s, env)
        if not isinstance(v, Poly):
            raise self.error("expected a real term, got a formula", s)
        return v

    def _term(self, s: SExpr, env: dict[str, Poly | Formula]) -> Poly | Formula:
        if isinstance(s, SAtom):
            return self._atom(s, env)
        if not s.items:
            raise self.error("empty application '()'", s)
        head = s.items[0]
        if not isinstance(head, SAtom):
            raise self.error("unsupported compound operator", head)
        op = head.text
        args = s.items[1:]
        if op in ("exists", "forall"):
            return self._quantifier(op, args, s, env)
        if op == "let":
            return self._let(args, s, env)
        if op == "!":
            if not args:
                raise self.error("'!' needs a term", s)
            return self._term(args[0], env)
        if head.quoted or op in self.declared or op in self.macros or op in env:
            raise self.error(f"{op!r} is applied to arguments; functions are not supported", s)
        if op in ("+", "-", "*", "/", "^", "to_real"):
            return self._arith(op, args, s, env)
        if op in ("and", "or", "not", "=>", "xor"):
            return self._connective(op, [self._formula(a, env) for a in args], s)
        if op in ("=", "distinct"):
            return self._equality(op, args, s, env)
        if op in ("<", "<=", ">", ">="):
            if len(args) < 2:
                raise self.error(f"{op!r} needs at least two arguments", s)
            ps = [self._poly(a, env) for a in args]
            return And(*(Atom(a - b, op) for a, b in itertools.pairwise(ps)))
        if op == "ite":
            if len(args) != 3:
                raise self.error("'ite' takes three arguments", s)
            c = self._formula(args[0], env)
            a, b = self._term(args[1], env), self._term(args[2], env)
            if not (isinstance(a, Formula) and isinstance(b, Formula)):
                raise self.error("'ite' on real terms is not supported (only on formulas)", s)
            return Or(And(c, a), And(Not(c), b))
        if op in _INT_OPS:
            raise self.error(f"integer operation {op!r} is not supported", s)
        raise self.error(f"unsupported operator {op!r}", s)

    def _atom(self, s: SAtom, env: dict[str, Poly | Formula]) -> Poly | Formula:
        t = s.text
        if not s.quoted:
            if _NUMERAL.match(t) or _DECIMAL.match(t):
                return self.ring.constant(Fraction(t))
            if t == "true":
                return TRUE
            if t == "false":
                return FALSE
            if t.startswith(("#x", "#b")):
                raise self.error(f"bit-vector literal {t!r} is not supported", s)
            if t.startswith('"'):
                raise self.error("string literals are not supported", s)
        if t in env:
            return env[t]
        if t in self.macros:
            return self.macros[t]
        if t in self.declared:
            return self.ring.gen(t)
        raise self.error(f"undeclared symbol {t!r}", s)

    def _arith(self, op: str, args: tuple[SExpr, ...], s: SExpr, env) -> Poly:
        if not args:
            raise self.error(f"{op!r} needs arguments", s)
        ps = [self._poly(a, env) for a in args]
        if op == "to_real":
            if len(ps) != 1:
                raise self.error("'to_real' takes one argument", s)
            return ps[0]
        if op == "+":
            out = ps[0]
            for p in ps[1:]:
                out = out + p
            return out
        if op == "-":
            if len(ps) == 1:
                return -ps[0]
            out = ps[0]
            for p in ps[1:]:
                out = out - p
            return out
        if op == "*":
            out = ps[0]
            for p in ps[1:]:
                out = out * p
            return out
        if op == "/":
            if len(ps) < 2:
                raise self.error("'/' needs at least two arguments", s)
            out = ps[0]
            for a, p in zip(args[1:], ps[1:], strict=True):
                if not p.is_constant():
                    raise self.error("division by a non-constant term is not supported", a)
                if p.is_zero:
                    raise self.error("division by zero", a)
                out = out / p.constant_value()
            return out
        # op == "^"
        if len(ps) != 2:
            raise self.error("'^' takes a base and an exponent", s)
        e = ps[1]
        if not e.is_constant() or e.constant_value().denominator != 1 or e.constant_value() < 0:
            raise self.error("the exponent of '^' must be a natural number", args[1])
        return ps[0] ** int(e.constant_value())

    def _connective(self, op: str, fs: list[Formula], s: SExpr) -> Formula:
        if op == "and":
            return And(*fs)
        if op == "or":
            return Or(*fs)
        if op == "not":
            if len(fs) != 1:
                raise self.error("'not' takes one argument", s)
            return Not(fs[0])
        if len(fs) < 2:
            raise self.error(f"{op!r} needs at least two arguments", s)
        if op == "=>":  # right associative
            out = fs[-1]
            for f in reversed(fs[:-1]):
                out = Implies(f, out)
            return out
        out = fs[0]  # xor, left associative
        for f in fs[1:]:
            out = Not(Equivalent(out, f))
        return out

    def _equality(self, op: str, args: tuple[SExpr, ...], s: SExpr, env) -> Formula:
        if len(args) < 2:
            raise self.error(f"{op!r} needs at least two arguments", s)
        vals = [self._term(a, env) for a in args]
        if all(isinstance(v, Formula) for v in vals):
            fs: list[Formula] = vals  # type: ignore[assignment]
            if op == "=":
                return And(*(Equivalent(a, b) for a, b in itertools.pairwise(fs)))
            if len(fs) > 2:
                return FALSE  # more than two pairwise distinct truth values
            return Not(Equivalent(fs[0], fs[1]))
        if not all(isinstance(v, Poly) for v in vals):
            raise self.error(f"{op!r} between a formula and a real term", s)
        ps: list[Poly] = vals  # type: ignore[assignment]
        if op == "=":
            return And(*(Atom(a - b, "=") for a, b in itertools.pairwise(ps)))
        pairs = [(a, b) for i, a in enumerate(ps) for b in ps[i + 1 :]]
        return And(*(Atom(a - b, "!=") for a, b in pairs))

    def _quantifier(self, op: str, args: tuple[SExpr, ...], s: SExpr, env) -> Formula:
        if len(args) != 2 or not isinstance(args[0], SList) or not args[0].items:
            raise self.error(f"'{op}' needs a non-empty list of sorted variables and a body", s)
        names: list[str] = []
        for b in args[0].items:
            if not isinstance(b, SList) or len(b.items) != 2:
                raise self.error("expected a sorted variable '(name Real)'", b)
            v = self._symbol(b.items[0])
            self._check_sort(b.items[1], f"bound variable {v!r}")
            if v in names:
                raise self.error(f"variable {v!r} bound twice", b)
            names.append(v)
        inner = dict(env)
        for v in names:
            inner[v] = self.ring.gen(v)
        body = self._formula(args[1], inner)
        return (Exists if op == "exists" else ForAll)(tuple(names), body)

    def _let(self, args: tuple[SExpr, ...], s: SExpr, env) -> Poly | Formula:
        if len(args) != 2 or not isinstance(args[0], SList):
            raise self.error("'let' needs a list of bindings and a body", s)
        inner = dict(env)
        for b in args[0].items:
            if not isinstance(b, SList) or len(b.items) != 2:
                raise self.error("expected a binding '(name term)'", b)
            inner[self._symbol(b.items[0])] = self._term(b.items[1], env)  # parallel let
        return self._term(args[1], inner)


def parse_smtlib(text: str) -> SmtProblem:
    """Read an SMT-LIB 2 script of (quantified) nonlinear real arithmetic.

    The ring of the formulas has the declared constants in order, then variables bound by
    quantifiers (in order of first appearance).
    """
    if not isinstance(text, str):
        raise InputTypeError(f"expected SMT-LIB text, got {type(text).__name__}")
    return _Reader(text).run()


# -- writer ----------------------------------------------------------------------------------

_RESERVED = {
    "and", "or", "not", "xor", "distinct", "ite", "let", "exists", "forall", "true", "false",
    "par", "as", "match", "abs", "div", "mod", "to_real", "to_int", "is_int", "divisible",
    "pi", "e", "exp", "sin", "cos", "tan", "root", "power", "sqrt", "select", "store",
    "NUMERAL", "DECIMAL", "STRING", "BINARY", "HEXADECIMAL", "Real", "Int", "Bool",
}  # fmt: skip


_SIMPLE_SYMBOL = re.compile(r"[A-Za-z_~!@$%^&*+=<>.?/-][\w~!@$%^&*+=<>.?/-]*")


def smt_symbol(name: str) -> str:
    """``name`` as an SMT-LIB symbol (quoted with ``|...|`` when it is reserved)."""
    if name in _RESERVED or not _SIMPLE_SYMBOL.fullmatch(name):
        return f"|{name}|"
    return name


def _number(c: Fraction) -> str:
    a = abs(c)
    s = str(a.numerator) if a.denominator == 1 else f"(/ {a.numerator} {a.denominator})"
    return f"(- {s})" if c < 0 else s


def poly_to_smtlib(p: Poly) -> str:
    """``p`` as an SMT-LIB term (powers as repeated products)."""
    names = [smt_symbol(n) for n in p.ring.names]
    terms = []
    for exps, c in p.terms().items():
        factors = [n for n, e in zip(names, exps, strict=True) for _ in range(e)]
        if not factors:
            terms.append(_number(c))
        elif c == 1:
            terms.append(factors[0] if len(factors) == 1 else f"(* {' '.join(factors)})")
        else:
            terms.append(f"(* {_number(c)} {' '.join(factors)})")
    if not terms:
        return "0"
    return terms[0] if len(terms) == 1 else f"(+ {' '.join(terms)})"


_SMT_REL = {"<": "<", "<=": "<=", "=": "=", "!=": "distinct", ">=": ">=", ">": ">"}


def formula_to_smtlib(f: Formula) -> str:
    """``f`` as an SMT-LIB formula."""
    if isinstance(f, BooleanConstant):
        return "true" if f.value else "false"
    if isinstance(f, Atom):
        return f"({_SMT_REL[f.rel]} {poly_to_smtlib(f.poly)} 0)"
    if isinstance(f, Not):
        return f"(not {formula_to_smtlib(f.arg)})"
    if isinstance(f, And | Or):
        op = "and" if isinstance(f, And) else "or"
        return f"({op} {' '.join(formula_to_smtlib(a) for a in f.args)})"
    if isinstance(f, Implies):
        return f"(=> {formula_to_smtlib(f.left)} {formula_to_smtlib(f.right)})"
    if isinstance(f, Equivalent):
        return f"(= {formula_to_smtlib(f.left)} {formula_to_smtlib(f.right)})"
    if isinstance(f, QuantifiedFormula):
        binders = " ".join(f"({smt_symbol(v)} Real)" for v in f.vars)
        return f"({f.quantifier} ({binders}) {formula_to_smtlib(f.body)})"
    raise TypeError(f"not a formula: {f!r}")  # pragma: no cover


def write_smtlib(
    formula: Formula | object,
    *,
    logic: str | None = None,
    declare: object = None,
    get_model: bool = False,
) -> str:
    """A complete SMT-LIB 2 script asserting ``formula`` (z3 and cvc5 read it).

    Declares the free variables (or ``declare``, which must contain them) as ``Real`` constants,
    asserts the formula, and ends with ``(check-sat)`` (and ``(get-model)`` if asked). The logic
    defaults to ``QF_NRA``, or ``NRA`` for quantified formulas.
    """
    f = as_formula(formula)
    if declare is None:
        names = list(f.free_variables())
    else:
        from .formula import variable_names

        names = list(variable_names(declare))
        missing = [v for v in f.free_variables() if v not in names]
        if missing:
            raise InputError(f"free variables {missing} are missing from 'declare'")
    if logic is None:
        logic = "QF_NRA" if f.is_quantifier_free() else "NRA"
    lines = [f"(set-logic {logic})"]
    lines += [f"(declare-fun {smt_symbol(n)} () Real)" for n in names]
    lines.append(f"(assert {formula_to_smtlib(f)})")
    lines.append("(check-sat)")
    if get_model:
        lines.append("(get-model)")
    return "\n".join(lines) + "\n"


__all__ = [
    "SmtProblem",
    "formula_to_smtlib",
    "parse_smtlib",
    "poly_to_smtlib",
    "read_sexprs",
    "smt_symbol",
    "write_smtlib",
]
