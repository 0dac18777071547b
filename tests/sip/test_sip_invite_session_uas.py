"""The UAS INVITE session: ring/progress/answer/reject/hangup, CANCEL, BYE, the
2xx retransmitted until ACK and the BYE after 64*T1 without one, re-INVITE,
UPDATE and other requests inside the dialog."""

from __future__ import annotations

from itertools import count

import pytest
from sip_call_support import PHONE, SDP, Harness, config, request

from ariel.sip import Request, Response
from ariel.sip.invite_events import ReferReceived
from ariel.sip.invite_session import (
    Cancelled,
    Confirmed,
    Ended,
    Incoming,
    Reinvite,
    RequestReceived,
    SessionOutput,
    SessionState,
    SessionStateError,
    Update,
)
from ariel.sip.invite_uas import UasSession
from ariel.sip.session_timer import SessionTimer
from ariel.sip.transaction import Deliver, StartTimer
from ariel.sip.transaction_layer import TransactionLayer, TxAction
from ariel.sip.user_agent import UserAgent

St = SessionState
TAG = "pbxtag1"
OFFER = SDP.replace(b"192.0.2.1", b"192.0.2.10")


class Call:
    """One incoming call on a UserAgent, with the caller's side scripted."""

    def __init__(self, invite: Request | None = None) -> None:
        self.h = Harness(UserAgent(config(TAG)))
        self.invite = invite or request("INVITE", cseq=10, body=OFFER)
        self.cseq = count(11)
        self.branches = count(1)
        self.h.receive(self.invite)
        self.offered = self.h.take_events()
        sessions = self.h.ua.sessions
        self.session: UasSession = sessions[0] if sessions else None  # type: ignore[assignment]

    def do(self, outputs: list[SessionOutput]) -> list[SessionOutput]:
        self.h.feed(self.h.ua.track(self.session, outputs))
        return outputs

    def send(self, method: str, *, body: bytes = b"", **kwargs: object) -> None:
        branch = f"z9hG4bKpeer{next(self.branches)}"
        defaults: dict[str, object] = {"cseq": next(self.cseq), "to_tag": TAG, "branch": branch}
        self.h.receive(request(method, body=body, **{**defaults, **kwargs}))  # type: ignore[arg-type]

    def ack(self, cseq: int = 10, body: bytes = b"") -> None:
        self.send("ACK", cseq=cseq, body=body)

    def sent(self) -> list[Request | Response]:
        return self.h.take_sent()

    def answered(self) -> Call:
        self.do(self.session.answer(SDP))
        self.ack()
        self.sent(), self.h.take_events()
        return self


def test_an_incoming_invite_is_offered_to_the_call_layer_after_100_trying() -> None:
    call = Call()
    assert [m.status for m in call.sent()] == [100]  # type: ignore[union-attr]
    assert call.offered == [Incoming(request=call.invite, sdp=OFFER)]
    assert call.session.state is St.INCOMING


def test_ring_sends_180_with_our_tag_and_contact() -> None:
    call = Call()
    call.sent()
    call.do(call.session.ring())
    (ringing,) = call.sent()
    assert isinstance(ringing, Response) and ringing.status == 180
    assert ringing.to_tag == TAG and str(ringing.contacts[0].uri) == "sip:192.0.2.1:5060"
    assert ringing.headers.get("Server") == "Ariel"
    assert call.session.state is St.EARLY
    assert call.session.dialog is not None and call.session.dialog.id.local_tag == TAG


def test_progress_sends_183_with_early_media_sdp() -> None:
    call = Call()
    call.sent()
    call.do(call.session.progress(SDP))
    (progress,) = call.sent()
    assert isinstance(progress, Response) and progress.status == 183
    assert progress.body == SDP and progress.content_type == "application/sdp"


def test_answer_is_resent_doubling_to_t2_until_the_ack() -> None:
    call = Call()
    call.sent()
    outputs = call.do(call.session.answer(SDP))
    assert StartTimer(name="2xx", seconds=0.5) in outputs
    assert StartTimer(name="ack", seconds=32.0) in outputs
    assert call.session.state is St.CONNECTING
    call.sent()
    times = [0.0]
    while call.h.wheel.now < 11:
        call.h.fire_next()
        times += [t for t, m, _ in call.h.sent if isinstance(m, Response) and m.status == 200]
        call.h.sent.clear()
    assert times == [0.0, 0.5, 1.5, 3.5, 7.5, 11.5]
    call.ack(body=b"")
    assert call.h.take_events() == [Confirmed(sdp=None)]
    assert call.session.state is St.CONFIRMED
    assert call.h.wheel.names(call.session) == set()


