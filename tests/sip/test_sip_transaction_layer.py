"""The transaction layer: matching (§17.1.3, §17.2.3), new server transactions,
ACK and CANCEL handling, stray responses, Via stamping and forgetting
terminated transactions."""

from __future__ import annotations

import pytest
from sip_call_support import PBX, PHONE, load, request, response, sends, statuses

from ariel.sip import Request, Response
from ariel.sip.transaction import (
    CancelTimer,
    Deliver,
    Destination,
    Send,
    StartTimer,
    Terminated,
    TransactionError,
    TransactionKey,
    TransactionStateError,
    UnknownTransaction,
    client_key,
    server_key,
)
from ariel.sip.transaction import TransactionState as S
from ariel.sip.transaction_layer import TransactionLayer, TxAction, stamp_via

NATTED = Destination(host="203.0.113.7", port=40123)


def _delivered(outputs: list[TxAction]) -> list[tuple[TransactionKey | None, object]]:
    return [(o.key, o.action.message) for o in outputs if isinstance(o.action, Deliver)]


def test_a_new_invite_makes_a_server_transaction_and_reaches_the_tu() -> None:
    layer = TransactionLayer()
    invite = request("INVITE")
    outputs = layer.on_message(invite, PHONE)
    key = server_key(invite)
    assert _delivered(outputs) == [(key, invite)]
    assert statuses(outputs) == [100]
    assert {o.key for o in outputs} == {key}
    assert layer.get(key).state is S.PROCEEDING


def test_an_invite_retransmission_is_absorbed() -> None:
    layer = TransactionLayer()
    invite = request("INVITE")
    layer.on_message(invite, PHONE)
    again = layer.on_message(invite, PHONE)
    assert _delivered(again) == [] and statuses(again) == [100]


def test_via_gets_received_and_rport_from_the_source() -> None:
    layer = TransactionLayer()
    invite = load("phone_invite.sip")
    outputs = layer.on_message(invite, NATTED)
    delivered = _delivered(outputs)[0][1]
    assert isinstance(delivered, Request)
    top = delivered.top_via
    assert top.received == "203.0.113.7" and top.rport == 40123
    assert top.branch == invite.branch
    trying = sends(outputs)[0]
    assert trying.top_via.rport == 40123  # the response carries them back
    assert [o.action.destination for o in outputs if isinstance(o.action, Send)] == [NATTED]


def test_stamp_via_leaves_a_matching_via_alone_and_keeps_lower_vias() -> None:
    invite = request("INVITE")
    assert stamp_via(invite, PHONE) is invite
    proxied = request(
        "INVITE", via_params="", extra=["Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKlow"]
    )
    stamped = stamp_via(proxied, NATTED)
    assert [v.host for v in stamped.vias] == ["192.0.2.10", "10.0.0.1"]
    assert stamped.vias[1].received is None


def test_the_ack_for_a_failure_completes_the_invite_transaction() -> None:
    layer = TransactionLayer()
    invite = request("INVITE")
    layer.on_message(invite, PHONE)
    key = server_key(invite)
    layer.respond(key, response(invite, 486, to_tag="pbx"))
    ack = request("ACK", branch=invite.branch or "", to_tag="pbx")
    assert layer.on_message(ack, PHONE) == [
        TxAction(key=key, action=CancelTimer(name="G")),
        TxAction(key=key, action=CancelTimer(name="H")),
        TxAction(key=key, action=StartTimer(name="I", seconds=5.0)),
    ]


def test_the_ack_for_a_2xx_has_no_transaction_and_goes_to_the_tu() -> None:
    layer = TransactionLayer()
    invite = request("INVITE")
    layer.on_message(invite, PHONE)
    layer.respond(server_key(invite), response(invite, 200, to_tag="pbx"))
    ack = request("ACK", branch="z9hG4bKnewbranch", to_tag="pbx")
    outputs = layer.on_message(ack, PHONE)
    assert _delivered(outputs) == [(None, outputs[0].action.message)]  # type: ignore[union-attr]
    assert len(layer) == 1


def test_an_ack_reusing_the_invite_branch_reaches_the_tu_from_accepted() -> None:
    layer = TransactionLayer()
    invite = request("INVITE")
    layer.on_message(invite, PHONE)
    key = server_key(invite)
    layer.respond(key, response(invite, 200, to_tag="pbx"))
    ack = request("ACK", branch=invite.branch or "", to_tag="pbx")
    assert [k for k, _ in _delivered(layer.on_message(ack, PHONE))] == [key]


def test_a_cancel_is_its_own_transaction_matched_to_the_invite_by_branch() -> None:
    layer = TransactionLayer()
    invite = request("INVITE")
    layer.on_message(invite, PHONE)
    cancel = request("CANCEL", branch=invite.branch or "")
    outputs = layer.on_message(cancel, PHONE)
    ((key, delivered),) = _delivered(outputs)
    assert delivered == cancel and key == server_key(invite).for_method("CANCEL")
    assert key != server_key(invite)
    assert layer.get(server_key(invite)).state is S.PROCEEDING  # the INVITE is the TU's to end


