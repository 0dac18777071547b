"""RtpStream relaying: one stream's incoming audio sent on by another, undecoded.

Two streams on real loopback sockets, each with its own far end (a plain UDP
socket): A's far end talks, B's far end must get the very packets -- SSRC,
sequence number, timestamp, marker and payload as sent -- as the reference's
native RTP bridge forwards them; a payload type numbered apart on the two
legs is rewritten. Telephone-events
are not relayed: A still reports the digit. Nothing is relayed before B's
pacing starts, and nothing after the relay stops.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass

import numpy as np
import pytest
from test_rtp_stream_loopback import TE, WAIT, Peer, open_peer

from ariel.media.codecs import codec_by_name
from ariel.media.rfc4733 import DtmfEncoder
from ariel.net.media_clock import MediaClock
from ariel.net.ports import PortAllocator
from ariel.net.rtp_stream import RtpStream, open_rtp_stream

pytestmark = pytest.mark.integration

ULAW = codec_by_name("ulaw")


@dataclass
class Pair:
    clock: MediaClock
    a: RtpStream
    b: RtpStream
    phone_a: Peer
    phone_b: Peer


@pytest.fixture
async def pair() -> AsyncIterator[Pair]:
    ports = PortAllocator(40200, 40300)
    clock = MediaClock()
    a = await open_rtp_stream(ports, "127.0.0.1", clock)
    b = await open_rtp_stream(ports, "127.0.0.1", clock)
    phone_a, phone_b = await open_peer(), await open_peer()
    for stream, phone in ((a, phone_a), (b, phone_b)):
        stream.configure("ulaw", 0, TE)
        stream.plain = lambda: True  # no channel: nothing of its own ever plays
        stream.set_remote(*phone.address)
    try:
        yield Pair(clock, a, b, phone_a, phone_b)
    finally:
        for stream in (a, b):
            stream.close()
        for phone in (phone_a, phone_b):
            phone.close()
        await asyncio.sleep(0)


def _payload(value: int) -> bytes:
    return ULAW.encode(np.full(160, value, dtype=np.int16))


async def _quiet(phone: Peer, seconds: float = 0.2) -> bool:
    try:
        await asyncio.wait_for(phone.inbox.get(), seconds)
    except TimeoutError:
        return True
    return False


async def test_relayed_audio_arrives_as_the_far_end_sent_it(pair: Pair) -> None:
    heard: list[int] = []
    pair.a.on_audio = lambda frame: heard.append(len(frame))
    pair.a.wants_audio = lambda: True
    pair.b.start()
    pair.a.relay_to(pair.b)
    to_a = ("127.0.0.1", pair.a.port)
    sent = [(_payload(v), ts) for v, ts in ((1000, 8000), (-2000, 8160), (300, 9600))]
    first_seq = pair.phone_a.seq
    for i, (payload, ts) in enumerate(sent):
        pair.phone_a.send(to_a, payload, ts=ts, marker=i == 0)
    got = [await pair.phone_b.receive() for _ in sent]
    assert [p.payload for p in got] == [payload for payload, _ in sent]
    assert [p.timestamp for p in got] == [ts for _, ts in sent]
    assert [p.marker for p in got] == [True, False, False]
    assert {p.ssrc for p in got} == {pair.phone_a.ssrc}
    assert [p.sequence for p in got] == [first_seq, first_seq + 1, first_seq + 2]
    assert {p.payload_type for p in got} == {0}
    assert heard == [], "relayed audio was decoded too"
    assert pair.b.tx_packets == 3


async def test_a_payload_type_numbered_apart_is_rewritten(pair: Pair) -> None:
    pair.a.configure("ulaw", 96, TE)  # A's leg calls PCMU 96 (dynamic), B's leg 0
    pair.b.start()
    pair.a.relay_to(pair.b)
    pair.phone_a.send(("127.0.0.1", pair.a.port), _payload(500), pt=96, ts=10, marker=True)
    got = await pair.phone_b.receive()
    assert (got.payload_type, got.marker, got.timestamp) == (0, True, 10)


async def test_digits_are_reported_not_relayed(pair: Pair) -> None:
    digits: list[str] = []
    pair.a.on_dtmf = lambda digit, ms: digits.append(digit)
    pair.b.start()
    pair.a.relay_to(pair.b)
    to_a = ("127.0.0.1", pair.a.port)
    for planned in DtmfEncoder(clock_rate=8000).plan("5", 100, 4000):
        pair.phone_a.send(to_a, planned.payload, pt=TE, ts=planned.timestamp, marker=planned.marker)
    deadline = asyncio.get_running_loop().time() + WAIT
    while not digits and asyncio.get_running_loop().time() < deadline:
        await asyncio.sleep(0.01)
    assert digits == ["5"]
    assert await _quiet(pair.phone_b)


async def test_nothing_is_relayed_before_the_target_paces_or_after_the_relay_stops(
    pair: Pair,
) -> None:
    to_a = ("127.0.0.1", pair.a.port)
    pair.a.relay_to(pair.b)
    pair.phone_a.send(to_a, _payload(1000), ts=100)
    assert await _quiet(pair.phone_b), "relayed to a stream that does not send yet"
    pair.b.start()
    pair.phone_a.send(to_a, _payload(1000), ts=260)
    assert (await pair.phone_b.receive()).payload == _payload(1000)
    pair.a.relay_to(None)
    pair.phone_a.send(to_a, _payload(1000), ts=420)
    assert await _quiet(pair.phone_b), "relayed after the relay stopped"


async def test_a_relaying_stream_stops_asking_its_idle_channel_until_it_has_its_own_audio(
    pair: Pair,
) -> None:
    asked: list[int] = []
    own = {"plain": True}

    def source(n: int) -> np.ndarray | None:
        asked.append(n)
        return None if own["plain"] else np.zeros(n, dtype=np.int16)

    pair.b.source = source
    pair.b.plain = lambda: own["plain"]
    pair.a.relay_to(pair.b)
    pair.b.relay_to(pair.a)
    for _ in range(10):
        assert pair.b.pull(160) is None
    assert len(asked) == 3, "asked after the relay had settled"
    own["plain"] = False  # a playback starts on B's channel
    assert pair.b.pull(160) is not None
    assert len(asked) == 4
