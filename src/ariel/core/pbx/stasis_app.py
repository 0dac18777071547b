"""The ``Stasis(app[,args...])`` dialplan application: hand a channel to ARI.

Theory of operation (after res/app_stasis.c and res_stasis.c): if ``app`` has
no event socket, ``STASISSTATUS`` becomes ``FAILED`` and the dialplan goes on.
Otherwise ``STASISSTATUS`` is cleared, the app is subscribed to the channel,
``StasisStart`` is sent, and the channel's task serves its control queue until
the channel hangs up or a command leaves Stasis (``continue``, ``move``). Then
``StasisEnd`` is sent, the app's subscription to the channel is dropped,
``STASISSTATUS`` becomes ``SUCCESS`` and the dialplan goes on (or the channel
moves straight into another application).
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass

from ariel.core.channels.channel import Channel
from ariel.core.channels.events import StasisEnd, StasisStart
from ariel.core.dialplan.args import separate_args
from ariel.core.pbx.runner import AppContext, AppResult, DialplanApp, Goto
from ariel.core.stasis import Applications
from ariel.core.stasis.per_call import PerCallLease

__all__ = ["LeaveStasis", "make_stasis_app", "serve_stasis"]


@dataclass(frozen=True, slots=True, kw_only=True)
class LeaveStasis:
    """A command's answer that takes the channel out of Stasis.

    Attributes:
        goto: Where the dialplan continues (``None``: the next priority).
        move_to: Application (and its args) to enter straight away instead.
    """

    goto: Goto | None = None
    move_to: tuple[str, tuple[str, ...]] | None = None


async def serve_stasis(chan: Channel) -> LeaveStasis | None:
    """Run the channel's control commands until it hangs up (``None``) or leaves."""
    while True:
        getter = asyncio.ensure_future(chan.control.next())
        hung = asyncio.ensure_future(chan.hungup.wait())
        done, _ = await asyncio.wait({getter, hung}, return_when=asyncio.FIRST_COMPLETED)
        if getter not in done:
            getter.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await getter
            return None
        hung.cancel()
        pending = getter.result()
        try:
            result = await pending.command(chan)
        except Exception as exc:  # the failure belongs to the request that sent it
            if not pending.future.done():
                pending.future.set_exception(exc)
            continue
        if not pending.future.done():
            pending.future.set_result(result)
        if isinstance(result, LeaveStasis):
            return result


def make_stasis_app(apps: Applications) -> DialplanApp:
    """The ``Stasis`` application bound to the server's applications."""

    async def stasis(_ctx: AppContext, chan: Channel, data: str) -> AppResult | Goto:
        args = separate_args(data)
        name = args[0] if args else ""
        app_args = tuple(args[1:])
        while True:
            lease = await _open_per_call(apps, name, chan.name)
            if lease is not None:
                name = lease.app
            if not name or not apps.is_registered(name):
                chan.set_variable("STASISSTATUS", "FAILED")
                return AppResult.NEXT
            chan.set_variable("STASISSTATUS", "")
            try:
                leave = await _in_application(apps, chan, name, app_args)
            finally:
                if lease is not None:
                    lease.release()
            chan.set_variable("STASISSTATUS", "SUCCESS")
            if leave is None:  # app_stasis returns 0 on a hangup: no "exited non-zero"
                return AppResult.NEXT
            if leave.move_to is None:
                return leave.goto if leave.goto is not None else AppResult.NEXT
            name, app_args = leave.move_to

    return stasis


async def _open_per_call(apps: Applications, name: str, channel_name: str) -> PerCallLease | None:
    """A per-call outbound WebSocket application for ``name``, when one is configured."""
    opener = apps.per_call
    if not name or apps.is_registered(name) or opener is None or not opener.serves(name):
        return None
    return await opener.open(name, channel_name)


async def _in_application(
    apps: Applications, chan: Channel, name: str, args: tuple[str, ...]
) -> LeaveStasis | None:
    chan.stasis_app = name
    chan.control.reopen()
    apps.subscribe_object(name, "channel", chan.id)
    replaced, chan.replaced = chan.replaced, None
    chan.publish(
        StasisStart(
            timestamp=chan.now(),
            channel=chan.snapshot(),
            application=name,
            args=args,
            replace_channel=replaced,
        )
    )
    try:
        return await serve_stasis(chan)
    finally:
        chan.control.close()
        if chan.bridge is not None:
            chan.bridge.remove_channel(chan)
        chan.stasis_app = None
        chan.publish(StasisEnd(timestamp=chan.now(), channel=chan.snapshot(), application=name))
        if chan.owner_app != name:
            apps.unsubscribe_object(name, "channel", chan.id)
