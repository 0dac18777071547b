"""REFER (RFC 3515) sent in a confirmed dialog, and the NOTIFYs that follow."""

from __future__ import annotations

from sip_call_support import SDP, Harness, config, request

from ariel.sip.invite_events import RequestReceived
from ariel.sip.message import Request, Response
from ariel.sip.user_agent import UserAgent

TAG = "pbxtag1"


def test_refer_asks_the_peer_to_call_the_target_and_notify_is_answered() -> None:
    h = Harness(UserAgent(config(TAG)))
    h.receive(request("INVITE", cseq=10, body=SDP))
    (session,) = h.ua.sessions
    h.feed(h.ua.track(session, session.answer(SDP)))
    h.receive(request("ACK", cseq=10, to_tag=TAG, branch="z9hG4bKack"))
    h.take_sent(), h.take_events()

    h.feed(h.ua.track(session, session.refer("sip:bob@192.0.2.20", "sip:pbx@192.0.2.1")))
    (refer,) = h.take_sent()
    assert isinstance(refer, Request) and refer.method == "REFER"
    assert refer.headers.get("Refer-To") == "<sip:bob@192.0.2.20>"
    assert refer.headers.get("Referred-By") == "<sip:pbx@192.0.2.1>"
    assert refer.to_tag == "caller1"  # in the dialog: the caller's tag is the remote one

    notify = request(
        "NOTIFY",
        cseq=11,
        to_tag=TAG,
        branch="z9hG4bKn1",
        extra=["Event: refer", "Subscription-State: terminated;reason=noresource"],
        body=b"",
    )
    h.receive(notify)
    (ok,) = h.take_sent()
    assert isinstance(ok, Response) and ok.status == 200
    assert any(isinstance(e, RequestReceived) for e in h.take_events())