def test_without_an_ack_the_call_is_ended_with_bye_after_64_t1() -> None:
    call = Call()
    call.do(call.session.answer(SDP))
    call.sent()
    while call.session.state is St.CONNECTING:
        call.h.fire_next()
    assert call.h.wheel.now == 32.0
    sent = call.sent()
    assert [m.status for m in sent[:-1]] == [200] * 10  # type: ignore[union-attr]
    bye = sent[-1]
    assert isinstance(bye, Request) and bye.method == "BYE"
    assert call.h.take_events() == [Ended(reason="ACK timeout", status=408)]
    assert call.session.state is St.TERMINATED


def test_the_2xx_is_resent_statelessly_once_its_transaction_is_gone() -> None:
    call = Call()
    call.do(call.session.answer(SDP))
    call.sent()
    call.h.ua.layer.terminate(call.session.invite_key)
    call.h.feed(call.h.ua.on_timer(call.session, "2xx"))
    (again,) = call.h.sent
    assert isinstance(again[1], Response) and again[1].status == 200 and again[2] == PHONE


def test_reject_sends_the_status_with_a_reason_header() -> None:
    call = Call()
    call.sent()
    call.do(call.session.reject(486, reason_header="Q.850;cause=17"))
    (busy,) = call.sent()
    assert isinstance(busy, Response) and busy.status == 486 and busy.to_tag == TAG
    assert busy.headers.get("Reason") == "Q.850;cause=17"
    assert call.session.state is St.TERMINATED


def test_reject_wants_a_failure_status() -> None:
    call = Call()
    for status in (180, 200, 700):
        with pytest.raises(ValueError):
            call.session.reject(status)
    assert call.session.state is St.INCOMING


def test_hangup_before_the_answer_rejects_with_the_callers_code() -> None:
    call = Call()
    call.sent()
    call.do(call.session.hangup())
    assert [m.status for m in call.sent()] == [603]  # type: ignore[union-attr]
    call = Call()
    call.sent()
    call.do(call.session.ring())
    call.do(call.session.hangup(487))
    assert [m.status for m in call.sent()] == [180, 487]  # type: ignore[union-attr]
    assert call.session.hangup() == []  # nothing left to end


def test_a_cancel_gets_200_the_invite_487_and_the_call_layer_cancelled() -> None:
    call = Call()
    call.do(call.session.ring())
    call.sent()
    call.send("CANCEL", cseq=10, branch=call.invite.branch, to_tag=None)
    ok, terminated = call.sent()
    assert isinstance(ok, Response) and ok.status == 200 and ok.cseq.method == "CANCEL"
    assert isinstance(terminated, Response) and terminated.status == 487
    assert ok.to_tag == terminated.to_tag == TAG
    events = call.h.take_events()
    assert len(events) == 1 and isinstance(events[0], Cancelled)
    assert call.session.state is St.TERMINATED
    # The caller's ACK for the 487 is absorbed by the INVITE transaction.
    call.ack()
    assert call.sent() == [] and call.h.take_events() == []


def test_a_cancel_after_the_answer_changes_nothing_but_is_answered() -> None:
    call = Call()
    call.do(call.session.answer(SDP))
    call.sent()
    call.send("CANCEL", cseq=10, branch=call.invite.branch, to_tag=None)
    assert [(m.status, m.cseq.method) for m in call.sent()] == [(200, "CANCEL")]  # type: ignore[union-attr]
    assert call.session.state is St.CONNECTING


def test_a_cancel_after_a_rejection_is_answered_200_by_the_ua() -> None:
    call = Call()
    call.do(call.session.reject(404))
    call.sent()
    call.send("CANCEL", cseq=10, branch=call.invite.branch, to_tag=None)
    assert [(m.status, m.cseq.method) for m in call.sent()] == [(200, "CANCEL")]  # type: ignore[union-attr]


def test_bye_in_a_confirmed_call_is_answered_and_ends_it() -> None:
    call = Call().answered()
    call.send("BYE")
    assert [m.status for m in call.sent()] == [200]  # type: ignore[union-attr]
    (ended,) = call.h.take_events()
    assert isinstance(ended, Ended) and ended.reason == "BYE" and ended.request is not None
    assert call.session.state is St.TERMINATED and call.h.ua.sessions == []


