"""Running a channel through the dialplan, one priority at a time.

Theory of operation (after main/pbx.c ``__ast_pbx_run``): the channel sits at
(context, exten, priority). Each step finds that priority (following includes
and patterns), substitutes variables in the application data, publishes
``ChannelDialplan`` and runs the application on the channel's task. An
application answers how to go on: the next priority, a jump (``Goto``), or a
hangup. A missing priority ends the run (Asterisk's ``autofallthrough``), as
does a hangup request. The run always ends in ``Channel.destroy``.

The call trace is pbx.c's verbose messages, word for word and at its levels:
``-- Executing [...]`` (3) before each application, ``== Spawn extension
(...) exited non-zero`` (2) when one asks for a hangup, ``-- Auto
fallthrough`` (3) when the run falls off the end of an extension. An
application that returns normally on a channel hung up meanwhile (Stasis)
ends the run silently, and the channel stays at that priority.

Special extensions, as pbx.c has them: an invalid extension goes on at ``i``
or, failing that, raises the ``INVALID`` exception (``e``, see
:mod:`.flow_state`); when the run ends, the ``h`` extension of the channel's
context runs before the channel is hung up (``ast_pbx_h_exten_run``).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Protocol

from ariel._util.log_context import channel_log_context
from ariel.core.channels.channel import Channel
from ariel.core.channels.events import ChannelDialplan, ChannelHangupRequest
from ariel.core.dialplan import Evaluator
from ariel.core.dialplan.lookup import DialplanIndex
from ariel.core.pbx.flow_state import record_exception
from ariel.core.pbx.func_flow import pbx_functions
from ariel.core.pbx.scope import ChannelScope

__all__ = ["AppContext", "AppResult", "DialplanApp", "Goto", "Pbx"]

log = logging.getLogger("ariel.pbx")
#: The call trace (Asterisk's verbose messages); records carry their verbose level.
verbose = logging.getLogger("ariel.verbose.pbx")
#: What ``ast_verb(level, ...)`` puts before a message (include/asterisk/logger.h).
VERBOSE_PREFIXES = {1: " ", 2: "  == ", 3: "    -- ", 4: "       > "}


def trace(level: int, text: str) -> None:
    """Log ``text`` as Asterisk's ``ast_verb(level, ...)`` would show it."""
    if verbose.isEnabledFor(logging.INFO):
        verbose.info("%s%s", VERBOSE_PREFIXES.get(level, ""), text, extra={"verbose": level})


def executing_text(context: str, exten: str, priority: int, app: str, chan: str, data: str) -> str:
    """pbx.c ``pbx_extension_helper``: the step about to run (verbose 3)."""
    return f'Executing [{exten}@{context}:{priority}] {app}("{chan}", "{data}") in new stack'


def exited_non_zero_text(context: str, exten: str, priority: int, chan: str) -> str:
    """pbx.c ``__ast_pbx_run``: an application ended the run (verbose 2)."""
    return f"Spawn extension ({context}, {exten}, {priority}) exited non-zero on '{chan}'"


def invalid_extension_text(chan: str, context: str, exten: str, priority: int) -> str:
    """pbx.c ``__ast_pbx_run``: the run goes on at the ``i`` extension (verbose 3)."""
    return (
        f"Channel '{chan}' sent to invalid extension: "
        f"context,exten,priority={context},{exten},{priority}"
    )


def auto_fallthrough_text(chan: str, dialstatus: str | None) -> str:
    """pbx.c ``__ast_pbx_run``: the run fell off the end of an extension (verbose 3)."""
    return f"Auto fallthrough, channel '{chan}' status is '{dialstatus or 'UNKNOWN'}'"


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

    def evaluator(self, chan: Channel) -> Evaluator:
        """Substitution and Set semantics bound to ``chan``."""
        ...

    def find_app(self, name: str) -> tuple[str, DialplanApp] | None:
        """An application by name, any case (Exec runs one): (canonical name, coroutine)."""
        ...


DialplanApp = Callable[[AppContext, Channel, str], Awaitable["AppResult | Goto"]]
EvaluatorFactory = Callable[[Channel, DialplanIndex], Evaluator]


def plain_evaluator(chan: Channel, index: DialplanIndex) -> Evaluator:
    """An evaluator with the standard and flow functions and no globals (tests, tools)."""
    return Evaluator(channel=ChannelScope(chan), functions=pbx_functions(), dialplan=index)