def test_a_cancel_for_an_unknown_transaction_is_answered_481() -> None:
    layer = TransactionLayer()
    cancel = request("CANCEL", branch="z9hG4bKnothere")
    outputs = layer.on_message(cancel, PHONE)
    assert _delivered(outputs) == []
    (answer,) = sends(outputs)
    assert isinstance(answer, Response) and answer.status == 481 and answer.to_tag
    # Its retransmission gets the same 481 from the CANCEL's own transaction.
    assert sends(layer.on_message(cancel, PHONE)) == [answer]


def test_same_branch_from_another_sent_by_is_another_transaction() -> None:
    layer = TransactionLayer()
    first = request("INVITE")
    second = request("INVITE", via_host="192.0.2.99")
    layer.on_message(first, PHONE)
    outputs = layer.on_message(second, PHONE)
    assert _delivered(outputs) and len(layer) == 2


def test_rfc2543_requests_without_the_magic_cookie_still_match() -> None:
    layer = TransactionLayer()
    old = request("INVITE", branch="")
    layer.on_message(old, PHONE)
    assert _delivered(layer.on_message(old, PHONE)) == []
    layer.respond(server_key(old), response(old, 486, to_tag="pbx"))
    ack = request("ACK", branch="", to_tag="pbx")
    layer.on_message(ack, PHONE)
    assert layer.get(server_key(old)).state is S.CONFIRMED


def test_responses_reach_their_client_transaction_and_the_tu() -> None:
    layer = TransactionLayer()
    invite = request("INVITE", branch="z9hG4bKout1")
    key, outputs = layer.new_client_transaction(invite, PHONE)
    assert key == client_key(invite) and sends(outputs) == [invite]
    ringing = response(invite, 180, to_tag="far")
    assert _delivered(layer.on_message(ringing, PHONE)) == [(key, ringing)]


def test_a_stray_2xx_goes_to_the_tu_and_other_strays_are_dropped() -> None:
    layer = TransactionLayer()
    invite = request("INVITE", branch="z9hG4bKgone")
    ok = response(invite, 200, to_tag="far")
    assert _delivered(layer.on_message(ok, PHONE)) == [(None, ok)]
    assert layer.on_message(response(invite, 486, to_tag="far"), PHONE) == []
    strict = TransactionLayer(pass_stray_2xx=False)
    assert strict.on_message(ok, PHONE) == []


def test_an_ack_never_gets_a_client_transaction() -> None:
    layer = TransactionLayer()
    with pytest.raises(TransactionError):
        layer.new_client_transaction(request("ACK"), PBX)
    assert layer.send_stateless(request("ACK"), PBX)[0].key is None


def test_a_branch_cannot_be_used_twice() -> None:
    layer = TransactionLayer()
    layer.new_client_transaction(request("OPTIONS"), PBX)
    with pytest.raises(TransactionError):
        layer.new_client_transaction(request("OPTIONS"), PBX)


def test_unknown_keys_are_refused() -> None:
    layer = TransactionLayer()
    key = server_key(request("INVITE"))
    with pytest.raises(UnknownTransaction):
        layer.respond(key, response(request("INVITE"), 200, to_tag="x"))
    with pytest.raises(UnknownTransaction):
        layer.on_timer(key, "G")
    with pytest.raises(UnknownTransaction):
        layer.terminate(key)


def test_a_stale_timer_is_refused_by_its_transaction() -> None:
    layer = TransactionLayer()
    key, _ = layer.new_client_transaction(request("INVITE"), PBX)
    with pytest.raises(TransactionStateError):
        layer.on_timer(key, "D")


def test_terminated_transactions_are_forgotten() -> None:
    layer = TransactionLayer()
    key, _ = layer.new_client_transaction(request("INVITE"), PBX)
    outputs = layer.on_timer(key, "B")
    assert TxAction(key=key, action=Terminated(reason="timeout")) in outputs
    assert key not in layer and len(layer) == 0


def test_the_tu_can_destroy_a_transaction() -> None:
    layer = TransactionLayer()
    invite = request("INVITE")
    key, _ = layer.new_client_transaction(invite, PBX)
    layer.on_message(response(invite, 180, to_tag="far"), PBX)
    assert layer.terminate(key) == [TxAction(key=key, action=Terminated(reason="aborted"))]
    assert key not in layer


def test_a_transport_error_reaches_the_transaction() -> None:
    layer = TransactionLayer()
    key, _ = layer.new_client_transaction(request("OPTIONS"), PBX)
    kinds = [type(o.action).__name__ for o in layer.transport_error(key)]
    assert kinds[:2] == ["TransportFailure", "Terminated"] and key not in layer


def test_over_tcp_a_non_invite_server_transaction_ends_with_its_response() -> None:
    layer = TransactionLayer()
    tcp = Destination(host="192.0.2.10", port=50000, transport="TCP")
    options = request("OPTIONS")
    layer.on_message(options, tcp)
    layer.respond(server_key(options), response(options, 200, to_tag="pbx"))
    assert len(layer) == 0
