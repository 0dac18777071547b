"""The calling side of a call: an INVITE session that sends the INVITE.

Theory of operation. ``invite(request)`` hands the INVITE to a new client
transaction. Provisional responses become :class:`Provisional` events (a 1xx
with a To tag also makes the early dialog); the first 2xx confirms the dialog,
is acknowledged by an ACK this session builds and sends outside any
transaction (§13.2.2.4), and becomes :class:`Answered`; a retransmitted 2xx
gets the same ACK again. A 2xx from another fork is acknowledged and ended
with BYE. A failure, a timeout or a transport error becomes :class:`Failed`.
``cancel`` sends CANCEL once a provisional response has arrived (§9.1).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from ariel.sip.address import Address
from ariel.sip.dialog import Dialog, DialogState, response_dialog_id
from ariel.sip.fields import new_tag
from ariel.sip.headers import Headers
from ariel.sip.invite_session import (
    CONFIRMED_ROWS,
    Answered,
    Failed,
    InviteSession,
    Provisional,
    SessionConfig,
    SessionOutput,
    SessionState,
    SessionStateError,
    SessionTable,
    make_via,
    sdp_of,
)
from ariel.sip.message import Request, Response
from ariel.sip.transaction import Destination, Timeout, TransactionKey, TransportFailure
from ariel.sip.transaction_layer import TransactionLayer
from ariel.sip.uri import Uri

__all__ = ["UacSession", "make_cancel", "make_invite"]

St = SessionState
_CREDENTIALS = ("Authorization", "Proxy-Authorization")


def make_invite(
    config: SessionConfig,
    *,
    uri: Uri,
    from_address: Address,
    to_address: Address,
    call_id: str,
    cseq: int = 1,
    body: bytes = b"",
    headers: Iterable[tuple[str, str]] = (),
) -> Request:
    """A new out-of-dialog INVITE from this UA (§8.1.1), with a fresh From tag.

    §8.1.1.3: "The From field MUST contain a new "tag" parameter, chosen by
    the UAC." ``body`` is an SDP offer when not empty.
    """
    via = make_via(config)
    sender = from_address if from_address.tag else from_address.with_tag(new_tag(config.random))
    fields = [
        ("Via", str(via)),
        ("Max-Forwards", "70"),
        ("From", str(sender)),
        ("To", str(to_address)),
        ("Contact", str(config.contact)),
        ("Call-ID", call_id),
        ("CSeq", f"{cseq} INVITE"),
        ("Allow", config.allow),
    ]
    if config.user_agent:
        fields.append(("User-Agent", config.user_agent))
    fields += list(headers)
    if body:
        fields.append(("Content-Type", "application/sdp"))
    fields.append(("Content-Length", str(len(body))))
    return Request(method="INVITE", uri=uri, headers=Headers(tuple(fields)), body=body)


def make_cancel(invite: Request) -> Request:
    """The CANCEL for ``invite`` (§9.1).

    "The Request-URI, Call-ID, To, the numeric part of CSeq, and From header
    fields in the CANCEL request MUST be identical to those in the request
    being cancelled, including tags. A CANCEL constructed by a client MUST have
    only a single Via header field value matching the top Via value in the
    request being cancelled." "If the request being cancelled contains a Route
    header field, the CANCEL request MUST include that Route header field's
    values."
    """
    fields = [
        ("Via", invite.headers.get_all("Via")[0]),
        ("Max-Forwards", "70"),
        ("From", invite.headers.get("From") or ""),
        ("To", invite.headers.get("To") or ""),
        ("Call-ID", invite.call_id),
        ("CSeq", f"{invite.cseq.number} CANCEL"),
    ]
    fields += [("Route", value) for value in invite.headers.lines("Route")]
    fields.append(("Content-Length", "0"))
    return Request(method="CANCEL", uri=invite.uri, headers=Headers(tuple(fields)))


class UacSession(InviteSession):
    """One outgoing call (RFC 3261 §13.2, §9.1, §15)."""

    role = "UAC"
    table: ClassVar[SessionTable] = {
        (St.NULL, "invite"): (St.CALLING, "_invite"),
        (St.CALLING, "1xx"): (St.EARLY, "_on_provisional"),
        (St.EARLY, "1xx"): (St.EARLY, "_on_provisional"),
        (St.CANCELLING, "1xx"): (St.CANCELLING, "_on_provisional_while_cancelling"),
        (St.CALLING, "2xx"): (St.CONFIRMED, "_on_answer"),
        (St.EARLY, "2xx"): (St.CONFIRMED, "_on_answer"),
        (St.CANCELLING, "2xx"): (St.TERMINATED, "_on_answer_after_cancel"),
        (St.CONFIRMED, "2xx"): (St.CONFIRMED, "_on_answer_again"),
        (St.CALLING, "300-699"): (St.TERMINATED, "_on_rejected"),
        (St.EARLY, "300-699"): (St.TERMINATED, "_on_rejected"),
        (St.CANCELLING, "300-699"): (St.TERMINATED, "_on_rejected"),
        (St.CALLING, "timeout"): (St.TERMINATED, "_on_timeout"),
        (St.CANCELLING, "timeout"): (St.TERMINATED, "_on_timeout"),
        (St.CALLING, "transport failure"): (St.TERMINATED, "_on_transport_failure"),
        (St.CANCELLING, "transport failure"): (St.TERMINATED, "_on_transport_failure"),
        (St.CALLING, "cancel"): (St.CANCELLING, "_cancel_later"),
        (St.EARLY, "cancel"): (St.CANCELLING, "_send_cancel"),
        (St.CANCELLING, "cancel"): (St.CANCELLING, "_nothing"),
        (St.CALLING, "hangup"): (St.CANCELLING, "_cancel_later"),
        (St.EARLY, "hangup"): (St.CANCELLING, "_send_cancel"),
        (St.CANCELLING, "hangup"): (St.CANCELLING, "_nothing"),
        (St.CANCELLING, "timer cancel"): (St.TERMINATED, "_on_cancel_timeout"),
        **CONFIRMED_ROWS,
    }

    def __init__(self, layer: TransactionLayer, config: SessionConfig, destination: Destination):
        super().__init__(layer, config, destination, SessionState.NULL)
        self.request: Request | None = None  # the INVITE
        self.invite_key: TransactionKey | None = None
        self.ack: Request | None = None
        self._cancel_pending = False

    # -- commands --------------------------------------------------------------

    def invite(self, request: Request) -> list[SessionOutput]:
        """Send ``request`` (an INVITE with From tag, Contact and Via branch).

        Raises:
            ValueError: If the request cannot start a session.
        """
        if request.method != "INVITE" or not request.from_tag or not request.contacts:
            raise ValueError("an INVITE with a From tag and a Contact is needed")
        return self._step("invite", request)

    def cancel(self) -> list[SessionOutput]:
        """Cancel the call before it is answered (CANCEL waits for a 1xx, §9.1)."""
        return self._step("cancel")

    def hangup(self) -> list[SessionOutput]:
        """``cancel`` before the answer, ``bye`` after; nothing once ended."""
        return self._step("hangup")

    def _request(self) -> Request:
        assert self.request is not None
        return self.request

    def _invite(self, request: Request) -> list[SessionOutput]:
        key, actions = self.layer.new_client_transaction(request, self.peer)
        self.request, self.invite_key = request, key
        self.call_id, self.local_tag = request.call_id, request.from_tag or ""
        return list(actions)

    def _cancel_later(self) -> list[SessionOutput]:
        # §9.1: "If no provisional response has been received, the CANCEL request
        # MUST NOT be sent; rather, the client MUST wait for the arrival of a
        # provisional response before sending the request."
        self._cancel_pending = True
        return []

    def _send_cancel(self) -> list[SessionOutput]:
        # "If there is no final response for the original request in 64*T1
        # seconds ..., the client SHOULD then consider the original transaction
        # cancelled and SHOULD destroy the client transaction handling the
        # original request." -- timer "cancel".
        self._cancel_pending = False
        cancel = make_cancel(self._request())
        _, actions = self.layer.new_client_transaction(cancel, self.peer)
        return [*actions, *self._start("cancel", self.layer.settings.timeout)]

    # -- responses and transaction failures ------------------------------------

    def _on_response(self, key: TransactionKey | None, response: Response) -> list[SessionOutput]:
        invite = self.request
        if invite is None:
            raise SessionStateError(self.role, self.state, "response")
        if response.cseq != invite.cseq:
            return []  # the responses to our BYE and CANCEL need nothing
        status = response.status
        event = "1xx" if status < 200 else "2xx" if status < 300 else "300-699"
        return self._step(event, response)

    def _on_failure(
        self, key: TransactionKey | None, failure: Timeout | TransportFailure
    ) -> list[SessionOutput]:
        if key is None or key != self.invite_key:
            return []
        return self._step("timeout" if isinstance(failure, Timeout) else "transport failure")

    def _track_early(self, response: Response) -> None:
        if not response.to_tag or response.status == 100:
            return
        if self.dialog is None:
            self.dialog = Dialog.uac(self._request(), response)
        elif self.dialog.id == response_dialog_id(response):
            self.dialog.provisional(response)

    def _on_provisional(self, response: Response) -> list[SessionOutput]:
        self._track_early(response)
        event = Provisional(
            status=response.status, reason=response.reason, sdp=sdp_of(response), response=response
        )
        return [event]

    def _on_provisional_while_cancelling(self, response: Response) -> list[SessionOutput]:
        self._track_early(response)
        return self._send_cancel() if self._cancel_pending else []

    def _confirm(self, response: Response) -> list[SessionOutput]:
        """Confirm the dialog of ``response`` and send its ACK (§13.2.2.4)."""
        dialog = self.dialog
        if dialog is not None and dialog.id == response_dialog_id(response):
            dialog.confirm(response)
        else:
            dialog = self.dialog = Dialog.uac(self._request(), response)
        self.ack = self._make_ack(dialog)
        return list(self.layer.send_stateless(self.ack, self._destination()))

    def _make_ack(self, dialog: Dialog) -> Request:
        # "The ACK MUST contain the same credentials as the INVITE."
        invite = self._request()
        credentials = [(n, v) for n in _CREDENTIALS for v in invite.headers.lines(n)]
        return dialog.create_ack(invite.cseq.number, via=self._via(), headers=credentials)

    def _on_answer(self, response: Response) -> list[SessionOutput]:
        return [*self._confirm(response), Answered(sdp=sdp_of(response), response=response)]

    def _on_answer_after_cancel(self, response: Response) -> list[SessionOutput]:
        # The CANCEL lost the race: §15 "the caller's UA MAY send a BYE for ...
        # confirmed ... dialogs"; the call ends as the caller asked.
        outputs = self._confirm(response) + self._send_bye()
        return [*outputs, Failed(status=487, reason="Request Terminated", response=response)]

    def _on_answer_again(self, response: Response) -> list[SessionOutput]:
        # §13.2.2.4: "The UAC core MUST generate an ACK request for each 2xx
        # received from the transaction layer." A retransmission gets the same ACK
        # again; a 2xx from another fork its own ACK and then a BYE: "If the UAC
        # does not want to continue with that dialog, then the UAC MUST terminate
        # the dialog by sending a BYE request".
        assert self.dialog is not None and self.ack is not None
        if self.dialog.id == response_dialog_id(response):
            return list(self.layer.send_stateless(self.ack, self._destination()))
        fork = Dialog.uac(self._request(), response)
        ack = self._make_ack(fork)
        outputs = list(self.layer.send_stateless(ack, self.peer))
        bye = fork.create_request("BYE", via=self._via())
        _, actions = self.layer.new_client_transaction(bye, self.peer)
        return [*outputs, *actions]

    def _on_rejected(self, response: Response) -> list[SessionOutput]:
        # §13.2.2.3: "A 3xx response may contain one or more Contact header field
        # values providing new addresses where the callee might be reachable";
        # following them, and answering 401/407 challenges, is the caller's job.
        if self.dialog is not None and self.dialog.state is DialogState.EARLY:
            self.dialog.fail()
        return [Failed(status=response.status, reason=response.reason, response=response)]

    def _on_timeout(self) -> list[SessionOutput]:
        # §8.1.3.1: a timeout "MUST be treated as if a 408 (Request Timeout)
        # status code has been received".
        return [Failed(status=408, reason="Request Timeout")]

    def _on_transport_failure(self) -> list[SessionOutput]:
        # §8.1.3.1: a transport failure is treated "as if it were a 503 (Service
        # Unavailable) status code".
        return [Failed(status=503, reason="Service Unavailable")]

    def _on_cancel_timeout(self) -> list[SessionOutput]:
        outputs: list[SessionOutput] = []
        if self.invite_key is not None and self.invite_key in self.layer:
            outputs += self.layer.terminate(self.invite_key)
        return [*outputs, Failed(status=487, reason="Request Terminated")]
