"""RTCP beside each RtpStream on real loopback sockets: the odd port, reports, RTT, BYE.

Two streams exchange RTP and RTCP with each other, or one stream talks to a plain
socket standing in for a phone's RTCP port. The media clock is driven by calling
``run_tick`` directly; the wallclock (NTP) is a number the test moves.
"""

from __future__ import annotations

import asyncio
import random
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass

import numpy as np
import pytest

from ariel.media.rtcp import (
    Bye,
    ReceiverReport,
    ReportBlock,
    RtcpPacket,
    SenderReport,
    SourceDescription,
    build_rtcp,
    parse_rtcp,
)
from ariel.net.media_clock import REPORT_CHECK_PHASE, REPORT_CHECK_TICKS, MediaClock
from ariel.net.ports import PortAllocator
from ariel.net.rtp_stream import RtpStream, open_rtp_stream

pytestmark = pytest.mark.integration

Address = tuple[str, int]
WAIT = 2.0


class Wallclock:
    """Unix seconds the test sets."""

    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


class RtcpPeer(asyncio.DatagramProtocol):
    """A phone's RTCP port: a plain UDP socket that keeps what arrives."""

    def __init__(self) -> None:
        self.inbox: asyncio.Queue[tuple[tuple[RtcpPacket, ...], Address]] = asyncio.Queue()
        self.transport: asyncio.DatagramTransport | None = None

    def datagram_received(self, data: bytes, addr: tuple[str | int, ...]) -> None:
        self.inbox.put_nowait((parse_rtcp(data), (str(addr[0]), int(addr[1]))))

    @property
    def address(self) -> Address:
        assert self.transport is not None
        host, port = self.transport.get_extra_info("sockname")[:2]
        return str(host), int(port)

    async def receive(self) -> tuple[RtcpPacket, ...]:
        packets, _ = await asyncio.wait_for(self.inbox.get(), WAIT)
        return packets

    def send(self, packets: list[RtcpPacket], to: Address) -> None:
        assert self.transport is not None
        self.transport.sendto(build_rtcp(packets), to)


async def open_rtcp_peer() -> RtcpPeer:
    loop = asyncio.get_running_loop()
    transport, peer = await loop.create_datagram_endpoint(RtcpPeer, local_addr=("127.0.0.1", 0))
    peer.transport = transport
    return peer


@dataclass
class Pair:
    ports: PortAllocator
    clock: MediaClock
    wallclock: Wallclock
    a: RtpStream
    b: RtpStream


def _range() -> PortAllocator:
    start = 42000 + 2 * random.randrange(1000)
    return PortAllocator(start, start + 40)


@pytest.fixture
async def pair() -> AsyncIterator[Pair]:
    ports, clock, wallclock = _range(), MediaClock(rtcp_interval_ms=1000), Wallclock()
    a = await open_rtp_stream(ports, "127.0.0.1", clock, wallclock=wallclock)
    b = await open_rtp_stream(ports, "127.0.0.1", clock, wallclock=wallclock)
    a.set_remote("127.0.0.1", b.port)
    b.set_remote("127.0.0.1", a.port)
    try:
        yield Pair(ports, clock, wallclock, a, b)
    finally:
        a.close()
        b.close()
        await asyncio.sleep(0)


def _talk(stream: RtpStream) -> None:
    stream.source = lambda n: np.zeros(n, dtype=np.int16)
    stream.start()


async def _until(condition: object, what: str) -> None:
    for _ in range(200):
        if callable(condition) and condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"never: {what}")


# -- the port pair ------------------------------------------------------------------------------


async def test_each_stream_binds_the_odd_port_above_its_rtp_port_and_close_frees_both() -> None:
    ports = _range()
    stream = await open_rtp_stream(ports, "127.0.0.1", MediaClock())
    assert stream.rtcp_endpoint is not None
    assert stream.rtcp_endpoint.local_address == ("127.0.0.1", stream.port + 1)
    stream.close()
    assert stream.rtcp_endpoint is None and ports.in_use == 0
    await asyncio.sleep(0)  # the transports close on the next turn of the loop
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", stream.port + 1))  # free again


async def test_a_pair_whose_rtcp_port_another_program_holds_is_skipped() -> None:
    ports = PortAllocator(43900, 43904)  # two pairs: 43900/1 and 43902/3
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as squatter:
        squatter.bind(("127.0.0.1", 43901))
        stream = await open_rtp_stream(ports, "127.0.0.1", MediaClock())
        try:
            assert stream.port == 43902
            assert ports.in_use == 1
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
                probe.bind(("127.0.0.1", 43900))  # the RTP half was given back
        finally:
            stream.close()


# -- two streams --------------------------------------------------------------------------------


async def test_two_streams_exchange_sr_and_measure_a_round_trip(pair: Pair) -> None:
    a, b = pair.a, pair.b
    _talk(a)
    _talk(b)
    for _ in range(5):
        pair.clock.run_tick()
    await _until(lambda: a.rx_packets >= 5 and b.rx_packets >= 5, "RTP both ways")

    assert a.send_rtcp_report()
    await _until(lambda: b.rtcp.their_sr_arrival is not None, "A's SR at B")
    assert b.rtcp.reports_received == 1  # A's SR carried a block about B's source
    pair.wallclock.now += 0.040  # B answers 40 ms later, and says so in DLSR
    assert b.send_rtcp_report()
    await _until(lambda: a.rtcp.reports_received == 1, "B's report at A")
    assert a.rtcp.rtt_stats.count == 1
    assert 0 <= a.rtcp.rtt < 0.001  # loopback, the 40 ms hold taken out
    assert a.rtcp.reported_jitter >= 0
    assert b.rtcp_remote == ("127.0.0.1", a.port + 1)


