"""One RTP stream's RTCP: the reports it sends and the statistics it keeps (RFC 3550 §6.4).

Theory of operation. The session is sans-IO: the caller asks it for a compound report
(:meth:`RtcpSession.report`, :meth:`RtcpSession.bye`) and hands it what arrived
(:meth:`RtcpSession.receive`), each time with the current wallclock as a 64-bit NTP timestamp
and the receive statistics of :class:`~ariel.media.rtp.SequenceTracker`. Nothing here runs per
RTP packet.

What is kept, and how, follows res_rtp_asterisk (Asterisk 22), whose figures ARI's ``RTPstat``
and the ``RTPAUDIOQOS*`` variables show:

- Each report we send closes a reception interval: the packets lost in it are one sample of
  the local loss statistics (``rxlost``), our interarrival jitter one sample of the local
  jitter statistics, and the media experience score (MES) of what we received is computed.
- A report block from the peer gives the round-trip time (RFC 3550 §6.4.1: "the sender can
  compute the round-trip propagation delay to [the receiver] by recording the time A when
  this reception report block is received. It calculates the total round-trip time A-LSR
  using the last SR timestamp (LSR) field, and then subtracting this field to leave the
  round-trip propagation delay as (A - LSR - DLSR)"), and one sample each of the jitter
  (seconds) and cumulative loss the peer reports.
- Every statistic keeps min/max/mean/standard deviation with Welford's running method, as
  ``calc_mean_and_standard_deviation`` does in the reference.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ariel.media.rtcp import (
    Bye,
    ReceiverReport,
    ReportBlock,
    RtcpError,
    RtcpPacket,
    SenderReport,
    SourceDescription,
    build_rtcp,
    parse_rtcp,
)
from ariel.media.rtp import SequenceTracker

__all__ = [
    "NTP_UNIX_OFFSET",
    "RtcpSession",
    "RunningStat",
    "SendCounts",
    "media_experience_score",
    "ntp_from_unix",
]

#: Seconds from the NTP epoch (1900) to the Unix epoch (1970).
NTP_UNIX_OFFSET = 2_208_988_800
_U32 = 0xFFFFFFFF
_MAX_LOST = 0x7FFFFF


def ntp_from_unix(seconds: float) -> int:
    """A Unix time in seconds as a 64-bit NTP timestamp (seconds << 32 | fraction)."""
    return int((seconds + NTP_UNIX_OFFSET) * (1 << 32)) & ((1 << 64) - 1)


def _middle32(ntp: int) -> int:
    """The middle 32 bits of an NTP timestamp: the unit of LSR, DLSR and A (1/65536 s)."""
    return (ntp >> 16) & _U32


@dataclass(slots=True)
class RunningStat:
    """Minimum, maximum, mean and standard deviation of a series of samples.

    Attributes:
        minimum: The smallest sample (the first one until a smaller arrives).
        maximum: The largest sample (0 until a larger one arrives, as the reference starts).
        mean: The running mean (the reference's ``normdev``).
        stdev: The population standard deviation.
        count: Samples taken.
    """

    minimum: float = 0.0
    maximum: float = 0.0
    mean: float = 0.0
    stdev: float = 0.0
    count: int = 0

    def add(self, sample: float, *, zero_keeps_minimum: bool = False) -> None:
        """Take one sample.

        Args:
            sample: The value.
            zero_keeps_minimum: A zero sample after the first does not lower the minimum
                (the reference's rule for packets lost per interval).
        """
        if self.count == 0 or (sample < self.minimum and not (zero_keeps_minimum and not sample)):
            self.minimum = sample
        self.maximum = max(self.maximum, sample)
        # Welford: the deviation is turned back into a sum of squares, then updated.
        squares = self.stdev * self.stdev * (self.count or 1)
        self.count += 1
        before = sample - self.mean
        self.mean += before / self.count
        after = sample - self.mean
        self.stdev = math.sqrt(max(0.0, squares + before * after) / self.count)


def media_experience_score(rtt: float, jitter: float, jitter_stdev: float, lost: float) -> float:
    """The reference's media experience score, 0..100 (an R-factor rescaled to MOS x 20).

    Args:
        rtt: Mean round-trip time, seconds.
        jitter: Jitter, seconds.
        jitter_stdev: Standard deviation of the jitter.
        lost: Mean packets lost per reporting interval.
    """
    latency = rtt * 1000 + (jitter * 2) * (jitter_stdev / 3) + 10
    r = 93.2 - latency / 40 if latency < 160 else 93.2 - (latency - 120) / 10
    r -= lost * 2.0
    if r < 0:
        mos = 1.0
    elif r > 100:
        mos = 4.5
    else:
        mos = 1 + 0.035 * r + r * (r - 60) * (100 - r) * 0.0000007
    return mos * 20.0


@dataclass(frozen=True, slots=True, kw_only=True)
class SendCounts:
    """What the stream has sent, for an SR's sender info (RFC 3550 §6.4.1).

    Attributes:
        packets: RTP packets sent since the start.
        octets: Payload octets sent since the start.
        rtp_timestamp: The RTP timestamp of the report's instant.
    """

    packets: int
    octets: int
    rtp_timestamp: int


@dataclass(slots=True)
class RtcpSession:
    """The RTCP state of one RTP stream: report scheduling inputs and statistics.

    Attributes:
        ssrc: Our synchronisation source.
        cname: Our SDES CNAME.
        rtt: The last round-trip time, seconds.
        reported_jitter: The jitter of the peer's last report block, seconds.
        reported_lost: The cumulative loss of the peer's last report block, packets.
        reported_mes: The MES computed from the peer's last report.
        rxlost: Packets lost in the last interval we reported on.
        rxmes: The MES of what we receive, at our last report.
        expected_prior: Packets expected up to our last report.
        received_prior: Packets received up to our last report.
        sr_count: SRs sent. rr_count: RRs sent.
        reports_received: Report blocks taken from the peer.
    """

    ssrc: int
    cname: str
    rtt: float = 0.0
    rtt_stats: RunningStat = field(default_factory=RunningStat)
    reported_jitter: float = 0.0
    reported_jitter_stats: RunningStat = field(default_factory=RunningStat)
    reported_lost: int = 0
    reported_lost_stats: RunningStat = field(default_factory=RunningStat)
    reported_mes: float = 0.0
    reported_mes_stats: RunningStat = field(default_factory=RunningStat)
    rxlost: int = 0
    rxlost_stats: RunningStat = field(default_factory=RunningStat)
    rxjitter_stats: RunningStat = field(default_factory=RunningStat)
    rxmes: float = 0.0
    rxmes_stats: RunningStat = field(default_factory=RunningStat)
    expected_prior: int = 0
    received_prior: int = 0
    sr_count: int = 0
    rr_count: int = 0
    reports_received: int = 0
    #: tx packet count at our last SR: an SR goes out only when RTP went out since.
    last_sr_packets: int = 0
    #: LSR for our next report block: the middle of the peer's last SR NTP timestamp.
    their_lsr: int = 0
    #: When that SR arrived (NTP), for DLSR; ``None`` before any.
    their_sr_arrival: int | None = None

    # -- sending ----------------------------------------------------------------------
    def report(
        self,
        *,
        ntp: int,
        sent: SendCounts,
        rx: SequenceTracker,
        remote_ssrc: int | None,
        clock_rate: int,
    ) -> bytes:
        """Close a reception interval and produce the compound SR or RR + SDES.

        Args:
            ntp: Now, as a 64-bit NTP timestamp.
            sent: Our send counters.
            rx: Receive statistics of the peer's source.
            remote_ssrc: The peer's SSRC once RTP from it arrived, else ``None`` (no
                report block then).
            clock_rate: The RTP clock rate of the stream.

        Returns:
            The compound packet's bytes.
        """
        return build_rtcp(self._report_packets(ntp, sent, rx, remote_ssrc, clock_rate))

    def bye(
        self,
        *,
        ntp: int,
        sent: SendCounts,
        rx: SequenceTracker,
        remote_ssrc: int | None,
        clock_rate: int,
    ) -> bytes:
        """The last compound packet: a report, SDES and BYE (RFC 3550 §6.6)."""
        packets = self._report_packets(ntp, sent, rx, remote_ssrc, clock_rate)
        return build_rtcp((*packets, Bye(sources=(self.ssrc,))))

    def _report_packets(
        self,
        ntp: int,
        sent: SendCounts,
        rx: SequenceTracker,
        remote_ssrc: int | None,
        clock_rate: int,
    ) -> tuple[RtcpPacket, ...]:
        fraction, cumulative = self._close_interval(rx)
        jitter_s = rx.jitter / clock_rate
        if rx.received:
            self.rxjitter_stats.add(jitter_s)
        self.rxmes = media_experience_score(
            self.rtt_stats.mean, jitter_s, self.rxjitter_stats.stdev, self.rxlost_stats.mean
        )
        self.rxmes_stats.add(self.rxmes)
        blocks: tuple[ReportBlock, ...] = ()
        if remote_ssrc is not None:
            dlsr = 0
            if self.their_sr_arrival is not None:
                dlsr = _middle32(max(0, ntp - self.their_sr_arrival))
            block = ReportBlock(
                ssrc=remote_ssrc,
                fraction_lost=fraction,
                cumulative_lost=min(cumulative, _MAX_LOST),
                highest_sequence=rx.extended_max & _U32,
                jitter=rx.jitter & _U32,
                last_sr=self.their_lsr,
                delay_since_last_sr=dlsr,
            )
            blocks = (block,)
        report: SenderReport | ReceiverReport
        # The reference sends an SR when RTP went out since its last SR, else an RR.
        if sent.packets > self.last_sr_packets:
            report = SenderReport(
                ssrc=self.ssrc,
                ntp_timestamp=ntp,
                rtp_timestamp=sent.rtp_timestamp & _U32,
                packet_count=sent.packets & _U32,
                octet_count=sent.octets & _U32,
                reports=blocks,
            )
            self.last_sr_packets = sent.packets
            self.sr_count += 1
        else:
            report = ReceiverReport(ssrc=self.ssrc, reports=blocks)
            self.rr_count += 1
        return (report, SourceDescription.with_cname(self.ssrc, self.cname))

    def _close_interval(self, rx: SequenceTracker) -> tuple[int, int]:
        """Fraction lost (1/256) and cumulative loss, as RFC 3550 A.3 and the reference.

        Packets received late may outnumber those expected in an interval; expected is
        raised to match so the interval shows no loss.
        """
        received = rx.received
        expected = max(rx.expected, received)
        expected_interval = max(expected - self.expected_prior, received - self.received_prior)
        lost_interval = expected_interval - (received - self.received_prior)
        self.expected_prior = expected
        self.received_prior = received
        fraction = 0
        if expected_interval > 0 and lost_interval > 0:
            fraction = min(255, (lost_interval << 8) // expected_interval)
        self.rxlost = max(lost_interval, 0)
        self.rxlost_stats.add(self.rxlost, zero_keeps_minimum=True)
        return fraction, expected - received

    # -- receiving --------------------------------------------------------------------
    def receive(self, data: bytes, *, ntp: int, clock_rate: int) -> bool:
        """Take an RTCP datagram from the peer.

        Args:
            data: The UDP payload.
            ntp: Its arrival time as a 64-bit NTP timestamp.
            clock_rate: The RTP clock rate of the stream (reported jitter to seconds).

        Returns:
            Whether it was a valid RTCP compound packet (the caller then learns its source
            address for symmetric RTCP).
        """
        try:
            packets = parse_rtcp(data)
        except RtcpError:
            return False
        for packet in packets:
            if isinstance(packet, SenderReport):
                self.their_lsr = packet.lsr
                self.their_sr_arrival = ntp
            if isinstance(packet, SenderReport | ReceiverReport) and packet.reports:
                self._take_block(self._block_for_us(packet.reports), ntp, clock_rate)
        return True

    def _block_for_us(self, blocks: tuple[ReportBlock, ...]) -> ReportBlock:
        # The block about our SSRC; else the first, as the reference reads only that one
        # (a relayed leg's peer reports on the SSRC of the packets it was sent).
        for block in blocks:
            if block.ssrc == self.ssrc:
                return block
        return blocks[0]

    def _take_block(self, block: ReportBlock, ntp: int, clock_rate: int) -> None:
        self.reports_received += 1
        if block.last_sr:
            self._take_rtt(block.last_sr, block.delay_since_last_sr, _middle32(ntp))
        self.reported_jitter = block.jitter / clock_rate
        self.reported_jitter_stats.add(self.reported_jitter)
        # The 24-bit field is read unsigned, as the reference reads it.
        self.reported_lost = block.cumulative_lost & 0xFFFFFF
        self.reported_lost_stats.add(self.reported_lost)
        self.reported_mes = media_experience_score(
            self.rtt_stats.mean,
            self.reported_jitter,
            self.reported_jitter_stats.stdev,
            self.reported_lost_stats.mean,
        )
        self.reported_mes_stats.add(self.reported_mes)

    def _take_rtt(self, lsr: int, dlsr: int, arrival: int) -> None:
        if (arrival - dlsr) & _U32 < lsr:
            # A - DLSR before LSR: a peer whose DLSR is coarser than the round trip (libre
            # counts whole milliseconds) or a skewed clock. The reference leaves such a
            # sample out of the statistics but shows its wrapped value (some 65536 s) as
            # the last RTT; Ariel keeps the last RTT instead.
            return
        rtt = (arrival - lsr - dlsr) & _U32
        # 16.16 fixed point to seconds, whole microseconds as the reference converts it.
        self.rtt = (rtt >> 16) + ((rtt & 0xFFFF) * 15625 >> 10) / 1_000_000
        self.rtt_stats.add(self.rtt)
