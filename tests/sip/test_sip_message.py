"""Parsing, checking and writing SIP messages; building responses."""

from __future__ import annotations

import pytest
from sip_corpus import everyday

from ariel.sip import (
    Headers,
    Request,
    Response,
    SipParseError,
    make_response,
    parse_message,
    parse_uri,
    serialize,
)
from ariel.sip.message import is_keepalive
from ariel.sip.reasons import reason_phrase

HEAD = (
    "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK776asdhds\r\n"
    "Max-Forwards: 70\r\n"
    "To: Bob <sip:bob@example.com>\r\n"
    "From: Alice <sip:alice@example.com>;tag=1928301774\r\n"
    "Call-ID: a84b4c76e66710@pc33.example.com\r\n"
    "CSeq: 314159 OPTIONS\r\n"
)


def _options(head: str = HEAD, tail: str = "Content-Length: 0\r\n\r\n") -> bytes:
    return ("OPTIONS sip:bob@example.com SIP/2.0\r\n" + head + tail).encode()


def _request(data: bytes) -> Request:
    message = parse_message(data)
    assert isinstance(message, Request)
    return message


def test_request_exposes_typed_views_of_its_header_fields() -> None:
    message = _request(_options())
    assert message.method == "OPTIONS" and message.uri == parse_uri("sip:bob@example.com")
    assert message.call_id == "a84b4c76e66710@pc33.example.com"
    assert (message.cseq.number, message.cseq.method) == (314159, "OPTIONS")
    assert (message.from_tag, message.to_tag) == ("1928301774", None)
    assert message.branch == "z9hG4bK776asdhds" and message.top_via.port == 5060
    assert message.max_forwards == 70 and message.content_type is None


def test_content_type_is_the_bare_lower_case_media_type() -> None:
    message = _request(_options(tail="Content-Type: Application/SDP ; charset=x\r\nl: 0\r\n\r\n"))
    assert message.content_type == "application/sdp"


def test_folded_header_lines_are_unfolded_into_one_space() -> None:
    message = _request(
        _options(tail="Subject: I know\r\n   you're there,\r\n\tpick up\r\nl: 0\r\n\r\n")
    )
    assert message.headers.get("Subject") == "I know you're there, pick up"


def test_body_without_content_length_runs_to_the_end_of_the_datagram() -> None:
    assert _request(_options(tail="\r\nhello")).body == b"hello"


def test_body_longer_than_content_length_is_cut_and_the_rest_discarded() -> None:
    assert _request(_options(tail="Content-Length: 3\r\n\r\nhello")).body == b"hel"


def test_contact_star_reads_as_no_contacts() -> None:
    assert _request(_options(tail="Contact: *\r\nl: 0\r\n\r\n")).contacts == ()


@pytest.mark.parametrize(
    ("data", "message", "status"),
    [
        (b"", "no blank line", 400),
        (b"OPTIONS sip:a@b SIP/2.0\r\nTo: x", "no blank line", 400),
        (b"OPTIONS sip:a@b SIP/2.0\r\n Folded: x\r\n\r\n", "start line cannot be folded", 400),
        (_options(tail="NoColonHere\r\n\r\n"), "bad header line", 400),
        (_options(tail="Bad Name: x\r\n\r\n"), "bad header line", 400),
        (_options(tail="X-A: a\nb\r\n\r\n"), "bare CR or LF", 400),
        (_options().replace(b"SIP/2.0\r\n", b"SIP/3.1\r\n", 1), "unsupported version", 505),
        (_options().replace(b"SIP/2.0\r\n", b"HTTP/1.1\r\n", 1), "bad SIP version", 400),
        (_options().replace(b"OPTIONS", b"OPT(ONS", 1), "bad method", 400),
        (_options().replace(b".com SIP/2.0", b".com?x=y SIP/2.0", 1), "URI headers", 400),
        (_options(HEAD.replace("To:", "X-To:")), "missing To", 400),
        (_options(HEAD.replace("Max-Forwards: 70\r\n", "")), "missing Max-Forwards", 400),
        (_options(HEAD.replace("Via:", "X-Via:")), "missing Via", 400),
        (_options(HEAD + "Call-ID: again\r\n"), "multiple Call-ID", 400),
        (_options(HEAD.replace("314159 OPTIONS", "1 INVITE")), "does not match", 400),
        (_options(HEAD.replace("70", "256")), "Max-Forwards is out of range", 400),
        (_options(HEAD.replace("a84b4c76e66710@pc33.example.com", "")), "empty Call-ID", 400),
        (_options(tail="Content-Length: five\r\n\r\n"), "Content-Length is not a number", 400),
        (_options(tail="Content-Length: 10\r\n\r\nshort"), "body is 5 octets", 400),
        (_options(tail="Content-Length: 1\r\nl: 1\r\n\r\nx"), "multiple Content-Length", 400),
        (_options(tail="Contact: <sip:a@b>;;\r\nl: 0\r\n\r\n"), "bad parameter name", 400),
        (b"SIP/2.0 20 OK\r\n" + HEAD.encode() + b"\r\n", "bad status code", 400),
        (b"SIP/2.0 700 Huh\r\n" + HEAD.encode() + b"\r\n", "bad status code", 400),
    ],
)
def test_malformed_message_raises_a_named_error(data: bytes, message: str, status: int) -> None:
    with pytest.raises(SipParseError, match=message) as caught:
        parse_message(data)
    assert caught.value.status == status


