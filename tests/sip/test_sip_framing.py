"""Stream framing: split reads, several messages per read, keep-alives, errors."""

from __future__ import annotations

import pytest
from sip_corpus import everyday

from ariel.sip import (
    FramingError,
    KeepAlivePing,
    KeepAlivePong,
    MessageReceived,
    SipParseError,
    StreamFramer,
    parse_message,
)
from ariel.sip.framing import PONG

BYE = everyday("bye")
INVITE = everyday("phone_invite")


def test_several_messages_in_one_read_come_out_in_order() -> None:
    framer = StreamFramer()
    framer.feed(BYE + INVITE + BYE)
    assert [e.message for e in framer if isinstance(e, MessageReceived)] == [
        parse_message(BYE),
        parse_message(INVITE),
        parse_message(BYE),
    ]
    assert framer.buffered == 0


@pytest.mark.parametrize("cut", [1, 10, len(INVITE) - 200, len(INVITE) - 4, len(INVITE) - 1])
def test_message_split_anywhere_comes_out_once_complete(cut: int) -> None:
    framer = StreamFramer()
    framer.feed(INVITE[:cut])
    assert framer.next_event() is None
    framer.feed(INVITE[cut:])
    assert framer.next_event() == MessageReceived(message=parse_message(INVITE))
    assert framer.next_event() is None


def test_blank_line_split_across_reads_is_found() -> None:
    head, _, body = INVITE.partition(b"\r\n\r\n")
    framer = StreamFramer()
    for piece in (head + b"\r", b"\n\r", b"\n", body):
        framer.feed(piece)
    assert isinstance(framer.next_event(), MessageReceived)


def test_double_crlf_is_a_ping_to_be_answered_with_one_crlf() -> None:
    # RFC 5626 §4.4.1: "When a server receives a double CRLF ... it MUST
    # immediately send a single CRLF over the same connection."
    framer = StreamFramer()
    framer.feed(b"\r\n\r\n" + BYE + b"\r\n\r\n\r\n\r\n")
    assert list(framer) == [
        KeepAlivePing(),
        MessageReceived(message=parse_message(BYE)),
        KeepAlivePing(),
        KeepAlivePing(),
    ]
    assert PONG == b"\r\n"


def test_ping_split_byte_by_byte_is_still_one_ping() -> None:
    framer = StreamFramer()
    events = []
    for octet in b"\r\n\r\n":
        framer.feed(bytes([octet]))
        events += list(framer)
    assert events == [KeepAlivePing()]


def test_lone_crlf_before_a_start_line_is_ignored_on_the_server_side() -> None:
    # RFC 3261 §7.5: "implementations processing SIP messages over stream-oriented
    # transports MUST ignore any CRLF appearing before the start-line".
    framer = StreamFramer()
    framer.feed(b"\r\n")
    assert framer.next_event() is None  # could still become a ping
    framer.feed(BYE)
    assert list(framer) == [MessageReceived(message=parse_message(BYE))]


def test_client_side_framer_reports_each_crlf_as_a_pong() -> None:
    framer = StreamFramer(expect_pongs=True)
    framer.feed(b"\r\n")
    assert list(framer) == [KeepAlivePong()]
    framer.feed(b"\r\n" + BYE)
    assert list(framer) == [KeepAlivePong(), MessageReceived(message=parse_message(BYE))]


def test_missing_content_length_on_a_stream_is_a_framing_error() -> None:
    # RFC 3261 §18.3: "If a stream-based protocol (such as TCP) is used as
    # transport, the header field MUST be used."
    framer = StreamFramer()
    framer.feed(BYE.replace(b"Content-Length:  0\r\n", b"") + BYE)
    with pytest.raises(FramingError, match="no Content-Length"):
        framer.next_event()
    framer.feed(BYE)
    with pytest.raises(FramingError):
        framer.next_event()


def test_header_block_beyond_the_limit_is_a_framing_error() -> None:
    framer = StreamFramer(max_header_size=100)
    framer.feed(b"OPTIONS sip:a@b SIP/2.0\r\n" + b"X: " + b"y" * 200)
    with pytest.raises(FramingError, match="no end of header fields"):
        framer.next_event()
    framer = StreamFramer(max_header_size=100)
    framer.feed(INVITE)
    with pytest.raises(FramingError, match="header fields longer"):
        framer.next_event()


def test_body_beyond_the_limit_is_a_framing_error() -> None:
    framer = StreamFramer(max_body_size=100)
    framer.feed(INVITE)
    with pytest.raises(FramingError, match="exceeds 100"):
        framer.next_event()


def test_unlexable_header_block_is_a_framing_error() -> None:
    framer = StreamFramer()
    framer.feed(b"INVITE sip:a@b SIP/2.0\r\nno colon here\r\n\r\n")
    with pytest.raises(FramingError, match="bad header line"):
        framer.next_event()


def test_malformed_but_framed_message_does_not_break_the_stream() -> None:
    framer = StreamFramer()
    framer.feed(BYE.replace(b"27812 BYE", b"27812 INVITE") + BYE)
    with pytest.raises(SipParseError, match="does not match") as caught:
        framer.next_event()
    assert not isinstance(caught.value, FramingError)
    assert list(framer) == [MessageReceived(message=parse_message(BYE))]
