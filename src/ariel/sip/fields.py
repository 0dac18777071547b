"""Typed header values: Via (RFC 3261 §20.42, RFC 3581 rport) and CSeq (§20.16).

Also the branch and tag generators, which take their randomness as a parameter
(``random(n)`` returns ``n`` characters) so that nothing here reads a global
random source.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from ariel.sip._grammar import (
    WSP,
    Params,
    format_params,
    has_param,
    is_token,
    param_value,
    parse_digits,
    parse_hostport,
    parse_params,
    split_outside,
)
from ariel.sip.errors import SipParseError

#: Parsed header values are immutable, so the same text is parsed once: a
#: transaction sees the same From, To, Via and CSeq text many times.
PARSE_CACHE_SIZE = 4096

__all__ = [
    "MAGIC_COOKIE",
    "CSeq",
    "Via",
    "new_branch",
    "new_tag",
    "parse_cseq",
    "parse_via",
    "parse_via_list",
]

MAGIC_COOKIE = "z9hG4bK"
"""RFC 3261 §8.1.1.7: "The branch ID inserted by an element compliant with this
specification MUST always begin with the characters "z9hG4bK"."""

_CSEQ_MAX = 2**32 - 1


@dataclass(frozen=True, slots=True, kw_only=True)
class Via:
    """``SIP/2.0/UDP host:port;branch=...;received=...;rport=...``."""

    protocol: str = "SIP"
    version: str = "2.0"
    transport: str
    host: str
    port: int | None = None
    params: Params = ()

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        port = "" if self.port is None else f":{self.port}"
        return (
            f"{self.protocol}/{self.version}/{self.transport} {host}{port}"
            f"{format_params(self.params)}"
        )

    def param(self, name: str) -> str | None:
        """The value of a Via parameter (``None`` when absent or valueless)."""
        return param_value(self.params, name)

    def has_param(self, name: str) -> bool:
        """Whether the parameter is present, with or without a value."""
        return has_param(self.params, name)

    @property
    def branch(self) -> str | None:
        """The ``branch`` parameter (the transaction id of RFC 3261 §17)."""
        return self.param("branch")

    @property
    def received(self) -> str | None:
        """The ``received`` parameter a server added (RFC 3261 §18.2.1)."""
        return self.param("received")

    @property
    def has_rport(self) -> bool:
        """Whether ``rport`` is present, with a value or without (RFC 3581 §3)."""
        return self.has_param("rport")

    @property
    def rport(self) -> int | None:
        """The port an ``rport`` parameter was filled in with (RFC 3581 §4)."""
        value = self.param("rport")
        return parse_digits(value, "rport", maximum=65535) if value is not None else None

    @property
    def maddr(self) -> str | None:
        """The ``maddr`` parameter."""
        return self.param("maddr")

    @property
    def ttl(self) -> int | None:
        """The ``ttl`` parameter (0-255)."""
        value = self.param("ttl")
        return parse_digits(value, "ttl", maximum=255) if value is not None else None

    @property
    def sent_by(self) -> tuple[str, int | None]:
        """``(host, port)``: where the element that added this Via listens."""
        return self.host, self.port


def parse_via(text: str) -> Via:
    """Read one via-parm: ``sent-protocol LWS sent-by *( SEMI via-params )``.

    ``SLASH = SWS "/" SWS`` and ``COLON = SWS ":" SWS``, so the RFC 4475 §3.1.1.1
    value ``SIP  /   2.0 /UDP 192.0.2.2`` is well formed.
    """
    head, semi, rest = text.strip(WSP).partition(";")
    parts = head.split("/")
    if len(parts) != 3:
        raise SipParseError(f"bad Via sent-protocol: {head[:60]!r}")
    protocol, version = parts[0].strip(WSP), parts[1].strip(WSP)
    transport, _, sent_by = parts[2].strip(WSP).partition(" ")
    if "\t" in transport:
        transport, _, tail = transport.partition("\t")
        sent_by = f"{tail} {sent_by}"
    if not (is_token(protocol) and is_token(version) and is_token(transport)):
        raise SipParseError(f"bad Via sent-protocol: {head[:60]!r}")
    hostport = "".join(sent_by.split())  # COLON allows LWS around ':'
    if not hostport:
        raise SipParseError("Via has no sent-by")
    host, port = parse_hostport(hostport)
    params = parse_params(semi + rest)
    return Via(
        protocol=protocol,
        version=version,
        transport=transport.upper(),
        host=host,
        port=port,
        params=params,
    )


@functools.lru_cache(maxsize=PARSE_CACHE_SIZE)
def parse_via_list(text: str) -> tuple[Via, ...]:
    """Read every via-parm of one Via header line."""
    return tuple(parse_via(piece) for piece in split_outside(text, ","))


@dataclass(frozen=True, slots=True, kw_only=True)
class CSeq:
    """``CSeq: 4711 INVITE`` -- sequence number and method."""

    number: int
    method: str

    def __str__(self) -> str:
        return f"{self.number} {self.method}"


@functools.lru_cache(maxsize=PARSE_CACHE_SIZE)
def parse_cseq(text: str) -> CSeq:
    """Read ``CSeq = 1*DIGIT LWS Method``.

    RFC 3261 §8.1.1.5: "The sequence number value MUST be expressible as a 32-bit
    unsigned integer" -- RFC 4475 §3.1.2.4 and §3.1.2.5 send larger ones.
    """
    parts = text.split()
    if len(parts) != 2 or not is_token(parts[1]):
        raise SipParseError(f"bad CSeq: {text[:60]!r}")
    return CSeq(number=parse_digits(parts[0], "CSeq number", maximum=_CSEQ_MAX), method=parts[1])


def new_branch(random: Callable[[int], str], length: int = 16) -> str:
    """A fresh RFC 3261 branch: the magic cookie then ``random(length)``."""
    return MAGIC_COOKIE + random(length)


def new_tag(random: Callable[[int], str], length: int = 10) -> str:
    """A fresh From/To tag (RFC 3261 §19.3: "at least 32 bits of randomness")."""
    return random(length)
