"""A bridge: channels that hear each other (mixing) or wait together (holding).

Theory of operation. Each member's incoming frames queue in a short inbox
(the bridge listens to the member's :class:`ChannelMedia`). The media clock
pulls every member once per tick; the first pull of a tick computes the
whole bridge at once -- a ``(members, 160)`` array through
:func:`ariel.media.mixer.mix_minus`, so each member hears everyone but
itself -- and later pulls take their row. The bridge's own audio plane
(:attr:`Bridge.media`) is its announcer: playbacks and music on hold aimed at
the bridge are mixed into what every member hears, and recordings of the
bridge listen to the full mix.

A mixing member with nothing to hear gets no frame, so no RTP is sent to it,
as with the reference's two-party relay. A holding bridge's participants do
not hear each other: they hear the announcer (MOH, playbacks) and members
with the ``announcer`` role.

Bookkeeping follows the reference's Stasis bridges: ``BRIDGEPEER`` and
``BRIDGEPVTCALLID`` are set on each mixing member whenever the bridge is
reconfigured and cleared when the member leaves; two joined PJSIP legs are
reported as ``native_rtp`` (with the reconfigurations that come with it),
three or more as ``softmix``; connected line follows the peer's caller id.
"""

from __future__ import annotations

import functools
import logging
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import numpy.typing as npt

from ariel.core.bridges.events import (
    BridgeCreated,
    BridgeDestroyed,
    ChannelEnteredBridge,
    ChannelLeftBridge,
)
from ariel.core.channels.channel import Channel
from ariel.core.channels.drivers import NativeRelay
from ariel.core.events import CoreEvent
from ariel.core.media.channel_media import ChannelMedia
from ariel.core.media.sources import Samples
from ariel.core.snapshots import BridgeSnapshot
from ariel.core.stasis import Applications
from ariel.media.mixer import mix_minus

__all__ = ["BRIDGE_TYPES", "Bridge", "BridgeTypeError"]

log = logging.getLogger("ariel.bridge")

#: The bridge type flags ARI accepts.
BRIDGE_TYPES = frozenset(
    {"mixing", "holding", "dtmf_events", "proxy_media", "video_sfu", "video_single", "sdp_label"}
)
INBOX_FRAMES = 3


class BridgeTypeError(ValueError):
    """The type list names an unknown or impossible combination."""


def parse_bridge_type(text: str) -> frozenset[str]:
    """The flags of a ``type`` parameter such as ``mixing,dtmf_events``.

    Raises:
        BridgeTypeError: Unknown flag, or holding combined with mixing or video.
    """
    flags = frozenset(f.strip() for f in text.split(",") if f.strip()) or frozenset({"mixing"})
    if flags - BRIDGE_TYPES:
        raise BridgeTypeError(f"unknown bridge type {sorted(flags - BRIDGE_TYPES)}")
    if "holding" in flags and flags & {"mixing", "video_sfu", "video_single"}:
        raise BridgeTypeError("a holding bridge cannot also mix")
    return flags


@dataclass(slots=True, eq=False)
class _Member:
    chan: Channel
    role: str = ""
    mute: bool = False
    inbox: deque[Samples] = field(default_factory=lambda: deque(maxlen=INBOX_FRAMES))
    out: Samples | None = None
    ready: bool = False
    peer_vars: set[str] = field(default_factory=set)
    #: The technology, when it can forward media undecoded (checked once: a
    #: runtime protocol check is too slow for every tick).
    relay: NativeRelay | None = None


