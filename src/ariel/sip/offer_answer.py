"""The SDP offer/answer model (RFC 3264) for one audio stream, RFC 4733 DTMF included.

Theory of operation. ``answer_offer`` walks the offer's m-lines in order and
accepts the first RTP/AVP audio stream that shares a codec with ``supported``;
every other stream is answered with port 0, which RFC 3264 §6 calls rejecting
it. The result is the answer to send and a :class:`NegotiatedAudio` saying what
to put on the wire: codec and payload type, where to send RTP, the
telephone-event payload type, the direction, and whether the peer holds the
call. ``make_offer`` builds our own offer; ``negotiate_answer`` reads the
answer to it. All are pure functions of their arguments.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from ariel.sip.sdp import (
    Connection,
    MediaDescription,
    Origin,
    RtpMap,
    SessionDescription,
    is_number,
    payload_type,
)

__all__ = [
    "Codec",
    "NegotiatedAudio",
    "NoCommonCodec",
    "answer_offer",
    "make_offer",
    "negotiate_answer",
]

_DTMF = "telephone-event"


class NoCommonCodec(Exception):
    """The offer has no audio stream we can accept (488 Not Acceptable Here)."""

    status = 488


@dataclass(frozen=True, slots=True, kw_only=True)
class Codec:
    """An audio format as negotiated: ``PCMU/8000`` on payload type 0."""

    name: str
    clock_rate: int
    payload_type: int


@dataclass(frozen=True, slots=True, kw_only=True)
class NegotiatedAudio:
    """What offer/answer agreed for the audio stream.

    ``direction`` is ours: ``sendrecv``, ``sendonly`` (we may send, not receive),
    ``recvonly`` or ``inactive``. ``on_hold`` is true when the peer put the call
    on hold (RFC 3264 §8.4: a ``sendonly``/``inactive`` stream, or the RFC 2543
    connection address 0.0.0.0).
    """

    codec: Codec
    remote_address: str
    remote_port: int
    remote_rtcp_port: int
    telephone_event: int | None
    direction: str
    on_hold: bool
    ptime: int | None
    stream_index: int


def _addr_type(address: str) -> str:
    return "IP6" if ":" in address else "IP4"


def _flags(direction: str) -> tuple[bool, bool]:
    return direction in ("sendrecv", "sendonly"), direction in ("sendrecv", "recvonly")


def _direction(send: bool, receive: bool) -> str:
    return {(True, True): "sendrecv", (True, False): "sendonly"}.get(
        (send, receive), "recvonly" if receive else "inactive"
    )


def _find(media: MediaDescription, name: str, rate: int) -> int | None:
    """The payload type the stream lists for ``name/rate``, in its order."""
    rtpmaps = media.rtpmaps
    for fmt in media.formats:
        pt = payload_type(fmt)
        rtpmap = rtpmaps.get(pt) if pt is not None else None
        if rtpmap and rtpmap.encoding.lower() == name.lower() and rtpmap.clock_rate == rate:
            return rtpmap.payload_type
    return None


def _choose(
    media: MediaDescription,
    supported: Sequence[tuple[str, int, int]],
    prefer: Literal["local", "remote"],
) -> Codec | None:
    rtpmaps = media.rtpmaps
    pts = [payload_type(f) for f in media.formats]
    offered = [rtpmaps[pt] for pt in pts if pt is not None and pt in rtpmaps]
    offered = [r for r in offered if r.encoding.lower() != _DTMF]
    pairs = [
        (mine, theirs)
        for mine in supported
        for theirs in offered
        if theirs.encoding.lower() == mine[0].lower() and theirs.clock_rate == mine[1]
    ]
    if not pairs:
        return None
    if prefer == "remote":
        pairs.sort(key=lambda pair: offered.index(pair[1]))
    _, theirs = pairs[0]
    return Codec(
        name=theirs.encoding, clock_rate=theirs.clock_rate, payload_type=theirs.payload_type
    )


def _audio_attributes(
    codec: Codec, telephone_event: int | None, ptime: int | None, direction: str
) -> tuple[tuple[str, str | None], ...]:
    rtpmap = RtpMap(
        payload_type=codec.payload_type, encoding=codec.name, clock_rate=codec.clock_rate
    )
    attributes: list[tuple[str, str | None]] = [("rtpmap", str(rtpmap))]
    if telephone_event is not None:
        attributes.append(("rtpmap", f"{telephone_event} {_DTMF}/{codec.clock_rate}"))
        attributes.append(("fmtp", f"{telephone_event} 0-16"))
    if ptime is not None:
        attributes.append(("ptime", str(ptime)))
    attributes.append((direction, None))
    return tuple(attributes)


def _rejected(media: MediaDescription) -> MediaDescription:
    # RFC 3264 §6: "An offered stream MAY be rejected in the answer by setting the
    # port in the corresponding "m=" line to zero." and §6.1 keeps at least one
    # of the offered formats on it.
    return MediaDescription(
        media=media.media, port=0, proto=media.proto, formats=media.formats[:1] or ("0",)
    )


def _rtcp_port(media: MediaDescription) -> int:
    # RFC 3605: a=rtcp:<port> [...]; otherwise RTP port + 1 (RFC 3550 §11).
    value = media.attribute("rtcp")
    port = value.split()[0] if value else ""
    return (
        int(port) if is_number(port) and len(port) <= 5 and int(port) <= 65535 else media.port + 1
    )


def answer_offer(
    offer: SessionDescription,
    *,
    local_address: str,
    local_port: int,
    supported: Sequence[tuple[str, int, int]],
    telephone_event: bool,
    session_id: int,
    session_version: int,
    direction: str = "sendrecv",
    ptime: int | None = None,
    prefer: Literal["local", "remote"] = "local",
    username: str = "-",
) -> tuple[SessionDescription, NegotiatedAudio]:
    """Answer an offer (RFC 3264 §6.1), accepting its first usable audio stream.

    Args:
        offer: The remote offer.
        local_address: Where we receive RTP (goes into o= and c=).
        local_port: Our RTP port.
        supported: Our codecs as ``(name, clock rate, payload type)``, best first.
        telephone_event: Whether to accept RFC 4733 events when offered.
        session_id: Our o= session id.
        session_version: Our o= version (bump it for every new answer).
        direction: What we want (``sendonly`` to hold the peer ourselves).
        ptime: An ``a=ptime`` to announce, if any.
        prefer: Whose codec order wins: ours, or the offer's.
        username: Our o= username.

    Raises:
        NoCommonCodec: No RTP/AVP audio stream shares a codec with ``supported``.
    """
    answer_media: list[MediaDescription] = []
    result: NegotiatedAudio | None = None
    for index, media in enumerate(offer.media):
        codec = None
        if result is None and media.media == "audio" and media.port and media.proto == "RTP/AVP":
            codec = _choose(media, supported, prefer)
        if codec is None:
            answer_media.append(_rejected(media))
            continue
        connection = offer.media_connection(media)
        offered = offer.media_direction(media)
        # §6.1: "If a stream is offered as sendonly, the corresponding stream MUST
        # be marked as recvonly or inactive in the answer. ... If an offered media
        # stream is listed as inactive, it MUST be marked as inactive".
        their_send, their_receive = _flags(offered)
        null = connection is None or connection.is_null
        want_send, want_receive = _flags(direction)
        ours = _direction(want_send and their_receive and not null, want_receive and their_send)
        dtmf = _find(media, _DTMF, codec.clock_rate) if telephone_event else None
        answer_media.append(
            MediaDescription(
                media="audio",
                port=local_port,
                proto=media.proto,
                formats=tuple(str(pt) for pt in (codec.payload_type, dtmf) if pt is not None),
                attributes=_audio_attributes(codec, dtmf, ptime, ours),
            )
        )
        result = NegotiatedAudio(
            codec=codec,
            remote_address=connection.host if connection else "0.0.0.0",
            remote_port=media.port,
            remote_rtcp_port=_rtcp_port(media),
            telephone_event=dtmf,
            direction=ours,
            on_hold=offered in ("sendonly", "inactive") or null,
            ptime=media.ptime,
            stream_index=index,
        )
    if result is None:
        raise NoCommonCodec("no audio stream with a common codec")
    answer = SessionDescription(
        origin=Origin(
            username=username,
            session_id=session_id,
            session_version=session_version,
            addr_type=_addr_type(local_address),
            address=local_address,
        ),
        connection=Connection(addr_type=_addr_type(local_address), address=local_address),
        media=tuple(answer_media),
    )
    return answer, result


def make_offer(
    *,
    local_address: str,
    local_port: int,
    codecs: Sequence[tuple[str, int, int]],
    telephone_event: int | None = 101,
    session_id: int,
    session_version: int,
    direction: str = "sendrecv",
    ptime: int | None = 20,
    username: str = "-",
) -> SessionDescription:
    """Build an offer with one audio stream listing ``codecs`` in order.

    Args:
        local_address: Where we receive RTP.
        local_port: Our RTP port.
        codecs: ``(name, clock rate, payload type)``, best first.
        telephone_event: The payload type to offer RFC 4733 events on, or ``None``.
        session_id: The o= session id.
        session_version: The o= version.
        direction: The direction attribute (``sendonly`` to hold).
        ptime: An ``a=ptime`` to announce, if any.
        username: The o= username.
    """
    attributes: list[tuple[str, str | None]] = []
    for name, rate, pt in codecs:
        attributes.append(("rtpmap", f"{pt} {name}/{rate}"))
    formats = [str(pt) for _, _, pt in codecs]
    if telephone_event is not None:
        formats.append(str(telephone_event))
        attributes.append(("rtpmap", f"{telephone_event} {_DTMF}/8000"))
        attributes.append(("fmtp", f"{telephone_event} 0-16"))
    if ptime is not None:
        attributes.append(("ptime", str(ptime)))
    attributes.append((direction, None))
    return SessionDescription(
        origin=Origin(
            username=username,
            session_id=session_id,
            session_version=session_version,
            addr_type=_addr_type(local_address),
            address=local_address,
        ),
        connection=Connection(addr_type=_addr_type(local_address), address=local_address),
        media=(
            MediaDescription(
                media="audio",
                port=local_port,
                formats=tuple(formats),
                attributes=tuple(attributes),
            ),
        ),
    )


def negotiate_answer(offer: SessionDescription, answer: SessionDescription) -> NegotiatedAudio:
    """Read the answer to our own offer (RFC 3264 §7).

    The first audio stream of the offer is the one we negotiate; the answer's
    m-line at the same position says whether it was accepted and with what.

    Raises:
        NoCommonCodec: The stream was rejected (port 0), is missing, or the
            answer names no codec from the offer.
    """
    index = next((i for i, m in enumerate(offer.media) if m.media == "audio"), None)
    if index is None or index >= len(answer.media) or not answer.media[index].port:
        raise NoCommonCodec("the answer rejected the audio stream")
    ours, theirs = offer.media[index], answer.media[index]
    codec = None
    for fmt in theirs.formats:
        pt = payload_type(fmt)
        rtpmap = theirs.rtpmaps.get(pt) if pt is not None else None
        if rtpmap is None or rtpmap.encoding.lower() == _DTMF:
            continue
        if _find(ours, rtpmap.encoding, rtpmap.clock_rate) is not None:
            codec = Codec(
                name=rtpmap.encoding, clock_rate=rtpmap.clock_rate, payload_type=rtpmap.payload_type
            )
            break
    if codec is None:
        raise NoCommonCodec("the answer names no offered codec")
    connection = answer.media_connection(theirs)
    null = connection is None or connection.is_null
    answered = answer.media_direction(theirs)
    their_send, their_receive = _flags(answered)
    want_send, want_receive = _flags(offer.media_direction(ours))
    return NegotiatedAudio(
        codec=codec,
        remote_address=connection.host if connection else "0.0.0.0",
        remote_port=theirs.port,
        remote_rtcp_port=_rtcp_port(theirs),
        telephone_event=_find(theirs, _DTMF, codec.clock_rate),
        direction=_direction(want_send and their_receive and not null, want_receive and their_send),
        on_hold=answered in ("sendonly", "inactive") or null,
        ptime=theirs.ptime,
        stream_index=index,
    )
