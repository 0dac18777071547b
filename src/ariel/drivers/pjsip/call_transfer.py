"""What a PJSIP call does with a REFER from its phone, after res_pjsip_refer.c.

Theory of operation. The INVITE session passes a REFER on unanswered
(:class:`ReferReceived`); the call answers it here, in the reference's order:

1. ``allow_transfer = no`` on the endpoint: ``603 Declined``.
2. A Refer-To that is not a SIP/SIPS URI: ``400`` at once.
3. ``Refer-Sub: false`` (RFC 4488) asks for no implicit subscription: no
   ``202`` and no NOTIFYs; the REFER's final response *is* the outcome
   (``200``, ``404`` ...) and carries ``Refer-Sub: false``. Otherwise
   ``202 Accepted`` (with ``Refer-Sub: true`` when the phone sent the header),
   ``NOTIFY 100``, and a final NOTIFY with the outcome.

``PJSIP_TRANSFER_HANDLING`` decides who carries the transfer out: ``core``
(:class:`~ariel.drivers.pjsip.refer.ReferHandler`) or, with ``ari-only``, the
Stasis application, which hears ChannelTransfer and reports progress with
``transfer_progress`` (NOTIFYs only while subscribed).

Both the inbound (:class:`PjsipCall`) and outbound (:class:`OutboundCall`)
calls use this, so a callee can transfer too.
"""

from __future__ import annotations

import asyncio
import logging
from abc import ABC, abstractmethod
from collections.abc import Iterable
from typing import TYPE_CHECKING

from ariel.core.bridges.bridge import Bridge
from ariel.core.channels.channel import Channel
from ariel.core.channels.state import Cause
from ariel.core.channels.transfer import TRANSFER_STATES, ChannelTransfer
from ariel.sip.errors import SipParseError
from ariel.sip.invite_events import ReferReceived, SessionState
from ariel.sip.invite_session import InviteSession, SessionOutput
from ariel.sip.reasons import reason_phrase
from ariel.sip.refer_to import parse_refer_to_uri

if TYPE_CHECKING:
    from ariel.drivers.pjsip.refer import ReferHandler

__all__ = ["CallTransfers", "wants_subscription"]

log = logging.getLogger("ariel.pjsip.refer")


def wants_subscription(event: ReferReceived) -> bool:
    """Whether the REFER keeps its implicit subscription (RFC 4488 §4).

    As the reference: only a ``Refer-Sub`` header whose value does not begin
    with ``true`` turns it off.
    """
    value = event.request.headers.get("Refer-Sub")
    return value is None or value.strip().lower().startswith("true")


