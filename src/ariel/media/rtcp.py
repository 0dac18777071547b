"""RTCP packets of RFC 3550 §6: SR, RR, SDES and BYE, alone or in compound packets.

Theory of operation. Every RTCP packet starts with the same four octets: version, padding bit, a
5-bit count, the packet type and "the length of this RTCP packet in 32-bit words minus one,
including the header and any padding" (§6.4.1). ``parse_rtcp`` walks a compound datagram packet by
packet with the validity checks of Appendix A.2 and returns frozen values; packet types it does not
model (APP, feedback, XR) come back as ``UnknownRtcp`` so one exotic packet does not cost the
reports around it. ``build_rtcp`` writes a compound packet. Values carry wire units: NTP
timestamps as 64-bit integers, LSR/DLSR in 1/65536 s, jitter in timestamp units.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeAlias

__all__ = [
    "RTCP_BYE",
    "RTCP_RR",
    "RTCP_SDES",
    "RTCP_SR",
    "SDES_CNAME",
    "Bye",
    "ReceiverReport",
    "ReportBlock",
    "RtcpError",
    "RtcpPacket",
    "SdesChunk",
    "SdesItem",
    "SenderReport",
    "SourceDescription",
    "UnknownRtcp",
    "build_rtcp",
    "is_rtcp",
    "parse_rtcp",
]

RTCP_SR = 200
RTCP_RR = 201
RTCP_SDES = 202
RTCP_BYE = 203
SDES_CNAME = 1

_U32 = 1 << 32
_BLOCK = struct.Struct("!IIIIII")
_SR_INFO = struct.Struct("!IQIII")
_SR_FIELDS = ("ssrc", "ntp_timestamp", "rtp_timestamp", "packet_count", "octet_count")
_BLOCK_WORDS = ("highest_sequence", "jitter", "last_sr", "delay_since_last_sr")


class RtcpError(ValueError):
    """A malformed RTCP packet, or a value that cannot be encoded."""


def _check_u32(value: object, *names: str) -> None:
    for name in names:
        if not 0 <= getattr(value, name) < _U32:
            raise RtcpError(f"{name} {getattr(value, name)} is not a 32-bit value")


def _packet(count: int, packet_type: int, *parts: bytes) -> bytes:
    body = b"".join(parts)
    if not 0 <= count <= 31 or len(body) % 4:
        raise RtcpError(f"count {count} over 31 or a body that is not whole 32-bit words")
    return struct.pack("!BBH", 0x80 | count, packet_type, len(body) // 4) + body


@dataclass(frozen=True, slots=True, kw_only=True)
class ReportBlock:
    """A reception report block (§6.4.1), 24 octets.

    Attributes:
        ssrc: The source this block reports on.
        fraction_lost: Fraction lost since the previous report, in 1/256 units.
        cumulative_lost: Signed 24-bit cumulative number of packets lost.
        highest_sequence: Extended highest sequence number received.
        jitter: Interarrival jitter in timestamp units.
        last_sr: Middle 32 bits of the last SR's NTP timestamp (LSR), 0 if none.
        delay_since_last_sr: Delay since that SR (DLSR) in 1/65536 s.
    """

    ssrc: int
    fraction_lost: int = 0
    cumulative_lost: int = 0
    highest_sequence: int = 0
    jitter: int = 0
    last_sr: int = 0
    delay_since_last_sr: int = 0

    def __post_init__(self) -> None:
        _check_u32(self, "ssrc", *_BLOCK_WORDS)
        if not 0 <= self.fraction_lost <= 255:
            raise RtcpError(f"fraction lost {self.fraction_lost} out of range")
        if not -0x800000 <= self.cumulative_lost <= 0x7FFFFF:
            raise RtcpError(f"cumulative lost {self.cumulative_lost} out of 24-bit range")

    def to_bytes(self) -> bytes:
        """Serialise the block."""
        lost = (self.fraction_lost << 24) | (self.cumulative_lost & 0xFFFFFF)
        return _BLOCK.pack(self.ssrc, lost, *(getattr(self, n) for n in _BLOCK_WORDS))


@dataclass(frozen=True, slots=True, kw_only=True)
class SenderReport:
    """SR: sender info plus up to 31 report blocks (§6.4.1).

    Attributes:
        ssrc: The sender.
        ntp_timestamp: 64-bit NTP wallclock time (seconds << 32 | fraction).
        rtp_timestamp: The same instant in the stream's RTP timestamp units.
        packet_count: Data packets sent since the start.
        octet_count: Payload octets sent since the start.
        reports: Reception report blocks.
    """

    ssrc: int
    ntp_timestamp: int
    rtp_timestamp: int
    packet_count: int = 0
    octet_count: int = 0
    reports: tuple[ReportBlock, ...] = ()

    def __post_init__(self) -> None:
        _check_u32(self, "ssrc", "rtp_timestamp", "packet_count", "octet_count")
        if not 0 <= self.ntp_timestamp < 1 << 64:
            raise RtcpError("NTP timestamp is not a 64-bit value")

    @property
    def lsr(self) -> int:
        """The middle 32 bits of the NTP timestamp, echoed as LSR in report blocks."""
        return (self.ntp_timestamp >> 16) & 0xFFFFFFFF

    def to_bytes(self) -> bytes:
        """Serialise the packet."""
        info = _SR_INFO.pack(*(getattr(self, n) for n in _SR_FIELDS))
        return _packet(len(self.reports), RTCP_SR, info, *(r.to_bytes() for r in self.reports))


@dataclass(frozen=True, slots=True, kw_only=True)
class ReceiverReport:
    """RR: up to 31 report blocks from a participant that is not sending (§6.4.2).

    Attributes:
        ssrc: The reporter.
        reports: Reception report blocks.
    """

    ssrc: int
    reports: tuple[ReportBlock, ...] = ()

    def __post_init__(self) -> None:
        _check_u32(self, "ssrc")

    def to_bytes(self) -> bytes:
        """Serialise the packet."""
        blocks = (r.to_bytes() for r in self.reports)
        return _packet(len(self.reports), RTCP_RR, self.ssrc.to_bytes(4, "big"), *blocks)


@dataclass(frozen=True, slots=True, kw_only=True)
class SdesItem:
    """One SDES item (§6.5): type 1 CNAME ... 8 PRIV, and up to 255 octets of text."""

    type: int
    value: bytes

    def __post_init__(self) -> None:
        if not 1 <= self.type <= 255 or len(self.value) > 255:
            raise RtcpError("SDES item type must be 1..255 and its text at most 255 octets")


@dataclass(frozen=True, slots=True, kw_only=True)
class SdesChunk:
    """The SDES items of one source."""

    ssrc: int
    items: tuple[SdesItem, ...] = ()

    def __post_init__(self) -> None:
        _check_u32(self, "ssrc")

    @property
    def cname(self) -> str | None:
        """The CNAME item as text, or ``None``."""
        for item in self.items:
            if item.type == SDES_CNAME:
                return item.value.decode("utf-8", "replace")
        return None

    def to_bytes(self) -> bytes:
        """Serialise the chunk, null-terminated and padded to 32 bits."""
        out = self.ssrc.to_bytes(4, "big")
        out += b"".join(bytes((i.type, len(i.value))) + i.value for i in self.items)
        # §6.5: "The list of items in each chunk MUST be terminated by one or more null
        # octets" and "additional null octets MUST be included if needed to pad until the
        # next 32-bit boundary."
        return out + bytes(4 - len(out) % 4)


@dataclass(frozen=True, slots=True, kw_only=True)
class SourceDescription:
    """SDES: up to 31 chunks (§6.5)."""

    chunks: tuple[SdesChunk, ...] = ()

    @classmethod
    def with_cname(cls, ssrc: int, cname: str) -> SourceDescription:
        """The usual one-chunk SDES carrying only a CNAME."""
        item = SdesItem(type=SDES_CNAME, value=cname.encode())
        return cls(chunks=(SdesChunk(ssrc=ssrc, items=(item,)),))

    def to_bytes(self) -> bytes:
        """Serialise the packet."""
        return _packet(len(self.chunks), RTCP_SDES, *(c.to_bytes() for c in self.chunks))


@dataclass(frozen=True, slots=True, kw_only=True)
class Bye:
    """BYE: sources leaving, with an optional reason (§6.6).

    Attributes:
        sources: The SSRC/CSRCs leaving, at most 31.
        reason: Reason for leaving; undecodable octets survive as surrogate escapes.
    """

    sources: tuple[int, ...] = ()
    reason: str = ""

    def __post_init__(self) -> None:
        if any(not 0 <= ssrc < _U32 for ssrc in self.sources):
            raise RtcpError("BYE sources must be 32-bit values")
        if len(self._reason_bytes()) > 255:
            raise RtcpError("BYE reason longer than 255 octets")

    def _reason_bytes(self) -> bytes:
        try:
            return self.reason.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError as exc:
            raise RtcpError("BYE reason is not encodable as UTF-8") from exc

    def to_bytes(self) -> bytes:
        """Serialise the packet."""
        body = b"".join(s.to_bytes(4, "big") for s in self.sources)
        if self.reason:
            text = self._reason_bytes()
            body += bytes((len(text),)) + text
            body += bytes(-len(body) % 4)
        return _packet(len(self.sources), RTCP_BYE, body)


@dataclass(frozen=True, slots=True, kw_only=True)
class UnknownRtcp:
    """A packet type not modelled here (APP, RTPFB, PSFB, XR...), kept whole."""

    packet_type: int
    count: int
    body: bytes

    def to_bytes(self) -> bytes:
        """Serialise the packet (the body must be a multiple of 4 octets)."""
        return _packet(self.count, self.packet_type, self.body)


RtcpPacket: TypeAlias = SenderReport | ReceiverReport | SourceDescription | Bye | UnknownRtcp


def is_rtcp(data: bytes) -> bool:
    """Tell RTCP from RTP on a muxed port by the second octet, 192..223 (RFC 5761 §4)."""
    return len(data) >= 2 and 192 <= data[1] <= 223


def build_rtcp(packets: Iterable[RtcpPacket]) -> bytes:
    """Concatenate packets into one compound packet (the caller puts the report first)."""
    return b"".join(p.to_bytes() for p in packets)


def parse_rtcp(data: bytes, *, reduced_size: bool = False) -> tuple[RtcpPacket, ...]:
    """Parse a compound RTCP packet with the checks of RFC 3550 Appendix A.2.

    Args:
        data: The UDP payload.
        reduced_size: Accept a first packet other than SR/RR (RFC 5506 reduced-size RTCP).

    Returns:
        The packets in order.

    Raises:
        RtcpError: Bad version, lengths that do not add up to the datagram, misplaced or bad
            padding, a first packet that is not a report, or a body too short for its count.
    """
    packets: list[RtcpPacket] = []
    offset = 0
    while offset < len(data):
        if len(data) - offset < 4:
            raise RtcpError("truncated RTCP header")
        first, packet_type, words = struct.unpack_from("!BBH", data, offset)
        if first >> 6 != 2:
            raise RtcpError(f"RTCP version {first >> 6}, expected 2")
        end = offset + 4 * (words + 1)
        if end > len(data):
            # A.2: "the length fields of the individual RTCP packets must total to the overall
            # length of the compound RTCP packet as received."
            raise RtcpError("RTCP length field runs past the end of the datagram")
        body_end = end
        if first & 0x20:
            # A.2: padding "should only be applied, if it is needed, to the last packet."
            if end != len(data):
                raise RtcpError("padding on a packet that is not the last of the compound")
            pad = data[end - 1]
            if pad == 0 or pad > end - offset - 4:
                raise RtcpError(f"bad RTCP padding count {pad}")
            body_end -= pad
        if not packets and not reduced_size and packet_type not in (RTCP_SR, RTCP_RR):
            # §6.1: "The first RTCP packet in the compound packet MUST always be a report
            # packet to facilitate header validation".
            raise RtcpError(f"compound RTCP starts with packet type {packet_type}, not SR/RR")
        body = bytes(data[offset + 4 : body_end])
        packets.append(_parse_one(packet_type, first & 0x1F, body))
        offset = end
    if not packets:
        raise RtcpError("empty RTCP datagram")
    return tuple(packets)


def _parse_reports(body: bytes, offset: int, count: int) -> tuple[ReportBlock, ...]:
    # Octets after the blocks are a profile-specific extension (§6.4.1), skipped here.
    end = offset + 24 * count
    if end > len(body):
        raise RtcpError(f"{count} report blocks do not fit in the packet")
    blocks = []
    for ssrc, lost, *rest in _BLOCK.iter_unpack(body[offset:end]):
        words = dict(zip(_BLOCK_WORDS, rest, strict=True))
        cumulative = (lost & 0xFFFFFF) - ((lost & 0x800000) << 1)
        block = ReportBlock(
            ssrc=ssrc, fraction_lost=lost >> 24, cumulative_lost=cumulative, **words
        )
        blocks.append(block)
    return tuple(blocks)


def _parse_one(packet_type: int, count: int, body: bytes) -> RtcpPacket:
    if packet_type == RTCP_SR:
        if len(body) < _SR_INFO.size:
            raise RtcpError("SR shorter than its sender info")
        info = dict(zip(_SR_FIELDS, _SR_INFO.unpack_from(body), strict=True))
        return SenderReport(**info, reports=_parse_reports(body, _SR_INFO.size, count))
    if packet_type == RTCP_RR:
        if len(body) < 4:
            raise RtcpError("RR shorter than its SSRC")
        reports = _parse_reports(body, 4, count)
        return ReceiverReport(ssrc=int.from_bytes(body[:4], "big"), reports=reports)
    if packet_type == RTCP_SDES:
        return SourceDescription(chunks=_parse_chunks(body, count))
    if packet_type == RTCP_BYE:
        return _parse_bye(body, count)
    whole = body[: len(body) - len(body) % 4]
    return UnknownRtcp(packet_type=packet_type, count=count, body=whole)


def _parse_chunks(body: bytes, count: int) -> tuple[SdesChunk, ...]:
    chunks: list[SdesChunk] = []
    offset = 0
    for _ in range(count):
        if offset + 4 > len(body):
            raise RtcpError("SDES chunk runs past the end of the packet")
        ssrc = int.from_bytes(body[offset : offset + 4], "big")
        offset += 4
        items: list[SdesItem] = []
        while True:
            if offset >= len(body):
                raise RtcpError("SDES chunk is not null-terminated")
            item_type = body[offset]
            if item_type == 0:
                offset = (offset + 4) & ~3
                break
            if offset + 2 > len(body) or offset + 2 + body[offset + 1] > len(body):
                raise RtcpError("SDES item runs past the end of the packet")
            length = body[offset + 1]
            items.append(SdesItem(type=item_type, value=body[offset + 2 : offset + 2 + length]))
            offset += 2 + length
        chunks.append(SdesChunk(ssrc=ssrc, items=tuple(items)))
    return tuple(chunks)


def _parse_bye(body: bytes, count: int) -> Bye:
    end = 4 * count
    if end > len(body):
        raise RtcpError(f"BYE with {count} sources does not fit in the packet")
    sources = tuple(int.from_bytes(body[i : i + 4], "big") for i in range(0, end, 4))
    reason = ""
    if end < len(body) and body[end]:
        length = body[end]
        if end + 1 + length > len(body):
            raise RtcpError("BYE reason runs past the end of the packet")
        reason = body[end + 1 : end + 1 + length].decode("utf-8", "surrogateescape")
    return Bye(sources=sources, reason=reason)
