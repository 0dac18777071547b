"""Builders, a scripted random source, a fake timer wheel and a UA harness.

Shared by the transaction, dialog and INVITE session tests (the module name is
unique across tests/). Time exists only here: the wheel keeps the timers the
machines ask for and fires the earliest one, so retransmission schedules are
checked without a clock.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ariel.sip import Message, Request, Response, make_response, parse_message
from ariel.sip.address import parse_address
from ariel.sip.invite_session import InviteSession, SessionConfig, SessionEvent
from ariel.sip.transaction import CancelTimer, Deliver, Destination, Send, StartTimer
from ariel.sip.transaction_layer import TxAction
from ariel.sip.user_agent import Routed, UserAgent

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "sip"
FLOWS = FIXTURES / "flows"

PHONE = Destination(host="192.0.2.10", port=5060)
PBX = Destination(host="192.0.2.1", port=5060)
SDP = (
    b"v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\n"
    b"t=0 0\r\nm=audio 4000 RTP/AVP 0\r\n"
)


def load(name: str) -> Message:
    """A wire fixture from tests/fixtures/sip (``flows/...`` for the call flows)."""
    return parse_message((FIXTURES / name).read_bytes())


def request(
    method: str = "INVITE",
    *,
    branch: str = "z9hG4bKbranch1",
    cseq: int = 1,
    cseq_method: str | None = None,
    via_host: str = "192.0.2.10",
    via_params: str = "",
    call_id: str = "call-1@192.0.2.10",
    from_tag: str = "caller1",
    to_tag: str | None = None,
    uri: str = "sip:100@192.0.2.1",
    contact: str | None = "<sip:alice@192.0.2.10:5060>",
    extra: Iterable[str] = (),
    body: bytes = b"",
) -> Request:
    """A request as a phone at 192.0.2.10 would send it, parsed from text."""
    to = "<sip:100@192.0.2.1>" + (f";tag={to_tag}" if to_tag else "")
    lines = [
        f"{method} {uri} SIP/2.0",
        f"Via: SIP/2.0/UDP {via_host}:5060{via_params}" + (f";branch={branch}" if branch else ""),
        "Max-Forwards: 70",
        "From: <sip:alice@192.0.2.1>" + (f";tag={from_tag}" if from_tag else ""),
        f"To: {to}",
        f"Call-ID: {call_id}",
        f"CSeq: {cseq} {cseq_method or method}",
        *([f"Contact: {contact}"] if contact else []),
        *extra,
    ]
    if body:
        lines.append("Content-Type: application/sdp")
    lines.append(f"Content-Length: {len(body)}")
    text = "\r\n".join(lines) + "\r\n\r\n"
    message = parse_message(text.encode() + body)
    assert isinstance(message, Request)
    return message


def response(
    req: Request, status: int, *, to_tag: str | None = None, extra: Iterable[tuple[str, str]] = ()
) -> Response:
    """The response a peer sends to ``req``."""
    return make_response(req, status, to_tag=to_tag, headers=extra)


class ScriptedRandom:
    """``random(n)`` that returns scripted values first, then a counter."""

    def __init__(self, *values: str) -> None:
        self.values = list(values)
        self.count = 0

    def __call__(self, n: int) -> str:
        if self.values:
            return self.values.pop(0)
        self.count += 1
        return f"{self.count:0{n}d}"[-n:]


def config(*values: str) -> SessionConfig:
    """The session settings of the PBX at 192.0.2.1."""
    return SessionConfig(
        contact=parse_address("<sip:192.0.2.1:5060>"),
        via_host="192.0.2.1",
        via_port=5060,
        random=ScriptedRandom(*values),
        user_agent="Ariel",
    )


@dataclass
class TimerWheel:
    """Running timers by (owner, name); ``fire_next`` moves time to the earliest."""

    now: float = 0.0
    due: dict[tuple[Hashable, str], float] = field(default_factory=dict)

    def apply(self, actions: Iterable[object], owner: Hashable = None) -> None:
        for item in actions:
            key, action = owner, item
            if isinstance(item, TxAction):
                key, action = item.key, item.action
            if isinstance(action, StartTimer):
                self.due[(key, action.name)] = self.now + action.seconds
            elif isinstance(action, CancelTimer):
                self.due.pop((key, action.name), None)

    def names(self, owner: Hashable = None) -> set[str]:
        return {name for (key, name) in self.due if key == owner}

    def fire_next(self) -> tuple[Hashable, str]:
        owner, name = min(self.due, key=lambda k: (self.due[k], k[1]))
        self.now = self.due.pop((owner, name))
        return owner, name


def sends(actions: Iterable[object]) -> list[Message]:
    """The messages among raw or wrapped actions."""
    found = []
    for item in actions:
        action = item.action if isinstance(item, TxAction) else item
        if isinstance(action, Send):
            found.append(action.message)
    return found


def statuses(actions: Iterable[object]) -> list[int | str]:
    """Each sent message as its status code or method."""
    return [m.status if isinstance(m, Response) else m.method for m in sends(actions)]


@dataclass
class Harness:
    """Drives a :class:`UserAgent` as the driver would: sends, timers, events."""

    ua: UserAgent
    wheel: TimerWheel = field(default_factory=TimerWheel)
    sent: list[tuple[float, Message, Destination | None]] = field(default_factory=list)
    events: list[tuple[InviteSession | None, SessionEvent]] = field(default_factory=list)
    unrouted: list[TxAction] = field(default_factory=list)

    def feed(self, routed: list[Routed]) -> list[Routed]:
        for item in routed:
            output = item.output
            if isinstance(output, TxAction):
                action = output.action
                if isinstance(action, Send):
                    self.sent.append((self.wheel.now, action.message, action.destination))
                elif isinstance(action, Deliver):
                    self.unrouted.append(output)
                self.wheel.apply([output])
            elif isinstance(output, StartTimer | CancelTimer):
                self.wheel.apply([output], owner=item.session)
            else:
                self.events.append((item.session, output))
        return routed

    def receive(self, message: Message, source: Destination = PHONE) -> list[Routed]:
        return self.feed(self.ua.on_message(message, source))

    def fire_next(self) -> tuple[Hashable, str]:
        owner, name = self.wheel.fire_next()
        self.feed(self.ua.on_timer(owner, name))  # type: ignore[arg-type]
        return owner, name

    def take_sent(self) -> list[Message]:
        messages = [message for _, message, _ in self.sent]
        self.sent.clear()
        return messages

    def take_events(self) -> list[SessionEvent]:
        events = [event for _, event in self.events]
        self.events.clear()
        return events
