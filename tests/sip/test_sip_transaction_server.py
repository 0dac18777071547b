"""INVITE and non-INVITE server transactions: 100 Trying, absorbed request
retransmissions, timer G/H/I/J/L schedules, RFC 6026's Accepted state and
where responses are sent (§18.2.2, RFC 3581)."""

from __future__ import annotations

import pytest
from sip_call_support import TimerWheel, request, response, sends

from ariel.sip import Response
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
    TransactionStateError,
    TransportFailure,
)
from ariel.sip.transaction import TransactionState as S
from ariel.sip.transaction_server import (
    InviteServerTransaction,
    NonInviteServerTransaction,
    response_destination,
)

SOURCE = Destination(host="192.0.2.10", port=5060)
NATTED = Destination(host="203.0.113.7", port=40123)
TCP = Destination(host="192.0.2.10", port=50000, transport="TCP")


def _ist(
    source: Destination = SOURCE, settings: TimerSettings | None = None
) -> InviteServerTransaction:
    return InviteServerTransaction.start(request("INVITE"), source, settings)[0]


def _ack(txn: InviteServerTransaction) -> object:
    return request("ACK", branch=txn.request.branch or "", to_tag="callee")


def test_a_new_invite_goes_to_the_tu_and_is_answered_100_at_once() -> None:
    invite = request("INVITE")
    txn, actions = InviteServerTransaction.start(invite, SOURCE)
    assert actions[1] == Deliver(message=invite, source=SOURCE)
    trying = actions[0]
    assert isinstance(trying, Send) and isinstance(trying.message, Response)
    assert trying.message.status == 100 and trying.message.to_tag is None
    assert trying.destination == SOURCE
    assert len(actions) == 2 and txn.state is S.PROCEEDING


def test_with_a_trying_delay_the_100_waits_for_its_timer() -> None:
    txn, actions = InviteServerTransaction.start(
        request("INVITE"), SOURCE, TimerSettings(trying_delay=0.2)
    )
    assert actions[:1] == [StartTimer(name="100", seconds=0.2)]
    assert [m.status for m in sends(txn.timer_fired("100"))] == [100]  # type: ignore[union-attr]


def test_a_tu_response_within_the_delay_cancels_the_100() -> None:
    txn, _ = InviteServerTransaction.start(
        request("INVITE"), SOURCE, TimerSettings(trying_delay=0.2)
    )
    ringing = response(txn.request, 180, to_tag="callee")
    assert txn.send_response(ringing) == [
        CancelTimer(name="100"),
        Send(message=ringing, destination=SOURCE),
    ]


def test_an_invite_retransmission_gets_the_latest_provisional_again() -> None:
    txn = _ist()
    assert [m.status for m in sends(txn.receive(txn.request))] == [100]  # type: ignore[union-attr]
    ringing = response(txn.request, 180, to_tag="callee")
    txn.send_response(ringing)
    assert txn.receive(txn.request) == [Send(message=ringing, destination=SOURCE)]
    assert txn.state is S.PROCEEDING


def test_timer_g_doubles_up_to_t2_until_timer_h_gives_up() -> None:
    txn = _ist()
    busy = response(txn.request, 486, to_tag="callee")
    actions = txn.send_response(busy)
    assert actions == [
        Send(message=busy, destination=SOURCE),
        StartTimer(name="G", seconds=0.5),
        StartTimer(name="H", seconds=32.0),
    ]
    wheel, times = TimerWheel(), [0.0]
    wheel.apply(actions)
    while txn.state is S.COMPLETED:
        _, name = wheel.fire_next()
        fired = txn.timer_fired(name)
        wheel.apply(fired)
        times += [wheel.now for m in sends(fired) if m is busy]
    assert times == [0.0, 0.5, 1.5, 3.5, 7.5, 11.5, 15.5, 19.5, 23.5, 27.5, 31.5]
    assert wheel.now == 32.0
    assert fired[:2] == [Timeout(timer="H"), Terminated(reason="timeout")]


def test_an_invite_retransmission_after_a_failure_gets_the_failure_again() -> None:
    txn = _ist()
    busy = response(txn.request, 486, to_tag="callee")
    txn.send_response(busy)
    assert txn.receive(txn.request) == [Send(message=busy, destination=SOURCE)]


def test_the_ack_confirms_stops_retransmissions_and_waits_t4() -> None:
    txn = _ist()
    txn.send_response(response(txn.request, 486, to_tag="callee"))
    assert txn.receive(_ack(txn)) == [  # type: ignore[arg-type]
        CancelTimer(name="G"),
        CancelTimer(name="H"),
        StartTimer(name="I", seconds=5.0),
    ]
    assert txn.state is S.CONFIRMED
    # Confirmed absorbs further ACKs and INVITEs.
    assert txn.receive(_ack(txn)) == [] and txn.receive(txn.request) == []  # type: ignore[arg-type]
    assert txn.timer_fired("I") == [Terminated(reason="completed")]


