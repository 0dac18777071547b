"""SIP, SIPS and TEL URIs (RFC 3261 §19.1, §25.1; RFC 3966), and their comparison.

Components are stored *unescaped*: ``sip:%75se%72@example.com`` has the user
``user``. Writing a URI back escapes exactly the characters its component may not
carry, so ``parse_uri(str(uri)) == uri`` for every URI, though not every input is
written back byte for byte. Any other scheme (``http:``, ``urn:``...) parses as an
:class:`AbsoluteUri` so that the layer above can answer 416 (Unsupported URI
Scheme) rather than the parser failing the whole message.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from ariel.sip._grammar import (
    ALPHANUM,
    Params,
    escape,
    has_param,
    param_value,
    parse_hostport,
    unescape,
)
from ariel.sip.errors import SipParseError

#: Parsed header values are immutable, so the same text is parsed once: a
#: transaction sees the same From, To, Via and CSeq text many times.
PARSE_CACHE_SIZE = 4096

__all__ = ["AbsoluteUri", "SipUri", "TelUri", "Uri", "parse_uri", "uri_equal"]

# unreserved = alphanum / mark; mark = "-" / "_" / "." / "!" / "~" / "*" / "'" / "(" / ")"
_UNRESERVED = ALPHANUM | frozenset("-_.!~*'()")
_USER_SAFE = _UNRESERVED | frozenset("&=+$,;?/")  # user-unreserved
_PASSWORD_SAFE = _UNRESERVED | frozenset("&=+$,")
_PARAM_SAFE = _UNRESERVED | frozenset("[]/:&+$")  # param-unreserved
_HEADER_SAFE = _UNRESERVED | frozenset("[]/?:+$")  # hnv-unreserved
_SCHEME_CHARS = ALPHANUM | frozenset("+-.")
_TEL_CHARS = frozenset("0123456789ABCDEFabcdef*#+-.()pPwW")
_TEL_VISUAL = str.maketrans("", "", "-.()")
_NOT_URI = re.compile(r'[\x00-\x20\x7f-\U0010ffff<>"]')  # whitespace, controls, non-ASCII
# URI parameters that RFC 3261 §19.1.4 never ignores when only one URI has them:
# user, ttl, method and maddr by its rules, transport by its examples
# ("sip:bob@biloxi.com (can resolve to different transports)
# sip:bob@biloxi.com;transport=udp" are listed as not equivalent).
_SIGNIFICANT = ("user", "ttl", "method", "maddr", "transport")


@dataclass(frozen=True, slots=True, kw_only=True)
class SipUri:
    """``sip:user:password@host:port;params?headers`` (RFC 3261 §19.1.1).

    ``host`` holds an IPv6 address without its brackets. ``port`` is ``None``
    when the URI names none (RFC 3261 §19.1.4 keeps "no port" distinct from 5060).
    """

    scheme: str = "sip"
    user: str | None = None
    password: str | None = None
    host: str
    port: int | None = None
    params: Params = ()
    headers: tuple[tuple[str, str], ...] = ()

    def __str__(self) -> str:
        out = [self.scheme, ":"]
        if self.user is not None:
            out.append(escape(self.user, _USER_SAFE))
            if self.password is not None:
                out += [":", escape(self.password, _PASSWORD_SAFE)]
            out.append("@")
        out.append(f"[{self.host}]" if ":" in self.host else self.host)
        if self.port is not None:
            out.append(f":{self.port}")
        for name, value in self.params:
            out += [";", escape(name, _PARAM_SAFE)]
            if value is not None:
                out += ["=", escape(value, _PARAM_SAFE)]
        for index, (name, value) in enumerate(self.headers):
            out += ["&" if index else "?", escape(name, _HEADER_SAFE), "="]
            out.append(escape(value, _HEADER_SAFE))
        return "".join(out)

    def param(self, name: str) -> str | None:
        """The value of a URI parameter (``None`` when absent or valueless)."""
        return param_value(self.params, name)

    def has_param(self, name: str) -> bool:
        """Whether the URI carries the parameter, with or without a value."""
        return has_param(self.params, name)

    @property
    def transport(self) -> str | None:
        """The ``transport`` parameter, lower-cased."""
        value = self.param("transport")
        return value.lower() if value is not None else None

    @property
    def lr(self) -> bool:
        """Whether the URI is a loose route (``;lr``, RFC 3261 §19.1.1)."""
        return self.has_param("lr")


@dataclass(frozen=True, slots=True, kw_only=True)
class TelUri:
    """``tel:+1-201-555-0123;phone-context=...`` (RFC 3966)."""

    number: str
    params: Params = ()

    def __str__(self) -> str:
        out = ["tel:", self.number]
        for name, value in self.params:
            out += [";", escape(name, _PARAM_SAFE)]
            if value is not None:
                out += ["=", escape(value, _PARAM_SAFE)]
        return "".join(out)

    def param(self, name: str) -> str | None:
        """The value of a parameter (``None`` when absent or valueless)."""
        return param_value(self.params, name)


@dataclass(frozen=True, slots=True, kw_only=True)
class AbsoluteUri:
    """A URI of a scheme this stack does not interpret, kept verbatim."""

    scheme: str
    opaque: str

    def __str__(self) -> str:
        return f"{self.scheme}:{self.opaque}"


Uri = SipUri | TelUri | AbsoluteUri


@functools.lru_cache(maxsize=PARSE_CACHE_SIZE)
def parse_uri(text: str) -> Uri:
    """Read a URI as it appears in a Request-Line or between ``<`` and ``>``.

    Raises:
        SipParseError: For anything that is not a URI, including whitespace
            anywhere in it (RFC 4475 §3.1.2.8 and §3.1.2.14).
    """
    if not text or _NOT_URI.search(text):
        raise SipParseError(f"not a URI: {text[:60]!r}")
    scheme, colon, rest = text.partition(":")
    if not colon or not scheme or not scheme[0].isalpha() or not set(scheme) <= _SCHEME_CHARS:
        raise SipParseError(f"URI has no scheme: {text[:60]!r}")
    scheme = scheme.lower()
    if scheme in ("sip", "sips"):
        return _parse_sip(scheme, rest)
    if scheme == "tel":
        return _parse_tel(rest)
    if not rest:
        raise SipParseError(f"empty {scheme} URI")
    return AbsoluteUri(scheme=scheme, opaque=rest)


def _check(text: str, allowed: frozenset[str], what: str) -> str:
    if not set(text) <= allowed | {"%"}:
        raise SipParseError(f"bad character in URI {what}: {text[:60]!r}")
    return unescape(text)


def _parse_sip(scheme: str, rest: str) -> SipUri:
    user = password = None
    at = rest.find("@")
    if at >= 0:
        userinfo, rest = rest[:at], rest[at + 1 :]
        user_text, colon, password_text = userinfo.partition(":")
        if not user_text:
            raise SipParseError("SIP URI has an empty user part")
        user = _check(user_text, _USER_SAFE, "user part")
        if colon:
            password = _check(password_text, _PASSWORD_SAFE, "password")
    rest, question, header_text = rest.partition("?")
    hostport, _, param_text = rest.partition(";")
    host, port = parse_hostport(hostport)
    params: list[tuple[str, str | None]] = []
    if param_text or rest.endswith(";"):
        for piece in param_text.split(";"):
            name, equals, value = piece.partition("=")
            if not name:
                raise SipParseError("SIP URI has an empty parameter")
            decoded = _check(name, _PARAM_SAFE, "parameter")
            params.append((decoded, _check(value, _PARAM_SAFE, "parameter") if equals else None))
    headers: list[tuple[str, str]] = []
    if question:
        for piece in header_text.split("&"):
            name, equals, value = piece.partition("=")
            if not name or not equals:
                raise SipParseError(f"bad SIP URI header: {piece[:40]!r}")
            headers.append(
                (_check(name, _HEADER_SAFE, "header"), _check(value, _HEADER_SAFE, "header"))
            )
    return SipUri(
        scheme=scheme,
        user=user,
        password=password,
        host=host,
        port=port,
        params=tuple(params),
        headers=tuple(headers),
    )


def _parse_tel(rest: str) -> TelUri:
    number, _, param_text = rest.partition(";")
    if not number or not set(number) <= _TEL_CHARS:
        raise SipParseError(f"bad telephone number: {rest[:60]!r}")
    params: list[tuple[str, str | None]] = []
    if param_text:
        for piece in param_text.split(";"):
            name, equals, value = piece.partition("=")
            if not name:
                raise SipParseError("tel URI has an empty parameter")
            decoded = _check(name, _PARAM_SAFE, "parameter")
            params.append((decoded, _check(value, _PARAM_SAFE, "parameter") if equals else None))
    return TelUri(number=number, params=tuple(params))


def uri_equal(a: Uri, b: Uri) -> bool:
    """Compare two URIs by the rules of RFC 3261 §19.1.4 (RFC 3966 §4 for tel).

    "Comparison of the userinfo of SIP and SIPS URIs is case-sensitive. ...
    Comparison of all other components of the URI is case-insensitive unless
    explicitly defined otherwise."
    """
    if isinstance(a, SipUri) and isinstance(b, SipUri):
        return _sip_equal(a, b)
    if isinstance(a, TelUri) and isinstance(b, TelUri):
        return a.number.translate(_TEL_VISUAL).lower() == b.number.translate(
            _TEL_VISUAL
        ).lower() and _folded(a.params) == _folded(b.params)
    if isinstance(a, AbsoluteUri) and isinstance(b, AbsoluteUri):
        return a.scheme == b.scheme and a.opaque == b.opaque
    return False


def _folded(params: Params) -> dict[str, str | None]:
    return {name.lower(): (value.lower() if value is not None else None) for name, value in params}


def _sip_equal(a: SipUri, b: SipUri) -> bool:
    # "A SIP and SIPS URI are never equivalent."
    if a.scheme != b.scheme or a.user != b.user or a.password != b.password:
        return False
    # "An IP address that is the result of a DNS lookup of a host name does not
    # match that host name." -- so hosts compare as text, case-insensitively.
    if a.host.lower() != b.host.lower() or a.port != b.port:
        return False
    mine, theirs = _folded(a.params), _folded(b.params)
    # "Any uri-parameter appearing in both URIs must match."
    if any(mine[name] != theirs[name] for name in mine.keys() & theirs.keys()):
        return False
    # "A user, ttl, or method uri-parameter appearing in only one URI never matches,
    # even if it contains the default value." / "A URI that includes an maddr
    # parameter will not match a URI that contains no maddr parameter." (and
    # transport, per the section's examples)
    if any((name in mine) != (name in theirs) for name in _SIGNIFICANT):
        return False
    # "URI header components are never ignored. Any present header component MUST
    # be present in both URIs and match for the URIs to match."
    return _header_set(a) == _header_set(b)


def _header_set(uri: SipUri) -> frozenset[tuple[str, str]]:
    return frozenset((name.lower(), value.lower()) for name, value in uri.headers)