def test_bye_on_the_early_dialog_also_ends_the_invite_with_487() -> None:
    call = Call()
    call.do(call.session.ring())
    call.sent()
    call.send("BYE")
    assert sorted(m.status for m in call.sent()) == [200, 487]  # type: ignore[union-attr]
    assert isinstance(call.h.take_events()[0], Ended)


def test_bye_before_the_ack_ends_the_call_and_the_retransmissions() -> None:
    call = Call()
    call.do(call.session.answer(SDP))
    call.send("BYE")
    assert call.session.state is St.TERMINATED
    assert call.h.wheel.names(call.session) == set()


def test_hangup_in_a_confirmed_call_sends_bye_in_the_dialog() -> None:
    call = Call().answered()
    call.do(call.session.hangup())
    (bye,) = call.sent()
    assert isinstance(bye, Request) and bye.method == "BYE"
    assert str(bye.uri) == "sip:alice@192.0.2.10:5060"
    assert bye.from_tag == TAG and bye.to_tag == "caller1" and str(bye.cseq) == "1 BYE"
    assert bye.headers.get("User-Agent") == "Ariel"
    assert call.h.sent == [] and call.session.state is St.TERMINATED


def test_hangup_before_the_ack_waits_for_it_to_send_bye() -> None:
    call = Call()
    call.do(call.session.answer(SDP))
    call.do(call.session.hangup())
    call.sent()
    assert call.session.state is St.TERMINATING
    call.ack()
    assert [getattr(m, "method", None) for m in call.sent()] == ["BYE"]
    assert call.session.state is St.TERMINATED and call.h.take_events()[-1:] != [
        Confirmed(sdp=None)
    ]


def test_hangup_before_an_ack_that_never_comes_sends_bye_at_the_timeout() -> None:
    call = Call()
    call.do(call.session.answer(SDP))
    call.do(call.session.hangup())
    while call.session.state is St.TERMINATING:
        call.h.fire_next()
    assert [getattr(m, "method", None) for m in call.sent()][-1] == "BYE"
    assert [e for e in call.h.take_events() if isinstance(e, Ended)] == []


def test_a_reinvite_offer_is_answered_by_the_call_layer_and_acked() -> None:
    call = Call().answered()
    call.send("INVITE", body=OFFER)
    (event,) = call.h.take_events()
    assert isinstance(event, Reinvite) and event.sdp == OFFER
    assert [m.status for m in call.sent()] == [100]  # type: ignore[union-attr]
    call.do(call.session.answer_reinvite(SDP))
    (ok,) = call.sent()
    assert isinstance(ok, Response) and ok.status == 200 and ok.body == SDP
    assert call.h.wheel.names(call.session) == {"2xx", "ack"}
    call.ack(cseq=ok.cseq.number)
    assert call.h.take_events() == [Confirmed(sdp=None, reinvite=True)]
    assert call.h.wheel.names(call.session) == set()


def test_a_second_reinvite_while_one_is_pending_gets_500_with_retry_after() -> None:
    call = Call().answered()
    call.send("INVITE", body=OFFER)
    call.send("INVITE", body=OFFER)
    refused = [m for m in call.sent() if isinstance(m, Response) and m.status == 500]
    assert len(refused) == 1
    assert 0 <= int(refused[0].headers.get("Retry-After") or "-1") <= 10


def test_a_reinvite_can_be_rejected_and_answers_need_one_pending() -> None:
    call = Call().answered()
    with pytest.raises(SessionStateError):
        call.session.answer_reinvite(SDP)
    call.send("INVITE", body=OFFER)
    call.sent()
    call.do(call.session.reject_reinvite())
    assert [m.status for m in call.sent()] == [488]  # type: ignore[union-attr]
    assert call.session.state is St.CONFIRMED


def test_a_request_with_a_lower_cseq_gets_500() -> None:
    call = Call().answered()
    call.send("INFO", cseq=5)
    assert [m.status for m in call.sent()] == [500]  # type: ignore[union-attr]
    assert call.h.take_events() == []


def test_info_and_options_are_answered_200_and_passed_on() -> None:
    call = Call().answered()
    call.send("INFO", extra=["Content-Type: application/dtmf-relay"], body=b"Signal=5\r\n")
    call.send("OPTIONS")
    assert [m.status for m in call.sent()] == [200, 200]  # type: ignore[union-attr]
    events = call.h.take_events()
    assert [type(e) for e in events] == [RequestReceived, RequestReceived]


