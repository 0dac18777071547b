"""RTCP compound packets: SR, RR, SDES, BYE (RFC 3550 §6, Appendix A.2)."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ariel.media.rtcp import (
    SDES_CNAME,
    Bye,
    ReceiverReport,
    ReportBlock,
    RtcpError,
    RtcpPacket,
    SdesChunk,
    SdesItem,
    SenderReport,
    SourceDescription,
    UnknownRtcp,
    build_rtcp,
    is_rtcp,
    parse_rtcp,
)

SR = bytes.fromhex(
    "80c80006" "12345678"
    "e42a3b1c" "80000000"  # NTP seconds . fraction (half a second)
    "0000a000" "00000032" "00001f40"  # RTP ts, 50 packets, 8000 octets
)  # fmt: skip
SDES = bytes.fromhex("81ca0005" "12345678" "010a" + b"ariel@host".hex() + "00000000")  # fmt: skip
RR = bytes.fromhex(
    "81c90007" "12345678"
    "9abcdef0" "19000005" "00010010" "00000020" "3b1c8000" "00010000"
)  # fmt: skip
BYE = bytes.fromhex("81cb0004" "12345678" "08" + b"teardown".hex() + "000000")  # fmt: skip
COMPOUND = SR + SDES + BYE

BLOCK = ReportBlock(
    ssrc=0x9ABCDEF0,
    fraction_lost=0x19,
    cumulative_lost=5,
    highest_sequence=0x10010,
    jitter=0x20,
    last_sr=0x3B1C8000,
    delay_since_last_sr=0x10000,
)


def test_sender_report_and_sdes_compound_parses() -> None:
    sr, sdes, bye = parse_rtcp(COMPOUND)
    assert sr == SenderReport(
        ssrc=0x12345678,
        ntp_timestamp=0xE42A3B1C80000000,
        rtp_timestamp=0xA000,
        packet_count=50,
        octet_count=8000,
    )
    assert isinstance(sdes, SourceDescription)
    assert sdes.chunks[0].ssrc == 0x12345678
    assert sdes.chunks[0].cname == "ariel@host"
    assert bye == Bye(sources=(0x12345678,), reason="teardown")


def test_receiver_report_block_fields_are_parsed() -> None:
    assert parse_rtcp(RR) == (ReceiverReport(ssrc=0x12345678, reports=(BLOCK,)),)


@pytest.mark.parametrize("fixture", [SR, RR, SR + SDES, RR + SDES + BYE, COMPOUND])
def test_fixture_round_trips_byte_for_byte(fixture: bytes) -> None:
    assert build_rtcp(parse_rtcp(fixture)) == fixture


def test_builders_produce_the_fixture_bytes() -> None:
    packets: list[RtcpPacket] = [
        SenderReport(
            ssrc=0x12345678,
            ntp_timestamp=0xE42A3B1C80000000,
            rtp_timestamp=0xA000,
            packet_count=50,
            octet_count=8000,
        ),
        SourceDescription.with_cname(0x12345678, "ariel@host"),
        Bye(sources=(0x12345678,), reason="teardown"),
    ]
    assert build_rtcp(packets) == COMPOUND


def test_negative_cumulative_lost_uses_24_bit_twos_complement() -> None:
    rr = ReceiverReport(ssrc=1, reports=(ReportBlock(ssrc=2, cumulative_lost=-1),))
    data = rr.to_bytes()
    assert data[12:16] == bytes.fromhex("00ffffff")
    parsed = parse_rtcp(data)[0]
    assert isinstance(parsed, ReceiverReport)
    assert parsed.reports[0].cumulative_lost == -1


def test_lsr_is_the_middle_32_bits_of_the_ntp_timestamp() -> None:
    sr = parse_rtcp(SR)[0]
    assert isinstance(sr, SenderReport)
    assert sr.lsr == 0x3B1C8000


def test_padding_on_the_last_packet_is_stripped() -> None:
    padded = bytes.fromhex("a1cb0002" "12345678" "00000004")  # fmt: skip
    assert parse_rtcp(RR + padded)[1] == Bye(sources=(0x12345678,))


def test_unknown_packet_type_is_kept_whole() -> None:
    app = bytes.fromhex("81cc0002" "12345678" + b"name".hex())  # fmt: skip
    packets = parse_rtcp(RR + app)
    assert packets[1] == UnknownRtcp(packet_type=204, count=1, body=app[4:])
    assert build_rtcp(packets) == RR + app


def test_reduced_size_allows_a_first_packet_that_is_not_a_report() -> None:
    with pytest.raises(RtcpError, match="not SR/RR"):
        parse_rtcp(SDES)
    assert parse_rtcp(SDES, reduced_size=True)[0] == SourceDescription.with_cname(
        0x12345678, "ariel@host"
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (SR[:3], "truncated RTCP header"),
        (bytes((0x40,)) + SR[1:], "version 1"),
        (SR[:-4], "runs past the end"),
        (SR + SDES[:-1], "runs past the end"),
        (bytes((0xA0,)) + SR[1:] + SDES, "padding on a packet that is not the last"),
        (bytes((0xA1,)) + RR[1:-1] + b"\x00", "padding count 0"),
        (bytes((0xA1,)) + RR[1:-1] + b"\xff", "padding count 255"),
        (bytes.fromhex("82c9000112345678"), "2 report blocks do not fit"),
        (bytes.fromhex("80c8000112345678"), "SR shorter"),
        (bytes.fromhex("80c90000"), "RR shorter"),
        (RR + bytes.fromhex("81ca00021234567801026162"), "not null-terminated"),
        (RR + bytes.fromhex("81ca00021234567801056162"), "SDES item runs past"),
        (RR + bytes.fromhex("81ca0000"), "SDES chunk runs past"),
        (RR + bytes.fromhex("82cb000112345678"), "BYE with 2 sources"),
        (RR + bytes.fromhex("81cb00021234567809616263"), "BYE reason runs past"),
    ],
)
def test_malformed_rtcp_raises_rtcp_error(data: bytes, message: str) -> None:
    with pytest.raises(RtcpError, match=message):
        parse_rtcp(data)


def test_too_many_report_blocks_cannot_be_built() -> None:
    with pytest.raises(RtcpError, match="over 31"):
        ReceiverReport(ssrc=1, reports=(BLOCK,) * 32).to_bytes()


@pytest.mark.parametrize(
    ("data", "expected"),
    [(SR, True), (RR, True), (bytes.fromhex("80001c6a"), False), (b"\x80", False)],
)
def test_is_rtcp_demultiplexes_by_packet_type(data: bytes, expected: bool) -> None:
    assert is_rtcp(data) is expected


u32 = st.integers(0, 2**32 - 1)
blocks = st.builds(
    ReportBlock,
    ssrc=u32,
    fraction_lost=st.integers(0, 255),
    cumulative_lost=st.integers(-0x800000, 0x7FFFFF),
    highest_sequence=u32,
    jitter=u32,
    last_sr=u32,
    delay_since_last_sr=u32,
)
report_lists = st.lists(blocks, max_size=3).map(tuple)
reports = st.builds(
    SenderReport,
    ssrc=u32,
    ntp_timestamp=st.integers(0, 2**64 - 1),
    rtp_timestamp=u32,
    packet_count=u32,
    octet_count=u32,
    reports=report_lists,
) | st.builds(ReceiverReport, ssrc=u32, reports=report_lists)
items = st.builds(SdesItem, type=st.integers(1, 8), value=st.binary(max_size=20))
chunks = st.builds(SdesChunk, ssrc=u32, items=st.lists(items, max_size=3).map(tuple))
others = st.one_of(
    st.builds(SourceDescription, chunks=st.lists(chunks, max_size=3).map(tuple)),
    st.builds(Bye, sources=st.lists(u32, max_size=4).map(tuple), reason=st.text(max_size=30)),
)


@given(reports, st.lists(others, max_size=3))
def test_built_compound_parses_back_equal(first: RtcpPacket, rest: list[RtcpPacket]) -> None:
    packets = (first, *rest)
    assert parse_rtcp(build_rtcp(packets)) == packets


@given(st.binary(max_size=120))
def test_random_bytes_parse_or_raise_rtcp_error_only(data: bytes) -> None:
    with contextlib.suppress(RtcpError):
        parse_rtcp(data, reduced_size=True)


@given(st.binary(max_size=60))
def test_random_body_behind_a_valid_header_raises_rtcp_error_only(body: bytes) -> None:
    body += bytes(-len(body) % 4)
    for packet_type in (200, 201, 202, 203):
        for count in (0, 1, 3, 31):
            header = bytes((0x80 | count, packet_type)) + (len(body) // 4).to_bytes(2, "big")
            with contextlib.suppress(RtcpError):
                parse_rtcp(header + body, reduced_size=True)


def test_cname_is_none_without_a_cname_item() -> None:
    chunk = SdesChunk(ssrc=1, items=(SdesItem(type=2, value=b"Alice"),))
    assert chunk.cname is None
    assert SdesItem(type=SDES_CNAME, value=b"x").type == 1
