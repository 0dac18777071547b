"""Whole user agents fed damaged in-dialog traffic: outputs, or a TransactionError, only.

An answered incoming call (the softphone fixtures) and an outgoing call (the
callee fixtures) each get a random run of in-dialog requests and responses:
the real ones, and mutants of them that still parse (wrong tags, CSeq numbers
and methods, duplicated or missing fields, odd bodies, REFER with hostile
Refer-To). Timers fire in between. The UserAgent may answer, emit events or
drop a message; the only exception the transport edge has to catch is
:class:`TransactionError`, and every message it sends must write and read back.
"""

from __future__ import annotations

import contextlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sip_call_support import SDP, Harness, config, load
from sip_mutations import FIXTURES, HOSTILE_VALUES, mutated, mutated_bytes

from ariel.sip import Message, SipParseError, parse_address, parse_message, parse_uri, serialize
from ariel.sip.invite_session import Reinvite, SessionState
from ariel.sip.invite_uac import make_invite
from ariel.sip.transaction import Destination, TransactionError
from ariel.sip.user_agent import UserAgent

FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
TAG = "6b2bb5b4-9c2f-4e55-8d0f-6e1a3f2b7c11"  # the To tag of ack.sip and bye.sip
PHONE = Destination(host="203.0.113.7", port=40123)
CALLEE = Destination(host="198.51.100.2", port=5060)


def _in_dialog(method: str, extra: bytes = b"", cseq: int = 27813) -> bytes:
    """bye.sip turned into another in-dialog request of the softphone's call."""
    text = (FIXTURES / "bye.sip").read_bytes()
    text = text.replace(b"BYE sip:", method.encode() + b" sip:", 1)
    text = text.replace(b"CSeq: 27812 BYE", f"CSeq: {cseq} {method}".encode())
    return text.replace(b"Content-Length:", extra + b"Content-Length:", 1)


UAS_TRAFFIC = (
    FIXTURES / "bye.sip",
    FIXTURES / "ack.sip",
    FIXTURES / "cancel.sip",
    FIXTURES / "phone_invite.sip",
    FIXTURES / "flows" / "phone_reinvite_hold.sip",
    FIXTURES / "flows" / "phone_reinvite_ack.sip",
    FIXTURES / "flows" / "phone_bye_after_reinvite.sip",
    FIXTURES / "flows" / "phone_ack_487.sip",
)
UAC_TRAFFIC = tuple(sorted((FIXTURES / "flows").glob("uac_*.sip"), key=str))
_UAS_EXTRA = st.one_of(
    st.sampled_from(
        [
            _in_dialog("INFO"),
            _in_dialog("OPTIONS"),
            _in_dialog("UPDATE"),
            _in_dialog("NOTIFY", b"Event: refer\r\nSubscription-State: active\r\n"),
            _in_dialog("REFER", b"Refer-To: <sip:200@192.0.2.1>\r\n"),
            _in_dialog(
                "REFER",
                b"Refer-To: <sip:200@192.0.2.1?Replaces=x%3Bto-tag%3D1%3Bfrom-tag%3D2>\r\n",
            ),
            _in_dialog("REFER", b"Refer-To: <sip:a@b>\r\nRefer-To: <sip:c@d>\r\n"),
            _in_dialog("REFER"),
            _in_dialog("BYE", cseq=1),
            _in_dialog("INVITE", cseq=27813),
            _in_dialog("PRACK", b"RAck: 1 1 INVITE\r\n"),
            _in_dialog("XYZZY"),
        ]
    ),
    HOSTILE_VALUES.map(lambda value: _in_dialog("REFER", b"Refer-To: " + value + b"\r\n")),
)


def _parsed(data: bytes) -> Message | None:
    try:
        return parse_message(data)
    except SipParseError:
        return None


def _check_sent(h: Harness) -> None:
    for message in h.take_sent():
        again = parse_message(serialize(message))
        assert again.call_id == message.call_id


