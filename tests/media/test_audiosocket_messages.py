"""AudioSocket messages (res_audiosocket's wire format): bytes in, bytes out."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ariel.media.audiosocket import (
    AudioSocketError,
    AudioSocketParser,
    Kind,
    Message,
    audio_message,
    decode_slin,
    dtmf_message,
    encode_message,
    encode_slin,
    hangup_message,
    uuid_message,
)

UUID_TEXT = "4e6f2c1a-8b3d-4c2e-9f10-0123456789ab"
# kind 0x01, length 0x0010 (big-endian), then the UUID's 16 bytes.
UUID_WIRE = bytes.fromhex("010010" "4e6f2c1a8b3d4c2e9f100123456789ab")  # fmt: skip
# kind 0x10, length 4, samples 1 and -2 as little-endian int16.
AUDIO_WIRE = bytes.fromhex("100004" "0100" "feff")  # fmt: skip
HANGUP_WIRE = bytes.fromhex("000000")
DTMF_WIRE = bytes.fromhex("030001") + b"5"
ERROR_WIRE = bytes.fromhex("ff0001" "02")  # fmt: skip
FIXTURES = [UUID_WIRE, AUDIO_WIRE, HANGUP_WIRE, DTMF_WIRE, ERROR_WIRE]


def test_uuid_message_carries_the_sixteen_raw_bytes() -> None:
    assert uuid_message(UUID_TEXT) == UUID_WIRE


def test_uuid_message_rejects_text_that_is_no_uuid() -> None:
    with pytest.raises(AudioSocketError, match="not a UUID"):
        uuid_message("not-a-uuid")


def test_audio_is_little_endian_slin_with_a_big_endian_length() -> None:
    assert audio_message(np.array([1, -2], dtype=np.int16)) == AUDIO_WIRE


def test_hangup_and_dtmf_messages() -> None:
    assert hangup_message() == HANGUP_WIRE
    assert dtmf_message("5") == DTMF_WIRE


def test_dtmf_message_rejects_a_non_digit() -> None:
    with pytest.raises(AudioSocketError, match="not a DTMF digit"):
        dtmf_message("x")


def test_payload_longer_than_the_length_field_is_refused() -> None:
    with pytest.raises(AudioSocketError, match="exceeds"):
        encode_message(Kind.AUDIO, bytes(0x10000))


@pytest.mark.parametrize("wire", FIXTURES)
def test_each_fixture_parses_whole(wire: bytes) -> None:
    (message,) = AudioSocketParser().feed(wire)
    assert encode_message(message.kind, message.payload) == wire


@pytest.mark.parametrize("wire", FIXTURES)
def test_each_fixture_parses_byte_by_byte(wire: bytes) -> None:
    parser = AudioSocketParser()
    found: list[Message] = []
    for i in range(len(wire)):
        found += parser.feed(wire[i : i + 1])
        if i < len(wire) - 1:
            assert found == []
    assert len(found) == 1
    assert parser.pending == 0


def test_trailing_partial_message_waits_for_the_rest() -> None:
    parser = AudioSocketParser()
    messages = parser.feed(UUID_WIRE + AUDIO_WIRE[:4])
    assert [m.kind for m in messages] == [Kind.UUID]
    assert parser.pending == 4
    assert parser.feed(AUDIO_WIRE[4:]) == [Message(kind=Kind.AUDIO, payload=AUDIO_WIRE[3:])]


def test_decoded_fields_of_each_kind() -> None:
    uuid_msg, audio, hangup, dtmf, error = AudioSocketParser().feed(b"".join(FIXTURES))
    assert uuid_msg.uuid == UUID_TEXT
    assert decode_slin(audio.payload).tolist() == [1, -2]
    assert hangup.kind is Kind.HANGUP and hangup.payload == b""
    assert dtmf.digit == "5"
    assert error.error_code == 2


def test_unknown_kind_is_kept_as_its_number() -> None:
    (message,) = AudioSocketParser().feed(bytes.fromhex("420001aa"))
    assert message == Message(kind=0x42, payload=b"\xaa")


def test_parser_refuses_a_payload_over_its_limit() -> None:
    parser = AudioSocketParser(max_payload=320)
    with pytest.raises(AudioSocketError, match="exceeds 320"):
        parser.feed(bytes.fromhex("100141"))


def test_decoded_field_of_the_wrong_kind_raises() -> None:
    with pytest.raises(AudioSocketError):
        _ = Message(kind=Kind.AUDIO, payload=b"12").digit


def test_odd_trailing_byte_of_audio_is_ignored() -> None:
    assert decode_slin(b"\x01\x00\x07").tolist() == [1]


@given(st.lists(st.integers(-32768, 32767), max_size=400))
def test_slin_round_trips(values: list[int]) -> None:
    samples = np.array(values, dtype=np.int16)
    assert decode_slin(encode_slin(samples)).tolist() == values


@given(st.lists(st.tuples(st.integers(0, 255), st.binary(max_size=600)), max_size=8))
def test_parse_of_serialized_messages_round_trips(pairs: list[tuple[int, bytes]]) -> None:
    wire = b"".join(encode_message(kind, payload) for kind, payload in pairs)
    parsed = AudioSocketParser().feed(wire)
    assert [(int(m.kind), m.payload) for m in parsed] == pairs


def test_reframer_cuts_uneven_audio_into_whole_frames() -> None:
    from ariel.media.audiosocket import Reframer

    reframer = Reframer(4)
    assert reframer.push(np.arange(3, dtype=np.int16)) == []
    frames = reframer.push(np.arange(3, 10, dtype=np.int16))
    assert [f.tolist() for f in frames] == [[0, 1, 2, 3], [4, 5, 6, 7]]
    assert [f.tolist() for f in reframer.push(np.arange(10, 16, dtype=np.int16))] == [
        [8, 9, 10, 11],
        [12, 13, 14, 15],
    ]
