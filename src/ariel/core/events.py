"""Domain events: what happened, in ARI's vocabulary, before any JSON.

Each event class is named after the ARI event it becomes. An event says
which objects it concerns (``sources``) so :mod:`ariel.core.stasis` can route
it to the applications subscribed to any of them. Snapshots inside events
are immutable, so one event can be serialised for many applications.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

__all__ = [
    "ApplicationReplaced",
    "CoreEvent",
    "DeviceStateChanged",
    "EventSources",
    "RawEvent",
    "UserEvent",
    "target_sources",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class EventSources:
    """The objects an event concerns, by kind.

    Endpoint ids are ``TECH/resource``; a subscription to ``TECH`` alone
    matches every endpoint of that technology.
    """

    channel_ids: tuple[str, ...] = ()
    bridge_ids: tuple[str, ...] = ()
    endpoint_ids: tuple[str, ...] = ()
    device_names: tuple[str, ...] = ()


def target_sources(target_uri: str) -> EventSources:
    """The object a ``channel:<id>`` or ``bridge:<id>`` target URI names (playbacks, recordings)."""
    scheme, _, ident = target_uri.partition(":")
    if scheme == "channel":
        return EventSources(channel_ids=(ident,))
    if scheme == "bridge":
        return EventSources(bridge_ids=(ident,))
    return EventSources()


@dataclass(frozen=True, slots=True, kw_only=True)
class CoreEvent:
    """Base of every domain event."""

    timestamp: datetime

    @property
    def type(self) -> str:
        """The ARI event name (the class name)."""
        return type(self).__name__

    @property
    def sources(self) -> EventSources:
        """Objects this event concerns; none by default."""
        return EventSources()

    @property
    def target_app(self) -> str | None:
        """The one application this event is for, if it is addressed."""
        return None


@dataclass(frozen=True, slots=True, kw_only=True)
class DeviceStateChanged(CoreEvent):
    """A device's aggregate state changed."""

    name: str
    state: str

    @property
    def sources(self) -> EventSources:
        return EventSources(device_names=(self.name,))


@dataclass(frozen=True, slots=True, kw_only=True)
class ApplicationReplaced(CoreEvent):
    """Another event socket registered this application (sent to the old one)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class UserEvent(CoreEvent):
    """``POST /events/user/{eventName}``: an app-defined event (ChannelUserevent).

    ``objects`` holds the JSON of the channel/bridge/endpoint/deviceState the
    request named, keyed by the ARI field name; it is delivered only to
    ``application``.
    """

    eventname: str
    application: str
    userevent: Mapping[str, Any] = field(default_factory=dict)
    objects: Mapping[str, Any] = field(default_factory=dict)

    @property
    def type(self) -> str:
        return "ChannelUserevent"

    @property
    def target_app(self) -> str | None:
        return self.application


@dataclass(frozen=True, slots=True, kw_only=True)
class RawEvent(CoreEvent):
    """An event whose fields are already ARI JSON (used for RESTResponse)."""

    name: str
    fields: Mapping[str, Any] = field(default_factory=dict)

    @property
    def type(self) -> str:
        return self.name
