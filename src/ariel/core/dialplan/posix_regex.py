"""POSIX extended regular expressions (``regcomp(REG_EXTENDED)``) on Python's ``re``.

Theory of operation: Asterisk hands dialplan regexes to glibc's ``regcomp``.
Most ERE syntax means the same in Python; this module rewrites the parts that
do not: bracket expressions (``[[:digit:]]``, ``[]a]``, a backslash is literal
inside brackets), backslash escapes Python would read as classes (``\\d`` is
a plain ``d`` to glibc; ``\\w``, ``\\s``, ``\\b``, ``\\<``, ``\\>`` and back
references are GNU extensions and kept), an unmatched ``)`` (literal under
``RE_UNMATCHED_RIGHT_PAREN_ORD``) and ``(?`` (an error to glibc, an extension
to Python).  Known difference: POSIX picks the leftmost *longest* match,
Python the leftmost *first* alternative, so ``a|ab`` against ``ab`` matches
``ab`` in Asterisk and ``a`` here.
"""

from __future__ import annotations

import re

__all__ = ["PosixRegexError", "compile_ere"]

_CLASSES = {
    "alpha": "a-zA-Z",
    "digit": "0-9",
    "alnum": "a-zA-Z0-9",
    "upper": "A-Z",
    "lower": "a-z",
    "space": " \\t\\n\\r\\f\\v",
    "blank": " \\t",
    "punct": "!-/:-@\\[-`{-~",
    "print": " -~",
    "graph": "!-~",
    "cntrl": "\\x00-\\x1f\\x7f",
    "xdigit": "0-9A-Fa-f",
}
_GNU_ESCAPES = {"w": r"\w", "W": r"\W", "s": r"\s", "S": r"\S", "b": r"\b", "B": r"\B"}
_INTERVAL = re.compile(r"\{\d+(,\d*)?\}")


class PosixRegexError(ValueError):
    """The expression does not compile (what ``regcomp`` would refuse)."""


def compile_ere(pattern: str) -> re.Pattern[str]:
    """Compile a POSIX ERE as ``regcomp(REG_EXTENDED)`` reads it.

    Raises:
        PosixRegexError: The pattern is malformed.

    >>> bool(compile_ere("^[[:digit:]]+$").search("123"))
    True
    """
    try:
        return re.compile(_translate(pattern), re.DOTALL)
    except (re.error, RecursionError, OverflowError) as error:
        raise PosixRegexError(str(error)) from error


def _translate(pattern: str) -> str:
    out: list[str] = []
    groups: list[int] = []  # where each open group starts in ``out``
    atom = -1  # where the last atom starts in ``out`` (-1: none yet)
    quantified = False
    index = 0
    length = len(pattern)
    while index < length:
        char = pattern[index]
        if char in "*+?{":
            interval = _INTERVAL.match(pattern, index) if char == "{" else None
            if char == "{" and interval is None:
                out.append(r"\{")  # not an interval: a plain brace
                atom, quantified, index = len(out) - 1, False, index + 1
                continue
            if atom < 0:
                raise PosixRegexError("Invalid preceding regular expression")
            if quantified:  # POSIX stacks repetitions: a*? is (a*)?, not lazy
                out[atom:] = ["(?:" + "".join(out[atom:]) + ")"]
            out.append(interval.group(0) if interval else char)
            index = interval.end() if interval else index + 1
            quantified = True
            continue
        quantified = False
        if char == "[":
            text, index = _bracket(pattern, index)
            atom = len(out)
            out.append(text)
            continue
        if char == "\\":
            if index + 1 >= length:
                raise PosixRegexError("Trailing backslash")
            follower = pattern[index + 1]
            index += 2
            atom = len(out)
            if follower in _GNU_ESCAPES:
                out.append(_GNU_ESCAPES[follower])
            elif follower == "<":
                out.append(r"\b(?=\w)")
            elif follower == ">":
                out.append(r"\b(?<=\w)")
            elif follower in "123456789":
                out.append("\\" + follower)
            else:
                out.append(re.escape(follower))
            continue
        if char == "(":
            if pattern.startswith("(?", index):
                raise PosixRegexError("Invalid preceding regular expression")
            groups.append(len(out))
            out.append("(")
            atom = -1
        elif char == ")" and groups:
            atom = groups.pop()
            out.append(")")
        elif char == "|":
            out.append("|")
            atom = -1
        elif char == "^":
            out.append("^")
            atom = -1
        elif char == "$":
            out.append(r"\Z")
            atom = -1
        elif char == ".":
            atom = len(out)
            out.append(".")
        else:  # a literal, including an unmatched ')'
            atom = len(out)
            out.append(re.escape(char))
        index += 1
    if groups:
        raise PosixRegexError("Unmatched ( or \\(")
    return "".join(out)


def _bracket(pattern: str, start: int) -> tuple[str, int]:
    """Translate ``[...]`` starting at ``start``; returns the text and the next index."""
    index = start + 1
    negate = False
    if index < len(pattern) and pattern[index] == "^":
        negate = True
        index += 1
    items: list[str] = []
    first = True
    while True:
        if index >= len(pattern):
            raise PosixRegexError("Unmatched [ or [^")
        char = pattern[index]
        if char == "]" and not first:
            index += 1
            break
        first = False
        if char == "[" and pattern[index + 1 : index + 2] in (":", "=", "."):
            kind = pattern[index + 1]
            close = pattern.find(kind + "]", index + 2)
            if close < 0:
                raise PosixRegexError("Unmatched [ or [^")
            name = pattern[index + 2 : close]
            index = close + 2
            if kind == ":":
                if name not in _CLASSES:
                    raise PosixRegexError("Invalid character class name")
                items.append(_CLASSES[name])
            else:
                items.append(re.escape(name))
            continue
        if index + 2 < len(pattern) and pattern[index + 1] == "-" and pattern[index + 2] != "]":
            low, high = char, pattern[index + 2]
            if low > high:
                raise PosixRegexError("Invalid range end")
            items.append(f"{_escape_in_set(low)}-{_escape_in_set(high)}")
            index += 3
            continue
        items.append(_escape_in_set(char))
        index += 1
    return "[" + ("^" if negate else "") + "".join(items) + "]", index


def _escape_in_set(char: str) -> str:
    return "\\" + char if char in "\\]^-[" else char
