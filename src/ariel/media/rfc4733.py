"""DTMF digits as RTP telephone-events (RFC 4733).

Theory of operation. A telephone-event payload is four octets: event code, end bit, reserved bit,
6-bit volume and a 16-bit duration in timestamp units. An event is identified by its RTP
timestamp, which marks the event's start and stays the same in every packet of it, while the
duration field grows (§2.5.1.2).

``DtmfEncoder.plan`` turns one digit into the packets to send with their send offsets: a first
packet with the marker bit and duration 0, an update every 50 ms, and the final packet, which
"SHOULD be sent a total of three times" (§2.5.1.4). Ariel sends the three end packets together at
the end of the digit (as Asterisk does); ``end_interval_ms`` spaces them instead. An event longer
than the 16-bit duration field is cut into segments (§2.5.1.3): a segment is closed with duration
0xFFFF and no end bit, and the next one continues with timestamp old + 0xFFFF, no marker, and a
duration counted from its own timestamp.

``DtmfDecoder`` is the receive state machine. A packet with a new timestamp begins an event (and
ends the one in progress, whose end packets were lost); the first end packet ends it, and the
retransmitted end packets and late updates are recognised by their timestamp and dropped, so each
digit yields one ``DtmfBegin`` and one ``DtmfEnd``. A packet older than the newest event is dropped
unless it has the marker bit and a timestamp not seen before (a restarted stream); a packet at
exactly old + 0xFFFF with the same code and no marker continues a long event. When every end packet
is lost, ``timeout`` ends the event after ``timeout_ms`` without packets: 800 ms by default, sixteen
of the 50 ms updates a sender normally sends, so a few lost updates or a sender that updates only
every 200 ms never splits a digit, yet a digit whose end was lost is still reported well within a
typical inter-digit timeout. Durations are reported from the packets, never from the clock.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import TypeAlias

__all__ = [
    "EVENT_FLASH",
    "DtmfBegin",
    "DtmfDecoder",
    "DtmfEncoder",
    "DtmfEnd",
    "DtmfEvent",
    "DtmfPacket",
    "TelephoneEvent",
    "TelephoneEventError",
    "digit_to_event",
    "event_to_digit",
    "parse_telephone_event",
]

EVENT_FLASH = 16
_DIGITS = "0123456789*#ABCDX"  # codes 0..16; 16 is hook flash, "X" as Asterisk reports it
_MAX_DURATION = 0xFFFF
_TS_MOD = 1 << 32


class TelephoneEventError(ValueError):
    """A malformed telephone-event payload or an unknown digit."""


def event_to_digit(event: int) -> str | None:
    """Map an event code to its digit: 0-9, ``*`` (10), ``#`` (11), A-D (12-15), ``X`` (16)."""
    return _DIGITS[event] if 0 <= event < len(_DIGITS) else None


def digit_to_event(digit: str) -> int:
    """Map a digit (0-9, *, #, A-D or a-d, X for flash) to its event code.

    Raises:
        TelephoneEventError: The character is not a DTMF digit.
    """
    code = _DIGITS.find(digit.upper()) if len(digit) == 1 else -1
    if code < 0:
        raise TelephoneEventError(f"{digit!r} is not a DTMF digit")
    return code


@dataclass(frozen=True, slots=True, kw_only=True)
class TelephoneEvent:
    """One telephone-event payload (RFC 4733 §2.3).

    Attributes:
        event: Event code, 0..255.
        end: The E bit: this packet reports the end of the event.
        volume: Power level in -dBm0, 0..63.
        duration: Duration so far in timestamp units, 0..65535.
    """

    event: int
    end: bool = False
    volume: int = 10
    duration: int = 0

    def __post_init__(self) -> None:
        if not 0 <= self.event <= 255:
            raise TelephoneEventError(f"event code {self.event} out of range")
        if not 0 <= self.volume <= 63:
            raise TelephoneEventError(f"volume {self.volume} out of range")
        if not 0 <= self.duration <= _MAX_DURATION:
            raise TelephoneEventError(f"duration {self.duration} out of range")

    def to_bytes(self) -> bytes:
        """Serialise the four-octet payload (the R bit is sent as zero)."""
        flags = (0x80 if self.end else 0) | self.volume
        return bytes((self.event, flags)) + self.duration.to_bytes(2, "big")