async def test_reports_follow_the_interval_from_the_first_rtp_packet() -> None:
    clock, wallclock = MediaClock(rtcp_interval_ms=1000), Wallclock()
    stream = await open_rtp_stream(_range(), "127.0.0.1", clock, wallclock=wallclock)
    phone = await open_rtcp_peer()
    try:
        stream.set_remote("127.0.0.1", 9, rtcp_port=phone.address[1])  # RTP to discard
        for _ in range(3 * REPORT_CHECK_TICKS):
            clock.run_tick()
        await asyncio.sleep(0.05)
        assert phone.inbox.empty(), "a report before any RTP"

        _talk(stream)
        clock.run_tick()
        first_rtp = clock.now_ms
        while stream.rtcp.sr_count == 0 and clock.now_ms < first_rtp + 3000:
            clock.run_tick()
        sr_at = clock.now_ms
        assert 1000 <= sr_at - first_rtp <= 1000 + 20 * REPORT_CHECK_TICKS
        assert clock.tick % REPORT_CHECK_TICKS == REPORT_CHECK_PHASE
        sr, sdes = await phone.receive()
        assert isinstance(sr, SenderReport) and sr.ssrc == stream.sender.ssrc
        assert sr.reports == ()  # nothing received from the phone
        assert sr.packet_count == stream.tx_packets - 1  # the tick's own frame goes after
        assert isinstance(sdes, SourceDescription)
        assert sdes.chunks[0].ssrc == sr.ssrc and sdes.chunks[0].cname

        for _ in range(50):
            clock.run_tick()
        assert isinstance((await phone.receive())[0], SenderReport)
    finally:
        stream.close()
        assert phone.transport is not None
        phone.transport.close()


async def test_replies_go_to_where_the_peers_rtcp_comes_from_and_close_says_bye() -> None:
    clock, wallclock = MediaClock(rtcp_interval_ms=1000), Wallclock()
    stream = await open_rtp_stream(_range(), "127.0.0.1", clock, wallclock=wallclock)
    signalled, actual = await open_rtcp_peer(), await open_rtcp_peer()
    try:
        stream.set_remote("127.0.0.1", 9, rtcp_port=signalled.address[1])
        _talk(stream)
        clock.run_tick()
        assert stream.send_rtcp_report()
        sr = (await signalled.receive())[0]
        assert isinstance(sr, SenderReport)

        # The phone answers from another port (a NAT): an RR on our SR, held 0.1 s.
        wallclock.now += 0.25
        block = ReportBlock(
            ssrc=stream.sender.ssrc, jitter=40, cumulative_lost=2, last_sr=sr.lsr,
            delay_since_last_sr=0x199A,
        )  # fmt: skip
        actual.send([ReceiverReport(ssrc=0xABCD, reports=(block,))], ("127.0.0.1", stream.port + 1))
        await _until(lambda: stream.rtcp.reports_received == 1, "the phone's RR")
        assert stream.rtcp.rtt == pytest.approx(0.15, abs=0.001)
        assert (stream.rtcp.reported_jitter, stream.rtcp.reported_lost) == (0.005, 2)
        assert stream.rtcp_remote == actual.address

        stream.set_remote("127.0.0.1", 9, rtcp_port=signalled.address[1])  # a re-INVITE
        stream.close()
        *_, bye = await actual.receive()
        assert bye == Bye(sources=(stream.sender.ssrc,))
        assert signalled.inbox.empty()
    finally:
        stream.close()
        for peer in (signalled, actual):
            assert peer.transport is not None
            peer.transport.close()


async def test_garbage_on_the_rtcp_port_is_dropped_and_teaches_no_address() -> None:
    stream = await open_rtp_stream(_range(), "127.0.0.1", MediaClock())
    stranger = await open_rtcp_peer()
    try:
        stream.set_remote("127.0.0.1", 9)
        assert stranger.transport is not None
        stranger.transport.sendto(b"\x80\x00\x00\x01junk", ("127.0.0.1", stream.port + 1))
        await asyncio.sleep(0.05)
        assert stream.rtcp_remote == ("127.0.0.1", 10)  # SDP's RTP port + 1 still
    finally:
        stream.close()
        stranger.transport.close()


async def test_rtcpinterval_0_sends_no_reports_and_no_bye() -> None:
    clock = MediaClock(rtcp_interval_ms=0)
    stream = await open_rtp_stream(_range(), "127.0.0.1", clock)
    phone = await open_rtcp_peer()
    try:
        stream.set_remote("127.0.0.1", 9, rtcp_port=phone.address[1])
        _talk(stream)
        for _ in range(200):
            clock.run_tick()
        stream.close()
        await asyncio.sleep(0.05)
        assert phone.inbox.empty()
        assert stream.tx_packets == 200
    finally:
        stream.close()
        assert phone.transport is not None
        phone.transport.close()


async def test_a_held_call_with_a_null_address_gets_no_reports() -> None:
    stream = await open_rtp_stream(_range(), "127.0.0.1", MediaClock())
    try:
        stream.set_remote("0.0.0.0", 4000)
        assert not stream.send_rtcp_report()
    finally:
        stream.close()
