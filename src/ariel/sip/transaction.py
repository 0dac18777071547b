"""What every SIP transaction shares: keys, actions, states, errors, the engine.

Theory of operation. A transaction is a small state machine (RFC 3261 §17 with
the RFC 6026 corrections) written as a transition table: ``(state, input) ->
(next state, handler)``. Inputs are the events the RFC figures name -- a
response class from the network ("1xx", "300-699"), a request retransmission,
a response from the TU ("2xx from TU"), "timer X" and "transport error". The
handler returns *actions* (send this, start that timer, deliver this to the
TU); the engine then moves to the next state. An input the table does not
list raises :class:`TransactionStateError` and changes nothing.

Timers are inputs too. A machine records which timers it has asked for; firing
one that is not running is illegal. A timer of zero seconds is not asked for:
the machine takes its transition at once (reliable transports zero D, I, J, K).
On reaching Terminated every running timer is cancelled.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

from ariel.sip.fields import MAGIC_COOKIE
from ariel.sip.message import Message, Request, Response
from ariel.sip.timers import TimerSettings

__all__ = [
    "RELIABLE_TRANSPORTS",
    "Action",
    "CancelTimer",
    "Deliver",
    "Destination",
    "Send",
    "StartTimer",
    "Terminated",
    "Timeout",
    "TransactionError",
    "TransactionKey",
    "TransactionState",
    "TransactionStateError",
    "TransportFailure",
    "UnknownTransaction",
    "client_key",
    "server_key",
]

RELIABLE_TRANSPORTS = frozenset({"TCP", "TLS", "SCTP", "TLS-SCTP", "WS", "WSS"})


@dataclass(frozen=True, slots=True, kw_only=True)
class Destination:
    """Where a message goes or came from: host, port and transport name."""

    host: str
    port: int
    transport: str = "UDP"

    @property
    def reliable(self) -> bool:
        """Whether the transport is reliable (no retransmission timers A, E, G)."""
        return self.transport.upper() in RELIABLE_TRANSPORTS


class TransactionState(StrEnum):
    """The state names of RFC 3261 §17 figures 5-8 and RFC 6026."""

    CALLING = "Calling"
    TRYING = "Trying"
    PROCEEDING = "Proceeding"
    COMPLETED = "Completed"
    CONFIRMED = "Confirmed"
    ACCEPTED = "Accepted"
    TERMINATED = "Terminated"


@dataclass(frozen=True, slots=True, kw_only=True)
class TransactionKey:
    """Identifies one transaction (RFC 3261 §17.1.3 and §17.2.3).

    ``role`` is ``"client"`` or ``"server"`` so that a UA talking to itself keeps
    both sides apart. ``sent_by`` is empty for client keys: "the branch
    parameter in the top Via header field is used for this purpose" and the
    CSeq method completes it. ``method`` is INVITE for an ACK.
    """

    role: str
    branch: str
    method: str
    sent_by: str = ""

    def for_method(self, method: str) -> TransactionKey:
        """The key of the transaction with the same branch and another method.

        A CANCEL uses this to find the INVITE it cancels (§9.2).
        """
        return TransactionKey(
            role=self.role, branch=self.branch, method=method, sent_by=self.sent_by
        )


def client_key(message: Message) -> TransactionKey:
    """The client transaction a request creates, or a response belongs to.

    §17.1.3: a response matches "If the response has the same value of the
    branch parameter in the top Via header field as the branch parameter in the
    top Via header field of the request that created the transaction" and "If
    the method parameter in the CSeq header field matches the method of the
    request that created the transaction."
    """
    branch = message.branch or ""
    method = message.method if isinstance(message, Request) else message.cseq.method
    return TransactionKey(role="client", branch=branch, method=method)


def server_key(request: Request) -> TransactionKey:
    """The server transaction an arriving request belongs to (§17.2.3).

    With the magic cookie: "the branch parameter in the request is equal to
    the one in the top Via header field of the request that created the
    transaction, the sent-by value in the top Via of the request is equal to
    the one in the request that created the transaction, and the method of the
    request matches the one that created the transaction, except for ACK, where
    the method of the request that created the transaction is INVITE."

    Without it (RFC 2543 peers) the key is built from Request-URI, From tag,
    Call-ID, CSeq number and the top Via. This leaves out the To tag that
    §17.2.3 also compares for INVITE retransmissions; an ACK then matches its
    INVITE as long as it reuses the Request-URI, as §17.1.1.3 requires.
    """
    via = request.top_via
    host, port = via.sent_by
    sent_by = f"{host}:{port}" if port is not None else host
    method = "INVITE" if request.method == "ACK" else request.method
    branch = via.branch or ""
    if not branch.startswith(MAGIC_COOKIE):
        parts = (str(request.uri), request.from_tag or "", request.call_id, request.cseq.number)
        branch = "rfc2543:" + "|".join(str(part) for part in (*parts, str(via)))
    return TransactionKey(role="server", branch=branch, method=method, sent_by=sent_by)


# -- actions -------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Send:
    """Pass ``message`` to the transport, to ``destination`` (None: as the transport decides)."""

    message: Message
    destination: Destination | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class StartTimer:
    """(Re)start timer ``name`` to fire in ``seconds``."""

    name: str
    seconds: float


@dataclass(frozen=True, slots=True, kw_only=True)
class CancelTimer:
    """Stop timer ``name``."""

    name: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Deliver:
    """Pass ``message`` up to the TU; ``source`` is where it came from."""

    message: Message
    source: Destination | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Timeout:
    """Tell the TU that the transaction timed out (timer B, F or H fired)."""

    timer: str


@dataclass(frozen=True, slots=True, kw_only=True)
class TransportFailure:
    """Tell the TU that the transport could not send (§17.1.4, §17.2.4)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Terminated:
    """The transaction reached Terminated and can be forgotten."""

    reason: str


