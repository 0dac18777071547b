"""The Core facade: every domain service of one running server, in one place.

``ariel.server`` builds it from the configuration; ARI handlers reach the
domain only through it (``req.core.device_states`` ...). Nothing here opens
sockets or knows HTTP.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

from ariel._util.clock import Clock
from ariel._util.ids import IdFactory
from ariel.core.astdb import AstDB
from ariel.core.bridges.bridge import Bridge
from ariel.core.channels.drivers import ChannelDriver
from ariel.core.config_objects import ConfigObjects
from ariel.core.device_states import DeviceStates
from ariel.core.dialplan.lookup import DialplanIndex
from ariel.core.endpoints import EndpointRegistry
from ariel.core.events import CoreEvent
from ariel.core.global_vars import GlobalVariables
from ariel.core.info import SystemInfo
from ariel.core.mailboxes import Mailboxes
from ariel.core.media.moh import MusicOnHold
from ariel.core.messaging import MessageSender
from ariel.core.objects import HasSnapshot, ObjectRegistry
from ariel.core.pbx import Pbx
from ariel.core.pbx.stasis_broadcast import Broadcasts
from ariel.core.playback.media_library import MediaLibrary
from ariel.core.playback.playback import Playback
from ariel.core.recording.live import LiveRecording
from ariel.core.recording.recorder import Recorder
from ariel.core.snapshots import (
    ChannelSnapshot,
)
from ariel.core.sounds import SoundIndex
from ariel.core.stasis import Applications
from ariel.core.stored_recordings import StoredRecordings

__all__ = ["Core"]


@dataclass(slots=True, kw_only=True)
class Core:
    """The domain services of one server."""

    clock: Clock
    ids: IdFactory
    entity_id: str
    astdb: AstDB
    apps: Applications
    endpoints: EndpointRegistry
    device_states: DeviceStates
    mailboxes: Mailboxes
    global_vars: GlobalVariables
    sounds: SoundIndex
    info: SystemInfo
    config_objects: ConfigObjects
    stored_recordings: StoredRecordings
    channels: ObjectRegistry[HasSnapshot[ChannelSnapshot]]
    bridges: ObjectRegistry[Bridge]
    playbacks: ObjectRegistry[Playback]
    live_recordings: ObjectRegistry[LiveRecording]
    media: MediaLibrary
    moh: MusicOnHold
    recorder: Recorder
    dialplan: Callable[[], DialplanIndex]
    technologies: dict[str, ChannelDriver] = field(default_factory=dict)
    #: Channels offered by StasisBroadcast, waiting for POST /events/claim.
    broadcasts: Broadcasts = field(default_factory=Broadcasts)
    #: Technologies that carry text messages (SIP MESSAGE), by name.
    message_senders: dict[str, MessageSender] = field(default_factory=dict)
    pbx: Pbx | None = None
    tasks: set[asyncio.Task[None]] = field(default_factory=set)

    def spawn(self, coro: Coroutine[Any, Any, None], name: str | None = None) -> None:
        """Run ``coro`` as a task the server keeps track of (and cancels at stop)."""
        task = asyncio.get_running_loop().create_task(coro, name=name)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    def publish(self, event: CoreEvent) -> None:
        """Route a domain event to the applications that want it."""
        self.apps.publish(event)

    def event_source_exists(self, scheme: str, ident: str) -> bool:
        """Whether the object an application event source names exists."""
        if scheme == "channel":
            return ident in self.channels
        if scheme == "bridge":
            return ident in self.bridges
        if scheme == "endpoint":
            tech, _, resource = ident.partition("/")
            if not resource:
                return self.endpoints.has_technology(tech)
            return self.endpoints.get(tech, resource) is not None
        if scheme == "deviceState":
            return bool(ident)
        return False
