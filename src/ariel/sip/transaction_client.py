"""Client transactions: RFC 3261 §17.1 with RFC 6026's "Accepted" state.

Theory of operation. The TU hands a request and a destination to
``start``; the machine sends it, arms its timers and from then on is driven by
``receive(response)``, ``timer_fired(name)`` and ``transport_error()``. Each
table below is the RFC figure as data; the handlers are the arrows' labels.
The INVITE machine builds and sends the ACK for a non-2xx final response
itself (§17.1.1.3); a 2xx goes to the TU, whose core sends its own ACK
(§13.2.2.4).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import ClassVar, Self

from ariel.sip.headers import Headers
from ariel.sip.message import Message, Request, Response
from ariel.sip.timers import TimerSettings
from ariel.sip.transaction import (
    Action,
    Deliver,
    Destination,
    Machine,
    Send,
    Table,
    Terminated,
    Timeout,
    TransactionError,
    TransactionState,
    TransportFailure,
    as_response,
    client_key,
    response_class,
)

__all__ = [
    "ClientTransaction",
    "InviteClientTransaction",
    "NonInviteClientTransaction",
    "make_non2xx_ack",
]

S = TransactionState


def make_non2xx_ack(request: Request, response: Response) -> Request:
    """The ACK an INVITE client transaction sends for a 300-699 response.

    §17.1.1.3: "The ACK request constructed by the client transaction MUST
    contain values for the Call-ID, From, and Request-URI that are equal to the
    values of those header fields in the request passed to the transport by the
    client transaction ... The To header field in the ACK MUST equal the To
    header field in the response being acknowledged ... The ACK MUST contain a
    single Via header field, and this MUST be equal to the top Via header field
    of the original request. The CSeq header field in the ACK MUST contain the
    same value for the sequence number as was present in the original request,
    but the method parameter MUST be equal to "ACK"." And: "If the INVITE
    request whose response is being acknowledged had Route header fields, those
    header fields MUST appear in the ACK."
    """
    fields = [
        ("Via", request.headers.get_all("Via")[0]),
        ("Max-Forwards", request.headers.get("Max-Forwards") or "70"),
        ("From", request.headers.get("From") or ""),
        ("To", response.headers.get("To") or ""),
        ("Call-ID", request.call_id),
        ("CSeq", f"{request.cseq.number} ACK"),
    ]
    fields += [("Route", value) for value in request.headers.lines("Route")]
    fields.append(("Content-Length", "0"))
    return Request(method="ACK", uri=request.uri, headers=Headers(tuple(fields)))


class ClientTransaction(Machine, ABC):
    """What both client machines share: the request, its destination, inputs."""

    initial_state: ClassVar[TransactionState]
    response_events: ClassVar[dict[str, str]]  # "2xx" / "300-699" -> the table's input

    def __init__(self, request: Request, destination: Destination, settings: TimerSettings) -> None:
        super().__init__(client_key(request), self.initial_state, settings, destination.reliable)
        self.request = request
        self.destination = destination

    @classmethod
    def start(
        cls, request: Request, destination: Destination, settings: TimerSettings | None = None
    ) -> tuple[Self, list[Action]]:
        """Create the transaction: send the request, start the timers.

        Raises:
            TransactionError: If the request has no branch to key the transaction on.
        """
        if not request.branch:
            raise TransactionError("a client transaction's request needs a Via branch")
        txn = cls(request, destination, settings or TimerSettings())
        return txn, txn._begin()

    @abstractmethod
    def _begin(self) -> list[Action]:
        """Send the request and start the first timers (each kind its own)."""

    def receive(self, response: Response) -> list[Action]:
        """Input: a response that matched this transaction (§17.1.3).

        Raises:
            TransactionError: If the response belongs to another transaction.
            TransactionStateError: If the state does not accept it.
        """
        if client_key(response) != self.key:
            raise TransactionError(f"response does not match transaction {self.key}")
        event = response_class(response.status)
        return self._step(self.response_events.get(event, event), response)

    def transport_error(self) -> list[Action]:
        """Input: the transport failed to send the request (or the ACK).

        §17.1.4: "the client transaction SHOULD inform the TU that a transport
        failure has occurred, and the client transaction SHOULD transition
        directly to the "Terminated" state."
        """
        return self._step("transport error", None)

    def _send_request(self) -> list[Action]:
        return [Send(message=self.request, destination=self.destination)]

    def _deliver(self, message: Message | None) -> list[Action]:
        return [Deliver(message=as_response(message), source=None)]

    def _fail_transport(self, message: Message | None) -> list[Action]:
        return [TransportFailure(), Terminated(reason="transport error")]

    def _done(self, message: Message | None) -> list[Action]:
        return [Terminated(reason="completed")]


class InviteClientTransaction(ClientTransaction):
    """RFC 3261 figure 5 as corrected by RFC 6026 figure 5."""

    machine = "INVITE client"
    initial_state = S.CALLING
    response_events: ClassVar[dict[str, str]] = {}
    table: ClassVar[Table] = {
        (S.CALLING, "timer A"): (S.CALLING, "_retransmit"),
        (S.CALLING, "timer B"): (S.TERMINATED, "_time_out"),
        (S.CALLING, "1xx"): (S.PROCEEDING, "_first_provisional"),
        (S.CALLING, "2xx"): (S.ACCEPTED, "_accept"),
        (S.CALLING, "300-699"): (S.COMPLETED, "_complete"),
        (S.CALLING, "transport error"): (S.TERMINATED, "_fail_transport"),
        (S.PROCEEDING, "1xx"): (S.PROCEEDING, "_deliver"),
        (S.PROCEEDING, "2xx"): (S.ACCEPTED, "_accept"),
        (S.PROCEEDING, "300-699"): (S.COMPLETED, "_complete"),
        (S.COMPLETED, "1xx"): (S.COMPLETED, "_nothing"),
        (S.COMPLETED, "2xx"): (S.COMPLETED, "_nothing"),
        (S.COMPLETED, "300-699"): (S.COMPLETED, "_resend_ack"),
        (S.COMPLETED, "timer D"): (S.TERMINATED, "_done"),
        (S.COMPLETED, "transport error"): (S.TERMINATED, "_fail_transport"),
        (S.ACCEPTED, "1xx"): (S.ACCEPTED, "_nothing"),
        (S.ACCEPTED, "2xx"): (S.ACCEPTED, "_deliver"),
        (S.ACCEPTED, "300-699"): (S.ACCEPTED, "_nothing"),
        (S.ACCEPTED, "timer M"): (S.TERMINATED, "_done"),
    }

    def __init__(self, request: Request, destination: Destination, settings: TimerSettings) -> None:
        if request.method != "INVITE":
            raise TransactionError(f"an INVITE client transaction cannot send {request.method}")
        super().__init__(request, destination, settings)
        self.ack: Request | None = None
        self._interval = settings.t1

    def _begin(self) -> list[Action]:
        # §17.1.1.2: "If an unreliable transport is being used, the client
        # transaction MUST start timer A with a value of T1. ... For any
        # transport, the client transaction MUST start timer B with a value of
        # 64*T1 seconds".
        actions = self._send_request()
        if not self.reliable:
            actions += self._start("A", self._interval)
        return actions + self._start("B")

    def _retransmit(self, message: Message | None) -> list[Action]:
        # "When timer A fires, the client transaction MUST retransmit the request
        # by passing it to the transport layer, and MUST reset the timer with a
        # value of 2*T1. ... the timer is reset with a value of 4*T1, ... 8*T1".
        self._interval = self.settings.backoff(self._interval, cap=False)
        return self._send_request() + self._start("A", self._interval)

    def _time_out(self, message: Message | None) -> list[Action]:
        # "If the client transaction is still in the "Calling" state when timer B
        # fires, the client transaction SHOULD inform the TU that a timeout has
        # occurred."
        return [Timeout(timer="B"), Terminated(reason="timeout")]

    def _first_provisional(self, message: Message | None) -> list[Action]:
        # "In the "Proceeding" state, the client transaction SHOULD NOT retransmit
        # the request any longer. Furthermore, the provisional response MUST be
        # passed to the TU." Timer B only matters in "Calling".
        return self._cancel("A", "B") + self._deliver(message)

    def _accept(self, message: Message | None) -> list[Action]:
        # RFC 6026 §8.4: "When a 2xx response is received while in either the
        # "Calling" or "Proceeding" states, the client transaction MUST transition
        # to the "Accepted" state, and Timer M MUST be started with a value of
        # 64*T1 seconds. The 2xx response MUST be passed up to the TU. The client
        # transaction MUST NOT generate an ACK to the 2xx response".
        return self._cancel("A", "B") + self._deliver(message) + self._start("M")

    def _complete(self, message: Message | None) -> list[Action]:
        # §17.1.1.2: "reception of a response with status code from 300-699 MUST
        # cause the client transaction to transition to "Completed". The client
        # transaction MUST pass the received response up to the TU, and the
        # client transaction MUST generate an ACK request, even if the transport
        # is reliable ... The ACK MUST be sent to the same address, port, and
        # transport to which the original request was sent. The client
        # transaction SHOULD start timer D".
        response = as_response(message)
        self.ack = make_non2xx_ack(self.request, response)
        actions = self._cancel("A", "B")
        actions.append(Send(message=self.ack, destination=self.destination))
        return actions + self._deliver(message) + self._start("D")

    def _resend_ack(self, message: Message | None) -> list[Action]:
        # "Any retransmissions of the final response that are received while in
        # the "Completed" state MUST cause the ACK to be re-passed to the
        # transport layer for retransmission, but the newly received response
        # MUST NOT be passed up to the TU."
        assert self.ack is not None
        return [Send(message=self.ack, destination=self.destination)]


class NonInviteClientTransaction(ClientTransaction):
    """RFC 3261 figure 6 (non-INVITE client transaction)."""

    machine = "non-INVITE client"
    initial_state = S.TRYING
    response_events: ClassVar[dict[str, str]] = {"2xx": "200-699", "300-699": "200-699"}
    table: ClassVar[Table] = {
        (S.TRYING, "timer E"): (S.TRYING, "_retransmit"),
        (S.TRYING, "timer F"): (S.TERMINATED, "_time_out"),
        (S.TRYING, "1xx"): (S.PROCEEDING, "_deliver"),
        (S.TRYING, "200-699"): (S.COMPLETED, "_complete"),
        (S.TRYING, "transport error"): (S.TERMINATED, "_fail_transport"),
        (S.PROCEEDING, "timer E"): (S.PROCEEDING, "_retransmit"),
        (S.PROCEEDING, "timer F"): (S.TERMINATED, "_time_out"),
        (S.PROCEEDING, "1xx"): (S.PROCEEDING, "_deliver"),
        (S.PROCEEDING, "200-699"): (S.COMPLETED, "_complete"),
        (S.PROCEEDING, "transport error"): (S.TERMINATED, "_fail_transport"),
        (S.COMPLETED, "1xx"): (S.COMPLETED, "_nothing"),
        (S.COMPLETED, "200-699"): (S.COMPLETED, "_nothing"),
        (S.COMPLETED, "timer K"): (S.TERMINATED, "_done"),
    }

    def __init__(self, request: Request, destination: Destination, settings: TimerSettings) -> None:
        if request.method in ("INVITE", "ACK"):
            raise TransactionError(f"a non-INVITE client transaction cannot send {request.method}")
        super().__init__(request, destination, settings)
        self._interval = settings.t1

    def _begin(self) -> list[Action]:
        # §17.1.2.2: "If an unreliable transport is in use, the client transaction
        # MUST set timer E to fire in T1 seconds" and "the "Trying" state ...
        # timer F MUST be set to fire in 64*T1 seconds."
        actions = self._send_request()
        if not self.reliable:
            actions += self._start("E", self._interval)
        return actions + self._start("F")

    def _retransmit(self, message: Message | None) -> list[Action]:
        # "If timer E fires while still in this state, the timer is reset, but
        # this time with a value of MIN(2*T1, T2)." And: "If Timer E fires while
        # in the "Proceeding" state, the request MUST be passed to the transport
        # layer for retransmission, and Timer E MUST be reset with a value of T2
        # seconds."
        if self.state is S.PROCEEDING:
            self._interval = self.settings.t2
        else:
            self._interval = self.settings.backoff(self._interval)
        return self._send_request() + self._start("E", self._interval)

    def _time_out(self, message: Message | None) -> list[Action]:
        # "If timer F fires while the client transaction is still in the "Trying"
        # [or "Proceeding"] state, the client transaction SHOULD inform the TU
        # about the timeout, and then it SHOULD enter the "Terminated" state."
        return [Timeout(timer="F"), Terminated(reason="timeout")]

    def _complete(self, message: Message | None) -> list[Action]:
        # "If a final response (status codes 200-699) is received while the client
        # transaction is in the "Trying" state, the response MUST be passed to the
        # TU, and the client transaction MUST transition to the "Completed"
        # state." "Once the client transaction enters the "Completed" state, it
        # MUST set Timer K to fire in T4 seconds for unreliable transports, and
        # zero seconds for reliable transports."
        return self._cancel("E", "F") + self._deliver(message) + self._start("K")
