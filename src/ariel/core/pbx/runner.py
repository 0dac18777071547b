"""Running a channel through the dialplan, one priority at a time.

Theory of operation (after main/pbx.c ``__ast_pbx_run``): the channel sits at
(context, exten, priority). Each step finds that priority (following includes
and patterns), substitutes variables in the application data, publishes
``ChannelDialplan`` and runs the application on the channel's task. An
application answers how to go on: the next priority, a jump (``Goto``), or a
hangup. A missing priority ends the run (Asterisk's ``autofallthrough``), as
does a hangup request. The run always ends in ``Channel.destroy``.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Protocol

from ariel.core.channels.channel import Channel
from ariel.core.channels.events import ChannelDialplan, ChannelHangupRequest
from ariel.core.dialplan.lookup import DialplanIndex

__all__ = ["AppContext", "AppResult", "DialplanApp", "Goto", "Pbx"]

log = logging.getLogger("ariel.pbx")


class AppResult(Enum):
    """How the dialplan goes on after an application."""

    NEXT = "next"
    HANGUP = "hangup"


@dataclass(frozen=True, slots=True, kw_only=True)
class Goto:
    """Continue at this location instead of the next priority."""

    context: str
    exten: str
    priority: int


class AppContext(Protocol):
    """What dialplan applications may use besides the channel."""

    @property
    def index(self) -> DialplanIndex:
        """The dialplan now in force."""
        ...


DialplanApp = Callable[[AppContext, Channel, str], Awaitable["AppResult | Goto"]]
Substitute = Callable[[str, Channel], str]


def _no_substitution(text: str, _chan: Channel) -> str:
    return text


class Pbx:
    """The interpreter shared by every channel.

    Args:
        index: Gives the dialplan in force (it changes on reload and when
            applications register their ``stasis-<app>`` contexts).
        apps: Applications by lower-case name; each value is the canonical name
            (``NoOp``) and the coroutine.
        substitute: ``${...}``/``$[...]`` expansion of application data.
    """

    def __init__(
        self,
        index: Callable[[], DialplanIndex],
        apps: Mapping[str, tuple[str, DialplanApp]],
        substitute: Substitute = _no_substitution,
    ) -> None:
        self._index = index
        self._apps = apps
        self._substitute = substitute

    @property
    def index(self) -> DialplanIndex:
        """The dialplan in force."""
        return self._index()

    def app_name(self, name: str) -> str | None:
        """The canonical spelling of a known application, or ``None``."""
        found = self._apps.get(name.lower())
        return found[0] if found else None

    async def run(self, chan: Channel) -> None:
        """Run ``chan`` from its current location until it hangs up; then destroy it."""
        try:
            await self._steps(chan)
        except Exception:
            log.exception("%s: dialplan failed", chan.name)
        finally:
            if chan.softhangup and not chan.destroyed:
                chan.publish_event(ChannelHangupRequest, cause=chan.hangup_cause or 16, soft=True)
            await chan.destroy()

    async def _steps(self, chan: Channel) -> None:
        while not chan.hangup_requested:
            loc = chan.dialplan
            caller = chan.snapshot().caller.number or None
            ext = self.index.find(loc.context, loc.exten, loc.priority, caller_id=caller)
            if ext is None:
                log.debug(
                    "%s: no %s@%s:%d, hanging up", chan.name, loc.exten, loc.context, loc.priority
                )
                return
            found = self._apps.get(ext.app.lower())
            data = self._substitute(ext.app_data, chan)
            if found is None:
                log.warning(
                    "%s: no application '%s' for extension (%s, %s, %d)",
                    chan.name,
                    ext.app,
                    loc.context,
                    loc.exten,
                    loc.priority,
                )
                return
            name, app = found
            chan.set_dialplan(app_name=name, app_data=data)
            chan.publish_event(ChannelDialplan, dialplan_app=name, dialplan_app_data=data)
            result = await app(self, chan, data)
            if result is AppResult.HANGUP:
                return
            if isinstance(result, Goto):
                chan.set_dialplan(
                    context=result.context, exten=result.exten, priority=result.priority
                )
            else:
                chan.set_dialplan(priority=loc.priority + 1)
