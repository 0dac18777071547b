"""SIP MESSAGE (RFC 3428) for ARI's text messages: building requests, reading them.

Out: ``PUT /endpoints/sendMessage`` names a destination the way Asterisk's
``pjsip:`` message technology does -- an endpoint (``alice``), or an endpoint
and a URI (``alice/sip:alice@192.0.2.1``), or a bare SIP URI -- and a From
(a URI, or a user put on our own host). Variables travel as extra headers,
as ``X-`` headers do in chan_pjsip. In: a MESSAGE outside any dialog is
answered 202 and becomes a TextMessageReceived event.
"""

from __future__ import annotations

from collections.abc import Mapping

from ariel.core.messaging import TextMessage
from ariel.sip.address import Address
from ariel.sip.fields import new_tag
from ariel.sip.headers import Headers
from ariel.sip.invite_events import SessionConfig, make_via
from ariel.sip.message import Request
from ariel.sip.uri import SipUri, parse_uri

__all__ = ["incoming_text", "make_message", "make_options", "make_refer", "split_destination"]

#: Headers that are the request's own, never message variables.
_PROTOCOL_HEADERS = frozenset(
    {
        "via",
        "max-forwards",
        "from",
        "to",
        "contact",
        "call-id",
        "cseq",
        "content-type",
        "content-length",
        "user-agent",
        "allow",
        "authorization",
        "proxy-authorization",
        "route",
        "record-route",
        "expires",
    }
)


def split_destination(destination: str) -> tuple[str, str]:
    """``alice/sip:alice@host`` -> (``alice``, ``sip:alice@host``); either part may be empty."""
    if destination.lower().startswith(("sip:", "sips:")):
        return "", destination
    endpoint, _, uri = destination.partition("/")
    return endpoint, uri


def make_message(
    config: SessionConfig,
    *,
    uri: SipUri,
    sender: str,
    body: str,
    variables: Mapping[str, str],
    call_id: str,
) -> Request:
    """An out-of-dialog MESSAGE carrying ``body`` as text/plain (RFC 3428 §4)."""
    from_uri = parse_uri(sender) if sender.lower().startswith(("sip:", "sips:")) else None
    if not isinstance(from_uri, SipUri):
        host = config.via_host
        from_uri = SipUri(user=sender or "asterisk", host=host, port=config.via_port)
    sender_address = Address(uri=from_uri).with_tag(new_tag(config.random))
    payload = body.encode()
    fields = [
        ("Via", str(make_via(config))),
        ("Max-Forwards", "70"),
        ("From", str(sender_address)),
        ("To", str(Address(uri=uri))),
        ("Call-ID", call_id),
        ("CSeq", "1 MESSAGE"),
    ]
    if config.user_agent:
        fields.append(("User-Agent", config.user_agent))
    fields += [(name, value) for name, value in variables.items() if _is_header_name(name)]
    fields.append(("Content-Type", "text/plain"))
    fields.append(("Content-Length", str(len(payload))))
    return Request(method="MESSAGE", uri=uri, headers=Headers(tuple(fields)), body=payload)


def make_refer(
    config: SessionConfig,
    *,
    uri: SipUri,
    sender: str,
    refer_to: str,
    variables: Mapping[str, str],
    call_id: str,
) -> Request:
    """An out-of-dialog REFER asking ``uri`` to call ``refer_to`` (RFC 3515 §2.4.1)."""
    from_uri = parse_uri(sender) if sender.lower().startswith(("sip:", "sips:")) else None
    if not isinstance(from_uri, SipUri):
        from_uri = SipUri(user=sender or "asterisk", host=config.via_host, port=config.via_port)
    fields = [
        ("Via", str(make_via(config))),
        ("Max-Forwards", "70"),
        ("From", str(Address(uri=from_uri).with_tag(new_tag(config.random)))),
        ("To", str(Address(uri=uri))),
        ("Contact", str(config.contact)),
        ("Call-ID", call_id),
        ("CSeq", "1 REFER"),
        ("Refer-To", f"<{refer_to}>"),
        ("Referred-By", f"<{from_uri}>"),
    ]
    if config.user_agent:
        fields.append(("User-Agent", config.user_agent))
    fields += [(name, value) for name, value in variables.items() if _is_header_name(name)]
    fields.append(("Content-Length", "0"))
    return Request(method="REFER", uri=uri, headers=Headers(tuple(fields)))


def make_options(config: SessionConfig, *, uri: SipUri, call_id: str) -> Request:
    """An out-of-dialog OPTIONS, as qualify sends it (RFC 3261 §11)."""
    sender = Address(uri=SipUri(user="asterisk", host=config.via_host, port=config.via_port))
    fields = [
        ("Via", str(make_via(config))),
        ("Max-Forwards", "70"),
        ("From", str(sender.with_tag(new_tag(config.random)))),
        ("To", str(Address(uri=uri))),
        ("Contact", str(config.contact)),
        ("Call-ID", call_id),
        ("CSeq", "1 OPTIONS"),
    ]
    if config.user_agent:
        fields.append(("User-Agent", config.user_agent))
    fields.append(("Content-Length", "0"))
    return Request(method="OPTIONS", uri=uri, headers=Headers(tuple(fields)))


def incoming_text(request: Request) -> TextMessage:
    """What a received MESSAGE says, as ARI's TextMessage."""
    variables = {
        name: value
        for name, value in request.headers
        if name.lower() not in _PROTOCOL_HEADERS and name.lower().startswith("x-")
    }
    return TextMessage(
        from_=str(request.from_address.uri),
        to=str(request.uri),
        body=request.body.decode(errors="replace"),
        variables=variables,
    )


def _is_header_name(name: str) -> bool:
    return bool(name) and all(c.isalnum() or c in "-_." for c in name)
