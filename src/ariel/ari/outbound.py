"""ARI outbound WebSockets: Ariel connects to the application server.

Theory of operation (after the reference's "ARI Outbound Websockets"): an
ari.conf ``type = outbound_websocket`` section names a websocket_client.conf
connection and the Stasis apps it serves.  Events and REST-over-WebSocket
then flow exactly as on an inbound ``/ari/events`` socket: each connection is
served by an :class:`~ariel.ari.websocket.EventSession`, with the rights of
the section's ``local_ari_user`` (its name and plain password become the
session's Basic credentials).

The apps are registered to a :class:`_Relay`, which lives as long as the
configuration: it hands events to the session of the connection in force, or
keeps them (bounded) while there is none; on every (re)connection the app
server first gets ``ApplicationRegistered`` for each app, then what was kept.

* ``persistent``: the apps are registered at start (``Stasis()`` works while
  disconnected) and a task connects, serves, and reconnects every
  ``reconnect_interval`` forever, logging once per ``reconnect_attempts``
  failures.  Stopping sends ``ApplicationUnregistered`` for each app before
  the socket closes.
* ``per_call_config``: nothing happens at start.  ``Stasis(app)`` on an
  unregistered ``app`` calls :meth:`OutboundApps.open`, which makes up to
  ``reconnect_attempts`` attempts; on success it registers the app
  ``<app>:<channel name>`` and the call proceeds, otherwise ``Stasis()`` fails
  (``STASISSTATUS=FAILED``).  A connection lost during the call is re-opened
  the same way; the channel leaving Stasis closes it once its queued events
  (``StasisEnd``) are sent.

Connecting is injected (:data:`Connector`): ``ariel.net.websocket_client``'s
``connect`` in the server, since only ``ariel.net`` opens sockets.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Protocol

from ariel.ari.dispatch import Dispatcher
from ariel.ari.websocket import EventSession
from ariel.config import OutboundWebsocket, WebSocketClient
from ariel.core.events import CoreEvent, RawEvent

__all__ = ["Connector", "OutboundApps", "WsConnection"]

log = logging.getLogger("ariel.ari.outbound")

#: Events kept for an app server while its connection is down.
MAX_KEPT = 1000
#: How long stopping waits for a connection's last frames.
STOP_WAIT_S = 2.0


class WsConnection(Protocol):
    """One open client WebSocket (``ariel.net.websocket_client.WebSocketConnection``)."""

    async def send_text(self, text: str) -> None: ...
    async def receive(self) -> str | bytes | None: ...
    async def close(self) -> None: ...


#: Makes one connection attempt; raises ``ConnectionError`` (or ``OSError``) on failure.
Connector = Callable[[WebSocketClient], Awaitable[WsConnection]]
#: Waits that many seconds (injected so tests need not sleep).
Sleep = Callable[[float], Awaitable[object]]


class _Relay:
    """The apps' listener while their configuration lasts, across connections."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.session: EventSession | None = None
        self._kept: deque[tuple[str, CoreEvent]] = deque(maxlen=MAX_KEPT)

    def deliver(self, app: str, event: CoreEvent) -> None:
        if self.session is not None:
            self.session.deliver(app, event)
        elif len(self._kept) == MAX_KEPT:
            log.warning("%s: not connected; dropping the oldest kept event", self.name)
            self._kept.append((app, event))
        else:
            self._kept.append((app, event))

    def attach(self, session: EventSession) -> None:
        self.session = session
        while self._kept:
            session.deliver(*self._kept.popleft())

    def detach(self) -> None:
        self.session = None


