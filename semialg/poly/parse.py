"""A small, safe parser for polynomials written in the usual infix notation.

Accepted: integers, decimals (``0.001``, ``1e-3``; read exactly as the rationals they denote),
variables (identifiers), ``+ - *``, division by a nonzero *constant* (``x/3``, ``1/1000``), powers
with ``^`` or ``**`` and a natural-number exponent, parentheses. With
``implicit_multiplication=True`` (QEPCAD B syntax) juxtaposition is a product: ``2 x y^2``.

Nothing is ever passed to :func:`eval`; every rejection names the offending text and its position.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from ..errors import InputError
from .ring import Poly, PolyRing

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<name>[A-Za-z_][A-Za-z_0-9]*)
  | (?P<op>\*\*|[-+*/^()])
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class Token:
    kind: str  # 'num', 'name', 'op', 'end'
    text: str
    pos: int


def tokenize(text: str) -> list[Token]:
    """Split polynomial text into tokens; raise :class:`InputError` on an unexpected character."""
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            raise InputError(f"unexpected character {text[pos]!r} at position {pos} in {text!r}")
        kind = m.lastgroup
        assert kind is not None
        if kind != "ws":
            tok = m.group()
            tokens.append(Token(kind, "^" if tok == "**" else tok, pos))
        pos = m.end()
    tokens.append(Token("end", "", len(text)))
    return tokens


def parse_number(text: str) -> Fraction:
    """An exact rational from a decimal literal (``1.25e-3`` is 1/800)."""
    return Fraction(text)


class _Parser:
    def __init__(
        self,
        text: str,
        ring: PolyRing,
        implicit_multiplication: bool,
        tokens: list[Token] | None = None,
        start: int = 0,
    ):
        self.text = text
        self.ring = ring
        self.implicit = implicit_multiplication
        self.tokens = tokenize(text) if tokens is None else tokens
        self.i = start

    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def error(self, msg: str, tok: Token | None = None) -> InputError:
        t = tok or self.tok
        where = "at the end" if t.kind == "end" else f"at position {t.pos} ({t.text!r})"
        return InputError(f"{msg} {where} in {self.text!r}")

    def accept(self, text: str) -> bool:
        if self.tok.kind == "op" and self.tok.text == text:
            self.i += 1
            return True
        return False

    def parse(self) -> Poly:
        if self.tok.kind == "end":
            raise InputError("empty polynomial")
        p = self.expr()
        if self.tok.kind != "end":
            raise self.error("unexpected token")
        return p

    def expr(self) -> Poly:
        p = self.term()
        while True:
            if self.accept("+"):
                p = p + self.term()
            elif self.accept("-"):
                p = p - self.term()
            else:
                return p

    def _starts_factor(self) -> bool:
        t = self.tok
        return t.kind in ("num", "name") or (t.kind == "op" and t.text == "(")

    def term(self) -> Poly:
        p = self.unary()
        while True:
            if self.accept("*"):
                p = p * self.unary()
            elif self.tok.kind == "op" and self.tok.text == "/":
                slash = self.tok
                self.i += 1
                d = self.unary()
                if not d.is_constant():
                    raise self.error("division by a non-constant polynomial", slash)
                if d.is_zero:
                    raise self.error("division by zero", slash)
                p = p * (1 / d.constant_value())
            elif self._starts_factor():
                if not self.implicit:
                    raise self.error("missing operator (write products with '*')")
                p = p * self.unary()
            else:
                return p

    def unary(self) -> Poly:
        if self.accept("-"):
            return -self.unary()
        if self.accept("+"):
            return self.unary()
        return self.power()

    def power(self) -> Poly:
        base = self.atom()
        if self.tok.kind == "op" and self.tok.text == "^":
            caret = self.tok
            self.i += 1
            negative = self.accept("-")
            exp_poly = self.power() if not negative else -self.power()
            if not exp_poly.is_constant():
                raise self.error("exponent must be a natural number", caret)
            e = exp_poly.constant_value()
            if e.denominator != 1 or e < 0:
                raise self.error(f"exponent {e} is not a natural number", caret)
            return base ** int(e)
        return base

    def atom(self) -> Poly:
        t = self.tok
        if t.kind == "num":
            self.i += 1
            return self.ring.constant(parse_number(t.text))
        if t.kind == "name":
            self.i += 1
            # With implicit multiplication ``x (y + 1)`` is a product of a variable and a group.
            if (
                self.tok.kind == "op"
                and self.tok.text == "("
                and (not self.implicit or t.text not in self.ring.names)
            ):
                raise self.error(f"non-polynomial function {t.text!r}", t)
            if t.text not in self.ring.names:
                raise self.error(
                    f"unknown variable {t.text!r} (the variables are {list(self.ring.names)})", t
                )
            return self.ring.gen(t.text)
        if self.accept("("):
            p = self.expr()
            if not self.accept(")"):
                raise self.error("missing ')'")
            return p
        raise self.error("expected a number, a variable or '('")


def parse_polynomial_tokens(
    text: str,
    tokens: list[Token],
    start: int,
    ring: PolyRing,
    *,
    implicit_multiplication: bool = False,
) -> tuple[Poly, int]:
    """Parse the longest polynomial starting at ``tokens[start]``; return it and the next index.

    For readers of larger languages (QEPCAD B formulas): ``tokens`` may contain tokens of other
    kinds than ``'num'``, ``'name'`` and ``'op'``; the polynomial ends before the first token that
    cannot continue it. ``tokens`` must end with an ``'end'`` token; ``text`` is only used for
    error messages (token positions refer to it).
    """
    parser = _Parser(text, ring, implicit_multiplication, tokens, start)
    if parser.tok.kind == "end":
        raise parser.error("expected a polynomial")
    return parser.expr(), parser.i


def variables_in(text: str) -> list[str]:
    """Identifiers occurring in polynomial text, in order of first appearance."""
    seen: list[str] = []
    for t in tokenize(text):
        if t.kind == "name" and t.text not in seen:
            seen.append(t.text)
    return seen


def parse_polynomial(
    text: str, ring: PolyRing | None = None, *, implicit_multiplication: bool = False
) -> Poly:
    """Parse ``text`` as a polynomial of ``ring`` (by default, the ring of its own variables)."""
    if not isinstance(text, str):
        raise InputError(f"expected polynomial text, got {type(text).__name__}")
    if ring is None:
        ring = PolyRing(variables_in(text))
    return _Parser(text, ring, implicit_multiplication).parse()
