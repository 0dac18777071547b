"""A phone's RTP port played by the test: one UDP socket on 127.0.0.1.

Theory of operation: SIPp places the call but carries no media; its SDP offer
advertises the port of an :class:`RtpPeer` (PCMU, payload type 0, and
telephone-event/8000, payload type 101). Once the server's 200 OK is in,
the test points the peer at the address in the answer's SDP. The peer then:

* keeps every RTP packet it receives, with its arrival time
  (:class:`RtpPacket`), so a test can look at pacing, sequence numbers,
  timestamps and payloads after the fact; :meth:`RtpPeer.mark` and the
  ``since`` arguments cut out what arrived after a point;
* sends PCMU audio at real-time 20 ms pacing (the schedule is absolute, so
  one late wake-up does not stretch the stream), from the same socket, so the
  server's symmetric RTP learns it as the phone's source;
* sends RFC 4733 digits the way phones do: the first packet with the marker
  bit, one update every 20 ms whose duration grows by 160, then the end packet
  three times, all with the digit's start timestamp; the audio timestamp then
  moves on by the digit's length.
"""

from __future__ import annotations

import asyncio
import random
import struct
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from audio_measure import FRAME, Samples, ulaw_decode, ulaw_encode

__all__ = ["DTMF_EVENTS", "PT_EVENT", "PT_PCMU", "RtpPacket", "RtpPeer", "TelephoneEvent"]

PT_PCMU = 0
PT_EVENT = 101
#: RFC 4733 event codes 0..15.
DTMF_EVENTS = "0123456789*#ABCD"
FRAME_S = 0.02
SILENCE = b"\xff" * FRAME


@dataclass(frozen=True, slots=True)
class RtpPacket:
    """One RTP packet as received."""

    arrival: float  # time.monotonic()
    source: tuple[str, int]
    payload_type: int
    marker: bool
    sequence: int
    timestamp: int
    ssrc: int
    payload: bytes


@dataclass(frozen=True, slots=True)
class TelephoneEvent:
    """A telephone-event payload (RFC 4733 section 2.3) and its packet's RTP fields."""

    arrival: float  # time.monotonic()
    timestamp: int
    marker: bool
    event: int
    end: bool
    volume: int
    duration: int

    @property
    def digit(self) -> str:
        return DTMF_EVENTS[self.event] if self.event < len(DTMF_EVENTS) else f"<{self.event}>"


def parse_rtp(data: bytes, addr: tuple[str, int]) -> RtpPacket | None:
    """An RTP packet (version 2), or ``None`` for anything else."""
    if len(data) < 12 or data[0] >> 6 != 2:
        return None
    offset = 12 + 4 * (data[0] & 0x0F)
    if data[0] & 0x10 and len(data) >= offset + 4:
        offset += 4 + 4 * struct.unpack("!H", data[offset + 2 : offset + 4])[0]
    payload = data[offset:]
    if data[0] & 0x20 and payload:
        payload = payload[: -payload[-1]]
    sequence, timestamp, ssrc = struct.unpack("!HII", data[2:12])
    return RtpPacket(
        arrival=time.monotonic(),
        source=addr,
        payload_type=data[1] & 0x7F,
        marker=bool(data[1] & 0x80),
        sequence=sequence,
        timestamp=timestamp,
        ssrc=ssrc,
        payload=payload,
    )


class _Protocol(asyncio.DatagramProtocol):
    def __init__(self, peer: RtpPeer) -> None:
        self.peer = peer

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        packet = parse_rtp(data, addr)
        if packet is not None:
            self.peer.packets.append(packet)