class _Link:
    """One outbound connection: connect, serve, reconnect, stop."""

    def __init__(
        self,
        owner: OutboundApps,
        conf: OutboundWebsocket,
        client: WebSocketClient,
        apps: tuple[str, ...],
        label: str,
    ) -> None:
        self._owner = owner
        self.conf = conf
        self.client = client
        self.apps = apps
        self.label = label
        self.relay = _Relay(label)
        self.task: asyncio.Task[None] | None = None
        self._stopped = asyncio.Event()
        self._announce_stop = False
        self._registered = False

    # -- registration ----------------------------------------------------
    def register(self) -> None:
        for app in self.apps:
            self._owner.core.apps.register(app, self.relay, subscribe_all=self.conf.subscribe_all)
        self._registered = True

    def unregister(self) -> None:
        if self._registered:
            for app in self.apps:
                self._owner.core.apps.unregister(app, self.relay)
            self._registered = False

    # -- connecting ----------------------------------------------------
    async def attempt(self) -> WsConnection | None:
        """One connection attempt (``None`` if it failed)."""
        try:
            return await self._owner.connect(self.client)
        except (ConnectionError, OSError) as exc:
            log.debug("%s: %s", self.label, exc)
            return None

    async def attempts(self, limit: int | None) -> WsConnection | None:
        """Attempt until connected, stopped, or ``limit`` attempts failed."""
        failures = 0
        every = max(self.client.reconnect_attempts, 1)
        while not self._stopped.is_set():
            conn = await self.attempt()
            if conn is not None:
                return conn
            failures += 1
            if limit is not None and failures >= max(limit, 1):
                log.warning(
                    "%s: cannot connect to %s after %d attempts",
                    self.label,
                    self.client.uri,
                    failures,
                )
                return None
            if limit is None and failures % every == 1 % every:
                log.warning(
                    "%s: cannot connect to %s (%d attempts so far); still trying",
                    self.label,
                    self.client.uri,
                    failures,
                )
            await self._pause()
        return None

    async def _pause(self) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopped.wait(), self.client.reconnect_interval / 1000.0)

    # -- serving -------------------------------------------------------
    async def run(self, first: WsConnection | None, *, limit: int | None) -> None:
        """Serve ``first`` (or connect), then reconnect until stopped or out of attempts."""
        conn = first
        try:
            while not self._stopped.is_set():
                if conn is None:
                    conn = await self.attempts(limit)
                    if conn is None:
                        break
                await self._serve(conn)
                conn = None
                if not self._stopped.is_set():
                    log.info(
                        "%s: connection to %s closed; reconnecting", self.label, self.client.uri
                    )
                    await self._pause()
        finally:
            self.unregister()

    async def _serve(self, conn: WsConnection) -> None:
        core = self._owner.core
        session = EventSession(
            self._owner.dispatcher,
            self.apps,
            subscribe_all=self.conf.subscribe_all,
            send_text=conn.send_text,
            close=conn.close,
            auth_headers=self._owner.credentials(self.conf),
            auth_query=(),
            peer=self.label,
        )
        log.info("%s: connected to %s", self.label, self.client.uri)
        for app in self.apps:
            session.deliver(app, RawEvent(timestamp=core.clock.now(), name="ApplicationRegistered"))
        self.relay.attach(session)
        writer = asyncio.create_task(session.run_writer(), name=f"ws-out-{self.label}")
        try:
            if not self._stopped.is_set():
                while (msg := await conn.receive()) is not None:
                    if isinstance(msg, str):
                        await session.on_text(msg)
        finally:
            self.relay.detach()
            session.stop()
            try:
                await asyncio.wait_for(writer, STOP_WAIT_S)
            except (TimeoutError, asyncio.CancelledError):
                writer.cancel()
            with contextlib.suppress(Exception):
                await conn.close()

    def stop(self, *, announce: bool) -> None:
        """Stop for good: unregister the apps and close once queued frames are sent."""
        if self._stopped.is_set():
            return
        self._stopped.set()
        session = self.relay.session
        if announce and session is not None:
            for app in self.apps:
                event = RawEvent(
                    timestamp=self._owner.core.clock.now(), name="ApplicationUnregistered"
                )
                session.deliver(app, event)
        self.unregister()
        if session is not None:
            # The writer sends what is queued (StasisEnd, ApplicationUnregistered),
            # then closes the socket, which ends the reader.
            self.relay.detach()
            session.stop()