def parse_telephone_event(data: bytes) -> TelephoneEvent:
    """Parse a telephone-event payload; octets after the first four are ignored.

    Raises:
        TelephoneEventError: Fewer than four octets.
    """
    if len(data) < 4:
        raise TelephoneEventError(f"telephone-event payload of {len(data)} octets, need 4")
    # §2.3: the R bit "is reserved for future use. The sender MUST set it to zero, and the
    # receiver MUST ignore it."
    return TelephoneEvent(
        event=data[0],
        end=bool(data[1] & 0x80),
        volume=data[1] & 0x3F,
        duration=int.from_bytes(data[2:4], "big"),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class DtmfPacket:
    """One planned telephone-event packet.

    Attributes:
        offset_ms: When to send it, in ms after the first packet.
        marker: The RTP marker bit.
        timestamp: The RTP timestamp.
        payload: The four-octet payload.
    """

    offset_ms: int
    marker: bool
    timestamp: int
    payload: bytes


@dataclass(frozen=True, slots=True, kw_only=True)
class DtmfEncoder:
    """Plans the packets of one digit.

    Attributes:
        clock_rate: The telephone-event clock, normally 8000 Hz.
        interval_ms: Time between updates.
        volume: Volume field, in -dBm0.
        end_repeats: Number of identical end packets.
        end_interval_ms: Spacing of the end packets; 0 sends them together.
    """

    clock_rate: int = 8000
    interval_ms: int = 50
    volume: int = 10
    end_repeats: int = 3
    end_interval_ms: int = 0

    def plan(self, digit: str, duration_ms: int, timestamp: int) -> list[DtmfPacket]:
        """Plan the packets for ``digit`` held for ``duration_ms``, starting at ``timestamp``.

        Args:
            digit: 0-9, *, #, A-D or X (flash).
            duration_ms: How long the digit is held, more than 0.
            timestamp: The RTP timestamp of the event's start.

        Returns:
            Packets in sending order.

        Raises:
            TelephoneEventError: Unknown digit.
            ValueError: A duration or interval that is not positive.
        """
        code = digit_to_event(digit)
        if duration_ms <= 0 or self.interval_ms <= 0:
            raise ValueError("duration and update interval must be positive")
        out: list[DtmfPacket] = []
        seg_ts = timestamp % _TS_MOD
        seg_start = 0

        def emit(offset: int, samples: int, *, end: bool = False, repeats: int = 1) -> None:
            payload = TelephoneEvent(
                event=code, end=end, volume=self.volume, duration=samples
            ).to_bytes()
            for i in range(repeats):
                marker = not out
                out.append(
                    DtmfPacket(
                        offset_ms=offset + i * self.end_interval_ms if end else offset,
                        marker=marker,
                        timestamp=seg_ts,
                        payload=payload,
                    )
                )

        def advance(offset: int, samples: int) -> None:
            nonlocal seg_ts, seg_start
            while samples - seg_start > _MAX_DURATION:
                emit(offset, _MAX_DURATION, repeats=self.end_repeats)
                seg_start += _MAX_DURATION
                seg_ts = (seg_ts + _MAX_DURATION) % _TS_MOD

        emit(0, 0)
        for offset in range(self.interval_ms, duration_ms, self.interval_ms):
            samples = offset * self.clock_rate // 1000
            advance(offset, samples)
            emit(offset, samples - seg_start)
        total = duration_ms * self.clock_rate // 1000
        advance(duration_ms, total)
        emit(duration_ms, total - seg_start, end=True, repeats=self.end_repeats)
        return out


@dataclass(frozen=True, slots=True, kw_only=True)
class DtmfBegin:
    """A digit started."""

    digit: str


@dataclass(frozen=True, slots=True, kw_only=True)
class DtmfEnd:
    """A digit ended after ``duration_ms``."""

    digit: str
    duration_ms: int


DtmfEvent: TypeAlias = DtmfBegin | DtmfEnd


def _signed32(value: int) -> int:
    value %= _TS_MOD
    return value - _TS_MOD if value >= _TS_MOD // 2 else value


class DtmfDecoder:
    """Turns received telephone-event packets into digit begin/end events."""

    def __init__(self, *, clock_rate: int = 8000, timeout_ms: int = 800) -> None:
        """Create a decoder.

        Args:
            clock_rate: The telephone-event clock rate from the SDP rtpmap.
            timeout_ms: Silence after which an event without end packet is ended.
        """
        if clock_rate <= 0 or timeout_ms <= 0:
            raise ValueError("clock rate and timeout must be positive")
        self.clock_rate = clock_rate
        self.timeout_ms = timeout_ms
        self._ts: int | None = None  # timestamp of the newest event segment
        self._recent: deque[int] = deque(maxlen=16)
        self._active = False
        self._code = 0
        self._base = 0  # samples in earlier segments of a long event
        self._dur = 0  # longest duration seen in the current segment
        self._last_ms = 0

    @property
    def active(self) -> str | None:
        """The digit in progress, or ``None``."""
        return event_to_digit(self._code) if self._active else None

    def feed(self, timestamp: int, marker: bool, payload: bytes, now_ms: int) -> list[DtmfEvent]:
        """Process one telephone-event packet.

        Args:
            timestamp: The packet's RTP timestamp.
            marker: The packet's marker bit.
            payload: The RTP payload.
            now_ms: Arrival time in ms, used only for ``timeout``.

        Returns:
            The events this packet causes, in order (possibly none).

        Raises:
            TelephoneEventError: The payload is malformed; the state is unchanged.
        """
        event = parse_telephone_event(payload)
        if event_to_digit(event.event) is None:
            return []  # not a DTMF event (fax tones, ...): ignored
        ts = timestamp % _TS_MOD
        if self._ts is not None:
            diff = _signed32(ts - self._ts)
            if diff == 0:
                if not self._active or event.event != self._code:
                    return []  # retransmitted end packet or late update of an ended event
                return self._update(event, now_ms)
            if diff < 0 and (ts in self._recent or not marker):
                return []  # a late packet of an earlier event
            if self._active and diff == _MAX_DURATION and not marker and event.event == self._code:
                # §2.5.1.3: the next segment of a long event; no new begin.
                self._base += _MAX_DURATION
                self._ts = ts
                self._recent.append(ts)
                self._dur = 0
                return self._update(event, now_ms)
        out: list[DtmfEvent] = []
        if self._active:
            out.append(self._finish())
        self._ts = ts
        self._recent.append(ts)
        self._active = True
        self._code = event.event
        self._base = 0
        self._dur = 0
        out.append(DtmfBegin(digit=_DIGITS[event.event]))
        out.extend(self._update(event, now_ms))
        return out

    def timeout(self, now_ms: int) -> list[DtmfEvent]:
        """End the event in progress if no packet came for ``timeout_ms``.

        Returns:
            ``[DtmfEnd]`` with the last duration received, or nothing.
        """
        if self._active and now_ms - self._last_ms >= self.timeout_ms:
            return [self._finish()]
        return []

    def _update(self, event: TelephoneEvent, now_ms: int) -> list[DtmfEvent]:
        self._dur = max(self._dur, event.duration)
        self._last_ms = now_ms
        return [self._finish()] if event.end else []

    def _finish(self) -> DtmfEnd:
        self._active = False
        samples = self._base + self._dur
        return DtmfEnd(digit=_DIGITS[self._code], duration_ms=samples * 1000 // self.clock_rate)
