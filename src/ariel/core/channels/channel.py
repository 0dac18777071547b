"""A channel: one leg of a call, changed only through its own task.

Theory of operation: a channel's technology (the PJSIP driver, Local pairs)
reports what the far end does; the dialplan and Stasis run on the channel's
own task and ask the technology to act. ARI requests never touch a channel
directly: they go through :class:`ControlQueue` (``await chan.control.run(cmd)``),
which the Stasis loop drains on the channel's task. A hangup request is the
one thing any party may post at any time: it sets a flag, publishes
``ChannelHangupRequest`` and wakes whatever the channel is waiting on.

Every change publishes an event carrying a fresh immutable snapshot.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Protocol, TypeVar

from ariel.core.channels.events import (
    ChannelCallerId,
    ChannelConnectedLine,
    ChannelCreated,
    ChannelDestroyed,
    ChannelDtmfReceived,
    ChannelHangupRequest,
    ChannelStateChange,
    ChannelVarset,
    Dial,
)
from ariel.core.channels.state import Cause, ChannelState, cause_text
from ariel.core.events import CoreEvent
from ariel.core.media.channel_media import ChannelMedia
from ariel.core.snapshots import CallerId, ChannelSnapshot, DialplanLocation

__all__ = [
    "SOFTHANGUP_EXPLICIT",
    "BridgeMembership",
    "Channel",
    "ChannelGone",
    "ChannelTechnology",
    "ControlQueue",
]

log = logging.getLogger("ariel.channel")

T = TypeVar("T")

#: ``AST_SOFTHANGUP_EXPLICIT``: the "cause" ChannelHangupRequest reports for an
#: API hangup (the reference puts the soft-hangup flag value there).
SOFTHANGUP_EXPLICIT = 0x20


class ChannelGone(Exception):
    """The channel hung up, or left the application that sent the command."""


class BridgeMembership(Protocol):
    """The bridge a channel is in, as the channel sees it."""

    @property
    def id(self) -> str:
        """The bridge id."""
        ...

    def remove_channel(self, chan: Channel) -> bool:
        """Take ``chan`` out of the bridge; False if it was not in it."""
        ...


class ChannelTechnology(Protocol):
    """What a channel driver does when the core asks."""

    async def answer(self, chan: Channel) -> None:
        """Answer an inbound call (SIP: 200 OK with SDP)."""
        ...

    async def indicate(self, chan: Channel, condition: str) -> None:
        """Signal ``ringing``, ``progress``, ``busy``, ``congestion``, ``hold``, ``unhold``."""
        ...

    async def hangup(self, chan: Channel, cause: int) -> None:
        """Tear the call down with a Q.850 ``cause``; idempotent."""
        ...

    def hangup_variables(self, chan: Channel) -> list[tuple[str, str]]:
        """Variables the driver sets just before hangup (RTP quality figures)."""
        ...

    async def send_digit(self, chan: Channel, digit: str, duration_ms: int) -> None:
        """Send one DTMF digit to the far end; returns once it has been sent."""
        ...

    def rtp_statistics(self, chan: Channel) -> Mapping[str, int | float | str] | None:
        """The RTP figures of the channel's stream (ARI ``RTPstat``), if it has one."""
        ...


Command = Callable[["Channel"], Awaitable[Any]]


@dataclass(slots=True)
class _Pending:
    command: Command
    future: asyncio.Future[Any]


class ControlQueue:
    """Commands for a channel, run one at a time on the channel's task."""

    def __init__(self) -> None:
        self._queue: asyncio.Queue[_Pending] = asyncio.Queue()
        self._closed = False

    @property
    def closed(self) -> bool:
        """Whether the queue refuses new commands."""
        return self._closed

    async def run(self, command: Command) -> Any:
        """Queue ``command`` and wait for its result (ChannelGone if refused)."""
        if self._closed:
            raise ChannelGone("channel is not accepting commands")
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._queue.put_nowait(_Pending(command, future))
        return await future

    async def next(self) -> _Pending:
        """The next queued command (waits)."""
        return await self._queue.get()

    def close(self) -> None:
        """Refuse new commands and fail the queued ones."""
        self._closed = True
        while not self._queue.empty():
            pending = self._queue.get_nowait()
            if not pending.future.done():
                pending.future.set_exception(ChannelGone("channel left"))

    def reopen(self) -> None:
        """Accept commands again (a channel re-entering Stasis)."""
        self._closed = False


