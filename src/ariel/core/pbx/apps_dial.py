"""``Dial(Tech/resource[&Tech2/resource2...][,timeout[,options]])``.

Theory of operation, after app_dial: every target is created through its
technology's driver (``PJSIP``, ``Local``...) and dialled at once; Dial
events name the caller and each peer. The first peer to answer wins, the
others are hung up with cause 26 (answered elsewhere), the caller is
answered if it was not, and caller and peer are joined in a basic bridge
until one of them hangs up. ``DIALSTATUS`` ends as ``ANSWER``, ``BUSY``,
``NOANSWER``, ``CANCEL`` (the caller hung up first), ``CONGESTION`` or
``CHANUNAVAIL``. After an answered call the caller is hung up, unless the
``g`` option asks to go on in the dialplan when the peer hangs up.

The bridge is a basic bridge: it dissolves when one of its channels hangs up
(the others are hung up) and when it empties. A transfer may take the caller
out of it: as the transferee of a blind transfer it was sent elsewhere in the
dialplan (its location changed) and goes on there; as a transferer it waits
for its own hangup (the phone's BYE after a SIP transfer). The bridge lives
on for whoever is still in it, kept by a task of its own, until one of them
hangs up.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ariel._util.ids import IdFactory
from ariel.core.bridges.bridge import Bridge
from ariel.core.channels.channel import Channel
from ariel.core.channels.drivers import ChannelDriver
from ariel.core.channels.state import Cause
from ariel.core.dialplan.args import separate_args
from ariel.core.dialplan.cstrings import scan_double
from ariel.core.events import CoreEvent
from ariel.core.objects import ObjectRegistry
from ariel.core.pbx.runner import AppContext, AppResult, DialplanApp, Goto

__all__ = ["DialServices", "dialstatus_for_cause", "make_dial_app"]

log = logging.getLogger("ariel.pbx")

ANSWERED_ELSEWHERE = 26


def dialstatus_for_cause(cause: int) -> str:
    """The DIALSTATUS a failed peer's hangup cause gives, as app_dial maps them."""
    if cause == Cause.USER_BUSY:
        return "BUSY"
    if cause in (Cause.NO_ANSWER, Cause.NO_USER_RESPONSE):
        return "NOANSWER"
    if cause in (Cause.UNALLOCATED, 3, 20, 27, 44):
        return "CHANUNAVAIL"
    return "CONGESTION"


@dataclass(slots=True)
class DialServices:
    """What Dial needs from the server."""

    technologies: Mapping[str, ChannelDriver]
    channels: ObjectRegistry[Channel]
    bridges: ObjectRegistry[Bridge]
    ids: IdFactory
    publish: Callable[[CoreEvent], None]
    now: Callable[[], datetime]
    #: Bridges whose callers a transfer took away, kept until they dissolve.
    kept: set[asyncio.Task[None]] = field(default_factory=set)


def make_dial_app(services: DialServices) -> dict[str, tuple[str, DialplanApp]]:
    """The Dial application bound to the server."""

    async def dial(_ctx: AppContext, chan: Channel, data: str) -> AppResult | Goto:
        args = separate_args(data, max_args=3)
        targets = [t for t in (args[0] if args else "").split("&") if t]
        timeout = scan_double(args[1]) if len(args) > 1 and args[1] else None
        options = args[2] if len(args) > 2 else ""
        peers: list[tuple[Channel, str]] = []
        for target in targets:
            tech, _, resource = target.partition("/")
            driver = services.technologies.get(tech)
            peer = (
                driver.create_channel(
                    resource, channel_id=services.ids.unique_id(), caller=chan.snapshot().caller
                )
                if driver is not None and resource
                else None
            )
            if peer is None:
                log.warning("%s: Dial: cannot create a channel for %r", chan.name, target)
                continue
            services.channels.add(peer)
            peers.append((peer, resource))
        if not peers:
            chan.set_variable("DIALSTATUS", "CHANUNAVAIL")
            return AppResult.NEXT
        winner = await _ring(chan, peers, timeout if timeout and timeout > 0 else 3600.0)
        if winner is None:
            status = "CANCEL" if chan.hangup_requested else _failure_status(peers)
            await _drop(services, [p for p, _ in peers], Cause.NORMAL_CLEARING)
            chan.set_variable("DIALSTATUS", status)
            return AppResult.HANGUP if chan.hangup_requested else AppResult.NEXT
        losers = [p for p, _ in peers if p is not winner]
        await _drop(services, losers, ANSWERED_ELSEWHERE)
        chan.set_variable("DIALSTATUS", "ANSWER")
        chan.set_variable("DIALEDPEERNAME", winner.name)
        if chan.state != "Up":
            await chan.tech.answer(chan)
        peer_hung_up = await _talk(services, chan, winner)
        if isinstance(peer_hung_up, Goto):
            return peer_hung_up
        if peer_hung_up and "g" in options and not chan.hangup_requested:
            return AppResult.NEXT
        return AppResult.HANGUP

    return {"dial": ("Dial", dial)}


