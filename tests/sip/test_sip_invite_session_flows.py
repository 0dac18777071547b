"""Whole calls on the wire: a softphone's INVITE, ACK, re-INVITE, BYE and CANCEL
from fixtures into a UserAgent, and every message it sends written to bytes
and read back."""

from __future__ import annotations

from sip_call_support import SDP, Harness, config, load

from ariel.sip import Request, Response, parse_message, serialize
from ariel.sip.invite_session import (
    Cancelled,
    Confirmed,
    Ended,
    Incoming,
    Reinvite,
    SessionState,
)
from ariel.sip.invite_uas import UasSession
from ariel.sip.transaction import Destination
from ariel.sip.user_agent import UserAgent

TAG = "6b2bb5b4-9c2f-4e55-8d0f-6e1a3f2b7c11"  # the To tag in ack.sip and bye.sip
NATTED = Destination(host="203.0.113.7", port=40123)


def _wire(h: Harness) -> list[Request | Response]:
    """What went out, each message serialized and parsed back."""
    out = []
    for _, message, destination in h.sent:
        assert destination == NATTED  # rport: back to where the phone really is
        again = parse_message(serialize(message))
        assert again == parse_message(serialize(again))
        out.append(again)
    h.sent.clear()
    return out


def _session(h: Harness) -> UasSession:
    (session,) = h.ua.sessions
    assert isinstance(session, UasSession)
    return session


def test_a_softphone_call_from_invite_to_bye() -> None:
    h = Harness(UserAgent(config(TAG)))
    invite = load("phone_invite.sip")
    h.receive(invite, NATTED)
    (incoming,) = h.take_events()
    assert isinstance(incoming, Incoming) and incoming.sdp == invite.body
    session = _session(h)
    h.feed(h.ua.track(session, session.ring()))
    h.feed(h.ua.track(session, session.answer(SDP)))
    trying, ringing, ok = _wire(h)
    assert [trying.status, ringing.status, ok.status] == [100, 180, 200]  # type: ignore[union-attr]
    expected = load("ok_200_invite.sip")
    for name in ("Call-ID", "CSeq", "From", "To"):
        assert ok.headers.get(name) == expected.headers.get(name), name
    assert ok.top_via.branch == expected.top_via.branch
    assert ok.top_via.received == "203.0.113.7" and ok.top_via.rport == 40123
    assert ok.body == SDP and ok.content_type == "application/sdp"

    h.receive(load("ack.sip"), NATTED)
    assert h.take_events() == [Confirmed(sdp=None)]
    assert session.state is SessionState.CONFIRMED

    h.receive(load("bye.sip"), NATTED)
    (bye_ok,) = _wire(h)
    assert isinstance(bye_ok, Response) and bye_ok.status == 200
    assert str(bye_ok.cseq) == "27812 BYE" and bye_ok.to_tag == TAG
    (ended,) = h.take_events()
    assert isinstance(ended, Ended) and ended.reason == "BYE"
    assert h.ua.sessions == []
    # Only the transactions' own timers are left: nothing of the session.
    assert all(owner is not session for owner, _ in h.wheel.due)


def test_a_softphone_call_put_on_hold_with_a_reinvite() -> None:
    h = Harness(UserAgent(config(TAG)))
    h.receive(load("phone_invite.sip"), NATTED)
    session = _session(h)
    h.feed(h.ua.track(session, session.answer(SDP)))
    h.receive(load("ack.sip"), NATTED)
    h.take_events(), _wire(h)

    h.receive(load("flows/phone_reinvite_hold.sip"), NATTED)
    (reinvite,) = h.take_events()
    assert isinstance(reinvite, Reinvite) and reinvite.sdp and b"a=sendonly" in reinvite.sdp
    held = SDP + b"a=recvonly\r\n"
    h.feed(h.ua.track(session, session.answer_reinvite(held)))
    trying, ok = _wire(h)
    assert (trying.status, ok.status, ok.body) == (100, 200, held)  # type: ignore[union-attr]
    assert str(ok.cseq) == "27812 INVITE"
    h.receive(load("flows/phone_reinvite_ack.sip"), NATTED)
    assert h.take_events() == [Confirmed(sdp=None, reinvite=True)]

    h.receive(load("flows/phone_bye_after_reinvite.sip"), NATTED)
    assert [m.status for m in _wire(h)] == [200]  # type: ignore[union-attr]
    assert isinstance(h.take_events()[0], Ended)


def test_a_softphone_cancels_while_ringing() -> None:
    h = Harness(UserAgent(config(TAG)))
    h.receive(load("phone_invite.sip"), NATTED)
    session = _session(h)
    h.feed(h.ua.track(session, session.ring()))
    h.take_events(), _wire(h)

    h.receive(load("cancel.sip"), NATTED)
    ok, terminated = _wire(h)
    assert (ok.status, str(ok.cseq)) == (200, "27811 CANCEL")  # type: ignore[union-attr]
    assert (terminated.status, str(terminated.cseq)) == (487, "27811 INVITE")  # type: ignore[union-attr]
    (cancelled,) = h.take_events()
    assert isinstance(cancelled, Cancelled)

    # The 487 is retransmitted by the INVITE transaction until the phone's ACK.
    owner, name = h.fire_next()
    assert name == "G" and [m.status for m in _wire(h)] == [487]  # type: ignore[union-attr]
    h.receive(load("flows/phone_ack_487.sip"), NATTED)
    assert _wire(h) == [] and "G" not in h.wheel.names(owner)


def test_a_retransmitted_invite_does_not_make_a_second_call() -> None:
    h = Harness(UserAgent(config(TAG)))
    h.receive(load("phone_invite.sip"), NATTED)
    h.receive(load("phone_invite.sip"), NATTED)
    assert [m.status for m in _wire(h)] == [100, 100]  # type: ignore[union-attr]
    assert len(h.take_events()) == 1 and len(h.ua.sessions) == 1


def test_requests_outside_any_dialog_are_left_to_the_driver() -> None:
    h = Harness(UserAgent(config(TAG)))
    h.receive(load("options.sip"), NATTED)
    assert h.events == [] and len(h.unrouted) == 1
    key = h.unrouted[0].key
    assert key is not None and key.method == "OPTIONS"
