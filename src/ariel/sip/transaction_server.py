"""Server transactions: RFC 3261 §17.2 with RFC 6026's "Accepted" state.

Theory of operation. A server transaction is created for a request that
matched no other (``start``); it passes the request to the TU and, for an
INVITE, answers 100 (Trying). From then on its inputs are request
retransmissions and ACKs from the network (``receive``), responses from the TU
(``send_response``), timers and transport errors. Retransmitted requests are
absorbed: the most recent response is sent again instead. Responses go to the
address §18.2.2 and RFC 3581 name, worked out once from the request's top Via
and its source.
"""

from __future__ import annotations

from typing import ClassVar, Self

from ariel.sip.message import Message, Request, Response, make_response
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
    response_class,
    server_key,
)

__all__ = [
    "InviteServerTransaction",
    "NonInviteServerTransaction",
    "ServerTransaction",
    "response_destination",
]

S = TransactionState
TRYING_TIMER = "100"


def response_destination(request: Request, source: Destination) -> Destination:
    """Where responses to ``request`` go (RFC 3261 §18.2.2, RFC 3581 §4).

    §18.2.2: "If the "sent-protocol" is a reliable transport protocol such as
    TCP or SCTP, or TLS over those, the response MUST be sent using the
    existing connection to the source of the original request". "Otherwise, if
    the Via header field value contains a "maddr" parameter, the response MUST
    be forwarded to the address listed there, using the port indicated in
    "sent-by", or port 5060 if none is present." RFC 3581: with "both a
    "received" parameter and an "rport" parameter, the response MUST be sent to
    the IP address listed in the "received" parameter, and the port in the
    "rport" parameter" -- the source. Otherwise the received address (the
    source's) and the sent-by port.
    """
    via = request.top_via
    if source.reliable:
        return source
    port = via.port if via.port is not None else 5060
    if via.maddr is not None:
        return Destination(host=via.maddr, port=port, transport=source.transport)
    if via.has_rport:
        return source
    return Destination(host=source.host, port=port, transport=source.transport)


class ServerTransaction(Machine):
    """What both server machines share: the request, where responses go, inputs."""

    initial_state: ClassVar[TransactionState]
    response_events: ClassVar[dict[str, str]]  # "1xx"/"2xx"/"300-699" -> the table's input

    def __init__(self, request: Request, source: Destination, settings: TimerSettings) -> None:
        super().__init__(server_key(request), self.initial_state, settings, source.reliable)
        self.request = request
        self.source = source
        self.destination = response_destination(request, source)
        self.last_provisional: Response | None = None
        self.last_final: Response | None = None
        self._interval = settings.t1

    @classmethod
    def start(
        cls, request: Request, source: Destination, settings: TimerSettings | None = None
    ) -> tuple[Self, list[Action]]:
        """Create the transaction for a new request and pass the request to the TU.

        The 100 (Trying) of an INVITE comes first in the actions, so that it goes
        out before anything the TU answers as it handles the request.
        """
        txn = cls(request, source, settings or TimerSettings())
        return txn, [*txn._begin(), Deliver(message=request, source=source)]

    def _begin(self) -> list[Action]:
        return []

    def receive(self, request: Request) -> list[Action]:
        """Input: a retransmission of the request, or (INVITE) an ACK (§17.2.3).

        Raises:
            TransactionError: If the request belongs to another transaction.
            TransactionStateError: If the state does not accept it.
        """
        if server_key(request) != self.key:
            raise TransactionError(f"request does not match transaction {self.key}")
        return self._step("ACK" if request.method == "ACK" else "request", request)

    def send_response(self, response: Response) -> list[Action]:
        """Input: the TU passes a response to the request.

        Raises:
            TransactionError: If the response is not for this request (CSeq).
            TransactionStateError: If the state does not accept it.
        """
        if response.cseq != self.request.cseq:
            raise TransactionError(f"response CSeq {response.cseq} does not match {self.key}")
        event = response_class(response.status)
        return self._step(f"{self.response_events.get(event, event)} from TU", response)

    def transport_error(self) -> list[Action]:
        """Input: the transport could not send a response.

        RFC 6026 §8.8 replaces §17.2.4's last sentence: "the server transaction
        SHOULD inform the TU that a failure has occurred, and MUST remain in the
        current state."
        """
        return self._step("transport error", None)

    def _send(self, response: Response) -> list[Action]:
        return [Send(message=response, destination=self.destination)]

    def _send_provisional(self, message: Message | None) -> list[Action]:
        # §17.2.1: "The TU passes any number of provisional responses to the
        # server transaction. So long as the server transaction is in the
        # "Proceeding" state, each of these MUST be passed to the transport layer
        # for transmission."
        self.last_provisional = as_response(message)
        return self._cancel(TRYING_TIMER) + self._send(self.last_provisional)

    def _resend_provisional(self, message: Message | None) -> list[Action]:
        # "If a request retransmission is received while in the "Proceeding"
        # state, the most recent provisional response that was received from the
        # TU MUST be passed to the transport layer for retransmission."
        return [] if self.last_provisional is None else self._send(self.last_provisional)

    def _resend_final(self, message: Message | None) -> list[Action]:
        # "while in the "Completed" state, if a request retransmission is
        # received, the server SHOULD pass the response to the transport for
        # retransmission."
        assert self.last_final is not None
        return self._send(self.last_final)

    def _inform_transport(self, message: Message | None) -> list[Action]:
        return [TransportFailure()]

    def _done(self, message: Message | None) -> list[Action]:
        return [Terminated(reason="completed")]