def test_a_method_we_do_not_do_gets_501_with_allow() -> None:
    call = Call().answered()
    call.send("SUBSCRIBE")
    (answer,) = call.sent()
    assert isinstance(answer, Response) and answer.status == 501 and "Allow" in answer.headers


def test_refer_is_passed_on_unanswered_then_accepted_202_and_progress_goes_back_as_notify() -> None:
    call = Call().answered()
    call.send("REFER", extra=["Refer-To: <sip:300@192.0.2.1>"])
    assert call.sent() == []  # the call layer decides
    (event,) = call.h.take_events()
    assert isinstance(event, ReferReceived) and event.refer_to == "sip:300@192.0.2.1"
    call.do(call.session.answer_refer(event.request, 202, [("Refer-Sub", "true")]))
    (answer,) = call.sent()
    assert isinstance(answer, Response) and answer.status == 202
    assert answer.headers.get("Refer-Sub") == "true"
    call.do(call.session.notify_refer("SIP/2.0 200 OK", final=True))
    (notify,) = call.sent()
    assert isinstance(notify, Request) and notify.method == "NOTIFY"
    assert notify.headers.get("Subscription-State") == "terminated;reason=noresource"
    assert notify.body == b"SIP/2.0 200 OK"


def test_a_refer_is_answered_once_even_after_the_call_ended() -> None:
    call = Call().answered()
    call.send("REFER", extra=["Refer-To: <sip:300@192.0.2.1>", "Refer-Sub: false"])
    (event,) = call.h.take_events()
    call.send("BYE")
    assert [m.status for m in call.sent()] == [200]  # type: ignore[union-attr]
    call.do(call.session.answer_refer(event.request, 404, [("Refer-Sub", "false")]))
    (answer,) = call.sent()
    assert isinstance(answer, Response) and answer.status == 404
    with pytest.raises(ValueError, match="no such REFER"):
        call.session.answer_refer(event.request, 200)


def test_refer_without_exactly_one_refer_to_is_400() -> None:
    call = Call().answered()
    call.send("REFER")
    (answer,) = call.sent()
    assert isinstance(answer, Response) and answer.status == 400


def test_update_without_a_body_is_just_answered_and_with_one_is_an_offer() -> None:
    call = Call().answered()
    call.send("UPDATE")
    assert [m.status for m in call.sent()] == [200]  # type: ignore[union-attr]
    call.send("UPDATE", body=OFFER)
    (event,) = call.h.take_events()
    assert isinstance(event, Update) and event.sdp == OFFER
    call.do(call.session.answer_update(SDP))
    (ok,) = call.sent()
    assert isinstance(ok, Response) and ok.status == 200 and ok.body == SDP


def test_a_request_for_a_dialog_we_do_not_know_gets_481() -> None:
    call = Call().answered()
    call.send("BYE", to_tag="someone-else")
    assert [m.status for m in call.sent()] == [481]  # type: ignore[union-attr]
    assert call.session.state is St.CONFIRMED


def test_a_request_from_another_remote_tag_gets_481() -> None:
    call = Call().answered()
    call.send("BYE", from_tag="impostor")
    assert [m.status for m in call.sent()] == [481]  # type: ignore[union-attr]
    assert call.session.state is St.CONFIRMED


def test_a_session_ended_by_the_call_layer_is_forgotten_at_once() -> None:
    call = Call()
    call.do(call.session.reject(486))
    assert call.h.ua.sessions == [] and call.h.ua._by_dialog == {}


def test_an_invite_requiring_an_extension_gets_420() -> None:
    call = Call(request("INVITE", extra=["Require: 100rel"]))
    statuses_ = [(m.status, m.headers.get("Unsupported")) for m in call.sent()]  # type: ignore[union-attr]
    assert statuses_ == [(100, None), (420, "100rel")]
    assert call.h.take_events() == []


def test_an_invite_without_contact_gets_400() -> None:
    call = Call(request("INVITE", contact=None))
    assert [m.status for m in call.sent()] == [100, 400]  # type: ignore[union-attr]


def test_a_retransmitted_ack_in_a_confirmed_call_is_absorbed() -> None:
    call = Call().answered()
    call.ack()
    assert call.sent() == [] and call.h.take_events() == []


# -- the table, cell by cell ---------------------------------------------------

