"""Lexical pieces of the RFC 3261 §25 grammar shared by the SIP parsers.

Header values reach these helpers already unfolded (every ``CRLF 1*WSP`` turned
into one SP), so "linear white space" here is just SP and HTAB. Quoted strings
are scanned with their quoted-pairs; separators inside quotes or inside ``<>``
never split a value. Parameter values are kept as written (a quoted value keeps
its quotes) so that a message can be forwarded without re-encoding it.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable

from ariel.sip.errors import SipParseError

__all__ = [
    "ALPHANUM",
    "TOKEN_CHARS",
    "WSP",
    "Params",
    "escape",
    "format_params",
    "has_param",
    "is_token",
    "param_value",
    "parse_digits",
    "parse_hostport",
    "parse_params",
    "quote",
    "scan_quoted",
    "split_outside",
    "unescape",
    "unquote",
]

Params = tuple[tuple[str, str | None], ...]
"""Parameters in order: ``(name, value)``, value ``None`` when the name stands alone."""

WSP = " \t"
ALPHANUM = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
# token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~")
TOKEN_CHARS = ALPHANUM | frozenset("-.!%*_+`'~")
_HEX = frozenset("0123456789abcdefABCDEF")
_HOST_CHARS = ALPHANUM | frozenset("-._")


_TOKEN = re.compile(r"[A-Za-z0-9\-.!%*_+`'~]+")


def is_token(text: str) -> bool:
    """Whether ``text`` is a non-empty RFC 3261 token."""
    return _TOKEN.fullmatch(text) is not None


def parse_digits(text: str, what: str, *, maximum: int, max_digits: int = 10) -> int:
    """Read ``1*DIGIT`` (leading zeros allowed) no larger than ``maximum``.

    The digit count is checked before ``int()`` so that a hostile run of digits
    costs nothing (and never trips Python's int-string length limit).
    """
    word = text.strip(WSP)
    if not word or not word.isascii() or not word.isdigit():
        raise SipParseError(f"{what} is not a number: {text!r}")
    if len(word.lstrip("0")) > max_digits or int(word) > maximum:
        raise SipParseError(f"{what} is out of range: {word[:20]!r}")
    return int(word)


def scan_quoted(text: str, start: int) -> int:
    """Return the index just past the quoted-string that opens at ``text[start]``.

    RFC 3261 §25.1: ``quoted-pair = "\\" (%x00-09 / %x0B-0C / %x0E-7F)``.
    """
    index = start + 1
    while index < len(text):
        ch = text[index]
        if ch == "\\":
            if index + 1 >= len(text) or text[index + 1] in "\r\n":
                raise SipParseError("bad quoted-pair in quoted string")
            index += 2
            continue
        if ch == '"':
            return index + 1
        index += 1
    raise SipParseError("unterminated quoted string")


def unquote(text: str) -> str:
    """The content of a quoted-string, its quoted-pairs resolved."""
    if len(text) < 2 or text[0] != '"' or scan_quoted(text, 0) != len(text):
        raise SipParseError(f"not a quoted string: {text[:40]!r}")
    out: list[str] = []
    index = 1
    while index < len(text) - 1:
        if text[index] == "\\":
            index += 1
        out.append(text[index])
        index += 1
    return "".join(out)


def quote(text: str) -> str:
    """Write ``text`` as a quoted-string, escaping what qdtext cannot carry.

    Raises:
        ValueError: If ``text`` holds CR or LF, which a quoted-pair cannot carry.
    """
    if "\r" in text or "\n" in text:
        raise ValueError("a quoted string cannot hold CR or LF")
    out = ['"']
    for ch in text:
        if ch in '"\\' or (ord(ch) < 0x20 and ch != "\t") or ch == "\x7f":
            out.append("\\")
        out.append(ch)
    out.append('"')
    return "".join(out)


def split_outside(text: str, separator: str) -> list[str]:
    """Split ``text`` at ``separator`` characters outside quotes and ``<>``."""
    if '"' not in text and "<" not in text:
        return text.split(separator)
    parts: list[str] = []
    begin = index = 0
    depth = 0
    while index < len(text):
        ch = text[index]
        if ch == '"':
            index = scan_quoted(text, index)
            continue
        if ch == "<":
            depth += 1
        elif ch == ">" and depth:
            depth -= 1
        elif ch == separator and not depth:
            parts.append(text[begin:index])
            begin = index + 1
        index += 1
    parts.append(text[begin:])
    return parts


def parse_params(text: str) -> Params:
    """Read ``*( SEMI generic-param )`` with the LWS the grammar allows around it.

    ``generic-param = token [ EQUAL gen-value ]`` and
    ``gen-value = token / host / quoted-string``.
    """
    rest = text.strip(WSP)
    if not rest:
        return ()
    if not rest.startswith(";"):
        raise SipParseError(f"expected ';' before parameters: {text[:40]!r}")
    params: list[tuple[str, str | None]] = []
    for piece in split_outside(rest[1:], ";"):
        name, equals, value = piece.partition("=")
        name = name.strip(WSP)
        if not is_token(name):
            raise SipParseError(f"bad parameter name: {name[:40]!r}")
        if not equals:
            params.append((name, None))
            continue
        value = value.strip(WSP)
        if value.startswith('"'):
            unquote(value)
        elif not value or any(ch in WSP or ch in '"<>,;\\' for ch in value):
            raise SipParseError(f"bad value for parameter {name!r}: {value[:40]!r}")
        params.append((name, value))
    return tuple(params)


def format_params(params: Params) -> str:
    """Write parameters back as ``;name=value`` pairs."""
    return "".join(f";{name}" if value is None else f";{name}={value}" for name, value in params)


def has_param(params: Params, name: str) -> bool:
    """Whether a parameter is present (names compare case-insensitively)."""
    wanted = name.lower()
    return any(key.lower() == wanted for key, _ in params)


def param_value(params: Params, name: str) -> str | None:
    """The first value of a parameter, or ``None`` when absent or valueless."""
    wanted = name.lower()
    for key, value in params:
        if key.lower() == wanted:
            return value
    return None


def unescape(text: str) -> str:
    """Resolve ``escaped = "%" HEXDIG HEXDIG`` (once; RFC 3986 never recurses).

    The octets are read as UTF-8; octets that are not UTF-8 survive as
    surrogate escapes, so ``escape`` can write them back unchanged.
    """
    if "%" not in text:
        return text
    raw = bytearray()
    index = 0
    while index < len(text):
        ch = text[index]
        if ch == "%":
            pair = text[index + 1 : index + 3]
            if len(pair) != 2 or not all(c in _HEX for c in pair):
                raise SipParseError(f"bad %-escape in {text[:40]!r}")
            raw.append(int(pair, 16))
            index += 3
            continue
        raw += ch.encode("utf-8", "surrogateescape")
        index += 1
    return raw.decode("utf-8", "surrogateescape")


def escape(text: str, safe: Iterable[str]) -> str:
    """Percent-encode every character of ``text`` that is not in ``safe``."""
    allowed = frozenset(safe)
    out: list[str] = []
    for ch in text:
        if ch in allowed:
            out.append(ch)
        else:
            out.extend(f"%{byte:02X}" for byte in ch.encode("utf-8", "surrogateescape"))
    return "".join(out)


def parse_hostport(text: str) -> tuple[str, int | None]:
    """Read ``host [ ":" port ]``; an IPv6 reference loses its brackets."""
    if text.startswith("["):
        close = text.find("]")
        host, port_text = text[1:close], text[close + 1 :]
        if close < 0 or (port_text and not port_text.startswith(":")):
            raise SipParseError(f"bad IPv6 reference: {text[:60]!r}")
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            raise SipParseError(f"bad IPv6 reference: {text[:60]!r}") from None
        port_text = port_text[1:]
        has_port = close + 1 < len(text)
    else:
        host, colon, port_text = text.partition(":")
        has_port = bool(colon)
        if not host or not set(host) <= _HOST_CHARS or host.startswith(".") or ".." in host:
            raise SipParseError(f"bad host: {text[:60]!r}")
    if not has_port:
        return host, None
    if (
        not (port_text.isascii() and port_text.isdigit())
        or len(port_text) > 5
        or int(port_text) > 65535
    ):
        raise SipParseError(f"bad port: {text[:60]!r}")
    return host, int(port_text)