class Channel:
    """One channel.

    Args:
        id: Unique id (``epoch.seq`` or client-chosen).
        name: ``PJSIP/alice-00000001``.
        tech: The driver.
        publish: Where events go.
        now: The clock.
        state: Initial state.
        caller: Caller id.
        context, exten: Where the channel starts in the dialplan.
        language: Prompt language.
    """

    def __init__(
        self,
        *,
        id: str,
        name: str,
        tech: ChannelTechnology,
        publish: Callable[[CoreEvent], None],
        now: Callable[[], datetime],
        state: ChannelState = ChannelState.DOWN,
        caller: CallerId | None = None,
        context: str = "default",
        exten: str = "s",
        language: str = "en",
        protocol_id: str = "",
        channelvars: tuple[str, ...] = (),
    ) -> None:
        self.id = id
        self.name = name
        self.tech = tech
        self._publish = publish
        self._now = now
        self._snap = ChannelSnapshot(
            id=id,
            name=name,
            state=str(state),
            creationtime=now(),
            protocol_id=protocol_id,
            caller=caller or CallerId(),
            dialplan=DialplanLocation(context=context, exten=exten, priority=1),
            language=language,
        )
        self._channelvars = channelvars
        self.variables: dict[str, str] = {}
        self.hangup_cause = 0
        self.softhangup = 0
        self.hungup = asyncio.Event()
        self.destroyed = False
        self.control = ControlQueue()
        self.stasis_app: str | None = None
        #: The application that created the channel (it keeps seeing its events).
        self.owner_app: str | None = None
        #: The dialplan application a destroyed channel reports: Asterisk shows
        #: ``AppDial2(Outgoing Line)`` for a dialled leg, nothing for others.
        self.idle_application = ("", "")
        #: The bridge the channel is in, if any.
        self.bridge: BridgeMembership | None = None
        #: The channel this one replaces after a transfer; its next StasisStart
        #: reports it as ``replace_channel`` (once).
        self.replaced: ChannelSnapshot | None = None
        #: The audio plane: what plays out, who hears the far end.
        self.media = ChannelMedia()
        #: Asterisk's channel datastores: state kept by name for the channel's
        #: life (the dialplan's ``GOSUB`` stack, its last ``EXCEPTION``).
        self.datastores: dict[str, object] = {}

    # -- snapshot --------------------------------------------------------
    def snapshot(self) -> ChannelSnapshot:
        """The channel's current facts."""
        if self._channelvars:
            values = {name: self.variables.get(name, "") for name in self._channelvars}
            return replace(self._snap, channelvars=values)
        return self._snap

    def report_variable(self, name: str) -> None:
        """Show ``name`` in ``channelvars`` from now on (ARI ``report_events``)."""
        if name not in self._channelvars:
            self._channelvars = (*self._channelvars, name)

    @property
    def state(self) -> ChannelState:
        """Current state."""
        return ChannelState(self._snap.state)

    @property
    def dialplan(self) -> DialplanLocation:
        """Current dialplan location."""
        return self._snap.dialplan

    def _emit(self, event_type: type[CoreEvent], **fields: Any) -> None:
        self._publish(event_type(timestamp=self._now(), channel=self.snapshot(), **fields))  # type: ignore[call-arg]

    def publish_event(self, event_type: type[CoreEvent], **fields: Any) -> None:
        """Publish an event about this channel with its current snapshot."""
        self._emit(event_type, **fields)

    def publish(self, event: CoreEvent) -> None:
        """Publish an already-built event (StasisStart ...)."""
        self._publish(event)

    def publish_dial(
        self, status: str, *, dialstring: str | None, caller: Channel | None = None
    ) -> None:
        """Publish Dial with this channel as the peer dialled (status "" when it starts)."""
        self._publish(
            Dial(
                timestamp=self._now(),
                peer=self.snapshot(),
                caller=caller.snapshot() if caller is not None else None,
                dialstatus=status,
                dialstring=dialstring,
            )
        )

    def now(self) -> datetime:
        """The channel's clock."""
        return self._now()

    # -- lifecycle -------------------------------------------------------
    def announce(self) -> None:
        """Publish ChannelCreated."""
        self._emit(ChannelCreated)

    def set_protocol_id(self, protocol_id: str) -> None:
        """Record the signalling id (SIP Call-ID); no event of its own."""
        self._snap = replace(self._snap, protocol_id=protocol_id)

    def set_state(self, state: ChannelState) -> None:
        """Move to ``state``; ChannelStateChange when it differs."""
        if self._snap.state != str(state):
            self._snap = replace(self._snap, state=str(state))
            self._emit(ChannelStateChange)

    def set_dialplan(
        self,
        *,
        context: str | None = None,
        exten: str | None = None,
        priority: int | None = None,
        app_name: str | None = None,
        app_data: str | None = None,
    ) -> None:
        """Move the channel's dialplan location (no event)."""
        cur = self._snap.dialplan
        self._snap = replace(
            self._snap,
            dialplan=DialplanLocation(
                context=cur.context if context is None else context,
                exten=cur.exten if exten is None else exten,
                priority=cur.priority if priority is None else priority,
                app_name=cur.app_name if app_name is None else app_name,
                app_data=cur.app_data if app_data is None else app_data,
            ),
        )

    def set_variable(self, name: str, value: str) -> None:
        """Set a channel variable and publish ChannelVarset."""
        self.variables[name] = value
        self._emit(ChannelVarset, variable=name, value=value)

    def set_caller(self, caller: CallerId, presentation: int = 0) -> None:
        """Change the caller id and publish ChannelCallerId."""
        self._snap = replace(self._snap, caller=caller)
        self._emit(
            ChannelCallerId,
            caller_presentation=presentation,
            caller_presentation_txt=_presentation_text(presentation),
        )

    def dtmf_received(self, digit: str, duration_ms: int) -> None:
        """The far end sent a digit: ChannelDtmfReceived, then the digit's listeners."""
        if self.destroyed:
            return
        self._emit(ChannelDtmfReceived, digit=digit, duration_ms=duration_ms)
        self.media.on_dtmf(digit, duration_ms)

    def set_connected(self, connected: CallerId, *, announce: bool = False) -> None:
        """Change the connected line; ChannelConnectedLine if ``announce`` and it changed."""
        changed = self._snap.connected != connected
        self._snap = replace(self._snap, connected=connected)
        if announce and changed:
            self._emit(ChannelConnectedLine)

    # -- hangup ----------------------------------------------------------
    def request_hangup(self, *, cause: int | None = None, soft: int | None = None) -> None:
        """Ask the channel to hang up.

        Args:
            cause: The Q.850 cause to hang up with (kept as the hangup cause).
            soft: A soft-hangup flag (``SOFTHANGUP_EXPLICIT`` for API hangups);
                ``None`` when the far end hung up, so the event has no cause.
        """
        if self.destroyed:
            return
        if cause is not None and (self.hangup_cause == 0 or soft is not None):
            self.hangup_cause = cause
        if not self.hungup.is_set():
            # The driver's last figures (RTP quality) come before the request.
            for name, value in self.tech.hangup_variables(self):
                self.set_variable(name, value)
        if soft is not None:
            self.softhangup |= soft
            self._emit(ChannelHangupRequest, cause=soft, soft=True)
        else:
            self._emit(ChannelHangupRequest)
        self.hungup.set()
        self.media.close()

    def mark_hung_up(self) -> None:
        """Count as hung up from now on without publishing anything.

        pbx.c's ``ast_softhangup_nolock``: the ``Hangup()`` application and the
        ``h`` extension's run use it, so that whatever waits returns and the
        dialplan stops; the channel is destroyed when the run ends.
        """
        self.hungup.set()

    @property
    def hangup_requested(self) -> bool:
        """Whether a hangup was requested."""
        return self.hungup.is_set()

    async def destroy(self) -> None:
        """Hang the technology up and publish ChannelDestroyed (once)."""
        if self.destroyed:
            return
        cause = self.hangup_cause or Cause.NORMAL_CLEARING
        self.hangup_cause = cause
        self.control.close()
        try:
            await self.tech.hangup(self, cause)
        except Exception:
            log.exception("%s: driver hangup failed", self.name)
        self.destroyed = True
        self.hungup.set()
        self.media.close()
        app_name, app_data = self.idle_application
        self.set_dialplan(app_name=app_name, app_data=app_data)
        self._emit(ChannelDestroyed, cause=cause, cause_txt=cause_text(cause))

    async def run_command(self, pending_command: Command) -> Any:
        """Run one control command on this task (used by the Stasis loop)."""
        return await pending_command(self)

    def variables_view(self) -> Mapping[str, str]:
        """Read-only view of the channel variables."""
        return dict(self.variables)


def _presentation_text(presentation: int) -> str:
    texts = {
        0: "Presentation Allowed, Not Screened",
        1: "Presentation Allowed, Passed Screen",
        2: "Presentation Allowed, Failed Screen",
        3: "Presentation Allowed, Network Number",
        32: "Presentation Prohibited, Not Screened",
        33: "Presentation Prohibited, Passed Screen",
        34: "Presentation Prohibited, Failed Screen",
        35: "Presentation Prohibited, Network Number",
        67: "Number Unavailable",
    }
    return texts.get(presentation, "Unknown")
