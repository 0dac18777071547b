"""The ARI side of the SIP call tests: an application's events and REST calls.

Theory of operation: the server is shared by the whole test session, so an
application's socket may carry events of channels other tests left behind.
:class:`AppEvents` keeps every event it reads and hands each out once, to the
first wait whose predicate it matches; tests find their own channel by the
caller name their phone put in From, and follow it by channel id from then on.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from typing import Any

import aiohttp
from websockets.asyncio.client import ClientConnection

__all__ = ["EVENT_TIMEOUT_S", "AppEvents", "Ari", "Event"]

Event = dict[str, Any]

#: How long a test waits for one event.
EVENT_TIMEOUT_S = 5.0
#: Events that only report variables or dialplan steps: skipped in event sequences.
NOISE = frozenset({"ChannelVarset", "ChannelDialplan"})


class AppEvents:
    """The events one ARI application receives on its WebSocket."""

    def __init__(self, ws: ClientConnection, app: str) -> None:
        self.ws = ws
        self.app = app
        self.seen: list[Event] = []
        self._taken: set[int] = set()

    async def wait_for(
        self,
        predicate: Callable[[Event], bool],
        what: str,
        timeout: float = EVENT_TIMEOUT_S,
    ) -> Event:
        """The first event not handed out yet that matches ``predicate``."""
        index = 0
        deadline = time.monotonic() + timeout
        while True:
            while index < len(self.seen):
                if index not in self._taken and predicate(self.seen[index]):
                    self._taken.add(index)
                    return self.seen[index]
                index += 1
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"{self.app}: no {what} within {timeout} s; {self.recap()}")
            try:
                frame = await asyncio.wait_for(self.ws.recv(), left)
            except TimeoutError:
                continue
            self.seen.append(json.loads(frame))

    async def stasis_start(self, caller_name: str, timeout: float = EVENT_TIMEOUT_S) -> Event:
        """The StasisStart of the channel whose caller name is ``caller_name``."""
        return await self.wait_for(
            lambda e: e["type"] == "StasisStart" and caller(e) == caller_name,
            f"StasisStart for caller {caller_name!r}",
            timeout,
        )

    async def channel_event(
        self, channel_id: str, kind: str, timeout: float = EVENT_TIMEOUT_S
    ) -> Event:
        """The next ``kind`` event about channel ``channel_id``."""
        return await self.wait_for(
            lambda e: e["type"] == kind and channel_of(e) == channel_id,
            f"{kind} for channel {channel_id}",
            timeout,
        )

    async def collect(self, seconds: float) -> None:
        """Reads whatever arrives within ``seconds`` (to show that something did not)."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                frame = await asyncio.wait_for(self.ws.recv(), left)
            except TimeoutError:
                return
            self.seen.append(json.loads(frame))

    def types_for(self, channel_id: str) -> list[str]:
        """The types of the events read so far about ``channel_id``, in order, noise skipped."""
        return [
            e["type"] for e in self.seen if channel_of(e) == channel_id and e["type"] not in NOISE
        ]

    def about_caller(self, caller_name: str) -> list[Event]:
        """Every event read so far whose channel has caller name ``caller_name``."""
        return [e for e in self.seen if caller(e) == caller_name]

    def recap(self) -> str:
        lines = [f"{e['type']} {channel_of(e)} {caller(e)!r}" for e in self.seen[-30:]]
        return f"{len(self.seen)} events read:\n  " + "\n  ".join(lines)


def channel_of(event: Event) -> str | None:
    channel = event.get("channel")
    return channel.get("id") if isinstance(channel, dict) else None


def caller(event: Event) -> str | None:
    channel = event.get("channel")
    if not isinstance(channel, dict):
        return None
    name: str | None = channel.get("caller", {}).get("name")
    return name


class Ari:
    """ARI over HTTP, as the read-write user."""

    def __init__(self, http: aiohttp.ClientSession) -> None:
        self.http = http

    async def request(self, method: str, path: str, **kwargs: Any) -> tuple[int, Any]:
        """``(status, decoded JSON body or None)``."""
        async with self.http.request(method, path, **kwargs) as resp:
            raw = await resp.read()
            return resp.status, (json.loads(raw) if raw else None)

    async def channels(self) -> list[dict[str, Any]]:
        status, body = await self.request("GET", "channels")
        assert status == 200, (status, body)
        assert isinstance(body, list)
        return body

    async def wait_channel_gone(self, channel_id: str, timeout: float = EVENT_TIMEOUT_S) -> None:
        """Waits until GET /channels/{id} is 404 and GET /channels no longer lists it."""
        deadline = time.monotonic() + timeout
        while True:
            status, _ = await self.request("GET", f"channels/{channel_id}")
            listed = [c["id"] for c in await self.channels()]
            if status == 404 and channel_id not in listed:
                return
            assert time.monotonic() < deadline, (
                f"channel {channel_id} still there after {timeout} s "
                f"(GET by id: {status}; listed: {channel_id in listed})"
            )
            await asyncio.sleep(0.02)
