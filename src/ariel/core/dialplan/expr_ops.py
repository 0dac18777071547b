"""The operators of ``$[...]``, one function per ``op_*`` of ast_expr2.y.

Theory of operation: each function takes its operand cells (which it may
convert in place, exactly where Asterisk's do), returns the result cell and
appends the warnings Asterisk would log.  Arithmetic is ``long double``;
a non-numeric operand does not fail the expression but picks a documented
fallback per operator (``+`` returns the other operand, ``/`` by a string or
by zero gives 2147483647, ``%`` by zero gives 0, ``*`` gives 0).  Comparisons
are numeric when neither side is a plain string and byte-wise otherwise (C
locale ``strcoll``).  ``:`` and ``=~`` match POSIX regexes (``:`` anchored at
the start) and give the first group's text, or the match length when the
regex has no group.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ariel.core.dialplan.cstrings import atoi
from ariel.core.dialplan.expr_values import Kind, LongDouble, Value
from ariel.core.dialplan.posix_regex import PosixRegexError, compile_ere

__all__ = [
    "MATH_FUNCTIONS",
    "and_",
    "colon",
    "compare",
    "compl",
    "concat",
    "cond",
    "divide",
    "eqtilde",
    "minus",
    "negate",
    "or_",
    "plus",
    "remainder",
    "times",
]

Binary = Callable[[Value, Value, list[str]], Value]
_INT_MAX = 2147483647
_NON_NUMERIC = "non-numeric argument"


def or_(a: Value, b: Value, warnings: list[str]) -> Value:
    """``a | b``: ``a`` unless it is zero or empty, then ``b``."""
    return b if a.is_zero_or_null(warnings) else a


def and_(a: Value, b: Value, warnings: list[str]) -> Value:
    """``a & b``: ``a`` when both are non-zero and non-empty, else 0."""
    if a.is_zero_or_null(warnings) or b.is_zero_or_null(warnings):
        return Value.of_number(0)
    return a


def compare(test: Callable[[int], bool]) -> Binary:
    """A comparison operator given how it reads ``strcmp``'s sign."""

    def operator(a: Value, b: Value, warnings: list[str]) -> Value:
        if a.is_string() or b.is_string():
            a.to_string()
            b.to_string()
            left, right = (
                a.text.encode("utf-8", "surrogatepass"),
                b.text.encode("utf-8", "surrogatepass"),
            )
            return Value.of_number(int(test((left > right) - (left < right))))
        a.to_number(warnings)
        b.to_number(warnings)
        difference = 0 if a.number == b.number else (1 if a.number > b.number else -1)
        if np.isnan(a.number) or np.isnan(b.number):
            # NaN is unordered: only "!=" holds, as C's comparisons say.
            return Value.of_number(int(test(1) and test(-1)))
        return Value.of_number(int(test(difference)))

    return operator


def cond(a: Value, b: Value, c: Value, warnings: list[str]) -> Value:
    """``a ? b :: c`` (``op_cond``)."""
    if a.is_string():
        return b if a.text and a.text not in ('""', "0") else c
    a.to_number(warnings)
    return b if a.number != 0 else c


def plus(a: Value, b: Value, warnings: list[str]) -> Value:
    """``a + b``: a non-numeric side is left out."""
    if not a.to_number(warnings):
        warnings.append(_NON_NUMERIC)
        return b if b.to_number(warnings) else Value.of_number(0)
    if not b.to_number(warnings):
        return a
    return Value.of_number(a.number + b.number)


def minus(a: Value, b: Value, warnings: list[str]) -> Value:
    """``a - b``: a non-numeric ``a`` counts as 0, a non-numeric ``b`` is left out."""
    if not a.to_number(warnings):
        warnings.append(_NON_NUMERIC)
        return Value.of_number(-b.number) if b.to_number(warnings) else Value.of_number(0)
    if not b.to_number(warnings):
        warnings.append(_NON_NUMERIC)
        return a
    return Value.of_number(a.number - b.number)


def negate(a: Value, warnings: list[str]) -> Value:
    """Unary ``-a`` (0 for a non-number)."""
    if not a.to_number(warnings):
        warnings.append(_NON_NUMERIC)
        return Value.of_number(0)
    return Value.of_number(-a.number)


def compl(a: Value) -> Value:
    """``!a``: numbers by value; text by ``atoi`` (so ``!abc`` is 1 and ``!0.5`` is 1)."""
    if a.kind is Kind.NUMBER:
        truth = bool(a.number != 0)
    else:
        truth = bool(a.text) and a.text != "0" and atoi(a.text) != 0
    return Value.of_number(0 if truth else 1)


