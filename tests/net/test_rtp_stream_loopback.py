"""RtpStream on real loopback sockets: paced audio out, decoded audio and RFC 4733 digits in.

The clock is driven by calling ``MediaClock.run_tick`` (and the stream's own PacedStream
methods) directly, so the tests never wait for the 20 ms timer.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pytest

from ariel.media.codecs import codec_by_name
from ariel.media.rfc4733 import DtmfEncoder, parse_telephone_event
from ariel.media.rtp import RtpPacket, parse_rtp
from ariel.net.media_clock import MediaClock
from ariel.net.ports import PortAllocator
from ariel.net.rtp_stream import RtpStream, open_rtp_stream

# Real UDP sockets on 127.0.0.1 (the marker DESIGN.md reserves for them).
pytestmark = pytest.mark.integration

Frame = npt.NDArray[np.int16]
Address = tuple[str, int]
TE = 101  # the telephone-event payload type both sides agree on
WAIT = 2.0  # seconds a datagram on loopback may take, at most
ULAW = codec_by_name("ulaw")


class Peer(asyncio.DatagramProtocol):
    """The far end: a plain asyncio UDP socket."""

    def __init__(self) -> None:
        self.inbox: asyncio.Queue[tuple[bytes, Address]] = asyncio.Queue()
        self.transport: asyncio.DatagramTransport | None = None
        self.ssrc = 0x1234_5678
        self.seq = 1000

    def datagram_received(self, data: bytes, addr: tuple[str | int, ...]) -> None:
        self.inbox.put_nowait((data, (str(addr[0]), int(addr[1]))))

    @property
    def address(self) -> Address:
        assert self.transport is not None
        host, port = self.transport.get_extra_info("sockname")[:2]
        return str(host), int(port)

    async def receive(self) -> RtpPacket:
        data, _ = await asyncio.wait_for(self.inbox.get(), WAIT)
        return parse_rtp(data)

    def send_raw(self, data: bytes, to: Address) -> None:
        assert self.transport is not None
        self.transport.sendto(data, to)

    def send(
        self, to: Address, payload: bytes, *, pt: int = 0, ts: int = 0, marker: bool = False
    ) -> None:
        packet = RtpPacket(
            payload_type=pt,
            sequence=self.seq,
            timestamp=ts,
            ssrc=self.ssrc,
            payload=payload,
            marker=marker,
        )
        self.seq += 1
        self.send_raw(packet.to_bytes(), to)

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()


async def open_peer() -> Peer:
    loop = asyncio.get_running_loop()
    transport, peer = await loop.create_datagram_endpoint(Peer, local_addr=("127.0.0.1", 0))
    peer.transport = transport
    return peer


@dataclass
class Rig:
    ports: PortAllocator
    clock: MediaClock
    stream: RtpStream
    peer: Peer

    @property
    def stream_address(self) -> Address:
        return ("127.0.0.1", self.stream.port)


@pytest.fixture
async def rig() -> AsyncIterator[Rig]:
    ports = PortAllocator(40000, 40100)
    clock = MediaClock()
    stream = await open_rtp_stream(ports, "127.0.0.1", clock)
    peer = await open_peer()
    try:
        yield Rig(ports, clock, stream, peer)
    finally:
        stream.close()
        peer.close()
        await asyncio.sleep(0)  # let the transports finish closing


def frames_of(*values: int) -> Iterator[Frame]:
    for value in values:
        yield np.full(160, value, dtype=np.int16)


def source_from(frames: Iterator[Frame | None]) -> Callable[[int], Frame | None]:
    def source(n: int) -> Frame | None:
        assert n == 160
        return next(frames, None)

    return source


# -- the port -----------------------------------------------------------------------------------


async def test_stream_binds_an_even_port_of_the_range_and_close_gives_it_back(rig: Rig) -> None:
    stream = rig.stream
    assert 40000 <= stream.port < 40100
    assert stream.port % 2 == 0
    assert stream.endpoint is not None
    assert stream.endpoint.local_address == ("127.0.0.1", stream.port)
    assert rig.ports.in_use == 1
    stream.close()
    assert rig.ports.in_use == 0
    assert stream.endpoint is None


# -- sending ------------------------------------------------------------------------------------


async def test_pulled_audio_arrives_as_pcmu_with_rising_sequence_and_timestamps(rig: Rig) -> None:
    stream = rig.stream
    sent = list(frames_of(1000, -1000, 5000))
    stream.source = source_from(iter(sent))
    stream.set_remote(*rig.peer.address)
    stream.start()
    for _ in sent:
        rig.clock.run_tick()
    got = [await rig.peer.receive() for _ in sent]
    assert [p.payload_type for p in got] == [0, 0, 0]
    assert [p.payload for p in got] == [ULAW.encode(f) for f in sent]
    assert [p.marker for p in got] == [True, False, False]
    assert len({p.ssrc for p in got}) == 1
    assert [(p.sequence - got[0].sequence) % 65536 for p in got] == [0, 1, 2]
    assert [(p.timestamp - got[0].timestamp) % 2**32 for p in got] == [0, 160, 320]
    assert stream.tx_packets == 3


async def test_nothing_is_sent_while_nothing_plays(rig: Rig) -> None:
    stream = rig.stream
    stream.source = source_from(iter([None, None, *frames_of(7)]))
    stream.set_remote(*rig.peer.address)
    stream.start()
    first_sequence = stream.sender.sequence
    rig.clock.run_tick()
    rig.clock.run_tick()
    assert stream.tx_packets == 0
    rig.clock.run_tick()
    packet = await rig.peer.receive()
    assert packet.sequence == first_sequence
    assert packet.payload == ULAW.encode(next(frames_of(7)))


async def test_nothing_is_pulled_before_the_peer_address_is_known(rig: Rig) -> None:
    pulled: list[int] = []

    def source(n: int) -> Frame:
        pulled.append(n)
        return np.zeros(n, dtype=np.int16)

    rig.stream.source = source
    rig.stream.start()
    rig.clock.run_tick()
    assert pulled == []
    assert rig.stream.tx_packets == 0


async def test_audio_after_a_gap_has_the_marker_and_the_timestamp_jump(rig: Rig) -> None:
    stream = rig.stream
    stream.set_remote(*rig.peer.address)
    payload = ULAW.encode(next(frames_of(100)))
    for tick in (5, 6, 10, 11):
        stream.send_payload(payload, tick)
    got = [await rig.peer.receive() for _ in range(4)]
    assert [p.marker for p in got] == [True, False, True, False]
    assert [(p.timestamp - got[0].timestamp) % 2**32 for p in got] == [0, 160, 800, 960]
    assert [(p.sequence - got[0].sequence) % 65536 for p in got] == [0, 1, 2, 3]


async def test_symmetric_rtp_sends_to_where_the_peer_sends_from(rig: Rig) -> None:
    stream = rig.stream
    signalled = await open_peer()  # the address SDP gave
    try:
        heard: asyncio.Queue[Frame] = asyncio.Queue()
        stream.on_audio = heard.put_nowait
        stream.wants_audio = lambda: True
        stream.source = source_from(frames_of(1, 2))
        stream.set_remote(*signalled.address)
        stream.start()
        rig.clock.run_tick()
        assert (await signalled.receive()).payload == ULAW.encode(next(frames_of(1)))

        rig.peer.send(rig.stream_address, ULAW.encode(next(frames_of(3))))
        await asyncio.wait_for(heard.get(), WAIT)
        assert stream.remote == rig.peer.address
        stream.set_remote(*signalled.address)  # a later SDP does not undo what was learned
        assert stream.remote == rig.peer.address
        rig.clock.run_tick()
        assert (await rig.peer.receive()).payload == ULAW.encode(next(frames_of(2)))
    finally:
        signalled.close()


# -- receiving ----------------------------------------------------------------------------------


async def test_peer_audio_is_decoded_only_when_someone_listens(rig: Rig) -> None:
    stream = rig.stream
    heard: asyncio.Queue[Frame] = asyncio.Queue()
    answers = iter([False, True])
    stream.on_audio = heard.put_nowait
    stream.wants_audio = lambda: next(answers)
    unheard, wanted = ULAW.encode(next(frames_of(-3000))), ULAW.encode(next(frames_of(3000)))
    rig.peer.send(rig.stream_address, unheard)
    rig.peer.send(rig.stream_address, wanted)
    frame = await asyncio.wait_for(heard.get(), WAIT)
    assert frame.tolist() == ULAW.decode(wanted).tolist()
    assert heard.empty()
    assert stream.rx_packets == 2


async def test_only_the_negotiated_payload_type_is_decoded(rig: Rig) -> None:
    stream = rig.stream
    heard: asyncio.Queue[Frame] = asyncio.Queue()
    stream.on_audio = heard.put_nowait
    stream.wants_audio = lambda: True
    rig.peer.send_raw(b"\x80\x00", rig.stream_address)  # too short to be RTP
    rig.peer.send(rig.stream_address, b"\x55" * 160, pt=8)  # PCMA: not agreed
    rig.peer.send(rig.stream_address, b"\x40", pt=13)  # comfort noise
    wanted = ULAW.encode(next(frames_of(1234)))
    rig.peer.send(rig.stream_address, wanted, pt=0)
    frame = await asyncio.wait_for(heard.get(), WAIT)
    assert frame.tolist() == ULAW.decode(wanted).tolist()
    assert stream.rx_packets == 3
    assert stream.remote_ssrc == rig.peer.ssrc


async def test_rfc4733_digits_from_the_peer_are_reported_once_each(rig: Rig) -> None:
    stream = rig.stream
    stream.configure("ulaw", 0, TE)
    digits: asyncio.Queue[tuple[str, int]] = asyncio.Queue()
    stream.on_dtmf = lambda digit, ms: digits.put_nowait((digit, ms))
    encoder = DtmfEncoder()
    for digit, duration_ms, ts in (("5", 100, 8000), ("7", 60, 16000), ("#", 120, 24000)):
        packets = encoder.plan(digit, duration_ms, ts)
        assert sum(parse_telephone_event(p.payload).end for p in packets) == 3
        for p in packets:
            rig.peer.send(rig.stream_address, p.payload, pt=TE, ts=p.timestamp, marker=p.marker)
    got = [await asyncio.wait_for(digits.get(), WAIT) for _ in range(3)]
    assert got == [("5", 100), ("7", 60), ("#", 120)]


# -- sending digits -----------------------------------------------------------------------------


async def test_send_digit_sends_rfc4733_packets_with_three_end_packets(rig: Rig) -> None:
    stream = rig.stream
    stream.configure("ulaw", 0, TE)
    stream.set_remote(*rig.peer.address)
    task = asyncio.create_task(stream.send_digit("9", 100))
    await asyncio.sleep(0)  # let send_digit queue its packets
    assert len(rig.clock) == 1
    for now_ms in range(0, 120, 20):
        assert stream.service_dtmf(now_ms)
    await asyncio.wait_for(task, WAIT)
    assert not stream.service_dtmf(120)
    got = [await rig.peer.receive() for _ in range(5)]
    events = [parse_telephone_event(p.payload) for p in got]
    assert {p.payload_type for p in got} == {TE}
    assert [p.marker for p in got] == [True, False, False, False, False]
    assert len({p.timestamp for p in got}) == 1
    assert [(p.sequence - got[0].sequence) % 65536 for p in got] == [0, 1, 2, 3, 4]
    assert {e.event for e in events} == {9}
    assert [e.end for e in events] == [False, False, True, True, True]
    assert [e.duration for e in events] == [0, 400, 800, 800, 800]


async def test_audio_waits_while_a_digit_is_sent_and_resumes_after_it(rig: Rig) -> None:
    stream = rig.stream
    stream.configure("ulaw", 0, TE)
    stream.set_remote(*rig.peer.address)
    stream.source = source_from(frames_of(2000))
    stream.start()
    task = asyncio.create_task(stream.send_digit("1", 100))
    await asyncio.sleep(0)
    rig.clock.run_tick()  # the digit's first packet, and no audio
    assert stream.tx_packets == 1
    start = await rig.peer.receive()
    assert (start.payload_type, start.marker) == (TE, True)
    for _ in range(5):  # 100 ms of media time: the rest of the digit is due
        rig.clock.run_tick()
    await asyncio.wait_for(task, WAIT)
    rig.clock.run_tick()
    ends = [await rig.peer.receive() for _ in range(4)]
    audio = await rig.peer.receive()
    assert [p.payload_type for p in ends] == [TE] * 4
    assert audio.payload_type == 0
    assert audio.marker
    assert (audio.timestamp - start.timestamp) % 2**32 >= 800  # after the digit's 100 ms


async def test_send_digit_without_a_telephone_event_type_sends_nothing(rig: Rig) -> None:
    stream = rig.stream
    stream.set_remote(*rig.peer.address)
    await asyncio.wait_for(stream.send_digit("1", 100), WAIT)
    assert len(rig.clock) == 0
    assert stream.tx_packets == 0


async def test_close_releases_a_digit_being_sent(rig: Rig) -> None:
    stream = rig.stream
    stream.configure("ulaw", 0, TE)
    stream.set_remote(*rig.peer.address)
    task = asyncio.create_task(stream.send_digit("1", 100))
    await asyncio.sleep(0)
    stream.close()
    await asyncio.wait_for(task, WAIT)
    assert len(rig.clock) == 0


async def test_a_host_name_in_sdp_is_looked_up_before_audio_goes_to_it(rig: Rig) -> None:
    stream = rig.stream
    stream.source = source_from(frames_of(1000, 1000, 1000))
    stream.set_remote("localhost", rig.peer.address[1])
    assert stream.remote is None  # the event loop's sendto takes numeric addresses only
    for _ in range(50):
        if stream.remote is not None:
            break
        await asyncio.sleep(0.01)
    assert stream.remote is not None and stream.remote[0] == "127.0.0.1"
    assert stream.rtcp_remote == ("127.0.0.1", rig.peer.address[1] + 1)
    stream.start()
    rig.clock.run_tick()
    packet = await rig.peer.receive()
    assert packet.payload == ULAW.encode(np.full(160, 1000, dtype=np.int16))


async def test_jitter_uses_the_packets_arrival_times_not_the_media_tick() -> None:
    # Evenly paced packets have no jitter (RFC 3550 A.8); arrival times taken
    # from the 20 ms media tick (which does not move here) would show a lot.
    arrivals = iter([i * 0.020 for i in range(10)])
    ports, clock = PortAllocator(40100, 40200), MediaClock()
    stream = await open_rtp_stream(ports, "127.0.0.1", clock, arrival_clock=lambda: next(arrivals))
    peer = await open_peer()
    try:
        for i in range(10):
            peer.send(("127.0.0.1", stream.port), b"\xff" * 160, ts=i * 160)
        for _ in range(100):
            if stream.rx_packets == 10:
                break
            await asyncio.sleep(0.01)
        assert stream.rx_packets == 10
        assert stream.rx.jitter == 0
    finally:
        stream.close()
        peer.close()
        await asyncio.sleep(0)
