"""SIP requests and responses: parse from bytes, write to bytes, answer requests.

Theory of operation. A message is lexed in two steps. ``lex_head`` turns the bytes
before the blank line into a start line and a :class:`Headers` collection (lines
unfolded, names canonical); it fails only on bytes that are not a header block at
all. ``build_message`` then interprets them: start line, SIP version, the
mandatory header fields, CSeq against the method, every Via, To, From, Contact.
The datagram entry point ``parse_message`` frames the body by Content-Length
(RFC 3261 §18.3); :mod:`ariel.sip.framing` does the same for streams and shares
both steps.

Text is decoded as UTF-8 with surrogate escapes, so every octet of a header (the
NULs and bare UTF-8 of RFC 4475 §3.1.1.2 included) survives a parse and write.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ariel.sip._grammar import WSP, is_token, parse_digits
from ariel.sip.address import Address, parse_address, parse_address_list
from ariel.sip.errors import SipParseError
from ariel.sip.fields import CSeq, Via, parse_cseq, parse_via_list
from ariel.sip.headers import Headers
from ariel.sip.reasons import reason_phrase
from ariel.sip.uri import SipUri, Uri, parse_uri

__all__ = [
    "SIP_VERSION",
    "Message",
    "Request",
    "Response",
    "build_message",
    "content_length",
    "is_keepalive",
    "lex_head",
    "make_response",
    "parse_message",
    "serialize",
]

SIP_VERSION = "SIP/2.0"
_VERSION = re.compile(r"SIP/\d+\.\d+", re.IGNORECASE)
_MAX_CONTENT_LENGTH = 2**31 - 1
# RFC 3261 §8.1.1: "A valid SIP request formulated by a UAC MUST, at a minimum,
# contain the following header fields: To, From, CSeq, Call-ID, Max-Forwards, and
# Via; all of these header fields are mandatory in all SIP requests."
_REQUEST_MANDATORY = ("To", "From", "CSeq", "Call-ID", "Max-Forwards", "Via")
# §8.2.6.2 copies Via, From, To, Call-ID and CSeq into every response.
_RESPONSE_MANDATORY = ("To", "From", "CSeq", "Call-ID", "Via")
_SINGLE = ("To", "From", "CSeq", "Call-ID", "Max-Forwards", "Content-Length")
EMPTY_HEADERS = Headers()


class _MessageFields:
    """Typed views of the header fields every request and response carries."""

    __slots__ = ()
    headers: Headers

    def _required(self, name: str) -> str:
        value = self.headers.get(name)
        if value is None:
            raise SipParseError(f"missing {name} header field")
        return value

    @property
    def call_id(self) -> str:
        """The Call-ID."""
        return self._required("Call-ID")

    @property
    def cseq(self) -> CSeq:
        """The CSeq number and method."""
        return parse_cseq(self._required("CSeq"))

    @property
    def from_address(self) -> Address:
        """The From header field value."""
        return parse_address(self._required("From"))

    @property
    def to_address(self) -> Address:
        """The To header field value."""
        return parse_address(self._required("To"))

    @property
    def from_tag(self) -> str | None:
        """The From tag."""
        return self.from_address.tag

    @property
    def to_tag(self) -> str | None:
        """The To tag (``None`` outside a dialog)."""
        return self.to_address.tag

    @property
    def vias(self) -> tuple[Via, ...]:
        """Every Via value, topmost first."""
        return tuple(via for line in self.headers.lines("Via") for via in parse_via_list(line))

    @property
    def top_via(self) -> Via:
        """The topmost Via."""
        vias = self.vias
        if not vias:
            raise SipParseError("missing Via header field")
        return vias[0]

    @property
    def branch(self) -> str | None:
        """The branch parameter of the topmost Via."""
        return self.top_via.branch

    @property
    def contacts(self) -> tuple[Address, ...]:
        """Every Contact value (empty for none and for the ``*`` of a REGISTER)."""
        values = self.headers.get_all("Contact")
        if values == ("*",):
            return ()
        return tuple(parse_address(value) for value in values)

    @property
    def content_type(self) -> str | None:
        """The media type of the body, lower-cased and without parameters."""
        value = self.headers.get("Content-Type")
        return value.split(";", 1)[0].strip(WSP).lower() if value is not None else None


@dataclass(frozen=True, slots=True, kw_only=True)
class Request(_MessageFields):
    """A SIP request: ``method uri SIP/2.0``, header fields, body."""

    method: str
    uri: Uri
    headers: Headers = EMPTY_HEADERS
    body: bytes = b""

    @property
    def max_forwards(self) -> int:
        """The Max-Forwards count."""
        return parse_digits(self._required("Max-Forwards"), "Max-Forwards", maximum=255)


@dataclass(frozen=True, slots=True, kw_only=True)
class Response(_MessageFields):
    """A SIP response: ``SIP/2.0 status reason``, header fields, body."""

    status: int
    reason: str
    headers: Headers = EMPTY_HEADERS
    body: bytes = b""


Message = Request | Response


def is_keepalive(datagram: bytes) -> bool:
    """Whether a datagram is only CRLFs (a keep-alive, not a message)."""
    return not datagram.replace(b"\r\n", b"")


def lex_head(head: bytes) -> tuple[str, Headers]:
    """Split the octets before the blank line into start line and header fields.

    RFC 3261 §7.3.1: "Header fields can be extended over multiple lines by
    preceding each extra line with at least one SP or horizontal tab (HT)." Each
    such fold becomes one SP.
    """
    text = head.decode("utf-8", "surrogateescape")
    lines = text.split("\r\n")
    if any("\r" in line or "\n" in line for line in lines):
        # §7: "the start-line, each message-header line, and the empty line MUST be
        # terminated by a carriage-return line-feed sequence (CRLF)".
        raise SipParseError("bare CR or LF in the header fields")
    start, fields = lines[0], list[tuple[str, str]]()
    for line in lines[1:]:
        if line[:1] in (" ", "\t"):
            if not fields:
                raise SipParseError("the start line cannot be folded")
            name, value = fields[-1]
            fields[-1] = (name, f"{value} {line.lstrip(WSP)}")
            continue
        name, colon, value = line.partition(":")
        name = name.rstrip(WSP)
        if not colon or not is_token(name):
            raise SipParseError(f"bad header line: {line[:60]!r}")
        fields.append((name, value))
    return start, Headers(tuple((name, value.strip(WSP)) for name, value in fields))


def content_length(headers: Headers) -> int | None:
    """The Content-Length, ``None`` when absent.

    Raises:
        SipParseError: If it is not a number, or appears more than once (RFC 4475
            §3.1.2.3 and §3.3.9: nobody can know where such a body ends).
    """
    values = headers.lines("Content-Length")
    if not values:
        return None
    if len(values) > 1:
        raise SipParseError("multiple Content-Length header fields")
    return parse_digits(values[0], "Content-Length", maximum=_MAX_CONTENT_LENGTH)


def parse_message(data: bytes) -> Message:
    """Parse one SIP message that arrived as one datagram.

    RFC 3261 §18.3: "If the transport packet ends before the end of the message
    body, this is considered an error." and "If there are additional bytes in the
    transport packet beyond the end of the body, they MUST be discarded."
    Without Content-Length "the message body is assumed to end at the end of the
    transport packet".

    Raises:
        SipParseError: For any malformed message; ``status`` is the response owed.
    """
    begin = 0
    while data.startswith(b"\r\n", begin):  # CRLFs before the start line (§7.5)
        begin += 2
    end = data.find(b"\r\n\r\n", begin)
    if end < 0:
        raise SipParseError("no blank line ends the header fields")
    start, headers = lex_head(data[begin:end])
    rest = data[end + 4 :]
    length = content_length(headers)
    if length is None:
        return build_message(start, headers, rest)
    if len(rest) < length:
        raise SipParseError(f"body is {len(rest)} octets, Content-Length says {length}")
    return build_message(start, headers, rest[:length])


def build_message(start: str, headers: Headers, body: bytes) -> Message:
    """Interpret a lexed message and check what RFC 3261 requires of it."""
    if start.upper().startswith("SIP/"):
        message: Message = _response(start, headers, body)
        mandatory: tuple[str, ...] = _RESPONSE_MANDATORY
    else:
        message = _request(start, headers, body)
        mandatory = _REQUEST_MANDATORY
    for name in mandatory:
        if name not in headers:
            raise SipParseError(f"missing {name} header field")
    for name in _SINGLE:
        if len(headers.lines(name)) > 1:
            raise SipParseError(f"multiple {name} header fields")
    _check_fields(message)
    return message


def _check_version(version: str) -> None:
    if version.upper() == SIP_VERSION:
        return
    if _VERSION.fullmatch(version):
        # RFC 3261 §8.2.2: a request with an unsupported version gets 505.
        raise SipParseError(f"unsupported version {version}", status=505)
    raise SipParseError(f"bad SIP version: {version[:20]!r}")


def _response(start: str, headers: Headers, body: bytes) -> Response:
    # Status-Line = SIP-Version SP Status-Code SP Reason-Phrase CRLF; a missing
    # SP before an empty phrase is tolerated (RFC 4475 §3.1.1.13 notes it).
    version, _, rest = start.partition(" ")
    _check_version(version)
    code, _, reason = rest.partition(" ")
    if len(code) != 3 or not code.isascii() or not code.isdigit() or not 100 <= int(code) <= 699:
        raise SipParseError(f"bad status code: {code[:20]!r}")
    if "\r" in reason or "\n" in reason:
        raise SipParseError("bad reason phrase")
    return Response(status=int(code), reason=reason, headers=headers, body=body)


def _request(start: str, headers: Headers, body: bytes) -> Request:
    # Request-Line = Method SP Request-URI SP SIP-Version CRLF -- exactly two SPs
    # (RFC 4475 §3.1.2.8-10 put LWS in the URI, extra SPs, trailing SPs).
    parts = start.split(" ")
    if len(parts) != 3 or not all(parts):
        raise SipParseError(f"bad Request-Line: {start[:80]!r}")
    method, uri_text, version = parts
    _check_version(version)
    if not is_token(method):
        raise SipParseError(f"bad method: {method[:40]!r}")
    uri = parse_uri(uri_text)
    # RFC 3261 §19.1.1 (table): headers are "not allowed" in a Request-URI.
    if isinstance(uri, SipUri) and uri.headers:
        raise SipParseError("the Request-URI carries URI headers")
    return Request(method=method, uri=uri, headers=headers, body=body)


def _check_fields(message: Message) -> None:
    cseq = message.cseq
    if isinstance(message, Request):
        message.max_forwards  # noqa: B018 - parses and range-checks
        # RFC 3261 §8.1.1.5: "The method MUST match that of the request."
        if cseq.method != message.method:
            raise SipParseError(f"CSeq method {cseq.method} does not match {message.method}")
    if not message.call_id:
        raise SipParseError("empty Call-ID")
    message.from_address  # noqa: B018 - parses To and From
    to = message.to_address
    # §12.1.2: a 2xx to an INVITE creates a dialog, and a dialog needs the callee's
    # To tag (§8.2.6.2: "the UAS MUST add a tag"). Without one no ACK can be built:
    # drop it, and the INVITE's Timer B ends the call.
    dialog_forming = isinstance(message, Response) and 200 <= message.status < 300
    if dialog_forming and cseq.method == "INVITE" and not to.tag:
        raise SipParseError("2xx to INVITE without a To tag")
    vias = message.vias
    if not vias:
        raise SipParseError("empty Via header field")
    for via in vias:
        via.rport, via.ttl  # noqa: B018 - range-checks the numeric parameters
    for value in message.headers.lines("Contact"):
        if value != "*":
            parse_address_list(value)
    # A dialog's route set is read from Record-Route (RFC 3261 §12.1.1, §12.1.2):
    # one that cannot be read fails the message here, not the dialog later.
    for value in message.headers.lines("Record-Route"):
        parse_address_list(value)


def serialize(message: Message) -> bytes:
    """Write a message, with a Content-Length that matches its body.

    A correct Content-Length stays where and as it was; a wrong or missing one is
    replaced in place or appended.

    Raises:
        ValueError: If a header name or value holds CR or LF.
    """
    if isinstance(message, Request):
        start = f"{message.method} {message.uri} {SIP_VERSION}"
    else:
        start = f"{SIP_VERSION} {message.status:03d} {message.reason}"
    headers = message.headers
    try:
        correct = content_length(headers) == len(message.body)
    except SipParseError:
        correct = False
    if not correct:
        headers = headers.with_set("Content-Length", str(len(message.body)))
    lines = [start, *(f"{name}: {value}" for name, value in headers)]
    if any("\r" in line or "\n" in line for line in lines):
        raise ValueError("a header field holds CR or LF")
    head = "\r\n".join(lines) + "\r\n\r\n"
    return head.encode("utf-8", "surrogateescape") + message.body


def make_response(
    request: Request,
    status: int,
    reason: str | None = None,
    *,
    to_tag: str | None = None,
    headers: Iterable[tuple[str, str]] = (),
    body: bytes = b"",
) -> Response:
    """Build the response a UAS sends to ``request`` (RFC 3261 §8.2.6).

    §8.2.6.2: "The From field of the response MUST equal the From header field of
    the request. The Call-ID header field of the response MUST equal the Call-ID
    header field of the request. The CSeq header field of the response MUST equal
    the CSeq field of the request. The Via header field values in the response
    MUST equal the Via header field values in the request and MUST maintain the
    same ordering." A ``to_tag`` is added only when the request's To has none:
    "If a request contained a To tag in the request, the To header field in the
    response MUST equal that of the request."

    Args:
        request: The request being answered.
        status: The status code.
        reason: The reason phrase; the registered one when ``None``.
        to_tag: The UAS's tag for a dialog-forming or final response.
        headers: Further header fields, after the copied ones.
        body: The body; Content-Length is set to match it.
    """
    fields = [("Via", value) for value in request.headers.lines("Via")]
    to = request.headers.get("To") or ""
    if to_tag is not None and request.to_tag is None:
        to = f"{to};tag={to_tag}"
    fields += [("From", request.headers.get("From") or ""), ("To", to)]
    fields += [("Call-ID", request.call_id), ("CSeq", request.headers.get("CSeq") or "")]
    timestamp = request.headers.get("Timestamp")
    if status == 100 and timestamp is not None:
        # §8.2.6.1: "If there is a Timestamp header field in the request, the UAS
        # MUST copy it into this 100 (Trying) response."
        fields.append(("Timestamp", timestamp))
    fields += list(headers)
    fields.append(("Content-Length", str(len(body))))
    return Response(
        status=status,
        reason=reason_phrase(status) if reason is None else reason,
        headers=Headers(tuple(fields)),
        body=body,
    )
