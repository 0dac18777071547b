"""The response a UAS owes a request it could not parse (400, or 505), when it can send one.

Theory of operation. RFC 3261 §21.4.1: "400 Bad Request: The request could not
be understood due to malformed syntax." RFC 4475 §3.1.2 expects an element to
answer most of its malformed requests so. A response can only be routed and
matched when the request's start line is a request and its top Via is
readable (§18.2.2 sends responses by Via; §17.1.3 matches them by branch), so
that is the least this needs; whatever of From, To, Call-ID and CSeq is
present is copied as it came (§8.2.6.2), the To gaining our tag when it has
none and can be read. An ACK is never answered (§17.1.1.3 ACKs get no
response). The answer is stateless: a retransmission gets it again.
"""

from __future__ import annotations

import re

from ariel.sip._grammar import is_token
from ariel.sip.address import parse_address
from ariel.sip.errors import SipParseError
from ariel.sip.fields import parse_via_list
from ariel.sip.headers import Headers
from ariel.sip.message import Response, lex_head
from ariel.sip.reasons import reason_phrase

__all__ = ["answer_malformed", "answer_malformed_datagram"]

_VERSION = re.compile(r"SIP/\d+\.\d+", re.IGNORECASE)


def answer_malformed(
    start: str, headers: Headers, error: SipParseError, *, to_tag: str
) -> Response | None:
    """The response to a lexed request that failed to parse, or ``None`` for no answer.

    Args:
        start: The start line as lexed.
        headers: The header fields as lexed.
        error: Why it failed; ``error.status`` is the status sent (400 or 505).
        to_tag: Our To tag, added when the request's To has none.

    Returns:
        ``None`` for a response, an ACK, or a request without a readable top Via.
    """
    parts = start.split()  # extra or trailing SPs are the malformation, not a reason to drop
    if len(parts) < 2 or not is_token(parts[0]) or parts[0] == "ACK":
        return None
    if not _VERSION.fullmatch(parts[-1]) or start.upper().startswith("SIP/"):
        return None
    vias = headers.lines("Via")
    try:
        if not vias or not parse_via_list(vias[0]):
            return None
    except SipParseError:
        return None
    fields = [("Via", value) for value in vias]
    for name in ("From", "To", "Call-ID", "CSeq"):
        value = headers.get(name)
        if value is None:
            continue
        if name == "To" and _tagless(value):
            value = f"{value};tag={to_tag}"
        fields.append((name, value))
    fields.append(("Content-Length", "0"))
    return Response(
        status=error.status, reason=reason_phrase(error.status), headers=Headers(tuple(fields))
    )


def answer_malformed_datagram(data: bytes, error: SipParseError, *, to_tag: str) -> Response | None:
    """:func:`answer_malformed` for a datagram ``parse_message`` refused.

    Returns:
        The response, or ``None`` when the octets are not even a header block.
    """
    head = data.lstrip(b"\r\n")
    end = head.find(b"\r\n\r\n")
    head = head[:end] if end >= 0 else head.rstrip(b"\r\n")
    try:
        start, headers = lex_head(head)
    except SipParseError:
        return None
    return answer_malformed(start, headers, error, to_tag=to_tag)


def _tagless(value: str) -> bool:
    try:
        return parse_address(value).tag is None
    except SipParseError:
        return False
