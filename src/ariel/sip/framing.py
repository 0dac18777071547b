"""Finding SIP messages in a byte stream (TCP, TLS), sans-IO.

Theory of operation. ``feed`` appends received octets; ``next_event`` returns the
next complete thing in the buffer or ``None`` when more octets are needed. Between
messages the framer reads keep-alives: RFC 5626 §3.5.1 "the client periodically
sends a double-CRLF (the "ping") then waits to receive a single CRLF (the
"pong")". A server-side framer reports each ``\\r\\n\\r\\n`` as
:class:`KeepAlivePing` (answer it with :data:`PONG`) and skips a lone CRLF, as
RFC 3261 §7.5 asks ("implementations processing SIP messages over stream-oriented
transports MUST ignore any CRLF appearing before the start-line"); a client-side
framer (``expect_pongs=True``) reports every CRLF as :class:`KeepAlivePong`.

A message whose header block or Content-Length is unusable makes the rest of the
stream unframeable: ``next_event`` raises :class:`FramingError` then and ever
after, and the connection must be closed. A message that is framed correctly but
malformed inside raises a plain :class:`SipParseError`; its octets are consumed
and the stream goes on: it is a :class:`MalformedMessage`, which keeps the lexed
start line and header fields so that the caller can answer it with 400.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ariel.sip.errors import FramingError, SipParseError
from ariel.sip.headers import Headers
from ariel.sip.message import Message, build_message, content_length, lex_head

__all__ = [
    "PONG",
    "FramerEvent",
    "KeepAlivePing",
    "KeepAlivePong",
    "MalformedMessage",
    "MessageReceived",
    "StreamFramer",
]

PONG = b"\r\n"
"""What a server sends back for a :class:`KeepAlivePing` (RFC 5626 §4.4.1)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class MessageReceived:
    """A complete message arrived."""

    message: Message


@dataclass(frozen=True, slots=True, kw_only=True)
class KeepAlivePing:
    """A double-CRLF ping arrived; send :data:`PONG`."""


@dataclass(frozen=True, slots=True, kw_only=True)
class KeepAlivePong:
    """A single-CRLF pong arrived (client side)."""


FramerEvent = MessageReceived | KeepAlivePing | KeepAlivePong


class MalformedMessage(SipParseError):
    """A message framed correctly but malformed inside; the stream goes on.

    Attributes:
        start: Its start line.
        headers: Its header fields, as lexed.
    """

    def __init__(self, error: SipParseError, *, start: str, headers: Headers) -> None:
        super().__init__(error.reason, error.status)
        self.start = start
        self.headers = headers


class StreamFramer:
    """Cuts a stream into SIP messages and keep-alives.

    >>> framer = StreamFramer()
    >>> framer.feed(b"\\r\\n\\r\\n")
    >>> list(framer)
    [KeepAlivePing()]
    """

    def __init__(
        self,
        *,
        expect_pongs: bool = False,
        max_header_size: int = 65536,
        max_body_size: int = 16 * 1024 * 1024,
    ) -> None:
        self._buffer = bytearray()
        self._expect_pongs = expect_pongs
        self._max_header = max_header_size
        self._max_body = max_body_size
        self._scanned = 0  # how far the search for the blank line has got
        self._pending: tuple[str, Headers, int] | None = None  # head read, body awaited
        self._broken: FramingError | None = None

    @property
    def buffered(self) -> int:
        """Octets received but not yet returned as an event."""
        return len(self._buffer)

    def feed(self, data: bytes) -> None:
        """Append octets read from the stream."""
        self._buffer += data

    def __iter__(self) -> Iterator[FramerEvent]:
        while (event := self.next_event()) is not None:
            yield event

    def next_event(self) -> FramerEvent | None:
        """The next message or keep-alive, or ``None`` until more octets arrive.

        Raises:
            FramingError: The stream cannot be framed; close the connection.
            MalformedMessage: The message just consumed was malformed.
        """
        if self._broken is not None:
            raise self._broken
        try:
            return self._next()
        except FramingError as error:
            self._broken = error
            raise

    def _next(self) -> FramerEvent | None:
        if self._pending is None:
            keepalive, waiting = self._keepalive()
            if keepalive is not None:
                return keepalive
            if waiting or not self._find_head():
                return None
        return self._take_message()

    def _keepalive(self) -> tuple[FramerEvent | None, bool]:
        """A keep-alive at the front of the buffer; or whether to wait for more."""
        buffer = self._buffer
        while buffer.startswith(b"\r\n"):
            if self._expect_pongs:
                del buffer[:2]
                return KeepAlivePong(), False
            if buffer.startswith(b"\r\n\r\n"):
                del buffer[:4]
                return KeepAlivePing(), False
            if b"\r\n\r\n".startswith(buffer):
                return None, True  # maybe the first half of a ping
            del buffer[:2]  # a lone CRLF before a start line: ignored
        return None, not buffer or buffer == b"\r"

    def _find_head(self) -> bool:
        buffer = self._buffer
        end = buffer.find(b"\r\n\r\n", max(self._scanned - 3, 0))
        if end < 0:
            self._scanned = len(buffer)
            if len(buffer) > self._max_header:
                raise FramingError(f"no end of header fields within {self._max_header} octets")
            return False
        if end > self._max_header:
            raise FramingError(f"header fields longer than {self._max_header} octets")
        try:
            start, headers = lex_head(bytes(buffer[:end]))
            length = content_length(headers)
        except SipParseError as error:
            raise FramingError(error.reason) from None
        if length is None:
            # RFC 3261 §18.3: "If a stream-based protocol (such as TCP) is used as
            # transport, the header field MUST be used."
            raise FramingError("no Content-Length on a stream transport")
        if length > self._max_body:
            raise FramingError(f"Content-Length {length} exceeds {self._max_body}")
        del buffer[: end + 4]
        self._scanned = 0
        self._pending = (start, headers, length)
        return True

    def _take_message(self) -> FramerEvent | None:
        assert self._pending is not None
        start, headers, length = self._pending
        if len(self._buffer) < length:
            return None
        body = bytes(self._buffer[:length])
        del self._buffer[:length]
        self._pending = None
        try:
            return MessageReceived(message=build_message(start, headers, body))
        except SipParseError as error:
            raise MalformedMessage(error, start=start, headers=headers) from None
