"""How a call (PJSIP, UnicastRTP) uses its RTP stream: wiring to the channel, QoS figures.

The stream itself (:mod:`ariel.net.rtp_stream`) knows nothing of channels;
here its callbacks are pointed at the channel's audio plane, the codec that
offer/answer agreed is applied, and Asterisk's ``RTPAUDIOQOS*`` variables
(at hangup) and ARI's ``RTPstat`` are computed from its counters and RTCP
statistics, with res_rtp_asterisk's names, units (seconds) and formats.
"""

from __future__ import annotations

import logging
from typing import Protocol

from ariel.core.channels.channel import Channel
from ariel.media.codecs import UnknownCodecError, codec_by_sdp_name
from ariel.net.rtp_stream import RtpStream
from ariel.sip.offer_answer import NegotiatedAudio

log = logging.getLogger("ariel.rtp")

__all__ = [
    "HasRtpStream",
    "apply_negotiated",
    "qos_variables",
    "relay_media",
    "rtp_statistics",
    "wire_to_channel",
]


#: The cause a call hung up for lack of RTP gets (the reference's rtp_timeout).
RTP_TIMEOUT_CAUSE = 44


def wire_to_channel(
    stream: RtpStream, chan: Channel, *, timeout_s: int = 0, hold_timeout_s: int = 0
) -> None:
    """Send what the channel plays; give it what the peer sends; hang up a dead call."""
    media = chan.media
    stream.source = media.next_frame
    stream.on_audio = media.on_audio
    stream.wants_audio = lambda: media.wants_audio
    stream.plain = media.is_plain
    stream.on_dtmf = chan.dtmf_received
    stream.timeout_s = timeout_s
    stream.hold_timeout_s = hold_timeout_s

    def dead() -> None:
        log.warning(
            "%s: no RTP for %d seconds, hanging up",
            chan.name,
            stream.hold_timeout_s if stream.on_hold else stream.timeout_s,
        )
        chan.request_hangup(cause=RTP_TIMEOUT_CAUSE)

    stream.on_timeout = dead


class HasRtpStream(Protocol):
    """A call technology with one RTP stream."""

    rtp: RtpStream


def relay_media(stream: RtpStream, other: object | None) -> bool:
    """Point ``stream``'s incoming audio at ``other``'s stream undecoded, or stop.

    Only between streams of the same codec: the payload goes out as it came.
    """
    if other is None:
        stream.relay_to(None)
        return True
    target = getattr(other, "rtp", None)
    if not isinstance(target, RtpStream) or target.codec.name != stream.codec.name:
        return False
    stream.relay_to(target)
    return True


def apply_negotiated(stream: RtpStream, negotiated: NegotiatedAudio) -> None:
    """Use the agreed codec, payload types and the peer's RTP and RTCP addresses."""
    try:
        codec = codec_by_sdp_name(negotiated.codec.name, negotiated.codec.clock_rate)
    except (UnknownCodecError, KeyError):
        codec = None
    if codec is not None:
        stream.configure(codec.name, negotiated.codec.payload_type, negotiated.telephone_event)
    stream.set_remote(
        negotiated.remote_address, negotiated.remote_port, negotiated.remote_rtcp_port
    )


def _figures(stream: RtpStream) -> dict[str, float]:
    """The statistics of ``ast_rtp_get_stat`` in res_rtp_asterisk, by ``RTPstat`` name.

    The reference's naming is kept: ``txjitter`` is the jitter *we* measure on what we
    receive, ``rxjitter`` the one the peer reports; ``rxploss`` is what we lost as of our
    last report, ``txploss`` what the peer reports lost; ``local_*`` are samples taken at
    each report we send, ``remote_*`` at each report block the peer sends.
    """
    rtcp = stream.rtcp
    jitter = stream.rx.jitter / stream.codec.clock_rate if stream.rx_packets else 0.0
    figures = {
        "txjitter": jitter,
        "rxjitter": rtcp.reported_jitter,
        "txmes": rtcp.rxmes,
        "rxmes": rtcp.reported_mes,
        "rtt": rtcp.rtt,
    }
    for prefix, suffix, stat in (
        ("remote_", "jitter", rtcp.reported_jitter_stats),
        ("local_", "jitter", rtcp.rxjitter_stats),
        ("remote_", "rxploss", rtcp.reported_lost_stats),
        ("local_", "rxploss", rtcp.rxlost_stats),
        ("remote_", "mes", rtcp.reported_mes_stats),
        ("local_", "mes", rtcp.rxmes_stats),
        ("", "rtt", rtcp.rtt_stats),
    ):
        figures[f"{prefix}max{suffix}"] = stat.maximum
        figures[f"{prefix}min{suffix}"] = stat.minimum
        figures[f"{prefix}normdev{suffix}"] = stat.mean
        figures[f"{prefix}stdev{suffix}"] = stat.stdev
    # The reference reports the local MES deviation from the jitter's (ast_rtp_get_stat).
    figures["local_stdevmes"] = rtcp.rxjitter_stats.stdev
    return figures