INPUTS = [
    "ring",
    "progress",
    "answer",
    "reject",
    "hangup",
    "bye",
    "CANCEL",
    "ACK",
    "BYE",
    "INVITE",
    "UPDATE",
    "request",
    "timer 2xx",
    "timer ack",
    "answer_reinvite",
    "reject_reinvite",
    "answer_update",
    "reject_update",
    "timer session-expired",
    "timer session-refresh",
    "refer",
    "notify",
]
PREPARE = {  # in "confirmed", what makes the input meaningful
    "answer_reinvite": ["INVITE"],
    "reject_reinvite": ["INVITE"],
    "answer_update": ["UPDATE"],
    "reject_update": ["UPDATE"],
    "timer 2xx": ["INVITE", "answer_reinvite"],
    "timer ack": ["INVITE", "answer_reinvite"],
    "timer session-expired": ["arm uac timer"],
    "timer session-refresh": ["arm uas timer"],
}


def _direct(state: St) -> tuple[UasSession, TransactionLayer, count[int]]:
    layer = TransactionLayer()
    invite = request("INVITE", cseq=10, body=OFFER)
    (deliver,) = [o for o in layer.on_message(invite, PHONE) if isinstance(o.action, Deliver)]
    assert deliver.key is not None
    session, _ = UasSession.incoming(layer, config(TAG), deliver.key, invite, PHONE)
    cseq = count(11)
    steps = {
        St.INCOMING: [],
        St.EARLY: ["ring"],
        St.CONNECTING: ["answer"],
        St.CONFIRMED: ["answer", "ACK"],
        St.TERMINATING: ["answer", "hangup"],
        St.TERMINATED: ["reject"],
    }[state]
    for step in steps:
        _apply(session, layer, cseq, step)
    assert session.state is state
    return session, layer, cseq


def _apply(session: UasSession, layer: TransactionLayer, cseq: count[int], event: str) -> None:
    commands = {
        "arm uac timer": lambda: _arm(session, "uac"),
        "arm uas timer": lambda: _arm(session, "uas"),
        "ring": lambda: session.ring(),
        "progress": lambda: session.progress(SDP),
        "answer": lambda: session.answer(SDP),
        "reject": lambda: session.reject(486),
        "hangup": lambda: session.hangup(),
        "bye": lambda: session.bye(),
        "refer": lambda: session.refer("sip:bob@192.0.2.20"),
        "notify": lambda: session.notify_refer("SIP/2.0 200 OK", final=True),
        "answer_reinvite": lambda: session.answer_reinvite(SDP),
        "reject_reinvite": lambda: session.reject_reinvite(),
        "answer_update": lambda: session.answer_update(SDP),
        "reject_update": lambda: session.reject_update(),
    }
    if event in commands:
        commands[event]()
        return
    if event.startswith("timer "):
        session.timer_fired(event[len("timer ") :])
        return
    if event == "ACK":
        ack = request("ACK", cseq=10, to_tag=TAG, branch="z9hG4bKack")
        session.on_transaction(TxAction(key=None, action=Deliver(message=ack, source=PHONE)))
        return
    method = {"request": "INFO"}.get(event, event)
    number = 10 if method == "CANCEL" else next(cseq)
    branch = "z9hG4bKbranch1" if method == "CANCEL" else f"z9hG4bKp{number}"
    tag = None if method == "CANCEL" else TAG
    body = OFFER if method in ("INVITE", "UPDATE") else b""
    message = request(method, cseq=number, branch=branch, to_tag=tag, body=body)
    (deliver,) = [o for o in layer.on_message(message, PHONE) if isinstance(o.action, Deliver)]
    session.on_transaction(deliver)


def _arm(session: UasSession, refresher: str) -> list[SessionOutput]:
    session.session_timer = SessionTimer(90, refresher)
    return session._arm_session_timer()


CELLS = [
    (state, event)
    for state in St
    if state not in (St.NULL, St.CALLING, St.CANCELLING)
    for event in INPUTS
]


@pytest.mark.parametrize(("state", "event"), CELLS, ids=lambda v: str(v))
def test_every_uas_cell_follows_the_table(state: St, event: str) -> None:
    session, layer, cseq = _direct(state)
    if state is St.CONFIRMED:
        for step in PREPARE.get(event, []):
            _apply(session, layer, cseq, step)
    row = UasSession.table.get((state, event))
    if row is None:
        running = set(session.running)
        with pytest.raises(SessionStateError):
            _apply(session, layer, cseq, event)
        assert session.state is state and session.running == running
    else:
        _apply(session, layer, cseq, event)
        assert session.state is row[0]


def test_every_uas_row_is_a_cell_above() -> None:
    rows = {(s, e) for (s, e) in UasSession.table if s is not St.NULL}
    assert rows <= set(CELLS)
