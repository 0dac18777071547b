"""Hostile datagrams never crash the media parsers: a value or their own ValueError.

Arbitrary octets and damaged valid packets (every header bit, CSRC counts and
extension lengths that lie, padding counts that run into the header) go
through ``peek_rtp``, ``parse_rtp``, ``parse_rtcp`` and every codec's decoder;
telephone-event payloads in any order, with any timestamps and marker bits,
go through ``DtmfDecoder.feed``.
"""

from __future__ import annotations

import contextlib
import struct

import numpy as np
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ariel.media.codecs import CODECS
from ariel.media.rfc4733 import DtmfBegin, DtmfDecoder, DtmfEnd, TelephoneEventError
from ariel.media.rtcp import RtcpError, parse_rtcp
from ariel.media.rtp import RtpError, RtpExtension, RtpPacket, parse_rtp, peek_rtp

FUZZ = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def _damaged_packets(draw: st.DrawFn) -> bytes:
    """A packet whose header fields may lie about what follows them."""
    first = 0x80 | draw(st.integers(0, 0x3F))  # version 2; P, X and CC at random
    second = draw(st.integers(0, 255))
    header = struct.pack(
        "!BBHII",
        first,
        second,
        draw(st.integers(0, 0xFFFF)),
        draw(st.integers(0, 2**32 - 1)),
        draw(st.integers(0, 2**32 - 1)),
    )
    tail = draw(st.binary(max_size=80))
    if draw(st.booleans()):  # an extension header whose length may lie
        tail = struct.pack("!HH", draw(st.integers(0, 0xFFFF)), draw(st.integers(0, 0xFFFF))) + tail
    return header + tail


DATAGRAMS = st.one_of(st.binary(max_size=120), _damaged_packets())


@FUZZ
@given(DATAGRAMS)
@example(b"\x90\x00" + bytes(10) + b"\x00\x00\xff\xff")  # extension length 0xFFFF words
@example(b"\x8f\x00" + bytes(10))  # 15 CSRCs announced, none there
@example(b"\xa0\x00" + bytes(10) + b"\xff")  # padding count larger than the packet
@example(b"\xa0\x00" + bytes(10) + b"\x00")  # padding count 0
@example(b"\xb0\x00" + bytes(10) + b"\x00\x00\x00\x01\x04")
def test_peek_and_parse_agree_or_both_raise_rtp_error(data: bytes) -> None:
    try:
        peeked = peek_rtp(data)
    except RtpError:
        peeked = None
    try:
        packet = parse_rtp(data)
    except RtpError:
        assert peeked is None, "peek_rtp accepted what parse_rtp refused"
        return
    assert peeked is not None, "parse_rtp accepted what peek_rtp refused"
    pt, marker, sequence, timestamp, ssrc, start, end = peeked
    assert (pt, marker, sequence, timestamp, ssrc) == (
        packet.payload_type,
        packet.marker,
        packet.sequence,
        packet.timestamp,
        packet.ssrc,
    )
    assert 0 <= start <= end <= len(data)
    assert data[start:end] == packet.payload
    assert parse_rtp(packet.to_bytes()) == packet


@FUZZ
@given(
    st.builds(
        RtpPacket,
        payload_type=st.integers(0, 127),
        sequence=st.integers(0, 0xFFFF),
        timestamp=st.integers(0, 2**32 - 1),
        ssrc=st.integers(0, 2**32 - 1),
        payload=st.binary(max_size=40),
        marker=st.booleans(),
        csrc=st.lists(st.integers(0, 2**32 - 1), max_size=15).map(tuple),
        extension=st.one_of(
            st.none(),
            st.builds(
                RtpExtension,
                profile=st.integers(0, 0xFFFF),
                data=st.binary(max_size=12).map(lambda d: d[: len(d) // 4 * 4]),
            ),
        ),
        padding=st.integers(0, 255),
    ),
    st.data(),
)
def test_a_valid_packet_cut_short_is_refused_with_rtp_error(
    packet: RtpPacket, data: st.DataObject
) -> None:
    wire = packet.to_bytes()
    assert parse_rtp(wire) == packet
    cut = wire[: data.draw(st.integers(0, max(len(wire) - 1, 0)))]
    for parse in (parse_rtp, peek_rtp):
        with contextlib.suppress(RtpError):
            parse(cut)


@FUZZ
@given(DATAGRAMS)
@example(b"\x81\xc9\x00\x07" + bytes(28))
@example(b"\x80\xc8\xff\xff")
@example(b"\xa0\xc9\x00\x01\x00\x00\x00\x00")
def test_rtcp_parsing_returns_packets_or_raises_rtcp_error(data: bytes) -> None:
    for reduced_size in (False, True):
        with contextlib.suppress(RtcpError):
            parse_rtcp(data, reduced_size=reduced_size)


@FUZZ
@given(st.binary(max_size=400))
def test_every_codec_decodes_any_payload_to_int16_samples(payload: bytes) -> None:
    for codec in CODECS.values():
        samples = codec.decode(payload)
        assert samples.dtype == np.int16 and samples.ndim == 1


_PACKETS = st.lists(
    st.tuples(
        st.one_of(st.integers(0, 2**32 - 1), st.integers(-5, 5), st.just(2**40)),
        st.booleans(),
        st.one_of(
            st.binary(max_size=8),
            st.tuples(st.integers(0, 20), st.integers(0, 255), st.integers(0, 0xFFFF)).map(
                lambda t: bytes([t[0], t[1]]) + t[2].to_bytes(2, "big")
            ),
        ),
        st.integers(-1000, 10**7),
    ),
    max_size=40,
)


@FUZZ
@given(_PACKETS)
def test_the_dtmf_decoder_raises_only_telephone_event_error_and_pairs_its_events(
    packets: list[tuple[int, bool, bytes, int]],
) -> None:
    decoder = DtmfDecoder()
    active: str | None = None
    for timestamp, marker, payload, now_ms in packets:
        try:
            events = decoder.feed(timestamp, marker, payload, now_ms)
        except TelephoneEventError:
            assert len(payload) < 4
            continue
        events += decoder.timeout(now_ms)
        for event in events:
            if isinstance(event, DtmfBegin):
                assert active is None, "a begin while a digit is in progress"
                active = event.digit
            else:
                assert isinstance(event, DtmfEnd)
                assert event.digit == active and event.duration_ms >= 0
                active = None
        assert decoder.active == active
