"""Hostile bytes never crash the SIP parsers: each returns a value or raises SipParseError.

Arbitrary octets, SIP-looking token soup and mutated wire fixtures (flipped,
inserted and deleted octets; dropped, duplicated and folded header lines; lying
Content-Length and CSeq; non-UTF-8; missing mandatory fields) go through
``parse_message``, every typed view of what it accepts, ``serialize``, the TCP
``StreamFramer`` (fed in random chunks, with a bound on what it buffers), and
the field parsers: URI, name-addr, Via, CSeq, Refer-To, Replaces and Digest.
"""

from __future__ import annotations

import contextlib
import itertools

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sip_mutations import EVERYDAY, FIXTURES, HOSTILE_BYTES, HOSTILE_VALUES, WIRE, mutated

from ariel.sip import Request, Response, SipParseError, parse_message, serialize
from ariel.sip.address import parse_address, parse_address_list
from ariel.sip.digest import (
    DigestCredentials,
    DigestError,
    parse_authorization,
    parse_challenge,
    verify_authorization,
)
from ariel.sip.errors import FramingError
from ariel.sip.fields import parse_cseq, parse_via_list
from ariel.sip.framing import StreamFramer
from ariel.sip.message import Message
from ariel.sip.refer_to import parse_refer_to, parse_replaces
from ariel.sip.uri import parse_uri, uri_equal

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TEXT = st.one_of(
    st.text(max_size=80),
    HOSTILE_VALUES.map(lambda b: b.decode("utf-8", "surrogateescape")),
    st.binary(max_size=60).map(lambda b: b.decode("utf-8", "surrogateescape")),
)


def _touch(message: Message) -> None:
    """Read every typed view of a parsed message; each may only raise SipParseError."""
    views = [
        "call_id",
        "cseq",
        "from_address",
        "to_address",
        "from_tag",
        "to_tag",
        "vias",
        "top_via",
        "branch",
        "contacts",
        "content_type",
    ]
    if isinstance(message, Request):
        views.append("max_forwards")
    for view in views:
        with contextlib.suppress(SipParseError):
            getattr(message, view)


def _parse(data: bytes) -> Message | None:
    try:
        message = parse_message(data)
    except SipParseError as error:
        assert error.status in (400, 505)
        assert error.reason
        return None
    assert isinstance(message, Request | Response)
    return message


@FUZZ
@given(HOSTILE_BYTES)
@example(b"INVITE sip:a@b SIP/2.0\r\nContent-Length: 99999999999999999999\r\n\r\n")
@example(b"INVITE sip:a@b SIP/2.0\r\nContent-Length: -1\r\n\r\n")
@example(b"INVITE sip:a@b SIP/2.0\r\nCSeq: \xc2\xb2 INVITE\r\n\r\n")
@example(b"\r\n \r\n\r\n")
def test_parse_message_returns_a_message_or_raises_sip_parse_error(data: bytes) -> None:
    message = _parse(data)
    if message is not None:
        _touch(message)


@FUZZ
@given(mutated())
def test_an_accepted_mutant_is_written_and_read_back_as_the_same_message(data: bytes) -> None:
    message = _parse(data)
    if message is None:
        return
    _touch(message)
    again = parse_message(serialize(message))
    assert again == message or again.headers.without("Content-Length") == message.headers.without(
        "Content-Length"
    )


@FUZZ
@given(mutated(EVERYDAY, max_mutations=2))
def test_a_mutant_of_an_everyday_message_is_rejected_with_400_or_505(data: bytes) -> None:
    try:
        parse_message(data)
    except SipParseError as error:
        assert error.status in (400, 505)


# -- the TCP framer -------------------------------------------------------------

MAX_HEADER, MAX_BODY = 1024, 2048


def _drain(framer: StreamFramer) -> tuple[int, FramingError | None]:
    """Take every event; count the messages; stop at a FramingError."""
    count = 0
    while True:
        try:
            event = framer.next_event()
        except FramingError as error:
            return count, error
        except SipParseError:
            continue  # framed, malformed inside: consumed, the stream goes on
        if event is None:
            return count, None
        count += 1


