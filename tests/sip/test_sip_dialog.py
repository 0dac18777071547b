"""Dialogs (RFC 3261 §12): creation on both sides, route sets, remote target,
CSeq rules, requests and ACKs made inside, and the Early/Confirmed/Terminated table."""

from __future__ import annotations

import pytest
from sip_call_support import load, request, response

from ariel.sip import Request, Response, make_response, parse_address
from ariel.sip.dialog import (
    Dialog,
    DialogError,
    DialogId,
    DialogState,
    DialogStateError,
    OutOfOrderRequest,
    request_dialog_id,
    response_dialog_id,
)
from ariel.sip.fields import Via

VIA = Via(transport="UDP", host="192.0.2.1", port=5060, params=(("branch", "z9hG4bKnew"),))
RECORD_ROUTES = ["<sip:p1.example.com;lr>", "<sip:p2.example.com;lr>"]


def _uas(status: int = 180, record_route: list[str] | None = None) -> tuple[Request, Dialog]:
    invite = request("INVITE", cseq=7, extra=[f"Record-Route: {rr}" for rr in record_route or []])
    answer = make_response(
        invite, status, to_tag="pbx1", headers=[("Contact", "<sip:192.0.2.1:5060>")]
    )
    return invite, Dialog.uas(invite, answer)


def _uac(record_route: list[str], status: int = 200) -> tuple[Request, Response, Dialog]:
    invite = request("INVITE", cseq=100, from_tag="me")
    answer = make_response(
        invite,
        status,
        to_tag="far",
        headers=[("Contact", "<sip:bob@198.51.100.2:5070>")]
        + [("Record-Route", rr) for rr in record_route],
    )
    return invite, answer, Dialog.uac(invite, answer)


def test_a_uas_dialog_is_built_from_the_invite_and_our_response() -> None:
    invite = load("phone_invite.sip")
    assert isinstance(invite, Request)
    ringing = make_response(invite, 180, to_tag="pbx1", headers=[("Contact", "<sip:192.0.2.1>")])
    dialog = Dialog.uas(invite, ringing)
    assert dialog.id == DialogId(
        call_id="3f9ac1b0e2d54a7c9f0e1d2c3b4a5968", local_tag="pbx1", remote_tag="a73kszlfl8"
    )
    assert dialog.state is DialogState.EARLY
    assert str(dialog.remote_target) == "sip:alice@192.0.2.10:5060;ob"
    assert dialog.remote_seq == 27811 and dialog.local_seq is None
    assert dialog.route_set == ()
    assert str(dialog.local_contact) == "<sip:192.0.2.1>"


def test_a_uas_dialog_keeps_record_route_in_order() -> None:
    _, dialog = _uas(record_route=RECORD_ROUTES)
    assert [str(a.uri) for a in dialog.route_set] == [
        "sip:p1.example.com;lr",
        "sip:p2.example.com;lr",
    ]


def test_a_2xx_makes_the_uas_dialog_confirmed_at_once() -> None:
    _, dialog = _uas(200)
    assert dialog.state is DialogState.CONFIRMED


def test_a_uac_dialog_reverses_record_route_and_targets_the_contact() -> None:
    _, _, dialog = _uac(RECORD_ROUTES)
    assert [str(a.uri) for a in dialog.route_set] == [
        "sip:p2.example.com;lr",
        "sip:p1.example.com;lr",
    ]
    assert str(dialog.remote_target) == "sip:bob@198.51.100.2:5070"
    assert dialog.local_seq == 100 and dialog.remote_seq is None
    assert dialog.id == DialogId(call_id="call-1@192.0.2.10", local_tag="me", remote_tag="far")


def test_responses_without_a_tag_or_of_the_wrong_class_make_no_dialog() -> None:
    invite = request("INVITE")
    for status, tag in ((100, "t"), (180, None), (486, "t")):
        with pytest.raises(DialogError):
            Dialog.uac(invite, make_response(invite, status, to_tag=tag))


def test_a_uas_dialog_needs_the_contact_of_the_request() -> None:
    invite = request("INVITE", contact=None)
    with pytest.raises(DialogError):
        Dialog.uas(invite, make_response(invite, 200, to_tag="t"))


