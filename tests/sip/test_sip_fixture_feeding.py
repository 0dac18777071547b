"""Every wire fixture fed whole, byte by byte through the stream framer, and with
trailing data, in datagrams and on streams."""

from __future__ import annotations

import re

import pytest
from sip_corpus import ACCEPTED_SEMANTIC, EVERYDAY, REJECTED, VALID, everyday, torture

from ariel.sip import (
    FramingError,
    KeepAlivePing,
    Message,
    MessageReceived,
    Request,
    SipParseError,
    StreamFramer,
    parse_message,
    serialize,
)
from ariel.sip.framing import FramerEvent

PARSED = [(name, torture) for name in VALID + tuple(ACCEPTED_SEMANTIC)] + [
    (name, everyday) for name in EVERYDAY
]
STREAMED = [(name, load) for name, load in PARSED if name != "dblreq"]
NEXT = everyday("options")


def _events(chunks: list[bytes]) -> list[FramerEvent]:
    framer = StreamFramer()
    events: list[FramerEvent] = []
    for chunk in chunks:
        framer.feed(chunk)
        events.extend(framer)
    return events


def _messages(events: list[FramerEvent]) -> list[Message]:
    return [event.message for event in events if isinstance(event, MessageReceived)]


@pytest.mark.parametrize(("name", "load"), PARSED)
def test_fixture_parses_the_same_whole_and_with_trailing_data(name: str, load: object) -> None:
    data = load(name)  # type: ignore[operator]
    message = parse_message(data)
    if message.headers.get("Content-Length") is not None:
        # RFC 3261 §18.3: octets after the body "MUST be discarded".
        assert parse_message(data + b"\r\n\r\n") == message
        assert parse_message(data + b"garbage that is not SIP") == message
    # CRLFs before the start line are ignored too (§7.5).
    assert parse_message(b"\r\n\r\n" + data) == message


@pytest.mark.parametrize(("name", "load"), STREAMED)
def test_fixture_frames_whole_byte_by_byte_and_followed_by_another(name: str, load: object) -> None:
    data = load(name)  # type: ignore[operator]
    expected = parse_message(data)
    whole = _messages(_events([data]))
    assert whole[0] == expected
    single = _messages(_events([data[i : i + 1] for i in range(len(data))]))
    assert single == whole
    followed = _messages(_events([b"\r\n\r\n" + data + NEXT]))
    assert followed == [expected, parse_message(NEXT)]


def test_dblreq_on_a_stream_frames_both_requests_then_breaks_on_the_noise() -> None:
    # §3.1.1.8 is a datagram case; on a stream the "INVITE" is a real message and
    # the three octets its body overruns its Content-Length cannot be framed.
    framer = StreamFramer()
    framer.feed(torture("dblreq"))
    first, second = framer.next_event(), framer.next_event()
    assert isinstance(first, MessageReceived) and isinstance(second, MessageReceived)
    assert isinstance(second.message, Request)
    assert (first.message, second.message.method) == (parse_message(torture("dblreq")), "INVITE")
    with pytest.raises(FramingError):
        framer.next_event()


@pytest.mark.parametrize("name", sorted(REJECTED))
def test_rejected_fixture_fails_on_a_stream_as_in_a_datagram(name: str) -> None:
    data = torture(name)
    framer = StreamFramer()
    framer.feed(data)
    if name == "clerr":
        # §3.1.2.2: on a stream "there's not much the receiving party could do but
        # wait for more data".
        assert framer.next_event() is None and framer.buffered > 0
        return
    with pytest.raises(SipParseError):
        list(framer)


@pytest.mark.parametrize("name", ["mcl01", "ncl", "inv2543"])
def test_fixture_without_usable_content_length_breaks_the_stream(name: str) -> None:
    framer = StreamFramer()
    framer.feed(torture(name) + NEXT)
    with pytest.raises(FramingError):
        framer.next_event()
    with pytest.raises(FramingError):  # and stays broken
        framer.next_event()


@pytest.mark.parametrize("name", ["mismatch01", "badvers", "baddn", "insuf"])
def test_framed_but_malformed_message_is_skipped_and_the_stream_goes_on(name: str) -> None:
    framer = StreamFramer()
    framer.feed(torture(name) + b"\r\n\r\n" + NEXT)
    with pytest.raises(SipParseError) as caught:
        framer.next_event()
    assert not isinstance(caught.value, FramingError)
    assert list(framer) == [KeepAlivePing(), MessageReceived(message=parse_message(NEXT))]


@pytest.mark.parametrize("name", EVERYDAY)
def test_everyday_fixture_is_written_back_with_only_colon_spacing_normalised(name: str) -> None:
    data = everyday(name)
    head, _, body = data.partition(b"\r\n\r\n")
    start, *lines = head.split(b"\r\n")
    normalised = [start] + [re.sub(rb"^([^:]+?)[ \t]*:[ \t]*", rb"\1: ", line) for line in lines]
    assert serialize(parse_message(data)) == b"\r\n".join(normalised) + b"\r\n\r\n" + body


def test_sipp_invite_fields_come_out_right() -> None:
    message = parse_message(everyday("sipp_invite"))
    assert isinstance(message, Request)
    assert (message.method, str(message.uri)) == ("INVITE", "sip:service@127.0.0.1:5060")
    assert message.from_tag == "3151SIPpTag001" and message.to_tag is None
    assert message.branch == "z9hG4bK-3151-1-0"
    assert message.content_type == "application/sdp"
    assert message.headers.get("Content-Length") == "129" == str(len(message.body))
