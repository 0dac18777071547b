"""Number and time functions: MATH, INC, DEC, MIN, MAX, ABS, RAND, STRFTIME.

Theory of operation: transcriptions of funcs/func_math.c, func_rand.c and
func_strings.c's STRFTIME.  ``MATH(<a><op><b>[,type])`` finds its operator
by searching the text in Asterisk's fixed order (``*``, ``/``, ``%``, ``^``,
``AND``, ``XOR``, ``OR``, ``>``, ``<``, ``==``, ``+``, then ``-`` last so a
negative second operand still works), reads both operands with
``sscanf("%lf")`` and prints ``%f``, ``%i``, ``%x`` or ``%c``; comparisons
print ``TRUE``/``FALSE``.  Bitwise and shift operators work on C ``int``.
Time comes from the scope's clock and randomness from its random source,
never from globals.
"""

from __future__ import annotations

import math
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np

from ariel.core.dialplan.args import separate_args
from ariel.core.dialplan.cstrings import scan_double, scan_int, to_int32
from ariel.core.dialplan.functions import DialplanFunction, FunctionScope

__all__ = ["MATH_FUNCTIONS"]

_RAND_MAX = 2147483647
_OPERATORS = ("*", "/", "%", "^", "AND", "XOR", "OR", ">", "<", "=", "+", "-")
_FRACTION = re.compile(r"%([1-6]?)q")


def _c_int(value: float) -> int:
    """``(int) value`` as x86 does it (out of range: INT_MIN)."""
    if not math.isfinite(value) or not -(2**31) <= value < 2**31:
        return -(2**31)
    return int(value)


def _c_unsigned(value: float) -> int:
    """``(unsigned int) value`` as x86-64 does it (via a 64-bit conversion)."""
    if not math.isfinite(value) or not -(2**63) <= value < 2**63:
        return 0
    return int(value) & 0xFFFFFFFF


def _split_operator(text: str) -> tuple[str, str, str | None]:
    """(operator, first operand, second operand or None) as ``math()`` finds them."""
    for op in _OPERATORS:
        at = text.find(op)
        if at < 0:
            continue
        first, rest = text[:at], text[at + len(op) :]
        if op in (">", "<") and rest[:1] in ("=", op):
            return op + rest[0], first, rest[1:]
        if op == "=":
            return ("==", first, rest[1:]) if rest.startswith("=") else ("=", first, None)
        return op, first, rest
    return "", text, None


def _compute(op: str, a: float, b: float) -> float | str:
    if op in (">", "<", ">=", "<=", "=="):
        truth = {">": a > b, "<": a < b, ">=": a >= b, "<=": a <= b, "==": a == b}[op]
        return "TRUE" if truth else "FALSE"
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if op == "/":
        return 0.0 if b <= 0 else a / b  # sic: func_math.c refuses divisors <= 0
    if op == "^":
        with np.errstate(all="ignore"):
            return float(np.power(np.float64(a), np.float64(b)))  # C pow(): inf/nan, no errors
    x, y = _c_int(a), _c_int(b)
    if op == "%":
        return 0.0 if y == 0 else float(math.fmod(x, y))
    if op == "<<":
        return float(to_int32(x << (y & 31)))
    if op == ">>":
        return float(x >> (y & 31))
    return float({"AND": x & y, "XOR": x ^ y, "OR": x | y}[op])


def _math(scope: FunctionScope, data: str | None) -> str | None:
    if not data:
        scope.warn("Syntax: MATH(<number1><op><number 2>[,<type_of_result>]) - missing argument!")
        return None
    args = separate_args(data, max_args=2)
    text = args[0]
    negative = text.startswith("-")
    op, first, second = _split_operator(text[1:] if negative else text)
    kind = args[1].lower() if len(args) > 1 else "f"
    if kind not in ("f", "float", "i", "int", "h", "hex", "c", "char"):
        scope.warn(f"Unknown type of result requested '{args[1]}'.")
        return None
    if second is None:
        scope.warn("Supply all the parameters - just this once, please")
        return None
    a, b = scan_double(first), scan_double(second)
    if a is None or b is None:
        scope.warn(f"'{first if a is None else second}' is not a valid number")
        return None
    result = _compute(op, -a if negative else a, b)
    if isinstance(result, str):
        return result
    if kind in ("i", "int"):
        return str(_c_int(result))
    if kind in ("h", "hex"):
        return f"{_c_unsigned(result):x}"
    if kind in ("c", "char"):
        return chr(_c_unsigned(result) & 0xFF)
    return f"{result:f}"


