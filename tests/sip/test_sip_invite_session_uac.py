"""The UAC INVITE session, fed the callee's answers from wire fixtures:
provisionals, the ACK for a 2xx, failures, CANCEL, forks, BYE both ways."""

from __future__ import annotations

import pytest
from sip_call_support import SDP, Harness, config, load, response

from ariel.sip import Request, Response, parse_address, parse_uri
from ariel.sip.invite_session import (
    Answered,
    Ended,
    Failed,
    Provisional,
    SessionOutput,
    SessionState,
    SessionStateError,
)
from ariel.sip.invite_uac import UacSession, make_cancel, make_invite
from ariel.sip.transaction import Deliver, Destination, Timeout, TransportFailure
from ariel.sip.transaction_layer import TransactionLayer, TxAction
from ariel.sip.user_agent import UserAgent

St = SessionState
CALLEE = Destination(host="198.51.100.2", port=5060)
OUTBOUND = Destination(host="198.51.100.1", port=5060)  # where the INVITE was sent


def _invite(cfg: object) -> Request:
    return make_invite(
        cfg,  # type: ignore[arg-type]
        uri=parse_uri("sip:bob@198.51.100.2"),
        from_address=parse_address('"Ariel" <sip:ariel@192.0.2.1>'),
        to_address=parse_address("<sip:bob@198.51.100.2>"),
        call_id="uac-call-1@192.0.2.1",
        body=SDP,
    )


class Call:
    """One outgoing call whose callee is scripted with wire fixtures."""

    def __init__(self) -> None:
        cfg = config("uacbranch0001", "uactag0001")
        self.h = Harness(UserAgent(cfg))
        self.invite = _invite(cfg)
        self.session, routed = self.h.ua.call(self.invite, OUTBOUND)
        self.h.feed(routed)

    def hear(self, name: str) -> list[object]:
        self.h.receive(load(f"flows/{name}.sip"), CALLEE)
        return self.h.take_events()  # type: ignore[return-value]

    def do(self, outputs: list[SessionOutput]) -> None:
        self.h.feed(self.h.ua.track(self.session, outputs))

    def sent(self) -> list[Request | Response]:
        return self.h.take_sent()


def test_make_invite_fills_in_a_from_tag_branch_and_contact() -> None:
    invite = _invite(config("b1", "t1"))
    assert invite.branch == "z9hG4bKb1" and invite.from_tag == "t1"
    assert str(invite.cseq) == "1 INVITE" and invite.body == SDP
    assert invite.content_type == "application/sdp"
    assert str(invite.contacts[0].uri) == "sip:192.0.2.1:5060"


def test_the_invite_goes_out_with_timers_a_and_b() -> None:
    call = Call()
    assert call.sent() == [call.invite]
    assert call.h.sent == [] and call.session.state is St.CALLING
    assert {name for _, name in call.h.wheel.due} == {"A", "B"}


def test_provisionals_are_reported_and_a_tagged_one_makes_the_early_dialog() -> None:
    call = Call()
    (trying,) = call.hear("uac_100_trying")
    assert isinstance(trying, Provisional) and trying.status == 100
    assert call.session.dialog is None
    (ringing,) = call.hear("uac_180_ringing")
    assert isinstance(ringing, Provisional) and (ringing.status, ringing.sdp) == (180, None)
    assert call.session.state is St.EARLY
    assert call.session.dialog is not None and call.session.dialog.id.remote_tag == "callee7"


def test_a_2xx_is_acknowledged_in_the_dialog_and_reported_answered() -> None:
    call = Call()
    call.hear("uac_180_ringing")
    call.sent()
    (answered,) = call.hear("uac_200_ok")
    assert isinstance(answered, Answered) and answered.sdp is not None
    assert answered.sdp.startswith(b"v=0")
    (ack,) = call.sent()
    assert isinstance(ack, Request) and ack.method == "ACK"
    assert str(ack.uri) == "sip:bob@198.51.100.2:5070;transport=udp"
    assert str(ack.cseq) == "1 ACK" and ack.to_tag == "callee7" and ack.from_tag == "uactag0001"
    assert ack.branch != call.invite.branch  # the 2xx ACK is a transaction of its own
    assert ack.headers.lines("Route") == ("<sip:p1.example.com;lr>", "<sip:p2.example.net;lr>")
    assert call.session.state is St.CONFIRMED