class InviteServerTransaction(ServerTransaction):
    """RFC 3261 figure 7 as corrected by RFC 6026 figure 7."""

    machine = "INVITE server"
    initial_state = S.PROCEEDING
    response_events: ClassVar[dict[str, str]] = {}
    table: ClassVar[Table] = {
        (S.PROCEEDING, "request"): (S.PROCEEDING, "_resend_provisional"),
        (S.PROCEEDING, "ACK"): (S.PROCEEDING, "_nothing"),
        (S.PROCEEDING, "1xx from TU"): (S.PROCEEDING, "_send_provisional"),
        (S.PROCEEDING, "2xx from TU"): (S.ACCEPTED, "_accept"),
        (S.PROCEEDING, "300-699 from TU"): (S.COMPLETED, "_complete"),
        (S.PROCEEDING, f"timer {TRYING_TIMER}"): (S.PROCEEDING, "_send_trying"),
        (S.PROCEEDING, "transport error"): (S.PROCEEDING, "_inform_transport"),
        (S.COMPLETED, "request"): (S.COMPLETED, "_resend_final"),
        (S.COMPLETED, "ACK"): (S.CONFIRMED, "_confirm"),
        (S.COMPLETED, "timer G"): (S.COMPLETED, "_retransmit"),
        (S.COMPLETED, "timer H"): (S.TERMINATED, "_time_out"),
        (S.COMPLETED, "transport error"): (S.COMPLETED, "_inform_transport"),
        (S.CONFIRMED, "request"): (S.CONFIRMED, "_nothing"),
        (S.CONFIRMED, "ACK"): (S.CONFIRMED, "_nothing"),
        (S.CONFIRMED, "timer I"): (S.TERMINATED, "_done"),
        (S.ACCEPTED, "request"): (S.ACCEPTED, "_nothing"),
        (S.ACCEPTED, "ACK"): (S.ACCEPTED, "_deliver_ack"),
        (S.ACCEPTED, "2xx from TU"): (S.ACCEPTED, "_send_2xx"),
        (S.ACCEPTED, "timer L"): (S.TERMINATED, "_done"),
        (S.ACCEPTED, "transport error"): (S.ACCEPTED, "_inform_transport"),
    }

    def __init__(self, request: Request, source: Destination, settings: TimerSettings) -> None:
        if request.method != "INVITE":
            raise TransactionError(f"an INVITE server transaction cannot serve {request.method}")
        super().__init__(request, source, settings)

    def _begin(self) -> list[Action]:
        # §17.2.1: "The server transaction MUST generate a 100 (Trying) response
        # unless it knows that the TU will generate a provisional or final
        # response within 200 ms, in which case it MAY generate a 100 (Trying)
        # response."
        if self.settings.trying_delay > 0:
            return self._start(TRYING_TIMER, self.settings.trying_delay)
        return self._send_trying(None)

    def _send_trying(self, message: Message | None) -> list[Action]:
        self.last_provisional = make_response(self.request, 100)
        return self._send(self.last_provisional)

    def _accept(self, message: Message | None) -> list[Action]:
        # RFC 6026 §8.5: "If, while in the "Proceeding" state, the TU passes a
        # 2xx response to the server transaction, the server transaction MUST
        # pass this response to the transport layer for transmission. It is not
        # retransmitted by the server transaction; retransmissions of 2xx
        # responses are handled by the TU. The server transaction MUST then
        # transition to the "Accepted" state." §8.7: Timer L "64*T1".
        self.last_final = as_response(message)
        return self._cancel(TRYING_TIMER) + self._send(self.last_final) + self._start("L")

    def _send_2xx(self, message: Message | None) -> list[Action]:
        # RFC 6026 §8.7: "While in the "Accepted" state, if the TU passes a 2xx
        # response, the server transaction MUST pass the response to the
        # transport layer for transmission."
        return self._send(as_response(message))

    def _deliver_ack(self, message: Message | None) -> list[Action]:
        # RFC 6026 figure 7: Accepted -- ACK / pass ACK to TU.
        assert isinstance(message, Request)
        return [Deliver(message=message, source=self.source)]

    def _complete(self, message: Message | None) -> list[Action]:
        # §17.2.1: "While in the "Proceeding" state, if the TU passes a response
        # with status code from 300 to 699 to the server transaction, the
        # response MUST be passed to the transport layer for transmission, and
        # the state machine MUST enter the "Completed" state. For unreliable
        # transports, timer G is set to fire in T1 seconds ... When the
        # "Completed" state is entered, timer H MUST be set to fire in 64*T1
        # seconds for all transports."
        self.last_final = as_response(message)
        actions = self._cancel(TRYING_TIMER) + self._send(self.last_final)
        if not self.reliable:
            actions += self._start("G", self._interval)
        return actions + self._start("H")

    def _retransmit(self, message: Message | None) -> list[Action]:
        # "If timer G fires, the response is passed to the transport layer once
        # more for retransmission, and timer G is set to fire in MIN(2*T1, T2)
        # seconds. From then on, when timer G fires, ... timer G is reset with a
        # value that doubles, unless that value exceeds T2".
        assert self.last_final is not None
        self._interval = self.settings.backoff(self._interval)
        return self._send(self.last_final) + self._start("G", self._interval)

    def _time_out(self, message: Message | None) -> list[Action]:
        # "If timer H fires while in the "Completed" state, it implies that the
        # ACK was never received. In this case, the server transaction MUST
        # transition to the "Terminated" state, and MUST indicate to the TU that a
        # transaction failure has occurred."
        return [Timeout(timer="H"), Terminated(reason="timeout")]

    def _confirm(self, message: Message | None) -> list[Action]:
        # "If an ACK is received while the server transaction is in the
        # "Completed" state, the server transaction MUST transition to the
        # "Confirmed" state. As Timer G is ignored in this state, any
        # retransmissions of the response will cease." "When this state is
        # entered, timer I is set to fire in T4 seconds for unreliable
        # transports, and zero seconds for reliable transports."
        return self._cancel("G", "H") + self._start("I")


