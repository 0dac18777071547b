"""The C library's string-to-number and trimming rules, as Asterisk relies on them.

Theory of operation: Asterisk parses dialplan text with ``atoi``, ``sscanf("%d")``,
``strtod`` and its own ``ast_strip`` helpers, and their quirks are visible
(``atoi("12abc")`` is 12, ``sscanf`` skips leading blanks, an ``int`` wraps at
32 bits).  Each helper here reproduces one of them on Python strings so the
rest of the package can quote the C call it stands for; so do the two
string helpers of pbx_variables.c, ``parse_variable_name`` (``NAME:off:len``)
and ``ast_str_substring``.
"""

from __future__ import annotations

import re

__all__ = [
    "C_SPACE",
    "atoi",
    "parse_variable_name",
    "scan_double",
    "scan_int",
    "strip",
    "strip_quoted",
    "strtol",
    "substring",
    "to_int32",
]

#: What C's ``isspace`` accepts in the "C" locale.
C_SPACE = " \t\n\v\f\r"
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1
_INT_MAX = 2**31 - 1
_SCAN_INT = re.compile(r"[ \t\n\v\f\r]*([+-]?\d+)")
_INTEGER = re.compile(r"[ \t\n\v\f\r]*([+-]?)(\d+)")
_DOUBLE = re.compile(
    r"[ \t\n\v\f\r]*([+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf(?:inity)?|nan))",
    re.IGNORECASE,
)


def to_int32(value: int) -> int:
    """Wrap a value to a C ``int`` as a cast does on two's-complement machines."""
    return ((value + 2**31) % 2**32) - 2**31


def strtol(text: str) -> int | None:
    """``strtol(text, NULL, 10)``: the leading integer, clamped to ``long``; ``None`` if none."""
    found = _INTEGER.match(text)
    if not found:
        return None
    value = int(found.group(2))
    if found.group(1) == "-":
        value = -value
    return max(_INT64_MIN, min(_INT64_MAX, value))


def atoi(text: str) -> int:
    """``atoi``: the leading integer as a C ``int`` (0 when there is none).

    >>> atoi("  42abc"), atoi("x"), atoi("-7")
    (42, 0, -7)
    """
    value = strtol(text)
    return 0 if value is None else to_int32(value)


def scan_int(text: str) -> int | None:
    """``sscanf(text, "%d", &i) == 1``: the leading integer, or ``None``.

    >>> scan_int(" 12:30"), scan_int("abc")
    (12, None)
    """
    value = strtol(text)
    return None if value is None else to_int32(value)


def scan_double(text: str) -> float | None:
    """``sscanf(text, "%lf", &d) == 1``: the leading decimal number, or ``None``."""
    found = _DOUBLE.match(text)
    if not found:
        return None
    return float(found.group(1))


def strip(text: str) -> str:
    """``ast_strip``: drop leading and trailing blanks."""
    return text.strip(C_SPACE)


def strip_quoted(text: str, begin: str = '"', end: str = '"') -> str:
    """``ast_strip_quoted``: strip blanks, then one pair of matching quotes.

    >>> strip_quoted(' "hello" ')
    'hello'
    """
    text = strip(text)
    if text and text[0] in begin:
        closing = end[begin.index(text[0])]
        if text[-1] == closing:  # a lone quote strips to nothing, as in C
            return text[1:-1]
    return text


def parse_variable_name(name: str) -> tuple[str, int, int, bool]:
    """``parse_variable_name``: split ``NAME:offset:length``.

    Returns:
        (name, offset, length, is_function); length is 2147483647 when absent.

    >>> parse_variable_name("X:2:-1"), parse_variable_name("CUT(a:b):1")
    (('X', 2, -1, False), ('CUT(a:b)', 1, 2147483647, True))
    """
    parens = 0
    is_function = False
    for index, char in enumerate(name):
        if char == "(":
            is_function = True
            parens += 1
        elif char == ")":
            parens -= 1
        elif char == ":" and parens == 0:
            offset, length = 0, _INT_MAX
            first = _SCAN_INT.match(name, index + 1)
            if first:
                offset = to_int32(int(first.group(1)))
                if name.startswith(":", first.end()):
                    second = _SCAN_INT.match(name, first.end() + 1)
                    if second:
                        length = to_int32(int(second.group(1)))
            return name[:index], offset, length, is_function
    return name, 0, _INT_MAX, is_function


def substring(value: str, offset: int, length: int) -> str:
    """``ast_str_substring``: a negative offset counts from the end, a negative length
    leaves that many characters off the end.

    >>> substring("1234567", 2, 3), substring("1234567", -3, 2), substring("1234567", 1, -2)
    ('345', '56', '2345')
    """
    total = len(value)
    if offset == 0 and length >= total:
        return value
    if offset < 0:
        offset = max(0, total + offset)
    if offset >= total:
        return ""
    rest = value[offset:]
    if 0 <= length < len(rest):
        return rest[:length]
    if length < 0:
        return rest[: len(rest) + length] if len(rest) > -length else ""
    return rest
