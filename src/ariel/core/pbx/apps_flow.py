"""Flow-control dialplan applications: Gosub, GosubIf, Return, StackPop,
RaiseException, ExecIf, Exec, TryExec and GotoIfTime.

Theory of operation (after apps/app_stack.c, apps/app_exec.c and
main/pbx_builtins.c): Gosub checks its destination, pushes a frame holding
the return address (the priority after the Gosub) and its arguments as
frame-local ``ARG1``..``ARGn``/``ARGC``, and jumps; Return pops the frame,
uncovers the variables it hid, sets ``GOSUB_RETVAL`` and jumps back (the
frames are in :mod:`.flow_state`). RaiseException records the reason and the
current step, then jumps to ``e``, 1 of the current context. Exec, TryExec
and ExecIf run another application by name as ``pbx_exec`` does: the channel
shows that application and its data (ChannelDialplan) while it runs, no
``Executing`` line is printed, and its answer (a jump, a hangup) is theirs.
GotoIfTime judges a time spec against the injected clock (or the channel's
``TESTTIME``, in epoch seconds) and jumps as Goto does. An application that
Asterisk ends with -1 answers :attr:`AppResult.HANGUP` here.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from ariel.core.channels.channel import Channel
from ariel.core.channels.events import ChannelDialplan
from ariel.core.dialplan.args import check_condition, separate_args
from ariel.core.dialplan.cstrings import scan_int
from ariel.core.dialplan.timing import parse_timing
from ariel.core.pbx.apps_basic import goto, goto_location
from ariel.core.pbx.flow_state import GosubFrame, gosub_stack, record_exception
from ariel.core.pbx.runner import AppContext, AppResult, DialplanApp, Goto

__all__ = ["FLOW_APPS", "pbx_exec"]

log = logging.getLogger("ariel.pbx")

_GOSUB_USAGE = "Gosub requires an argument: Gosub([[context,]exten,]priority[(arg1[,...][,argN])])"
_GOSUBIF_USAGE = "GosubIf requires an argument: GosubIf(cond?label1(args):label2(args)"
_GOTOIFTIME_USAGE = (
    "GotoIfTime requires an argument:\n  <time range>,<days of week>,<days of month>,"
    "<months>[,<timezone>]?'labeliftrue':'labeliffalse'"
)


def _split_call(text: str) -> tuple[str, str | None, bool]:
    """``label(args)`` into (label, args or ``None``, closed) as ``strsep``/``strrchr`` do."""
    label, paren, rest = text.partition("(")
    if not paren:
        return label, None, True
    close = rest.rfind(")")
    if close < 0:
        return label, rest, False
    return label, rest[:close], True


# -- Gosub, GosubIf, Return, StackPop ----------------------------------------
async def gosub(ctx: AppContext, chan: Channel, data: str) -> AppResult | Goto:
    """Gosub([[context,]exten,]priority[(arg1[,...][,argN])]): jump, saving the return address."""
    if not data:
        log.error("%s", _GOSUB_USAGE)
        return AppResult.HANGUP
    label, arg_text, closed = _split_call(data)
    if not closed:
        log.warning("Ouch.  No closing paren: '%s'?", data)
    args = separate_args(arg_text, remove_chars=False) if arg_text is not None else []
    target = goto_location(ctx, chan, label)
    if target is None:
        log.error("Gosub address is invalid: '%s'", data)
        return AppResult.HANGUP
    caller = chan.snapshot().caller.number or None
    if not ctx.index.exists(target.context, target.exten, target.priority, caller_id=caller):
        log.error(
            "Attempt to reach a non-existent destination for Gosub: "
            "(Context:%s, Extension:%s, Priority:%d)",
            target.context,
            target.exten,
            target.priority,
        )
        return AppResult.HANGUP
    stack = gosub_stack(chan, create=True)
    assert stack is not None
    here = chan.dialplan
    # A frame masks every ARGn its caller had, so ${ARG3} is empty in a
    # routine called with two arguments from one that got three.
    count = max(stack.top.arguments if stack.top else 0, len(args))
    frame = GosubFrame(
        context=here.context, exten=here.exten, priority=here.priority + 1, arguments=count
    )
    for index in range(count):
        frame.set_local(chan, f"ARG{index + 1}", args[index] if index < len(args) else "")
    frame.set_local(chan, "ARGC", str(len(args)))
    stack.frames.append(frame)
    return target


async def gosubif(ctx: AppContext, chan: Channel, data: str) -> AppResult | Goto:
    """GosubIf(condition?labeliftrue[(args)][:labeliffalse[(args)]])."""
    if not data:
        log.warning("%s", _GOSUBIF_USAGE)
        return AppResult.NEXT
    condition = separate_args(data, "?", remove_chars=False, max_args=2)
    if len(condition) != 2:
        log.warning("%s", _GOSUBIF_USAGE)
        return AppResult.NEXT
    labels = separate_args(condition[1], ":", remove_chars=False, max_args=2)
    if_true = labels[0] if labels else ""
    if_false = labels[1] if len(labels) > 1 else ""
    chosen = if_true if check_condition(condition[0]) else if_false
    if not chosen:
        return AppResult.NEXT
    return await gosub(ctx, chan, chosen)


async def return_(_ctx: AppContext, chan: Channel, data: str) -> AppResult | Goto:
    """Return([value]): back to the step after the last Gosub; ``GOSUB_RETVAL`` = value."""
    stack = gosub_stack(chan)
    if stack is None:
        log.error("Return without Gosub: stack is unallocated")
        return AppResult.HANGUP
    if not stack.frames:
        log.error("Return without Gosub: stack is empty")
        return AppResult.HANGUP
    frame = stack.frames.pop()
    frame.release(chan)
    chan.set_variable("GOSUB_RETVAL", data)
    return Goto(context=frame.context, exten=frame.exten, priority=frame.priority)


async def stack_pop(_ctx: AppContext, chan: Channel, _data: str) -> AppResult | Goto:
    """StackPop(): forget the last return address (and its local variables)."""
    stack = gosub_stack(chan)
    if stack is None:
        log.warning("StackPop called with no gosub stack allocated.")
    elif not stack.frames:
        log.debug("StackPop called with an empty gosub stack")
    else:
        stack.frames.pop().release(chan)
    return AppResult.NEXT


# -- RaiseException ----------------------------------------------------------
async def raise_exception(_ctx: AppContext, chan: Channel, data: str) -> AppResult | Goto:
    """RaiseException(reason): go on at ``e`` with ``EXCEPTION()`` describing this step."""
    record_exception(chan, data)
    return Goto(context=chan.dialplan.context, exten="e", priority=1)


# -- Exec, TryExec, ExecIf ---------------------------------------------------
async def pbx_exec(ctx: AppContext, chan: Channel, name: str, data: str) -> AppResult | Goto | None:
    """Run application ``name`` with ``data`` as pbx.c ``pbx_exec`` does.

    Returns:
        The application's answer, or ``None`` when there is no such application.
    """
    found = ctx.find_app(name)
    if found is None:
        return None
    canonical, app = found
    saved = chan.dialplan
    chan.set_dialplan(app_name=canonical, app_data=data)
    chan.publish_event(ChannelDialplan, dialplan_app=canonical, dialplan_app_data=data)
    try:
        return await app(ctx, chan, data)
    finally:
        chan.set_dialplan(app_name=saved.app_name, app_data=saved.app_data)


def _exec_target(ctx: AppContext, chan: Channel, data: str) -> tuple[str, str]:
    """Exec/TryExec data ``appname(args)``; the args are substituted once more."""
    name, args, _closed = _split_call(data)
    if args is None:
        return name, ""
    substituted = ctx.evaluator(chan).substitute(args)
    for warning in substituted.diagnostics:
        log.warning("%s: %s", chan.name, warning)
    return name, substituted.text


async def exec_(ctx: AppContext, chan: Channel, data: str) -> AppResult | Goto:
    """Exec(appname(arguments)): run an application named at run time."""
    if not data:
        return AppResult.NEXT
    name, args = _exec_target(ctx, chan, data)
    result = await pbx_exec(ctx, chan, name, args)
    if result is None:
        log.warning("Could not find application (%s)", name)
        return AppResult.HANGUP
    return result


async def try_exec(ctx: AppContext, chan: Channel, data: str) -> AppResult | Goto:
    """TryExec(appname(arguments)): like Exec, but a failure only sets ``TRYSTATUS``."""
    if not data:
        return AppResult.NEXT
    name, args = _exec_target(ctx, chan, data)
    result = await pbx_exec(ctx, chan, name, args)
    if result is None:
        log.warning("Could not find application (%s)", name)
        chan.set_variable("TRYSTATUS", "NOAPP")
        return AppResult.NEXT
    failed = result is AppResult.HANGUP
    chan.set_variable("TRYSTATUS", "FAILED" if failed else "SUCCESS")
    return AppResult.NEXT if failed else result


async def exec_if(ctx: AppContext, chan: Channel, data: str) -> AppResult | Goto:
    """ExecIf(expression?appiftrue(args)[:appiffalse(args)])."""
    comma, question = data.find(","), data.find("?")
    if question < 0 or 0 <= comma < question:
        # The old ExecIf(expression,app,args) form.
        old = separate_args(data, max_args=3)
        expression = old[0] if old else ""
        if_true = old[1] if len(old) > 1 else ""
        true_data = old[2] if len(old) > 2 else ""
        log.warning(
            "Deprecated syntax found.  Please upgrade to using ExecIf(<expr>?%s(%s))",
            if_true,
            true_data,
        )
        if_false, false_data = "", ""
    else:
        parts = separate_args(data, "?", remove_chars=False, max_args=2)
        expression = parts[0]
        if len(parts) < 2 or not parts[1]:
            log.error("Usage: ExecIf(<expr>?<appiftrue>(<args>)[:<appiffalse>(<args)])")
            return AppResult.HANGUP
        branches = separate_args(parts[1], ":", remove_chars=False, max_args=2)
        if_true, true_args, _ = _split_call(branches[0])
        true_data = true_args or ""
        if_false, false_args, _ = _split_call(branches[1] if len(branches) > 1 else "")
        false_data = false_args or ""
    if check_condition(expression):
        name, app_data = if_true, true_data
    elif if_false:
        name, app_data = if_false, false_data
    else:
        return AppResult.NEXT
    result = await pbx_exec(ctx, chan, name, app_data) if name else None
    if result is None:
        log.warning("Could not find application! (%s)", name)
        return AppResult.HANGUP
    return result


# -- GotoIfTime --------------------------------------------------------------
def _moment(ctx: AppContext, chan: Channel) -> datetime:
    """The time to judge: ``TESTTIME`` (epoch seconds) if set, else the clock."""
    now = ctx.evaluator(chan).now()
    test_time = chan.variables.get("TESTTIME")
    if test_time is None:
        return now
    seconds = scan_int(test_time)
    if seconds is None:
        log.warning("Using current time to evaluate")
        chan.variables.pop("TESTTIME", None)
        return now
    return datetime.fromtimestamp(seconds, tz=now.tzinfo or UTC)


async def goto_if_time(ctx: AppContext, chan: Channel, data: str) -> AppResult | Goto:
    """GotoIfTime(times,weekdays,mdays,months[,timezone]?[labeliftrue][:labeliffalse])."""
    if not data:
        log.warning("%s", _GOTOIFTIME_USAGE)
        return AppResult.HANGUP
    moment = _moment(ctx, chan)
    spec, question, branches = data.partition("?")
    if_true, _colon, if_false = branches.partition(":")
    timing = parse_timing(spec)
    if timing is not None:
        for warning in timing.warnings:
            log.warning("%s", warning)
    chosen = if_true if timing is not None and timing.matches(moment) else if_false
    if not question or not chosen:
        log.debug("Not taking any branch")
        return AppResult.NEXT
    return await goto(ctx, chan, chosen)


FLOW_APPS: dict[str, tuple[str, DialplanApp]] = {
    "gosub": ("Gosub", gosub),
    "gosubif": ("GosubIf", gosubif),
    "return": ("Return", return_),
    "stackpop": ("StackPop", stack_pop),
    "raiseexception": ("RaiseException", raise_exception),
    "exec": ("Exec", exec_),
    "tryexec": ("TryExec", try_exec),
    "execif": ("ExecIf", exec_if),
    "gotoiftime": ("GotoIfTime", goto_if_time),
}