def _rx_lost(stream: RtpStream) -> int:
    """Packets we lost as of our last RTCP report (live, when we send no reports)."""
    if stream.rtcp_interval_ms <= 0:
        return max(0, stream.rx.lost)
    return stream.rtcp.expected_prior - stream.rtcp.received_prior


def _line(pad: str, names: tuple[str, ...], values: tuple[float, ...]) -> str:
    return "".join(f"{pad}{n}={v:010.6f};" for n, v in zip(names, values, strict=True))


def _four(figures: dict[str, float], prefix: str, suffix: str) -> tuple[float, ...]:
    return tuple(figures[f"{prefix}{kind}{suffix}"] for kind in ("min", "max", "normdev", "stdev"))


def _names(*stems: str) -> tuple[str, ...]:
    return tuple(f"{kind}{stem}" for stem in stems for kind in ("min", "max", "avg", "stdev"))


def qos_variables(stream: RtpStream) -> list[tuple[str, str]]:
    """``RTPAUDIOQOS*`` variables as chan_pjsip sets them at hangup (Asterisk 22 format)."""
    f = _figures(stream)
    summary = (
        f"ssrc={stream.sender.ssrc};themssrc={stream.remote_ssrc};lp={_rx_lost(stream)};"
        f"rxjitter={f['rxjitter']:.6f};rxcount={stream.rx_packets};"
        f"txjitter={f['txjitter']:.6f};txcount={stream.tx_packets};"
        f"rlp={stream.rtcp.reported_lost};rtt={f['rtt']:.6f};"
        f"rxmes={f['rxmes']:.6f};txmes={f['txmes']:.6f}"
    )
    return [
        ("RTPAUDIOQOS", summary),
        (
            "RTPAUDIOQOSJITTER",
            _line(
                "",
                _names("rxjitter", "txjitter"),
                _four(f, "local_", "jitter") + _four(f, "remote_", "jitter"),
            ),
        ),
        (
            "RTPAUDIOQOSLOSS",
            _line(
                "  ",
                _names("rxlost", "txlost"),
                _four(f, "local_", "rxploss") + _four(f, "remote_", "rxploss"),
            ),
        ),
        ("RTPAUDIOQOSRTT", _line("     ", _names("rtt"), _four(f, "", "rtt"))),
        (
            "RTPAUDIOQOSMES",
            _line(
                "   ",
                _names("rxmes", "txmes"),
                _four(f, "local_", "mes") + _four(f, "remote_", "mes"),
            ),
        ),
    ]


_KINDS = ("max", "min", "normdev", "stdev")
#: ``RTPstat`` fields beyond the counters, in the model's order (the MES figures are not
#: in ARI's model).
_JITTER_FIELDS = (
    "txjitter",
    "rxjitter",
    *(f"remote_{k}jitter" for k in _KINDS),
    *(f"local_{k}jitter" for k in _KINDS),
)
_LOSS_FIELDS = (
    *(f"remote_{k}rxploss" for k in _KINDS),
    *(f"local_{k}rxploss" for k in _KINDS),
    "rtt",
    *(f"{k}rtt" for k in _KINDS),
)


def rtp_statistics(stream: RtpStream, channel_id: str) -> dict[str, int | float | str]:
    """The ARI ``RTPstat`` model of a stream (``GET /channels/{id}/rtp_statistics``).

    Every field is present, as ``ast_rtp_convert_stats_json`` writes them: the RTCP
    figures are 0 until reports have been exchanged.
    """
    f = _figures(stream)
    stats: dict[str, int | float | str] = {
        "txcount": stream.tx_packets,
        "rxcount": stream.rx_packets,
    }
    stats.update({name: f[name] for name in _JITTER_FIELDS})
    stats["txploss"] = stream.rtcp.reported_lost
    stats["rxploss"] = _rx_lost(stream)
    stats.update({name: f[name] for name in _LOSS_FIELDS})
    stats.update(
        {
            "local_ssrc": stream.sender.ssrc,
            "remote_ssrc": stream.remote_ssrc,
            "txoctetcount": stream.sender.octets_sent,
            "rxoctetcount": stream.rx_bytes,
            "channel_uniqueid": channel_id,
        }
    )
    return stats
