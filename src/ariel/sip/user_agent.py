"""The UA core for calls: one transaction layer, many INVITE sessions, routing.

Theory of operation. :class:`UserAgent` owns a :class:`TransactionLayer` and
finds, for each thing the layer passes up to the TU, the session it belongs
to: a new INVITE makes a :class:`UasSession`; a request with a To tag goes to
the session whose dialog has that local tag (481 when there is none, §12.2.2);
a CANCEL to the session of the INVITE it cancels (§9.2); an ACK for a 2xx and a
stray 2xx to the session of their dialog; responses, timeouts and transport
failures to the session that owns the transaction. Requests outside any dialog
that are not INVITEs (OPTIONS, REGISTER, MESSAGE ...) are handed out unrouted
for the driver to answer with ``layer.respond``.

Every output is a :class:`Routed`: the session it comes from (``None`` for the
transaction layer's own) and the output. Session commands (``answer``,
``hangup`` ...) are called on the session directly; pass what they return
through :meth:`UserAgent.track` to get the same shape (and so that a session
they end is forgotten).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from ariel.sip.dialog import request_dialog_id
from ariel.sip.fields import new_tag
from ariel.sip.invite_session import (
    InviteSession,
    SessionConfig,
    SessionOutput,
    SessionState,
    SessionStateError,
)
from ariel.sip.invite_uac import UacSession
from ariel.sip.invite_uas import UasSession
from ariel.sip.message import Message, Request, Response, make_response
from ariel.sip.timers import TimerSettings
from ariel.sip.transaction import (
    Deliver,
    Destination,
    Terminated,
    Timeout,
    TransactionError,
    TransactionKey,
    TransportFailure,
)
from ariel.sip.transaction_layer import TransactionLayer, TxAction

__all__ = ["Routed", "UserAgent"]

log = logging.getLogger("ariel.sip.user_agent")


@dataclass(frozen=True, slots=True, kw_only=True)
class Routed:
    """An output and the session it belongs to (``None``: the transaction layer's)."""

    session: InviteSession | None
    output: SessionOutput


class UserAgent:
    """Routes between one transaction layer and the INVITE sessions above it."""

    def __init__(self, config: SessionConfig, settings: TimerSettings | None = None) -> None:
        self.config = config
        self.layer = TransactionLayer(settings)
        self._by_dialog: dict[tuple[str, str], InviteSession] = {}  # (Call-ID, local tag)
        self._by_key: dict[TransactionKey, InviteSession] = {}

    @property
    def sessions(self) -> list[InviteSession]:
        """The sessions that have not terminated."""
        return [s for s in set(self._by_dialog.values()) if s.state is not SessionState.TERMINATED]

    # -- inputs ----------------------------------------------------------------

    def on_message(self, message: Message, source: Destination) -> list[Routed]:
        """Input: a parsed message from ``source``."""
        return self._route(self.layer.on_message(message, source))

    def on_timer(self, owner: TransactionKey | InviteSession, name: str) -> list[Routed]:
        """Input: timer ``name`` of a transaction (by key) or of a session fired."""
        if isinstance(owner, TransactionKey):
            return self._route(self.layer.on_timer(owner, name))
        return self.track(owner, owner.timer_fired(name))

    def call(self, request: Request, destination: Destination) -> tuple[UacSession, list[Routed]]:
        """Start an outgoing call with ``request`` (see :func:`make_invite`)."""
        session = UacSession(self.layer, self.config, destination)
        outputs = session.invite(request)
        self._by_dialog[(session.call_id, session.local_tag)] = session
        assert session.invite_key is not None
        self._by_key[session.invite_key] = session
        return session, self.track(session, outputs)

    def track(self, session: InviteSession, outputs: list[SessionOutput]) -> list[Routed]:
        """Wrap what a session command returned, as every other output is."""
        routed = []
        for output in outputs:
            if isinstance(output, TxAction) and output.key is not None:
                if isinstance(output.action, Terminated):
                    self._by_key.pop(output.key, None)
                elif output.key.role == "server":
                    self._by_key.setdefault(output.key, session)
            routed.append(Routed(session=session, output=output))
        self._live(session)  # forget it at once if that ended it
        return routed

    # -- routing ---------------------------------------------------------------

    def _route(self, outputs: list[TxAction]) -> list[Routed]:
        routed: list[Routed] = []
        for output in outputs:
            action = output.action
            if isinstance(action, Deliver | Timeout | TransportFailure):
                routed += self._dispatch(output)
                continue
            if isinstance(action, Terminated) and output.key is not None:
                self._by_key.pop(output.key, None)
            routed.append(Routed(session=None, output=output))
        return routed

    def _live(self, session: InviteSession | None) -> InviteSession | None:
        if session is None or session.state is not SessionState.TERMINATED:
            return session
        self._by_dialog.pop((session.call_id, session.local_tag), None)
        for key in [k for k, s in self._by_key.items() if s is session]:
            del self._by_key[key]
        return None

    def _dispatch(self, output: TxAction) -> list[Routed]:
        action, key = output.action, output.key
        if isinstance(action, Deliver) and isinstance(action.message, Request):
            return self._on_request(output, action.message, action.source)
        if isinstance(action, Deliver):
            assert isinstance(action.message, Response)
            response = action.message
            found = self._by_key.get(key) if key else None
            if found is None:
                found = self._by_dialog.get((response.call_id, response.from_tag or ""))
            if found is None and key is not None and key.role == "client":
                # The answer to a request the driver sent itself (OPTIONS, MESSAGE).
                return [Routed(session=None, output=output)]
            return self._give(self._live(found), output)
        session = self._live(self._by_key.get(key) if key else None)
        if session is None and key is not None and key.role == "client":
            return [Routed(session=None, output=output)]  # its request timed out
        return self._give(session, output)

    def _on_request(
        self, output: TxAction, request: Request, source: Destination | None
    ) -> list[Routed]:
        key = output.key
        in_dialog = self._by_dialog.get((request.call_id, request.to_tag or ""))
        if request.method == "ACK":
            return self._give(self._live(in_dialog), output)
        assert key is not None
        if request.method == "CANCEL":
            session = self._live(self._by_key.get(key.for_method("INVITE")))
            if session is None:  # the INVITE has its final response already (§9.2)
                return self._answer(key, request, 200)
            return self._give(session, output)
        if request.to_tag is None:
            if request.method != "INVITE":
                return [Routed(session=None, output=output)]  # for the driver
            assert source is not None
            uas, outputs = UasSession.incoming(self.layer, self.config, key, request, source)
            self._by_dialog[(uas.call_id, uas.local_tag)] = uas
            self._by_key[key] = uas
            return self.track(uas, outputs)
        session = self._live(in_dialog)
        dialog = session.dialog if session is not None else None
        if session is None or (dialog is not None and dialog.id != request_dialog_id(request)):
            # §12.2.2: "If the UAS wishes to reject the request because it does not
            # wish to recreate the dialog, it MUST respond to the request with a
            # 481 (Call/Transaction Does Not Exist) status code".
            return self._answer(key, request, 481)
        self._by_key[key] = session
        return self._give(session, output)

    def _give(self, session: InviteSession | None, output: TxAction) -> list[Routed]:
        if session is None:
            log.debug("nothing to route %r to", output)
            return []
        try:
            return self.track(session, session.on_transaction(output))
        except SessionStateError as error:
            log.debug("%r refused %r: %s", session, output, error)
            message = output.action.message if isinstance(output.action, Deliver) else None
            if isinstance(message, Request) and message.method != "ACK" and output.key:
                return self._answer(output.key, message, 500)
            return []

    def _answer(self, key: TransactionKey, request: Request, status: int) -> list[Routed]:
        try:
            tag = None if request.to_tag else new_tag(self.config.random)
            actions = self.layer.respond(key, make_response(request, status, to_tag=tag))
        except TransactionError as error:
            log.debug("cannot answer %s with %d: %s", key, status, error)
            return []
        return self._route(actions)
