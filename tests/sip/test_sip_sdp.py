"""SDP (RFC 4566): reading, writing, the attributes the call layer needs."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sip_corpus import everyday

from ariel.sip import SdpError, SessionDescription, parse_message, parse_sdp, serialize_sdp
from ariel.sip.sdp import Connection, MediaDescription, Origin, RtpMap

PHONE = parse_message(everyday("phone_invite")).body


def test_phone_offer_reads_session_and_media_lines() -> None:
    sdp = parse_sdp(PHONE)
    assert sdp.origin == Origin(
        session_id=3904412093, session_version=3904412093, address="192.0.2.10"
    )
    assert (sdp.session_name, sdp.timing, sdp.bandwidths) == ("pjmedia", ((0, 0),), (("AS", 84),))
    assert sdp.connection is None and sdp.attributes == (("X-nat", "0"),)
    (audio,) = sdp.media
    assert (audio.media, audio.port, audio.proto) == ("audio", 4000, "RTP/AVP")
    assert audio.formats == ("8", "0", "9", "101")
    assert audio.connection == Connection(address="192.0.2.10")
    assert audio.rtpmaps[101] == RtpMap(
        payload_type=101, encoding="telephone-event", clock_rate=8000
    )
    assert audio.fmtp(101) == "0-16" and audio.fmtp(8) is None
    assert (audio.ptime, audio.direction) == (20, "sendrecv")
    assert audio.attribute("rtcp") == "4001 IN IP4 192.0.2.10"


def test_static_payload_types_need_no_rtpmap() -> None:
    media = MediaDescription(media="audio", port=1, formats=("0", "8", "18", "96"))
    assert {pt: (r.encoding, r.clock_rate) for pt, r in media.rtpmaps.items()} == {
        0: ("PCMU", 8000),
        8: ("PCMA", 8000),
        18: ("G729", 8000),
    }


def test_media_direction_and_connection_fall_back_to_the_session() -> None:
    sdp = parse_sdp(
        "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\n"
        "a=sendonly\r\nm=audio 5000 RTP/AVP 0\r\nm=audio 5002 RTP/AVP 0\r\na=inactive\r\n"
    )
    first, second = sdp.media
    assert sdp.media_direction(first) == "sendonly"
    assert sdp.media_direction(second) == "inactive"
    assert sdp.media_connection(first) == Connection(address="10.0.0.1")
    no_direction = parse_sdp("v=0\no=- 1 1 IN IP4 h\ns=-\nt=0 0\nm=audio 1 RTP/AVP 0\n")
    assert no_direction.media_direction(no_direction.media[0]) == "sendrecv"


def test_bare_lf_line_ends_are_accepted_and_written_as_crlf() -> None:
    text = "v=0\no=- 1 2 IN IP4 h\ns=x\nc=IN IP4 0.0.0.0\nt=0 0\nm=audio 9 RTP/AVP 0\n"
    sdp = parse_sdp(text)
    assert serialize_sdp(sdp) == text.replace("\n", "\r\n").encode()
    assert sdp.connection is not None and sdp.connection.is_null


def test_unmodelled_lines_survive_in_rfc_order() -> None:
    text = (
        "v=0\r\no=jdoe 2890844526 2890842807 IN IP4 10.47.16.5\r\ns=SDP Seminar\r\n"
        "i=A Seminar on the session description protocol\r\nu=http://www.example.com/s.ps\r\n"
        "e=j.doe@example.com (Jane Doe)\r\nc=IN IP4 224.2.17.12/127\r\n"
        "t=2873397496 2873404696\r\nr=604800 3600 0 90000\r\na=recvonly\r\n"
        "m=audio 49170 RTP/AVP 0\r\nm=video 51372/2 RTP/AVP 99\r\ni=video\r\n"
        "a=rtpmap:99 h263-1998/90000\r\n"
    )
    sdp = parse_sdp(text)
    assert serialize_sdp(sdp) == text.encode()
    assert sdp.connection is not None and sdp.connection.host == "224.2.17.12"
    assert sdp.media[1].port_count == 2 and sdp.media[1].other == (("i", "video"),)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "must start with v=0"),
        ("v=1\r\n", "must start with v=0"),
        ("v=0\r\ns=-\r\n", "no o= line"),
        ("v=0\r\no=- 1 1 IN IP4\r\n", "bad o= line"),
        ("v=0\r\no=- x 1 IN IP4 h\r\n", "bad session id"),
        ("v=0\r\no=- 1 1 IN IP4 h\r\nbogus\r\n", "bad SDP line"),
        ("v=0\r\no=- 1 1 IN IP4 h\r\nm=audio\r\n", "bad m= line"),
        ("v=0\r\no=- 1 1 IN IP4 h\r\nm=audio 70000 RTP/AVP 0\r\n", "bad media port"),
        ("v=0\r\no=- 1 1 IN IP4 h\r\nc=IN IP4\r\n", "bad c= line"),
        ("v=0\r\no=- 1 1 IN IP4 h\r\nb=AS\r\n", "bad b= line"),
        ("v=0\r\no=- 1 1 IN IP4 h\r\nt=now 0\r\n", "bad start time"),
    ],
)
def test_malformed_sdp_raises_sdp_error(text: str, message: str) -> None:
    with pytest.raises(SdpError, match=message) as caught:
        parse_sdp(text)
    assert caught.value.status == 400


_WORD = st.text("abcdefghijklmnopqrstuvwxyz0123456789-./", min_size=1, max_size=8)
_ATTRS = st.lists(st.tuples(_WORD, st.one_of(st.none(), _WORD)), max_size=3).map(tuple)
_MEDIA = st.builds(
    MediaDescription,
    media=st.sampled_from(["audio", "video", "text"]),
    port=st.integers(0, 65535),
    port_count=st.one_of(st.none(), st.integers(1, 8)),
    proto=st.sampled_from(["RTP/AVP", "RTP/SAVP", "udp"]),
    formats=st.lists(st.integers(0, 127).map(str), max_size=4).map(tuple),
    connection=st.one_of(st.none(), st.builds(Connection, address=_WORD)),
    bandwidths=st.lists(
        st.tuples(st.sampled_from(["AS", "TIAS"]), st.integers(0, 10**6)), max_size=2
    ).map(tuple),
    attributes=_ATTRS,
)
SESSIONS = st.builds(
    SessionDescription,
    origin=st.builds(
        Origin,
        session_id=st.integers(0, 2**63),
        session_version=st.integers(0, 2**63),
        address=_WORD,
    ),
    session_name=_WORD,
    timing=st.lists(
        st.tuples(st.integers(0, 2**32), st.integers(0, 2**32)), min_size=1, max_size=2
    ).map(tuple),
    connection=st.one_of(st.none(), st.builds(Connection, address=_WORD)),
    attributes=_ATTRS,
    media=st.lists(_MEDIA, max_size=3).map(tuple),
)


@given(SESSIONS)
def test_any_session_description_survives_writing_and_reading(sdp: SessionDescription) -> None:
    assert parse_sdp(serialize_sdp(sdp)) == sdp


@given(st.binary(max_size=200))
def test_arbitrary_bytes_raise_only_sdp_error(data: bytes) -> None:
    with contextlib.suppress(SdpError):
        parse_sdp(b"v=0\r\no=- 1 1 IN IP4 h\r\n" + data)