class CallTransfers(ABC):
    """Mixin: REFER handling for a PJSIP call technology.

    The class using it provides :meth:`_in_dialog` and :meth:`_send`, and
    calls :meth:`_init_transfers` from its constructor.
    """

    transfer_pending: bool
    transfer_handling: str
    allow_transfer: bool
    _refers: ReferHandler | None
    _context: str
    _deferred_end: asyncio.TimerHandle | None
    _subscribed: bool

    def _init_transfers(
        self, refers: ReferHandler | None, context: str, *, allow_transfer: bool
    ) -> None:
        #: A REFER was accepted and waits for the application's progress reports.
        self.transfer_pending = False
        #: ``PJSIP_TRANSFER_HANDLING``: ``core`` carries REFERs out, ``ari-only``
        #: hands them to the application as ChannelTransfer.
        self.transfer_handling = "core"
        #: The endpoint's ``allow_transfer``: ``no`` declines every REFER.
        self.allow_transfer = allow_transfer
        self._refers = refers
        self._context = context
        self._deferred_end = None
        self._subscribed = True

    @abstractmethod
    def _in_dialog(self) -> InviteSession | None:
        """The call's INVITE session, once there is one."""

    @abstractmethod
    def _send(self, outputs: list[SessionOutput]) -> None:
        """Carry out ``outputs`` of :meth:`_in_dialog`'s session."""

    # -- a REFER arrives -----------------------------------------------------------
    def _referred(self, chan: Channel, event: ReferReceived) -> None:
        if not self.allow_transfer:
            log.warning("%s: transfer attempt blocked due to configuration", chan.name)
            self.answer_refer(event, 603)
            return
        try:
            parse_refer_to_uri(event.request.headers.get("Refer-To") or event.refer_to)
        except SipParseError as exc:
            log.info("%s: REFER without a usable Refer-To %r: %s", chan.name, event.refer_to, exc)
            self.answer_refer(event, 400)
            return
        subscribed = wants_subscription(event)
        if self.transfer_handling == "ari-only":
            self._hand_to_app(chan, event, subscribed)
            return
        if subscribed:
            self._accept(event)
            self.notify_transfer(100, final=False)
        if self._refers is None:
            self.finish_refer(event, 503, subscribed=subscribed)
        else:
            self._refers.handle(self, chan, event, self._context, subscribed=subscribed)

    def _accept(self, event: ReferReceived) -> None:
        sent = event.request.headers.get("Refer-Sub") is not None
        self.answer_refer(event, 202, [("Refer-Sub", "true")] if sent else [])

    def _hand_to_app(self, chan: Channel, event: ReferReceived, subscribed: bool) -> None:
        """``ari-only``: the Stasis application decides (ChannelTransfer)."""
        if chan.stasis_app is None:
            self.answer_refer(event, 603)
            return
        if subscribed:
            self._accept(event)
        else:
            self.answer_refer(event, 202, [("Refer-Sub", "false")])
        self._subscribed = subscribed
        self.transfer_pending = True
        bridge = chan.bridge
        chan.publish(
            ChannelTransfer(
                timestamp=chan.now(),
                source=chan.snapshot(),
                destination=event.refer_to,
                protocol_id=event.request.call_id,
                bridge=bridge.snapshot() if isinstance(bridge, Bridge) else None,
            )
        )

    # -- answers -----------------------------------------------------------------
    def answer_refer(
        self, event: ReferReceived, status: int, headers: Iterable[tuple[str, str]] = ()
    ) -> None:
        """The REFER's own response."""
        session = self._in_dialog()
        if session is None:
            return
        try:
            self._send(session.answer_refer(event.request, status, headers))
        except ValueError:
            log.debug("REFER %s was answered already", event.request.call_id)

    def finish_refer(self, event: ReferReceived, status: int, *, subscribed: bool) -> None:
        """The outcome: a final NOTIFY, or without a subscription the REFER's response."""
        if subscribed:
            self.notify_transfer(status, final=True)
        else:
            self.answer_refer(event, status, [("Refer-Sub", "false")])

    def notify_transfer(self, status: int, *, final: bool) -> None:
        """A NOTIFY of the REFER subscription with the sipfrag ``SIP/2.0 <status>``."""
        session = self._in_dialog()
        if session is None or session.state is not SessionState.CONFIRMED:
            return
        sipfrag = f"SIP/2.0 {status} {reason_phrase(status)}"
        self._send(session.notify_refer(sipfrag, final=final))

    def defer_termination(self, chan: Channel, seconds: float) -> None:
        """After a transfer: wait for the phone's BYE, hang up after ``seconds`` without it."""
        if self._deferred_end is not None:
            return

        def end() -> None:
            if not chan.hangup_requested:
                chan.request_hangup(cause=Cause.NORMAL_CLEARING)

        self._deferred_end = asyncio.get_running_loop().call_later(seconds, end)

    def _cancel_deferred_end(self) -> None:
        if self._deferred_end is not None:
            self._deferred_end.cancel()

    def transfer_progress(self, chan: Channel, state: str) -> bool:
        """TransferReporter: a NOTIFY with the sipfrag of ``state`` (while subscribed)."""
        session = self._in_dialog()
        if not self.transfer_pending or session is None:
            return False
        if session.state is not SessionState.CONFIRMED:
            return False
        status, final = TRANSFER_STATES[state]
        if self._subscribed:
            self.notify_transfer(status, final=final)
        if final:
            self.transfer_pending = False
        return True
