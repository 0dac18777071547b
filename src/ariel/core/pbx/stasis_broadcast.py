"""``StasisBroadcast(timeout_ms[,app_regex])``: offer a call to every app; the first claim wins.

Theory of operation, after Asterisk 22.10's broadcast calls: the channel is
offered to each registered application (or each whose name matches the
regular expression) with a ``CallBroadcast`` event addressed to it. An app
takes the call with ``POST /events/claim``; the first claim wins (204, and
``CallClaimed`` to the apps that were offered it), later ones get 409. The
winner alone then sees StasisStart, as with ``Stasis(<winner>)``. With no
claim before the timeout the dialplan goes on with ``STASISSTATUS=TIMEOUT``.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections import OrderedDict
from dataclasses import dataclass

from ariel.core.channels.channel import Channel
from ariel.core.dialplan.args import separate_args
from ariel.core.events import CoreEvent, EventSources
from ariel.core.pbx.runner import AppContext, AppResult, DialplanApp, Goto
from ariel.core.pbx.stasis_app import make_stasis_app
from ariel.core.snapshots import ChannelSnapshot
from ariel.core.stasis import Applications

__all__ = [
    "AlreadyClaimed",
    "Broadcasts",
    "CallBroadcast",
    "CallClaimed",
    "NotBroadcasting",
    "make_broadcast_app",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class CallBroadcast(CoreEvent):
    """A call is offered to ``application``."""

    channel: ChannelSnapshot
    application: str
    caller: str | None = None
    called: str | None = None

    @property
    def target_app(self) -> str | None:
        return self.application

    @property
    def sources(self) -> EventSources:
        return EventSources()


@dataclass(frozen=True, slots=True, kw_only=True)
class CallClaimed(CoreEvent):
    """``winner_app`` took the call; told to ``application``, which was offered it."""

    channel: ChannelSnapshot
    winner_app: str
    application: str

    @property
    def target_app(self) -> str | None:
        return self.application

    @property
    def sources(self) -> EventSources:
        return EventSources()


CLAIMS_REMEMBERED = 1000


class NotBroadcasting(LookupError):
    """No such channel waiting for a claim (404)."""


class AlreadyClaimed(Exception):
    """Another application claimed the channel first (409)."""


@dataclass(slots=True)
class _Offer:
    chan: Channel
    offered: tuple[str, ...]
    claimed: asyncio.Future[str]


class Broadcasts:
    """The channels waiting to be claimed."""

    def __init__(self) -> None:
        self._offers: dict[str, _Offer] = {}
        # Recently claimed calls, so a late claimant hears 409, not 404.
        self._claimed: OrderedDict[str, str] = OrderedDict()

    def claim(self, channel_id: str, application: str) -> None:
        """``application`` takes the call.

        Raises:
            NotBroadcasting: The channel is not waiting for a claim.
            AlreadyClaimed: Someone claimed it first.
        """
        offer = self._offers.get(channel_id)
        if offer is None:
            if channel_id in self._claimed:
                raise AlreadyClaimed(channel_id)
            raise NotBroadcasting(channel_id)
        if offer.claimed.done():
            raise AlreadyClaimed(channel_id)
        offer.claimed.set_result(application)
        self._claimed[channel_id] = application
        while len(self._claimed) > CLAIMS_REMEMBERED:
            self._claimed.popitem(last=False)
        for app in offer.offered:
            offer.chan.publish(
                CallClaimed(
                    timestamp=offer.chan.now(),
                    channel=offer.chan.snapshot(),
                    winner_app=application,
                    application=app,
                )
            )

    async def offer(self, chan: Channel, apps: tuple[str, ...], timeout: float) -> str | None:
        """Wait for a claim on ``chan``: the winner, or ``None`` on timeout or hangup."""
        claimed: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        self._offers[chan.id] = _Offer(chan, apps, claimed)
        hung = asyncio.ensure_future(chan.hungup.wait())
        try:
            waiting: set[asyncio.Future[object]] = {claimed, hung}  # type: ignore[arg-type]
            await asyncio.wait(waiting, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        finally:
            hung.cancel()
            del self._offers[chan.id]
        if claimed.done():
            return claimed.result()
        claimed.cancel()
        return None


def make_broadcast_app(
    apps: Applications, broadcasts: Broadcasts
) -> dict[str, tuple[str, DialplanApp]]:
    """The StasisBroadcast application."""
    stasis = make_stasis_app(apps)

    async def broadcast(ctx: AppContext, chan: Channel, data: str) -> AppResult | Goto:
        args = separate_args(data)
        try:
            timeout_ms = int(args[0]) if args and args[0] else 30000
        except ValueError:
            timeout_ms = 30000
        pattern = args[1] if len(args) > 1 and args[1] else ""
        try:
            matcher = re.compile(pattern) if pattern else None
        except re.error:
            chan.set_variable("STASISSTATUS", "FAILED")
            return AppResult.NEXT
        offered = tuple(name for name in apps.names() if matcher is None or matcher.search(name))
        snap = chan.snapshot()
        for name in offered:
            chan.publish(
                CallBroadcast(
                    timestamp=chan.now(),
                    channel=snap,
                    application=name,
                    caller=snap.caller.number or None,
                    called=snap.dialplan.exten or None,
                )
            )
        winner = await broadcasts.offer(chan, offered, max(0, timeout_ms) / 1000)
        if winner is None:
            if chan.hangup_requested:
                return AppResult.HANGUP
            chan.set_variable("STASISSTATUS", "TIMEOUT")
            return AppResult.NEXT
        with contextlib.suppress(Exception):
            return await stasis(ctx, chan, winner)
        return AppResult.HANGUP

    return {"stasisbroadcast": ("StasisBroadcast", broadcast)}
