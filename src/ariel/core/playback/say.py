"""Spoken numbers, digits and characters as lists of core prompts (English rules).

Theory of operation: ARI plays ``number:<n>``, ``digits:<text>`` and ``characters:<text>`` with
Asterisk's ``ast_say_number``, ``ast_say_digit_str`` and ``ast_say_character_str``. Those walk the
input and play one core prompt after another; here the same walks return the prompt names, and
playing them is the caller's business.

* Numbers (``ast_say_number_full_en``): ``digits/minus`` for a negative number, ``digits/0`` for
  zero, then for each group: ``digits/1``..``digits/19``, tens ``digits/20``..``digits/90``,
  hundreds as ``digits/N`` + ``digits/hundred``, and thousands and millions said recursively
  before ``digits/thousand`` / ``digits/million``. There is no "and". English Asterisk refuses
  numbers from one billion up ("Number is too big for me"); so does :func:`say_number`.
* Digits (``say_digit_str_full``): ``0-9`` -> ``digits/N``, ``*`` -> ``digits/star``, ``#`` ->
  ``digits/pound``, ``-`` -> ``digits/minus``; anything else is skipped silently.
* Characters (``say_character_str_full``, case-insensitive as ARI asks): digits and ``*``/``#`` as
  above, letters as ``letters/a``..``letters/z``, and ``! @ $ - . = + / space`` as
  ``letters/exclaimation-point`` (sic), ``at``, ``dollar``, ``dash``, ``dot``, ``equals``,
  ``plus``, ``slash``, ``space``. Asterisk plays a name only if the prompt exists, falling back
  to ``letters/ascii<code>``; pass ``exists`` to apply that rule against real prompts. Without
  it, the core English prompt set is assumed, so characters with no core prompt are skipped.

The ``number:`` text is parsed as C's ``sscanf("%30d")`` does: leading white space, an optional
sign, digits, and whatever follows ignored (``number:12abc`` says twelve).
"""

from __future__ import annotations

import string
from collections.abc import Callable

__all__ = [
    "SayError",
    "parse_number",
    "say_characters",
    "say_digits",
    "say_number",
    "say_uri",
]

_LIMIT = 1_000_000_000
_INT_MIN, _INT_MAX = -(2**31), 2**31 - 1
_C_SPACE = " \t\n\v\f\r"

_DIGIT_SYMBOLS = {"*": "digits/star", "#": "digits/pound", "-": "digits/minus"}
_CHARACTER_SYMBOLS = {
    "*": "digits/star",
    "#": "digits/pound",
    "!": "letters/exclaimation-point",
    "@": "letters/at",
    "$": "letters/dollar",
    "-": "letters/dash",
    ".": "letters/dot",
    "=": "letters/equals",
    "+": "letters/plus",
    "/": "letters/slash",
    " ": "letters/space",
}
_CORE_PROMPTS = frozenset(
    [f"digits/{d}" for d in string.digits]
    + [f"letters/{c}" for c in string.ascii_lowercase]
    + list(_DIGIT_SYMBOLS.values())
    + list(_CHARACTER_SYMBOLS.values())
)


class SayError(ValueError):
    """The input cannot be said (not a number, or a number English cannot say)."""


def parse_number(text: str) -> int:
    """The integer at the start of ``text``, read like ``sscanf(text, "%30d")``.

    Raises:
        SayError: No digits where the number should be, or a value outside C's ``int``.

    >>> parse_number("  -42 apples"), parse_number("+7")
    (-42, 7)
    """
    body = text.lstrip(_C_SPACE)[:30]  # the field width counts the sign and the digits
    sign = body[:1] if body[:1] in ("+", "-") else ""
    digits = ""
    for char in body[len(sign) :]:
        if char not in string.digits:
            break
        digits += char
    if not digits:
        raise SayError(f"{text!r} is not a number")
    value = int(sign + digits)
    if not _INT_MIN <= value <= _INT_MAX:
        raise SayError(f"{value} does not fit a 32-bit integer")
    return value


