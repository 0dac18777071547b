"""Out-of-call text messages (SIP MESSAGE): ARI's sendMessage and TextMessageReceived.

A channel technology that can carry messages registers a :class:`MessageSender`
on the Core under its name (``PJSIP``); ``PUT /endpoints/sendMessage`` and
``PUT /endpoints/{tech}/{resource}/sendMessage`` hand the message to it.
Messages that arrive become :class:`TextMessageReceived` events for the
applications subscribed to the sending endpoint.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from ariel.core.endpoints import EndpointSnapshot
from ariel.core.events import CoreEvent, EventSources

__all__ = [
    "MessageSender",
    "ReferSender",
    "TextMessage",
    "TextMessageReceived",
    "UnknownDestination",
]


class UnknownDestination(LookupError):
    """No endpoint (or no contact for it) to deliver the message to."""


@dataclass(frozen=True, slots=True, kw_only=True)
class TextMessage:
    """The ARI ``TextMessage`` model."""

    from_: str
    to: str
    body: str
    variables: Mapping[str, str] = field(default_factory=dict)


class MessageSender(Protocol):
    """A technology that delivers text messages."""

    def send_message(self, destination: str, message: TextMessage) -> None:
        """Send ``message`` to ``destination`` (an endpoint, or ``endpoint/URI``).

        Raises:
            UnknownDestination: No such endpoint, or it has no contact.
        """
        ...


@runtime_checkable
class ReferSender(Protocol):
    """A technology that can ask an endpoint to call somewhere (out-of-dialog REFER)."""

    def send_refer(
        self, destination: str, *, sender: str, refer_to: str, variables: Mapping[str, str]
    ) -> None:
        """Ask ``destination`` to call ``refer_to``.

        Raises:
            UnknownDestination: No such endpoint, or it has no contact.
        """
        ...


@dataclass(frozen=True, slots=True, kw_only=True)
class TextMessageReceived(CoreEvent):
    """A text message arrived from an endpoint."""

    message: TextMessage
    endpoint: EndpointSnapshot | None = None

    @property
    def sources(self) -> EventSources:
        if self.endpoint is None:
            return EventSources()
        return EventSources(endpoint_ids=(self.endpoint.id,))