@st.composite
def _chunked_streams(draw: st.DrawFn) -> list[bytes]:
    pieces = draw(
        st.lists(
            st.one_of(
                st.sampled_from(WIRE).map(lambda p: p.read_bytes()),
                mutated(),
                st.binary(max_size=100),
                st.sampled_from([b"\r\n", b"\r\n\r\n", b"\r", b"\n"]),
            ),
            min_size=1,
            max_size=6,
        )
    )
    stream = b"".join(pieces)
    cuts = sorted(draw(st.lists(st.integers(0, len(stream)), max_size=12)))
    bounds = [0, *cuts, len(stream)]
    return [stream[a:b] for a, b in itertools.pairwise(bounds)]


@FUZZ
@given(_chunked_streams())
def test_the_framer_yields_events_or_raises_framing_error_and_stays_bounded(
    chunks: list[bytes],
) -> None:
    framer = StreamFramer(max_header_size=MAX_HEADER, max_body_size=MAX_BODY)
    for chunk in chunks:
        framer.feed(chunk)
        _, broken = _drain(framer)
        if broken is not None:
            # Once broken, always broken: the connection must be closed.
            try:
                framer.next_event()
            except FramingError as again:
                assert again is broken
            else:
                raise AssertionError("a broken framer produced an event")
            return
        # Whatever the peer sends, the framer holds at most one unfinished head
        # or one awaited body.
        assert framer.buffered <= max(MAX_HEADER, MAX_BODY)


@given(st.integers(1, 64))
@settings(deadline=None, max_examples=20)
def test_header_octets_without_a_blank_line_stop_at_the_header_limit(chunk_size: int) -> None:
    framer = StreamFramer(max_header_size=MAX_HEADER, max_body_size=MAX_BODY)
    framer.feed(b"INVITE sip:a@b SIP/2.0\r\n")
    broken = None
    fed = 0
    while broken is None:
        framer.feed(b"X" * chunk_size)
        fed += chunk_size
        _, broken = _drain(framer)
        assert framer.buffered <= MAX_HEADER + chunk_size
    assert "header" in broken.reason and fed <= MAX_HEADER + chunk_size


def test_a_content_length_over_the_body_limit_breaks_the_stream_at_once() -> None:
    framer = StreamFramer(max_header_size=MAX_HEADER, max_body_size=MAX_BODY)
    head = (EVERYDAY[0].read_bytes().split(b"\r\n\r\n")[0]).split(b"\r\n")
    head = [line for line in head if not line.lower().startswith((b"content-length", b"l:"))]
    framer.feed(b"\r\n".join([*head, b"Content-Length: 2049"]) + b"\r\n\r\n")
    count, broken = _drain(framer)
    assert count == 0 and broken is not None and "2049" in broken.reason


def test_the_default_framer_limits_are_64_kib_of_header_and_16_mib_of_body() -> None:
    framer = StreamFramer()
    framer.feed(b"OPTIONS sip:a@b SIP/2.0\r\n" + b"X" * 65536)
    assert _drain(framer)[1] is not None
    framer = StreamFramer()
    framer.feed(b"OPTIONS sip:a@b SIP/2.0\r\nContent-Length: 16777217\r\n\r\n")
    broken = _drain(framer)[1]
    assert broken is not None and "16777216" in broken.reason


@FUZZ
@given(mutated(EVERYDAY), st.integers(1, 50))
def test_one_message_in_small_chunks_frames_as_the_datagram_parser_reads_it(
    data: bytes, size: int
) -> None:
    """A mutant framed from a stream is the message parse_message reads, or an error."""
    framer = StreamFramer()
    events = []
    for at in range(0, len(data), size):
        framer.feed(data[at : at + size])
        try:
            events += list(framer)
        except SipParseError:
            return
    for event in events:
        message = getattr(event, "message", None)
        if message is not None:
            _touch(message)


# -- field parsers ----------------------------------------------------------------


@FUZZ
@given(TEXT)
@example("sip:a@b:99999999999999999999")
@example("sip:a@[::1")
@example("sip:%@b")
@example("sip:a@b;=x")
@example("sip:a@b?=")
def test_uri_parsing_returns_a_uri_or_raises_sip_parse_error(text: str) -> None:
    try:
        uri = parse_uri(text)
    except SipParseError:
        return
    assert uri_equal(uri, uri)
    str(uri)