def test_a_retransmitted_2xx_gets_the_same_ack_again() -> None:
    call = Call()
    call.sent()
    call.hear("uac_200_ok")
    (ack,) = call.sent()
    assert call.hear("uac_200_ok") == []
    assert call.sent() == [ack]


def test_a_2xx_arriving_after_the_transaction_ended_is_still_acknowledged() -> None:
    call = Call()
    call.sent()
    call.hear("uac_200_ok")
    (ack,) = call.sent()
    while any(name == "M" for _, name in call.h.wheel.due):
        call.h.fire_next()
    assert call.session.invite_key not in call.h.ua.layer
    call.hear("uac_200_ok")  # a stray 2xx now, routed by its dialog
    assert call.sent() == [ack]


def test_a_2xx_from_another_fork_is_acknowledged_and_ended() -> None:
    call = Call()
    call.hear("uac_200_ok")
    call.sent()
    assert call.hear("uac_200_ok_fork") == []
    ack, bye = call.sent()
    assert (ack.method, bye.method) == ("ACK", "BYE")  # type: ignore[union-attr]
    assert ack.to_tag == bye.to_tag == "forked9"
    assert call.session.dialog is not None and call.session.dialog.id.remote_tag == "callee7"
    assert call.session.state is St.CONFIRMED


def test_a_failure_is_acknowledged_by_the_transaction_and_reported() -> None:
    call = Call()
    call.sent()
    (failed,) = call.hear("uac_486_busy")
    assert isinstance(failed, Failed) and (failed.status, failed.reason) == (486, "Busy Here")
    assert failed.response is not None and failed.response.headers.get("Reason")
    (ack,) = call.sent()
    assert ack.method == "ACK" and ack.branch == call.invite.branch  # type: ignore[union-attr]
    assert call.session.state is St.TERMINATED


def test_cancel_waits_for_a_provisional_then_the_487_ends_the_call() -> None:
    call = Call()
    call.sent()
    call.do(call.session.cancel())
    assert call.sent() == [] and call.session.state is St.CANCELLING
    assert call.hear("uac_180_ringing") == []
    (cancel,) = call.sent()
    assert cancel == make_cancel(call.invite)
    assert cancel.branch == call.invite.branch and str(cancel.cseq) == "1 CANCEL"
    assert call.hear("uac_200_cancel") == []
    (failed,) = call.hear("uac_487_terminated")
    assert isinstance(failed, Failed) and failed.status == 487
    assert [m.method for m in call.sent()] == ["ACK"]  # type: ignore[union-attr]
    assert call.session.state is St.TERMINATED


def test_without_a_final_response_the_cancelled_invite_is_abandoned_after_64_t1() -> None:
    call = Call()
    call.hear("uac_180_ringing")
    call.do(call.session.cancel())
    while call.session.state is St.CANCELLING:
        call.h.fire_next()
    assert call.h.wheel.now == 32.0
    assert call.h.take_events() == [Failed(status=487, reason="Request Terminated")]
    assert call.session.invite_key not in call.h.ua.layer


def test_a_2xx_that_crosses_the_cancel_is_acknowledged_then_ended() -> None:
    call = Call()
    call.hear("uac_180_ringing")
    call.do(call.session.hangup())
    call.sent()
    (failed,) = call.hear("uac_200_ok")
    assert isinstance(failed, Failed) and failed.status == 487
    assert [m.method for m in call.sent()] == ["ACK", "BYE"]  # type: ignore[union-attr]


def test_timer_b_fails_the_call_with_408() -> None:
    call = Call()
    while call.session.state is St.CALLING:
        call.h.fire_next()
    assert call.h.take_events() == [Failed(status=408, reason="Request Timeout")]
    assert len(call.sent()) == 7  # the INVITE and its six retransmissions


def test_a_transport_failure_fails_the_call_with_503() -> None:
    call = Call()
    key = call.session.invite_key
    assert key is not None
    call.h.feed(call.h.ua._route(call.h.ua.layer.transport_error(key)))
    assert call.h.take_events() == [Failed(status=503, reason="Service Unavailable")]


