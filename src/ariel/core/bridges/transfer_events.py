"""The bridge transfer events: BridgeBlindTransfer and BridgeAttendedTransfer.

After main/stasis_bridges.c: a transfer the core carries out (a SIP REFER with
``PJSIP_TRANSFER_HANDLING`` left at ``core``) is reported once, with the result
the reference names (``Success``, ``Fail``, ``Invalid``, ``Not Permitted``).
An application sees it when it is subscribed to the transferring channel or to
the bridge (or a channel in it), as res_stasis' bridge transfer handlers do.
Optional fields are ``None`` when the reference leaves the key out.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from ariel.core.events import CoreEvent, EventSources
from ariel.core.snapshots import BridgeSnapshot, ChannelSnapshot

__all__ = ["BridgeAttendedTransfer", "BridgeBlindTransfer", "DestinationType", "TransferResult"]


class TransferResult(StrEnum):
    """``enum ast_transfer_result`` as ARI spells it."""

    SUCCESS = "Success"
    FAIL = "Fail"
    INVALID = "Invalid"
    NOT_PERMITTED = "Not Permitted"


class DestinationType(StrEnum):
    """How an attended transfer ended (``destination_type``)."""

    BRIDGE = "bridge"
    APPLICATION = "application"
    LINK = "link"
    THREEWAY = "threeway"
    FAIL = "fail"


def _ids(*snapshots: ChannelSnapshot | None) -> tuple[str, ...]:
    return tuple(s.id for s in snapshots if s is not None)


def _bridge_sources(*bridges: BridgeSnapshot | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    present = [b for b in bridges if b is not None]
    members = tuple(cid for b in present for cid in b.channels)
    return members, tuple(b.id for b in present)


@dataclass(frozen=True, slots=True, kw_only=True)
class BridgeBlindTransfer(CoreEvent):
    """A blind transfer was attempted (``result`` says how it went)."""

    channel: ChannelSnapshot
    exten: str
    context: str
    result: str
    is_external: bool
    replace_channel: ChannelSnapshot | None = None
    transferee: ChannelSnapshot | None = None
    bridge: BridgeSnapshot | None = None

    @property
    def sources(self) -> EventSources:
        members, bridge_ids = _bridge_sources(self.bridge)
        return EventSources(channel_ids=(self.channel.id, *members), bridge_ids=bridge_ids)


@dataclass(frozen=True, slots=True, kw_only=True)
class BridgeAttendedTransfer(CoreEvent):
    """An attended transfer was attempted between two calls of one party."""

    transferer_first_leg: ChannelSnapshot
    transferer_second_leg: ChannelSnapshot
    result: str
    is_external: bool
    destination_type: str
    transferer_first_leg_bridge: BridgeSnapshot | None = None
    transferer_second_leg_bridge: BridgeSnapshot | None = None
    transferee: ChannelSnapshot | None = None
    transfer_target: ChannelSnapshot | None = None
    replace_channel: ChannelSnapshot | None = None
    destination_bridge: str | None = None
    destination_application: str | None = None
    destination_link_first_leg: ChannelSnapshot | None = None
    destination_link_second_leg: ChannelSnapshot | None = None
    destination_threeway_channel: ChannelSnapshot | None = None
    destination_threeway_bridge: BridgeSnapshot | None = None

    @property
    def sources(self) -> EventSources:
        members, bridge_ids = _bridge_sources(
            self.transferer_first_leg_bridge, self.transferer_second_leg_bridge
        )
        legs = _ids(self.transferer_first_leg, self.transferer_second_leg)
        return EventSources(channel_ids=(*legs, *members), bridge_ids=bridge_ids)
