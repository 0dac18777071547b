"""The header fields of a SIP message: an ordered, case-insensitive collection.

Names are canonicalised when a field enters the collection: compact forms are
expanded (RFC 3261 §7.3.3: "SIP provides a mechanism to represent common header
field names in an abbreviated form") and known names get their registered
spelling, so ``v``, ``VIA`` and ``via`` all become ``Via``; unknown names keep the
spelling they arrived with. Each entry is one header line, its value unfolded and
stripped. :meth:`Headers.get_all` splits the values of list headers at commas
outside quotes and ``<>``; the authentication headers and unknown headers are
never split.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass, field

from ariel.sip._grammar import split_outside

#: Parsed header values are immutable, so the same text is parsed once: a
#: transaction sees the same From, To, Via and CSeq text many times.
PARSE_CACHE_SIZE = 4096

__all__ = ["COMPACT_FORMS", "Headers", "canonical_name", "is_list_header"]

COMPACT_FORMS: dict[str, str] = {
    "a": "Accept-Contact",  # RFC 3841
    "b": "Referred-By",  # RFC 3892
    "c": "Content-Type",
    "d": "Request-Disposition",  # RFC 3841
    "e": "Content-Encoding",
    "f": "From",
    "i": "Call-ID",
    "j": "Reject-Contact",  # RFC 3841
    "k": "Supported",
    "l": "Content-Length",
    "m": "Contact",
    "n": "Identity-Info",  # RFC 4474
    "o": "Event",  # RFC 6665
    "r": "Refer-To",  # RFC 3515
    "s": "Subject",
    "t": "To",
    "u": "Allow-Events",  # RFC 6665
    "v": "Via",
    "x": "Session-Expires",  # RFC 4028
    "y": "Identity",  # RFC 8224
}
"""RFC 3261 §7.3.3 and later registrations: compact form -> header name."""

_KNOWN = (
    "Accept",
    "Accept-Contact",
    "Accept-Encoding",
    "Accept-Language",
    "Alert-Info",
    "Allow",
    "Allow-Events",
    "Authentication-Info",
    "Authorization",
    "Call-ID",
    "Call-Info",
    "Contact",
    "Content-Disposition",
    "Content-Encoding",
    "Content-Language",
    "Content-Length",
    "Content-Type",
    "CSeq",
    "Date",
    "Error-Info",
    "Event",
    "Expires",
    "From",
    "History-Info",
    "Identity",
    "Identity-Info",
    "In-Reply-To",
    "Max-Forwards",
    "Min-Expires",
    "Min-SE",
    "MIME-Version",
    "Organization",
    "P-Asserted-Identity",
    "P-Preferred-Identity",
    "Path",
    "Priority",
    "Privacy",
    "Proxy-Authenticate",
    "Proxy-Authorization",
    "Proxy-Require",
    "RAck",
    "Reason",
    "Record-Route",
    "Refer-To",
    "Referred-By",
    "Reject-Contact",
    "Replaces",
    "Reply-To",
    "Request-Disposition",
    "Require",
    "Retry-After",
    "Route",
    "RSeq",
    "Server",
    "Service-Route",
    "Session-Expires",
    "SIP-ETag",
    "SIP-If-Match",
    "Subject",
    "Subscription-State",
    "Supported",
    "Timestamp",
    "To",
    "Unsupported",
    "User-Agent",
    "Via",
    "Warning",
    "WWW-Authenticate",
    "X-Asterisk-HangupCause",
)
_CANONICAL: dict[str, str] = {name.lower(): name for name in _KNOWN}

# Headers whose grammar is a comma-separated list (RFC 3261 §7.3.1: "Multiple
# header field rows with the same field-name MAY be present in a message if and
# only if the entire field-value for that header field is defined as a
# comma-separated list").
_LIST_HEADERS = frozenset(
    name.lower()
    for name in (
        "Accept",
        "Accept-Contact",
        "Accept-Encoding",
        "Accept-Language",
        "Alert-Info",
        "Allow",
        "Allow-Events",
        "Call-Info",
        "Contact",
        "Content-Encoding",
        "Content-Language",
        "Error-Info",
        "History-Info",
        "In-Reply-To",
        "P-Asserted-Identity",
        "P-Preferred-Identity",
        "Path",
        "Proxy-Require",
        "Reason",
        "Record-Route",
        "Reject-Contact",
        "Request-Disposition",
        "Require",
        "Route",
        "Service-Route",
        "Supported",
        "Unsupported",
        "Via",
        "Warning",
    )
)


@functools.lru_cache(maxsize=PARSE_CACHE_SIZE)
def canonical_name(name: str) -> str:
    """The spelling a header name is stored and written under."""
    lowered = name.lower()
    if lowered in COMPACT_FORMS:
        return COMPACT_FORMS[lowered]
    return _CANONICAL.get(lowered, name)


def is_list_header(name: str) -> bool:
    """Whether the values of ``name`` may be split at commas.

    Never true for WWW-Authenticate, Authorization and the Proxy-Auth* headers,
    whose single values themselves contain commas (RFC 3261 §7.3.1).
    """
    return canonical_name(name).lower() in _LIST_HEADERS


@dataclass(frozen=True, slots=True)
class Headers:
    """Header fields in message order; lookups ignore case and compact forms.

    Immutable: the ``with_*`` methods return a new collection.

    >>> h = Headers((("v", "SIP/2.0/UDP a;branch=z9hG4bK1"), ("Route", "<sip:p1>, <sip:p2>")))
    >>> h.get("VIA"), h.get_all("route")
    ('SIP/2.0/UDP a;branch=z9hG4bK1', ('<sip:p1>', '<sip:p2>'))
    """

    fields: tuple[tuple[str, str], ...] = ()
    _keys: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        canonical = tuple((canonical_name(name), value) for name, value in self.fields)
        if canonical != self.fields:
            object.__setattr__(self, "fields", canonical)
        object.__setattr__(self, "_keys", tuple(name.lower() for name, _ in canonical))

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self.fields)

    def __len__(self) -> int:
        return len(self.fields)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.get(name) is not None

    def lines(self, name: str) -> tuple[str, ...]:
        """Every value of ``name``, one per header line, never split."""
        wanted = canonical_name(name).lower()
        return tuple(
            value for key, (_, value) in zip(self._keys, self.fields, strict=True) if key == wanted
        )

    def get(self, name: str) -> str | None:
        """The first line's value of ``name``, or ``None``."""
        wanted = canonical_name(name).lower()
        for key, (_, value) in zip(self._keys, self.fields, strict=True):
            if key == wanted:
                return value
        return None

    def get_all(self, name: str) -> tuple[str, ...]:
        """Every value of ``name``; a list header's lines are split at commas."""
        lines = self.lines(name)
        if not is_list_header(name):
            return lines
        return tuple(
            piece.strip(" \t") for line in lines if line for piece in split_outside(line, ",")
        )

    def with_added(self, name: str, value: str) -> Headers:
        """A copy with ``name: value`` appended after every other field."""
        return Headers((*self.fields, (name, value)))

    def with_first(self, name: str, value: str) -> Headers:
        """A copy with ``name: value`` before the first line of ``name``.

        That is where a proxy puts its Via, and a UA its topmost Route. When the
        name is absent the field goes first.
        """
        wanted = canonical_name(name).lower()
        fields = list(self.fields)
        at = next((i for i, (key, _) in enumerate(fields) if key.lower() == wanted), 0)
        fields.insert(at, (name, value))
        return Headers(tuple(fields))

    def with_set(self, name: str, value: str) -> Headers:
        """A copy where ``name`` has exactly one line, ``value``.

        It takes the place of the first existing line, or goes last.
        """
        wanted = canonical_name(name).lower()
        fields: list[tuple[str, str]] = []
        placed = False
        for key, old in self.fields:
            if key.lower() != wanted:
                fields.append((key, old))
            elif not placed:
                fields.append((key, value))
                placed = True
        if not placed:
            fields.append((name, value))
        return Headers(tuple(fields))

    def without(self, name: str) -> Headers:
        """A copy with every line of ``name`` removed."""
        wanted = canonical_name(name).lower()
        return Headers(tuple(item for item in self.fields if item[0].lower() != wanted))
