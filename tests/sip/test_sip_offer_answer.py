"""RFC 3264 offer/answer for one audio stream, with RFC 4733 telephone-events."""

from __future__ import annotations

import pytest
from sip_corpus import everyday, torture

from ariel.sip import NoCommonCodec, SessionDescription, answer_offer, make_offer, parse_sdp
from ariel.sip.offer_answer import Codec, NegotiatedAudio, negotiate_answer
from ariel.sip.sdp import serialize_sdp

ULAW_ALAW = [("PCMU", 8000, 0), ("PCMA", 8000, 8)]


def _body(data: bytes) -> bytes:
    return data.partition(b"\r\n\r\n")[2]


PHONE = parse_sdp(_body(everyday("phone_invite")))  # offers 8 0 9 101


def _offer(media: str, session: str = "c=IN IP4 192.0.2.7\r\n") -> SessionDescription:
    return parse_sdp(f"v=0\r\no=- 7 7 IN IP4 192.0.2.7\r\ns=-\r\n{session}t=0 0\r\n{media}")


def _answer(
    offer: SessionDescription, **options: object
) -> tuple[SessionDescription, NegotiatedAudio]:
    settings: dict[str, object] = {
        "local_address": "203.0.113.5",
        "local_port": 10000,
        "supported": ULAW_ALAW,
        "telephone_event": True,
        "session_id": 42,
        "session_version": 1,
    }
    settings.update(options)
    return answer_offer(offer, **settings)  # type: ignore[arg-type]


def test_answer_takes_our_preferred_common_codec_and_the_offered_dtmf_type() -> None:
    answer, result = _answer(PHONE)
    assert result == NegotiatedAudio(
        codec=Codec(name="PCMU", clock_rate=8000, payload_type=0),
        remote_address="192.0.2.10",
        remote_port=4000,
        remote_rtcp_port=4001,
        telephone_event=101,
        direction="sendrecv",
        on_hold=False,
        ptime=20,
        stream_index=0,
    )
    (audio,) = answer.media
    assert (audio.port, audio.formats, audio.direction) == (10000, ("0", "101"), "sendrecv")
    assert audio.fmtp(101) == "0-16"
    assert answer.origin.session_id == 42 and answer.origin.address == "203.0.113.5"
    assert answer.connection is not None and answer.connection.address == "203.0.113.5"


def test_remote_preference_takes_the_offer_order_instead() -> None:
    _, result = _answer(PHONE, prefer="remote")
    assert result.codec == Codec(name="PCMA", clock_rate=8000, payload_type=8)


def test_dynamic_payload_type_of_the_offer_is_reused() -> None:
    offer = _offer(
        "m=audio 5000 RTP/AVP 96 97\r\na=rtpmap:96 opus/48000/2\r\n"
        "a=rtpmap:97 telephone-event/48000\r\n"
    )
    answer, result = _answer(offer, supported=[("opus", 48000, 111)])
    assert result.codec.payload_type == 96 and result.telephone_event == 97
    assert answer.media[0].rtpmaps[96].encoding == "opus"


def test_dtmf_is_left_out_when_not_wanted_or_not_offered() -> None:
    assert _answer(PHONE, telephone_event=False)[1].telephone_event is None
    _, result = _answer(_offer("m=audio 5000 RTP/AVP 0\r\n"))
    assert result.telephone_event is None


def test_every_offered_stream_gets_an_m_line_in_the_same_order() -> None:
    # RFC 3264 §6: "The answer MUST contain exactly the same number of "m=" lines
    # as the offer" -- the video and the second audio stream are refused by port 0.
    answer, result = answer_offer(
        parse_sdp(_body(torture("wsinv"))),
        local_address="203.0.113.5",
        local_port=10000,
        supported=ULAW_ALAW,
        telephone_event=True,
        session_id=1,
        session_version=1,
    )
    assert [(m.media, m.port) for m in answer.media] == [("audio", 10000), ("video", 0)]
    assert answer.media[1].formats == ("31",)
    offer = _offer(
        "m=video 6000 RTP/AVP 31\r\nm=audio 5000 RTP/AVP 0\r\nm=audio 5002 RTP/AVP 0\r\n"
    )
    answer, result = _answer(offer)
    assert [m.port for m in answer.media] == [0, 10000, 0]
    assert result.stream_index == 1


