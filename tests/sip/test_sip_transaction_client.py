"""INVITE and non-INVITE client transactions: retransmission schedules, timeouts,
the ACK for non-2xx finals, RFC 6026's Accepted state and reliable transports."""

from __future__ import annotations

import pytest
from sip_call_support import TimerWheel, request, response, sends

from ariel.sip import Request
from ariel.sip.timers import TimerSettings
from ariel.sip.transaction import (
    CancelTimer,
    Deliver,
    Destination,
    Send,
    StartTimer,
    Terminated,
    Timeout,
    TransactionError,
    TransportFailure,
)
from ariel.sip.transaction import TransactionState as S
from ariel.sip.transaction_client import (
    InviteClientTransaction,
    NonInviteClientTransaction,
    make_non2xx_ack,
)

UDP = Destination(host="192.0.2.1", port=5060)
TCP = Destination(host="192.0.2.1", port=5060, transport="TCP")


def _invite() -> Request:
    return request("INVITE", extra=["Route: <sip:proxy.example.com;lr>", "Route: <sip:p2;lr>"])


def _schedule(
    txn: InviteClientTransaction | NonInviteClientTransaction,
) -> tuple[list[float], float]:
    """Times at which the request went out, and when the timeout came."""
    wheel = TimerWheel()
    times = [0.0]
    wheel.apply([StartTimer(name=n, seconds=s) for n, s in txn.running.items()])
    while True:
        _, name = wheel.fire_next()
        actions = txn.timer_fired(name)
        wheel.apply(actions)
        times += [wheel.now for message in sends(actions) if message is txn.request]
        if any(isinstance(action, Timeout) for action in actions):
            return times, wheel.now


def test_invite_over_udp_is_sent_with_timers_a_and_b() -> None:
    txn, actions = InviteClientTransaction.start(_invite(), UDP)
    assert actions == [
        Send(message=txn.request, destination=UDP),
        StartTimer(name="A", seconds=0.5),
        StartTimer(name="B", seconds=32.0),
    ]
    assert txn.state is S.CALLING


def test_invite_over_tcp_has_no_timer_a() -> None:
    _, actions = InviteClientTransaction.start(_invite(), TCP)
    assert [a for a in actions if isinstance(a, StartTimer)] == [StartTimer(name="B", seconds=32.0)]


def test_timer_a_doubles_without_cap_until_timer_b_times_out() -> None:
    txn, _ = InviteClientTransaction.start(_invite(), UDP)
    times, timeout = _schedule(txn)
    # T1, 2*T1, 4*T1 ... : 0.5, 1, 2, 4, 8, 16 s between sends; B at 64*T1.
    assert times == [0.0, 0.5, 1.5, 3.5, 7.5, 15.5, 31.5]
    assert timeout == 32.0
    assert txn.state is S.TERMINATED


def test_timer_b_tells_the_tu_and_cancels_timer_a() -> None:
    txn, _ = InviteClientTransaction.start(_invite(), UDP)
    assert txn.timer_fired("B") == [
        Timeout(timer="B"),
        Terminated(reason="timeout"),
        CancelTimer(name="A"),
    ]


def test_a_provisional_stops_retransmissions_and_goes_to_the_tu() -> None:
    txn, _ = InviteClientTransaction.start(_invite(), UDP)
    ringing = response(txn.request, 180, to_tag="callee")
    assert txn.receive(ringing) == [
        CancelTimer(name="A"),
        CancelTimer(name="B"),
        Deliver(message=ringing),
    ]
    assert txn.state is S.PROCEEDING
    assert txn.receive(ringing) == [Deliver(message=ringing)]


def test_a_failure_response_is_acknowledged_by_the_transaction() -> None:
    txn, _ = InviteClientTransaction.start(_invite(), UDP)
    busy = response(txn.request, 486, to_tag="callee")
    actions = txn.receive(busy)
    ack = txn.ack
    assert ack is not None
    assert actions == [
        CancelTimer(name="A"),
        CancelTimer(name="B"),
        Send(message=ack, destination=UDP),
        Deliver(message=busy),
        StartTimer(name="D", seconds=32.0),
    ]
    assert txn.state is S.COMPLETED


def test_the_non2xx_ack_copies_what_section_17_1_1_3_lists() -> None:
    invite = _invite()
    busy = response(invite, 486, to_tag="callee")
    ack = make_non2xx_ack(invite, busy)
    assert ack.method == "ACK"
    assert ack.uri == invite.uri
    assert ack.headers.lines("Via") == (invite.headers.lines("Via")[0],)
    assert ack.branch == invite.branch  # same transaction
    assert ack.to_tag == "callee"
    assert ack.headers.get("From") == invite.headers.get("From")
    assert ack.call_id == invite.call_id
    assert str(ack.cseq) == "1 ACK"
    assert ack.headers.lines("Route") == invite.headers.lines("Route")


def test_a_retransmitted_failure_gets_the_ack_again_but_not_the_tu() -> None:
    txn, _ = InviteClientTransaction.start(_invite(), UDP)
    busy = response(txn.request, 486, to_tag="callee")
    txn.receive(busy)
    assert txn.receive(busy) == [Send(message=txn.ack, destination=UDP)]  # type: ignore[arg-type]


