"""The everyday dialplan applications: NoOp, Answer, Hangup, Set, Goto ...

Each takes the substituted application data and answers how the dialplan
goes on (:class:`AppResult` or :class:`Goto`), as its Asterisk namesake does.
"""

from __future__ import annotations

import asyncio
import logging

from ariel.core.channels.channel import Channel
from ariel.core.channels.state import Cause, ChannelState
from ariel.core.dialplan.args import parse_goto, parse_gotoif, parse_set, separate_args
from ariel.core.dialplan.cstrings import scan_double, scan_int
from ariel.core.pbx.runner import AppContext, AppResult, DialplanApp, Goto, trace

__all__ = ["BASIC_APPS", "goto_location"]

log = logging.getLogger("ariel.pbx")


async def noop(_ctx: AppContext, chan: Channel, data: str) -> AppResult | Goto:
    """NoOp(text): does nothing."""
    log.debug("%s: NoOp(%s)", chan.name, data)
    return AppResult.NEXT


async def answer(_ctx: AppContext, chan: Channel, _data: str) -> AppResult | Goto:
    """Answer(): answer the channel if it is not up yet."""
    if chan.state != ChannelState.UP:
        await chan.tech.answer(chan)
    return AppResult.NEXT


async def hangup(_ctx: AppContext, chan: Channel, data: str) -> AppResult | Goto:
    """Hangup([cause]): end the call with a Q.850 cause (16 by default)."""
    cause = scan_int(data) if data else None
    if cause is not None and cause > 0:
        chan.hangup_cause = cause
    elif not chan.hangup_cause:
        chan.hangup_cause = Cause.NORMAL_CLEARING
    chan.mark_hung_up()  # as ast_softhangup_nolock: TryExec(Hangup()) stops the run too
    return AppResult.HANGUP


async def progress(_ctx: AppContext, chan: Channel, _data: str) -> AppResult | Goto:
    """Progress(): indicate call progress (SIP 183 with early media)."""
    await chan.tech.indicate(chan, "progress")
    return AppResult.NEXT


async def ringing(_ctx: AppContext, chan: Channel, _data: str) -> AppResult | Goto:
    """Ringing(): indicate ringing (SIP 180)."""
    await chan.tech.indicate(chan, "ringing")
    return AppResult.NEXT


async def wait(_ctx: AppContext, chan: Channel, data: str) -> AppResult | Goto:
    """Wait(seconds): wait, or stop early on a hangup."""
    seconds = scan_double(data) if data else None
    if seconds is None or seconds <= 0:
        return AppResult.NEXT
    try:
        await asyncio.wait_for(chan.hungup.wait(), timeout=seconds)
    except TimeoutError:
        return AppResult.NEXT
    return AppResult.HANGUP


async def set_(ctx: AppContext, chan: Channel, data: str) -> AppResult | Goto:
    """Set(name=value): set a channel variable or write a function (``CALLERID(name)=x``)."""
    parsed = parse_set(data)
    if parsed is None:
        log.warning("%s: Set requires an argument (name=value)", chan.name)
        return AppResult.NEXT
    name, value = parsed
    result = ctx.evaluator(chan).write(name.strip(), value)
    for warning in result.diagnostics:
        log.warning("%s: %s", chan.name, warning)
    return AppResult.NEXT


def goto_location(ctx: AppContext, chan: Channel, data: str) -> Goto | None:
    """Resolve ``[[context,]exten,]priority|label`` from the channel's location."""
    target = parse_goto(data)
    if target is None:
        return None
    loc = chan.dialplan
    context = target.context or loc.context
    exten = target.exten or loc.exten

    def find_label(label: str) -> int | None:
        found = ctx.index.find_label(context, exten, label)
        return found.priority if found is not None else None

    priority = target.resolve_priority(loc.priority, find_label)
    if priority is None:
        return None
    return Goto(context=context, exten=exten, priority=priority)


async def goto(ctx: AppContext, chan: Channel, data: str) -> AppResult | Goto:
    """Goto([[context,]exten,]priority): jump."""
    location = goto_location(ctx, chan, data)
    if location is None:
        log.warning("%s: Goto(%s): no such label or bad destination", chan.name, data)
        return AppResult.HANGUP
    trace(3, f"Goto ({location.context},{location.exten},{location.priority})")
    return location


async def gotoif(ctx: AppContext, chan: Channel, data: str) -> AppResult | Goto:
    """GotoIf(condition?[true][:false]): jump when the branch taken names one."""
    parsed = parse_gotoif(data)
    branch = parsed.branch() if parsed is not None else None
    if branch is None:
        return AppResult.NEXT
    return await goto(ctx, chan, branch)


async def verbose(_ctx: AppContext, chan: Channel, data: str) -> AppResult | Goto:
    """Verbose([level,]message): log a message."""
    args = separate_args(data, max_args=2)
    message = args[-1] if args else ""
    log.info("%s: %s", chan.name, message)
    return AppResult.NEXT


async def log_app(_ctx: AppContext, chan: Channel, data: str) -> AppResult | Goto:
    """Log(level,message): log at a named level."""
    args = separate_args(data, max_args=2)
    level = (args[0] if args else "NOTICE").upper()
    message = args[1] if len(args) > 1 else ""
    levels = {"ERROR": logging.ERROR, "WARNING": logging.WARNING, "DEBUG": logging.DEBUG}
    log.log(levels.get(level, logging.INFO), "%s: %s", chan.name, message)
    return AppResult.NEXT


BASIC_APPS: dict[str, tuple[str, DialplanApp]] = {
    "noop": ("NoOp", noop),
    "answer": ("Answer", answer),
    "hangup": ("Hangup", hangup),
    "progress": ("Progress", progress),
    "ringing": ("Ringing", ringing),
    "wait": ("Wait", wait),
    "set": ("Set", set_),
    "goto": ("Goto", goto),
    "gotoif": ("GotoIf", gotoif),
    "verbose": ("Verbose", verbose),
    "log": ("Log", log_app),
}