@pytest.mark.parametrize(
    ("offered", "answered", "ours", "on_hold"),
    [
        ("a=sendrecv\r\n", "sendrecv", "sendrecv", False),
        ("a=sendonly\r\n", "recvonly", "recvonly", True),
        ("a=recvonly\r\n", "sendonly", "sendonly", False),
        ("a=inactive\r\n", "inactive", "inactive", True),
        ("", "sendrecv", "sendrecv", False),
    ],
)
def test_direction_is_inverted_and_hold_detected(
    offered: str, answered: str, ours: str, on_hold: bool
) -> None:
    # RFC 3264 §6.1: "If a stream is offered as sendonly, the corresponding stream
    # MUST be marked as recvonly or inactive in the answer."
    answer, result = _answer(_offer(f"m=audio 5000 RTP/AVP 0\r\n{offered}"))
    assert answer.media[0].direction == answered
    assert (result.direction, result.on_hold) == (ours, on_hold)


def test_session_level_direction_applies_to_the_stream() -> None:
    _, result = _answer(
        _offer("m=audio 5000 RTP/AVP 0\r\n", "c=IN IP4 192.0.2.7\r\na=sendonly\r\n")
    )
    assert result.on_hold and result.direction == "recvonly"


def test_rfc2543_null_address_is_a_hold_and_we_do_not_send() -> None:
    _, result = _answer(_offer("m=audio 5000 RTP/AVP 0\r\n", "c=IN IP4 0.0.0.0\r\n"))
    assert result.on_hold and result.direction == "recvonly"


def test_our_own_hold_makes_a_sendonly_answer() -> None:
    answer, result = _answer(PHONE, direction="sendonly")
    assert answer.media[0].direction == "sendonly" == result.direction


def test_media_level_connection_wins_over_the_session_one() -> None:
    offer = _offer("m=audio 5000 RTP/AVP 0\r\nc=IN IP4 198.51.100.1\r\na=rtcp:6001\r\n")
    _, result = _answer(offer)
    assert (result.remote_address, result.remote_port, result.remote_rtcp_port) == (
        "198.51.100.1",
        5000,
        6001,
    )


@pytest.mark.parametrize(
    "media",
    [
        "m=audio 5000 RTP/AVP 18\r\n",  # G.729 only
        "m=audio 0 RTP/AVP 0\r\n",  # already refused
        "m=audio 5000 RTP/SAVP 0\r\n",  # SRTP only
        "m=video 5000 RTP/AVP 31\r\n",  # no audio at all
        "m=audio 5000 RTP/AVP 101\r\na=rtpmap:101 telephone-event/8000\r\n",  # DTMF only
    ],
)
def test_offer_without_a_usable_audio_codec_is_not_acceptable(media: str) -> None:
    with pytest.raises(NoCommonCodec) as caught:
        _answer(_offer(media))
    assert caught.value.status == 488


def test_answer_round_trips_through_sdp_text() -> None:
    answer, _ = _answer(PHONE, ptime=20)
    assert parse_sdp(serialize_sdp(answer)) == answer


def test_offer_lists_our_codecs_and_dtmf_and_its_answer_is_read_back() -> None:
    offer = make_offer(
        local_address="203.0.113.5",
        local_port=12000,
        codecs=ULAW_ALAW,
        session_id=9,
        session_version=1,
    )
    text = serialize_sdp(offer).decode()
    assert "m=audio 12000 RTP/AVP 0 8 101\r\n" in text
    assert "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\n" in text
    answer, _ = answer_offer(
        offer,
        local_address="192.0.2.99",
        local_port=4000,
        supported=[("PCMA", 8000, 8)],
        telephone_event=True,
        session_id=5,
        session_version=5,
    )
    result = negotiate_answer(offer, answer)
    assert result.codec == Codec(name="PCMA", clock_rate=8000, payload_type=8)
    assert (result.remote_address, result.remote_port) == ("192.0.2.99", 4000)
    assert (result.telephone_event, result.direction, result.on_hold) == (101, "sendrecv", False)


def test_answer_refusing_our_stream_is_not_acceptable() -> None:
    offer = make_offer(
        local_address="203.0.113.5", local_port=1, codecs=ULAW_ALAW, session_id=1, session_version=1
    )
    refused = parse_sdp(
        "v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nc=IN IP4 h\r\nt=0 0\r\nm=audio 0 RTP/AVP 0\r\n"
    )
    with pytest.raises(NoCommonCodec):
        negotiate_answer(offer, refused)
    foreign = parse_sdp(
        "v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nc=IN IP4 h\r\nt=0 0\r\nm=audio 5 RTP/AVP 18\r\n"
    )
    with pytest.raises(NoCommonCodec, match="no offered codec"):
        negotiate_answer(offer, foreign)
