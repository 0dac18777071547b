"""Running channels that ARI created: originate (dial, then app or dialplan) and create.

An originated channel is owned by its application from the start: the app
sees its Dial events before StasisStart and its ChannelDestroyed after
StasisEnd (a dialplan-entered channel stops at StasisEnd).
"""

from __future__ import annotations

import logging

from ariel.core.channels.channel import Channel
from ariel.core.channels.events import ChannelDialplan
from ariel.core.pbx.runner import Goto, Pbx
from ariel.core.pbx.stasis_app import make_stasis_app
from ariel.core.stasis import Applications

__all__ = ["run_created", "run_originated"]

log = logging.getLogger("ariel.originate")


async def run_originated(
    pbx: Pbx,
    apps: Applications,
    chan: Channel,
    *,
    timeout: float,
    dialstring: str,
    app: str | None,
    args: tuple[str, ...],
    location: Goto | None,
) -> None:
    """Dial ``chan``; when answered, enter ``app`` or run the dialplan at ``location``."""
    # Asterisk originates through a dial that leaves this application on the leg.
    chan.idle_application = ("AppDial2", "(Outgoing Line)")
    try:
        answered = await chan.tech.dial(chan, timeout, dialstring=dialstring)  # type: ignore[attr-defined]
        if not answered or chan.hangup_requested:
            return
        if app is not None:
            data = ",".join((app, *args))
            chan.set_dialplan(app_name="Stasis", app_data=data)
            left = await make_stasis_app(apps)(pbx, chan, data)
            await _after_stasis(pbx, chan, left)
        elif location is not None:
            chan.set_dialplan(
                context=location.context, exten=location.exten, priority=location.priority
            )
            await pbx.run(chan)
    except Exception:
        log.exception("%s: originate failed", chan.name)
    finally:
        await chan.destroy()
        apps.forget_object("channel", chan.id)


async def _after_stasis(pbx: Pbx, chan: Channel, left: object) -> None:
    """A channel ``continue``d out of Stasis runs the dialplan from there, as the
    reference's originate-then-continue does (it keeps its app subscription)."""
    if isinstance(left, Goto) and not chan.hangup_requested:
        chan.set_dialplan(context=left.context, exten=left.exten, priority=left.priority)
        await pbx.run(chan)


async def run_created(
    pbx: Pbx, apps: Applications, chan: Channel, app: str, args: tuple[str, ...]
) -> None:
    """Put a created (not yet dialled) channel into ``app`` until it hangs up."""
    data = ",".join((app, *args))
    try:
        chan.set_dialplan(app_name="Stasis", app_data=data)
        chan.publish_event(ChannelDialplan, dialplan_app="Stasis", dialplan_app_data=data)
        left = await make_stasis_app(apps)(pbx, chan, data)
        await _after_stasis(pbx, chan, left)
    except Exception:
        log.exception("%s: created channel failed", chan.name)
    finally:
        await chan.destroy()
        apps.forget_object("channel", chan.id)
