"""How a call (PJSIP, UnicastRTP) uses its RTP stream: wiring to the channel, QoS figures.

The stream itself (:mod:`ariel.net.rtp_stream`) knows nothing of channels;
here its callbacks are pointed at the channel's audio plane, the codec that
offer/answer agreed is applied, and Asterisk's ``RTPAUDIOQOS*`` variables
are computed from its counters at hangup.
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
    """Use the agreed codec, payload types and the peer's address."""
    try:
        codec = codec_by_sdp_name(negotiated.codec.name, negotiated.codec.clock_rate)
    except (UnknownCodecError, KeyError):
        codec = None
    if codec is not None:
        stream.configure(codec.name, negotiated.codec.payload_type, negotiated.telephone_event)
    stream.set_remote(negotiated.remote_address, negotiated.remote_port)


def qos_variables(stream: RtpStream) -> list[tuple[str, str]]:
    """``RTPAUDIOQOS*`` variables as chan_pjsip sets them at hangup."""
    rx = stream.rx
    lost = max(0, rx.lost)
    jitter = rx.jitter / 8000 if stream.rx_packets else 0.0
    summary = (
        f"ssrc={stream.sender.ssrc};themssrc={stream.remote_ssrc};lp={lost};"
        f"rxjitter={jitter:.6f};rxcount={stream.rx_packets};txjitter=0.000000;"
        f"txcount={stream.tx_packets};rlp=0;rtt=0.000000"
    )
    return [
        ("RTPAUDIOQOS", summary),
        (
            "RTPAUDIOQOSJITTER",
            f"minrxjitter={jitter:.6f};maxrxjitter={jitter:.6f};avgrxjitter={jitter:.6f};"
            "stdevrxjitter=0.000000;reported_minjitter=0.000000;reported_maxjitter=0.000000;"
            "reported_avgjitter=0.000000;reported_stdevjitter=0.000000;",
        ),
        (
            "RTPAUDIOQOSLOSS",
            f"minrxlost={lost:.6f};maxrxlost={lost:.6f};avgrxlost={lost:.6f};"
            "stdevrxlost=0.000000;reported_minlost=0.000000;reported_maxlost=0.000000;"
            "reported_avglost=0.000000;reported_stdevlost=0.000000;",
        ),
        (
            "RTPAUDIOQOSRTT",
            "minrtt=0.000000;maxrtt=0.000000;avgrtt=0.000000;stdevrtt=0.000000;",
        ),
        (
            "RTPAUDIOQOSMES",
            "minrxmes=0.000000;maxrxmes=0.000000;avgrxmes=0.000000;stdevrxmes=0.000000;"
            "reported_minmes=0.000000;reported_maxmes=0.000000;reported_avgmes=0.000000;"
            "reported_stdevmes=0.000000;",
        ),
    ]


def rtp_statistics(stream: RtpStream, channel_id: str) -> dict[str, int | float | str]:
    """The ARI ``RTPstat`` model of a stream (``GET /channels/{id}/rtp_statistics``)."""
    rx = stream.rx
    jitter = rx.jitter / stream.codec.clock_rate if stream.rx_packets else 0.0
    return {
        "txcount": stream.tx_packets,
        "rxcount": stream.rx_packets,
        "rxjitter": round(jitter, 6),
        "txploss": 0,
        "rxploss": max(0, rx.lost),
        "local_ssrc": stream.sender.ssrc,
        "remote_ssrc": stream.remote_ssrc,
        "txoctetcount": stream.sender.octets_sent,
        "rxoctetcount": stream.rx_bytes,
        "channel_uniqueid": channel_id,
    }