class Bridge:
    """One bridge."""

    def __init__(
        self,
        *,
        id: str,
        flags: frozenset[str],
        name: str,
        publish: Callable[[CoreEvent], None],
        now: Callable[[], datetime],
        on_destroyed: Callable[[Bridge], None] = lambda _b: None,
        apps: Applications | None = None,
        bridge_class: str = "stasis",
        creator: str = "Stasis",
    ) -> None:
        self._id = id
        self.flags = flags
        self.name = name
        self._publish = publish
        self._now = now
        self._on_destroyed = on_destroyed
        self._apps = apps
        self._class = bridge_class
        self._creator = creator
        #: Apps subscribed to the bridge because one of their channels is in it.
        self._auto_apps: set[str] = set()
        self._destroying = False
        self._created = now()
        self._members: dict[str, _Member] = {}
        #: The two members whose streams forward each other's packets, if any.
        self._native: tuple[_Member, _Member] | None = None
        self._native_refused: tuple[str, str] | None = None
        self._technology = "holding_bridge" if self.holding else "simple_bridge"
        self.video_mode = "talker"
        self.video_source_id: str | None = None
        self.variables: dict[str, str] = {}
        #: Names set with ARI ``report_events``: shown in ``bridgevars`` from then on.
        self._reported: dict[str, None] = {}
        self.destroyed = False
        #: The announcer: playbacks and music on hold to the whole bridge.
        self.media = ChannelMedia()
        self.moh_playing = False
        #: Called after every change of membership (and on destruction).
        self._watchers: list[Callable[[], None]] = []

    @property
    def id(self) -> str:
        """The bridge id."""
        return self._id

    @property
    def holding(self) -> bool:
        """Whether this is a holding bridge."""
        return "holding" in self.flags

    @property
    def bridge_type(self) -> str:
        """ARI's ``bridge_type``."""
        return "holding" if self.holding else "mixing"

    def snapshot(self) -> BridgeSnapshot:
        """The ARI Bridge model's facts now."""
        return BridgeSnapshot(
            id=self._id,
            technology=self._technology,
            bridge_type=self.bridge_type,
            bridge_class=self._class,
            creator=self._creator,
            name=self.name,
            channels=tuple(self._members),
            creationtime=self._created,
            video_mode=self.video_mode,
            video_source_id=self.video_source_id,
            bridgevars=(
                {name: self.variables.get(name, "") for name in self._reported}
                if self._reported
                else None
            ),
        )

    def set_variable(self, name: str, value: str | None, *, report: bool = False) -> None:
        """Set (``None``: unset) a bridge variable; ``report`` shows it in ``bridgevars``."""
        if value is None:
            self.variables.pop(name, None)
        else:
            self.variables[name] = value
        if report:
            self._reported[name] = None

    def announce(self) -> None:
        """Publish BridgeCreated."""
        self._publish(BridgeCreated(timestamp=self._now(), bridge=self.snapshot()))

    def has_channel(self, chan: Channel) -> bool:
        """Whether ``chan`` is a member."""
        return chan.id in self._members

    def members(self) -> tuple[Channel, ...]:
        """The member channels, in the order they joined."""
        return tuple(m.chan for m in self._members.values())

    def watch(self, callback: Callable[[], None]) -> Callable[[], None]:
        """Call ``callback`` after each change of membership; returns the unwatch function."""
        self._watchers.append(callback)

        def unwatch() -> None:
            if callback in self._watchers:
                self._watchers.remove(callback)

        return unwatch

    def _changed(self) -> None:
        for callback in list(self._watchers):
            callback()

    # -- membership ----------------------------------------------------------
    def add_channel(self, chan: Channel, *, role: str = "", mute: bool = False) -> None:
        """Add ``chan`` (moving it out of any other bridge first)."""
        if chan.id in self._members or self.destroyed:
            return
        if chan.bridge is not None:
            chan.bridge.remove_channel(chan)
        tech = chan.tech
        member = _Member(
            chan=chan, role=role, mute=mute, relay=tech if isinstance(tech, NativeRelay) else None
        )
        self._set_native(None)  # whoever joins hears the others from the next packet on
        self._members[chan.id] = member
        chan.bridge = self
        self._subscribe_owner(chan)
        chan.media.add_audio_listener(self, member.inbox.append)
        chan.media.set_bridge_source(
            functools.partial(self._pull, member), self.media.has_own_audio
        )
        self._publish(
            ChannelEnteredBridge(
                timestamp=self._now(), bridge=self.snapshot(), channel=chan.snapshot()
            )
        )
        self._reconfigured(joined=member)
        self._changed()

    def remove_channel(self, chan: Channel) -> bool:
        """Take ``chan`` out; False if it is not a member."""
        member = self._members.get(chan.id)
        if member is None:
            return False
        for name in ("BRIDGEPEER", "BRIDGEPVTCALLID"):
            if name in member.peer_vars and not chan.destroyed:
                chan.set_variable(name, "")
        self._set_native(None)
        del self._members[chan.id]
        chan.media.remove_audio_listener(self)
        chan.media.set_bridge_source(None)
        if chan.bridge is self:
            chan.bridge = None
        if self.video_source_id == chan.id:
            self.video_source_id = None
        self._publish(
            ChannelLeftBridge(
                timestamp=self._now(), bridge=self.snapshot(), channel=chan.snapshot()
            )
        )
        self._technology = self._technology_for(len(self._members))
        if not self._destroying:
            self._release_apps()
        self._changed()
        return True

    def destroy(self) -> None:
        """Empty the bridge and publish BridgeDestroyed."""
        if self.destroyed:
            return
        self._destroying = True
        for member in list(self._members.values()):
            self.remove_channel(member.chan)
        self.destroyed = True
        self.media.close()
        # Apps that followed the bridge through their channels still see its end.
        self._publish(BridgeDestroyed(timestamp=self._now(), bridge=self.snapshot()))
        self._release_apps()
        if self._apps is not None:
            self._apps.forget_object("bridge", self._id)
        self._on_destroyed(self)
        self._changed()

    # -- subscriptions ---------------------------------------------------------
    def _subscribe_owner(self, chan: Channel) -> None:
        """The reference subscribes a channel's app to the bridge it joins."""
        app = chan.stasis_app
        if self._apps is None or app is None:
            return
        if not self._apps.is_subscribed(app, "bridge", self._id):
            self._apps.subscribe_object(app, "bridge", self._id)
            self._auto_apps.add(app)

    def _release_apps(self) -> None:
        """Drop automatic subscriptions of apps with no channel left here."""
        if self._apps is None:
            return
        present = {m.chan.stasis_app for m in self._members.values()}
        for app in list(self._auto_apps):
            if app not in present or self.destroyed:
                self._apps.unsubscribe_object(app, "bridge", self._id)
                self._auto_apps.discard(app)

    def set_video_source(self, chan_id: str | None) -> None:
        """Pin the video source (``single`` mode) or go back to ``talker``."""
        self.video_source_id = chan_id
        self.video_mode = "single" if chan_id is not None else "talker"

    # -- bookkeeping ---------------------------------------------------------
    def _technology_for(self, count: int) -> str:
        if self.holding:
            return "holding_bridge"
        if count >= 3:
            return "softmix"
        if count == 2 and all(m.chan.name.startswith("PJSIP/") for m in self._members.values()):
            return "native_rtp"
        return "simple_bridge"

    def _reconfigured(self, joined: _Member) -> None:
        if self.holding:
            return
        target = self._technology_for(len(self._members))
        self._set_peer_vars()
        if target != self._technology:
            self._technology = target
            if target == "native_rtp":
                # The reference reconfigures once more when the native relay starts.
                self._set_peer_vars()
        self._exchange_connected_line(joined)
        if self._technology == "native_rtp":
            self._set_peer_vars()

    def _set_peer_vars(self) -> None:
        members = list(self._members.values())
        if len(members) < 2:
            return
        for member in members:
            others = [m.chan for m in members if m is not member]
            chan = member.chan
            if chan.destroyed:
                continue
            chan.set_variable("BRIDGEPEER", ",".join(o.name for o in others))
            member.peer_vars.add("BRIDGEPEER")
            if len(others) == 1 and others[0].snapshot().protocol_id:
                chan.set_variable("BRIDGEPVTCALLID", others[0].snapshot().protocol_id)
                member.peer_vars.add("BRIDGEPVTCALLID")

    def _exchange_connected_line(self, joined: _Member) -> None:
        if len(self._members) != 2:
            return
        a, b = (m.chan for m in self._members.values())
        for chan, peer in ((b, a), (a, b)):
            if not chan.destroyed:
                chan.set_connected(peer.snapshot().caller, announce=True)

    # -- media -----------------------------------------------------------------
    def _pull(self, member: _Member, n: int) -> Samples | None:
        if not member.ready:
            self._mix(n)
        member.ready = False
        out, member.out = member.out, None
        return out

    def _mix(self, n: int) -> None:
        members = list(self._members.values())
        if not members:
            return
        if len(members) == 2 and not self.holding and self._relay(members[0], members[1]):
            return
        self._set_native(None)  # a third member (or a holding bridge) needs the mix
        announcer = self.media.next_frame(n)
        inputs = np.zeros((len(members), n), dtype=np.int16)
        heard = np.zeros(len(members), dtype=bool)
        for i, m in enumerate(members):
            if m.inbox:
                frame = m.inbox.popleft()
                if not m.mute and len(frame) == n:
                    inputs[i] = frame
                    heard[i] = True
        if self.holding:
            self._holding_outputs(members, inputs, heard, announcer)
        else:
            outs = mix_minus(inputs) if heard.any() else None
            if announcer is not None:
                base = (
                    outs.astype(np.int32) if outs is not None else np.zeros(inputs.shape, np.int32)
                )
                outs = np.clip(base + announcer, -32768, 32767).astype(np.int16)
            for i, m in enumerate(members):
                others_heard = heard.sum() - heard[i] > 0
                m.out = (
                    outs[i]
                    if outs is not None and (others_heard or announcer is not None)
                    else None
                )
                m.ready = True
        if self.media.wants_audio:
            total = inputs.astype(np.int32).sum(axis=0)
            if announcer is not None:
                total = total + announcer
            self.media.on_audio(np.clip(total, -32768, 32767).astype(np.int16))

    def _relay(self, a: _Member, b: _Member) -> bool:
        """Two parties with nothing else to mix: each hears the other's frame as is.

        The common case of a two-party call costs no arithmetic at all, and
        when both technologies can, none of the media plane either: their
        streams forward each other's packets undecoded (the reference's
        native_rtp), for as long as neither channel has anything of its own
        (a playback, a tap, a recording, a mute). Returns False when the
        general mix is needed (announcer, recording, mute).
        """
        if self.media.sending or self.media.wants_audio or a.mute or b.mute:
            self._set_native(None)
            return False
        # Frames decoded before the streams began forwarding still go out here.
        self._set_native((a, b) if self._native_possible(a, b) else None)
        a.out = b.inbox.popleft() if b.inbox else None
        b.out = a.inbox.popleft() if a.inbox else None
        a.ready = b.ready = True
        return True

    def _native_possible(self, a: _Member, b: _Member) -> bool:
        return (
            a.relay is not None
            and b.relay is not None
            and a.chan.media.plain
            and b.chan.media.plain
            and self._native_refused != (a.chan.id, b.chan.id)
        )

    def _set_native(self, pair: tuple[_Member, _Member] | None) -> None:
        """Start or stop forwarding undecoded media between the two members."""
        current = self._native
        if current is not None and pair is not None:
            if pair[0] is current[0] and pair[1] is current[1]:
                return
        elif pair is current:
            return
        if current is not None:
            for member in current:
                if member.relay is not None:
                    member.relay.relay_media_to(None)
            self._native = None
        if pair is None:
            return
        a, b = pair
        if a.relay is None or b.relay is None:
            return
        if a.relay.relay_media_to(b.chan.tech) and b.relay.relay_media_to(a.chan.tech):
            self._native = pair
            return
        a.relay.relay_media_to(None)
        b.relay.relay_media_to(None)
        self._native_refused = (a.chan.id, b.chan.id)

    def _holding_outputs(
        self,
        members: list[_Member],
        inputs: npt.NDArray[np.int16],
        heard: npt.NDArray[np.bool_],
        announcer: Samples | None,
    ) -> None:
        speakers = [i for i, m in enumerate(members) if m.role == "announcer" and heard[i]]
        frame: Samples | None = None
        if speakers or announcer is not None:
            total = inputs[speakers].astype(np.int32).sum(axis=0)
            if announcer is not None:
                total = total + announcer
            frame = np.clip(total, -32768, 32767).astype(np.int16)
        for m in members:
            m.out = frame if m.role != "announcer" else None
            m.ready = True