Action = Send | StartTimer | CancelTimer | Deliver | Timeout | TransportFailure | Terminated


# -- errors --------------------------------------------------------------------


class TransactionError(Exception):
    """Base of the transaction layer's errors."""


class TransactionStateError(TransactionError):
    """An input the transaction's table does not allow in its current state.

    Attributes:
        machine: Which machine ("INVITE client" ...).
        state: The state it is in (unchanged).
        event: The input that was refused.
    """

    def __init__(self, machine: str, state: TransactionState, event: str) -> None:
        super().__init__(f"{machine} transaction in state {state}: {event!r} is not allowed")
        self.machine = machine
        self.state = state
        self.event = event


class UnknownTransaction(TransactionError, KeyError):
    """No transaction with this key exists (any more)."""

    def __str__(self) -> str:
        return Exception.__str__(self)


# -- the engine ----------------------------------------------------------------

Table = Mapping[tuple[TransactionState, str], tuple[TransactionState, str]]
"""``(state, input) -> (next state, name of the handler method)``."""


class Machine:
    """A transition-table machine; subclasses supply ``table`` and the handlers.

    A handler is a method ``(message) -> actions`` named in the table; it runs
    before the state changes, so one that raises leaves the machine as it was.
    """

    machine: ClassVar[str]
    table: ClassVar[Table]

    def __init__(
        self, key: TransactionKey, state: TransactionState, settings: TimerSettings, reliable: bool
    ) -> None:
        self.key = key
        self.state = state
        self.settings = settings
        self.reliable = reliable
        self.running: dict[str, float] = {}  # timer name -> its current interval
        self._at_once: list[str] = []

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.key.method} {self.key.branch} {self.state}>"

    def allows(self, event: str) -> bool:
        """Whether ``event`` is an input the current state accepts."""
        return (self.state, event) in self.table

    def timer_fired(self, name: str) -> list[Action]:
        """Input: timer ``name`` fired.

        Raises:
            TransactionStateError: If the state has no such transition or the
                timer is not running.
        """
        event = f"timer {name}"
        if not self.allows(event) or name not in self.running:
            raise TransactionStateError(self.machine, self.state, event)
        del self.running[name]
        return self._step(event, None)

    def _step(self, event: str, message: Message | None) -> list[Action]:
        row = self.table.get((self.state, event))
        if row is None:
            raise TransactionStateError(self.machine, self.state, event)
        next_state, handler = row
        actions: list[Action] = getattr(self, handler)(message)
        self.state = next_state
        if next_state is TransactionState.TERMINATED:
            actions += [CancelTimer(name=name) for name in self.running]
            self.running.clear()
            self._at_once.clear()
        while self._at_once:
            actions += self._step(f"timer {self._at_once.pop(0)}", None)
        return actions

    def abort(self) -> list[Action]:
        """Input: the TU destroys the transaction, whatever its state.

        §9.1: "If there is no final response for the original request in 64*T1
        seconds ..., the client SHOULD then consider the original transaction
        cancelled and SHOULD destroy the client transaction handling the
        original request." Every running timer is cancelled.

        Raises:
            TransactionStateError: If the transaction already terminated.
        """
        if self.state is TransactionState.TERMINATED:
            raise TransactionStateError(self.machine, self.state, "abort")
        actions: list[Action] = [CancelTimer(name=name) for name in self.running]
        self.running.clear()
        self.state = TransactionState.TERMINATED
        return [*actions, Terminated(reason="aborted")]

    def _start(self, name: str, seconds: float | None = None) -> list[Action]:
        """Start timer ``name`` (its Table 4 value unless ``seconds`` is given)."""
        if seconds is None:
            seconds = self.settings.initial(name, reliable=self.reliable)
        if seconds == 0:
            self._at_once.append(name)
            return []
        self.running[name] = seconds
        return [StartTimer(name=name, seconds=seconds)]

    def _cancel(self, *names: str) -> list[Action]:
        stopped = [name for name in names if name in self.running]
        for name in stopped:
            del self.running[name]
        return [CancelTimer(name=name) for name in stopped]

    def _nothing(self, message: Message | None) -> list[Action]:
        """Absorb the input: no action, as the RFC figures' self-loops without one."""
        return []


def response_class(status: int) -> str:
    """ "1xx", "2xx" or "300-699": the input a response of ``status`` is."""
    if 100 <= status < 200:
        return "1xx"
    if 200 <= status < 300:
        return "2xx"
    if 300 <= status < 700:
        return "300-699"
    raise ValueError(f"status {status} is not a SIP status code")


def as_response(message: Message | None) -> Response:
    """The response a handler was given (handlers of response inputs only)."""
    assert isinstance(message, Response), message
    return message
