"""Addresses: the name-addr and addr-spec values of From, To, Contact and Route.

RFC 3261 §20.10: "When the header field value contains a display name, the URI
including all URI parameters is enclosed in "<" and ">". If no "<" and ">" are
present, all parameters after the URI are header parameters, not URI
parameters." The display name is stored without its quotes and quoted-pairs;
an address is always written back in name-addr form, which is never ambiguous.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace

from ariel.sip._grammar import (
    TOKEN_CHARS,
    WSP,
    Params,
    format_params,
    has_param,
    param_value,
    parse_params,
    quote,
    scan_quoted,
    split_outside,
    unquote,
)
from ariel.sip.errors import SipParseError
from ariel.sip.uri import Uri, parse_uri

#: Parsed header values are immutable, so the same text is parsed once: a
#: transaction sees the same From, To, Via and CSeq text many times.
PARSE_CACHE_SIZE = 4096

__all__ = ["Address", "parse_address", "parse_address_list"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Address:
    """``"Display Name" <uri>;param=value``.

    ``display_name`` is ``None`` when the value had none and ``""`` for ``""``.
    Parameter values are kept as written (a quoted value keeps its quotes).
    """

    display_name: str | None = None
    uri: Uri
    params: Params = ()

    def __str__(self) -> str:
        prefix = "" if self.display_name is None else quote(self.display_name) + " "
        return f"{prefix}<{self.uri}>{format_params(self.params)}"

    def param(self, name: str) -> str | None:
        """The value of a header parameter (``None`` when absent or valueless)."""
        return param_value(self.params, name)

    def has_param(self, name: str) -> bool:
        """Whether the header parameter is present, with or without a value."""
        return has_param(self.params, name)

    @property
    def tag(self) -> str | None:
        """The ``tag`` parameter of a From or To value (RFC 3261 §19.3)."""
        return self.param("tag")

    def with_param(self, name: str, value: str | None) -> Address:
        """A copy with ``name`` set to ``value`` (replacing any earlier value)."""
        wanted = name.lower()
        kept = tuple(item for item in self.params if item[0].lower() != wanted)
        return replace(self, params=(*kept, (name, value)))

    def with_tag(self, tag: str) -> Address:
        """A copy carrying ``;tag=`` ``tag``."""
        return self.with_param("tag", tag)


@functools.lru_cache(maxsize=PARSE_CACHE_SIZE)
def parse_address(text: str) -> Address:
    """Read one name-addr or addr-spec with its header parameters.

    Raises:
        SipParseError: For an unterminated quote (RFC 4475 §3.1.2.6), spaces inside
            ``<>`` (§3.1.2.14), an unquoted display name that is not tokens
            (§3.1.2.15) or an addr-spec holding ``?`` or ``,`` (§3.1.2.13).
    """
    value = text.strip(WSP)
    if not value:
        raise SipParseError("empty address")
    if value.startswith('"'):
        end = scan_quoted(value, 0)
        display = unquote(value[:end])
        rest = value[end:].lstrip(WSP)
        if not rest.startswith("<"):
            raise SipParseError("a quoted display name must be followed by '<'")
        return _name_addr(display, rest)
    less = value.find("<")
    if less >= 0:
        words = value[:less].split()
        # display-name = *(token LWS) / quoted-string; UTF-8 is tolerated.
        for word in words:
            if not all(ch in TOKEN_CHARS or ch >= "\x80" for ch in word):
                raise SipParseError(f"display name is neither tokens nor quoted: {word[:40]!r}")
        return _name_addr(" ".join(words) if words else None, value[less:])
    uri_text, semi, param_text = value.partition(";")
    uri_text = uri_text.rstrip(WSP)
    # RFC 3261 §20: "If the URI contains a comma, question mark or semicolon, the
    # URI MUST be enclosed in angle brackets (< and >)."
    if "?" in uri_text or "," in uri_text:
        raise SipParseError(f"a URI with '?' or ',' must be enclosed in <>: {uri_text[:60]!r}")
    return Address(uri=parse_uri(uri_text), params=parse_params(semi + param_text))


def _name_addr(display: str | None, rest: str) -> Address:
    close = rest.find(">")
    if close < 0:
        raise SipParseError("'<' without '>' in address")
    uri_text = rest[1:close]
    if uri_text != uri_text.strip(WSP):
        raise SipParseError(f"spaces inside <> in address: {uri_text[:60]!r}")
    return Address(
        display_name=display, uri=parse_uri(uri_text), params=parse_params(rest[close + 1 :])
    )


def parse_address_list(text: str) -> tuple[Address, ...]:
    """Read a comma-separated list of addresses (Contact, Route, Record-Route)."""
    return tuple(parse_address(piece) for piece in split_outside(text, ","))
