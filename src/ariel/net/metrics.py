"""The media engine's and SIP layer's figures for ``/metrics``.

RTP: packets in and out (counters of the media clock), and for the streams up
now the packets lost and the interarrival jitter their receive side measures
(RFC 3550 A.3 and A.8, in :class:`ariel.media.rtp.SequenceTracker`). SIP: the
transactions the driver completed, by method, final status code and direction,
counted where the driver feeds the sans-IO layer and sends what it answers.
"""

from __future__ import annotations

from collections import Counter, OrderedDict
from collections.abc import Iterable

from ariel._util.prometheus import Family, Sample
from ariel.net.media_clock import MediaClock
from ariel.net.rtp_stream import RtpStream
from ariel.sip.message import Message, Response

__all__ = ["SipCounters", "media_collector", "sip_collector"]

#: RTP timestamp units per second of the codecs we carry (8 kHz audio).
_RTP_RATE = 8000


class SipCounters:
    """Final responses seen by one driver: ``(method, code, direction) -> count``.

    A transaction counts once: a final response sent or received again (a
    retransmission over UDP, RFC 3261 §17) has the same Via branch, Call-ID
    and CSeq as the first and is not counted again. The last
    :data:`REMEMBERED` transactions are remembered for that.
    """

    REMEMBERED = 8192

    def __init__(self) -> None:
        self.finals: Counter[tuple[str, int, str]] = Counter()
        self._seen: OrderedDict[tuple[str, str, str, int, str], None] = OrderedDict()

    def count(self, message: Message, direction: str) -> None:
        """Count ``message`` if it is a final response (``direction``: ``in`` or ``out``)."""
        if not isinstance(message, Response) or message.status < 200:
            return
        try:
            cseq = message.cseq
            key = (direction, message.branch or "", message.call_id, cseq.number, cseq.method)
        except ValueError:
            return
        if key in self._seen:
            return
        self._seen[key] = None
        if len(self._seen) > self.REMEMBERED:
            self._seen.popitem(last=False)
        self.finals[(cseq.method, message.status, direction)] += 1


def sip_collector(counters: SipCounters) -> list[Family]:
    """SIP transactions by method, final code and direction."""
    samples = [
        Sample({"method": method, "code": str(code), "direction": direction}, n)
        for (method, code, direction), n in sorted(counters.finals.items())
    ]
    return [
        Family(
            "ariel_sip_transactions_total",
            "counter",
            "SIP transactions completed, by method, final status code and direction "
            "(in: answered by the peer, out: answered by Ariel).",
            samples,
        )
    ]


def _rtp_streams(clock: MediaClock) -> Iterable[RtpStream]:
    return (s for s in clock.streams() if isinstance(s, RtpStream))


def media_collector(clock: MediaClock) -> list[Family]:
    """RTP totals and media-tick health of ``clock``, as metric families."""
    streams = list(_rtp_streams(clock))
    lost = sum(max(0, s.rx.lost) for s in streams)
    jitter = max((s.rx.jitter for s in streams), default=0) / _RTP_RATE
    return [
        Family(
            "ariel_rtp_packets_received_total",
            "counter",
            "RTP packets received by every stream.",
            [Sample({}, clock.rtp_packets_in)],
        ),
        Family(
            "ariel_rtp_packets_sent_total",
            "counter",
            "RTP packets sent by every stream.",
            [Sample({}, clock.rtp_packets_out)],
        ),
        Family(
            "ariel_rtp_packets_lost_total",
            "counter",
            "RTP packets lost by every stream since start (RFC 3550 cumulative lost).",
            [Sample({}, clock.rtp_packets_lost_ended + lost)],
        ),
        Family(
            "ariel_rtp_packets_lost",
            "gauge",
            "RTP packets lost so far by the streams up now (RFC 3550 cumulative lost).",
            [Sample({}, lost)],
        ),
        Family(
            "ariel_rtp_jitter_seconds",
            "gauge",
            "The largest interarrival jitter of the streams up now (RFC 3550 A.8).",
            [Sample({}, jitter)],
        ),
        Family(
            "ariel_rtp_streams",
            "gauge",
            "RTP streams the media clock paces now.",
            [Sample({}, len(clock))],
        ),
        Family(
            "ariel_media_late_ticks_total",
            "counter",
            "Media ticks that fired more than 60 ms late.",
            [Sample({}, clock.late_ticks)],
        ),
        Family(
            "ariel_media_max_lateness_seconds",
            "gauge",
            "The latest a media tick has fired since start.",
            [Sample({}, clock.max_lateness)],
        ),
    ]