def test_over_tcp_no_timer_g_runs_and_the_ack_terminates_at_once() -> None:
    txn = _ist(TCP)
    actions = txn.send_response(response(txn.request, 486, to_tag="callee"))
    assert [a for a in actions if isinstance(a, StartTimer)] == [StartTimer(name="H", seconds=32.0)]
    assert txn.receive(_ack(txn)) == [  # type: ignore[arg-type]
        CancelTimer(name="H"),
        Terminated(reason="completed"),
    ]


def test_a_2xx_moves_to_accepted_where_retransmissions_are_the_tus() -> None:
    txn = _ist()
    ok = response(txn.request, 200, to_tag="callee")
    assert txn.send_response(ok) == [
        Send(message=ok, destination=SOURCE),
        StartTimer(name="L", seconds=32.0),
    ]
    assert txn.state is S.ACCEPTED
    # RFC 6026 §7.1: INVITE retransmissions are absorbed, not passed to the TU.
    assert txn.receive(txn.request) == []
    # The TU retransmits its 2xx through the transaction.
    assert txn.send_response(ok) == [Send(message=ok, destination=SOURCE)]
    ack = _ack(txn)
    assert txn.receive(ack) == [Deliver(message=ack, source=SOURCE)]  # type: ignore[arg-type]
    assert txn.timer_fired("L") == [Terminated(reason="completed")]


def test_a_transport_error_is_reported_and_the_state_kept() -> None:
    txn = _ist()
    assert txn.transport_error() == [TransportFailure()]
    assert txn.state is S.PROCEEDING
    txn.send_response(response(txn.request, 486, to_tag="callee"))
    assert txn.transport_error() == [TransportFailure()]
    assert txn.state is S.COMPLETED


def test_a_response_after_the_final_is_refused() -> None:
    txn = _ist()
    txn.send_response(response(txn.request, 486, to_tag="callee"))
    with pytest.raises(TransactionStateError):
        txn.send_response(response(txn.request, 180, to_tag="callee"))
    assert txn.state is S.COMPLETED


def test_a_response_to_another_request_is_refused() -> None:
    txn = _ist()
    with pytest.raises(TransactionError):
        txn.send_response(response(request("INVITE", cseq=2), 200, to_tag="callee"))


def test_responses_follow_rport_to_the_source() -> None:
    assert response_destination(request("INVITE", via_params=";rport"), NATTED) == NATTED


def test_without_rport_responses_go_to_the_source_address_and_via_port() -> None:
    assert response_destination(request("INVITE"), NATTED) == Destination(
        host="203.0.113.7", port=5060
    )


def test_maddr_and_reliable_transports_choose_the_destination() -> None:
    multicast = request("INVITE", via_params=";maddr=239.255.255.1")
    assert response_destination(multicast, SOURCE) == Destination(host="239.255.255.1", port=5060)
    assert response_destination(request("INVITE"), TCP) == TCP


def test_non_invite_retransmissions_are_discarded_while_trying() -> None:
    bye = request("BYE", to_tag="t")
    txn, actions = NonInviteServerTransaction.start(bye, SOURCE)
    assert actions == [Deliver(message=bye, source=SOURCE)]  # no 100 for non-INVITE
    assert txn.receive(bye) == []


def test_non_invite_retransmissions_get_the_latest_response_again() -> None:
    bye = request("BYE", to_tag="t")
    txn, _ = NonInviteServerTransaction.start(bye, SOURCE)
    trying = response(bye, 100)
    txn.send_response(trying)
    assert txn.receive(bye) == [Send(message=trying, destination=SOURCE)]
    ok = response(bye, 200)
    assert txn.send_response(ok) == [
        Send(message=ok, destination=SOURCE),
        StartTimer(name="J", seconds=32.0),
    ]
    assert txn.receive(bye) == [Send(message=ok, destination=SOURCE)]
    # §17.2.2: "Any other final responses passed by the TU to the server
    # transaction MUST be discarded while in the "Completed" state."
    assert txn.send_response(response(bye, 500)) == []
    assert txn.timer_fired("J") == [Terminated(reason="completed")]


def test_non_invite_over_tcp_terminates_when_the_final_is_sent() -> None:
    bye = request("BYE", to_tag="t")
    txn, _ = NonInviteServerTransaction.start(bye, TCP)
    ok = response(bye, 200)
    assert txn.send_response(ok) == [
        Send(message=ok, destination=TCP),
        Terminated(reason="completed"),
    ]


def test_server_transactions_serve_only_their_kind() -> None:
    with pytest.raises(TransactionError):
        InviteServerTransaction.start(request("BYE"), SOURCE)
    with pytest.raises(TransactionError):
        NonInviteServerTransaction.start(request("INVITE"), SOURCE)
