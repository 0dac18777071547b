"""Hostile SDP never crashes the parser or offer/answer: a value, SdpError or NoCommonCodec.

Arbitrary text and mutated offers (lines dropped, duplicated, reordered or
replaced; hostile ports, payload types, rtpmaps, connection addresses and
attributes) go through ``parse_sdp``, ``serialize_sdp``, ``answer_offer`` and
``negotiate_answer``. What offer/answer accepts must be usable by the media
layer: a real port, a codec we support, an address a socket can take.
"""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ariel.sip.offer_answer import NegotiatedAudio, NoCommonCodec, answer_offer, negotiate_answer
from ariel.sip.offer_answer import make_offer as _make_offer
from ariel.sip.sdp import SdpError, SessionDescription, parse_sdp, serialize_sdp

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SUPPORTED = (("PCMU", 8000, 0), ("PCMA", 8000, 8), ("G722", 8000, 9))

OFFER = (
    "v=0\r\n"
    "o=phone 1 1 IN IP4 192.0.2.10\r\n"
    "s=-\r\n"
    "c=IN IP4 192.0.2.10\r\n"
    "t=0 0\r\n"
    "m=audio 4000 RTP/AVP 0 8 101\r\n"
    "a=rtpmap:0 PCMU/8000\r\n"
    "a=rtpmap:8 PCMA/8000\r\n"
    "a=rtpmap:101 telephone-event/8000\r\n"
    "a=fmtp:101 0-16\r\n"
    "a=ptime:20\r\n"
    "a=sendrecv\r\n"
)
HOSTILE_LINES = st.sampled_from(
    [
        "m=audio 65535 RTP/AVP 0",
        "m=audio 65536 RTP/AVP 0",
        "m=audio -1 RTP/AVP 0",
        "m=audio 0 RTP/AVP 0",
        "m=audio 4000/2 RTP/AVP 0",
        "m=audio 4000/ RTP/AVP 0",
        "m=audio 4000 RTP/AVP",
        "m=audio 4000 RTP/AVP " + "9" * 5000,
        "m=audio 4000 RTP/AVP 128 -1 x",
        "m=audio 4000 RTP/SAVP 0",
        "m=video 4000 RTP/AVP 0",
        "m=audio \u0664\u0660\u0660\u0660 RTP/AVP 0",
        "m=",
        "c=IN IP4 0.0.0.0",
        "c=IN IP6 ::",
        "c=IN IP4 224.2.1.1/127/3",
        "c=IN IP4",
        "c=IN IP4 a\x00b",
        "c=IN IP4 \udcff\udcfe",
        "c=IN IP4 " + "x" * 300,
        "c=",
        "a=rtpmap:0 PCMU/8000/1/1",
        "a=rtpmap:0 PCMU",
        "a=rtpmap:0 PCMU/" + "9" * 30,
        "a=rtpmap:" + "9" * 30 + " PCMU/8000",
        "a=rtpmap:101 telephone-event/0",
        "a=rtpmap:0 telephone-event/8000",
        "a=rtpmap:",
        "a=rtpmap",
        "a=fmtp:",
        "a=ptime:0",
        "a=ptime:-20",
        "a=ptime:99999999999",
        "a=rtcp:65535",
        "a=rtcp:99999",
        "a=rtcp:",
        "a=rtcp:-1 IN IP4 1.2.3.4",
        "a=sendonly",
        "a=recvonly",
        "a=inactive",
        "a=",
        "b=AS:" + "9" * 30,
        "b=AS:-1",
        "b=AS",
        "t=0",
        "t=x y",
        "t=-1 0",
        "o=- x y IN IP4 h",
        "o=- 1 1 IN IP4",
        "o=",
        "s=",
        "v=1",
        "z=0 0",
        "x",
        "=",
        "",
        "ab=c",
        "\u00e9=x",
    ]
)


