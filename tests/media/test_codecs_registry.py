"""The codec registry: names, payload types, SDP lookups and payload coding."""

from __future__ import annotations

import dataclasses

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from ariel.media.codecs import (
    CODECS,
    Codec,
    UnknownCodecError,
    codec_by_name,
    codec_by_payload_type,
    codec_by_sdp_name,
)


@pytest.mark.parametrize(
    ("name", "sdp", "pt", "rate", "frame"),
    [
        ("ulaw", "PCMU", 0, 8000, 160),
        ("alaw", "PCMA", 8, 8000, 160),
        ("slin", "L16", None, 8000, 160),
        ("slin16", "L16", None, 16000, 320),
    ],
)
def test_registry_entry_carries_asterisk_and_sdp_names(
    name: str, sdp: str, pt: int | None, rate: int, frame: int
) -> None:
    codec = codec_by_name(name)
    assert (codec.name, codec.sdp_name, codec.payload_type) == (name, sdp, pt)
    assert (codec.clock_rate, codec.samples_per_frame) == (rate, frame)
    assert CODECS[name] is codec


def test_codec_is_frozen_and_hashable() -> None:
    codec = codec_by_name("ulaw")
    with pytest.raises(dataclasses.FrozenInstanceError):
        codec.name = "other"  # type: ignore[misc]
    assert {codec: 1}[codec_by_name("ULAW")] == 1


def test_static_payload_types_find_g711() -> None:
    assert codec_by_payload_type(0).name == "ulaw"
    assert codec_by_payload_type(8).name == "alaw"


@pytest.mark.parametrize("pt", [3, 9, 96, 127])
def test_payload_type_without_static_codec_is_unknown(pt: int) -> None:
    with pytest.raises(UnknownCodecError):
        codec_by_payload_type(pt)


@pytest.mark.parametrize(
    ("sdp", "rate", "name"),
    [
        ("PCMU", 8000, "ulaw"),
        ("pcma", 8000, "alaw"),
        ("L16", 8000, "slin"),
        ("l16", 16000, "slin16"),
    ],
)
def test_sdp_name_and_rate_select_codec_case_insensitively(sdp: str, rate: int, name: str) -> None:
    assert codec_by_sdp_name(sdp, rate).name == name


@pytest.mark.parametrize(("sdp", "rate"), [("PCMU", 16000), ("G729", 8000), ("L16", 44100)])
def test_sdp_name_at_unsupported_rate_is_unknown(sdp: str, rate: int) -> None:
    with pytest.raises(UnknownCodecError):
        codec_by_sdp_name(sdp, rate)


def test_unknown_name_raises_key_error_subclass() -> None:
    with pytest.raises(KeyError):
        codec_by_name("opus")


def test_ulaw_payload_bytes_are_g711_codes() -> None:
    codec = codec_by_name("ulaw")
    assert codec.decode(b"\xff\x00\x80").tolist() == [0, -32124, 32124]
    assert codec.encode(np.array([0, -32124], dtype=np.int16)) == b"\xff\x00"


def test_slin_payload_is_big_endian_network_order() -> None:
    codec = codec_by_name("slin")
    assert codec.encode(np.array([1, -2], dtype=np.int16)) == b"\x00\x01\xff\xfe"
    assert codec.decode(b"\x01\x00\x80\x00").tolist() == [256, -32768]


def test_l16_decode_ignores_a_trailing_odd_byte() -> None:
    assert codec_by_name("slin16").decode(b"\x00\x05\x07").tolist() == [5]


@pytest.mark.parametrize(
    ("name", "payload"),
    [
        ("ulaw", b"\xff" * 160),
        ("alaw", b"\xd5" * 160),
        ("slin", bytes(320)),
        ("slin16", bytes(640)),
    ],
)
def test_silence_is_one_frame_of_the_silence_code(name: str, payload: bytes) -> None:
    codec = codec_by_name(name)
    assert codec.silence() == payload
    assert len(payload) == codec.frame_bytes
    assert np.abs(codec.decode(payload)).max() <= 8  # A-law has no zero code


def test_batch_encode_of_a_tick_equals_concatenated_frames() -> None:
    frames = np.arange(-1600, 1600, dtype=np.int16).reshape(10, 320)
    for codec in CODECS.values():
        batch = codec.encode(frames)
        assert batch == b"".join(codec.encode(row) for row in frames)


@given(arrays(np.int16, st.integers(0, 400)))
def test_slin_round_trip_is_exact(samples: npt.NDArray[np.int16]) -> None:
    for name in ("slin", "slin16"):
        codec: Codec = codec_by_name(name)
        assert np.array_equal(codec.decode(codec.encode(samples)), samples)


@given(st.binary(max_size=400))
def test_g711_payload_survives_decode_then_encode(payload: bytes) -> None:
    alaw = codec_by_name("alaw")
    assert alaw.encode(alaw.decode(payload)) == payload
    ulaw = codec_by_name("ulaw")
    assert ulaw.encode(ulaw.decode(payload)) == payload.replace(b"\x7f", b"\xff")
