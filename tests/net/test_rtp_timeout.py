"""RTP timeout: a stream that stops receiving reports itself dead, once."""

from __future__ import annotations

from ariel.net.media_clock import MediaClock
from ariel.net.ports import PortAllocator
from ariel.net.rtp_stream import RtpStream

PCMU = bytes.fromhex("80000001000000a0deadbeef") + b"\xff" * 160


def _stream(timeout: int, hold_timeout: int = 0) -> tuple[RtpStream, list[str]]:
    stream = RtpStream(PortAllocator(40000, 40010), 40000, "127.0.0.1", MediaClock())
    stream.timeout_s = timeout
    stream.hold_timeout_s = hold_timeout
    fired: list[str] = []
    stream.on_timeout = lambda: fired.append("dead")
    return stream, fired


def test_silent_peer_is_reported_after_the_timeout_and_only_once() -> None:
    stream, fired = _stream(2)
    stream.check_timeout(0)  # the stream starts counting
    stream.check_timeout(1000)
    assert fired == []
    stream.check_timeout(2000)
    stream.check_timeout(3000)
    assert fired == ["dead"]


def test_a_packet_restarts_the_count() -> None:
    stream, fired = _stream(2)
    stream.check_timeout(0)
    stream.on_datagram(PCMU, ("127.0.0.1", 5000))  # arrives at media time 0 of its clock
    stream.check_timeout(1500)
    assert fired == []


def test_zero_timeout_never_fires_and_hold_uses_its_own_limit() -> None:
    stream, fired = _stream(0, hold_timeout=1)
    stream.check_timeout(0)
    stream.check_timeout(60_000)
    assert fired == []
    stream.on_hold = True
    stream.check_timeout(61_000)
    assert fired == ["dead"]