def _drive(h: Harness, items: list[tuple[bytes, bool]], source: Destination) -> None:
    for data, fire in items:
        message = _parsed(data)
        if message is not None:
            with contextlib.suppress(TransactionError):
                h.receive(message, source)
        for session, event in list(h.events):
            # The driver answers a re-INVITE it is told of (hold, unhold, refresh).
            if isinstance(event, Reinvite) and session and session.allows("answer_reinvite"):
                h.feed(h.ua.track(session, session.answer_reinvite(SDP)))
        h.events.clear()
        if fire and h.wheel.due:
            with contextlib.suppress(TransactionError):
                h.fire_next()
        _check_sent(h)


def _answered_call() -> Harness:
    h = Harness(UserAgent(config(TAG)))
    h.receive(load("phone_invite.sip"), PHONE)
    (session,) = h.ua.sessions
    h.feed(h.ua.track(session, session.answer(SDP)))  # type: ignore[attr-defined]
    h.receive(load("ack.sip"), PHONE)
    assert session.state is SessionState.CONFIRMED
    h.take_sent(), h.take_events()
    return h


_UAS_ITEMS = st.lists(
    st.tuples(
        st.one_of(
            st.sampled_from(UAS_TRAFFIC).map(lambda p: p.read_bytes()),
            _UAS_EXTRA,
            mutated(UAS_TRAFFIC, max_mutations=3),
            _UAS_EXTRA.flatmap(lambda data: mutated_bytes(data, 3)),
        ),
        st.booleans(),
    ),
    min_size=1,
    max_size=10,
)


@FUZZ
@given(_UAS_ITEMS)
def test_an_answered_call_survives_any_in_dialog_traffic(items: list[tuple[bytes, bool]]) -> None:
    h = _answered_call()
    _drive(h, items, PHONE)
    # Let every timer run out: nothing may raise and the call ends or stays up.
    for _ in range(200):
        if not h.wheel.due:
            break
        with contextlib.suppress(TransactionError):
            h.fire_next()
        _check_sent(h)
        h.events.clear()


def _outgoing_call() -> Harness:
    cfg = config("uacbranch0001", "uactag0001")
    h = Harness(UserAgent(cfg))
    invite = make_invite(
        cfg,
        uri=parse_uri("sip:bob@198.51.100.2"),
        from_address=parse_address('"Ariel" <sip:ariel@192.0.2.1>'),
        to_address=parse_address("<sip:bob@198.51.100.2>"),
        call_id="uac-call-1@192.0.2.1",
        body=SDP,
    )
    _, routed = h.ua.call(invite, Destination(host="198.51.100.1", port=5060))
    h.feed(routed)
    h.take_sent()
    return h


@FUZZ
@given(
    st.lists(
        st.tuples(
            st.one_of(
                st.sampled_from(UAC_TRAFFIC).map(lambda p: p.read_bytes()),
                mutated(UAC_TRAFFIC, max_mutations=3),
            ),
            st.booleans(),
        ),
        min_size=1,
        max_size=10,
    ),
    st.booleans(),
)
def test_an_outgoing_call_survives_any_responses_and_requests(
    items: list[tuple[bytes, bool]], hang_up: bool
) -> None:
    h = _outgoing_call()
    _drive(h, items, CALLEE)
    for session in h.ua.sessions:
        if hang_up and session.state is not SessionState.TERMINATED:
            h.feed(h.ua.track(session, session.hangup()))  # type: ignore[attr-defined]
    for _ in range(200):
        if not h.wheel.due:
            break
        with contextlib.suppress(TransactionError):
            h.fire_next()
        _check_sent(h)
        h.events.clear()


def test_a_cancel_with_a_non_utf8_branch_gets_its_481() -> None:
    # Found by the fuzz: the 481's To tag hashed the branch with a strict encode.
    h = _answered_call()
    data = (FIXTURES / "cancel.sip").read_bytes().replace(b"z9hG4bK", b"z9hG4bK\xff", 1)
    h.receive(parse_message(data), PHONE)
    assert [m.status for m in h.take_sent()] == [481]  # type: ignore[union-attr]