@dataclass(frozen=True, slots=True)
class _Lease:
    """A per-call app: released when its channel leaves Stasis."""

    app: str
    link: _Link

    def release(self) -> None:
        self.link.stop(announce=False)


class OutboundApps:
    """Every configured outbound WebSocket, and the per-call opener for ``Stasis()``.

    Args:
        dispatcher: Serves REST requests arriving over the sockets.
        connections: ari.conf ``outbound_websocket`` sections by name.
        clients: websocket_client.conf sections by name.
        connect: Makes one connection attempt.
    """

    def __init__(
        self,
        dispatcher: Dispatcher,
        connections: Mapping[str, OutboundWebsocket],
        clients: Mapping[str, WebSocketClient],
        connect: Connector,
    ) -> None:
        self.dispatcher = dispatcher
        self.core = dispatcher.core
        self.connect = connect
        self._persistent: list[tuple[OutboundWebsocket, WebSocketClient]] = []
        self._per_call: dict[str, tuple[OutboundWebsocket, WebSocketClient]] = {}
        self._links: set[_Link] = set()
        for conf in connections.values():
            client = conf.client(clients)
            if client is None or not conf.apps:
                log.warning("outbound_websocket [%s] is invalid; not started", conf.name)
            elif client.per_call:
                self._per_call.update({app: (conf, client) for app in conf.apps})
            else:
                self._persistent.append((conf, client))

    def credentials(self, conf: OutboundWebsocket) -> dict[str, str]:
        """The Basic ``Authorization`` of the connection's ``local_ari_user`` (none if unknown)."""
        user = self.dispatcher.conf.users.get(conf.local_ari_user)
        if user is None or user.password_format != "plain":
            return {}
        pair = f"{user.name}:{user.password}".encode()
        return {"Authorization": "Basic " + base64.b64encode(pair).decode("ascii")}

    def start(self) -> None:
        """Register the persistent apps and start connecting; serve per-call apps."""
        if self._per_call:
            self.core.apps.per_call = self
        for conf, client in self._persistent:
            link = _Link(self, conf, client, conf.apps, conf.name)
            link.register()
            self._track(link, link.run(None, limit=None))

    def _track(self, link: _Link, work: Awaitable[None]) -> None:
        async def run() -> None:
            try:
                await work
            except Exception:
                log.exception("%s: outbound WebSocket failed", link.label)
            finally:
                self._links.discard(link)

        self._links.add(link)
        link.task = asyncio.create_task(run(), name=f"outbound-{link.label}")

    # -- PerCallOpener ---------------------------------------------------
    def serves(self, app: str) -> bool:
        """Whether a per-call connection is configured for ``app``."""
        return app in self._per_call

    async def open(self, app: str, channel_name: str) -> _Lease | None:
        """Connect for one call and register ``<app>:<channel name>`` (``None``: failed)."""
        found = self._per_call.get(app)
        if found is None:
            return None
        conf, client = found
        name = f"{app}:{channel_name}"
        link = _Link(self, conf, client, (name,), f"{conf.name}:{channel_name}")
        limit = client.reconnect_attempts
        conn = await link.attempts(limit)
        if conn is None:
            return None
        link.register()
        self._track(link, link.run(conn, limit=limit))
        return _Lease(name, link)

    async def stop(self) -> None:
        """Unregister every app (announcing it on persistent sockets) and close the sockets."""
        if self.core.apps.per_call is self:
            self.core.apps.per_call = None
        links = list(self._links)
        for link in links:
            link.stop(announce=not link.client.per_call)
        tasks = [link.task for link in links if link.task is not None]
        if tasks:
            _, pending = await asyncio.wait(tasks, timeout=STOP_WAIT_S)
            for task in pending:
                task.cancel()
