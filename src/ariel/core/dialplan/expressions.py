"""The ``$[...]`` expression language (Asterisk's ast_expr2).

Theory of operation: the text (already substituted) is scanned into tokens
as ast_expr2.fl does: operators (``|``/``||``, ``&``/``&&``, ``=``/``==``,
``!=``, ``<``, ``>``, ``<=``, ``>=``, ``+``, ``-``, ``*``, ``/``, ``%``, ``!``,
``:``, ``=~``, ``~~``, ``?``, ``::``, ``(``, ``)``, ``,``), double-quoted
strings (quotes kept), numbers (``[0-9]+(.[0-9]+)?``, numeric strings) and
words of ``[a-zA-Z0-9.';\\_^#@]``, non-ASCII and ``$x`` pairs (strings).
Blanks separate tokens; any other character is dropped.  A recursive-descent
parser then applies ast_expr2.y's precedence, lowest first: ``? ::``
(ternary), ``|``, ``&``, comparisons, ``+ -``, ``* / %``, unary ``! -``, and
tightest ``: =~ ~~``; all binary operators are left-associative.  As in
bison, each operation runs as soon as it is parsed, so both branches of a
ternary are evaluated.  ``NAME(args)`` calls a math function (COS, SIN, TAN,
ACOS, ASIN, ATAN, ATAN2, POW, SQRT, FLOOR, CEIL, ROUND, RINT, TRUNC, EXP,
EXP2, EXP10, LOG, LOG2, LOG10, REMAINDER, ABS) or, through ``call``, a dialplan
function.

Nothing raises: a syntax error yields ``"0"`` (Asterisk's result when the
parser gives no value), an empty expression ``""``, and every warning
Asterisk would log is returned in :attr:`ExprResult.diagnostics`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

import numpy as np

from ariel.core.dialplan import expr_ops as _ops
from ariel.core.dialplan.expr_values import Kind, Value, format_number, strtold

__all__ = ["ExprResult", "FunctionCaller", "evaluate"]

#: Reads a dialplan function for an expression: (name, joined args) -> text, or None if unknown.
FunctionCaller = Callable[[str, str], str | None]

_FUNCTION_NAME = re.compile(r"[A-Z_0-9]+")
_REALLY_NUM = frozenset("-0123456789. \t")
_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.';\\_^#@")
_TRAIL_STOP = frozenset("-\t\r \n$():?%/+=*<>!|&")


class _Tok(Enum):
    OR = "|"
    AND = "&"
    EQ = "="
    NE = "!="
    GT = ">"
    LT = "<"
    GE = ">="
    LE = "<="
    PLUS = "+"
    MINUS = "-"
    MULT = "*"
    DIV = "/"
    MOD = "%"
    COND = "?"
    COLONCOLON = "::"
    COMPL = "!"
    COLON = ":"
    EQTILDE = "=~"
    TILDETILDE = "~~"
    COMMA = ","
    LP = "("
    RP = ")"
    TOKEN = "<token>"


_TWO_CHAR = {
    "||": _Tok.OR,
    "&&": _Tok.AND,
    "==": _Tok.EQ,
    "=~": _Tok.EQTILDE,
    "~~": _Tok.TILDETILDE,
    ">=": _Tok.GE,
    "<=": _Tok.LE,
    "!=": _Tok.NE,
    "::": _Tok.COLONCOLON,
}
_ONE_CHAR = {tok.value: tok for tok in _Tok if len(tok.value) == 1}
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")


@dataclass(frozen=True, slots=True, kw_only=True)
class ExprResult:
    """The outcome of one ``$[...]``.

    Attributes:
        value: The text Asterisk would substitute.
        diagnostics: The warnings Asterisk would log, in order.
    """

    value: str
    diagnostics: tuple[str, ...] = ()


@dataclass(slots=True)
class _Token:
    kind: _Tok
    value: Value | None = None


def _word_end(text: str, index: int) -> int:
    """Where a word starting at ``index`` ends (``$`` takes the next non-``{`` character)."""
    length = len(text)
    while index < length:
        char = text[index]
        if char == "$":
            if index + 1 < length and text[index + 1] != "{":
                index += 2
                continue
            return index
        if char in _WORD_CHARS or ord(char) >= 0x80:
            index += 1
            continue
        return index
    return index


def _variable_end(text: str, index: int) -> int | None:
    """From just after ``${``: past the matching ``}`` and its trailing text; None at EOF."""
    depth = 0
    length = len(text)
    while True:
        while index < length and text[index] not in "{}":
            index += 1
        if index >= length:
            return None  # flex ends the input inside the variable
        if text[index] == "{":
            depth += 1
            index += 1
            continue
        index += 1
        depth -= 1
        if depth >= 0:
            continue
        while index < length and text[index] not in _TRAIL_STOP:
            index += 1
        if text.startswith("${", index):
            index += 2
            depth = 0
            continue
        return index


def _scan(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    index = 0
    length = len(text)
    while index < length:
        char = text[index]
        pair = text[index : index + 2]
        if pair == "${" or (char in _WORD_CHARS or ord(char) >= 0x80 or char == "$"):
            start = index
            if pair != "${":
                end = _word_end(text, index)
                if end == index:  # a lone '$' at the end: no rule matches it
                    index += 1
                    continue
                number = _NUMBER.match(text, index)
                if not text.startswith("${", end):
                    if number and number.end() == end:
                        tokens.append(
                            _Token(_Tok.TOKEN, Value(Kind.NUMERIC_STRING, text[start:end]))
                        )
                    else:
                        tokens.append(_Token(_Tok.TOKEN, Value(Kind.STRING, text[start:end])))
                    index = end
                    continue
                index = end
            var_end = _variable_end(text, index + 2)
            if var_end is None:
                break
            tokens.append(_Token(_Tok.TOKEN, Value(Kind.STRING, text[start:var_end])))
            index = var_end
            continue
        if pair in _TWO_CHAR:
            tokens.append(_Token(_TWO_CHAR[pair]))
            index += 2
        elif char in _ONE_CHAR:
            tokens.append(_Token(_ONE_CHAR[char]))
            index += 1
        elif char == '"' and (close := text.find('"', index + 1)) >= 0:
            tokens.append(_Token(_Tok.TOKEN, Value(Kind.STRING, text[index : close + 1])))
            index = close + 1
        else:
            index += 1  # blanks, and characters no rule matches (flex's default ECHO)
    return tokens


class _SyntaxError(Exception):
    pass


_COMPARISONS = (_Tok.EQ, _Tok.GT, _Tok.LT, _Tok.GE, _Tok.LE, _Tok.NE)
_LEVELS: tuple[tuple[_Tok, ...], ...] = (
    (_Tok.OR,),
    (_Tok.AND,),
    _COMPARISONS,
    (_Tok.PLUS, _Tok.MINUS),
    (_Tok.MULT, _Tok.DIV, _Tok.MOD),
)
_EXPR_START = (_Tok.TOKEN, _Tok.LP, _Tok.MINUS, _Tok.COMPL)


class _Parser:
    """Recursive descent over the tokens, computing as it reduces (like bison)."""

    def __init__(self, tokens: list[_Token], call: FunctionCaller | None) -> None:
        self.tokens = tokens
        self.position = 0
        self.call = call
        self.warnings: list[str] = []

    def peek(self) -> _Tok | None:
        return self.tokens[self.position].kind if self.position < len(self.tokens) else None

    def take(self) -> _Token:
        if self.position >= len(self.tokens):
            raise _SyntaxError("syntax error: unexpected end of expression")
        token = self.tokens[self.position]
        self.position += 1
        return token

    def expect(self, kind: _Tok) -> None:
        token = self.take()
        if token.kind is not kind:
            raise _SyntaxError(
                f"syntax error: unexpected '{token.kind.value}', expecting '{kind.value}'"
            )

    def start(self) -> Value:
        if not self.tokens:
            return Value(Kind.STRING, "")
        value = self.ternary()
        if self.position < len(self.tokens):
            raise _SyntaxError(
                f"syntax error: unexpected '{self.tokens[self.position].kind.value}'"
            )
        return value

    def ternary(self) -> Value:
        left = self.binary(0)
        while self.peek() is _Tok.COND:
            self.take()
            middle = self.ternary()
            self.expect(_Tok.COLONCOLON)
            right = self.binary(0)
            left = _ops.cond(left, middle, right, self.warnings)
        return left

    def binary(self, level: int) -> Value:
        if level == len(_LEVELS):
            return self.unary()
        left = self.binary(level + 1)
        while (kind := self.peek()) in _LEVELS[level]:
            self.take()
            right = self.binary(level + 1)
            left = _BINARY[kind](left, right, self.warnings)
        return left

    def unary(self) -> Value:
        kind = self.peek()
        if kind is _Tok.MINUS:
            self.take()
            return _ops.negate(self.unary(), self.warnings)
        if kind is _Tok.COMPL:
            self.take()
            return _ops.compl(self.unary())
        return self.match()

    def match(self) -> Value:
        left = self.primary()
        while (kind := self.peek()) in (_Tok.COLON, _Tok.EQTILDE, _Tok.TILDETILDE):
            self.take()
            right = self.unary() if self.peek() in (_Tok.MINUS, _Tok.COMPL) else self.primary()
            left = _BINARY[kind](left, right, self.warnings)
        return left

    def primary(self) -> Value:
        token = self.take()
        if token.kind is _Tok.LP:
            value = self.ternary()
            self.expect(_Tok.RP)
            return value
        if token.kind is not _Tok.TOKEN or token.value is None:
            raise _SyntaxError(f"syntax error: unexpected '{token.kind.value}'")
        if self.peek() is not _Tok.LP:
            return token.value
        self.take()
        args = [self.ternary()]
        while self.peek() is _Tok.COMMA:
            self.take()
            if self.peek() in _EXPR_START:
                args.append(self.ternary())
            else:
                args.append(Value.of_text(""))
        self.expect(_Tok.RP)
        return _function(token.value.text, args, self.call, self.warnings)


def evaluate(expression: str, call: FunctionCaller | None = None) -> ExprResult:
    """Evaluate the inside of ``$[...]`` as Asterisk does.

    Args:
        expression: The text between ``$[`` and ``]``, variables already substituted.
        call: Reads dialplan functions used as ``NAME(args)``; without it
            they evaluate to 0 (as Asterisk does with no channel).

    >>> evaluate("1 + 2 * 3").value, evaluate("7 / 2").value, evaluate("abc = abc").value
    ('7', '3.5', '1')
    >>> evaluate("x =~ \\"(y)\\"").value, evaluate("1 +").value
    ('', '0')
    """
    parser = _Parser(_scan(expression), call)
    try:
        with np.errstate(all="ignore"):
            value = parser.start().render()
    except _SyntaxError as error:
        parser.warnings.append(f"{error}; Input: {expression}")
        value = "0"
    except RecursionError:
        parser.warnings.append(f"expression nested too deeply; Input: {expression}")
        value = "0"
    return ExprResult(value=value, diagnostics=tuple(parser.warnings))


_BINARY = {
    _Tok.OR: _ops.or_,
    _Tok.AND: _ops.and_,
    _Tok.EQ: _ops.compare(lambda c: c == 0),
    _Tok.NE: _ops.compare(lambda c: c != 0),
    _Tok.GT: _ops.compare(lambda c: c > 0),
    _Tok.LT: _ops.compare(lambda c: c < 0),
    _Tok.GE: _ops.compare(lambda c: c >= 0),
    _Tok.LE: _ops.compare(lambda c: c <= 0),
    _Tok.PLUS: _ops.plus,
    _Tok.MINUS: _ops.minus,
    _Tok.MULT: _ops.times,
    _Tok.DIV: _ops.divide,
    _Tok.MOD: _ops.remainder,
    _Tok.COLON: _ops.colon,
    _Tok.EQTILDE: _ops.eqtilde,
    _Tok.TILDETILDE: _ops.concat,
}


def _function(
    name: str, args: list[Value], call: FunctionCaller | None, warnings: list[str]
) -> Value:
    """``op_func``: a math function, or a dialplan function through ``call``."""
    if not _FUNCTION_NAME.fullmatch(name):
        warnings.append(f"Error! '{name}' is not possibly a function name!")
        return Value.of_number(0)
    math = _ops.MATH_FUNCTIONS.get(name)
    if math is not None:
        arity, function = math
        if len(args) != arity:
            warnings.append(f"Wrong args to {name}() function")
            return Value.of_number(0)
        numbers = []
        for arg in args:
            if not arg.to_number(warnings):
                warnings.append(f"non-numeric argument to {name}(); using 0")
            numbers.append(arg.number)
        return Value.of_number(function(*numbers))
    if call is None:
        warnings.append(f"Error! '{name}' doesn't appear to be an available function!")
        return Value.of_number(0)
    joined = ",".join(format_number(a.number) if a.kind is Kind.NUMBER else a.text for a in args)
    result = call(name, joined)
    if result is None:
        warnings.append(f"Error! '{name}' doesn't appear to be an available function!")
        return Value.of_number(0)
    if all(char in _REALLY_NUM for char in result):
        return Value.of_number(strtold(result)[0])
    return Value.of_text(result)
