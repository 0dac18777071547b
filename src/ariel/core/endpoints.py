"""Endpoints: the configured (or registered) devices of each technology.

Channel technologies (the PJSIP driver) add their endpoints here and report
state changes; ARI reads snapshots. Endpoint ids are ``TECH/resource``.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable
from dataclasses import dataclass, replace

from ariel.core.events import CoreEvent, EventSources

__all__ = [
    "ContactInfo",
    "ContactStatusChange",
    "EndpointRegistry",
    "EndpointSnapshot",
    "EndpointStateChange",
    "Peer",
    "PeerStatusChange",
]

ENDPOINT_STATES = ("unknown", "offline", "online")


@dataclass(frozen=True, slots=True, kw_only=True)
class EndpointSnapshot:
    """The ARI ``Endpoint`` model's facts."""

    technology: str
    resource: str
    state: str = "unknown"
    channel_ids: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        """``TECH/resource``."""
        return f"{self.technology}/{self.resource}"


class EndpointRegistry:
    """Endpoints by technology, in the order they were added.

    Args:
        on_change: Called with the new snapshot when an endpoint's state changes.
    """

    def __init__(self, on_change: Callable[[EndpointSnapshot], None] | None = None) -> None:
        self._endpoints: dict[str, EndpointSnapshot] = {}
        self._technologies: set[str] = set()
        self._on_change = on_change

    def add_technology(self, tech: str) -> None:
        """Declare a channel technology, even with no endpoints yet."""
        self._technologies.add(tech)

    def add(self, endpoint: EndpointSnapshot) -> None:
        """Add or replace an endpoint."""
        self._technologies.add(endpoint.technology)
        self._endpoints[endpoint.id] = endpoint

    def remove(self, endpoint_id: str) -> None:
        """Forget an endpoint (missing ones are ignored)."""
        self._endpoints.pop(endpoint_id, None)

    def set_state(self, endpoint_id: str, state: str) -> None:
        """Change an endpoint's state and report it if it changed."""
        if state not in ENDPOINT_STATES:
            raise ValueError(f"invalid endpoint state {state!r}")
        old = self._endpoints[endpoint_id]
        if old.state != state:
            new = self._endpoints[endpoint_id] = replace(old, state=state)
            if self._on_change is not None:
                self._on_change(new)

    def set_channels(self, endpoint_id: str, channel_ids: tuple[str, ...]) -> None:
        """Record which channels an endpoint currently has."""
        old = self._endpoints[endpoint_id]
        self._endpoints[endpoint_id] = replace(old, channel_ids=channel_ids)

    def list(self) -> list[EndpointSnapshot]:
        """Every endpoint, sorted by technology then resource."""
        return sorted(self._endpoints.values(), key=lambda e: (e.technology, e.resource))

    def by_technology(self, tech: str) -> builtins.list[EndpointSnapshot] | None:
        """Endpoints of ``tech``, or ``None`` if the technology is unknown."""
        if tech not in self._technologies:
            return None
        return [e for e in self.list() if e.technology == tech]

    def get(self, tech: str, resource: str) -> EndpointSnapshot | None:
        """One endpoint, or ``None``."""
        return self._endpoints.get(f"{tech}/{resource}")

    def has_technology(self, tech: str) -> bool:
        """Whether ``tech`` is a known channel technology."""
        return tech in self._technologies


@dataclass(frozen=True, slots=True, kw_only=True)
class EndpointStateChange(CoreEvent):
    """An endpoint went online or offline."""

    endpoint: EndpointSnapshot

    @property
    def sources(self) -> EventSources:
        return EventSources(endpoint_ids=(self.endpoint.id,))


@dataclass(frozen=True, slots=True, kw_only=True)
class ContactInfo:
    """The ARI ``ContactInfo`` model."""

    uri: str
    contact_status: str
    aor: str
    roundtrip_usec: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ContactStatusChange(CoreEvent):
    """A contact of an endpoint was created, removed, or changed reachability."""

    endpoint: EndpointSnapshot
    contact_info: ContactInfo

    @property
    def sources(self) -> EventSources:
        return EventSources(endpoint_ids=(self.endpoint.id,))


@dataclass(frozen=True, slots=True, kw_only=True)
class Peer:
    """The ARI ``Peer`` model."""

    peer_status: str
    cause: str | None = None
    address: str | None = None
    port: str | None = None
    time: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PeerStatusChange(CoreEvent):
    """An endpoint became reachable or unreachable."""

    endpoint: EndpointSnapshot
    peer: Peer

    @property
    def sources(self) -> EventSources:
        return EventSources(endpoint_ids=(self.endpoint.id,))
