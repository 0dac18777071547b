"""INVITE sessions: what both sides of a call share once transactions exist.

Theory of operation. An INVITE session is the UA core of RFC 3261 §13-15 for
one call, above the transaction layer and the dialog. It is driven by three
kinds of input: the call layer's commands (``answer``, ``hangup`` ...), the
transaction layer's outputs for its own transactions (``on_transaction``),
and its own timers (``timer_fired``). It returns outputs: the transaction
layer's :class:`TxAction` (sends and transaction timers), its own
:class:`StartTimer`/:class:`CancelTimer`, and events for the call layer.

Each side (:mod:`ariel.sip.invite_uas`, :mod:`ariel.sip.invite_uac`) has a
transition table ``(state, input) -> (next state, handler)``. Inputs are
commands ("answer"), request methods arriving in the dialog ("BYE", "INVITE"
for a re-INVITE, "request" for INFO and the like), response classes ("2xx")
and "timer X". An input the table does not list raises
:class:`SessionStateError` and changes nothing.

This module holds the shared part (events and configuration live in
:mod:`ariel.sip.invite_events` and are re-exported): the engine and the
in-dialog handling both sides do alike -- BYE, re-INVITE and UPDATE offers the
call layer answers, INFO/OPTIONS answered 200, 2xx retransmission until ACK
(§13.3.1.4). Session timers (RFC 4028), reliable provisionals (RFC 3262) and
sending re-INVITEs are not implemented.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import ClassVar

from ariel.sip.dialog import Dialog, OutOfOrderRequest
from ariel.sip.fields import Via
from ariel.sip.invite_events import (
    Answered,
    Cancelled,
    Confirmed,
    Ended,
    Failed,
    Incoming,
    Provisional,
    ReferReceived,
    Reinvite,
    RequestReceived,
    SessionConfig,
    SessionEvent,
    SessionOutput,
    SessionState,
    SessionStateError,
    Update,
    make_via,
    sdp_of,
)
from ariel.sip.message import Request, Response, make_response
from ariel.sip.transaction import (
    CancelTimer,
    Deliver,
    Destination,
    StartTimer,
    Terminated,
    Timeout,
    TransactionKey,
    TransportFailure,
    UnknownTransaction,
)
from ariel.sip.transaction_layer import TransactionLayer, TxAction
from ariel.sip.transaction_server import ServerTransaction

__all__ = [
    "CONFIRMED_ROWS",
    "Answered",
    "Cancelled",
    "Confirmed",
    "Ended",
    "Failed",
    "Incoming",
    "InviteSession",
    "Provisional",
    "Reinvite",
    "RequestReceived",
    "SessionConfig",
    "SessionEvent",
    "SessionOutput",
    "SessionState",
    "SessionStateError",
    "SessionTable",
    "Update",
    "check_failure_status",
    "make_via",
    "sdp_of",
]


SessionTable = Mapping[tuple[SessionState, str], tuple[SessionState, str]]
_ANSWERED_HERE = frozenset({"INFO", "OPTIONS", "MESSAGE", "NOTIFY"})


@dataclass(slots=True, kw_only=True)
class _Pending2xx:
    """A 2xx to an INVITE retransmitted until its ACK arrives (§13.3.1.4)."""

    key: TransactionKey
    response: Response
    destination: Destination
    interval: float


class InviteSession:
    """The engine and the in-dialog behaviour shared by UAS and UAC sessions."""

    role: ClassVar[str]
    table: ClassVar[SessionTable]

    def __init__(
        self, layer: TransactionLayer, config: SessionConfig, peer: Destination, state: SessionState
    ) -> None:
        self.layer = layer
        self.config = config
        self.peer = peer
        self.state = state
        self.dialog: Dialog | None = None
        self.call_id = ""
        self.local_tag = ""
        self.running: set[str] = set()  # our own timers
        self._pending_2xx: _Pending2xx | None = None
        self._offer: tuple[str, TransactionKey, Request] | None = None  # method, key, request
        #: REFERs passed on as ReferReceived and not answered yet, by CSeq number.
        self._refers: dict[int, TransactionKey] = {}

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.call_id} {self.state}>"

    # -- engine ----------------------------------------------------------------

    def allows(self, event: str) -> bool:
        """Whether ``event`` is an input the current state accepts."""
        return (self.state, event) in self.table

    def _step(self, event: str, *args: object) -> list[SessionOutput]:
        row = self.table.get((self.state, event))
        if row is None:
            raise SessionStateError(self.role, self.state, event)
        next_state, handler = row
        outputs: list[SessionOutput] = getattr(self, handler)(*args)
        self.state = next_state
        if next_state is SessionState.TERMINATED:
            outputs += [CancelTimer(name=name) for name in sorted(self.running)]
            self.running.clear()
        return outputs

    def timer_fired(self, name: str) -> list[SessionOutput]:
        """Input: our timer ``name`` fired.

        Raises:
            SessionStateError: If the state has no such transition or the timer
                is not running.
        """
        event = f"timer {name}"
        if not self.allows(event) or name not in self.running:
            raise SessionStateError(self.role, self.state, event)
        self.running.discard(name)
        return self._step(event)

    def _start(self, name: str, seconds: float) -> list[SessionOutput]:
        self.running.add(name)
        return [StartTimer(name=name, seconds=seconds)]

    def _cancel(self, *names: str) -> list[SessionOutput]:
        stopped = [name for name in names if name in self.running]
        self.running.difference_update(stopped)
        return [CancelTimer(name=name) for name in stopped]

    def _nothing(self, *args: object) -> list[SessionOutput]:
        return []

    # -- inputs from the transaction layer -------------------------------------

    def on_transaction(self, output: TxAction) -> list[SessionOutput]:
        """Input: a transaction-layer output meant for this session's TU.

        Deliver (a request in the dialog, a CANCEL, an ACK, a response), Timeout,
        TransportFailure and Terminated are accepted; others raise ValueError.
        """
        action = output.action
        if isinstance(action, Deliver):
            if isinstance(action.message, Request):
                return self._on_request(output.key, action.message)
            return self._on_response(output.key, action.message)
        if isinstance(action, Timeout | TransportFailure):
            return self._on_failure(output.key, action)
        if isinstance(action, Terminated):
            return []
        raise ValueError(f"{action!r} is not for the TU")

    def _on_request(self, key: TransactionKey | None, request: Request) -> list[SessionOutput]:
        method = request.method
        event = method if method in ("ACK", "BYE", "CANCEL", "INVITE", "UPDATE") else "request"
        if not self.allows(event):
            raise SessionStateError(self.role, self.state, event)
        if key is None and method != "ACK":
            raise ValueError(f"a {method} comes with its server transaction's key")
        if method not in ("ACK", "CANCEL"):
            assert key is not None
            if self.dialog is None:
                raise SessionStateError(self.role, self.state, event)
            try:
                self.dialog.receive_request(request)
            except OutOfOrderRequest:
                return self._respond(key, request, 500)
        return self._step(event, key, request)

    def _on_response(self, key: TransactionKey | None, response: Response) -> list[SessionOutput]:
        return []  # responses to BYE and CANCEL need nothing; the UAC overrides

    def _on_failure(
        self, key: TransactionKey | None, failure: Timeout | TransportFailure
    ) -> list[SessionOutput]:
        return []

    # -- building and sending --------------------------------------------------

    def _via(self) -> Via:
        return make_via(self.config)

    def _destination(self) -> Destination:
        if self.config.resolve is not None and self.dialog is not None:
            found = self.config.resolve(self.dialog.next_hop)
            if found is not None:
                return found
        return self.peer

    def _response(
        self,
        request: Request,
        status: int,
        *,
        body: bytes | None = None,
        contact: bool = False,
        headers: Iterable[tuple[str, str]] = (),
        reason: str | None = None,
    ) -> Response:
        """Our response to ``request``: our To tag, Contact+Allow when ``contact``."""
        fields = [("Contact", str(self.config.contact))] if contact else []
        if contact:
            fields.append(("Allow", self.config.allow))
        if self.config.user_agent:
            fields.append(("Server", self.config.user_agent))
        fields += list(headers)
        if body:
            fields.append(("Content-Type", "application/sdp"))
        tag = self.local_tag or None
        return make_response(request, status, reason, to_tag=tag, headers=fields, body=body or b"")

    def _respond(
        self,
        key: TransactionKey,
        request: Request,
        status: int,
        *,
        body: bytes | None = None,
        contact: bool = False,
        headers: Iterable[tuple[str, str]] = (),
        reason: str | None = None,
    ) -> list[SessionOutput]:
        response = self._response(
            request, status, body=body, contact=contact, headers=headers, reason=reason
        )
        return list(self.layer.respond(key, response))

    def _send_in_dialog(
        self, method: str, headers: Iterable[tuple[str, str]] = (), *, body: bytes = b""
    ) -> list[SessionOutput]:
        assert self.dialog is not None
        extra = list(headers)
        if self.config.user_agent:
            extra.append(("User-Agent", self.config.user_agent))
        request = self.dialog.create_request(method, via=self._via(), headers=extra, body=body)
        _, actions = self.layer.new_client_transaction(request, self._destination())
        return list(actions)

    def _send_bye(self) -> list[SessionOutput]:
        # §15: "The caller's UA MAY send a BYE for either confirmed or early
        # dialogs, and the callee's UA MAY send a BYE on confirmed dialogs".
        outputs = self._send_in_dialog("BYE")
        assert self.dialog is not None
        self.dialog.terminate()
        return outputs

    # -- 2xx reliability (§13.3.1.4) -------------------------------------------

    def _send_2xx(self, key: TransactionKey, response: Response) -> list[SessionOutput]:
        # "The 2xx response is passed to the transport with an interval that
        # starts at T1 seconds and doubles for each retransmission until it
        # reaches T2 seconds ... Response retransmissions cease when an ACK
        # request for the response is received."
        txn = self.layer.get(key)
        assert isinstance(txn, ServerTransaction)
        outputs: list[SessionOutput] = list(self.layer.respond(key, response))
        t1 = self.layer.settings.t1
        self._pending_2xx = _Pending2xx(
            key=key, response=response, destination=txn.destination, interval=t1
        )
        return outputs + self._start("2xx", t1) + self._start("ack", self.layer.settings.timeout)

    def _retransmit_2xx(self) -> list[SessionOutput]:
        pending = self._pending_2xx
        assert pending is not None
        pending.interval = self.layer.settings.backoff(pending.interval)
        try:
            outputs: list[SessionOutput] = list(self.layer.respond(pending.key, pending.response))
        except UnknownTransaction:  # timer L ended the transaction first
            outputs = list(self.layer.send_stateless(pending.response, pending.destination))
        return outputs + self._start("2xx", pending.interval)

    def _ack_arrived(self, request: Request) -> tuple[bool, list[SessionOutput]]:
        """Whether ``request`` acknowledges our pending 2xx; if so stop resending it."""
        pending = self._pending_2xx
        if pending is None or request.cseq.number != pending.response.cseq.number:
            return False, []  # a retransmitted ACK: absorbed
        self._pending_2xx = None
        return True, self._cancel("2xx", "ack")

    def _ack_timeout(self) -> list[SessionOutput]:
        # "If the server retransmits the 2xx response for 64*T1 seconds without
        # receiving an ACK, the dialog is confirmed, but the session SHOULD be
        # terminated. This is accomplished with a BYE".
        self._pending_2xx = None
        return self._cancel("2xx") + self._send_bye()

    # -- in-dialog requests both sides handle ----------------------------------

    def _on_bye(self, key: TransactionKey, request: Request) -> list[SessionOutput]:
        # §15.1.2: "the UAS MUST generate a 2xx response to the BYE, and MUST pass
        # that to the server transaction for transmission."
        outputs = self._respond(key, request, 200)
        self._pending_2xx = None
        assert self.dialog is not None
        self.dialog.terminate()
        return [*outputs, Ended(reason="BYE", request=request)]

    def _on_other(self, key: TransactionKey, request: Request) -> list[SessionOutput]:
        if request.method == "REFER":
            return self._on_refer(key, request)
        if request.method not in _ANSWERED_HERE:
            # §8.2.1: "If a UAS recognizes but does not support a method, ... 405";
            # for a method it does not know at all, 501.
            return self._respond(key, request, 501, headers=[("Allow", self.config.allow)])
        return [*self._respond(key, request, 200), RequestReceived(request=request)]

    def _on_refer(self, key: TransactionKey, request: Request) -> list[SessionOutput]:
        # RFC 3515 §2.4.2: "the recipient MUST respond to a REFER with a 400 ... if
        # the request contained zero or more than one Refer-To header field values".
        # Otherwise the call layer decides (:meth:`answer_refer`): 202 Accepted,
        # or a refusal, or -- without a subscription (RFC 4488) -- the outcome.
        targets = request.headers.get_all("Refer-To")
        if len(targets) != 1 or self.state is not SessionState.CONFIRMED:
            return self._respond(key, request, 400, reason="Bad Refer-To")
        target = targets[0].strip()
        if target.startswith("<") and ">" in target:
            target = target[1 : target.index(">")]
        self._refers[request.cseq.number] = key
        return [ReferReceived(request=request, refer_to=target)]

    def answer_refer(
        self, request: Request, status: int, headers: Iterable[tuple[str, str]] = ()
    ) -> list[SessionOutput]:
        """Answer a REFER passed on as :class:`ReferReceived` (once, in any state).

        Raises:
            ValueError: ``request`` is not a REFER waiting for its answer.
        """
        key = self._refers.pop(request.cseq.number, None)
        if key is None or request.method != "REFER":
            raise ValueError("no such REFER is waiting for an answer")
        return self._respond(key, request, status, headers=headers)

    def notify_refer(self, sipfrag: str, *, final: bool) -> list[SessionOutput]:
        """Tell the referrer how the transfer goes: a NOTIFY carrying ``sipfrag``."""
        return self._step("notify", sipfrag, final)

    def _notify(self, sipfrag: str, final: bool) -> list[SessionOutput]:
        state = "terminated;reason=noresource" if final else "active;expires=60"
        headers = [
            ("Event", "refer"),
            ("Subscription-State", state),
            ("Content-Type", "message/sipfrag;version=2.0"),
        ]
        return self._send_in_dialog("NOTIFY", headers, body=sipfrag.encode())

    def _on_reinvite(self, key: TransactionKey, request: Request) -> list[SessionOutput]:
        if self._offer is not None or self._pending_2xx is not None:
            # §14.2: "A UAS that receives a second INVITE before it sends the final
            # response to a first INVITE with a lower CSeq sequence number on the
            # same dialog MUST return a 500 (Server Internal Error) response to the
            # second INVITE and MUST include a Retry-After header field with a
            # randomly chosen value of between 0 and 10 seconds."
            return self._retry_later(key, request)
        self._offer = ("INVITE", key, request)
        return [*self._refreshed(), Reinvite(request=request, sdp=sdp_of(request))]

    def _on_update(self, key: TransactionKey, request: Request) -> list[SessionOutput]:
        sdp = sdp_of(request)
        if sdp is None:
            # A session refresh without an offer (RFC 4028 §7.1 allows UPDATE).
            headers = self._timer_headers()
            return self._refreshed() + self._respond(
                key, request, 200, contact=True, headers=headers
            )
        if self._offer is not None:
            return self._retry_later(key, request)
        self._offer = ("UPDATE", key, request)
        return [*self._refreshed(), Update(request=request, sdp=sdp)]

    def _retry_later(self, key: TransactionKey, request: Request) -> list[SessionOutput]:
        seconds = sum(map(ord, self.config.random(4))) % 11  # "between 0 and 10 seconds"
        return self._respond(key, request, 500, headers=[("Retry-After", str(seconds))])

    def _on_reinvite_ack(self, key: TransactionKey | None, request: Request) -> list[SessionOutput]:
        acked, outputs = self._ack_arrived(request)
        if acked:
            outputs.append(Confirmed(sdp=sdp_of(request), reinvite=True))
        return outputs

    def _reinvite_ack_timeout(self) -> list[SessionOutput]:
        return [*self._ack_timeout(), Ended(reason="ACK timeout", status=408)]

    def _bye(self, *args: object) -> list[SessionOutput]:
        return self._send_bye()

    def _on_late_cancel(self, key: TransactionKey, request: Request) -> list[SessionOutput]:
        # §9.2: "If the original request has already had a final response, CANCEL
        # has no effect on the processing of the original request", but the
        # CANCEL itself is answered 200. A pending re-INVITE is left to the call
        # layer's answer.
        return self._respond(key, request, 200)

    def _take_offer(self, method: str) -> tuple[TransactionKey, Request]:
        offer = self._offer
        if offer is None or offer[0] != method:
            raise SessionStateError(self.role, self.state, f"answer {method} (none pending)")
        self._offer = None
        return offer[1], offer[2]

    # -- commands both sides have ----------------------------------------------

    def bye(self) -> list[SessionOutput]:
        """End a confirmed call with BYE; the session is over at once."""
        return self._step("bye")

    def refer(self, target: str, referred_by: str = "") -> list[SessionOutput]:
        """Ask the peer to call ``target`` instead (RFC 3515 REFER in the dialog).

        The peer answers 202 and reports progress with NOTIFYs (answered 200 and
        passed on as requests); it usually ends this call with BYE once the
        transfer succeeds.
        """
        return self._step("refer", target, referred_by)

    def _refer(self, target: str, referred_by: str) -> list[SessionOutput]:
        headers = [("Refer-To", f"<{target}>")]
        if referred_by:
            headers.append(("Referred-By", f"<{referred_by}>"))
        return self._send_in_dialog("REFER", headers)

    def answer_reinvite(self, sdp: bytes | None) -> list[SessionOutput]:
        """Answer the pending re-INVITE 200 OK with ``sdp``, resent until ACKed."""
        return self._step("answer_reinvite", sdp)

    def reject_reinvite(self, status: int = 488) -> list[SessionOutput]:
        """Reject the pending re-INVITE (488 Not Acceptable Here by default)."""
        check_failure_status(status)
        return self._step("reject_reinvite", status)

    def answer_update(self, sdp: bytes) -> list[SessionOutput]:
        """Answer the pending UPDATE offer 200 OK with ``sdp``."""
        return self._step("answer_update", sdp)

    def reject_update(self, status: int = 488) -> list[SessionOutput]:
        """Reject the pending UPDATE offer."""
        check_failure_status(status)
        return self._step("reject_update", status)

    def _timer_headers(self) -> list[tuple[str, str]]:
        """Session-timer header fields for a 2xx (RFC 4028); none by default."""
        return []

    def _refreshed(self) -> list[SessionOutput]:
        """A session refresh arrived (RFC 4028); the UAS restarts its timer."""
        return []

    def _answer_reinvite(self, sdp: bytes | None) -> list[SessionOutput]:
        key, request = self._take_offer("INVITE")
        response = self._response(
            request, 200, body=sdp, contact=True, headers=self._timer_headers()
        )
        return self._send_2xx(key, response)

    def _reject_reinvite(self, status: int) -> list[SessionOutput]:
        key, request = self._take_offer("INVITE")
        return self._respond(key, request, status)

    def _answer_update(self, sdp: bytes) -> list[SessionOutput]:
        key, request = self._take_offer("UPDATE")
        return self._respond(
            key, request, 200, body=sdp, contact=True, headers=self._timer_headers()
        )

    def _reject_update(self, status: int) -> list[SessionOutput]:
        key, request = self._take_offer("UPDATE")
        return self._respond(key, request, status)


def check_failure_status(status: int) -> None:
    if not 300 <= status <= 699:
        raise ValueError(f"{status} is not a final failure status (300-699)")


# Rows both sides share once the call is up.
CONFIRMED_ROWS: dict[tuple[SessionState, str], tuple[SessionState, str]] = {
    (SessionState.CONFIRMED, "BYE"): (SessionState.TERMINATED, "_on_bye"),
    (SessionState.CONFIRMED, "INVITE"): (SessionState.CONFIRMED, "_on_reinvite"),
    (SessionState.CONFIRMED, "UPDATE"): (SessionState.CONFIRMED, "_on_update"),
    (SessionState.CONFIRMED, "request"): (SessionState.CONFIRMED, "_on_other"),
    (SessionState.CONFIRMED, "CANCEL"): (SessionState.CONFIRMED, "_on_late_cancel"),
    (SessionState.CONFIRMED, "ACK"): (SessionState.CONFIRMED, "_on_reinvite_ack"),
    (SessionState.CONFIRMED, "timer 2xx"): (SessionState.CONFIRMED, "_retransmit_2xx"),
    (SessionState.CONFIRMED, "timer ack"): (SessionState.TERMINATED, "_reinvite_ack_timeout"),
    (SessionState.CONFIRMED, "answer_reinvite"): (SessionState.CONFIRMED, "_answer_reinvite"),
    (SessionState.CONFIRMED, "reject_reinvite"): (SessionState.CONFIRMED, "_reject_reinvite"),
    (SessionState.CONFIRMED, "answer_update"): (SessionState.CONFIRMED, "_answer_update"),
    (SessionState.CONFIRMED, "reject_update"): (SessionState.CONFIRMED, "_reject_update"),
    (SessionState.CONFIRMED, "bye"): (SessionState.TERMINATED, "_bye"),
    (SessionState.CONFIRMED, "refer"): (SessionState.CONFIRMED, "_refer"),
    (SessionState.CONFIRMED, "notify"): (SessionState.CONFIRMED, "_notify"),
    (SessionState.CONFIRMED, "hangup"): (SessionState.TERMINATED, "_bye"),
    (SessionState.TERMINATED, "hangup"): (SessionState.TERMINATED, "_nothing"),
}
