"""Channel events: what happens to a channel, as ARI names it."""

from __future__ import annotations

from dataclasses import dataclass

from ariel.core.events import CoreEvent, EventSources
from ariel.core.snapshots import ChannelSnapshot

__all__ = [
    "ApplicationMoveFailed",
    "ChannelCallerId",
    "ChannelConnectedLine",
    "ChannelCreated",
    "ChannelDestroyed",
    "ChannelDialplan",
    "ChannelDtmfReceived",
    "ChannelEvent",
    "ChannelHangupRequest",
    "ChannelHold",
    "ChannelStateChange",
    "ChannelUnhold",
    "ChannelVarset",
    "Dial",
    "StasisEnd",
    "StasisStart",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class ChannelEvent(CoreEvent):
    """An event about one channel (routed to apps subscribed to it)."""

    channel: ChannelSnapshot

    @property
    def sources(self) -> EventSources:
        return EventSources(channel_ids=(self.channel.id,))


@dataclass(frozen=True, slots=True, kw_only=True)
class ChannelCreated(ChannelEvent):
    """A channel came into being."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ChannelStateChange(ChannelEvent):
    """The channel's state changed (Ring -> Up ...)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ChannelVarset(ChannelEvent):
    """A channel variable was set."""

    variable: str
    value: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ChannelDialplan(ChannelEvent):
    """The channel started a dialplan application."""

    dialplan_app: str
    dialplan_app_data: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ChannelHangupRequest(ChannelEvent):
    """Someone asked the channel to hang up.

    ``cause`` and ``soft`` are absent (``None``) when the far end hung up.
    """

    cause: int | None = None
    soft: bool | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ChannelDestroyed(ChannelEvent):
    """The channel is gone."""

    cause: int
    cause_txt: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ChannelCallerId(ChannelEvent):
    """The channel's caller id changed."""

    caller_presentation: int
    caller_presentation_txt: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ChannelDtmfReceived(ChannelEvent):
    """A DTMF digit arrived on the channel."""

    digit: str
    duration_ms: int


@dataclass(frozen=True, slots=True, kw_only=True)
class ChannelConnectedLine(ChannelEvent):
    """The channel's connected line changed."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ChannelHold(ChannelEvent):
    """The far end put the channel on hold."""

    musicclass: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ChannelUnhold(ChannelEvent):
    """The far end took the channel off hold."""


@dataclass(frozen=True, slots=True, kw_only=True)
class StasisStart(ChannelEvent):
    """The channel entered application ``application``."""

    application: str
    args: tuple[str, ...] = ()
    replace_channel: ChannelSnapshot | None = None

    @property
    def target_app(self) -> str | None:
        return self.application


@dataclass(frozen=True, slots=True, kw_only=True)
class StasisEnd(ChannelEvent):
    """The channel left application ``application``."""

    application: str

    @property
    def target_app(self) -> str | None:
        return self.application


@dataclass(frozen=True, slots=True, kw_only=True)
class ApplicationMoveFailed(ChannelEvent):
    """``move`` named an application with no event socket; the channel stays put."""

    application: str
    destination: str
    args: tuple[str, ...] = ()

    @property
    def target_app(self) -> str | None:
        return self.application


@dataclass(frozen=True, slots=True, kw_only=True)
class Dial(CoreEvent):
    """A dial attempt progressed (``dialstatus`` empty when it starts)."""

    peer: ChannelSnapshot
    dialstatus: str
    caller: ChannelSnapshot | None = None
    dialstring: str | None = None
    forward: str = ""

    @property
    def sources(self) -> EventSources:
        ids = (self.peer.id,) + ((self.caller.id,) if self.caller is not None else ())
        return EventSources(channel_ids=ids)
