"""Dialplan functions over a channel's dialplan run: LOCAL, LOCAL_PEEK, STACK_PEEK
and EXCEPTION.

Theory of operation: transcriptions of app_stack.c's ``local_read``/``local_write``,
``peek_read`` and ``stackpeek_read`` and pbx.c's ``acf_exception_read``. They
read the ``GOSUB`` and ``EXCEPTION`` datastores of :mod:`.flow_state`, which
live on the channel itself, so they reach it through :class:`ChannelScope`
(``scope.channel.live``); evaluated without a live channel they fail as
Asterisk does without one. :func:`pbx_functions` is the standard registry
plus these, what the dialplan interpreter evaluates with.
"""

from __future__ import annotations

from ariel.core.channels.channel import Channel
from ariel.core.dialplan import separate_args, standard_functions
from ariel.core.dialplan.cstrings import atoi
from ariel.core.dialplan.functions import DialplanFunction, FunctionRegistry, FunctionScope
from ariel.core.pbx.flow_state import exception_of, gosub_stack
from ariel.core.pbx.scope import ChannelScope

__all__ = ["FLOW_FUNCTIONS", "pbx_functions"]

_TRUE = frozenset({"yes", "true", "y", "t", "1", "on"})


def _live(scope: FunctionScope) -> Channel | None:
    channel = scope.channel
    return channel.live if isinstance(channel, ChannelScope) else None


def _local_read(scope: FunctionScope, data: str | None) -> str | None:
    chan = _live(scope)
    if chan is None:
        scope.warn("No channel was provided to LOCAL function.")
        return None
    stack = gosub_stack(chan)
    frame = stack.top if stack is not None else None
    if frame is None:  # never in a Gosub, or all returned
        return None
    name = data or ""
    if name not in frame.saved:
        return ""
    value = chan.variables.get(name)
    if value is None and scope.global_vars is not None:
        value = scope.global_vars.get(name)
    return value or ""


def _local_write(scope: FunctionScope, data: str | None, value: str) -> bool:
    chan = _live(scope)
    name = data or ""
    if chan is None:
        scope.warn("No channel was provided to LOCAL function.")
        return False
    stack = gosub_stack(chan)
    if stack is None:
        scope.warn(f"Tried to set LOCAL({name}), but we aren't within a Gosub routine")
        return False
    if stack.top is not None:
        stack.top.set_local(chan, name, value)
    return True


def _local_peek(scope: FunctionScope, data: str | None) -> str | None:
    chan = _live(scope)
    if chan is None:
        scope.warn("LOCAL_PEEK must be called on an active channel")
        return None
    args = separate_args(data, remove_chars=False)
    depth = args[0] if args else ""
    name = args[1] if len(args) > 1 else ""
    if not depth or not name:
        scope.warn("LOCAL_PEEK requires parameters n and varname")
        return None
    # The entries of ``name`` in Asterisk's variable list, newest first.
    current = chan.variables.get(name)
    stack = gosub_stack(chan)
    entries = ([current] if current is not None else []) + (
        stack.hidden_values(name) if stack is not None else []
    )
    index = max(atoi(depth), 0)
    return entries[index] if index < len(entries) else ""


def _stack_peek(scope: FunctionScope, data: str | None) -> str | None:
    chan = _live(scope)
    if chan is None:
        scope.warn("STACK_PEEK must be called on an active channel")
        return None
    args = separate_args(data)
    depth_text = args[0] if args else ""
    which = args[1] if len(args) > 1 else ""
    suppress = (args[2] if len(args) > 2 else "").strip().lower() in _TRUE
    if not depth_text or not which:
        scope.warn("STACK_PEEK requires parameters n and which")
        return None
    depth = atoi(depth_text)
    if depth <= 0:
        scope.warn("STACK_PEEK must be called with a positive peek value")
        return None
    stack = gosub_stack(chan)
    if stack is None:
        if not suppress:
            scope.warn("STACK_PEEK called on a channel without a gosub stack")
        return None
    frame = stack.peek(depth)
    if frame is None:
        if not suppress:
            scope.warn(f"Stack peek of '{depth_text}' is more stack frames than I have")
        return None
    # The frame keeps the step after the Gosub; the caller's own step is one less.
    items = {
        "l": f"{frame.context},{frame.exten},{frame.priority - 1}",
        "c": frame.context,
        "e": frame.exten,
        "p": str(frame.priority - 1),
    }
    key = which.lstrip(" \t\n\v\f\r")[:1]
    if key not in items:
        scope.warn(f"Unknown argument '{which.lstrip()}' to STACK_PEEK")
        return ""
    return items[key]


def _exception(scope: FunctionScope, data: str | None) -> str | None:
    chan = _live(scope)
    raised = exception_of(chan) if chan is not None else None
    if raised is None:
        return None
    field = (data or "").lower()
    if field == "reason":
        return raised.reason
    if field == "context":
        return raised.context
    if field.startswith("exten"):
        return raised.exten
    if field == "priority":
        return str(raised.priority)
    return None


FLOW_FUNCTIONS: tuple[DialplanFunction, ...] = (
    DialplanFunction(name="LOCAL", read=_local_read, write=_local_write),
    DialplanFunction(name="LOCAL_PEEK", read=_local_peek),
    DialplanFunction(name="STACK_PEEK", read=_stack_peek),
    DialplanFunction(name="EXCEPTION", read=_exception),
)


def pbx_functions() -> FunctionRegistry:
    """The standard dialplan functions plus those over the dialplan run."""
    return standard_functions().with_functions(*FLOW_FUNCTIONS)