class RtpPeer:
    """A UDP socket standing in for a phone's RTP port."""

    def __init__(self) -> None:
        self.packets: list[RtpPacket] = []
        self.remote: tuple[str, int] | None = None
        self.port = 0
        self._transport: asyncio.DatagramTransport | None = None
        self._ssrc = random.getrandbits(32)
        self._sequence = random.getrandbits(16)
        self._timestamp = random.getrandbits(32)
        self._first = True
        self._lock = asyncio.Lock()

    async def open(self) -> RtpPeer:
        loop = asyncio.get_running_loop()
        transport, _ = await loop.create_datagram_endpoint(
            lambda: _Protocol(self), local_addr=("127.0.0.1", 0)
        )
        self._transport = transport
        self.port = transport.get_extra_info("sockname")[1]
        return self

    def close(self) -> None:
        if self._transport is not None:
            self._transport.close()
            self._transport = None

    async def __aenter__(self) -> RtpPeer:
        return await self.open()

    async def __aexit__(self, *exc_info: object) -> None:
        self.close()

    # -- what arrived -------------------------------------------------------
    def mark(self) -> int:
        """A position in :attr:`packets`, for the ``since`` arguments."""
        return len(self.packets)

    def received(self, since: int = 0, payload_type: int | None = None) -> list[RtpPacket]:
        """Packets received after ``since`` (of one payload type, if given)."""
        return [
            p
            for p in self.packets[since:]
            if payload_type is None or p.payload_type == payload_type
        ]

    def audio(self, since: int = 0) -> Samples:
        """The decoded PCMU received after ``since``, packets back to back."""
        chunks = [ulaw_decode(p.payload) for p in self.received(since, PT_PCMU)]
        return np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int16)

    def events(self, since: int = 0) -> list[TelephoneEvent]:
        """The telephone-event packets received after ``since``, in order."""
        found = []
        for p in self.received(since, PT_EVENT):
            if len(p.payload) >= 4:
                event, flags, duration = struct.unpack("!BBH", p.payload[:4])
                found.append(
                    TelephoneEvent(
                        arrival=p.arrival,
                        timestamp=p.timestamp,
                        marker=p.marker,
                        event=event,
                        end=bool(flags & 0x80),
                        volume=flags & 0x3F,
                        duration=duration,
                    )
                )
        return found

    async def wait_until(
        self, predicate: Callable[[], bool], what: str, timeout: float = 5.0
    ) -> None:
        """Polls ``predicate`` until it holds; AssertionError after ``timeout``."""
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"RTP port {self.port}: {what} not within {timeout} s "
                    f"({len(self.packets)} packets received in all)"
                )
            await asyncio.sleep(0.01)

    async def wait_quiet(self, quiet: float, timeout: float = 5.0) -> float:
        """Waits until nothing has arrived for ``quiet`` s; returns when the last packet came."""
        deadline = time.monotonic() + timeout
        while True:
            last = self.packets[-1].arrival if self.packets else 0.0
            now = time.monotonic()
            if now - last >= quiet:
                return last
            if now > deadline:
                raise AssertionError(
                    f"RTP port {self.port}: packets still arriving after {timeout} s "
                    f"(wanted {quiet} s without any)"
                )
            await asyncio.sleep(0.01)

    # -- sending ------------------------------------------------------------
    def _send(self, payload_type: int, payload: bytes, *, marker: bool, timestamp: int) -> None:
        assert self._transport is not None, "the RTP peer is closed"
        assert self.remote is not None, "the server's RTP address is not known yet"
        self._sequence = (self._sequence + 1) & 0xFFFF
        header = struct.pack(
            "!BBHII",
            0x80,
            (0x80 if marker else 0) | payload_type,
            self._sequence,
            timestamp & 0xFFFFFFFF,
            self._ssrc,
        )
        self._transport.sendto(header + payload, self.remote)

    async def _paced(self, sends: list[Callable[[], None]]) -> None:
        """Runs one send per 20 ms tick, on an absolute schedule."""
        start = time.monotonic()
        for i, send in enumerate(sends):
            delay = start + i * FRAME_S - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            send()
        # The last frame lasts 20 ms too.
        delay = start + len(sends) * FRAME_S - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)

    def _audio_frame(self, payload: bytes) -> Callable[[], None]:
        def send() -> None:
            self._send(PT_PCMU, payload, marker=self._first, timestamp=self._timestamp)
            self._first = False
            self._timestamp += FRAME

        return send

    async def send_audio(self, samples: Samples) -> None:
        """Sends ``samples`` as PCMU, 160 samples a packet, every 20 ms (last frame padded)."""
        encoded = ulaw_encode(samples)
        encoded += SILENCE[: (-len(encoded)) % FRAME]
        frames = [encoded[i : i + FRAME] for i in range(0, len(encoded), FRAME)]
        async with self._lock:
            await self._paced([self._audio_frame(f) for f in frames])

    async def send_silence(self, seconds: float) -> None:
        """Sends u-law silence for ``seconds``."""
        async with self._lock:
            await self._paced([self._audio_frame(SILENCE)] * round(seconds / FRAME_S))

    async def send_digit(self, digit: str, duration_ms: int, volume: int = 10) -> None:
        """Sends one RFC 4733 digit held for ``duration_ms`` (a multiple of 20)."""
        event = DTMF_EVENTS.index(digit.upper())
        steps = max(1, duration_ms // 20)
        start = self._timestamp

        def update(duration: int, *, end: bool = False, marker: bool = False) -> Callable[[], None]:
            payload = struct.pack("!BBH", event, (0x80 if end else 0) | volume, duration)
            return lambda: self._send(PT_EVENT, payload, marker=marker, timestamp=start)

        sends = [update((i + 1) * FRAME, marker=i == 0) for i in range(steps)]
        sends += [update(steps * FRAME, end=True)] * 3
        async with self._lock:
            await self._paced(sends)
            # Audio goes on where the clock is: after the updates and the end packets.
            self._timestamp += len(sends) * FRAME
