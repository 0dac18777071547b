"""RTP packets, the sender's counters and the receive statistics (RFC 3550)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ariel.media.rtp import (
    RtpError,
    RtpExtension,
    RtpPacket,
    RtpSender,
    SequenceTracker,
    parse_rtp,
    peek_rtp,
)

# PCMU, seq 0x1c6a, ts 0xa000, ssrc 0xdeadbeef, 160 octets of digital silence.
PCMU = bytes.fromhex("80001c6a0000a000deadbeef") + b"\xff" * 160
# telephone-event (PT 101) with the marker bit: digit 5, volume 10, duration 0.
DTMF_START = bytes.fromhex("80e51c6b0000a0a0deadbeef" + "050a0000")
# V=2 P X CC=2, PCMA, two CSRCs, a one-word RFC 8285 extension, 3 octets payload, 3 padding.
FULL = bytes.fromhex(
    "b2080001" "00000002" "11223344"
    "aabbccdd" "01020304"
    "bede0001" "10ff0000"
    "010203"
    "000003"
)  # fmt: skip


def test_pcmu_packet_parses_header_fields() -> None:
    packet = parse_rtp(PCMU)
    assert packet == RtpPacket(
        payload_type=0, sequence=0x1C6A, timestamp=0xA000, ssrc=0xDEADBEEF, payload=b"\xff" * 160
    )


def test_marker_bit_is_split_from_payload_type() -> None:
    packet = parse_rtp(DTMF_START)
    assert packet.marker is True
    assert packet.payload_type == 101
    assert packet.payload == bytes.fromhex("050a0000")


def test_csrcs_extension_and_padding_are_parsed_and_stripped() -> None:
    packet = parse_rtp(FULL)
    assert packet.csrc == (0xAABBCCDD, 0x01020304)
    assert packet.extension == RtpExtension(profile=0xBEDE, data=bytes.fromhex("10ff0000"))
    assert packet.payload == b"\x01\x02\x03"
    assert packet.padding == 3
    assert (packet.payload_type, packet.sequence, packet.timestamp) == (8, 1, 2)
    assert packet.ssrc == 0x11223344


@pytest.mark.parametrize("fixture", [PCMU, DTMF_START, FULL])
def test_fixture_round_trips_byte_for_byte(fixture: bytes) -> None:
    assert parse_rtp(fixture).to_bytes() == fixture


@pytest.mark.parametrize("cut", range(12))
def test_every_prefix_shorter_than_the_header_is_rejected(cut: int) -> None:
    with pytest.raises(RtpError, match="shorter than the 12-octet header"):
        parse_rtp(PCMU[:cut])


def test_trailing_octets_of_a_datagram_belong_to_the_payload() -> None:
    assert parse_rtp(PCMU + b"\x01\x02").payload == b"\xff" * 160 + b"\x01\x02"


@pytest.mark.parametrize("cut", range(12, 28))
def test_full_packet_cut_inside_its_csrcs_or_extension_is_rejected(cut: int) -> None:
    # Without the padding bit the cut cannot be mistaken for a shorter valid packet.
    data = bytes((FULL[0] & ~0x20,)) + FULL[1:cut]
    with pytest.raises(RtpError, match="runs past"):
        parse_rtp(data)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (bytes.fromhex("40001c6a0000a000deadbeef"), "version 1"),
        (bytes.fromhex("a0001c6a0000a000deadbeef00"), "padding count 0"),
        (bytes.fromhex("a0001c6a0000a000deadbeef0010"), "padding count 16"),
        (bytes.fromhex("a1001c6a0000a000deadbeef0002"), "CSRC list runs past"),
        (bytes.fromhex("81001c6a0000a000deadbeef"), "CSRC list runs past"),
        (bytes.fromhex("90001c6a0000a000deadbeefbede"), "extension runs past"),
        (bytes.fromhex("90001c6a0000a000deadbeefbede000200000000"), "extension runs past"),
        (bytes.fromhex("b0001c6a0000a000deadbeefbede000100000004"), "extension runs past"),
    ],
)
def test_malformed_packet_raises_rtp_error(data: bytes, message: str) -> None:
    with pytest.raises(RtpError, match=message):
        parse_rtp(data)


def test_padding_equal_to_the_remaining_bytes_leaves_empty_payload() -> None:
    packet = parse_rtp(bytes.fromhex("a0001c6a0000a000deadbeef00000004"))
    assert packet.payload == b""
    assert packet.padding == 4


@pytest.mark.parametrize(
    "kwargs",
    [
        {"payload_type": 128},
        {"sequence": 65536},
        {"timestamp": -1},
        {"ssrc": 1 << 32},
        {"csrc": tuple(range(16))},
        {"padding": 256},
        {"version": 1},
    ],
)
def test_out_of_range_field_is_refused(kwargs: dict[str, int]) -> None:
    fields: dict[str, object] = {"payload_type": 0, "sequence": 0, "timestamp": 0, "ssrc": 0}
    fields.update(kwargs)
    with pytest.raises(RtpError):
        RtpPacket(**fields)  # type: ignore[arg-type]


u32 = st.integers(0, 2**32 - 1)
packets = st.builds(
    RtpPacket,
    payload_type=st.integers(0, 127),
    sequence=st.integers(0, 65535),
    timestamp=u32,
    ssrc=u32,
    payload=st.binary(max_size=64),
    marker=st.booleans(),
    csrc=st.lists(u32, max_size=15).map(tuple),
    extension=st.none()
    | st.builds(
        RtpExtension,
        profile=st.integers(0, 0xFFFF),
        data=st.lists(st.binary(min_size=4, max_size=4), max_size=4).map(b"".join),
    ),
    padding=st.integers(0, 255),
)


@given(packets)
def test_serialised_packet_parses_back_equal(packet: RtpPacket) -> None:
    assert parse_rtp(packet.to_bytes()) == packet


@given(st.binary(max_size=80))
def test_random_bytes_parse_or_raise_rtp_error_only(data: bytes) -> None:
    try:
        packet = parse_rtp(data)
    except RtpError:
        return
    assert packet.version == 2


def test_sender_header_carries_ssrc_sequence_and_timestamp() -> None:
    sender = RtpSender(ssrc=0xDEADBEEF, sequence=0x1C6A, timestamp=0xA000)
    assert sender.next_audio(0, 160) == PCMU[:12]
    assert (sender.sequence, sender.timestamp) == (0x1C6B, 0xA0A0)


def test_sender_sequence_wraps_from_65535_to_0() -> None:
    sender = RtpSender(ssrc=1, sequence=65535)
    first = parse_rtp(sender.header(0, False, 0))
    second = parse_rtp(sender.header(0, False, 0))
    assert (first.sequence, second.sequence) == (65535, 0)


def test_sender_timestamp_wraps_at_32_bits() -> None:
    sender = RtpSender(ssrc=1, timestamp=2**32 - 80)
    assert parse_rtp(sender.next_audio(0, 160)).timestamp == 2**32 - 80
    assert parse_rtp(sender.next_audio(0, 160)).timestamp == 80


def test_mark_next_sets_the_marker_on_exactly_one_packet() -> None:
    sender = RtpSender(ssrc=1)
    sender.mark_next()
    markers = [parse_rtp(sender.next_audio(0, 160)).marker for _ in range(3)]
    assert markers == [True, False, False]


def test_explicit_marker_and_timestamp_are_used_as_given() -> None:
    sender = RtpSender(ssrc=1, timestamp=5000)
    packet = parse_rtp(sender.header(101, True, 1234))
    assert (packet.marker, packet.payload_type, packet.timestamp) == (True, 101, 1234)
    assert sender.timestamp == 5000


def test_sender_counts_packets_and_payload_octets_for_sender_reports() -> None:
    sender = RtpSender(ssrc=1)
    for _ in range(3):
        sender.next_audio(0, 160, payload_size=160)
    assert (sender.packets_sent, sender.octets_sent) == (3, 480)


def _receive_run(tracker: SequenceTracker, start: int, count: int) -> list[int | None]:
    return [tracker.receive((start + i) % 65536, 160 * i, 160 * i) for i in range(count)]


def test_in_order_packets_get_consecutive_extended_numbers() -> None:
    tracker = SequenceTracker()
    assert _receive_run(tracker, 100, 3) == [100, 101, 102]
    assert (tracker.expected, tracker.received, tracker.lost) == (3, 3, 0)


def test_extended_sequence_counts_cycles_across_the_wrap() -> None:
    tracker = SequenceTracker()
    extended = _receive_run(tracker, 65534, 4)
    assert extended == [65534, 65535, 65536, 65537]
    assert tracker.extended_max == 65537


@given(start=st.integers(0, 65535), step=st.integers(1, 2999), count=st.integers(1, 120))
def test_extended_sequence_is_monotonic_over_several_wraps(
    start: int, step: int, count: int
) -> None:
    tracker = SequenceTracker()
    got = [tracker.receive((start + i * step) % 65536, 0, 0) for i in range(count)]
    assert got == [start + i * step for i in range(count)]


def test_reordered_packet_from_before_the_wrap_keeps_the_old_cycle() -> None:
    tracker = SequenceTracker()
    tracker.receive(65535, 0, 0)
    tracker.receive(1, 0, 0)
    assert tracker.receive(0, 0, 0) == 65536
    assert tracker.extended_max == 65537
    assert tracker.lost == 0


def test_gap_counts_as_lost_and_fraction_lost_is_per_interval() -> None:
    tracker = SequenceTracker()
    for seq in (10, 11, 14, 15):
        tracker.receive(seq, 0, 0)
    assert (tracker.expected, tracker.lost) == (6, 2)
    assert tracker.report_fraction_lost() == (2 << 8) // 6
    tracker.receive(16, 0, 0)
    assert tracker.report_fraction_lost() == 0


def test_duplicates_make_lost_negative_and_fraction_zero() -> None:
    tracker = SequenceTracker()
    for seq in (1, 2, 2, 3):
        tracker.receive(seq, 0, 0)
    assert tracker.lost == -1
    assert tracker.report_fraction_lost() == 0


def test_big_jump_is_held_back_until_a_second_sequential_packet_restarts() -> None:
    tracker = SequenceTracker()
    _receive_run(tracker, 100, 2)
    assert tracker.receive(20000, 0, 0) is None
    assert tracker.receive(20001, 0, 0) == 20001
    assert (tracker.expected, tracker.received) == (1, 1)


def test_probation_declares_source_valid_after_sequential_packets() -> None:
    tracker = SequenceTracker(probation=2)
    assert _receive_run(tracker, 500, 3) == [None, 501, 502]


def test_jitter_is_zero_for_constant_transit_time() -> None:
    tracker = SequenceTracker()
    for i in range(50):
        tracker.receive(i, 160 * i, 160 * i + 777)
    assert tracker.jitter == 0


def test_jitter_follows_a8_one_sixteenth_steps() -> None:
    tracker = SequenceTracker()
    tracker.receive(0, 0, 1000)
    tracker.receive(1, 160, 1000 + 160 + 160)  # transit grew by 160
    assert tracker.jitter == 10  # 160 / 16
    for i in range(2, 400):
        tracker.receive(i, 160 * i, 160 * i + 1000 + (160 if i % 2 else 0))
    assert 150 <= tracker.jitter <= 160


def test_jitter_handles_timestamp_wrap() -> None:
    tracker = SequenceTracker()
    tracker.receive(0, 2**32 - 160, 5)
    tracker.receive(1, 0, 165)
    assert tracker.jitter == 0


@given(st.binary(max_size=80))
def test_peek_agrees_with_the_full_parser(data: bytes) -> None:
    try:
        packet = parse_rtp(data)
    except RtpError:
        with pytest.raises(RtpError):
            peek_rtp(data)
        return
    pt, marker, seq, ts, ssrc, start, end = peek_rtp(data)
    assert (pt, marker, seq, ts, ssrc) == (
        packet.payload_type,
        packet.marker,
        packet.sequence,
        packet.timestamp,
        packet.ssrc,
    )
    assert data[start:end] == packet.payload