def _crement(step: int) -> DialplanFunction:
    name = "INC" if step > 0 else "DEC"

    def read(scope: FunctionScope, data: str | None) -> str | None:
        if not data:
            scope.warn(f"Syntax: {name}(<data>) - missing argument!")
            return None
        value = scope.variable(data)
        if not value:
            scope.warn(f"Variable {data} doesn't exist - are you sure you wrote it correctly?")
            return None
        number = scan_int(value)
        if number is None or not re.fullmatch(r"[ \t\n\v\f\r]*[+-]?\d+", value):
            scope.warn(f"The content of ${{{data}}} is not a numeric value - bailing out!")
            return None
        result = str(to_int32(number + step))
        scope.assign(data, result)
        return result

    return DialplanFunction(name=name, read=read)


def _number_text(value: float) -> str:
    """``%d`` when the value is a whole ``int``, else ``%f`` (MIN, MAX, ABS)."""
    return str(_c_int(value)) if _c_int(value) == value else f"{value:f}"


def _min_max(pick_max: bool) -> DialplanFunction:
    name = "MAX" if pick_max else "MIN"

    def read(scope: FunctionScope, data: str | None) -> str | None:
        args = separate_args(data, max_args=2)
        texts = [arg for arg in args if arg]
        if not texts:
            scope.warn("Missing argument for number(s).")
            return None
        numbers = []
        for text in texts:
            number = scan_double(text)
            if number is None:
                scope.warn(f"'{text}' is not a valid number")
                return None
            numbers.append(number)
        return _number_text(max(numbers) if pick_max else min(numbers))

    return DialplanFunction(name=name, read=read)


def _abs(scope: FunctionScope, data: str | None) -> str | None:
    number = scan_double(data or "")
    if number is None:
        scope.warn(f"Bad or missing argument for number: {data}")
        return None
    return _number_text(abs(number))


def _rand(scope: FunctionScope, data: str | None) -> str | None:
    args = separate_args(data, max_args=2)
    low = scan_int(args[0]) if args and args[0] else None
    high = scan_int(args[1]) if len(args) > 1 and args[1] else None
    low = 0 if low is None else low
    high = _RAND_MAX if high is None else high
    if high < low:
        low, high = high, low
    return str(scope.random_int(low, high))


def _strftime(scope: FunctionScope, data: str | None) -> str | None:
    args = separate_args(data, max_args=3)
    moment = scope.now()
    epoch = scan_double(args[0]) if args and args[0] else None
    if epoch is not None:
        try:
            moment = datetime.fromtimestamp(0, moment.tzinfo) + timedelta(seconds=epoch)
        except (OverflowError, ValueError, OSError):
            scope.warn(f"Time {args[0]} is out of range")
    if len(args) > 1 and args[1]:
        try:
            moment = moment.astimezone(ZoneInfo(args[1]))
        except (ZoneInfoNotFoundError, ValueError):
            scope.warn(f"Unknown timezone '{args[1]}'")
    fmt = args[2] if len(args) > 2 else "%c"

    def fraction(found: re.Match[str]) -> str:
        digits = int(found.group(1) or 3)
        return f"{moment.microsecond:06d}"[:digits]

    try:
        return moment.strftime(_FRACTION.sub(fraction, fmt))
    except ValueError:
        scope.warn("C function strftime() output nothing?!!")
        return ""


MATH_FUNCTIONS: tuple[DialplanFunction, ...] = (
    DialplanFunction(name="MATH", read=_math),
    _crement(1),
    _crement(-1),
    _min_max(pick_max=False),
    _min_max(pick_max=True),
    DialplanFunction(name="ABS", read=_abs),
    DialplanFunction(name="RAND", read=_rand),
    DialplanFunction(name="STRFTIME", read=_strftime),
)
