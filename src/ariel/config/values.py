"""Value converters shared by the model builders, spelled the way Asterisk reads them.

Each converter takes the option's text and returns a typed value or raises
``ValueError`` with a message that completes "bad value for 'key': ...".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "CallerId",
    "parse_bool",
    "parse_callerid",
    "parse_host_port",
    "parse_int",
    "parse_list",
    "shrink_phone_number",
]

_TRUE = frozenset({"yes", "true", "y", "t", "1", "on"})
_FALSE = frozenset({"no", "false", "n", "f", "0", "off"})
_INT = re.compile(r"[+-]?\d+")
_PHONE_CHARS = frozenset("0123456789*#+")
_ESCAPED = re.compile(r"\\(.)")


def parse_bool(text: str) -> bool:
    """Read a boolean as Asterisk's ``ast_true``/``ast_false`` do.

    Accepts yes/no, true/false, y/n, t/f, on/off and 1/0 in any case.

    Raises:
        ValueError: For anything else.

    >>> parse_bool("Yes"), parse_bool("off")
    (True, False)
    """
    word = text.strip().lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise ValueError(f"{text!r} is not a boolean (use yes or no)")


def parse_int(text: str, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """Read a whole decimal number, optionally within bounds (inclusive).

    Raises:
        ValueError: If it is not a number or is out of bounds.
    """
    word = text.strip()
    if not _INT.fullmatch(word):
        raise ValueError(f"{text!r} is not a whole number")
    number = int(word)
    if minimum is not None and number < minimum:
        raise ValueError(f"{number} is below the minimum {minimum}")
    if maximum is not None and number > maximum:
        raise ValueError(f"{number} is above the maximum {maximum}")
    return number


def parse_list(text: str, separator: str = ",") -> tuple[str, ...]:
    """Split a list, trimming items and dropping empty ones.

    >>> parse_list(" localhost:8088, http://ari.asterisk.org ,")
    ('localhost:8088', 'http://ari.asterisk.org')
    """
    return tuple(item.strip() for item in text.split(separator) if item.strip())


def parse_host_port(text: str, default_port: int) -> tuple[str, int]:
    """Split ``host``, ``host:port``, ``[v6]``, ``[v6]:port`` or a bare IPv6 address.

    Raises:
        ValueError: For an empty host, an unclosed ``[`` or a bad port.

    >>> parse_host_port("127.0.0.1:5060", 5060), parse_host_port("[::1]", 5060)
    (('127.0.0.1', 5060), ('::1', 5060))
    """
    word = text.strip()
    port_text = ""
    if word.startswith("["):
        close = word.find("]")
        if close < 0:
            raise ValueError(f"{text!r} has no closing ']'")
        host, rest = word[1:close], word[close + 1 :]
        if rest:
            if not rest.startswith(":"):
                raise ValueError(f"{text!r} is not host:port")
            port_text = rest[1:]
    elif word.count(":") == 1:
        host, port_text = word.split(":")
    else:
        host = word
    if not host:
        raise ValueError(f"{text!r} has no host")
    if not port_text:
        return host, default_port
    return host, parse_int(port_text, minimum=0, maximum=65535)


def shrink_phone_number(text: str) -> str:
    """Drop the punctuation Asterisk ignores in numbers (``ast_shrink_phone_number``).

    Parentheses, spaces and dashes go (dashes stay inside ``[...]``); a dot
    stays only at the end.

    >>> shrink_phone_number("(555) 123-4567")
    '5551234567'
    """
    out: list[str] = []
    bracketed = 0
    for index, char in enumerate(text):
        if char == "[":
            bracketed += 1
            out.append(char)
        elif char == "]":
            bracketed -= 1
            out.append(char)
        elif char == "-":
            if bracketed:
                out.append(char)
        elif char == ".":
            if index == len(text) - 1:
                out.append(char)
        elif char not in "( )":
            out.append(char)
    return "".join(out)


@dataclass(frozen=True, slots=True, kw_only=True)
class CallerId:
    """A caller id as ``callerid = "Name" <number>`` gives it."""

    name: str = ""
    number: str = ""


def _strip_quoted(text: str) -> str:
    """``ast_strip_quoted``: trim, then drop one pair of surrounding double quotes."""
    text = text.strip()
    if len(text) >= 2 and text[0] == '"' and text[-1] == '"':
        return text[1:-1]
    return text


def parse_callerid(text: str) -> CallerId:
    """Read ``"Name" <number>``, ``Name <number>``, ``<number>``, a number or a name.

    Follows ``ast_callerid_parse``: text in the last ``<...>`` is the number;
    without brackets, text made only of ``0-9*#+`` (after shrinking) is a number,
    anything else a name.  Backslash escapes in the name are undone.

    >>> parse_callerid('"Alice" <101>')
    CallerId(name='Alice', number='101')
    """
    word = _strip_quoted(text)
    open_at = word.rfind("<")
    if open_at >= 0:
        close_at = word.rfind(">")
        number = word[open_at + 1 : close_at if close_at > open_at else len(word)]
        name = _strip_quoted(word[:open_at])
        return CallerId(name=_ESCAPED.sub(r"\1", name), number=number.strip())
    shrunk = shrink_phone_number(word)
    if shrunk and set(shrunk) <= _PHONE_CHARS:
        return CallerId(number=shrunk)
    return CallerId(name=_ESCAPED.sub(r"\1", word))
