"""A request that fails to parse is answered 400 (505 for another SIP version) when it can be.

RFC 4475 §3.1.2's malformed requests each get their status with Via, From,
To, Call-ID and CSeq copied as they came; responses, ACKs and requests without
a readable top Via get nothing. Over TCP the framer hands the lexed fields of
a framed-but-malformed message to the same function.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from sip_corpus import REJECTED, torture
from sip_mutations import HOSTILE_BYTES

from ariel.sip import Response, SipParseError, parse_message, serialize
from ariel.sip.framing import MalformedMessage, StreamFramer
from ariel.sip.malformed import answer_malformed, answer_malformed_datagram
from ariel.sip.message import lex_head

RESPONSES = {"scalarlg", "bigcode"}  # malformed responses: never answered
OPTIONS = (
    b"OPTIONS sip:ariel@192.0.2.1 SIP/2.0\r\n"
    b"Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKbad1\r\n"
    b"Via: SIP/2.0/UDP 192.0.2.99:5060;branch=z9hG4bKproxy\r\n"
    b"Max-Forwards: 70\r\n"
    b"From: <sip:alice@192.0.2.10>;tag=f1\r\n"
    b"To: <sip:ariel@192.0.2.1>\r\n"
    b"Call-ID: bad-1@192.0.2.10\r\n"
    b"CSeq: 7 OPTIONS\r\n"
    b"Content-Length: 0\r\n\r\n"
)


def _answer(data: bytes) -> Response | None:
    with pytest.raises(SipParseError) as caught:
        parse_message(data)
    return answer_malformed_datagram(data, caught.value, to_tag="ourtag")


@pytest.mark.parametrize(
    ("name", "status"), sorted((n, s) for n, s in REJECTED.items() if n not in RESPONSES)
)
def test_each_malformed_torture_request_is_answered_with_its_status(name: str, status: int) -> None:
    data = torture(name)
    response = _answer(data)
    if response is None:
        # Only a request whose top Via cannot be read goes unanswered.
        assert name == "badinv01"
        return
    assert response.status == status
    assert serialize(response).startswith(f"SIP/2.0 {status} ".encode())
    _, headers = lex_head(data.split(b"\r\n\r\n", 1)[0])
    assert response.headers.lines("Via") == headers.lines("Via")
    assert response.headers.get("Call-ID") == headers.get("Call-ID")


@pytest.mark.parametrize("name", sorted(RESPONSES))
def test_a_malformed_response_is_never_answered(name: str) -> None:
    assert _answer(torture(name)) is None


def test_a_request_without_call_id_gets_400_with_its_via_from_to_and_cseq() -> None:
    response = _answer(OPTIONS.replace(b"Call-ID: bad-1@192.0.2.10\r\n", b""))
    assert response is not None and (response.status, response.reason) == (400, "Bad Request")
    assert response.headers.lines("Via") == (
        "SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKbad1",
        "SIP/2.0/UDP 192.0.2.99:5060;branch=z9hG4bKproxy",
    )
    assert response.headers.get("From") == "<sip:alice@192.0.2.10>;tag=f1"
    assert response.headers.get("To") == "<sip:ariel@192.0.2.1>;tag=ourtag"
    assert response.headers.get("CSeq") == "7 OPTIONS"
    assert "Call-ID" not in response.headers
    assert response.headers.get("Content-Length") == "0"


def test_a_bad_cseq_is_copied_into_the_400_as_it_came() -> None:
    response = _answer(OPTIONS.replace(b"CSeq: 7 OPTIONS", b"CSeq: seven OPTIONS"))
    assert response is not None and response.status == 400
    assert response.headers.get("CSeq") == "seven OPTIONS"
    assert response.headers.get("Call-ID") == "bad-1@192.0.2.10"


def test_a_to_that_has_a_tag_keeps_it() -> None:
    data = OPTIONS.replace(b"To: <sip:ariel@192.0.2.1>", b"To: <sip:ariel@192.0.2.1>;tag=x")
    response = _answer(data.replace(b"Max-Forwards: 70", b"Max-Forwards: 999"))
    assert response is not None and response.headers.get("To") == "<sip:ariel@192.0.2.1>;tag=x"


def test_another_sip_version_gets_505() -> None:
    response = _answer(OPTIONS.replace(b" SIP/2.0\r\n", b" SIP/3.0\r\n", 1))
    assert response is not None and response.status == 505


@pytest.mark.parametrize(
    "data",
    [
        OPTIONS.replace(b"OPTIONS sip", b"ACK sip").replace(b"7 OPTIONS", b"7 BYE"),
        OPTIONS.replace(b"Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKbad1\r\n", b"").replace(
            b"Via: SIP/2.0/UDP 192.0.2.99", b"Via: broken 192.0.2.99"
        ),
        OPTIONS.replace(b"Via:", b"X-Via:").replace(b"7 OPTIONS", b"7 INFO"),
        b"\x00\xff garbage\r\n\r\n",
        b"SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h;branch=z9hG4bKx\r\n\r\n",
        b"OPTIONS sip:a@b HTTP/1.1\r\nVia: SIP/2.0/UDP h;branch=z9hG4bKx\r\n\r\n",
    ],
)
def test_no_answer_without_a_request_line_and_a_readable_top_via(data: bytes) -> None:
    assert _answer(data) is None


def test_over_tcp_a_framed_malformed_request_carries_what_the_answer_needs() -> None:
    framer = StreamFramer()
    framer.feed(OPTIONS.replace(b"Call-ID: bad-1@192.0.2.10\r\n", b"") + OPTIONS)
    with pytest.raises(MalformedMessage) as caught:
        framer.next_event()
    bad = caught.value
    response = answer_malformed(bad.start, bad.headers, bad, to_tag="t")
    assert response is not None and response.status == 400
    assert framer.next_event() is not None  # the stream goes on


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(HOSTILE_BYTES)
def test_any_refused_datagram_gets_a_writable_answer_or_none(data: bytes) -> None:
    try:
        parse_message(data)
    except SipParseError as error:
        response = answer_malformed_datagram(data, error, to_tag="t")
    else:
        return
    if response is not None:
        assert response.status in (400, 505)
        assert response.headers.lines("Via")
        head = serialize(response).split(b"\r\n", 1)[0]
        assert head in (b"SIP/2.0 400 Bad Request", b"SIP/2.0 505 Version Not Supported")