def test_response_without_reason_phrase_or_its_space_is_tolerated() -> None:
    data = b"SIP/2.0 180\r\n" + HEAD.encode() + b"\r\n"
    message = parse_message(data)
    assert isinstance(message, Response) and (message.status, message.reason) == (180, "")


def test_response_needs_no_max_forwards() -> None:
    head = HEAD.replace("Max-Forwards: 70\r\n", "")
    assert isinstance(parse_message(f"SIP/2.0 200 OK\r\n{head}\r\n".encode()), Response)


def test_serialize_sets_a_missing_or_wrong_content_length() -> None:
    message = _request(_options(tail="Content-Length: 0\r\n\r\n"))
    wrong = Request(method="OPTIONS", uri=message.uri, headers=message.headers, body=b"abc")
    assert b"\r\nContent-Length: 3\r\n\r\nabc" in serialize(wrong)
    bare = Request(
        method="OPTIONS", uri=message.uri, headers=message.headers.without("l"), body=b"xy"
    )
    assert serialize(bare).endswith(b"CSeq: 314159 OPTIONS\r\nContent-Length: 2\r\n\r\nxy")


def test_serialize_refuses_header_injection() -> None:
    message = _request(_options())
    evil = Request(
        method="OPTIONS",
        uri=message.uri,
        headers=message.headers.with_added("Subject", "x\r\nVia: forged"),
    )
    with pytest.raises(ValueError, match="CR or LF"):
        serialize(evil)


def test_make_response_copies_the_fields_section_8_2_6_2_names() -> None:
    request = _request(everyday("phone_invite"))
    response = make_response(request, 180, to_tag="as7d9", headers=[("Contact", "<sip:a@b>")])
    assert (response.status, response.reason) == (180, "Ringing")
    assert response.headers.lines("Via") == request.headers.lines("Via")
    assert response.headers.get("From") == request.headers.get("From")
    assert response.headers.get("To") == f"{request.headers.get('To')};tag=as7d9"
    assert response.call_id == request.call_id and response.cseq == request.cseq
    assert response.headers.get("Contact") == "<sip:a@b>"
    assert parse_message(serialize(response)) == response


def test_make_response_keeps_an_existing_to_tag() -> None:
    request = _request(everyday("bye"))
    response = make_response(request, 200, to_tag="other")
    assert response.headers.get("To") == request.headers.get("To")


def test_make_response_copies_timestamp_into_100_trying_only() -> None:
    request = _request(_options(tail="Timestamp: 54\r\nl: 0\r\n\r\n"))
    assert make_response(request, 100).headers.get("Timestamp") == "54"
    assert make_response(request, 200).headers.get("Timestamp") is None


def test_make_response_sets_content_length_for_its_body() -> None:
    request = _request(everyday("phone_invite"))
    response = make_response(
        request, 200, "Fine", headers=[("Content-Type", "application/sdp")], body=b"v=0\r\n"
    )
    assert response.reason == "Fine" and response.headers.get("Content-Length") == "5"


def test_reason_phrase_falls_back_to_the_class_phrase() -> None:
    assert reason_phrase(488) == "Not Acceptable Here"
    assert reason_phrase(499) == "Bad Request"
    assert reason_phrase(699) == "Busy Everywhere"


def test_crlf_only_datagram_is_a_keepalive() -> None:
    assert is_keepalive(b"\r\n\r\n") and is_keepalive(b"\r\n")
    assert not is_keepalive(b"\r\nX")


def test_messages_are_frozen_values() -> None:
    message = _request(_options())
    with pytest.raises(AttributeError):
        message.method = "BYE"  # type: ignore[misc]
    assert message == _request(_options())
    assert Headers((("l", "0"),)) == Headers((("Content-Length", "0"),))
