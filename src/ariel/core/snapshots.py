"""Immutable snapshots of live objects, as ARI reports them.

Live objects (channels, bridges, playbacks, recordings) publish a new
snapshot on every change; ARI serialises snapshots, never live objects, so
a response or event always shows one consistent moment.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

__all__ = [
    "BridgeSnapshot",
    "CallerId",
    "ChannelSnapshot",
    "DialplanLocation",
    "LiveRecordingSnapshot",
    "PlaybackSnapshot",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class CallerId:
    """A name and number pair."""

    name: str = ""
    number: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class DialplanLocation:
    """Where a channel is in the dialplan, and what it runs there."""

    context: str = ""
    exten: str = ""
    priority: int = 1
    app_name: str = ""
    app_data: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class ChannelSnapshot:
    """The ARI ``Channel`` model's facts at one moment.

    ``state`` uses the strings Asterisk emits (``Rsrvd``, not the spec's
    ``Rsrved``).
    """

    id: str
    name: str
    state: str
    creationtime: datetime
    protocol_id: str = ""
    caller: CallerId = field(default_factory=CallerId)
    connected: CallerId = field(default_factory=CallerId)
    accountcode: str = ""
    dialplan: DialplanLocation = field(default_factory=DialplanLocation)
    language: str = "en"
    channelvars: Mapping[str, str] | None = None
    caller_rdnis: str = ""
    tenantid: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class BridgeSnapshot:
    """The ARI ``Bridge`` model's facts at one moment."""

    id: str
    technology: str
    bridge_type: str
    bridge_class: str
    creator: str
    name: str
    channels: tuple[str, ...]
    creationtime: datetime
    video_mode: str = "none"
    video_source_id: str | None = None
    #: Variables set with ARI ``report_events``; ``None`` when there are none.
    bridgevars: Mapping[str, str] | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PlaybackSnapshot:
    """The ARI ``Playback`` model's facts at one moment."""

    id: str
    media_uri: str
    target_uri: str
    language: str
    state: str
    next_media_uri: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class LiveRecordingSnapshot:
    """The ARI ``LiveRecording`` model's facts at one moment."""

    name: str
    format: str
    target_uri: str
    state: str
    duration: int | None = None
    talking_duration: int | None = None
    silence_duration: int | None = None
    cause: str | None = None