class Pbx:
    """The interpreter shared by every channel.

    Args:
        index: Gives the dialplan in force (it changes on reload and when
            applications register their ``stasis-<app>`` contexts).
        apps: Applications by lower-case name; each value is the canonical name
            (``NoOp``) and the coroutine.
        evaluators: Builds the ``${...}``/``$[...]`` evaluator for a channel.
    """

    def __init__(
        self,
        index: Callable[[], DialplanIndex],
        apps: Mapping[str, tuple[str, DialplanApp]],
        evaluators: EvaluatorFactory = plain_evaluator,
    ) -> None:
        self._index = index
        self._apps = apps
        self._evaluators = evaluators
        #: Channels running the dialplan now (Asterisk's "active calls").
        self.active_calls = 0
        #: Channels that have entered the dialplan since start ("calls processed").
        self.processed_calls = 0
        #: Ended dialplan runs by Q.850 hangup cause.
        self.ended_by_cause: dict[int, int] = {}

    def evaluator(self, chan: Channel) -> Evaluator:
        """The evaluator bound to ``chan`` and the dialplan in force."""
        return self._evaluators(chan, self.index)

    @property
    def index(self) -> DialplanIndex:
        """The dialplan in force."""
        return self._index()

    def app_name(self, name: str) -> str | None:
        """The canonical spelling of a known application, or ``None``."""
        found = self._apps.get(name.lower())
        return found[0] if found else None

    def find_app(self, name: str) -> tuple[str, DialplanApp] | None:
        """An application by name, any case: (canonical name, coroutine)."""
        return self._apps.get(name.lower())

    async def run(self, chan: Channel) -> None:
        """Run ``chan`` from its current location until it hangs up; then destroy it."""
        with channel_log_context(chan.id):
            await self._run(chan)

    async def _run(self, chan: Channel) -> None:
        self.active_calls += 1
        self.processed_calls += 1
        try:
            await self._steps(chan)
        except Exception:
            log.exception("%s: dialplan failed", chan.name)
        finally:
            self.active_calls -= 1
            if chan.softhangup and not chan.destroyed:
                chan.publish_event(ChannelHangupRequest, cause=chan.hangup_cause or 16, soft=True)
            await self._h_exten(chan)
            await chan.destroy()
            cause = chan.hangup_cause
            self.ended_by_cause[cause] = self.ended_by_cause.get(cause, 0) + 1

    async def _steps(self, chan: Channel) -> None:
        while not chan.hangup_requested:
            loc = chan.dialplan
            result = await self._execute(chan)
            if result is None:
                if self._ran_off(chan, chan.snapshot().caller.number or None):
                    continue
                return
            if result is AppResult.HANGUP:
                trace(2, exited_non_zero_text(loc.context, loc.exten, loc.priority, chan.name))
                return
            if isinstance(result, Goto):
                chan.set_dialplan(
                    context=result.context, exten=result.exten, priority=result.priority
                )
            elif chan.hangup_requested:
                # pbx.c: the application returned 0 but the channel hung up
                # meanwhile (Stasis does this); the run ends where it stands.
                log.debug(
                    "Extension %s, priority %d returned normally even though call was hung up",
                    loc.exten,
                    loc.priority,
                )
                return
            else:
                chan.set_dialplan(priority=loc.priority + 1)

    async def _execute(self, chan: Channel) -> AppResult | Goto | None:
        """pbx.c ``pbx_extension_helper``: run the step the channel is at.

        Returns ``None`` when there is no such step, else the application's
        answer (:attr:`AppResult.HANGUP` for an unknown application).
        """
        loc = chan.dialplan
        caller = chan.snapshot().caller.number or None
        ext = self.index.find(loc.context, loc.exten, loc.priority, caller_id=caller)
        if ext is None:
            return None
        found = self._apps.get(ext.app.lower())
        substituted = self.evaluator(chan).substitute(ext.app_data)
        for warning in substituted.diagnostics:
            log.warning("%s: %s", chan.name, warning)
        data = substituted.text
        if found is None:
            log.warning(
                "No application '%s' for extension (%s, %s, %d)",
                ext.app,
                loc.context,
                loc.exten,
                loc.priority,
            )
            return AppResult.HANGUP
        name, app = found
        trace(3, executing_text(loc.context, loc.exten, loc.priority, name, chan.name, data))
        chan.set_dialplan(app_name=name, app_data=data)
        chan.publish_event(ChannelDialplan, dialplan_app=name, dialplan_app_data=data)
        return await app(self, chan, data)

    def _ran_off(self, chan: Channel, caller: str | None) -> bool:
        """No step at the current priority: pbx.c's autofallthrough, or an invalid
        extension, which goes on at ``i`` (with ``INVALID_EXTEN`` set) if the
        context has one, else at ``e`` with the ``INVALID`` exception raised.
        Returns whether the run goes on.
        """
        loc = chan.dialplan
        if self.index.exists(loc.context, loc.exten, 1, caller_id=caller):
            trace(3, auto_fallthrough_text(chan.name, chan.variables.get("DIALSTATUS")))
            return False
        if self.index.exists(loc.context, "i", 1, caller_id=caller):
            trace(3, invalid_extension_text(chan.name, loc.context, loc.exten, loc.priority))
            chan.set_variable("INVALID_EXTEN", loc.exten)
            chan.set_dialplan(exten="i", priority=1)
            return True
        if self.index.exists(loc.context, "e", 1, caller_id=caller):
            record_exception(chan, "INVALID")  # pbx.c raise_exception: no message
            chan.set_dialplan(exten="e", priority=1)
            return True
        log.warning(
            "Channel '%s' sent to invalid extension but no invalid handler: "
            "context,exten,priority=%s,%s,%d",
            chan.name,
            loc.context,
            loc.exten,
            loc.priority,
        )
        return False

    async def _h_exten(self, chan: Channel) -> None:
        """pbx.c ``ast_pbx_h_exten_run``: the run is over; run ``h`` if the context has one.

        The channel counts as hung up from here on (``AST_SOFTHANGUP_HANGUP_EXEC``,
        which publishes nothing), so applications that wait return at once; the
        steps run until one is missing or asks for a hangup, printing the same
        trace as the run (but no auto fallthrough).
        """
        task = asyncio.current_task()
        if chan.destroyed or (task is not None and task.cancelling()):
            return  # the server is stopping: no dialplan on the way out
        caller = chan.snapshot().caller.number or None
        if not self.index.exists(chan.dialplan.context, "h", 1, caller_id=caller):
            return
        chan.mark_hung_up()
        chan.set_dialplan(exten="h", priority=1)
        try:
            while (result := await self._execute(chan)) is not None:
                loc = chan.dialplan
                if result is AppResult.HANGUP:
                    trace(2, exited_non_zero_text(loc.context, loc.exten, loc.priority, chan.name))
                    return
                if isinstance(result, Goto):
                    chan.set_dialplan(
                        context=result.context, exten=result.exten, priority=result.priority
                    )
                else:
                    chan.set_dialplan(priority=loc.priority + 1)
        except Exception:
            log.exception("%s: 'h' extension failed", chan.name)