def say_number(number: int) -> list[str]:
    """The prompts that say ``number`` in English.

    Raises:
        SayError: ``abs(number)`` is one billion or more.

    >>> say_number(1234)
    ['digits/1', 'digits/thousand', 'digits/2', 'digits/hundred', 'digits/30', 'digits/4']
    >>> say_number(-15)
    ['digits/minus', 'digits/15']
    """
    if not -_LIMIT < number < _LIMIT:
        raise SayError(f"number {number} is too big to say in English")
    if number == 0:
        return ["digits/0"]
    prompts: list[str] = []
    if number < 0:
        prompts.append("digits/minus")
        number = -number
    _say_positive(number, prompts)
    return prompts


def _say_positive(num: int, prompts: list[str]) -> None:
    hundred_pending = False
    while num or hundred_pending:
        if hundred_pending:
            prompts.append("digits/hundred")
            hundred_pending = False
        elif num < 20:
            prompts.append(f"digits/{num}")
            num = 0
        elif num < 100:
            prompts.append(f"digits/{num // 10 * 10}")
            num %= 10
        elif num < 1000:
            prompts.append(f"digits/{num // 100}")
            hundred_pending = True
            num %= 100
        elif num < 1_000_000:
            _say_positive(num // 1000, prompts)
            prompts.append("digits/thousand")
            num %= 1000
        else:
            _say_positive(num // 1_000_000, prompts)
            prompts.append("digits/million")
            num %= 1_000_000


def _core_exists(name: str) -> bool:
    return name in _CORE_PROMPTS


def say_digits(text: str, exists: Callable[[str], bool] | None = None) -> list[str]:
    """The prompts that say ``text`` digit by digit; other characters are skipped.

    Args:
        text: What to say (``0-9``, ``*``, ``#``, ``-``).
        exists: Whether a prompt is available; prompts it rejects are skipped.

    >>> say_digits("12#*")
    ['digits/1', 'digits/2', 'digits/pound', 'digits/star']
    """
    check = exists or _core_exists
    prompts: list[str] = []
    for char in text:
        name = _DIGIT_SYMBOLS.get(char)
        if char in string.digits:
            name = f"digits/{char}"
        if name is not None and check(name):
            prompts.append(name)
    return prompts


def say_characters(text: str, exists: Callable[[str], bool] | None = None) -> list[str]:
    """The prompts that spell ``text`` character by character, ignoring case.

    Args:
        text: What to spell.
        exists: Whether a prompt is available. A character whose prompt is missing is said
            with ``letters/ascii<code>`` if that exists, else skipped. Non-ASCII characters
            are always skipped.

    >>> say_characters("aB1-")
    ['letters/a', 'letters/b', 'digits/1', 'letters/dash']
    """
    check = exists or _core_exists
    prompts: list[str] = []
    for char in text:
        if not char.isascii() or char == "\0":
            continue
        if char in string.digits:
            name = f"digits/{char}"
        else:
            name = _CHARACTER_SYMBOLS.get(char) or f"letters/{char.lower()}"
        if check(name):
            prompts.append(name)
        elif check(fallback := f"letters/ascii{ord(char)}"):
            prompts.append(fallback)
    return prompts


def say_uri(uri: str, exists: Callable[[str], bool] | None = None) -> list[str]:
    """The prompts for a ``number:``, ``digits:`` or ``characters:`` media URI.

    Raises:
        SayError: Another scheme, or a ``number:`` that cannot be said.

    >>> say_uri("number:20")
    ['digits/20']
    """
    scheme, sep, rest = uri.partition(":")
    if sep and scheme == "number":
        return say_number(parse_number(rest))
    if sep and scheme == "digits":
        return say_digits(rest, exists)
    if sep and scheme == "characters":
        return say_characters(rest, exists)
    raise SayError(f"{uri!r} is not a number:, digits: or characters: URI")