def times(a: Value, b: Value, warnings: list[str]) -> Value:
    """``a * b`` (0 when either is not a number)."""
    if not a.to_number(warnings) or not b.to_number(warnings):
        warnings.append(_NON_NUMERIC)
        return Value.of_number(0)
    return Value.of_number(a.number * b.number)


def divide(a: Value, b: Value, warnings: list[str]) -> Value:
    """``a / b``: a real division; by zero (or by text) gives 2147483647."""
    if not a.to_number(warnings):
        warnings.append(_NON_NUMERIC)
        return Value.of_number(0)
    if not b.to_number(warnings):
        warnings.append(_NON_NUMERIC)
        return Value.of_number(_INT_MAX)
    if b.number == 0:
        warnings.append("division by zero")
        return Value.of_number(_INT_MAX)
    return Value.of_number(a.number / b.number)


def remainder(a: Value, b: Value, warnings: list[str]) -> Value:
    """``a % b`` (``fmodl``); by zero gives 0."""
    if not a.to_number(warnings) or not b.to_number(warnings):
        warnings.append(_NON_NUMERIC)
        return Value.of_number(0)
    if b.number == 0:
        warnings.append("div by zero")
        return b
    return Value.of_number(np.fmod(a.number, b.number))


def _regex(a: Value, b: Value, warnings: list[str], *, anchored: bool) -> Value:
    a.to_string()
    b.to_string()
    a.strip_quotes()
    b.strip_quotes()
    try:
        regex = compile_ere(b.text)
    except PosixRegexError as error:
        warnings.append(f"regcomp() error : {error}")
        return Value.of_text("")
    found = regex.search(a.text)
    if found is not None and (not anchored or found.start() == 0):
        if regex.groups and found.start(1) >= 0:
            return Value.of_text(found.group(1))
        return Value.of_number(found.end() - found.start())
    return Value.of_number(0) if regex.groups == 0 else Value.of_text("")


def colon(a: Value, b: Value, warnings: list[str]) -> Value:
    """``a : regex``: match anchored at the start of ``a``."""
    return _regex(a, b, warnings, anchored=True)


def eqtilde(a: Value, b: Value, warnings: list[str]) -> Value:
    """``a =~ regex``: match anywhere in ``a``."""
    return _regex(a, b, warnings, anchored=False)


def concat(a: Value, b: Value, warnings: list[str]) -> Value:
    """``a ~~ b``: the two texts joined (quotes stripped)."""
    a.to_string()
    b.to_string()
    a.strip_quotes()
    b.strip_quotes()
    return Value.of_text(a.text + b.text)


def _exp10(x: LongDouble) -> LongDouble:
    return LongDouble(np.power(LongDouble(10), x))


def _round(x: LongDouble) -> LongDouble:
    """C ``roundl``: to the nearest integer, halves away from zero."""
    whole = np.trunc(x)
    if np.abs(x - whole) >= LongDouble(0.5):
        whole += np.copysign(LongDouble(1), x)
    return LongDouble(whole)


def _remainder(x: LongDouble, y: LongDouble) -> LongDouble:
    """C ``remainderl``: ``x - n*y`` with ``n`` the nearest integer, ties to even."""
    if y == 0 or not np.isfinite(x) or np.isnan(y):
        return LongDouble(np.nan)
    step = np.abs(y)
    if np.isinf(step):
        return LongDouble(x)
    rest = np.fmod(x, step * 2)  # exact; the quotient so far is even
    if np.abs(rest) > step:
        rest -= np.copysign(step * 2, rest)
    if np.abs(rest) > step / 2:
        rest -= np.copysign(step, rest)
    return LongDouble(rest)


#: name -> (number of arguments, function on long doubles)
MATH_FUNCTIONS: dict[str, tuple[int, Callable[..., LongDouble]]] = {
    "COS": (1, np.cos),
    "SIN": (1, np.sin),
    "TAN": (1, np.tan),
    "ACOS": (1, np.arccos),
    "ASIN": (1, np.arcsin),
    "ATAN": (1, np.arctan),
    "ATAN2": (2, np.arctan2),
    "POW": (2, np.power),
    "SQRT": (1, np.sqrt),
    "FLOOR": (1, np.floor),
    "CEIL": (1, np.ceil),
    "ROUND": (1, _round),
    "RINT": (1, np.rint),
    "TRUNC": (1, np.trunc),
    "EXP": (1, np.exp),
    "EXP2": (1, np.exp2),
    "EXP10": (1, _exp10),
    "LOG": (1, np.log),
    "LOG2": (1, np.log2),
    "LOG10": (1, np.log10),
    "REMAINDER": (2, _remainder),
    "ABS": (1, np.abs),
}
