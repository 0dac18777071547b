"""``Snoop/<channel id>-<n>``: a channel that listens to (spy) or talks into (whisper) another.

Theory of operation, after Asterisk's ``app_stasis`` snoop (audiohooks):
the snoop channel lives only inside the server. It taps the snooped
channel's audio plane once per media tick:

* **spy** ``in`` is what the snooped channel hears from its far end, ``out``
  what is sent to it, ``both`` the two mixed; the result is what the snoop
  channel "hears", so a bridge or recording of the snoop channel gets it;
* **whisper** ``out`` mixes what is played to the snoop channel into what
  the snooped channel's far end hears, ``in`` into what the snooped channel
  hears (its bridge peers), ``both`` into each.

The taps come off when either channel hangs up; the snooped channel
hanging up hangs the snoop channel up too.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Mapping

import numpy as np

from ariel.core.channels.channel import Channel
from ariel.core.channels.state import Cause, ChannelState
from ariel.core.media.sources import Samples
from ariel.core.snapshots import CallerId
from ariel.core.system import Core

__all__ = ["DIRECTIONS", "SnoopDriver", "SnoopTech", "parse_snoop_resource"]

log = logging.getLogger("ariel.snoop")

DIRECTIONS = ("none", "in", "out", "both")


def parse_snoop_resource(resource: str) -> tuple[str, str, str] | None:
    """``<channel id>,<spy>,<whisper>`` -> its parts, or ``None`` if malformed."""
    parts = resource.rsplit(",", 2)
    if len(parts) != 3 or not parts[0]:
        return None
    target, spy, whisper = parts
    if spy not in DIRECTIONS or whisper not in DIRECTIONS or spy == whisper == "none":
        return None
    return target, spy, whisper


def _mix(a: Samples | None, b: Samples | None) -> Samples | None:
    if a is None:
        return b
    if b is None or len(a) != len(b):
        return a
    mixed: Samples = np.clip(a.astype(np.int32) + b, -32768, 32767).astype(np.int16)
    return mixed


class SnoopTech:
    """The technology of one snoop channel."""

    def __init__(self, target: Channel, spy: str, whisper: str) -> None:
        self.target = target
        self.spy = spy
        self.whisper = whisper
        self.channel: Channel | None = None
        self._heard: deque[Samples] = deque(maxlen=3)
        self._whisper_in: Samples | None = None
        self.attached = False

    def attach(self, chan: Channel) -> None:
        """Tap the snooped channel's audio plane for ``chan``."""
        self.channel = chan
        media = self.target.media
        if self.spy in ("in", "both"):
            media.add_audio_listener(self, self._heard.append)
        if self.whisper in ("in", "both"):
            media.add_in_tap(self, self._whisper_into_input)
        media.add_out_tap(self, self._on_tick)
        media.add_close_listener(self, self._target_gone)
        self.attached = True

    def detach(self) -> None:
        """Remove every tap."""
        if not self.attached:
            return
        media = self.target.media
        media.remove_audio_listener(self)
        media.remove_in_tap(self)
        media.remove_out_tap(self)
        media.remove_close_listener(self)
        self.attached = False

    def _on_tick(self, frame: Samples | None, n: int) -> Samples | None:
        chan = self.channel
        if chan is None:
            return frame
        heard: Samples | None = None
        if self.spy in ("in", "both") and self._heard:
            heard = self._heard.popleft()
        if self.spy in ("out", "both"):
            heard = _mix(heard, frame)
        if heard is not None and self.spy != "none":
            chan.media.on_audio(heard)
        if self.whisper == "none":
            return frame
        spoken = chan.media.next_frame(n)
        if self.whisper in ("in", "both"):
            self._whisper_in = spoken
        if self.whisper in ("out", "both"):
            return _mix(frame, spoken)
        return frame

    def _whisper_into_input(self, frame: Samples) -> Samples:
        spoken, self._whisper_in = self._whisper_in, None
        mixed = _mix(frame, spoken)
        return frame if mixed is None else mixed

    def _target_gone(self) -> None:
        self.detach()
        if self.channel is not None:
            self.channel.request_hangup(cause=Cause.NORMAL_CLEARING)

    # -- ChannelTechnology ---------------------------------------------------------
    async def answer(self, chan: Channel) -> None:
        """A snoop channel is up from the start."""

    async def indicate(self, chan: Channel, condition: str) -> None:
        """Nothing to indicate to: there is no far end."""

    async def hangup(self, chan: Channel, cause: int) -> None:
        self.detach()

    def hangup_variables(self, chan: Channel) -> list[tuple[str, str]]:
        return []

    async def send_digit(self, chan: Channel, digit: str, duration_ms: int) -> None:
        """Digits sent to a snoop channel go nowhere."""

    def rtp_statistics(self, chan: Channel) -> Mapping[str, int | float | str] | None:
        return None


class SnoopDriver:
    """Creates snoop channels: resource ``<channel id>,<spy>,<whisper>``."""

    def __init__(self, core: Core) -> None:
        self._core = core

    def create_channel(self, resource: str, *, channel_id: str, caller: CallerId) -> Channel | None:
        """An Up snoop channel on the named channel, or ``None``."""
        parsed = parse_snoop_resource(resource)
        if parsed is None:
            return None
        target = self._core.channels.get(parsed[0])
        if not isinstance(target, Channel) or target.destroyed or target.hangup_requested:
            return None
        tech = SnoopTech(target, parsed[1], parsed[2])
        core = self._core
        chan = Channel(
            id=channel_id,
            name=f"Snoop/{target.id}-{core.ids.channel_suffix()}",
            tech=tech,
            publish=core.publish,
            now=core.clock.now,
            state=ChannelState.UP,
            caller=caller,
        )
        tech.attach(chan)
        return chan
