"""Transfers handed to the application: ChannelTransfer and the progress it reports.

When the far end of a channel in Stasis asks for a transfer (SIP REFER), the
reference with ``transfer_handling = ari-only`` does not transfer by itself:
it publishes ``ChannelTransfer`` naming where the caller wants to go, and the
application places the new call and reports how it goes with
``POST /channels/{id}/transfer_progress``, which the technology turns into
what the far end understands (SIP: NOTIFY with a sipfrag).
"""

from __future__ import annotations

from dataclasses import dataclass

from ariel.core.events import CoreEvent, EventSources
from ariel.core.snapshots import BridgeSnapshot, ChannelSnapshot

__all__ = ["TRANSFER_STATES", "ChannelTransfer"]

#: ``states`` of transfer_progress, and the SIP status each reports.
TRANSFER_STATES = {
    "channel_progress": (100, False),
    "channel_answered": (200, True),
    "channel_unavailable": (503, True),
    "channel_declined": (603, True),
}


@dataclass(frozen=True, slots=True, kw_only=True)
class ChannelTransfer(CoreEvent):
    """The far end of ``source`` asked to be transferred to ``destination``."""

    source: ChannelSnapshot
    destination: str
    protocol_id: str = ""
    bridge: BridgeSnapshot | None = None
    state: str | None = None

    @property
    def sources(self) -> EventSources:
        return EventSources(channel_ids=(self.source.id,))