class NonInviteServerTransaction(ServerTransaction):
    """RFC 3261 figure 8 (non-INVITE server transaction), with RFC 6026 §8.8."""

    machine = "non-INVITE server"
    initial_state = S.TRYING
    response_events: ClassVar[dict[str, str]] = {"2xx": "200-699", "300-699": "200-699"}
    table: ClassVar[Table] = {
        (S.TRYING, "request"): (S.TRYING, "_nothing"),
        (S.TRYING, "1xx from TU"): (S.PROCEEDING, "_send_provisional"),
        (S.TRYING, "200-699 from TU"): (S.COMPLETED, "_complete"),
        (S.PROCEEDING, "request"): (S.PROCEEDING, "_resend_provisional"),
        (S.PROCEEDING, "1xx from TU"): (S.PROCEEDING, "_send_provisional"),
        (S.PROCEEDING, "200-699 from TU"): (S.COMPLETED, "_complete"),
        (S.PROCEEDING, "transport error"): (S.PROCEEDING, "_inform_transport"),
        (S.COMPLETED, "request"): (S.COMPLETED, "_resend_final"),
        (S.COMPLETED, "200-699 from TU"): (S.COMPLETED, "_nothing"),
        (S.COMPLETED, "timer J"): (S.TERMINATED, "_done"),
        (S.COMPLETED, "transport error"): (S.COMPLETED, "_inform_transport"),
    }

    def __init__(self, request: Request, source: Destination, settings: TimerSettings) -> None:
        if request.method in ("INVITE", "ACK"):
            raise TransactionError(f"a non-INVITE server transaction cannot serve {request.method}")
        super().__init__(request, source, settings)

    # §17.2.2: "Once in the "Trying" state, any further request retransmissions
    # are discarded." -- the (Trying, request) row. "Any other final responses
    # passed by the TU to the server transaction MUST be discarded while in the
    # "Completed" state." -- the (Completed, 200-699 from TU) row.

    def _complete(self, message: Message | None) -> list[Action]:
        # "If the TU passes a final response (status codes 200-699) to the server
        # while in the "Proceeding" state, the transaction MUST enter the
        # "Completed" state, and the response MUST be passed to the transport
        # layer for transmission." "When the server transaction enters the
        # "Completed" state, it MUST set Timer J to fire in 64*T1 seconds for
        # unreliable transports, and zero seconds for reliable transports."
        self.last_final = as_response(message)
        return self._send(self.last_final) + self._start("J")
