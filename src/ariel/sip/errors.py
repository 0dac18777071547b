"""The errors the SIP layer raises for malformed input.

Every parser in ``ariel.sip`` raises :class:`SipParseError` (or a subclass) and
nothing else for bad bytes, so the transport edge can catch one class, log the
packet at debug level and drop it, or answer a request with ``error.status``.
"""

from __future__ import annotations

__all__ = ["FramingError", "SipParseError"]


class SipParseError(ValueError):
    """A SIP message, header or URI that does not follow RFC 3261's grammar.

    Attributes:
        reason: What was wrong, in words fit for a log line or a Warning header.
        status: The response a UAS owes a request this malformed: 400 (Bad Request),
            or 505 (Version Not Supported) for an unknown SIP version.
    """

    def __init__(self, reason: str, status: int = 400) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.reason!r}, status={self.status})"


class FramingError(SipParseError):
    """A stream whose message boundaries can no longer be found.

    RFC 3261 §18.3: "If a stream-based protocol (such as TCP) is used as transport,
    the header field MUST be used." Without a usable Content-Length the rest of the
    stream cannot be framed, so the connection has to be closed.
    """
