"""RTP data packets, the sending counters and the receive statistics of RFC 3550.

Theory of operation. ``parse_rtp`` checks a datagram against the fixed header of RFC 3550 §5.1
and returns a frozen ``RtpPacket``; ``RtpPacket.to_bytes`` writes it back unchanged, so a parsed
packet can be relayed byte for byte. The header extension (§5.3.1) is kept as opaque words and
never interpreted. ``RtpSender`` owns the three counters a stream source advances: the 16-bit
sequence number, the 32-bit timestamp and the pending marker bit. ``SequenceTracker`` is the
receive side of Appendix A.1 (sequence validation with wrap cycles), A.3 (expected, lost and
fraction lost) and A.8 (interarrival jitter); the arrival time is an argument in timestamp units,
so nothing here reads a clock. The initial sequence number and timestamp "SHOULD be random"
(§5.1): the caller draws them and passes them in.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

__all__ = [
    "RTP_HEADER_SIZE",
    "RtpError",
    "RtpExtension",
    "RtpPacket",
    "RtpSender",
    "SequenceTracker",
    "parse_rtp",
    "peek_rtp",
]

RTP_HEADER_SIZE = 12
_SEQ_MOD = 1 << 16
_TS_MOD = 1 << 32
_FIXED = struct.Struct("!BBHII")
_MAX_DROPOUT = 3000
_MAX_MISORDER = 100


class RtpError(ValueError):
    """A datagram that is not a valid RTP packet, or a packet that cannot be encoded."""


@dataclass(frozen=True, slots=True, kw_only=True)
class RtpExtension:
    """A header extension (RFC 3550 §5.3.1), kept opaque.

    Attributes:
        profile: The 16-bit "defined by profile" field (0xBEDE for RFC 8285 one-byte headers).
        data: The extension body; its length is a multiple of four octets.
    """

    profile: int
    data: bytes = b""

    def __post_init__(self) -> None:
        if not 0 <= self.profile <= 0xFFFF:
            raise RtpError(f"extension profile {self.profile} out of range")
        if len(self.data) % 4 or len(self.data) > 0xFFFF * 4:
            raise RtpError("extension data must be a multiple of 4 octets, at most 262140")


@dataclass(frozen=True, slots=True, kw_only=True)
class RtpPacket:
    """One RTP data packet (RFC 3550 §5.1).

    Attributes:
        payload_type: 7-bit payload type.
        sequence: 16-bit sequence number.
        timestamp: 32-bit media timestamp.
        ssrc: 32-bit synchronisation source.
        payload: The payload, without padding.
        marker: The M bit (start of a talkspurt for audio).
        csrc: Contributing sources, at most 15.
        extension: The header extension, or ``None`` when the X bit is clear.
        padding: Number of padding octets including the count octet; 0 when P is clear.
        version: Always 2.
    """

    payload_type: int
    sequence: int
    timestamp: int
    ssrc: int
    payload: bytes = b""
    marker: bool = False
    csrc: tuple[int, ...] = ()
    extension: RtpExtension | None = None
    padding: int = 0
    version: int = 2

    def __post_init__(self) -> None:
        if self.version != 2:
            raise RtpError(f"RTP version must be 2, not {self.version}")
        if not 0 <= self.payload_type <= 127:
            raise RtpError(f"payload type {self.payload_type} out of range")
        if not 0 <= self.sequence < _SEQ_MOD:
            raise RtpError(f"sequence {self.sequence} out of range")
        for name, value in (("timestamp", self.timestamp), ("ssrc", self.ssrc)):
            if not 0 <= value < _TS_MOD:
                raise RtpError(f"{name} {value} out of range")
        if len(self.csrc) > 15 or any(not 0 <= c < _TS_MOD for c in self.csrc):
            raise RtpError("at most 15 CSRCs of 32 bits")
        if not 0 <= self.padding <= 255:
            raise RtpError(f"padding {self.padding} out of range")

    def to_bytes(self) -> bytes:
        """Serialise the packet.

        Returns:
            The datagram: header, CSRCs, extension, payload and padding.
        """
        first = (2 << 6) | (len(self.csrc) & 0x0F)
        if self.padding:
            first |= 0x20
        if self.extension is not None:
            first |= 0x10
        second = (0x80 if self.marker else 0) | self.payload_type
        parts = [_FIXED.pack(first, second, self.sequence, self.timestamp, self.ssrc)]
        parts.extend(c.to_bytes(4, "big") for c in self.csrc)
        if self.extension is not None:
            ext = self.extension
            parts.append(struct.pack("!HH", ext.profile, len(ext.data) // 4) + ext.data)
        parts.append(self.payload)
        if self.padding:
            parts.append(bytes(self.padding - 1) + bytes((self.padding,)))
        return b"".join(parts)


def parse_rtp(data: bytes) -> RtpPacket:
    """Parse one RTP datagram.

    Args:
        data: The UDP payload.

    Returns:
        The packet, payload stripped of padding.

    Raises:
        RtpError: The datagram is short, not version 2, or its CSRC list, extension or padding
            runs past its end.
    """
    if len(data) < RTP_HEADER_SIZE:
        raise RtpError(f"RTP packet of {len(data)} octets is shorter than the 12-octet header")
    first, second, sequence, timestamp, ssrc = _FIXED.unpack_from(data)
    if first >> 6 != 2:
        raise RtpError(f"RTP version {first >> 6}, expected 2")
    end = len(data)
    padding = 0
    if first & 0x20:
        # §5.1: "The last octet of the padding contains a count of how many padding octets
        # should be ignored, including itself."
        padding = data[-1]
        if padding == 0 or padding > len(data) - RTP_HEADER_SIZE:
            raise RtpError(f"padding count {padding} is zero or runs into the header")
        end -= padding
    offset = RTP_HEADER_SIZE + 4 * (first & 0x0F)
    if offset > end:
        raise RtpError("CSRC list runs past the end of the packet")
    csrc = tuple(int.from_bytes(data[i : i + 4], "big") for i in range(RTP_HEADER_SIZE, offset, 4))
    extension = None
    if first & 0x10:
        if offset + 4 > end:
            raise RtpError("header extension runs past the end of the packet")
        profile, words = struct.unpack_from("!HH", data, offset)
        body = offset + 4
        offset = body + 4 * words
        if offset > end:
            raise RtpError("header extension runs past the end of the packet")
        extension = RtpExtension(profile=profile, data=bytes(data[body:offset]))
    return RtpPacket(
        payload_type=second & 0x7F,
        marker=bool(second & 0x80),
        sequence=sequence,
        timestamp=timestamp,
        ssrc=ssrc,
        csrc=csrc,
        extension=extension,
        payload=bytes(data[offset:end]),
        padding=padding,
    )


def peek_rtp(data: bytes) -> tuple[int, bool, int, int, int, int, int]:
    """The fields a media engine needs from one datagram, without building objects.

    The hot path of a server receiving thousands of packets a second: the same
    checks as :func:`parse_rtp`, but the answer is a plain tuple and the payload
    is left in place.

    Returns:
        ``(payload_type, marker, sequence, timestamp, ssrc, payload_start, payload_end)``.

    Raises:
        RtpError: As :func:`parse_rtp`.
    """
    size = len(data)
    if size < RTP_HEADER_SIZE:
        raise RtpError(f"RTP packet of {size} octets is shorter than the 12-octet header")
    first, second, sequence, timestamp, ssrc = _FIXED.unpack_from(data)
    if first >> 6 != 2:
        raise RtpError(f"RTP version {first >> 6}, expected 2")
    end = size
    if first & 0x20:
        padding = data[-1]
        if padding == 0 or padding > size - RTP_HEADER_SIZE:
            raise RtpError(f"padding count {padding} is zero or runs into the header")
        end -= padding
    offset = RTP_HEADER_SIZE + 4 * (first & 0x0F)
    if first & 0x10:
        if offset + 4 > end:
            raise RtpError("header extension runs past the end of the packet")
        offset += 4 + 4 * ((data[offset + 2] << 8) | data[offset + 3])
    if offset > end:
        raise RtpError("CSRC list or header extension runs past the end of the packet")
    return second & 0x7F, bool(second & 0x80), sequence, timestamp, ssrc, offset, end


class RtpSender:
    """The counters of one outgoing RTP stream (RFC 3550 §5.1).

    "The sequence number increments by one for each RTP data packet sent"; it wraps at 2**16
    and the timestamp at 2**32.

    Attributes:
        ssrc: The synchronisation source written into every header.
        sequence: The sequence number of the next packet.
        timestamp: The timestamp ``next_audio`` uses for the next frame.
        packets_sent: Packets whose header was produced (for the SR sender's packet count).
        octets_sent: Payload octets reported through ``payload_size`` (for the SR octet count).
    """

    def __init__(self, *, ssrc: int, sequence: int = 0, timestamp: int = 0) -> None:
        """Start a stream.

        Args:
            ssrc: 32-bit synchronisation source.
            sequence: First sequence number (the caller draws it at random).
            timestamp: First timestamp (the caller draws it at random).
        """
        if not 0 <= ssrc < _TS_MOD:
            raise RtpError(f"ssrc {ssrc} out of range")
        self.ssrc = ssrc
        self.sequence = sequence % _SEQ_MOD
        self.timestamp = timestamp % _TS_MOD
        self.packets_sent = 0
        self.octets_sent = 0
        self._mark = False

    def mark_next(self) -> None:
        """Set the marker bit on the next packet (first packet of a talkspurt)."""
        self._mark = True

    def header(
        self, payload_type: int, marker: bool, timestamp: int, *, payload_size: int = 0
    ) -> bytes:
        """Produce the 12-octet header of the next packet and advance the sequence number.

        Args:
            payload_type: 7-bit payload type.
            marker: The M bit; also set when ``mark_next`` was called since the last header.
            timestamp: The packet's timestamp, reduced modulo 2**32.
            payload_size: Payload octets that will follow, added to ``octets_sent``.

        Returns:
            The fixed header, without CSRCs or extension.
        """
        if not 0 <= payload_type <= 127:
            raise RtpError(f"payload type {payload_type} out of range")
        second = payload_type | (0x80 if marker or self._mark else 0)
        self._mark = False
        data = _FIXED.pack(0x80, second, self.sequence, timestamp % _TS_MOD, self.ssrc)
        self.sequence = (self.sequence + 1) % _SEQ_MOD
        self.packets_sent += 1
        self.octets_sent += payload_size
        return data

    def next_audio(self, payload_type: int, samples: int, *, payload_size: int = 0) -> bytes:
        """Produce the header of the next audio frame and advance the timestamp by ``samples``.

        Args:
            payload_type: 7-bit payload type.
            samples: Samples in this frame (160 for 20 ms at 8000 Hz).
            payload_size: Payload octets that will follow, added to ``octets_sent``.

        Returns:
            The 12-octet header.
        """
        data = self.header(payload_type, False, self.timestamp, payload_size=payload_size)
        self.timestamp = (self.timestamp + samples) % _TS_MOD
        return data


class SequenceTracker:
    """Receive statistics for one source (RFC 3550 Appendix A.1, A.3 and A.8).

    Attributes:
        received: Packets accepted, duplicates included (so ``lost`` may go negative, §6.4.1).
        jitter: Interarrival jitter in timestamp units, as reported in a report block.
    """

    def __init__(self, *, probation: int = 0) -> None:
        """Create a tracker.

        Args:
            probation: Sequential packets needed before a new source is valid. A.1 uses 2; the
                default 0 accepts the first packet, as the source was negotiated by SDP.
        """
        self._min_sequential = probation
        self._probation = probation
        self._started = False
        self._max_seq = 0
        self._base_seq = 0
        self._bad_seq = _SEQ_MOD + 1
        self._cycles = 0
        self.received = 0
        self._received_prior = 0
        self._expected_prior = 0
        self._transit: int | None = None
        self._jitter16 = 0

    def _init_seq(self, seq: int) -> None:
        self._base_seq = seq
        self._max_seq = seq
        self._bad_seq = _SEQ_MOD + 1
        self._cycles = 0
        self.received = 0
        self._received_prior = 0
        self._expected_prior = 0
        self._transit = None

    def receive(self, sequence: int, timestamp: int, arrival: int) -> int | None:
        """Account for one packet.

        Args:
            sequence: The packet's 16-bit sequence number.
            timestamp: The packet's RTP timestamp.
            arrival: Arrival time in the same units as the RTP timestamp.

        Returns:
            The packet's extended sequence number, or ``None`` when A.1 holds the packet back
            (on probation, or the first packet after a jump of more than 3000).
        """
        seq = sequence % _SEQ_MOD
        if not self._started:
            self._started = True
            self._init_seq(seq)
            if self._probation:
                self._max_seq = (seq - 1) % _SEQ_MOD
        if self._probation:
            # A.1: "a source is declared valid only after MIN_SEQUENTIAL packets have been
            # received in sequence."
            if seq == (self._max_seq + 1) % _SEQ_MOD:
                self._probation -= 1
                self._max_seq = seq
                if self._probation == 0:
                    self._init_seq(seq)
                    return self._accept(seq, timestamp, arrival)
            else:
                self._probation = max(self._min_sequential - 1, 0)
                self._max_seq = seq
            return None
        udelta = (seq - self._max_seq) % _SEQ_MOD
        if udelta < _MAX_DROPOUT:
            if seq < self._max_seq:
                self._cycles += _SEQ_MOD
            self._max_seq = seq
        elif udelta <= _SEQ_MOD - _MAX_MISORDER:
            # A.1: "the sequence number made a very large jump"; two sequential packets are
            # taken as a restart of the source.
            if seq != self._bad_seq:
                self._bad_seq = (seq + 1) % _SEQ_MOD
                return None
            self._init_seq(seq)
        return self._accept(seq, timestamp, arrival)

    def _accept(self, seq: int, timestamp: int, arrival: int) -> int:
        self.received += 1
        transit = (arrival - timestamp) % _TS_MOD
        if self._transit is not None:
            d = (transit - self._transit) % _TS_MOD
            d = min(d, _TS_MOD - d)
            # A.8: "J(i) = J(i-1) + (|D(i-1,i)| - J(i-1))/16", kept scaled by 16 in integers.
            self._jitter16 += d - ((self._jitter16 + 8) >> 4)
        self._transit = transit
        if seq == self._max_seq:  # the usual case: the newest packet
            return self._cycles + seq
        return self.extended(seq)

    def extended(self, sequence: int) -> int:
        """Extend a 16-bit sequence number to the one nearest the highest seen so far."""
        if not self._started:
            return sequence % _SEQ_MOD
        delta = (sequence - self._max_seq) % _SEQ_MOD
        if delta >= _SEQ_MOD // 2:
            delta -= _SEQ_MOD
        return self.extended_max + delta

    @property
    def extended_max(self) -> int:
        """The extended highest sequence number received (cycles + max_seq)."""
        return self._cycles + self._max_seq

    @property
    def expected(self) -> int:
        """Packets expected: extended_max - base_seq + 1 (A.3)."""
        if not self._started or self.received == 0:
            return 0
        return self.extended_max - self._base_seq + 1

    @property
    def lost(self) -> int:
        """Cumulative packets lost, clamped to the signed 24-bit field of a report block."""
        return max(-0x800000, min(0x7FFFFF, self.expected - self.received))

    @property
    def jitter(self) -> int:
        """Interarrival jitter in timestamp units."""
        return self._jitter16 >> 4

    def report_fraction_lost(self) -> int:
        """Fraction lost since the previous call, in 1/256 units, and start a new interval (A.3).

        Returns:
            0..255; 0 when nothing was expected or duplicates outnumber the losses.
        """
        expected = self.expected
        expected_interval = expected - self._expected_prior
        self._expected_prior = expected
        received_interval = self.received - self._received_prior
        self._received_prior = self.received
        lost_interval = expected_interval - received_interval
        if expected_interval <= 0 or lost_interval <= 0:
            return 0
        return min(255, (lost_interval << 8) // expected_interval)