@st.composite
def _mutated_offers(draw: st.DrawFn) -> str:
    lines = OFFER.split("\r\n")[:-1]
    for _ in range(draw(st.integers(1, 5))):
        kind = draw(st.sampled_from(["drop", "dup", "replace", "insert", "swap", "text"]))
        at = draw(st.integers(0, len(lines) - 1)) if lines else 0
        if kind == "drop" and lines:
            del lines[at]
        elif kind == "dup" and lines:
            lines.insert(draw(st.integers(0, len(lines))), lines[at])
        elif kind == "replace" and lines:
            lines[at] = draw(HOSTILE_LINES)
        elif kind == "insert":
            lines.insert(draw(st.integers(1, max(len(lines), 1))), draw(HOSTILE_LINES))
        elif kind == "swap" and len(lines) > 1:
            other = draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
        elif kind == "text" and lines:
            lines[at] = lines[at][:2] + draw(st.text(max_size=20))
    end = draw(st.sampled_from(["\r\n", "\n"]))
    return end.join(lines) + end


SDP_TEXT = st.one_of(
    _mutated_offers(),
    st.text(max_size=200).map(lambda text: "v=0\r\n" + text),
    st.binary(max_size=200).map(lambda data: "v=0\no=- 1 1 IN IP4 h\n" + data.decode("latin-1")),
)


def _parse(text: str) -> SessionDescription | None:
    try:
        sdp = parse_sdp(text.encode("utf-8", "surrogateescape"))
    except SdpError as error:
        assert error.status == 400
        return None
    for media in sdp.media:
        media.rtpmaps, media.ptime, media.fmtp(101), media.direction
        sdp.media_direction(media), sdp.media_connection(media)
    return sdp


def _usable(negotiated: NegotiatedAudio, sdp: SessionDescription) -> None:
    """What offer/answer hands the media layer must work with a UDP socket."""
    assert 0 < negotiated.remote_port <= 65535
    assert 0 <= negotiated.stream_index < len(sdp.media)
    assert 0 <= negotiated.codec.payload_type <= 127
    host = negotiated.remote_address
    assert host.isascii() and host.isprintable() and " " not in host, host
    if negotiated.telephone_event is not None:
        assert 0 <= negotiated.telephone_event <= 127


@FUZZ
@given(SDP_TEXT)
@example("v=0\r\no=- 1 1 IN IP4 h\r\nm=audio 4000 RTP/AVP " + "9" * 5000 + "\r\n")
@example("v=0\r\no=- 1 1 IN IP4 h\r\nm=audio 4000 RTP/AVP 0\r\nc=IN IP4 a\x00b\r\n")
def test_an_odd_offer_is_answered_or_refused_with_no_common_codec(text: str) -> None:
    offer = _parse(text)
    if offer is None:
        return
    again = parse_sdp(serialize_sdp(offer))
    assert len(again.media) == len(offer.media)
    try:
        answer, negotiated = answer_offer(
            offer,
            local_address="192.0.2.1",
            local_port=10000,
            supported=SUPPORTED,
            telephone_event=True,
            session_id=1,
            session_version=1,
        )
    except NoCommonCodec as error:
        assert error.status == 488
        return
    assert (negotiated.codec.name.upper(), negotiated.codec.clock_rate) in {
        (name, rate) for name, rate, _ in SUPPORTED
    }
    _usable(negotiated, offer)
    assert len(parse_sdp(serialize_sdp(answer)).media) == len(offer.media)


@FUZZ
@given(SDP_TEXT)
def test_an_odd_answer_to_our_offer_is_read_or_refused_with_no_common_codec(text: str) -> None:
    answer = _parse(text)
    if answer is None:
        return
    ours = _make_offer(
        local_address="192.0.2.1",
        local_port=10000,
        codecs=SUPPORTED,
        session_id=1,
        session_version=1,
    )
    for offer in (ours, answer):
        try:
            negotiated = negotiate_answer(offer, answer)
        except NoCommonCodec:
            continue
        _usable(negotiated, answer)
