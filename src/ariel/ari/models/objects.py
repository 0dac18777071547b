"""JSON of live objects: channels, bridges, playbacks, recordings, endpoints, apps.

Keys come in the order the reference emits them (the golden traces show it).
"""

from __future__ import annotations

from typing import Any

from ariel._util.clock import ari_timestamp
from ariel.core.endpoints import EndpointSnapshot
from ariel.core.messaging import TextMessage
from ariel.core.snapshots import (
    BridgeSnapshot,
    CallerId,
    ChannelSnapshot,
    LiveRecordingSnapshot,
    PlaybackSnapshot,
)
from ariel.core.stasis import StasisApp
from ariel.core.stored_recordings import StoredRecording

__all__ = [
    "application_json",
    "bridge_json",
    "channel_json",
    "endpoint_json",
    "live_recording_json",
    "playback_json",
    "stored_recording_json",
    "text_message_json",
]

JSON = dict[str, Any]


def _caller(c: CallerId) -> JSON:
    return {"name": c.name, "number": c.number}


def channel_json(s: ChannelSnapshot) -> JSON:
    """The ARI ``Channel`` model."""
    out: JSON = {
        "id": s.id,
        "name": s.name,
        "state": s.state,
        "protocol_id": s.protocol_id,
        "caller": _caller(s.caller),
        "connected": _caller(s.connected),
        "accountcode": s.accountcode,
        "dialplan": {
            "context": s.dialplan.context,
            "exten": s.dialplan.exten,
            "priority": s.dialplan.priority,
            "app_name": s.dialplan.app_name,
            "app_data": s.dialplan.app_data,
        },
        "creationtime": ari_timestamp(s.creationtime),
        "language": s.language,
    }
    if s.channelvars is not None:
        out["channelvars"] = dict(s.channelvars)
    if s.caller_rdnis:
        out["caller_rdnis"] = s.caller_rdnis
    if s.tenantid:
        out["tenantid"] = s.tenantid
    return out


def bridge_json(s: BridgeSnapshot) -> JSON:
    """The ARI ``Bridge`` model."""
    out: JSON = {
        "id": s.id,
        "technology": s.technology,
        "bridge_type": s.bridge_type,
        "bridge_class": s.bridge_class,
        "creator": s.creator,
        "name": s.name,
        "channels": list(s.channels),
        "creationtime": ari_timestamp(s.creationtime),
        "video_mode": s.video_mode,
    }
    if s.video_source_id is not None:
        out["video_source_id"] = s.video_source_id
    if s.bridgevars is not None:
        out["bridgevars"] = dict(s.bridgevars)
    return out


def playback_json(s: PlaybackSnapshot) -> JSON:
    """The ARI ``Playback`` model."""
    out: JSON = {
        "id": s.id,
        "media_uri": s.media_uri,
        "target_uri": s.target_uri,
        "language": s.language,
        "state": s.state,
    }
    if s.next_media_uri is not None:
        out["next_media_uri"] = s.next_media_uri
    return out


def live_recording_json(s: LiveRecordingSnapshot) -> JSON:
    """The ARI ``LiveRecording`` model."""
    out: JSON = {
        "name": s.name,
        "format": s.format,
        "state": s.state,
        "target_uri": s.target_uri,
    }
    for key in ("duration", "talking_duration", "silence_duration", "cause"):
        value = getattr(s, key)
        if value is not None:
            out[key] = value
    return out


def stored_recording_json(r: StoredRecording) -> JSON:
    """The ARI ``StoredRecording`` model."""
    return {"name": r.name, "format": r.format}


def text_message_json(m: TextMessage) -> JSON:
    """The ARI ``TextMessage`` model."""
    out: JSON = {"from": m.from_, "to": m.to, "body": m.body}
    if m.variables:
        out["variables"] = dict(m.variables)
    return out


def endpoint_json(e: EndpointSnapshot) -> JSON:
    """The ARI ``Endpoint`` model."""
    return {
        "technology": e.technology,
        "resource": e.resource,
        "state": e.state,
        "channel_ids": list(e.channel_ids),
    }


def application_json(app: StasisApp) -> JSON:
    """The ARI ``Application`` model (subscription lists sorted, as the reference)."""
    return {
        "name": app.name,
        "channel_ids": sorted(app.channel_ids),
        "bridge_ids": sorted(app.bridge_ids),
        "endpoint_ids": sorted(app.endpoint_ids),
        "device_names": sorted(app.device_names),
        "events_allowed": [dict(e) for e in app.events_allowed],
        "events_disallowed": [dict(e) for e in app.events_disallowed],
    }
