"""The media engine's figures for ``/metrics``: RTP packets and the clock's lateness."""

from __future__ import annotations

from ariel._util.prometheus import Family, Sample
from ariel.net.media_clock import MediaClock

__all__ = ["media_collector"]


def media_collector(clock: MediaClock) -> list[Family]:
    """RTP totals and media-tick health of ``clock``, as metric families."""
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