def test_bye_from_the_uas_has_tags_swapped_and_the_next_cseq() -> None:
    invite, dialog = _uas(200)
    bye = dialog.create_request("BYE", via=VIA)
    assert bye.method == "BYE" and str(bye.uri) == "sip:alice@192.0.2.10:5060"
    assert bye.from_tag == "pbx1" and bye.to_tag == "caller1"
    assert bye.call_id == invite.call_id
    assert str(bye.cseq) == "1 BYE" and dialog.local_seq == 1
    assert str(dialog.create_request("INFO", via=VIA).cseq) == "2 INFO"
    assert bye.branch == "z9hG4bKnew" and "Route" not in bye.headers
    assert "Contact" not in bye.headers


def test_target_refresh_requests_carry_our_contact() -> None:
    _, dialog = _uas(200)
    reinvite = dialog.create_request("INVITE", via=VIA)
    assert [str(c.uri) for c in reinvite.contacts] == ["sip:192.0.2.1:5060"]


def test_loose_routing_keeps_the_target_and_lists_the_route_set() -> None:
    _, _, dialog = _uac(RECORD_ROUTES)
    bye = dialog.create_request("BYE", via=VIA)
    assert str(bye.uri) == "sip:bob@198.51.100.2:5070"
    assert bye.headers.lines("Route") == ("<sip:p2.example.com;lr>", "<sip:p1.example.com;lr>")
    assert str(dialog.next_hop) == "sip:p2.example.com;lr"
    assert str(bye.cseq) == "101 BYE"


def test_strict_routing_puts_the_first_route_in_the_request_uri() -> None:
    _, _, dialog = _uac(["<sip:p1.example.com;lr>", "<sip:strict.example.com>"])
    bye = dialog.create_request("BYE", via=VIA)
    assert str(bye.uri) == "sip:strict.example.com"
    assert bye.headers.lines("Route") == (
        "<sip:p1.example.com;lr>",
        "<sip:bob@198.51.100.2:5070>",
    )
    assert str(dialog.next_hop) == "sip:p1.example.com;lr"


def test_the_ack_for_a_2xx_reuses_the_invite_cseq_without_counting() -> None:
    invite, _, dialog = _uac(RECORD_ROUTES)
    ack = dialog.create_ack(invite.cseq.number, via=VIA)
    assert str(ack.cseq) == "100 ACK" and dialog.local_seq == 100
    assert ack.to_tag == "far" and ack.from_tag == "me"
    assert ack.headers.lines("Route") == ("<sip:p2.example.com;lr>", "<sip:p1.example.com;lr>")


def test_ack_and_cancel_are_not_made_with_create_request() -> None:
    _, dialog = _uas(200)
    for method in ("ACK", "CANCEL"):
        with pytest.raises(DialogError):
            dialog.create_request(method, via=VIA)


def test_a_lower_cseq_is_out_of_order_and_answered_500() -> None:
    _, dialog = _uas(200)
    with pytest.raises(OutOfOrderRequest) as caught:
        dialog.receive_request(request("BYE", cseq=6, to_tag="pbx1"))
    assert caught.value.status == 500 and dialog.remote_seq == 7
    dialog.receive_request(request("INFO", cseq=8, to_tag="pbx1"))
    assert dialog.remote_seq == 8


def test_ack_and_cancel_are_not_ordered() -> None:
    _, dialog = _uas(200)
    dialog.receive_request(request("INFO", cseq=9, to_tag="pbx1"))
    dialog.receive_request(request("ACK", cseq=7, to_tag="pbx1"))
    assert dialog.remote_seq == 9


def test_the_first_request_from_the_uas_side_sets_the_uac_remote_cseq() -> None:
    _, _, dialog = _uac([])
    dialog.receive_request(request("BYE", cseq=5000, from_tag="far", to_tag="me"))
    assert dialog.remote_seq == 5000


def test_a_reinvite_with_contact_refreshes_the_remote_target() -> None:
    _, dialog = _uas(200)
    dialog.receive_request(
        request("INVITE", cseq=8, to_tag="pbx1", contact="<sip:alice@192.0.2.77>")
    )
    assert str(dialog.remote_target) == "sip:alice@192.0.2.77"


def test_a_2xx_to_our_refresh_updates_the_target_but_a_bye_does_not() -> None:
    _, _, dialog = _uac([])
    reinvite = dialog.create_request("INVITE", via=VIA)
    ok = make_response(reinvite, 200, headers=[("Contact", "<sip:bob@198.51.100.9>")])
    dialog.receive_response(ok)
    assert str(dialog.remote_target) == "sip:bob@198.51.100.9"
    bye = dialog.create_request("BYE", via=VIA)
    dialog.receive_response(make_response(bye, 200, headers=[("Contact", "<sip:x@y>")]))
    assert str(dialog.remote_target) == "sip:bob@198.51.100.9"


