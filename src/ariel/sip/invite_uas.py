"""The called side of a call: an INVITE session created by an incoming INVITE.

Theory of operation. :meth:`UasSession.incoming` takes the INVITE the
transaction layer delivered (with its server-transaction key) and emits
:class:`Incoming`. The call layer then drives it: ``ring``/``progress`` send
1xx with our To tag (an early dialog), ``answer`` sends the 2xx and keeps
resending it until the ACK comes (§13.3.1.4), ``reject``/``hangup`` end it. A
CANCEL before the answer is answered 200, the INVITE 487, and the call layer
hears :class:`Cancelled`. The table below lists every input each state
accepts; the in-dialog rows of a confirmed call come from
:data:`~ariel.sip.invite_session.CONFIRMED_ROWS`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from ariel.sip.dialog import Dialog
from ariel.sip.fields import new_tag
from ariel.sip.invite_session import (
    CONFIRMED_ROWS,
    Cancelled,
    Confirmed,
    Ended,
    Incoming,
    InviteSession,
    SessionConfig,
    SessionOutput,
    SessionState,
    SessionStateError,
    SessionTable,
    check_failure_status,
    sdp_of,
)
from ariel.sip.message import Request
from ariel.sip.session_timer import SessionTimer, negotiate_session_timer
from ariel.sip.transaction import Destination, TransactionKey
from ariel.sip.transaction_layer import TransactionLayer

__all__ = ["UasSession"]

St = SessionState


class UasSession(InviteSession):
    """One incoming call (RFC 3261 §13.3, §15)."""

    role = "UAS"
    table: ClassVar[SessionTable] = {
        (St.NULL, "INVITE"): (St.INCOMING, "_offered"),
        (St.NULL, "bad INVITE"): (St.TERMINATED, "_refuse"),
        (St.NULL, "brief INVITE"): (St.TERMINATED, "_too_brief"),
        (St.CONFIRMED, "timer session-expired"): (St.TERMINATED, "_session_expired"),
        (St.CONFIRMED, "timer session-refresh"): (St.CONFIRMED, "_session_refresh"),
        (St.INCOMING, "ring"): (St.EARLY, "_ring"),
        (St.EARLY, "ring"): (St.EARLY, "_ring"),
        (St.INCOMING, "progress"): (St.EARLY, "_progress"),
        (St.EARLY, "progress"): (St.EARLY, "_progress"),
        (St.INCOMING, "answer"): (St.CONNECTING, "_answer"),
        (St.EARLY, "answer"): (St.CONNECTING, "_answer"),
        (St.INCOMING, "reject"): (St.TERMINATED, "_reject"),
        (St.EARLY, "reject"): (St.TERMINATED, "_reject"),
        (St.INCOMING, "hangup"): (St.TERMINATED, "_reject"),
        (St.EARLY, "hangup"): (St.TERMINATED, "_reject"),
        (St.CONNECTING, "hangup"): (St.TERMINATING, "_nothing"),
        (St.TERMINATING, "hangup"): (St.TERMINATING, "_nothing"),
        (St.INCOMING, "CANCEL"): (St.TERMINATED, "_on_cancel"),
        (St.EARLY, "CANCEL"): (St.TERMINATED, "_on_cancel"),
        (St.CONNECTING, "CANCEL"): (St.CONNECTING, "_on_late_cancel"),
        (St.TERMINATING, "CANCEL"): (St.TERMINATING, "_on_late_cancel"),
        (St.CONNECTING, "ACK"): (St.CONFIRMED, "_on_ack"),
        (St.TERMINATING, "ACK"): (St.TERMINATED, "_on_ack_then_bye"),
        (St.CONNECTING, "timer 2xx"): (St.CONNECTING, "_retransmit_2xx"),
        (St.TERMINATING, "timer 2xx"): (St.TERMINATING, "_retransmit_2xx"),
        (St.CONNECTING, "timer ack"): (St.TERMINATED, "_on_ack_timeout"),
        (St.TERMINATING, "timer ack"): (St.TERMINATED, "_ack_timeout"),
        (St.EARLY, "BYE"): (St.TERMINATED, "_on_early_bye"),
        (St.CONNECTING, "BYE"): (St.TERMINATED, "_on_bye"),
        (St.TERMINATING, "BYE"): (St.TERMINATED, "_on_bye"),
        (St.EARLY, "INVITE"): (St.EARLY, "_retry_later"),
        (St.CONNECTING, "INVITE"): (St.CONNECTING, "_retry_later"),
        (St.EARLY, "request"): (St.EARLY, "_on_other"),
        (St.CONNECTING, "request"): (St.CONNECTING, "_on_other"),
        **CONFIRMED_ROWS,
    }

    def __init__(
        self,
        layer: TransactionLayer,
        config: SessionConfig,
        key: TransactionKey,
        request: Request,
        source: Destination,
    ) -> None:
        super().__init__(layer, config, source, SessionState.NULL)
        self.request = request
        self.invite_key = key
        self.call_id = request.call_id
        # §8.2.6.2: "the UAS MUST add a tag to the To header field in the
        # response"; one tag for every response, so all make one dialog.
        self.local_tag = new_tag(config.random)
        #: The RFC 4028 session timer agreed with the caller, if any.
        self.session_timer: SessionTimer | None = None
        self._min_se = 0

    @classmethod
    def incoming(
        cls,
        layer: TransactionLayer,
        config: SessionConfig,
        key: TransactionKey,
        request: Request,
        source: Destination,
    ) -> tuple[UasSession, list[SessionOutput]]:
        """A session for the INVITE the transaction layer delivered with ``key``.

        An INVITE that requires an extension (RFC 3261 §8.2.2.3: "If a UAS does
        not understand an option-tag listed in a Require header field, it MUST
        respond by generating a response with status code 420 (Bad Extension)")
        or lacks the Contact a dialog needs is refused at once; no event then.
        """
        session = cls(layer, config, key, request, source)
        required = {t.strip().lower() for t in request.headers.get_all("Require")}
        timer = negotiate_session_timer(request.headers)
        good = required <= {"timer"} and bool(request.contacts)
        if good and isinstance(timer, int):
            session._min_se = timer
            return session, session._step("brief INVITE")
        session.session_timer = timer if isinstance(timer, SessionTimer) else None
        return session, session._step("INVITE" if good else "bad INVITE")

    def _offered(self) -> list[SessionOutput]:
        return [Incoming(request=self.request, sdp=sdp_of(self.request))]

    def _too_brief(self) -> list[SessionOutput]:
        # RFC 4028 §8.1: reject with 422 and "a Min-SE header field containing
        # its minimum".
        headers = [("Min-SE", str(self._min_se))]
        return self._respond(self.invite_key, self.request, 422, headers=headers)

    def _refuse(self) -> list[SessionOutput]:
        required = [t for t in self.request.headers.get_all("Require") if t.lower() != "timer"]
        if required:
            # "The UAS MUST add an Unsupported header field, and list in it those
            # options it does not understand amongst those in the Require header".
            headers = [("Unsupported", ", ".join(required))]
            return self._respond(self.invite_key, self.request, 420, headers=headers)
        return self._respond(self.invite_key, self.request, 400, reason="Missing Contact header")

    # -- commands --------------------------------------------------------------

    def ring(self) -> list[SessionOutput]:
        """Send 180 Ringing."""
        return self._step("ring")

    def progress(self, sdp: bytes | None = None) -> list[SessionOutput]:
        """Send 183 Session Progress, with ``sdp`` for early media."""
        return self._step("progress", sdp)

    def answer(self, sdp: bytes | None) -> list[SessionOutput]:
        """Send 200 OK with ``sdp``; it is resent until the ACK arrives."""
        return self._step("answer", sdp)

    def reject(
        self,
        status: int,
        reason_header: str | None = None,
        *,
        headers: Iterable[tuple[str, str]] = (),
    ) -> list[SessionOutput]:
        """Refuse the call with ``status`` (300-699), optionally with a Reason header.

        ``headers`` go into the response as well (``WWW-Authenticate`` of a 401).

        Raises:
            ValueError: For a status outside 300-699.
        """
        check_failure_status(status)
        return self._step("reject", status, reason_header, tuple(headers))

    def hangup(self, status: int = 603, reason_header: str | None = None) -> list[SessionOutput]:
        """End the call however it stands.

        Before the answer it is ``reject(status)``; once confirmed a BYE. After the
        2xx but before its ACK the BYE waits for the ACK (or the ACK timeout):
        §15: "the callee's UA MUST NOT send a BYE on a confirmed dialog until it
        has received an ACK for its 2xx response or until the server transaction
        times out." Hanging up a finished session does nothing.
        """
        check_failure_status(status)
        return self._step("hangup", status, reason_header)

    def _provisional(self, status: int, sdp: bytes | None) -> list[SessionOutput]:
        response = self._response(self.request, status, body=sdp, contact=True)
        outputs: list[SessionOutput] = list(self.layer.respond(self.invite_key, response))
        if self.dialog is None:
            self.dialog = Dialog.uas(self.request, response)
        return outputs

    def _ring(self) -> list[SessionOutput]:
        return self._provisional(180, None)

    def _progress(self, sdp: bytes | None) -> list[SessionOutput]:
        return self._provisional(183, sdp)

    def _answer(self, sdp: bytes | None) -> list[SessionOutput]:
        response = self._response(
            self.request, 200, body=sdp, contact=True, headers=self._timer_headers()
        )
        outputs = self._send_2xx(self.invite_key, response) + self._arm_session_timer()
        if self.dialog is None:
            self.dialog = Dialog.uas(self.request, response)
        else:
            self.dialog.confirm()
        return outputs

    def _reject(
        self,
        status: int,
        reason_header: str | None,
        extra: tuple[tuple[str, str], ...] = (),
    ) -> list[SessionOutput]:
        headers = [("Reason", reason_header)] if reason_header else []
        headers += list(extra)
        outputs = self._respond(self.invite_key, self.request, status, headers=headers)
        if self.dialog is not None:
            self.dialog.fail()
        return outputs

    # -- requests from the caller ----------------------------------------------

    def _on_cancel(self, key: TransactionKey, request: Request) -> list[SessionOutput]:
        # §9.2: "the UAS core generates a 200 (OK) response to the CANCEL ... If
        # the original request was an INVITE, the UAS SHOULD immediately respond
        # to the INVITE with a 487 (Request Terminated)." "The To tag of the
        # response to the CANCEL and the To tag in the response to the original
        # request SHOULD be the same."
        outputs = self._respond(key, request, 200)
        outputs += self._respond(self.invite_key, self.request, 487)
        if self.dialog is not None:
            self.dialog.fail()
        return [*outputs, Cancelled(request=request)]

    def _on_ack(self, key: TransactionKey | None, request: Request) -> list[SessionOutput]:
        acked, outputs = self._ack_arrived(request)
        if not acked:
            raise SessionStateError(self.role, self.state, "ACK for another INVITE")
        return [*outputs, Confirmed(sdp=sdp_of(request))]

    def _on_ack_then_bye(self, key: TransactionKey | None, request: Request) -> list[SessionOutput]:
        acked, outputs = self._ack_arrived(request)
        if not acked:
            raise SessionStateError(self.role, self.state, "ACK for another INVITE")
        return outputs + self._send_bye()

    def _on_ack_timeout(self) -> list[SessionOutput]:
        return [*self._ack_timeout(), Ended(reason="ACK timeout", status=408)]

    # -- session timer (RFC 4028) ---------------------------------------------

    def _timer_headers(self) -> list[tuple[str, str]]:
        timer = self.session_timer
        return timer.headers() if timer is not None else []

    def _arm_session_timer(self) -> list[SessionOutput]:
        timer = self.session_timer
        if timer is None:
            return []
        name = "session-refresh" if timer.refresher == "uas" else "session-expired"
        return self._cancel("session-refresh", "session-expired") + self._start(
            name, timer.watch_seconds
        )

    def _refreshed(self) -> list[SessionOutput]:
        return self._arm_session_timer()

    def _session_expired(self) -> list[SessionOutput]:
        # §10: "If the side not performing refreshes does not receive a session
        # refresh request before the session expiration, it SHOULD send a BYE".
        return [*self._send_bye(), Ended(reason="session timer expired", status=408)]

    def _session_refresh(self) -> list[SessionOutput]:
        return self._send_in_dialog("UPDATE") + self._arm_session_timer()

    def _on_early_bye(self, key: TransactionKey, request: Request) -> list[SessionOutput]:
        # §15.1.2: "the UAS MUST still respond to any pending requests received
        # for that dialog. It is RECOMMENDED that a 487 (Request Terminated)
        # response be generated to those pending requests."
        outputs = self._on_bye(key, request)
        return self._respond(self.invite_key, self.request, 487) + outputs
