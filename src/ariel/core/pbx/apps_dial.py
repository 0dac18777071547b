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
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
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
        await _drop(services, [winner], Cause.NORMAL_CLEARING)
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


async def _talk(services: DialServices, chan: Channel, peer: Channel) -> bool:
    """Bridge caller and peer until one hangs up; True if the peer did."""
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
    caller_gone = asyncio.ensure_future(chan.hungup.wait())
    peer_gone = asyncio.ensure_future(peer.hungup.wait())
    try:
        await asyncio.wait({caller_gone, peer_gone}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        caller_gone.cancel()
        peer_gone.cancel()
        bridge.destroy()
    return peer.hangup_requested and not chan.hangup_requested


def _forget(registry: ObjectRegistry[Bridge], bridge: Bridge) -> None:
    registry.remove(bridge.id)


async def _drop(services: DialServices, peers: list[Channel], cause: int) -> None:
    for peer in peers:
        if not peer.destroyed:
            peer.request_hangup(cause=cause)
            with contextlib.suppress(Exception):
                await peer.destroy()
        services.channels.remove(peer.id)
