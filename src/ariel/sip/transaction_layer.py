"""The transaction layer: every transaction of one UA, and the matching rules.

Theory of operation. The transport hands each parsed message and its source to
``on_message``. A request is matched to a server transaction (§17.2.3); when
none matches, a new one is created and the request goes to the TU -- except an
ACK, which has no transaction of its own when it acknowledges a 2xx, and a
CANCEL for a transaction that does not exist, answered 481 here. A response is
matched to a client transaction (§17.1.3); a 2xx to an INVITE that matches none
still goes to the TU, which owns 2xx reliability (§13.2.2.4).

Every output is a :class:`TxAction`: the action and the key of the transaction
that asked for it (``None`` for messages that belong to no transaction). The
driver starts timers per key and calls ``on_timer(key, name)`` when one fires.
Transactions are forgotten when they report :class:`Terminated`.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace

from ariel.sip.headers import Headers
from ariel.sip.message import Message, Request, Response, make_response
from ariel.sip.timers import TimerSettings
from ariel.sip.transaction import (
    Action,
    Deliver,
    Destination,
    Send,
    Terminated,
    TransactionError,
    TransactionKey,
    TransactionStateError,
    UnknownTransaction,
    client_key,
    server_key,
)
from ariel.sip.transaction_client import (
    ClientTransaction,
    InviteClientTransaction,
    NonInviteClientTransaction,
)
from ariel.sip.transaction_server import (
    InviteServerTransaction,
    NonInviteServerTransaction,
    ServerTransaction,
)

__all__ = ["TransactionLayer", "TxAction", "stamp_via"]

log = logging.getLogger("ariel.sip.transaction")
_Step = Callable[[], list[Action]]


@dataclass(frozen=True, slots=True, kw_only=True)
class TxAction:
    """An action and the transaction it belongs to (``None``: no transaction)."""

    key: TransactionKey | None
    action: Action


def stamp_via(request: Request, source: Destination) -> Request:
    """Add ``received`` and fill ``rport`` in the top Via, as the server transport does.

    §18.2.1: "If the host portion of the "sent-by" parameter contains a domain
    name, or if it contains an IP address that differs from the packet source
    address, the server MUST add a "received" parameter to that Via header field
    value." RFC 3581 §4: "If this Via header field value contains an "rport"
    parameter with no value, it MUST set the value of the parameter to the
    source port of the request."
    """
    top = request.top_via
    params = list(top.params)
    if top.host != source.host and top.received != source.host:
        params = [(n, v) for n, v in params if n.lower() != "received"]
        params.append(("received", source.host))
    if top.has_rport and top.rport is None:
        params = [(n, str(source.port) if n.lower() == "rport" else v) for n, v in params]
    if tuple(params) == top.params:
        return request
    first = request.headers.lines("Via")[0]
    rest = Headers((("Via", first),)).get_all("Via")[1:]
    line = ", ".join([str(replace(top, params=tuple(params))), *rest])
    fields = list(request.headers.fields)
    at = next(i for i, (name, _) in enumerate(fields) if name == "Via")
    fields[at] = ("Via", line)
    return replace(request, headers=Headers(tuple(fields)))


class TransactionLayer:
    """Owns the client and server transactions of one user agent (sans-IO).

    Args:
        settings: T1, T2, T4 and friends for every transaction.
        pass_stray_2xx: Whether a 2xx to an INVITE that matches no client
            transaction goes to the TU (RFC 3261 §17.1.1.2 behaviour, so the UAC
            core can ACK and BYE a late fork). RFC 6026, changing §18.1.2, has it
            dropped; its Accepted state already catches retransmissions.
    """

    def __init__(self, settings: TimerSettings | None = None, *, pass_stray_2xx: bool = True):
        self.settings = settings or TimerSettings()
        self.pass_stray_2xx = pass_stray_2xx
        self._client: dict[TransactionKey, ClientTransaction] = {}
        self._server: dict[TransactionKey, ServerTransaction] = {}

    def __len__(self) -> int:
        return len(self._client) + len(self._server)

    def __contains__(self, key: object) -> bool:
        return key in self._client or key in self._server

    def get(self, key: TransactionKey) -> ClientTransaction | ServerTransaction:
        """The live transaction with ``key``.

        Raises:
            UnknownTransaction: If there is none.
        """
        txn = self._client.get(key) or self._server.get(key)
        if txn is None:
            raise UnknownTransaction(f"no transaction {key}")
        return txn

    # -- inputs from the transport ---------------------------------------------

    def on_message(self, message: Message, source: Destination) -> list[TxAction]:
        """Input: a message arrived from ``source``; match it or create a transaction."""
        if isinstance(message, Request):
            return self._on_request(stamp_via(message, source), source)
        return self._on_response(message, source)

    def _on_request(self, request: Request, source: Destination) -> list[TxAction]:
        key = server_key(request)
        txn = self._server.get(key)
        if txn is not None:
            return self._guarded(txn, lambda: txn.receive(request))
        if request.method == "ACK":
            # §17.2.3 matches an ACK only to the INVITE it acknowledges; the ACK
            # for a 2xx is a transaction of its own (§17) and goes to the core.
            return [TxAction(key=None, action=Deliver(message=request, source=source))]
        if request.method == "INVITE":
            created: ServerTransaction
            created, actions = InviteServerTransaction.start(request, source, self.settings)
        else:
            created, actions = NonInviteServerTransaction.start(request, source, self.settings)
        self._server[key] = created
        if request.method == "CANCEL" and key.for_method("INVITE") not in self._server:
            # §9.2: "If the UAS did not find a matching transaction for the CANCEL
            # according to the procedure above, it SHOULD respond to the CANCEL
            # with a 481 (Call Leg/Transaction Does Not Exist)."
            answer = make_response(request, 481, to_tag=_stateless_tag(key))
            return self._wrap(key, created.send_response(answer))
        return self._wrap(key, actions)

    def _on_response(self, response: Response, source: Destination) -> list[TxAction]:
        key = client_key(response)
        txn = self._client.get(key)
        if txn is not None:
            return self._guarded(txn, lambda: txn.receive(response))
        if self.pass_stray_2xx and 200 <= response.status < 300 and key.method == "INVITE":
            # §13.2.2.4: "The UAC core MUST generate an ACK request for each 2xx
            # received from the transaction layer."
            return [TxAction(key=None, action=Deliver(message=response, source=source))]
        log.debug("dropping a stray %d response for %s", response.status, key)
        return []

    def _guarded(self, txn: ClientTransaction | ServerTransaction, step: _Step) -> list[TxAction]:
        try:
            return self._wrap(txn.key, step())
        except TransactionStateError as error:
            log.debug("dropping a message for %r: %s", txn, error)
            return []

    # -- inputs from the TU ----------------------------------------------------

    def new_client_transaction(
        self, request: Request, destination: Destination
    ) -> tuple[TransactionKey, list[TxAction]]:
        """Create a client transaction for ``request`` and send it to ``destination``.

        Raises:
            TransactionError: For an ACK (which never has a client transaction),
                a request without a branch, or a branch already in use.
        """
        if request.method == "ACK":
            raise TransactionError("an ACK is sent without a client transaction (§17.1.1.3)")
        key = client_key(request)
        if key in self._client:
            raise TransactionError(f"client transaction {key} exists already")
        txn: ClientTransaction
        if request.method == "INVITE":
            txn, actions = InviteClientTransaction.start(request, destination, self.settings)
        else:
            txn, actions = NonInviteClientTransaction.start(request, destination, self.settings)
        self._client[key] = txn
        return key, self._wrap(key, actions)

    def respond(self, key: TransactionKey, response: Response) -> list[TxAction]:
        """Pass the TU's ``response`` to server transaction ``key``.

        Raises:
            UnknownTransaction: If no such server transaction lives.
            TransactionStateError: If its state does not accept the response.
        """
        txn = self._server.get(key)
        if txn is None:
            raise UnknownTransaction(f"no server transaction {key}")
        return self._wrap(key, txn.send_response(response))

    def send_stateless(self, message: Message, destination: Destination) -> list[TxAction]:
        """Send a message that belongs to no transaction (the ACK for a 2xx)."""
        return [TxAction(key=None, action=Send(message=message, destination=destination))]

    def on_timer(self, key: TransactionKey, name: str) -> list[TxAction]:
        """Input: timer ``name`` of transaction ``key`` fired.

        Raises:
            UnknownTransaction: If the transaction is gone.
            TransactionStateError: If the timer is not one it is running.
        """
        txn = self.get(key)
        return self._wrap(key, txn.timer_fired(name))

    def transport_error(self, key: TransactionKey) -> list[TxAction]:
        """Input: the transport failed to send a message of transaction ``key``."""
        txn = self.get(key)
        return self._wrap(key, txn.transport_error())

    def terminate(self, key: TransactionKey) -> list[TxAction]:
        """Destroy transaction ``key`` now (the TU gave up on it, §9.1)."""
        txn = self.get(key)
        return self._wrap(key, txn.abort())

    def _wrap(self, key: TransactionKey, actions: list[Action]) -> list[TxAction]:
        if any(isinstance(action, Terminated) for action in actions):
            self._client.pop(key, None)
            self._server.pop(key, None)
            log.debug("transaction %s terminated", key)
        return [TxAction(key=key, action=action) for action in actions]


def _stateless_tag(key: TransactionKey) -> str:
    """A To tag for a response the layer sends itself, the same for every retransmission."""
    text = f"{key.branch}|{key.sent_by}"  # header text keeps raw octets as surrogates
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()[:16]