def test_confirming_an_early_uac_dialog_recomputes_the_route_set() -> None:
    invite = request("INVITE", cseq=100, from_tag="me")
    early = make_response(invite, 183, to_tag="far", headers=[("Record-Route", "<sip:old;lr>")])
    dialog = Dialog.uac(invite, early)
    assert dialog.state is DialogState.EARLY
    dialog.provisional(early)
    ok = make_response(
        invite,
        200,
        to_tag="far",
        headers=[("Contact", "<sip:bob@198.51.100.2>"), ("Record-Route", "<sip:new;lr>")],
    )
    dialog.confirm(ok)
    assert dialog.state is DialogState.CONFIRMED
    assert [str(a.uri) for a in dialog.route_set] == ["sip:new;lr"]
    assert str(dialog.remote_target) == "sip:bob@198.51.100.2"
    # Without a Contact in the 1xx the Request-URI was the target meanwhile.
    assert str(Dialog.uac(invite, early).remote_target) == str(invite.uri)


TABLE = [
    (DialogState.EARLY, "provisional", DialogState.EARLY),
    (DialogState.EARLY, "confirm", DialogState.CONFIRMED),
    (DialogState.EARLY, "fail", DialogState.TERMINATED),
    (DialogState.EARLY, "terminate", DialogState.TERMINATED),
    (DialogState.CONFIRMED, "confirm", DialogState.CONFIRMED),
    (DialogState.CONFIRMED, "terminate", DialogState.TERMINATED),
]
INPUTS = ("provisional", "confirm", "fail", "terminate", "request", "send")


def _in_state(state: DialogState) -> tuple[Request, Response, Dialog]:
    invite = request("INVITE", cseq=100, from_tag="me")
    early = make_response(invite, 180, to_tag="far")
    dialog = Dialog.uac(invite, early)
    if state is not DialogState.EARLY:
        dialog.confirm(make_response(invite, 200, to_tag="far"))
    if state is DialogState.TERMINATED:
        dialog.terminate()
    return invite, early, dialog


def _feed(dialog: Dialog, invite: Request, early: Response, event: str) -> None:
    if event == "provisional":
        dialog.provisional(early)
    elif event == "confirm":
        dialog.confirm(make_response(invite, 200, to_tag="far"))
    elif event == "fail":
        dialog.fail()
    elif event == "terminate":
        dialog.terminate()
    elif event == "request":
        dialog.receive_request(request("INFO", cseq=3, from_tag="far", to_tag="me"))
    else:
        dialog.create_request("INFO", via=VIA)


@pytest.mark.parametrize("state", list(DialogState))
@pytest.mark.parametrize("event", INPUTS)
def test_every_dialog_input_follows_the_table(state: DialogState, event: str) -> None:
    invite, early, dialog = _in_state(state)
    expected = {(s, e): n for s, e, n in TABLE}
    if event in ("request", "send") and state is not DialogState.TERMINATED:
        expected[(state, event)] = state
    if (state, event) in expected:
        _feed(dialog, invite, early, event)
        assert dialog.state is expected[(state, event)]
    else:
        seq = dialog.local_seq
        with pytest.raises(DialogStateError):
            _feed(dialog, invite, early, event)
        assert dialog.state is state and dialog.local_seq == seq


def test_dialog_ids_of_incoming_messages() -> None:
    bye = request("BYE", from_tag="far", to_tag="me")
    assert request_dialog_id(bye) == DialogId(call_id=bye.call_id, local_tag="me", remote_tag="far")
    ok = response(request("INVITE", from_tag="me"), 200, to_tag="far")
    assert response_dialog_id(ok) == DialogId(call_id=ok.call_id, local_tag="me", remote_tag="far")


def test_a_missing_remote_tag_is_left_out_of_requests() -> None:
    untagged = request("INVITE", from_tag="")
    dialog = Dialog.uas(untagged, make_response(untagged, 200, to_tag="pbx1"))
    assert dialog.id.remote_tag == ""
    bye = dialog.create_request("BYE", via=VIA)
    assert bye.to_tag is None
    assert parse_address(bye.headers.get("To") or "").tag is None
