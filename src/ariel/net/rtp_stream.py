"""One RTP stream: a UDP socket, the peer, what arrives and what is paced out.

Theory of operation: the stream binds an even port from ``rtp.conf``'s range
and learns where the peer really sends from (symmetric RTP, as
``rtp_symmetric = yes`` does in the reference) -- until then it sends where
SDP said. Incoming packets are parsed (:mod:`ariel.media.rtp`); audio of the
negotiated payload type is decoded only when somebody listens
(``wants_audio``); telephone-events go through the RFC 4733 decoder and each
finished digit is reported once, however many end packets arrive.

Outgoing audio is pulled by the :class:`~ariel.net.media_clock.MediaClock`
every 20 ms. While nothing plays no packet is sent; when audio resumes the
timestamp jumps by the time that passed and the marker bit is set (RFC 3551
§4.1: "the first packet of a talkspurt"). A digit being sent suppresses
audio; its packets follow the plan of :class:`ariel.media.rfc4733.DtmfEncoder`.

RTCP (RFC 3550 §6) runs beside, on the odd port above (RFC 3550 §11), as
res_rtp_asterisk does: every ``rtcpinterval`` (the media clock's reporter
hook, checked every 500 ms -- never per packet) an SR, or an RR when no RTP
went out since the last SR, with a report block on the peer's source and an
SDES CNAME goes to the peer's RTCP address (``a=rtcp:`` or the RTP port + 1
until RTCP from the peer shows where it really is); a BYE ends it. What the
peer reports is turned into round-trip time and the remote jitter and loss
figures by :class:`ariel.media.rtcp_session.RtcpSession`. NTP timestamps come
from an injected wallclock.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import random
import socket
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ariel.media.codecs import Codec, codec_by_name
from ariel.media.rfc4733 import DtmfDecoder, DtmfEncoder, DtmfEnd
from ariel.media.rtcp_session import RtcpSession, SendCounts, ntp_from_unix
from ariel.media.rtp import RtpError, RtpSender, SequenceTracker, peek_rtp
from ariel.net.media_clock import FRAME_MS, MediaClock
from ariel.net.ports import PortAllocator, PortsExhausted
from ariel.net.udp import Address, UdpEndpoint, open_udp

__all__ = ["RtpStream", "open_rtp_stream"]

log = logging.getLogger("ariel.rtp")

#: Empty pulls of a relaying stream before the clock stops asking its channel.
RELAY_SETTLE_TICKS = 3
#: RFC 3389 comfort noise: never decoded as audio.
COMFORT_NOISE_PT = 13

Samples = npt.NDArray[np.int16]


@dataclass(slots=True)
class _DigitPacket:
    due_ms: int
    marker: bool
    timestamp: int
    payload: bytes


@dataclass(slots=True)
class _Digit:
    packets: deque[_DigitPacket]
    done: asyncio.Future[None]
    start_ms: int = -1


class RtpStream:
    """One bound RTP port and the stream on it."""

    def __init__(
        self,
        ports: PortAllocator,
        port: int,
        host: str,
        clock: MediaClock,
        *,
        wallclock: Callable[[], float] = time.time,
        arrival_clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._ports = ports
        self.port = port
        self.host = host
        self._clock = clock
        self.endpoint: UdpEndpoint | None = None
        self.remote: Address | None = None
        self._learned = False
        self.codec: Codec = codec_by_name("ulaw")
        self.payload_type = 0
        self.dtmf_payload_type: int | None = None
        self.sender = RtpSender(
            ssrc=random.getrandbits(32),
            sequence=random.getrandbits(16),
            timestamp=random.getrandbits(32),
        )
        self.source: Callable[[int], Samples | None] | None = None
        self.on_audio: Callable[[Samples], None] | None = None
        self.wants_audio: Callable[[], bool] = lambda: False
        #: Whether the channel has nothing of its own to play or hear, so that
        #: relayed audio may bypass it (checked per packet, on both ends).
        self.plain: Callable[[], bool] = lambda: False
        self.on_dtmf: Callable[[str, int], None] | None = None
        self._dtmf_rx = DtmfDecoder()
        self._digits: deque[_Digit] = deque()
        self._last_tick: int | None = None
        # RFC 3550 §5.1: the timestamp runs with the media clock, sent or not.
        self._ts_base = random.getrandbits(32)
        self._tick_base: int | None = None
        self.receiving = True
        self.rx = SequenceTracker()
        #: Seconds without any incoming packet before ``on_timeout`` (0: never),
        #: and the same while the peer holds the call.
        self.timeout_s = 0
        self.hold_timeout_s = 0
        self.on_hold = False
        self.on_timeout: Callable[[], None] | None = None
        self._last_rx_ms = -1
        self.rx_packets = 0
        self.rx_bytes = 0
        self.tx_packets = 0
        self.remote_ssrc = 0
        self._paced = False
        #: Where incoming audio goes undecoded (a bridged peer's stream), if anywhere.
        self._relay: RtpStream | None = None
        self._empty_relay_ticks = 0
        # -- RTCP ----------------------------------------------------------------
        self._wallclock = wallclock
        #: Packet arrival times for the jitter (RFC 3550 A.8), finer than the 20 ms tick.
        self._arrival_clock = arrival_clock
        cname = str(uuid.UUID(int=random.getrandbits(128), version=4))
        self.rtcp = RtcpSession(ssrc=self.sender.ssrc, cname=cname)
        self.rtcp_endpoint: UdpEndpoint | None = None
        #: Where reports go: SDP's RTCP address until RTCP from the peer shows another.
        self.rtcp_remote: Address | None = None
        self._rtcp_learned = False
        self.rtcp_interval_ms = 0
        self._rtcp_due_ms: int | None = None
        self._lookups: set[asyncio.Task[None]] = set()

    # -- configuration -------------------------------------------------------
    def configure(self, codec_name: str, payload_type: int, dtmf_payload_type: int | None) -> None:
        """Use what offer/answer agreed."""
        self.codec = codec_by_name(codec_name)
        self.payload_type = payload_type
        self.dtmf_payload_type = dtmf_payload_type

    def set_remote(self, host: str, port: int, rtcp_port: int | None = None) -> None:
        """Where SDP says the peer receives (until symmetric RTP learns better).

        RTCP goes to ``rtcp_port`` (RFC 3605 ``a=rtcp:``), by default the RTP port + 1
        (RFC 3550 §11), until RTCP from the peer shows where it really is.
        """
        if not _is_ip_literal(host):
            # An SDP c= may name a host (RFC 4566 §5.7). The event loop's sendto
            # takes numeric addresses only, so the name is looked up once, off
            # the loop; nothing is sent to the peer until it is known.
            self._resolve(host, port, rtcp_port)
            return
        if not self._learned:
            self.remote = (host, port)
        if not self._rtcp_learned:
            self.rtcp_remote = (host, port + 1 if rtcp_port is None else rtcp_port)

    def _resolve(self, host: str, port: int, rtcp_port: int | None) -> None:
        loop = asyncio.get_running_loop()

        async def look_up() -> None:
            try:
                found = await loop.getaddrinfo(
                    host, port, family=socket.AF_INET, type=socket.SOCK_DGRAM
                )
            except OSError as exc:
                log.warning(
                    "port %d: cannot resolve the peer's media host %r: %s", self.port, host, exc
                )
                return
            if found and self.endpoint is not None:
                self.set_remote(str(found[0][4][0]), port, rtcp_port)

        task = loop.create_task(look_up(), name=f"rtp-resolve-{self.port}")
        self._lookups.add(task)
        task.add_done_callback(self._lookups.discard)

    def start(self) -> None:
        """Start pacing outgoing audio (the call is answered or has early media)."""
        if self.endpoint is not None:
            self._paced = True
            self._clock.add(self)

    def pause_sending(self) -> None:
        """Stop pacing (hold: the peer asked us not to send)."""
        self._paced = False
        self._clock.discard(self)

    def relay_to(self, target: RtpStream | None) -> None:
        """Send incoming audio on to ``target``'s peer as is, or stop (``None``).

        Telephone-events are still decoded here (the channel reports them);
        only audio bypasses decoding, mixing and encoding.
        """
        self._relay = target
        self._empty_relay_ticks = 0

    def forward(self, packet: bytes, payload_type: int) -> None:
        """Send one relayed audio packet on as it came, as the reference's native RTP bridge.

        SSRC, sequence number, timestamp and marker are the far end's; only the
        payload type is rewritten when the two legs numbered the codec apart.
        """
        endpoint, remote = self.endpoint, self.remote
        if endpoint is None or remote is None or not self._paced:
            return
        if payload_type != self.payload_type:
            packet = packet[:1] + bytes([(packet[1] & 0x80) | self.payload_type]) + packet[2:]
        endpoint.sendto(packet, remote)
        self.tx_packets += 1
        self._clock.rtp_packets_out += 1
        # Paced audio after relayed audio starts a new talkspurt.
        self._last_tick = None

    # -- receiving -------------------------------------------------------------
    def on_datagram(self, data: bytes, addr: Address) -> None:
        """One packet from the network."""
        try:
            pt, marker, sequence, timestamp, ssrc, start, end = peek_rtp(data)
        except RtpError:
            return
        self.rx_packets += 1
        self.rx_bytes += len(data)
        self._clock.rtp_packets_in += 1
        self._last_rx_ms = self._clock.now_ms
        self.remote_ssrc = ssrc
        if self.remote != addr:
            self.remote = addr
        self._learned = True
        if not self.receiving:
            return
        self.rx.receive(sequence, timestamp, int(self._arrival_clock() * self.codec.clock_rate))
        if pt == self.dtmf_payload_type:
            self._on_telephone_event(timestamp, marker, data[start:end])
        elif pt == self.payload_type and pt != COMFORT_NOISE_PT:
            relay = self._relay
            if relay is not None and self.plain() and relay.plain():
                relay.forward(data, pt)
                return
            on_audio = self.on_audio
            if on_audio is not None and self.wants_audio():
                on_audio(self.codec.decoder(data[start:end]))

    def _on_telephone_event(self, timestamp: int, marker: bool, payload: bytes) -> None:
        try:
            events = self._dtmf_rx.feed(timestamp, marker, payload, self._clock.now_ms)
        except ValueError:
            return
        for event in events:
            if isinstance(event, DtmfEnd) and self.on_dtmf is not None:
                self.on_dtmf(event.digit, event.duration_ms)

    def check_timeout(self, now_ms: int) -> None:
        """Report a dead stream: no packet for ``timeout_s`` (``hold_timeout_s`` on hold)."""
        if self._last_rx_ms < 0:
            self._last_rx_ms = now_ms  # the count starts when the stream does
            return
        limit = self.hold_timeout_s if self.on_hold else self.timeout_s
        if limit <= 0 or self.on_timeout is None:
            return
        if now_ms - self._last_rx_ms >= limit * 1000:
            callback, self.on_timeout = self.on_timeout, None
            callback()

    # -- sending ---------------------------------------------------------------
    def pull(self, n: int) -> Samples | None:
        """The next frame to send (MediaClock).

        A stream whose peer's packets are relayed to it has nothing to pull
        while both channels stay plain: after :data:`RELAY_SETTLE_TICKS`
        empty pulls (what was decoded before the relay began has gone out),
        the channel is no longer asked until something of its own appears.
        """
        source = self.source
        if source is None or self.remote is None:
            return None
        relay = self._relay
        if relay is None:
            return source(n)
        if not (self.plain() and relay.plain()):
            self._empty_relay_ticks = 0
            return source(n)
        if self._empty_relay_ticks >= RELAY_SETTLE_TICKS:
            return None
        frame = source(n)
        self._empty_relay_ticks = 0 if frame is not None else self._empty_relay_ticks + 1
        return frame

    def send_payload(self, payload: bytes, tick: int) -> None:
        """Send one encoded audio frame (MediaClock)."""
        endpoint, remote = self.endpoint, self.remote
        if endpoint is None or remote is None:
            return
        last = self._last_tick
        # RFC 3551 §4.1: the marker bit starts each talkspurt.
        marker = last is None or tick - last > 1
        self._last_tick = tick
        header = self.sender.header(
            self.payload_type, marker, self.timestamp_at(tick), payload_size=len(payload)
        )
        endpoint.send(header + payload, remote)
        self.tx_packets += 1
        self._clock.rtp_packets_out += 1

    async def send_digit(self, digit: str, duration_ms: int) -> None:
        """Send one RFC 4733 digit; returns once its end packets are out."""
        if self.dtmf_payload_type is None or self.endpoint is None:
            return
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._digits.append(_Digit(packets=deque(), done=done))
        self._digits[-1].packets.extend(self._plan(digit, duration_ms))
        self._clock.add(self)
        await done

    def timestamp_at(self, tick: int) -> int:
        """The RTP timestamp of media tick ``tick`` (a linear clock from the first use)."""
        if self._tick_base is None:
            self._tick_base = tick
        samples = (tick - self._tick_base) * self.codec.clock_rate * FRAME_MS // 1000
        return (self._ts_base + samples) % (1 << 32)

    def _plan(self, digit: str, duration_ms: int) -> list[_DigitPacket]:
        encoder = DtmfEncoder(clock_rate=self.codec.clock_rate)
        # The event starts where audio would be at the next tick.
        timestamp = self.timestamp_at(self._clock.tick + 1)
        return [
            _DigitPacket(
                due_ms=p.offset_ms, marker=p.marker, timestamp=p.timestamp, payload=p.payload
            )
            for p in encoder.plan(digit, duration_ms, timestamp)
        ]

    def service_dtmf(self, now_ms: int) -> bool:
        """Send the due packets of the digit in progress (MediaClock)."""
        if not self._digits:
            return False
        digit = self._digits[0]
        if digit.start_ms < 0:
            digit.start_ms = now_ms
        endpoint, remote, pt = self.endpoint, self.remote, self.dtmf_payload_type
        while digit.packets and digit.packets[0].due_ms <= now_ms - digit.start_ms:
            p = digit.packets.popleft()
            if endpoint is not None and remote is not None and pt is not None:
                header = self.sender.header(pt, p.marker, p.timestamp, payload_size=len(p.payload))
                endpoint.send(header + p.payload, remote)
                self.tx_packets += 1
        if not digit.packets:
            self._digits.popleft()
            if not digit.done.done():
                digit.done.set_result(None)
            # Audio after the event starts a new talkspurt.
            self._last_tick = None
        return True

    # -- RTCP ------------------------------------------------------------------
    def start_rtcp(self, endpoint: UdpEndpoint, interval_ms: int) -> None:
        """Use ``endpoint`` (bound to the port above ours) for RTCP; report every ``interval_ms``.

        With ``interval_ms`` 0 nothing is sent; what arrives is still taken.
        """
        self.rtcp_endpoint = endpoint
        self.rtcp_interval_ms = interval_ms
        if interval_ms > 0:
            self._clock.add_reporter(self, self._rtcp_check)

    def on_rtcp_datagram(self, data: bytes, addr: Address) -> None:
        """One datagram on the RTCP port."""
        ntp = ntp_from_unix(self._wallclock())
        if not self.rtcp.receive(data, ntp=ntp, clock_rate=self.codec.clock_rate):
            log.debug("port %d: bad RTCP packet from %s:%d dropped", self.port + 1, *addr)
            return
        # Symmetric RTCP: report to where the peer's reports come from.
        self.rtcp_remote = addr
        self._rtcp_learned = True

    def _rtcp_check(self, now_ms: int) -> None:
        """The media clock's reporter hook: send a report when one is due.

        As the reference, the first report is due an interval after the first RTP
        packet went out or came in.
        """
        due = self._rtcp_due_ms
        if due is None:
            if self.tx_packets or self.rx_packets:
                self._rtcp_due_ms = now_ms + self.rtcp_interval_ms
            return
        if now_ms >= due:
            self._rtcp_due_ms = now_ms + self.rtcp_interval_ms
            self.send_rtcp_report()

    def _rtcp_target(self) -> Address | None:
        remote = self.rtcp_remote
        if self.rtcp_endpoint is None or remote is None:
            return None
        host, port = remote
        if port == 0 or host in ("0.0.0.0", "::"):
            return None  # RFC 3264 hold with a null address: nobody to report to
        return remote

    def _rtcp_packet(self, *, bye: bool = False) -> bytes:
        build = self.rtcp.bye if bye else self.rtcp.report
        return build(
            ntp=ntp_from_unix(self._wallclock()),
            sent=SendCounts(
                packets=self.tx_packets,
                octets=self.sender.octets_sent,
                rtp_timestamp=self.timestamp_at(self._clock.tick),
            ),
            rx=self.rx,
            remote_ssrc=self.remote_ssrc if self.rx_packets else None,
            clock_rate=self.codec.clock_rate,
        )

    def send_rtcp_report(self) -> bool:
        """Send an SR (RTP went out since the last one) or RR now, with SDES.

        Returns:
            Whether a report went out (not before the peer's RTCP address is known).
        """
        target = self._rtcp_target()
        if target is None or self.rtcp_endpoint is None:
            return False
        self.rtcp_endpoint.send(self._rtcp_packet(), target)
        return True

    def _close_rtcp(self) -> None:
        self._clock.remove_reporter(self)
        endpoint = self.rtcp_endpoint
        if endpoint is None:
            return
        target = self._rtcp_target()
        # RFC 3550 §6.3.7: "if a participant never sent an RTP or RTCP packet, it MUST NOT
        # send a BYE packet".
        sent_any = self.tx_packets or self.rtcp.sr_count or self.rtcp.rr_count
        if target is not None and sent_any and self.rtcp_interval_ms > 0:
            endpoint.send(self._rtcp_packet(bye=True), target)
        endpoint.close()
        self.rtcp_endpoint = None

    # -- the end ---------------------------------------------------------------
    def close(self) -> None:
        """Stop pacing and reporting, close the sockets and give the ports back."""
        self._paced = False
        self._relay = None
        self._clock.discard(self)
        self._close_rtcp()
        for digit in self._digits:
            if not digit.done.done():
                digit.done.set_result(None)
        self._digits.clear()
        if self.endpoint is not None:
            self._clock.rtp_packets_lost_ended += max(0, self.rx.lost)
            self.endpoint.close()
            self.endpoint = None
            self._ports.release(self.port)


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


async def open_rtp_stream(
    ports: PortAllocator,
    host: str,
    clock: MediaClock,
    *,
    wallclock: Callable[[], float] = time.time,
    arrival_clock: Callable[[], float] = time.monotonic,
) -> RtpStream:
    """Bind an even port from the range on ``host`` for RTP and the odd one above for RTCP.

    Ports other programs hold (either of the pair) are skipped; every free pair of the
    range is tried before giving up, as the reference does. RTCP reports go out every
    ``clock.rtcp_interval_ms`` (rtp.conf ``rtcpinterval``; 0: none).
    """
    for _ in range(ports.size - ports.in_use):
        port = ports.allocate()
        stream = RtpStream(
            ports, port, host, clock, wallclock=wallclock, arrival_clock=arrival_clock
        )
        try:
            stream.endpoint = await open_udp(host, port, stream.on_datagram, direct=True)
        except OSError:
            ports.release(port)
            continue
        try:
            rtcp = await open_udp(host, port + 1, stream.on_rtcp_datagram)
        except OSError:
            stream.endpoint.close()
            stream.endpoint = None
            ports.release(port)
            continue
        stream.start_rtcp(rtcp, clock.rtcp_interval_ms)
        return stream
    raise PortsExhausted(f"no bindable RTP/RTCP port pair on {host}")
