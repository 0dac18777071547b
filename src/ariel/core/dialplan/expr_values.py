"""Values of ``$[...]`` expressions: numbers, numeric strings, strings.

Theory of operation (after main/ast_expr2.y): every value is one of three
kinds.  Numbers are C ``long double`` (``numpy.longdouble``, the platform's
type, as Asterisk is built with it) and print with ``%.18Lg``.  A *numeric
string* is text made only of digits and dots (``007``, ``1.2.3``); it prints
as written but turns into a number, in place, the first time an operator
needs one (``strtold`` of its longest numeric prefix).  Anything else is a
*string*, and an operator that needs a number gets nothing from it.  The
in-place conversion is visible (``$[07 | 1]`` is ``7``, ``$[0 | 07]`` is
``07``), so values are small mutable cells, private to one evaluation.
"""

from __future__ import annotations

import re
from enum import Enum

import numpy as np

__all__ = ["Kind", "Value", "format_number", "is_numeric_text", "strtold"]

LongDouble = np.longdouble
_NUMERIC_CHARS = frozenset("0123456789.")
_PREFIX = re.compile(r"[ \t\n\v\f\r]*([+-]?)(\d*)(?:\.(\d*))?")
#: Beyond this many integer digits strtold overflows (LDBL_MAX is about 1.19e4932).
_MAX_INTEGER_DIGITS = 4932
_MIN_FRACTION_ZEROS = 4950


class Kind(Enum):
    """The three kinds of value (``enum valtype``)."""

    NUMBER = "number"
    NUMERIC_STRING = "numeric_string"
    STRING = "string"


def is_numeric_text(text: str) -> bool:
    """``make_str``'s test: non-empty and only digits and dots."""
    return bool(text) and all(char in _NUMERIC_CHARS for char in text)


def strtold(text: str) -> tuple[LongDouble, bool]:
    """``strtold`` on the longest numeric prefix (decimal digits and one dot).

    Returns:
        The value and whether it was in range (``errno`` not ``ERANGE``).
    """
    found = _PREFIX.match(text)
    if not found:  # pragma: no cover - the pattern matches the empty prefix
        return LongDouble(0), True
    sign, whole, fraction = found.group(1), found.group(2), found.group(3) or ""
    if not whole and not fraction:
        return LongDouble(0), True
    significant = whole.lstrip("0")
    if len(significant) > _MAX_INTEGER_DIGITS:
        return LongDouble(0), False
    if not significant:
        zeros = len(fraction) - len(fraction.lstrip("0"))
        if zeros >= _MIN_FRACTION_ZEROS and fraction.strip("0"):
            return LongDouble(0), False
    value = LongDouble(f"{whole or '0'}.{fraction or '0'}")
    return (-value if sign == "-" else value), True


def format_number(value: LongDouble) -> str:
    """C's ``printf("%.18Lg", value)``.

    >>> format_number(LongDouble(7) / LongDouble(2)), format_number(LongDouble(1) / LongDouble(3))
    ('3.5', '0.333333333333333333')
    """
    if np.isnan(value):
        return "-nan" if np.signbit(value) else "nan"
    if np.isinf(value):
        return "-inf" if value < 0 else "inf"
    text = np.format_float_scientific(value, precision=17, unique=False, exp_digits=2)
    mantissa, _, exponent_text = text.partition("e")
    negative = mantissa.startswith("-")
    digits = mantissa.lstrip("-").replace(".", "")
    exponent = int(exponent_text)
    if -4 <= exponent < 18:
        if exponent >= 0:
            whole, fraction = digits[: exponent + 1], digits[exponent + 1 :]
        else:
            whole, fraction = "0", "0" * (-exponent - 1) + digits
        fraction = fraction.rstrip("0")
        body = whole + ("." + fraction if fraction else "")
    else:
        fraction = digits[1:].rstrip("0")
        sign = "-" if exponent < 0 else "+"
        body = digits[0] + ("." + fraction if fraction else "") + f"e{sign}{abs(exponent):02d}"
    return ("-" if negative else "") + body


class Value:
    """One expression value (``struct val``), converted in place like Asterisk's."""

    __slots__ = ("kind", "number", "text")

    def __init__(self, kind: Kind, text: str = "", number: LongDouble | None = None) -> None:
        self.kind = kind
        self.text = text
        self.number = LongDouble(0) if number is None else number

    @classmethod
    def of_number(cls, number: LongDouble | float | int) -> Value:
        """``make_number``."""
        return cls(Kind.NUMBER, number=LongDouble(number))

    @classmethod
    def of_text(cls, text: str) -> Value:
        """``make_str``: a numeric string when it looks like one, else a string."""
        return cls(Kind.NUMERIC_STRING if is_numeric_text(text) else Kind.STRING, text)

    def is_string(self) -> bool:
        """``isstring``: true only for text that is not a valid number."""
        return self.kind is Kind.STRING

    def to_number(self, warnings: list[str]) -> bool:
        """``to_number``: make this a number if it can be one; whether it is one now."""
        if self.kind is Kind.NUMBER:
            return True
        if self.kind is Kind.STRING:
            return False
        number, in_range = strtold(self.text)
        if not in_range:
            warnings.append(f"Conversion of {self.text} to number under/overflowed!")
            self.text = ""
            return False
        self.kind, self.number, self.text = Kind.NUMBER, number, ""
        return True

    def to_string(self) -> None:
        """``to_string``: a number becomes its ``%.18Lg`` text (a plain string)."""
        if self.kind is Kind.NUMBER:
            self.kind, self.text = Kind.STRING, format_number(self.number)

    def is_zero_or_null(self, warnings: list[str]) -> bool:
        """``is_zero_or_null``: 0, empty text, or a numeric string worth 0."""
        if self.kind is Kind.NUMBER:
            return bool(self.number == 0)
        return not self.text or (self.to_number(warnings) and bool(self.number == 0))

    def strip_quotes(self) -> None:
        """``strip_quotes``: text that starts and ends with ``"`` loses every ``"``."""
        if self.kind is not Kind.NUMBER and self.text[:1] == '"' and self.text[-1:] == '"':
            self.text = self.text.replace('"', "")

    def render(self) -> str:
        """How ``ast_expr`` prints the final value."""
        return format_number(self.number) if self.kind is Kind.NUMBER else self.text