def test_bye_from_the_callee_is_answered_and_ends_the_call() -> None:
    call = Call()
    call.hear("uac_200_ok")
    call.sent()
    (ended,) = call.hear("uac_bye_from_callee")
    assert isinstance(ended, Ended) and ended.reason == "BYE"
    (ok,) = call.sent()
    assert isinstance(ok, Response) and ok.status == 200 and ok.cseq.method == "BYE"
    assert call.session.state is St.TERMINATED


def test_our_bye_follows_the_route_set_with_the_next_cseq() -> None:
    call = Call()
    call.hear("uac_200_ok")
    call.sent()
    call.do(call.session.bye())
    (bye,) = call.sent()
    assert isinstance(bye, Request) and str(bye.cseq) == "2 BYE"
    assert str(bye.uri) == "sip:bob@198.51.100.2:5070;transport=udp"
    assert bye.headers.lines("Route") == ("<sip:p1.example.com;lr>", "<sip:p2.example.net;lr>")
    assert call.session.state is St.TERMINATED


def test_an_invite_that_cannot_start_a_session_is_refused() -> None:
    session = UacSession(TransactionLayer(), config(), OUTBOUND)
    bad = _invite(config("b", "t"))
    no_contact = Request(method="INVITE", uri=bad.uri, headers=bad.headers.without("Contact"))
    with pytest.raises(ValueError):
        session.invite(no_contact)
    assert session.state is St.NULL


# -- the table, cell by cell ---------------------------------------------------

INPUTS = [
    "invite",
    "1xx",
    "2xx",
    "300-699",
    "timeout",
    "transport failure",
    "cancel",
    "hangup",
    "bye",
    "timer cancel",
    "refer",
    "notify",
]
PATHS = {
    St.NULL: [],
    St.CALLING: ["invite"],
    St.EARLY: ["invite", "1xx"],
    St.CANCELLING: ["invite", "1xx", "cancel"],
    St.CONFIRMED: ["invite", "2xx"],
    St.TERMINATED: ["invite", "300-699"],
}


def _apply(session: UacSession, event: str) -> None:
    if event == "invite":
        session.invite(_invite(config()))
    elif event in ("cancel", "hangup", "bye"):
        getattr(session, event)()
    elif event == "timer cancel":
        session.timer_fired("cancel")
    elif event == "refer":
        session.refer("sip:bob@192.0.2.20")
    elif event == "notify":
        session.notify_refer("SIP/2.0 100 Trying", final=False)
    else:
        key = session.invite_key
        if event == "timeout":
            action: object = Timeout(timer="B")
        elif event == "transport failure":
            action = TransportFailure()
        else:
            status = {"1xx": 180, "2xx": 200, "300-699": 486}[event]
            invite = session.request or _invite(config())
            action = Deliver(message=response(invite, status, to_tag="callee7"))
        session.on_transaction(TxAction(key=key, action=action))  # type: ignore[arg-type]


CELLS = [
    (state, event)
    for state in PATHS
    for event in INPUTS
    if not (state is St.NULL and event in ("timeout", "transport failure"))
]


@pytest.mark.parametrize(("state", "event"), CELLS, ids=lambda v: str(v))
def test_every_uac_cell_follows_the_table(state: St, event: str) -> None:
    session = UacSession(TransactionLayer(), config(), OUTBOUND)
    for step in PATHS[state]:
        _apply(session, step)
    assert session.state is state
    row = UacSession.table.get((state, event))
    if row is None:
        running = set(session.running)
        with pytest.raises(SessionStateError):
            _apply(session, event)
        assert session.state is state and session.running == running
    else:
        _apply(session, event)
        assert session.state is row[0]


def test_every_uac_row_outside_the_dialog_is_a_cell_above() -> None:
    dialog_inputs = {"BYE", "INVITE", "UPDATE", "request", "CANCEL", "ACK"}
    dialog_inputs |= {"timer 2xx", "timer ack", "answer_reinvite", "reject_reinvite"}
    dialog_inputs |= {"answer_update", "reject_update"}
    rows = {(s, e) for (s, e) in UacSession.table if e not in dialog_inputs}
    assert rows <= set(CELLS)
