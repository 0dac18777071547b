"""Domain events to ARI event JSON, one copy per receiving application."""

from __future__ import annotations

import dataclasses
from typing import Any

from ariel._util.clock import ari_timestamp
from ariel.ari.models.objects import (
    bridge_json,
    channel_json,
    endpoint_json,
    live_recording_json,
    playback_json,
    text_message_json,
)
from ariel.core.bridges.events import BridgeEvent
from ariel.core.bridges.transfer_events import BridgeAttendedTransfer, BridgeBlindTransfer
from ariel.core.channels.events import ChannelEvent, Dial
from ariel.core.channels.transfer import ChannelTransfer
from ariel.core.endpoints import ContactStatusChange, EndpointStateChange, PeerStatusChange
from ariel.core.events import (
    ApplicationReplaced,
    CoreEvent,
    DeviceStateChanged,
    RawEvent,
    UserEvent,
)
from ariel.core.messaging import TextMessageReceived
from ariel.core.pbx.stasis_broadcast import CallBroadcast, CallClaimed
from ariel.core.playback.events import PlaybackEvent
from ariel.core.recording.events import RecordingEvent
from ariel.core.snapshots import BridgeSnapshot, ChannelSnapshot

__all__ = ["event_json"]


def _fields(event: CoreEvent) -> dict[str, Any]:
    if isinstance(event, DeviceStateChanged):
        return {"device_state": {"name": event.name, "state": event.state}}
    if isinstance(event, UserEvent):
        out: dict[str, Any] = {"eventname": event.eventname}
        out.update(event.objects)
        out["userevent"] = dict(event.userevent)
        return out
    if isinstance(event, RawEvent):
        return dict(event.fields)
    if isinstance(event, ApplicationReplaced):
        return {}
    if isinstance(event, EndpointStateChange):
        return {"endpoint": endpoint_json(event.endpoint)}
    if isinstance(event, ContactStatusChange):
        info = event.contact_info
        contact: dict[str, Any] = {
            "uri": info.uri,
            "contact_status": info.contact_status,
            "aor": info.aor,
        }
        if info.roundtrip_usec is not None:
            contact["roundtrip_usec"] = info.roundtrip_usec
        return {"endpoint": endpoint_json(event.endpoint), "contact_info": contact}
    if isinstance(event, PeerStatusChange):
        peer = {k: v for k, v in dataclasses.asdict(event.peer).items() if v is not None}
        return {"endpoint": endpoint_json(event.endpoint), "peer": peer}
    if isinstance(event, TextMessageReceived):
        out = {"message": text_message_json(event.message)}
        if event.endpoint is not None:
            out["endpoint"] = endpoint_json(event.endpoint)
        return out
    if isinstance(event, PlaybackEvent):
        return {"playback": playback_json(event.playback)}
    if isinstance(event, RecordingEvent):
        return {"recording": live_recording_json(event.recording)}
    if isinstance(event, ChannelTransfer):
        destination: dict[str, Any] = {"destination": event.destination}
        if event.protocol_id:
            destination["protocol_id"] = event.protocol_id
        referred_by: dict[str, Any] = {"source_channel": channel_json(event.source)}
        if event.bridge is not None:
            referred_by["bridge"] = bridge_json(event.bridge)
        out = {
            "refer_to": {"requested_destination": destination},
            "referred_by": referred_by,
        }
        if event.state is not None:
            out["state"] = event.state
        return out
    if isinstance(event, CallBroadcast):
        out = {"channel": channel_json(event.channel)}
        out.update({k: v for k, v in (("caller", event.caller), ("called", event.called)) if v})
        return out
    if isinstance(event, CallClaimed):
        return {"channel": channel_json(event.channel), "winner_app": event.winner_app}
    if isinstance(
        event, (ChannelEvent, Dial, BridgeEvent, BridgeBlindTransfer, BridgeAttendedTransfer)
    ):
        return _dataclass_fields(event)
    raise TypeError(f"no ARI form for {type(event).__name__}")


_ENVELOPE = frozenset({"timestamp", "application"})


def _dataclass_fields(event: CoreEvent) -> dict[str, Any]:
    """Fields of a snapshot-carrying event; ``None`` means the key is absent."""
    out: dict[str, Any] = {}
    for f in dataclasses.fields(event):
        if f.name in _ENVELOPE:
            continue
        value = getattr(event, f.name)
        if value is None:
            continue
        if isinstance(value, ChannelSnapshot):
            value = channel_json(value)
        elif isinstance(value, BridgeSnapshot):
            value = bridge_json(value)
        elif isinstance(value, tuple):
            value = list(value)
        out[f.name] = value
    return out


def event_json(event: CoreEvent, *, application: str, asterisk_id: str) -> dict[str, Any]:
    """The ARI JSON of ``event`` as ``application`` receives it."""
    out: dict[str, Any] = {"type": event.type, "timestamp": ari_timestamp(event.timestamp)}
    out.update(_fields(event))
    out["asterisk_id"] = asterisk_id
    out["application"] = application
    return out
