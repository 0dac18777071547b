"""Property tests: parse(serialize(x)) == x, and no input crashes a parser."""

from __future__ import annotations

import contextlib

from hypothesis import given, settings
from hypothesis import strategies as st
from sip_corpus import EVERYDAY, VALID, everyday, torture
from sip_strategies import requests, responses

from ariel.sip import (
    FramingError,
    Message,
    MessageReceived,
    SipParseError,
    StreamFramer,
    parse_message,
    serialize,
)

SEEDS = [torture(name) for name in VALID] + [everyday(name) for name in EVERYDAY]


@given(st.one_of(requests(), responses()))
def test_any_message_survives_writing_and_reading(message: Message) -> None:
    assert parse_message(serialize(message)) == message


@given(st.one_of(requests(), responses()), st.integers(1, 50))
def test_any_message_frames_the_same_in_any_chunking(message: Message, size: int) -> None:
    data = serialize(message) * 2
    framer = StreamFramer()
    received = []
    for at in range(0, len(data), size):
        framer.feed(data[at : at + size])
        received += [e.message for e in framer if isinstance(e, MessageReceived)]
    assert received == [message, message]


@given(st.binary(max_size=300))
def test_arbitrary_bytes_raise_only_sip_parse_error(data: bytes) -> None:
    with contextlib.suppress(SipParseError):
        parse_message(data)


@st.composite
def _mutations(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["flip", "insert", "delete"]))
        if action == "flip" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        elif action == "insert":
            data[at:at] = draw(
                st.sampled_from(
                    [
                        b"\r\n",
                        b" ",
                        b";",
                        b",",
                        b'"',
                        b"<",
                        b">",
                        b":",
                        b"%",
                        b"\x00",
                        b"\xff",
                        b"=",
                        b"/",
                        b"@",
                    ]
                )
            )
        else:
            del data[at : at + draw(st.integers(1, 4))]
    return bytes(data)


@settings(max_examples=300)
@given(_mutations())
def test_mutated_fixtures_raise_only_sip_parse_error(data: bytes) -> None:
    try:
        message = parse_message(data)
    except SipParseError:
        return
    # Whatever parses is writable and reads back the same, but for the
    # Content-Length that writing adds or corrects.
    again = parse_message(serialize(message))
    assert again.headers.without("Content-Length") == message.headers.without("Content-Length")
    assert again.body == message.body
    assert parse_message(serialize(again)) == again


@settings(max_examples=200)
@given(st.lists(st.one_of(_mutations(), st.binary(max_size=40)), max_size=4), st.integers(1, 64))
def test_stream_framer_raises_only_sip_parse_error(pieces: list[bytes], size: int) -> None:
    data = b"".join(pieces)
    framer = StreamFramer()
    for at in range(0, len(data), size):
        framer.feed(data[at : at + size])
        while True:
            try:
                if framer.next_event() is None:
                    break
            except FramingError:
                return
            except SipParseError:
                continue
