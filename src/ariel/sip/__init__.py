"""ariel.sip: a sans-IO SIP stack -- bytes in, frozen objects out, no sockets, no clock.

Modules: ``uri`` and ``address`` (RFC 3261 §19, §20.10), ``headers`` (the header
collection, compact forms), ``fields`` (Via, CSeq, branch and tag makers),
``message`` (parse, serialize, make_response), ``framing`` (TCP streams, RFC 5626
keep-alives), ``sdp`` and ``offer_answer`` (RFC 4566, RFC 3264), ``digest``
(RFC 7616). Everything raises :class:`SipParseError` (or a named subclass) for
malformed input and nothing else.
"""

from ariel.sip.address import Address, parse_address
from ariel.sip.digest import Challenge, DigestCredentials, DigestError
from ariel.sip.errors import FramingError, SipParseError
from ariel.sip.fields import CSeq, Via, new_branch, new_tag
from ariel.sip.framing import KeepAlivePing, KeepAlivePong, MessageReceived, StreamFramer
from ariel.sip.headers import Headers
from ariel.sip.message import Message, Request, Response, make_response, parse_message, serialize
from ariel.sip.offer_answer import NegotiatedAudio, NoCommonCodec, answer_offer, make_offer
from ariel.sip.sdp import SdpError, SessionDescription, parse_sdp, serialize_sdp
from ariel.sip.uri import AbsoluteUri, SipUri, TelUri, Uri, parse_uri, uri_equal

__all__ = [
    "AbsoluteUri",
    "Address",
    "CSeq",
    "Challenge",
    "DigestCredentials",
    "DigestError",
    "FramingError",
    "Headers",
    "KeepAlivePing",
    "KeepAlivePong",
    "Message",
    "MessageReceived",
    "NegotiatedAudio",
    "NoCommonCodec",
    "Request",
    "Response",
    "SdpError",
    "SessionDescription",
    "SipParseError",
    "SipUri",
    "StreamFramer",
    "TelUri",
    "Uri",
    "Via",
    "answer_offer",
    "make_offer",
    "make_response",
    "new_branch",
    "new_tag",
    "parse_address",
    "parse_message",
    "parse_sdp",
    "parse_uri",
    "serialize",
    "serialize_sdp",
    "uri_equal",
]
