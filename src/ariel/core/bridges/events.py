"""Bridge events: BridgeCreated/Destroyed/Merged, ChannelEnteredBridge/LeftBridge."""

from __future__ import annotations

from dataclasses import dataclass

from ariel.core.events import CoreEvent, EventSources
from ariel.core.snapshots import BridgeSnapshot, ChannelSnapshot

__all__ = [
    "BridgeCreated",
    "BridgeDestroyed",
    "BridgeEvent",
    "BridgeMerged",
    "BridgeVideoSourceChanged",
    "ChannelEnteredBridge",
    "ChannelLeftBridge",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class BridgeEvent(CoreEvent):
    bridge: BridgeSnapshot

    @property
    def sources(self) -> EventSources:
        return EventSources(bridge_ids=(self.bridge.id,))


@dataclass(frozen=True, slots=True, kw_only=True)
class BridgeCreated(BridgeEvent):
    """A bridge was created."""


@dataclass(frozen=True, slots=True, kw_only=True)
class BridgeDestroyed(BridgeEvent):
    """A bridge was destroyed."""


@dataclass(frozen=True, slots=True, kw_only=True)
class BridgeMerged(BridgeEvent):
    """``bridge_from``'s channels moved into ``bridge`` (main/bridge.c ``bridge_do_merge``).

    An application subscribed to either bridge sees it (res_stasis' merge handler).
    """

    bridge_from: BridgeSnapshot

    @property
    def sources(self) -> EventSources:
        return EventSources(bridge_ids=(self.bridge.id, self.bridge_from.id))


@dataclass(frozen=True, slots=True, kw_only=True)
class BridgeVideoSourceChanged(BridgeEvent):
    """The bridge's video source changed."""

    old_video_source_id: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class _MembershipEvent(BridgeEvent):
    channel: ChannelSnapshot

    @property
    def sources(self) -> EventSources:
        return EventSources(channel_ids=(self.channel.id,), bridge_ids=(self.bridge.id,))


@dataclass(frozen=True, slots=True, kw_only=True)
class ChannelEnteredBridge(_MembershipEvent):
    """A channel joined a bridge."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ChannelLeftBridge(_MembershipEvent):
    """A channel left a bridge."""