async def _ring(chan: Channel, peers: list[tuple[Channel, str]], timeout: float) -> Channel | None:
    """Dial every peer; the first to answer, or ``None``."""
    tasks = {
        asyncio.ensure_future(
            peer.tech.dial(peer, timeout, dialstring=resource, caller=chan)  # type: ignore[attr-defined]
        ): peer
        for peer, resource in peers
    }
    hung = asyncio.ensure_future(chan.hungup.wait())
    pending: set[asyncio.Future[Any]] = {*tasks, hung}
    winner: Channel | None = None
    try:
        while winner is None and len(pending) > 1 and not hung.done():
            done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                ok = task in tasks and not task.cancelled() and task.exception() is None
                if ok and task.result():
                    winner = tasks[task]
                    break
    finally:
        hung.cancel()
        for task in tasks:
            if not task.done():
                task.cancel()
    return winner


def _failure_status(peers: list[tuple[Channel, str]]) -> str:
    statuses = [getattr(p.tech, "dialstatus", "") for p, _ in peers]
    for status in ("BUSY", "NOANSWER", "CONGESTION", "CHANUNAVAIL"):
        if status in statuses:
            return status
    causes = [p.hangup_cause for p, _ in peers if p.hangup_cause]
    return dialstatus_for_cause(causes[0]) if causes else "NOANSWER"


async def _talk(services: DialServices, chan: Channel, peer: Channel) -> bool | Goto:
    """Bridge caller and peer until one hangs up; True if the peer did.

    A transfer that sent the caller elsewhere in the dialplan (the caller
    was the transferee of a blind transfer) gives that location.
    """
    bridge = Bridge(
        id=services.ids.uuid(),
        flags=frozenset({"mixing"}),
        name="",
        publish=services.publish,
        now=services.now,
        on_destroyed=lambda b: _forget(services.bridges, b),
        bridge_class="basic",
        creator="",
    )
    services.bridges.add(bridge)
    bridge.add_channel(chan)
    bridge.add_channel(peer)
    here = chan.dialplan
    try:
        await _until_dissolved(bridge, chan)
    except BaseException:
        bridge.destroy()
        raise
    if not bridge.has_channel(chan):
        # A transfer took the caller out: the bridge is no longer this call's.
        if len(bridge.members()) >= 2:
            task = asyncio.ensure_future(_keep(services, bridge))
            services.kept.add(task)
            task.add_done_callback(services.kept.discard)
        else:
            await _dissolve(services, bridge, keep=None)
        there = chan.dialplan
        if not chan.hangup_requested and (there.context, there.exten, there.priority) != (
            here.context,
            here.exten,
            here.priority,
        ):
            return Goto(context=there.context, exten=there.exten, priority=there.priority)
        await chan.hungup.wait()
        return False
    await _dissolve(services, bridge, keep=chan)
    return peer.hangup_requested and not chan.hangup_requested


async def _until_dissolved(bridge: Bridge, caller: Channel | None) -> None:
    """Until a member hangs up, fewer than two remain, or ``caller`` leaves."""
    changed = asyncio.Event()
    unwatch = bridge.watch(changed.set)
    try:
        while True:
            members = bridge.members()
            if bridge.destroyed or len(members) < 2:
                return
            if caller is not None and not bridge.has_channel(caller):
                return
            if any(m.hangup_requested for m in members):
                return
            changed.clear()
            waits = [asyncio.ensure_future(m.hungup.wait()) for m in members]
            waits.append(asyncio.ensure_future(changed.wait()))
            try:
                await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
            finally:
                for waiter in waits:
                    waiter.cancel()
    finally:
        unwatch()


async def _keep(services: DialServices, bridge: Bridge) -> None:
    """Keep a bridge its caller left until it dissolves."""
    try:
        await _until_dissolved(bridge, None)
    finally:
        await _dissolve(services, bridge, keep=None)


async def _dissolve(services: DialServices, bridge: Bridge, *, keep: Channel | None) -> None:
    """Destroy the bridge and hang up the channels still in it but ``keep`` (the caller)."""
    members = bridge.members()
    bridge.destroy()
    await _drop(services, [m for m in members if m is not keep], Cause.NORMAL_CLEARING)


def _forget(registry: ObjectRegistry[Bridge], bridge: Bridge) -> None:
    registry.remove(bridge.id)


async def _drop(services: DialServices, peers: list[Channel], cause: int) -> None:
    for peer in peers:
        if not peer.destroyed:
            peer.request_hangup(cause=cause)
            with contextlib.suppress(Exception):
                await peer.destroy()
        services.channels.remove(peer.id)