@FUZZ
@given(TEXT)
@example('"a\\')
@example("<sip:a@b>;tag=1,<sip:c@d")
def test_address_parsing_returns_addresses_or_raises_sip_parse_error(text: str) -> None:
    for parse in (parse_address, parse_address_list):
        try:
            result = parse(text)
        except SipParseError:
            continue
        str(result)


@FUZZ
@given(TEXT)
@example("SIP/2.0/UDP h;rport=99999999999999999999999")
@example("SIP/2.0/UDP h:99999")
@example("1" * 5000 + " INVITE")
def test_via_and_cseq_parsing_return_values_or_raise_sip_parse_error(text: str) -> None:
    try:
        for via in parse_via_list(text):
            str(via)
            via.rport, via.ttl, via.received, via.maddr, via.branch  # noqa: B018
    except SipParseError:
        pass
    with contextlib.suppress(SipParseError):
        parse_cseq(text)


@FUZZ
@given(TEXT)
@example("<sip:x@y?Replaces=abc%3Bto-tag%3D1%3Bfrom-tag%3D2>")
@example("<sip:x@y?Replaces=%3B%3B>")
@example("<sip:x@y;Replaces>")
@example("<tel:123>")
def test_refer_to_and_replaces_parsing_raise_only_sip_parse_error(text: str) -> None:
    try:
        target = parse_refer_to(text)
    except SipParseError:
        pass
    else:
        assert target.user is not None
    with contextlib.suppress(SipParseError):
        parse_replaces(text)


_DIGEST_PARTS = st.lists(
    st.one_of(
        st.sampled_from(
            [
                'username="alice"',
                'realm="asterisk"',
                'nonce="1/2/3"',
                'uri="sip:a@b"',
                'response="0123456789abcdef0123456789abcdef"',
                "algorithm=MD5",
                "algorithm=SHA-256-sess",
                "algorithm=bogus",
                "qop=auth",
                "qop=auth-int",
                "qop=nonsense",
                "nc=00000001",
                'cnonce="x"',
                'opaque="o"',
                'response="\u00e9\u00e9"',
                'nonce="\u00e9/1/2"',
                'username="\\',
                "username",
                "=",
                '""',
            ]
        ),
        TEXT,
    ),
    max_size=10,
).map(lambda parts: "Digest " + ", ".join(parts))


@FUZZ
@given(st.one_of(TEXT, _DIGEST_PARTS))
@example("")
@example("   ")
@example("Digest")
@example('Digest username="a", realm="r", nonce="n", uri="u", response="\u00e9"')
def test_digest_headers_parse_and_verify_or_raise_digest_error(text: str) -> None:
    try:
        credentials: DigestCredentials | None = parse_authorization(text)
    except DigestError:
        credentials = None
    if credentials is not None:
        for secret in ({"password": "secret"}, {"ha1": "0" * 32}, {"ha1": "\u00e9"}):
            with contextlib.suppress(DigestError):
                verify_authorization(credentials, method="REGISTER", **secret)  # type: ignore[arg-type]
    with contextlib.suppress(DigestError):
        parse_challenge(text)


# -- fields the call layers read later are checked when the message is parsed -----------

_OK_200 = (FIXTURES / "ok_200_invite.sip").read_bytes()


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (_OK_200.replace(b";rport=5060", b";rport=99999999"), "rport"),
        (_OK_200.replace(b";rport=5060", b";rport=5060;ttl=300"), "ttl"),
        (
            _OK_200.replace(b"Call-ID:", b"Record-Route: <s ip:p.example.net;lr>\r\nCall-ID:"),
            "not a URI",
        ),
        (_OK_200.replace(b"Call-ID:", b"Record-Route: <sip:p;lr\r\nCall-ID:"), "address"),
    ],
)
def test_a_field_read_later_is_checked_at_parse_time(data: bytes, reason: str) -> None:
    # Found by the session fuzz: each raised out of the dialog or transaction layer.
    with pytest.raises(SipParseError, match=reason):
        parse_message(data)


def test_a_2xx_to_invite_without_a_to_tag_is_refused() -> None:
    to = next(line for line in _OK_200.split(b"\r\n") if line.startswith(b"To:"))
    with pytest.raises(SipParseError, match="To tag"):
        parse_message(_OK_200.replace(to, to.split(b";tag=")[0]))