def test_over_tcp_a_failure_terminates_at_once_after_the_ack() -> None:
    txn, _ = InviteClientTransaction.start(_invite(), TCP)
    actions = txn.receive(response(txn.request, 503, to_tag="callee"))
    assert isinstance(actions[1], Send)
    assert actions[-1] == Terminated(reason="completed")
    assert txn.state is S.TERMINATED and not txn.running


def test_a_2xx_moves_to_accepted_without_an_ack() -> None:
    txn, _ = InviteClientTransaction.start(_invite(), UDP)
    ok = response(txn.request, 200, to_tag="callee")
    actions = txn.receive(ok)
    assert actions == [
        CancelTimer(name="A"),
        CancelTimer(name="B"),
        Deliver(message=ok),
        StartTimer(name="M", seconds=32.0),
    ]
    assert txn.ack is None
    # RFC 6026 §8.4: "Any 2xx responses ... received while in the "Accepted"
    # state MUST be passed up to the TU."
    assert txn.receive(ok) == [Deliver(message=ok)]
    assert txn.timer_fired("M") == [Terminated(reason="completed")]


def test_timer_d_ends_the_completed_state() -> None:
    txn, _ = InviteClientTransaction.start(_invite(), UDP)
    txn.receive(response(txn.request, 404, to_tag="callee"))
    assert txn.timer_fired("D") == [Terminated(reason="completed")]


def test_a_transport_error_while_calling_fails_the_transaction() -> None:
    txn, _ = InviteClientTransaction.start(_invite(), UDP)
    actions = txn.transport_error()
    assert actions[:2] == [TransportFailure(), Terminated(reason="transport error")]
    assert txn.state is S.TERMINATED and not txn.running


def test_a_response_for_another_transaction_is_refused() -> None:
    txn, _ = InviteClientTransaction.start(_invite(), UDP)
    other = response(request("INVITE", branch="z9hG4bKother"), 180)
    with pytest.raises(TransactionError):
        txn.receive(other)
    assert txn.state is S.CALLING


def test_a_request_without_branch_or_of_the_wrong_kind_is_refused() -> None:
    with pytest.raises(TransactionError):
        InviteClientTransaction.start(request("INVITE", branch=""), UDP)
    with pytest.raises(TransactionError):
        InviteClientTransaction.start(request("BYE"), UDP)
    with pytest.raises(TransactionError):
        NonInviteClientTransaction.start(request("INVITE"), UDP)


def test_timer_e_doubles_up_to_t2_until_timer_f_times_out() -> None:
    txn, actions = NonInviteClientTransaction.start(request("OPTIONS"), UDP)
    assert actions[1:] == [StartTimer(name="E", seconds=0.5), StartTimer(name="F", seconds=32.0)]
    times, timeout = _schedule(txn)
    assert times == [0.0, 0.5, 1.5, 3.5, 7.5, 11.5, 15.5, 19.5, 23.5, 27.5, 31.5]
    assert timeout == 32.0


def test_in_proceeding_timer_e_is_reset_to_t2() -> None:
    txn, _ = NonInviteClientTransaction.start(request("OPTIONS"), UDP)
    txn.receive(response(txn.request, 100))
    assert txn.timer_fired("E") == [
        Send(message=txn.request, destination=UDP),
        StartTimer(name="E", seconds=4.0),
    ]


def test_custom_t1_and_t2_change_the_schedule() -> None:
    settings = TimerSettings(t1=0.1, t2=0.2)
    txn, _ = NonInviteClientTransaction.start(request("OPTIONS"), UDP, settings)
    times, timeout = _schedule(txn)
    assert times[:4] == pytest.approx([0.0, 0.1, 0.3, 0.5])
    assert timeout == pytest.approx(6.4)


def test_a_final_response_completes_and_timer_k_waits_t4_on_udp() -> None:
    txn, _ = NonInviteClientTransaction.start(request("OPTIONS"), UDP)
    ok = response(txn.request, 200)
    assert txn.receive(ok) == [
        CancelTimer(name="E"),
        CancelTimer(name="F"),
        Deliver(message=ok),
        StartTimer(name="K", seconds=5.0),
    ]
    # "buffer any additional response retransmissions": absorbed.
    assert txn.receive(ok) == []
    assert txn.timer_fired("K") == [Terminated(reason="completed")]


def test_over_tcp_a_final_response_terminates_at_once() -> None:
    txn, _ = NonInviteClientTransaction.start(request("OPTIONS"), TCP)
    ok = response(txn.request, 200)
    assert txn.receive(ok) == [
        CancelTimer(name="F"),
        Deliver(message=ok),
        Terminated(reason="completed"),
    ]
    assert txn.state is S.TERMINATED


def test_timer_f_tells_the_tu() -> None:
    txn, _ = NonInviteClientTransaction.start(request("OPTIONS"), UDP)
    assert txn.timer_fired("F")[:2] == [Timeout(timer="F"), Terminated(reason="timeout")]
