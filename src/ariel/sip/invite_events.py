"""What INVITE sessions tell the call layer, and what they are configured with.

The events are frozen dataclasses the session returns among its outputs; the
call layer reacts by calling the session's commands. :class:`SessionConfig`
carries what a session knows of its own UA (Contact, Via sent-by, the random
source for tags and branches).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from ariel.sip.address import Address
from ariel.sip.fields import Via, new_branch
from ariel.sip.message import Message, Request, Response
from ariel.sip.transaction import CancelTimer, Destination, StartTimer
from ariel.sip.transaction_layer import TxAction
from ariel.sip.uri import Uri

__all__ = [
    "Answered",
    "Cancelled",
    "Confirmed",
    "Ended",
    "Failed",
    "Incoming",
    "Provisional",
    "ReferReceived",
    "Reinvite",
    "RequestReceived",
    "SessionConfig",
    "SessionEvent",
    "SessionOutput",
    "SessionState",
    "SessionStateError",
    "Update",
    "make_via",
    "sdp_of",
]


class SessionState(StrEnum):
    """Where a call stands (the names pjsip's ``pjsip_inv_state`` uses, lower-case)."""

    NULL = "null"  # UAC before invite()
    CALLING = "calling"  # UAC: INVITE sent, no response yet
    INCOMING = "incoming"  # UAS: INVITE received, no 1xx with a tag sent yet
    EARLY = "early"  # a provisional response sent (UAS) or received (UAC)
    CONNECTING = "connecting"  # UAS: 2xx sent, waiting for the ACK
    CONFIRMED = "confirmed"  # the call is up
    CANCELLING = "cancelling"  # UAC: CANCEL sent (or waiting for a 1xx to send it)
    TERMINATING = "terminating"  # UAS: hung up before the ACK; BYE waits for it (§15)
    TERMINATED = "terminated"


# -- events for the call layer -------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Incoming:
    """UAS: a new call. Answer with ``ring``/``progress``/``answer``/``reject``."""

    request: Request
    sdp: bytes | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Confirmed:
    """UAS: the ACK for our 2xx arrived (``reinvite``: the 2xx to a re-INVITE)."""

    sdp: bytes | None
    reinvite: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Cancelled:
    """UAS: the caller cancelled; 200 (CANCEL) and 487 (INVITE) were sent."""

    request: Request


@dataclass(frozen=True, slots=True, kw_only=True)
class Ended:
    """The peer ended the call (``request`` is its BYE), or it timed out.

    ``status`` is 408 when our 2xx was never acknowledged (§13.3.1.4).
    """

    reason: str
    status: int | None = None
    request: Request | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Provisional:
    """UAC: a 1xx arrived (180 Ringing, 183 Session Progress with early media...)."""

    status: int
    reason: str
    sdp: bytes | None
    response: Response


@dataclass(frozen=True, slots=True, kw_only=True)
class Answered:
    """UAC: a 2xx arrived and was acknowledged."""

    sdp: bytes | None
    response: Response


@dataclass(frozen=True, slots=True, kw_only=True)
class Failed:
    """UAC: the INVITE failed (final 300-699, timeout 408, transport 503, cancel 487)."""

    status: int
    reason: str
    response: Response | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Reinvite:
    """A re-INVITE: call ``answer_reinvite(sdp)`` or ``reject_reinvite(status)``."""

    request: Request
    sdp: bytes | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Update:
    """An UPDATE with an offer: call ``answer_update(sdp)`` or ``reject_update(status)``."""

    request: Request
    sdp: bytes


@dataclass(frozen=True, slots=True, kw_only=True)
class RequestReceived:
    """INFO, OPTIONS, MESSAGE or NOTIFY inside the dialog; 200 was sent."""

    request: Request


@dataclass(frozen=True, slots=True, kw_only=True)
class ReferReceived:
    """A REFER inside the dialog (RFC 3515) with one Refer-To, not answered yet.

    ``refer_to`` is the Refer-To value without its angle brackets. The call
    layer answers it with :meth:`InviteSession.answer_refer` (202, a refusal,
    or the outcome when no subscription is wanted) and reports how the
    transfer goes with :meth:`InviteSession.notify_refer`.
    """

    request: Request
    refer_to: str


SessionEvent = (
    Incoming
    | Confirmed
    | Cancelled
    | Ended
    | Provisional
    | Answered
    | Failed
    | Reinvite
    | Update
    | RequestReceived
    | ReferReceived
)
SessionOutput = TxAction | StartTimer | CancelTimer | SessionEvent


class SessionStateError(Exception):
    """An input the session's table does not allow in its state (state unchanged)."""

    def __init__(self, role: str, state: SessionState, event: str) -> None:
        super().__init__(f"{role} session in state {state}: {event!r} is not allowed")
        self.role = role
        self.state = state
        self.event = event


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionConfig:
    """What a session needs to know about its own UA.

    Attributes:
        contact: Our Contact, put in dialog-forming responses and requests.
        via_host: The sent-by host of the Vias we add.
        via_port: The sent-by port (None: the transport's default).
        transport: The transport name in our Vias.
        random: ``random(n)`` returns ``n`` random token characters (tags, branches).
        user_agent: Sent as User-Agent in requests and Server in responses.
        allow: The Allow header value.
        resolve: Maps the next hop of an in-dialog request to a destination. When
            absent (or it returns None) requests go back to the peer the INVITE
            came from or went to, as Asterisk does behind NAT.
    """

    contact: Address
    via_host: str
    via_port: int | None = None
    transport: str = "UDP"
    random: Callable[[int], str]
    user_agent: str | None = None
    allow: str = "INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE, REFER, NOTIFY, MESSAGE"
    resolve: Callable[[Uri], Destination | None] | None = field(default=None)


def make_via(config: SessionConfig) -> Via:
    """A Via for a new request from this UA: our sent-by, rport, a new branch."""
    params = (("rport", None), ("branch", new_branch(config.random)))
    return Via(
        transport=config.transport, host=config.via_host, port=config.via_port, params=params
    )


def sdp_of(message: Message) -> bytes | None:
    """The body of ``message`` when it is an SDP, else ``None``."""
    if message.body and message.content_type == "application/sdp":
        return message.body
    return None
